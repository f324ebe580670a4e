"""Money in the long form (one row per participation): a 負担額 column holds each town's share, a 事業費 column
the project's amount (the same on each of its rows), their year from the heading or the row's 年度; each amount
read back at its own cell, and what cannot be read for certain said there, never guessed."""

from __future__ import annotations

from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading
from renkei.vision.model import Budget, Severity

# 南信州定住自立圏 (飯田市 and its neighbours): a sphere none of the corpus tables is of.
TOWNS = ("飯田市", "松川町", "高森町", "阿南町")


def read(lines: list[str]) -> Report:
    return check_reading(read_bytes("\n".join(lines).encode("utf-8"), "long.csv"))


def loud(report: Report) -> list[tuple[str, int | None, int | None]]:
    return [
        (f.code, f.location.line if f.location else None, f.location.column if f.location else None)
        for f in report.findings
        if f.severity is not Severity.INFO
    ]


def test_shares_under_a_year_column_are_each_towns_share_of_that_year() -> None:
    lines = ["年度,事業番号,事業名,市町村名,負担金（円）,備考"]
    for year, centre in (("令和6年度", '"1,200,000"'), ("令和7年度", '"1,250,000"')):
        lines += [f"{year},1,地域公共交通の確保,飯田市,{centre},"]
        lines += [f"{year},1,地域公共交通の確保,松川町,300000,", f"{year},2,広域観光の推進,高森町,150000,"]
    report = read(lines)
    projects = report.reading.vision.projects
    assert [p.name for p in projects] == ["地域公共交通の確保", "広域観光の推進"]
    assert sorted(projects[0].budgets, key=lambda b: (b.fiscal_year or 0, b.town)) == [
        Budget(2024, 300000, "円", "松川町"),
        Budget(2024, 1200000, "円", "飯田市"),
        Budget(2025, 300000, "円", "松川町"),
        Budget(2025, 1250000, "円", "飯田市"),
    ]
    assert set(projects[1].budgets) == {Budget(2024, 150000, "円", "高森町"), Budget(2025, 150000, "円", "高森町")}
    assert loud(report) == []
    skipped = [f for f in report.findings if f.code == "long-columns-skipped"]
    assert [f.params["columns"] for f in skipped] == ["備考"]  # 年度 and 負担金 are read now


def test_a_project_amount_repeated_on_its_rows_is_the_projects_own_once() -> None:
    lines = ["事業番号,事業名,市町村コード,市町村名,事業費（千円）令和6年度,負担額（千円）令和6年度"]
    lines += ["1,移住定住の促進,202053,飯田市,5000,2500", "1,移住定住の促進,204021,松川町,5000,800"]
    lines += ["2,図書館の相互利用,204030,高森町,,"]
    report = read(lines)
    first, second = report.reading.vision.projects
    assert set(first.budgets) == {
        Budget(2024, 5000, "千円", ""),
        Budget(2024, 2500, "千円", "飯田市"),
        Budget(2024, 800, "千円", "松川町"),
    }
    assert second.budgets == [] and list(second.participants) == ["高森町"]
    assert loud(report) == []


def test_a_project_amount_that_differs_between_its_rows_is_an_error_at_the_cell_and_not_kept() -> None:
    lines = ["事業番号,事業名,市町村名,事業費（千円）"]
    lines += ["1,移住定住の促進,飯田市,5000", "1,移住定住の促進,松川町,4000", "2,図書館の相互利用,高森町,900"]
    report = read(lines)
    first, second = report.reading.vision.projects
    assert first.budgets == []  # neither 5,000 nor 4,000: which the document meant is not known
    assert second.budgets == [Budget(None, 900, "千円", "")]
    assert ("long-amount-differs", 3, 4) in loud(report)
    said = next(f for f in report.findings if f.code == "long-amount-differs")
    assert (said.params["first"], said.params["value"]) == ("5000", "4000")


def test_a_year_that_cannot_be_read_leaves_its_rows_amounts_out_and_says_so() -> None:
    lines = ["年度,事業番号,事業名,市町村名,負担額（千円）"]
    lines += ["令和6年度,1,移住定住の促進,飯田市,2500", "来年度,1,移住定住の促進,松川町,800"]
    report = read(lines)
    (project,) = report.reading.vision.projects
    assert project.budgets == [Budget(2024, 2500, "千円", "飯田市")]
    assert set(project.participants) == {"飯田市", "松川町"}  # the participation is read all the same
    assert ("figure-unreadable", 3, 1) in loud(report)


def test_a_share_without_a_unit_is_said_at_the_long_forms_heading() -> None:
    lines = ["事業番号,事業名,市町村名,負担額"]
    lines += ["1,移住定住の促進,飯田市,2500", "1,移住定住の促進,阿南町,800"]
    report = read(lines)
    (project,) = report.reading.vision.projects
    assert project.budgets == []  # an amount without its unit is not kept
    assert ("budget-unit-missing", 1, 4) in loud(report)


def test_an_amount_that_is_no_number_is_said_at_its_cell_in_the_long_form() -> None:
    lines = ["事業番号,事業名,市町村名,負担額（千円）"]
    lines += ["1,移住定住の促進,飯田市,2500", "1,移住定住の促進,阿南町,未定"]
    report = read(lines)
    (project,) = report.reading.vision.projects
    assert project.budgets == [Budget(None, 2500, "千円", "飯田市")]
    assert ("figure-unreadable", 3, 4) in loud(report)
