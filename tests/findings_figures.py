"""The cases of tests/test_findings.py for the budget and KPI columns' findings (ingest/figures.py) and a budget
annex's (renkei.ingest.annex): each builds a small table from the seed's towns and says where its finding must point."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from renkei.ingest import read_bytes
from renkei.ingest.annex import merge, read_annex
from renkei.ingest.grid import Row, text_cells, text_location
from renkei.ingest.limits import Limits
from renkei.ingest.reading import Options, layout_reading
from renkei.ingest.report import check_reading
from renkei.places.municipalities import Registry
from renkei.vision.model import Finding, Location
from seedfacts import SeedFacts


def _check(*rows: Sequence[str]) -> list[Finding]:
    data = "\n".join("\t".join(row) for row in rows).encode("utf-8")
    return check_reading(read_bytes(data, "table.tsv")).findings


def _header(facts: SeedFacts, *figures: str) -> tuple[str, ...]:
    return ("番号", "事業名", *facts.towns[:2], "連携町数", *figures)


def _row(number: int, *figures: str) -> tuple[str, ...]:
    return (str(number), f"事業{number}", "○", "○", "2", *figures)


def figure_unreadable(facts: SeedFacts) -> tuple[list[Finding], Location]:
    # 未定 under 事業費 R7: not a number, never read as 0.
    rows = [_header(facts, "事業費（千円）R6", "事業費（千円）R7"), _row(1, "100", "未定")]
    return _check(*rows), Location(line=2, column=7)


def budget_total_mismatch(facts: SeedFacts) -> tuple[list[Finding], Location]:
    # 100 + 200 printed as 合計 400: the total's cell.
    rows = [_header(facts, "事業費（千円）R6", "事業費（千円）R7", "事業費（千円）合計"), _row(1, "100", "200", "400")]
    return _check(*rows), Location(line=2, column=8)


def budget_shares_exceed(facts: SeedFacts) -> tuple[list[Finding], Location]:
    # 各市町負担 of 60 and 50 for a 令和6年度 amount of 100 (千円): the project's row.
    rows = [
        _header(facts, "事業費（千円）R6", f"{facts.towns[0]}負担（千円）R6", f"{facts.towns[1]}負担（千円）R6"),
        _row(1, "100", "60", "50"),
    ]
    return _check(*rows), Location(line=2)


def budget_year_outside_plan(facts: SeedFacts) -> tuple[list[Finding], Location]:
    # 計画期間 令和6年度～令和8年度 above a column of 令和9年度: the header cell.
    rows = [
        ("計画期間：令和6年度～令和8年度",),
        _header(facts, "事業費（千円）令和8年度", "事業費（千円）令和9年度"),
        _row(1, "100", "200"),
    ]
    return _check(*rows), Location(line=2, column=7)


def budget_unit_missing(facts: SeedFacts) -> tuple[list[Finding], Location]:
    # 事業費 R6 with no unit in the header and no （単位：千円） note: the header cell, amounts not kept.
    rows = [_header(facts, "事業費R6"), _row(1, "100")]
    return _check(*rows), Location(line=1, column=6)


def kpi_name_missing(facts: SeedFacts) -> tuple[list[Finding], Location]:
    # A target with no indicator name beside it: the first filled cell of the indicator.
    rows = [_header(facts, "成果指標", "目標値（R10）"), _row(1, "", "50")]
    return _check(*rows), Location(line=2, column=7)


def _with_annex(facts: SeedFacts, annex: str) -> list[Finding]:
    """A table of two projects with budgets for R6 and R7, and an annex file merged into it."""
    rows = [_header(facts, "事業費（千円）R6", "事業費（千円）R7"), _row(1, "100", "200"), _row(2, "300", "")]
    table = read_bytes("\n".join("\t".join(r) for r in rows).encode("utf-8"), "table.tsv")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "annex.csv"
        path.write_text(annex, encoding="utf-8")
        return check_reading(merge(table, read_annex(path))).findings


def annex_project_unknown(facts: SeedFacts) -> tuple[list[Finding], Location]:
    # The annex's row 3 names project 9, which the table lacks: that row.
    annex = "事業番号,事業名,令和7年度（千円）\n2,事業2,400\n9,事業9,500\n"
    return _with_annex(facts, annex), Location(line=3)


def annex_name_differs(facts: SeedFacts) -> tuple[list[Finding], Location]:
    # Number 2 named otherwise in the annex: merged by its number, and said at the annex's row.
    annex = "事業番号,事業名,令和7年度（千円）\n2,別の名前の取組,400\n"
    return _with_annex(facts, annex), Location(line=2)


def annex_budget_duplicate(facts: SeedFacts) -> tuple[list[Finding], Location]:
    # The table gives project 1's R7; the annex gives it again: the table's kept, the annex's row named.
    annex = "事業番号,事業名,令和7年度（千円）\n1,事業1,999\n"
    return _with_annex(facts, annex), Location(line=2)


def annex_total_mismatch(facts: SeedFacts) -> tuple[list[Finding], Location]:
    # The table declares project 1's 合計 500; the annex gives its years 100 and 200: the annex's row.
    rows = [_header(facts, "総事業費（千円）"), _row(1, "500"), _row(2, "")]
    table = read_bytes("\n".join("\t".join(r) for r in rows).encode("utf-8"), "table.tsv")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "annex.csv"
        path.write_text("事業番号,事業名,令和6年度（千円）,令和7年度（千円）\n1,事業1,100,200\n", encoding="utf-8")
        return check_reading(merge(table, read_annex(path))).findings, Location(line=2)


def figures_reparted(facts: SeedFacts) -> tuple[list[Finding], Location]:
    # A layout copy's row as its positional reader parts it: R7's amount ran into the 合計 cell beside an empty
    # one (9,000 26,500): parted again and said at the row.
    rows = [
        _header(facts, "事業費（千円）R6", "事業費（千円）R7", "事業費（千円）合計"),
        _row(1, "8,500", "", "9,000 17,500"),
    ]
    located = [Row(text_cells(line, list(texts)), text_location(line)) for line, texts in enumerate(rows, start=1)]
    options = Options("layout.txt", Registry.default(), Limits())
    return check_reading(layout_reading(located, options.source("aligned"), [], options)).findings, Location(line=2)


FIGURE_CASES: dict[str, tuple[str, Callable[[SeedFacts], tuple[list[Finding], Location]]]] = {
    "figure-unreadable": ("warning", figure_unreadable),
    "figures-reparted": ("info", figures_reparted),
    "budget-total-mismatch": ("error", budget_total_mismatch),
    "budget-year-outside-plan": ("warning", budget_year_outside_plan),
    "budget-shares-exceed": ("error", budget_shares_exceed),
    "budget-unit-missing": ("warning", budget_unit_missing),
    "kpi-name-missing": ("warning", kpi_name_missing),
    "annex-project-unknown": ("error", annex_project_unknown),
    "annex-name-differs": ("warning", annex_name_differs),
    "annex-budget-duplicate": ("warning", annex_budget_duplicate),
    "annex-total-mismatch": ("error", annex_total_mismatch),
}
