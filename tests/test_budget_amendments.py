"""Budgets and KPIs in the amendment list: each changed figure one line, worded as officials write it
(「事業費 R7: 1,200 → 1,500千円」), 令和 in Japanese and FY in English; a town's part holds its own share's changes
where the project gives shares, the whole project's otherwise."""

from __future__ import annotations

import dataclasses

import pytest

from renkei.publish.documents import amendments_document, town_document
from renkei.publish.fiscal import figure_line, year_text
from renkei.vision.diff import ChangeKind, diff
from renkei.vision.model import Budget, Kpi, KpiResult, Municipality, Project, Role, Sphere, Vision

A, B, C = "甲町", "乙町", "丙村"


def _project(number: int, towns: list[str], budgets: list[Budget], kpis: list[Kpi]) -> Project:
    participants = {town: Role.MEMBER for town in towns}
    return Project(
        number, f"事業{number}", f"事業{number}の内容", participants=participants, budgets=budgets, kpis=kpis
    )


USERS = Kpi("利用者数", "人", 100, 2023, 150, 2028, (KpiResult(2024, None),))
OLD = Vision(
    Sphere("試験圏"),
    [Municipality(A), Municipality(B), Municipality(C)],
    [
        _project(1, [A, B], [Budget(2025, 1200), Budget(2026, 1000), Budget(None, 3000)], [USERS]),
        _project(
            2,
            [A, B],
            [Budget(2025, 1200), Budget(2025, 500, town=A), Budget(2025, 700, town=B)],
            [Kpi("参加者数", "人", None, None, 50, 2027)],
        ),
        _project(3, [C], [], []),
    ],
)
NEW = dataclasses.replace(
    OLD,
    projects=[
        _project(
            1,
            [A, B],
            [Budget(2025, 1500), Budget(2026, 1000), Budget(2027, 800), Budget(None, 3300)],
            [dataclasses.replace(USERS, target=180, results=(KpiResult(2024, 120),))],
        ),
        _project(
            2,
            [A, B],
            [Budget(2025, 1300), Budget(2025, 600, town=A), Budget(2025, 700, town=B)],
            [Kpi("来場者数", "人", None, None, 900, 2027)],
        ),
        _project(3, [C], [], []),
    ],
)


@pytest.fixture(scope="module")
def lines_ja() -> dict[tuple[int | None, str | None], list[str]]:
    found: dict[tuple[int | None, str | None], list[str]] = {}
    for c in diff(OLD, NEW).changes:
        if c.figure is not None:
            found.setdefault((c.number, c.municipality), []).append(figure_line(c, "ja"))
    return found


def test_each_changed_budget_year_is_one_line_in_the_officials_wording(lines_ja: dict) -> None:
    assert lines_ja[1, None] == [
        "事業費 R7: 1,200 → 1,500千円",
        "事業費 R9: — → 800千円",
        "総事業費: 3,000 → 3,300千円",
        "成果指標 利用者数 目標値（R10）: 150 → 180人",
        "成果指標 利用者数 実績 R6: — → 120人",
    ]
    # The unchanged year (R8 1,000) and the unchanged share of 乙町 are not listed.
    assert lines_ja[2, None] == [
        "事業費 R7: 1,200 → 1,300千円",
        "成果指標 来場者数: — → 目標値 900人（R9）",
        "成果指標 参加者数: 目標値 50人（R9） → —",
    ]
    assert lines_ja[2, A] == ["事業費 R7: 500 → 600千円"]
    assert (2, B) not in lines_ja and (3, None) not in lines_ja


def test_english_writes_fiscal_years_as_fy() -> None:
    changes = [c for c in diff(OLD, NEW).changes if c.kind is ChangeKind.BUDGET_CHANGED and c.number == 1]
    assert figure_line(changes[0], "en") == "Budget FY2025: 1,200 → 1,500千円"
    assert (year_text(2025, "ja"), year_text(2019, "ja"), year_text(2018, "ja")) == ("R7", "R1", "H30")


def test_the_figures_stay_plain_numbers_for_the_api() -> None:
    change = next(c for c in diff(OLD, NEW).changes if c.kind is ChangeKind.BUDGET_CHANGED)
    assert (change.before, change.after, change.figure and change.figure.fiscal_year) == ("1200", "1500", 2025)


def test_a_towns_part_holds_its_own_share_where_shares_are_given() -> None:
    amendments = diff(OLD, NEW)
    mine = [(c.number, figure_line(c)) for c in amendments.affecting(A) if c.figure is not None]
    # Project 1 gives no shares: the whole project's changes are 甲町's. Project 2 gives budget shares: of its
    # budget only 甲町's own share; its KPIs give no shares, so their changes are every taking part town's.
    kpis_2 = ["成果指標 来場者数: — → 目標値 900人（R9）", "成果指標 参加者数: 目標値 50人（R9） → —"]
    assert [n for n, _ in mine].count(1) == 5
    assert [line for n, line in mine if n == 2] == ["事業費 R7: 500 → 600千円", *kpis_2]
    theirs = [(c.number, figure_line(c)) for c in amendments.affecting(B) if c.figure is not None]
    assert [line for n, line in theirs if n == 2] == kpis_2  # 乙町's budget share did not change
    assert amendments.affecting(C) == []  # 丙村 takes part in project 3 only, which did not change
    sheet = town_document(amendments, A, "別表", "ja").sheets[0]
    assert ("事業費 R7: 500", "600千円") in [(row[3], row[4]) for row in sheet.rows if row[0] == 2]


def test_the_amendment_list_by_project_shows_the_figures() -> None:
    document = amendments_document(diff(OLD, NEW), "変更内容一覧", lang="ja")
    rows = document.sheets[1].rows
    cells = [(row[0], row[2], row[3], row[4], row[5]) for row in rows]
    assert (1, "事業費の変更", None, "事業費 R7: 1,200", "1,500千円") in cells
    assert (2, "事業費の変更", A, "事業費 R7: 500", "600千円") in cells
    assert (2, "成果指標の追加", None, "成果指標 来場者数: —", "目標値 900人（R9）") in cells


def test_a_vision_without_budgets_lists_no_figure_change() -> None:
    bare = [dataclasses.replace(p, budgets=[], kpis=[]) for p in NEW.projects]
    amendments = diff(dataclasses.replace(OLD, projects=bare), dataclasses.replace(NEW, projects=bare))
    assert amendments.changes == ()


def test_the_summary_counts_the_projects_whose_figures_changed() -> None:
    amendments = diff(OLD, NEW)
    changed = {c.number for c in amendments.changes if c.figure is not None}
    assert amendments.summary().figures == len(changed) == 2
    summary = amendments_document(amendments, "変更内容一覧", lang="ja").sheets[0].rows
    assert ("事業費・成果指標の変更（事業数）", 2) in summary
    bare = [dataclasses.replace(p, budgets=[], kpis=[]) for p in OLD.projects]
    renamed = [dataclasses.replace(p, name=p.name + "（改）") for p in bare]
    plain = diff(dataclasses.replace(OLD, projects=bare), dataclasses.replace(OLD, projects=renamed))
    assert "figures" not in dict(plain.summary().items())  # a list without figures keeps its summary
