"""Results (実績) for two fiscal years entered through the web API as the secretariat, published, and the
取組状況 report of the second year downloaded as PDF and XLSX: LibreOffice opens the workbook, and every grade in
it and in the PDF's text is recomputed here from the values entered and the targets the test declared (never
through ``renkei.vision.grades``). On SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient

from conftest import require_command
from renkei.core.messages import t
from renkei.store import Store
from renkei.vision.model import Project
from renkei.web.app import create_app
from results_support import (
    INDICATORS,
    KEY,
    SECRETARIAT,
    TOWN,
    expected_grade,
    expected_rate,
    filled,
)
from seedfacts import SeedFacts

# What the secretariat enters, per indicator: (the whole's value, each town's share by its place in the project).
YEARS = {
    2024: {"観光入込客数": (15_000.0, ()), "待機児童数": (30.0, (20.0, 45.0, 12.0)), "研修参加者数": (120.0, ())},
    2025: {"観光入込客数": (21_000.0, ()), "待機児童数": (17.0, (10.0, 40.0, 15.0)), "研修参加者数": (199.0, ())},
}
REPORTED = 2025


@pytest.fixture
def registry(db_url: str, facts: SeedFacts) -> Iterator[tuple[Store, list[Project], TestClient, dict[str, str]]]:
    store, chosen = filled(db_url, facts.towns[0])
    tokens = {name: store.accounts.create_token(name, "tests")[1] for name in (SECRETARIAT, TOWN)}
    with store, TestClient(create_app(store)) as client:
        yield store, chosen, client, tokens


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def versions(client: TestClient, token: str) -> dict[int, tuple[int, int]]:
    """Each draft project's (serial, version) by its number, as a script reads them before a write."""
    draft = client.get(f"/api/spheres/{KEY}/draft", headers=bearer(token)).json()
    return {p["number"]: (p["serial"], p["version"]) for p in draft["projects"]}


def entries_of(year: int, chosen: list[Project], read: dict[int, tuple[int, int]]) -> list[dict[str, Any]]:
    out = []
    for indicator, project in zip(INDICATORS, chosen, strict=True):
        serial, version = read[project.number]
        whole, shares = YEARS[year][indicator.name]
        base = {"serial": serial, "version": version, "kpi": 0, "fiscal_year": year}
        out.append({**base, "value": whole})
        out += [{**base, "value": v, "town": town} for town, v in zip(project.participants, shares, strict=False)]
    return out


def enter_and_publish(client: TestClient, token: str, chosen: list[Project], year: int, effective: str) -> None:
    entries = entries_of(year, chosen, versions(client, token))
    answer = client.post(f"/api/spheres/{KEY}/draft/results", headers=bearer(token), json={"entries": entries})
    assert answer.status_code == 200, answer.text
    published = client.post(
        f"/api/spheres/{KEY}/draft/publish",
        headers=bearer(token),
        json={"message": f"{year}年度の実績", "effective_on": effective},
    )
    assert published.status_code == 201, published.text


def expected_rows(chosen: list[Project], year: int, a: float = 1.0, b: float = 0.8, c: float = 0.5) -> dict[Any, Any]:
    """(project number, KPI, share) → (rate in % to one decimal, grade), from the entered values alone."""
    rows: dict[Any, Any] = {}
    for indicator, project in zip(INDICATORS, chosen, strict=True):
        whole, shares = YEARS[year][indicator.name]
        figures = [("", whole), *zip(project.participants, shares, strict=False)]
        for town, value in figures:
            rate = expected_rate(indicator, value)
            rows[(project.number, indicator.name, town)] = (round(rate * 100, 1), expected_grade(rate, a, b, c))
    return rows


def expected_town_grades(chosen: list[Project], towns: list[str], year: int) -> dict[str, dict[str, int]]:
    """Each town's KPIs by grade: those of the chosen projects it takes part in, on its own share where the
    indicator is measured per town, else on the whole."""
    found = {town: {g: 0 for g in "ABCD"} for town in towns}
    for indicator, project in zip(INDICATORS, chosen, strict=True):
        whole, shares = YEARS[year][indicator.name]
        own = dict(zip(project.participants, shares, strict=False))
        for town in project.participants:
            value = own.get(town) if indicator.shares else whole
            assert value is not None
            found[town][expected_grade(expected_rate(indicator, value))] += 1
    return found


def sheet_rows(path: Path, index: int) -> tuple[list[str], list[tuple[Any, ...]]]:
    """A report sheet's header (row 2) and rows (from row 3), as openpyxl reads them."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[index]
    rows = list(sheet.iter_rows(values_only=True))
    return [str(c) for c in rows[1]], rows[2:]


def libreoffice(path: Path, target: str, out: Path) -> Path:
    soffice = require_command("soffice")
    run = subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{out}/profile", "--convert-to", target,
         "--outdir", str(out), str(path)],
        capture_output=True,
        text=True,
        timeout=180,
    )  # fmt: skip
    made = out / f"{path.stem}.{target}"
    assert run.returncode == 0 and made.exists() and made.stat().st_size > 0, run.stdout + run.stderr
    return made


def test_two_years_of_results_give_a_report_whose_grades_recompute(
    registry: tuple[Store, list[Project], TestClient, dict[str, str]], tmp_path: Path
) -> None:
    store, chosen, client, tokens = registry
    token = tokens[SECRETARIAT]
    enter_and_publish(client, token, chosen, 2024, "2025-03-31")
    enter_and_publish(client, token, chosen, 2025, "2026-03-31")
    assert [r.number for r in store.history(KEY)] == [1, 2, 3]
    # Every result is in the published revision, the earlier year's kept beside the later one's.
    published = {p.number: p for p in store.vision(KEY).projects}
    for indicator, project in zip(INDICATORS, chosen, strict=True):
        results = {(r.fiscal_year, r.town): r.value for r in published[project.number].kpis[0].results}
        for year, values in YEARS.items():
            whole, shares = values[indicator.name]
            assert results[(year, "")] == whole
            for town, v in zip(project.participants, shares, strict=False):
                assert results[(year, town)] == v
    # Each entry is in the audit trail, one per project and year.
    entries, _ = store.accounts.audit(KEY, limit=100)
    assert sum(1 for e in entries if e.action == "kpi-results") == 2 * len(INDICATORS)

    files = {}
    for fmt, media in (("xlsx", "spreadsheetml"), ("pdf", "application/pdf")):
        answer = client.get(f"/spheres/{KEY}/report/export/{fmt}", params={"year": REPORTED})
        assert answer.status_code == 200, answer.text
        assert media in answer.headers["content-type"]
        assert "%E5%8F%96%E7%B5%84%E7%8A%B6%E6%B3%81" in answer.headers["content-disposition"]  # 取組状況
        files[fmt] = tmp_path / f"report.{fmt}"
        files[fmt].write_bytes(answer.content)

    # LibreOffice opens the workbook (as CSV of its first sheet, and printed to PDF).
    libreoffice(files["xlsx"], "csv", tmp_path)
    libreoffice(files["xlsx"], "pdf", tmp_path / "printed")

    expected = expected_rows(chosen, REPORTED)
    header, rows = sheet_rows(files["xlsx"], 3)
    col = {name: header.index(t(f"progress.col_{name}", "ja", year=REPORTED)) for name in ("number", "kpi", "share")}
    rate_at = header.index(t("progress.col_rate", "ja", year=REPORTED))
    grade_at = header.index(t("progress.col_grade", "ja", year=REPORTED))
    assert "計算値" in header[rate_at] and "計算値" in header[grade_at]
    found = {}
    for row in rows:
        share = "" if row[col["share"]] == t("progress.whole", "ja") else row[col["share"]]
        found[(row[col["number"]], row[col["kpi"]], share)] = (row[rate_at], row[grade_at])
    assert found == expected

    towns = [m.name for m in store.vision(KEY).municipalities]
    header, rows = sheet_rows(files["xlsx"], 4)
    counts = {row[0]: {g: row[1 + i] for i, g in enumerate("ABCD")} for row in rows}
    assert counts == expected_town_grades(chosen, towns, REPORTED)
    # The budgets as declared, and the amendment list since the previous fiscal year's revision (2 → 3).
    header, rows = sheet_rows(files["xlsx"], 2)
    assert {(r[0], r[4], r[5]) for r in rows if r[2] == t("progress.whole", "ja")} == {
        (p.number, 1200, 1500) for p in chosen
    }
    about = [str(r[1]) for r in sheet_rows(files["xlsx"], 0)[1]]
    assert t("progress.previous_note", "ja", n=2, date="2025-03-31") in about

    text = subprocess.run(
        [require_command("pdftotext"), "-layout", str(files["pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "取組状況" in text and "達成率（計算値" in text
    for indicator in INDICATORS:
        assert indicator.name[:4] in text
    # Each whole KPI's line in the PDF carries its recomputed rate and grade, in that order.
    for (_, name, town), (rate, grade) in expected.items():
        if town:
            continue
        line = next(line for line in text.splitlines() if name[:4] in line and "全体" in line)
        assert line.split()[-2:] == [f"{rate:.1f}", grade], line


def test_a_town_enters_its_own_share_only(
    registry: tuple[Store, list[Project], TestClient, dict[str, str]], facts: SeedFacts
) -> None:
    store, chosen, client, tokens = registry
    own = facts.towns[0]
    shared = chosen[INDICATORS.index(next(i for i in INDICATORS if i.shares))]
    other = next(town for town in shared.participants if town != own)
    serial, version = versions(client, tokens[SECRETARIAT])[shared.number]
    base = {"serial": serial, "version": version, "kpi": 0, "fiscal_year": 2025}
    before_audit = store.accounts.audit(None, limit=1)[1]
    before_draft = store.drafts.project(KEY, serial)

    def refused(entries: list[dict[str, Any]]) -> None:
        answer = client.post(
            f"/api/spheres/{KEY}/draft/results", headers=bearer(tokens[TOWN]), json={"entries": entries}
        )
        assert answer.status_code == 403, answer.text
        assert answer.json()["error"]["code"] == "forbidden"
        assert store.drafts.project(KEY, serial) == before_draft
        assert store.accounts.audit(None, limit=1)[1] == before_audit

    refused([{**base, "value": 3.0, "town": other}])  # another town's share
    refused([{**base, "value": 3.0}])  # the whole KPI: the secretariat's
    refused([{**base, "value": 3.0, "town": own}, {**base, "value": 4.0, "town": other}])  # all or nothing
    unshared = chosen[0]
    if own in unshared.participants:  # a KPI without town shares has none of the town's own either
        s, v = versions(client, tokens[SECRETARIAT])[unshared.number]
        answer = client.post(
            f"/api/spheres/{KEY}/draft/results",
            headers=bearer(tokens[TOWN]),
            json={"entries": [{"serial": s, "version": v, "kpi": 0, "fiscal_year": 2025, "value": 1.0, "town": own}]},
        )
        assert answer.status_code == 403

    answer = client.post(
        f"/api/spheres/{KEY}/draft/results",
        headers=bearer(tokens[TOWN]),
        json={"entries": [{**base, "value": 3.0, "town": own}]},
    )
    assert answer.status_code == 200, answer.text
    results = store.drafts.project(KEY, serial).project.kpis[0].results
    assert [(r.fiscal_year, r.value, r.town) for r in results if r.fiscal_year == 2025] == [(2025, 3.0, own)]
    # The version read before is stale now: a second entry against it is refused, 412, nothing lost.
    stale = client.post(
        f"/api/spheres/{KEY}/draft/results",
        headers=bearer(tokens[SECRETARIAT]),
        json={"entries": [{**base, "value": 9.0, "town": own}]},
    )
    assert stale.status_code == 412, stale.text
    assert store.drafts.project(KEY, serial).project.kpis[0].results == results


def test_a_threshold_change_regrades(
    registry: tuple[Store, list[Project], TestClient, dict[str, str]], tmp_path: Path
) -> None:
    store, chosen, client, tokens = registry
    enter_and_publish(client, tokens[SECRETARIAT], chosen, 2025, "2026-03-31")
    path = f"/api/spheres/{KEY}/grades"
    strict = {"a": 1.2, "b": 1.0, "c": 0.9}
    assert client.put(path, headers=bearer(tokens[TOWN]), json=strict).status_code == 403
    bad = client.put(path, headers=bearer(tokens[SECRETARIAT]), json={"a": 0.5, "b": 0.8, "c": 0.1})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["code"] == "grade-thresholds"
    assert client.get(path).json() == {"sphere": KEY, "a": 1.0, "b": 0.8, "c": 0.5}
    answer = client.put(path, headers=bearer(tokens[SECRETARIAT]), json=strict)
    assert answer.status_code == 200 and client.get(path).json() == {"sphere": KEY, **strict}
    entry = store.accounts.audit(KEY, limit=1)[0][0]
    assert (entry.action, entry.before, entry.after) == ("grade-thresholds", {"a": 1.0, "b": 0.8, "c": 0.5}, strict)

    before = expected_rows(chosen, REPORTED)
    after = expected_rows(chosen, REPORTED, **strict)
    assert before != after  # the figures were chosen so that the stricter thresholds move some grades
    graded = client.get(f"/api/spheres/{KEY}/results", params={"year": REPORTED}, headers=bearer(tokens[SECRETARIAT]))
    shown = {
        (p["number"], k["name"], f["town"]): f["computed"]["grade"]
        for p in graded.json()["projects"]
        for k in p["kpis"]
        for f in k["figures"]
        if f["value"] is not None
    }
    assert shown == {key: grade for key, (_, grade) in after.items()}
    report = tmp_path / "report.xlsx"
    report.write_bytes(client.get(f"/spheres/{KEY}/report/export/xlsx", params={"year": REPORTED}).content)
    header, rows = sheet_rows(report, 3)
    grade_at = header.index(t("progress.col_grade", "ja", year=REPORTED))
    assert sorted(str(r[grade_at]) for r in rows) == sorted(g for _, g in after.values())
    assert any(t("progress.thresholds_note", "ja", a="120", b="100", c="90") == r[1] for r in sheet_rows(report, 0)[1])
