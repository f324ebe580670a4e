"""The amendment list as officials write it, on a synthetic 20-town, 80-project sphere with two projects inserted in
the middle: one collapsed line for the renumbering, per town only its own changes, a PDF of a page per changed town
plus a summary page."""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import subprocess

import pytest

from conftest import require, require_command
from renkei.publish.documents import amendments_document, shift_text, town_document
from renkei.render import render_document
from renkei.vision.diff import Amendments, ChangeKind, diff
from renkei.vision.model import Municipality, Project, Role, Sphere, Vision

TOWNS = [f"試験{i:02d}町" for i in range(1, 21)]
INSERT_AT = 40  # the two new projects become numbers 41 and 42


def town_set(number: int) -> list[str]:
    """A deterministic, uneven spread of towns over projects: each project has four to eight towns."""
    return [name for i, name in enumerate(TOWNS) if (number * 7 + i * 3) % 5 < 2]


def project(number: int, name: str, towns: list[str]) -> Project:
    return Project(number, name, f"{name}の内容", participants={t: Role.MEMBER for t in towns})


@pytest.fixture(scope="module")
def before() -> Vision:
    projects = [project(n, f"事業{n:03d}", town_set(n)) for n in range(1, 81)]
    municipalities = [Municipality(name) for name in TOWNS]
    return Vision(Sphere("試験定住自立圏"), municipalities, projects)


# The towns of the two inserted projects, and a town left out of both.
NEW_A = [TOWNS[0], TOWNS[1]]
NEW_B = [TOWNS[1], TOWNS[2]]


@pytest.fixture(scope="module")
def after(before: Vision) -> Vision:
    head, tail = before.projects[:INSERT_AT], before.projects[INSERT_AT:]
    inserted = [project(INSERT_AT + 1, "新規事業A", NEW_A), project(INSERT_AT + 2, "新規事業B", NEW_B)]
    moved = [dataclasses.replace(p, number=p.number + 2) for p in tail]
    return dataclasses.replace(before, projects=[*head, *inserted, *moved])


@pytest.fixture(scope="module")
def amendments(before: Vision, after: Vision) -> Amendments:
    return diff(before, after)


def test_renumbering_is_one_collapsed_line_after_the_additions(amendments: Amendments) -> None:
    members, entries, shifts = amendments.entries()
    assert members == []
    assert [e.project for e in entries] == ["新規事業A", "新規事業B"]
    assert len(shifts) == 1
    (shift,) = shifts
    assert (shift.first, shift.last, shift.by) == (INSERT_AT + 1, 80, 2)
    assert shift_text(shift, "ja") == f"事業{INSERT_AT + 1}〜80を2つ繰り下げ"
    summary = amendments.summary()
    assert (summary.added, summary.retired, summary.joined, summary.left) == (2, 0, 0, 0)
    assert summary.renumbered == 80 - INSERT_AT


def test_the_document_by_project_has_the_summary_first_and_the_shift_last(amendments: Amendments) -> None:
    document = amendments_document(amendments, "変更内容一覧", "project", "ja")
    summary, changes = document.sheets
    assert dict(summary.rows)["事業の追加"] == 2 and dict(summary.rows)["番号の変更"] == 40
    # Two additions and one line for 40 renumbered projects, not 42 rows.
    assert len(changes.rows) == 3
    assert [row[1] for row in changes.rows[:2]] == ["新規事業A", "新規事業B"]
    assert changes.rows[-1][1] == f"事業{INSERT_AT + 1}〜80を2つ繰り下げ"


def test_each_town_sees_only_its_own_changes(amendments: Amendments) -> None:
    grouped = amendments.by_municipality()
    expected = {t: [n for n, towns in ((41, NEW_A), (42, NEW_B)) if t in towns] for t in TOWNS}
    assert set(grouped) == {t for t, numbers in expected.items() if numbers}
    for town, changes in grouped.items():
        assert [c.number for c in changes] == expected[town], town
        assert all(c.kind is ChangeKind.PROJECT_ADDED for c in changes)
    document = amendments_document(amendments, "変更内容一覧", "municipality", "ja")
    summary, *towns = document.sheets
    assert [s.title for s in towns] == list(grouped)
    assert all(s.new_page for s in towns)
    unchanged = dict(summary.rows)["変更のない市町村"]
    assert isinstance(unchanged, str)
    assert set(unchanged.split("、")) == set(TOWNS) - set(grouped)


def test_a_town_without_change_says_so_in_one_line(amendments: Amendments) -> None:
    untouched = next(t for t in TOWNS if t not in NEW_A + NEW_B)
    (sheet,) = town_document(amendments, untouched, "別表", "ja").sheets
    assert [row[1] for row in sheet.rows] == ["変更はありません"]


def test_a_renumbered_and_changed_project_appears_once_with_both(before: Vision, after: Vision) -> None:
    changed = [dataclasses.replace(p, name=p.name + "（改）") if p.number == 60 else p for p in after.projects]
    amendments = diff(before, dataclasses.replace(after, projects=changed))
    _, entries, shifts = amendments.entries()
    renamed = [e for e in entries if e.project == "事業058（改）"]
    assert len(renamed) == 1 and (renamed[0].number, renamed[0].old_number) == (60, 58)
    assert [c.kind for c in renamed[0].changes] == [ChangeKind.RENAMED]
    # The run is broken around it, and it is in neither part.
    assert [(s.first, s.last) for s in shifts] == [(41, 57), (59, 80)]
    rows = amendments_document(amendments, "t", "project", "ja").sheets[1].rows
    assert sum(1 for row in rows if "事業058（改）" in str(row[1])) == 1
    assert ("60（旧58）", "事業058（改）") in {(row[0], row[1]) for row in rows}


def test_the_pdf_has_a_summary_page_and_a_page_per_changed_town(amendments: Amendments) -> None:
    require(importlib.util.find_spec("weasyprint") is not None, "WeasyPrint is not installed")
    pdfinfo = require_command("pdfinfo")
    document = amendments_document(amendments, "試験定住自立圏 変更内容一覧", "municipality", "ja")
    data = render_document(document, "pdf")
    info = subprocess.run([pdfinfo, "-"], input=data, capture_output=True, check=True).stdout.decode()
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    changed = len(amendments.by_municipality())
    assert changed == len(set(NEW_A + NEW_B))
    assert pages <= changed + 1
    by_project = render_document(amendments_document(amendments, "t", "project", "ja"), "pdf")
    assert len(io.BytesIO(by_project).getvalue()) > 0
