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


# 柳川市・大牟田市 as a `pdftotext -layout` copy prints a tight indicator group: the headings one space apart and
# pushed left of their figures, the figures one space apart too.
ARIAKE_LAYOUT = """\
柳川市・大牟田市定住自立圏共生ビジョン（令和7年度時点修正）
番号     事業名      柳川市 大牟田市 連携市数 令和7年度予算額（円）         成果指標     単位 \
現状値（R4） R6実績 目標値（R11）
1 有明地域の救急医療体制の確保 ○   ○     2        18,500,000 救急搬送の圏域内収容率 ％        81.6 83.0       88.0
2 柳川・大牟田の広域観光の推進 ○   ○     2         7,200,000 観光入込客数      千人      2,210 2,450     5,800
3 移住・二地域居住の促進    ○   ○     2         3,600,000 移住相談件数      件         310 355         600
4 路線バスの維持確保      ○   ○     2        26,940,000 路線バスの利用者数 人       104,000 108,200 340,000
5 職員の合同研修        ○   ○     2           250,000 合同研修の参加者数 人            45      52      80
"""


def _indicators(report: Report) -> list[tuple[object, ...]]:
    found: list[tuple[object, ...]] = []
    for project in report.reading.vision.projects:
        for k in project.kpis:
            results = [(r.fiscal_year, r.value) for r in k.results]
            found.append((k.name, k.unit, k.baseline, k.baseline_year, results, k.target, k.target_year))
    return found


def test_a_layout_copys_indicator_headings_one_space_apart_head_their_own_columns() -> None:
    """Each heading heads its own figures (現状値（R4） the baseline, R6実績 the result, 目標値（R11） the target),
    nothing is left as the document's own column, and every figure is where its heading says."""
    report = _read(ARIAKE_LAYOUT, "ariake.txt")
    rows = [line.split() for line in ARIAKE_LAYOUT.splitlines()[2:] if line.strip()]
    found = _indicators(report)
    assert len(found) == len(rows) == 5
    for (name, unit, baseline, since, results, target, until), row in zip(found, rows, strict=True):
        assert name == row[-5]  # a name run into the unit's empty cell (路線バスの利用者数 人) is parted too
        assert (baseline, results, target) == (
            float(row[-3].replace(",", "")),
            [(2024, float(row[-2].replace(",", "")))],
            float(row[-1].replace(",", "")),
        ), name
        assert (since, until) == (2022, 2029) and unit == row[-4]
    assert all(not p.attributes for p in report.reading.vision.projects)
    assert _loud(report) == []


def test_figures_run_together_under_one_heading_are_parted_when_their_column_is_read() -> None:
    """Two rows of the same copy: the figures 81.6 83.0 stand in one column of the reading, the baseline's empty;
    the column is still an indicator's (its cells are figures run together), and the row is parted again and
    said (figures-reparted)."""
    two = "\n".join(ARIAKE_LAYOUT.splitlines()[:4]) + "\n"
    report = _read(two, "ariake2.txt")
    found = _indicators(report)
    assert [(f[2], f[4], f[5]) for f in found] == [(81.6, [(2024, 83.0)], 88.0), (2210.0, [(2024, 2450.0)], 5800.0)]
    assert all(not p.attributes for p in report.reading.vision.projects)


def test_a_plan_period_in_other_words_bounds_the_budget_years() -> None:
    """The plan period as visions also write it (…から…まで, R7～R11, a start and its length, a Western year
    bracketed after the era's): a budget year outside it is a warning at its column, one inside is not."""
    from renkei.ingest.figures import plan_period

    for note in (
        "計画期間：令和7年度から令和11年度まで",
        "計画期間は令和7年度から令和11年度までの5年間です。",
        "計画期間 R7～R11",
        "計画期間：令和7年度から5年間",
        "計画期間：令和7（2025）年度～令和11（2029）年度",
    ):
        assert plan_period(note) == (2025, 2029), note
        # 伊那 (伊那市, 箕輪町, 南箕輪村): amounts for 令和11年度 and 令和12年度.
        table = f"{note}\n番号,事業名,伊那市,箕輪町,南箕輪村,令和11年度事業費（千円）,令和12年度事業費（千円）\n"
        report = _read(table + "1,救急医療の連携,○,○,○,1000,1200\n")
        outside = [f for f in report.findings if f.code == "budget-year-outside-plan"]
        assert [(f.severity, f.params["year"]) for f in outside] == [(Severity.WARNING, 2030)], note


def test_towns_shares_that_exceed_the_projects_amount_are_an_error() -> None:
    """盛岡 (盛岡市, 滝沢市, 雫石町): the towns' shares of a year's amount may add up to less than it (a grant, a
    town without a share) or to all of it, never to more; compared in yen where the shares are written in 円."""
    head = "番号,事業名,盛岡市,滝沢市,雫石町,事業費（千円）R7,盛岡市負担（千円）R7,滝沢市負担（千円）R7"
    for shares, wrong in (("600,300", False), ("600,400", False), ("600,500", True)):
        report = _read(f"{head}\n1,救急医療の連携,○,○,○,1000,{shares}\n")
        found = [f for f in report.findings if f.code == "budget-shares-exceed"]
        assert bool(found) == wrong, shares
        if wrong:
            (finding,) = found
            assert finding.severity is Severity.ERROR and finding.location is not None
            assert (finding.location.line, finding.params["shares"], finding.params["amount"]) == (2, "1,100", "1,000")
    in_yen = "番号,事業名,盛岡市,滝沢市,事業費（千円）R7,盛岡市負担（円）R7,滝沢市負担（円）R7\n"
    assert "budget-shares-exceed" in _loud(_read(in_yen + "1,救急医療の連携,○,○,1000,700000,400000\n"))
    assert "budget-shares-exceed" not in _loud(_read(in_yen + "1,救急医療の連携,○,○,1000,700000,300000\n"))


def test_headings_spread_over_the_columns_beside_them_only_where_one_has_none() -> None:
    """The rule behind a layout copy's pushed headings, on positions: two figure headings in one column take it
    and the empty column beside it (next to it, or past a column holding one heading); never where the empty
    column has a heading from another line, nor words that are no figure's heading."""
    from renkei.ingest.aligned import Token, _spread

    columns = [(0.0, 10.0), (12.0, 20.0), (22.0, 30.0)]
    two = [Token("基準値（R5）", 0, 8), Token("R6実績", 9, 11)]
    # Past a column holding one heading (目標値 over the second column, the third empty).
    target = Token("目標値（R11）", 13, 18)
    assert _spread([*two, target], columns, set()) == ["基準値（R5）", "R6実績", "目標値（R11）"]
    # Next to it (the third column empty right beside the two).
    beside = [Token("成果指標", 0, 6), Token("基準値（R5）", 12, 18), Token("R6実績", 18.5, 20)]
    assert _spread(beside, columns, set()) == ["成果指標", "基準値（R5）", "R6実績"]
    assert _spread([*two, target], columns, {2}) is None  # 2 headed by a line above
    assert _spread([Token("事業名", 0, 6), Token("概要", 7, 9)], columns[:2], set()) is None
