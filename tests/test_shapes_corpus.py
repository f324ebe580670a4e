"""The shapes corpus (``tests/corpus/shapes``): 33 tables of 33 real spheres in 22 prefectures, in shapes a
tester wrote without looking at the readers (towns as rows, two heading levels merged down, wrapped names, page
furniture, legends under a label, marks as pictures or in a symbol font, counts and totals on the left or on
top, deliberate faults), each with what a correct reading yields (``*.expect.json``, written by ``build.py`` from
the same specification as the table). Each is read as a user's file is, and compared: the municipalities, every
project's number, name and participants (and roles where the table has a legend), whether the reading has
errors, and each deliberate fault found at its row or cell."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from renkei.ingest import read_path
from renkei.ingest.report import check_reading
from renkei.vision.model import Location, Severity

SHAPES = Path(__file__).resolve().parent / "corpus" / "shapes"
EXPECTED = sorted(SHAPES.glob("t*.expect.json"))
# Shapes renkei does not read yet, each a strict xfail (the test fails once it reads): none at present.
NOT_YET: dict[str, str] = {}


def _plain(text: str) -> str:
    return re.sub(r"[\s\u3000]", "", text or "")


def test_the_corpus_is_all_there() -> None:
    assert len(EXPECTED) >= 33
    for path in EXPECTED:
        assert (SHAPES / json.loads(path.read_text(encoding="utf-8"))["file"]).exists(), path.name


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.name.removesuffix(".expect.json"))
def test_the_table_reads_as_its_expectation(path: Path, request: pytest.FixtureRequest) -> None:
    expected: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if expected["file"] in NOT_YET:
        request.applymarker(pytest.mark.xfail(reason=NOT_YET[expected["file"]], strict=True))
    report = check_reading(read_path(SHAPES / expected["file"]))
    vision = report.reading.vision
    assert [m.name for m in vision.municipalities] == [m["name"] for m in expected["municipalities"]]
    got = [
        (p.number, _plain(p.name), list(p.participants), {t: r.value for t, r in p.participants.items()})
        for p in vision.projects
    ]
    want = [
        (p["number"], _plain(p["name"]), p["participants_canonical"], p["roles"] or None) for p in expected["projects"]
    ]
    assert [g[:3] for g in got] == [w[:3] for w in want]
    for (number, _, _, roles), (_, _, _, expected_roles) in zip(got, want, strict=True):
        if expected_roles:
            assert roles == expected_roles, number
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    assert bool(errors) == (expected["exit"] == 1), [(f.code, str(f.location)) for f in errors]
    for fault in expected["deliberate_faults"]:
        line, row, cell = fault.get("line"), fault.get("table_row"), fault.get("cell")

        def row_of(where: Location) -> int | None:  # a Word table's row: its cell's (R4C2), not the line's
            position = where.table_position()
            if position is not None:
                return position[0]
            digits = "".join(ch for ch in where.cell or "" if ch.isdigit())
            return int(digits) if digits else where.line

        at = [
            f
            for f in errors
            if f.location is not None
            and (cell is None or f.location.cell == cell)
            and (line is None or f.location.line == line)
            and (row is None or row_of(f.location) == row)
        ]
        assert at, f"{fault} not found among {[(f.code, str(f.location)) for f in errors]}"
