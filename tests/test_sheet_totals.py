"""A workbook kept as one sheet per pillar or role, each with a 計 row of its own: each sheet's 計 is checked
against its own sheet's rows, and the whole's totals (a sheet of totals, or a 合計 row under the last sheet's
計) against every row."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook

from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading
from seedfacts import SeedFacts

SHEETS = {
    "① 生活機能の強化": [(1, "救急医療体制の確保", ("○", "○", "")), (2, "地域医療連携", ("○", "", ""))],
    "② 結びつきやネットワークの強化": [(3, "地域公共交通", ("○", "", "○")), (4, "道路網の整備", ("", "", "○"))],
}


def sums(projects: Sequence[tuple[int, str, tuple[str, ...]]]) -> list[int]:
    return [sum(1 for _, _, marks in projects if marks[i]) for i in range(3)]


def workbook(facts: SeedFacts, *, summary: str = "sheet", wrong: int = 0) -> Report:
    """The sheets with their own 計 rows (the first town's made ``wrong`` off on the first sheet), and the
    whole's totals on a sheet of their own (``summary="sheet"``) or as 合計 under the last sheet's 計."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    everything: list[tuple[int, str, tuple[str, ...]]] = []
    for n, (title, projects) in enumerate(SHEETS.items()):
        sheet = book.create_sheet(title)
        sheet.append(["番号", "事業名", "事業内容", *facts.towns[:3], "連携町数"])
        for number, name, marks in projects:
            sheet.append([number, name, f"{name}を行う。", *marks, sum(1 for m in marks if m)])
        own = sums(projects)
        own[0] += wrong if n == 0 else 0
        sheet.append(["計", None, None, *own, sum(own)])
        everything += projects
    whole = sums(everything)
    if summary == "sheet":
        book.create_sheet("総括").append(["連携事業数計", None, None, *whole, sum(whole)])
    else:
        book.worksheets[-1].append(["合計", None, None, *whole, sum(whole)])
    buffer = io.BytesIO()
    book.save(buffer)
    return check_reading(read_bytes(buffer.getvalue(), "vision.xlsx"))


def test_each_sheet_total_and_the_whole_agree(facts: SeedFacts) -> None:
    for summary in ("sheet", "row"):
        report = workbook(facts, summary=summary)
        assert report.ok, [(f.code, f.params) for f in report.findings]
        codes = [f.code for f in report.findings]
        assert "sheet-totals" in codes and "totals-repeated" not in codes and "no-totals" not in codes
        everything = [p for projects in SHEETS.values() for p in projects]
        vision = report.reading.vision
        assert list(vision.declared_totals.values()) == sums(everything)
        assert vision.declared_grand_total == sum(sums(everything))


def test_a_wrong_sheet_total_is_an_error_at_its_cell(facts: SeedFacts) -> None:
    report = workbook(facts, wrong=1)
    wrong = [f for f in report.findings if f.code == "sheet-total-mismatch"]
    first = next(iter(SHEETS))
    town = facts.towns[0]
    assert {(f.params["sheet"], f.params["name"]) for f in wrong} == {(first, town), (first, "計")}
    cell = next(f for f in wrong if f.params["name"] == town).location
    assert cell is not None and (cell.sheet, cell.cell) == (first, "D4")
    assert not report.ok


def test_one_totals_row_in_a_workbook_sums_the_whole(facts: SeedFacts) -> None:
    # Without per-sheet rows, the only 計 (under the last sheet) is the table's, as before.
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    everything = []
    for title, projects in SHEETS.items():
        sheet = book.create_sheet(title)
        sheet.append(["番号", "事業名", "事業内容", *facts.towns[:3], "連携町数"])
        for number, name, marks in projects:
            sheet.append([number, name, f"{name}を行う。", *marks, sum(1 for m in marks if m)])
        everything += projects
    book.worksheets[-1].append(["計", None, None, *sums(everything), sum(sums(everything))])
    buffer = io.BytesIO()
    book.save(buffer)
    report = check_reading(read_bytes(buffer.getvalue(), "vision.xlsx"))
    assert report.ok and "sheet-totals" not in [f.code for f in report.findings]
    assert report.reading.vision.declared_grand_total == sum(sums(everything))
