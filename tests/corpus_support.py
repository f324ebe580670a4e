"""What the tester corpora (tests/corpus/shapes3, shapes4) share: each table read with its budget annex and
compared with its ``NAME.expect.json`` (municipalities in table order, every project's number, name,
participants, roles, pillar and field where given, budgets and indicators, the exit status, the planted faults
found and no other warning or error), and the sphere's name and kind apart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from renkei.ingest import read_path
from renkei.ingest.annex import merge, read_annex
from renkei.ingest.report import check_reading
from renkei.vision.model import Budget, Kpi, Severity


def budget_rows(budgets: list[Budget] | list[dict[str, Any]]) -> list[tuple[int, float, str, str]]:
    """Budgets read or expected, comparable: (year or 0, amount, unit, town), sorted."""
    rows = [b if isinstance(b, dict) else b.__dict__ for b in budgets]
    return sorted(
        (r.get("fiscal_year") or 0, float(r["amount"]), r.get("unit") or "", r.get("town") or "") for r in rows
    )


def _kpis(kpis: list[Kpi] | list[dict[str, Any]]) -> list[tuple[object, ...]]:
    def number(value: object) -> float | None:
        return None if value is None else float(value)  # type: ignore[arg-type]

    keys = ("name", "unit", "baseline", "baseline_year", "target", "target_year")
    out = []
    for k in kpis:
        d = k if isinstance(k, dict) else k.__dict__
        out.append(tuple(number(d.get(x)) if x in ("baseline", "target") else (d.get(x) or None) for x in keys))
    return out


def _title(heading: object) -> str | None:
    return None if heading is None else str(getattr(heading, "title", heading))


def _reading(shapes: Path, expected: dict[str, Any]) -> Any:
    reading = read_path(shapes / expected["file"])
    if expected.get("annex"):
        reading = merge(reading, read_annex(shapes / expected["annex"]))
    return check_reading(reading)


def check_table(shapes: Path, expected: dict[str, Any]) -> None:
    """The table read as its expectation says."""
    report = _reading(shapes, expected)
    vision = report.reading.vision
    assert [m.name for m in vision.municipalities] == expected["municipalities"]
    assert len(vision.projects) == len(expected["projects"])
    for got, want in zip(vision.projects, expected["projects"], strict=True):
        assert got.number == want["number"]
        assert got.name.replace(" ", "").replace("\u3000", "") == want["name"].replace(" ", "").replace("\u3000", "")
        assert list(got.participants) == want["participants"], got.number
        if "roles" in want:
            assert {t: r.value for t, r in got.participants.items()} == want["roles"], got.number
        for level in ("pillar", "field"):
            if level in want:
                assert _title(getattr(got, level)) == want[level], (got.number, level)
        assert budget_rows(got.budgets) == budget_rows(want.get("budgets", [])), got.number
        assert _kpis(got.kpis) == _kpis(want.get("kpis", [])), got.number
    loud = [f for f in report.findings if f.severity is not Severity.INFO]
    errors = [f for f in loud if f.severity is Severity.ERROR]
    assert bool(errors) == (expected["exit"] == 1), [(f.code, str(f.location)) for f in errors]
    faults = expected.get("deliberate_faults", [])
    named = [code for fault in faults for code in _codes(fault)]
    named += [f["code"] for f in expected.get("expected_findings", [])]
    for fault in faults:
        assert set(_codes(fault)) & {f.code for f in loud}, f"planted {fault['what']} not found"
    assert [(f.code, str(f.location)) for f in loud if f.code not in named] == []


# Where a tester's expectation says it assumed the code of a planted fault (the document being ambiguous as to
# which code renkei gives), renkei's own code for the same fault counts too: a town the members list does not
# name is said at its column's header when the town is a column (column-not-member), in its cell when it is
# named in a participants cell (participant-not-member).
_SAME_FAULT = {"participant-not-member": ("column-not-member",), "column-not-member": ("participant-not-member",)}


def _codes(fault: dict[str, Any]) -> tuple[str, ...]:
    """The codes that report a planted fault: the one its expectation names, and where it says it assumed
    that code, renkei's code for the same fault."""
    assumed = "assumed" in str(fault.get("why", ""))
    return (fault["what"], *(_SAME_FAULT.get(fault["what"], ()) if assumed else ()))


def check_sphere(shapes: Path, expected: dict[str, Any]) -> None:
    """The sphere's name and kind as the expectation says; none where the file names none."""
    sphere = _reading(shapes, expected).reading.vision.sphere
    if expected["sphere"]["name"] is None:  # the file names no sphere: none is invented
        assert sphere.name == ""
        return
    assert (sphere.name, sphere.kind.value) == (expected["sphere"]["name"], expected["sphere"]["kind"])
