"""Figures a PDF or layout copy ran into their neighbour's column (``ingest/figure_runs.py``): parted again, a
word to a column, only where the row's structure proves it, and said; a document's own cells never."""

from __future__ import annotations

from renkei.ingest import read_bytes
from renkei.ingest.figure_runs import reflowed
from renkei.ingest.figures import FigureColumn
from renkei.ingest.grid import Row, text_cells, text_location
from renkei.ingest.limits import Limits
from renkei.ingest.reading import Options, layout_reading
from renkei.ingest.report import Report, check_reading
from renkei.places.municipalities import Registry
from renkei.vision.model import Budget, Severity

# 麒麟のまち連携中枢都市圏 (鳥取市 and its neighbours), its rows as a PDF or layout reader parts a tight table
# (the tester corpus's p06 and p10 are real `pdftotext -layout` copies that do so): on line 3 the 令和7年度
# amount ran into the indicator's name, on line 4 the unit into the baseline.
ROWS = [
    [
        "番号",
        "事業名",
        "鳥取市",
        "岩美町",
        "若桜町",
        "R6事業費（千円）",
        "R7事業費（千円）",
        "成果指標",
        "単位",
        "基準値（R5）",
    ],
    ["1", "救急医療の連携", "○", "○", "○", "4,800", "", "5,000 救急搬送件数", "件", "6,100"],
    ["2", "広域観光の推進", "○", "○", "", "3,300", "3,500", "観光入込客数", "千人 2,400", ""],
    ["3", "移住定住の促進", "○", "", "○", "1,200", "1,250", "移住者数", "人", "150"],
]


def _read(format_name: str) -> Report:
    rows = [Row(text_cells(line, texts), text_location(line)) for line, texts in enumerate(ROWS, start=2)]
    options = Options("kirin.txt", Registry.default(), Limits())
    return check_reading(layout_reading(rows, options.source(format_name), [], options))


def test_a_positional_readings_figures_run_together_are_parted_again_and_said() -> None:
    report = _read("aligned")
    first, second, third = report.reading.vision.projects
    assert first.budgets == [Budget(2024, 4800, "千円", ""), Budget(2025, 5000, "千円", "")]
    assert [(k.name, k.unit, k.baseline) for k in first.kpis] == [("救急搬送件数", "件", 6100)]
    assert [(k.name, k.unit, k.baseline) for k in second.kpis] == [("観光入込客数", "千人", 2400)]
    assert [(k.name, k.unit, k.baseline) for k in third.kpis] == [("移住者数", "人", 150)]
    said = [f for f in report.findings if f.code == "figures-reparted"]
    assert [(f.location.line if f.location else None, f.params["number"]) for f in said] == [(3, 1), (4, 2)]
    assert "5,000 救急搬送件数" in str(said[0].params["before"])
    assert [f.code for f in report.findings if f.severity is not Severity.INFO] == []


def test_the_same_cells_from_a_delimited_table_are_the_documents_own() -> None:
    report = _read("text")
    first = report.reading.vision.projects[0]
    assert first.budgets == [Budget(2024, 4800, "千円", "")]  # 5,000 is not moved out of the name's cell
    assert "figures-reparted" not in [f.code for f in report.findings]


def _row(*texts: str) -> Row:
    return Row(text_cells(1, list(texts)), text_location(1))


AMOUNTS = {
    0: FigureColumn("budget", "amount", 2026, "千円", header="R8"),
    1: FigureColumn("budget", "amount", None, "千円", header="合計", total=True),
}
INDICATOR = {
    0: FigureColumn("kpi", "name", header="成果指標"),
    1: FigureColumn("kpi", "unit", header="単位"),
    2: FigureColumn("kpi", "baseline", 2023, header="基準値"),
}


def test_two_amounts_in_one_cell_beside_an_empty_one_are_two_amounts() -> None:
    parted = reflowed(_row("", "9,000 26,500"), AMOUNTS)
    assert parted is not None and [c.text for c in parted[0].cells] == ["9,000", "26,500"]


def test_a_name_with_a_space_beside_an_empty_unit_stays_as_written() -> None:
    assert reflowed(_row("観光 入込客数", "", "720"), INDICATOR) is None  # every cell fits: nothing to mend


def test_words_that_would_not_fit_their_columns_once_parted_stay_as_written() -> None:
    # Parted, 受入率 would be the baseline: no number, so the row is left for the figures' own findings.
    assert reflowed(_row("救急 搬送 受入率", "", ""), INDICATOR) is None
    assert reflowed(_row("", "9,000 未定"), AMOUNTS) is None


def test_a_delimited_tables_own_cells_are_never_parted() -> None:
    # The same cells in a CSV are the document's own: two amounts in one cell are said, not moved.
    csv = '番号,事業名,鳥取市,岩美町,R8事業費（千円）,事業費合計（千円）\n1,救急医療の連携,○,○,,"9,000 26,500"\n'
    report = check_reading(read_bytes(csv.encode("utf-8"), "kirin.csv"))
    assert report.reading.vision.projects[0].budgets == []
    assert "figures-reparted" not in [f.code for f in report.findings]
    assert "figure-unreadable" in [f.code for f in report.findings]
