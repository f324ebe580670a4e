"""Budget and indicator shapes the fourth tester corpus (tests/corpus/shapes4) found misread, each tested on
another sphere's table: amount headings that say which budget (当初予算, 補正後, 見込), a period's amount (R7～R9), a
grade column under the indicators' group, towns' shares as rows under a project (うち盛岡市), a legend of another
column's values under the table, and a title with its edition in brackets."""

from __future__ import annotations

import io

from openpyxl import Workbook

from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading
from renkei.vision.model import Budget, Severity


def _read(text: str, name: str = "table.csv") -> Report:
    return check_reading(read_bytes(text.encode("utf-8"), name))


def _loud(report: Report) -> list[str]:
    return [f.code for f in report.findings if f.severity is not Severity.INFO]


HEAD = "番号,事業名,釧路市,釧路町,厚岸町"


def test_amount_headings_that_say_which_budget_are_amounts() -> None:
    # くしろ (釧路市 and its neighbours): 当初予算, 補正後予算, 予算見込額 are the year's amount, in the unit given.
    for heading, unit in (
        ("令和7年度当初予算（円）", "円"),
        ("R7補正後予算（千円）", "千円"),
        ("令和7年度予算見込額（千円）", "千円"),
    ):
        report = _read(f'{HEAD},{heading}\n1,観光の連携,○,○,○,"1,200"\n')
        assert report.reading.vision.projects[0].budgets == [Budget(2025, 1200, unit, "")], heading
        assert _loud(report) == [], heading
    settled = _read(f"{HEAD},令和6年度決算額（千円）\n1,観光の連携,○,○,○,900\n").reading.vision.projects[0]
    assert settled.budgets == [] and settled.attributes == {"令和6年度決算額（千円）": "900"}  # spent: no budget


def test_a_periods_amount_is_the_periods_total() -> None:
    report = _read(f"{HEAD},R7事業費（千円）,R7～R9事業費（千円）\n1,観光の連携,○,○,○,100,360\n")
    assert sorted(report.reading.vision.projects[0].budgets, key=lambda b: b.fiscal_year or 0) == [
        Budget(None, 360, "千円", ""),
        Budget(2025, 100, "千円", ""),
    ]
    assert _loud(report) == ["budget-total-mismatch"]  # one year of three given: 100 is not 360, and said


def test_a_grade_column_under_the_indicators_group_is_the_documents_own() -> None:
    # 成果指標 merged over 指標名 | 単位 | 目標値（R9） | 評価: 評価 (A–D) is no name of the indicator.
    book = Workbook()
    sheet = book.active
    sheet.append(["", "", "", "", "", "成果指標", "", "", ""])
    sheet.merge_cells("F1:I1")
    sheet.append(["番号", "事業名", "釧路市", "釧路町", "厚岸町", "指標名", "単位", "目標値（R9）", "評価"])
    sheet.append([1, "観光の連携", "○", "○", "○", "観光入込客数", "千人", 520, "B"])
    out = io.BytesIO()
    book.save(out)
    project = check_reading(read_bytes(out.getvalue(), "kushiro.xlsx")).reading.vision.projects[0]
    assert [(k.name, k.unit, k.target, k.target_year) for k in project.kpis] == [("観光入込客数", "千人", 520, 2027)]
    assert project.attributes == {"評価": "B"}


def test_towns_shares_written_as_rows_under_their_project() -> None:
    table = f'（単位：千円）\n{HEAD},予算額（R7）\n1,観光の連携,○,○,○,"1,000"\n,うち釧路市,,,,600\n,うち釧路町,,,,200\n'
    table += ",（うち厚岸町）,,,,200\n2,防災の連携,○,○,,300\n"
    report = _read(table)
    first, second = report.reading.vision.projects
    assert sorted(first.budgets, key=lambda b: b.town) == [
        Budget(2025, 1000, "千円", ""),
        Budget(2025, 200, "千円", "厚岸町"),
        Budget(2025, 600, "千円", "釧路市"),
        Budget(2025, 200, "千円", "釧路町"),
    ]
    assert second.budgets == [Budget(2025, 300, "千円", "")]
    assert _loud(report) == []


def test_a_legend_of_another_columns_values_under_the_table_is_a_note() -> None:
    table = f"{HEAD},評価\n1,観光の連携,○,○,○,A\n評価　A：目標を達成　B：概ね順調　C：遅れ\n"
    report = _read(table)
    assert _loud(report) == []
    assert "note-skipped" in [f.code for f in report.findings]


def test_a_title_with_its_edition_in_brackets_names_the_sphere() -> None:
    table = f"くしろ広域都市圏ビジョン（令和7年度改訂版）\n{HEAD}\n1,観光の連携,○,○,○\n"
    sphere = _read(table).reading.vision.sphere
    assert (sphere.name, sphere.kind.value) == ("くしろ広域都市圏", "連携中枢都市圏")
