"""A budget annex's (別冊) amounts checked against the totals (issue 26): the table's 合計 (総事業費) against the
annex's years, the annex's 合計 against the table's years, and the annex's own 合計 column against its own years,
in yen across 千円 and 円, each disagreement an ``annex-total-mismatch`` error at the annex's row or cell that
names the annex; amounts that agree say nothing. Annexes in CSV (UTF-8 and Shift_JIS) and XLSX."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from renkei.ingest import read_bytes
from renkei.ingest.annex import merge, read_annex
from renkei.ingest.reading import Reading
from renkei.ingest.report import check_reading
from renkei.vision.model import Finding, Location, Severity
from seedfacts import SeedFacts


def _table(facts: SeedFacts, *figures: str, rows: list[list[str]]) -> Reading:
    header = ["番号", "事業名", *facts.towns[:2], "連携町数", *figures]
    lines = [header] + [[str(n), f"事業{n}", "○", "○", "2", *values] for n, *values in rows]
    return read_bytes("\n".join("\t".join(r) for r in lines).encode("utf-8"), "table.tsv")


def _csv(folder: Path, text: str, encoding: str = "utf-8") -> Path:
    path = folder / "annex.csv"
    path.write_bytes(text.encode(encoding))
    return path


def _mismatches(table: Reading, annex: Path) -> list[Finding]:
    findings = check_reading(merge(table, read_annex(annex))).findings
    return [f for f in findings if f.code.endswith("total-mismatch")]


def test_the_tables_total_against_the_annexs_years(facts: SeedFacts, tmp_path: Path) -> None:
    table = _table(facts, "総事業費（千円）", rows=[["1", "500"], ["2", "1,000"]])
    # Project 1: 100 + 200 (千円) is not 500. Project 2: 600,000 + 400,000 円 is 1,000 千円: agrees.
    annex = _csv(tmp_path, "事業番号,事業名,R6（千円）,R7（千円）\n1,事業1,100,200\n")
    [found] = _mismatches(table, annex)
    assert (found.code, found.severity, found.location) == ("annex-total-mismatch", Severity.ERROR, Location(line=2))
    assert found.params == {"file": "annex.csv", "number": 1, "unit": "千円", "declared": "500", "computed": "300"}
    in_yen = _csv(tmp_path, "事業番号,事業名,令和6年度（円）,令和7年度（円）\n2,事業2,600000,400000\n")
    assert _mismatches(table, in_yen) == []
    off_in_yen = _csv(tmp_path, "事業番号,事業名,令和6年度（円）,令和7年度（円）\n2,事業2,600000,450500\n")
    [found] = _mismatches(table, off_in_yen)
    assert (found.params["declared"], found.params["computed"], found.params["unit"]) == ("1,000", "1,050.5", "千円")


def test_the_annexs_total_against_the_tables_years_matched_by_name(facts: SeedFacts, tmp_path: Path) -> None:
    table = _table(facts, "事業費（千円）R6", "事業費（千円）R7", rows=[["1", "100", "200"], ["2", "50", ""]])
    # No number column matches: the annex's 番号 9 is not the table's, its name 事業1 is (merged by name).
    annex = _csv(tmp_path, "事業番号,事業名,合計（千円）\n9,事業1,999\n2,事業2,50\n", encoding="cp932")
    found = _mismatches(table, annex)
    assert [(f.params["number"], f.params["declared"], f.params["computed"], f.location) for f in found] == [
        (1, "999", "300", Location(line=2))
    ]


def test_a_year_the_annex_adds_to_a_table_whose_total_agreed(facts: SeedFacts, tmp_path: Path) -> None:
    table = _table(facts, "事業費（千円）R6", "事業費（千円）合計", rows=[["1", "100", "100"]])
    assert not [f for f in check_reading(table).findings if f.code == "budget-total-mismatch"]
    annex = _csv(tmp_path, "事業番号,事業名,令和7年度（千円）\n1,事業1,40\n")
    [found] = _mismatches(table, annex)
    assert (found.params["declared"], found.params["computed"]) == ("100", "140")


def test_the_annexs_own_total_column_named_at_its_cell(facts: SeedFacts, tmp_path: Path) -> None:
    table = _table(facts, "成果指標", rows=[["1", "利用者数"], ["2", ""]])
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "別冊"
    for row in [
        ["事業番号", "事業名", "R6事業費（千円）", "R7事業費（千円）", "合計（千円）"],
        [1, "事業1", 100, 200, 300],
        [2, "事業2", 100, 200, 350],
    ]:
        sheet.append(row)
    path = tmp_path / "annex.xlsx"
    book.save(path)
    [found] = _mismatches(table, path)
    assert found.code == "annex-total-mismatch" and found.severity is Severity.ERROR
    assert found.location is not None and (found.location.sheet, found.location.cell) == ("別冊", "E3")
    assert (found.params["file"], found.params["number"], found.params["computed"]) == ("annex.xlsx", 2, "300")


def test_a_table_and_annex_that_agree_say_nothing(facts: SeedFacts, tmp_path: Path) -> None:
    table = _table(facts, "総事業費（千円）", rows=[["1", "300"]])
    annex = _csv(tmp_path, "事業番号,事業名,R6（千円）,R7（千円）,合計（千円）\n1,事業1,100,200,300\n")
    merged = merge(table, read_annex(annex))
    assert _mismatches(table, annex) == []
    budgets = {(b.fiscal_year, b.amount) for b in merged.vision.projects[0].budgets}
    assert budgets == {(None, 300), (2024, 100), (2025, 200)}


def test_a_disagreement_the_annex_itself_holds_is_said_once_at_its_cell(facts: SeedFacts, tmp_path: Path) -> None:
    # The table's 合計 500 and the annex's own 合計 500 both disagree with the annex's years (300): said once, at
    # the annex's 合計 cell (line 2, column 5); the annex's 合計 is the table's already (annex-budget-duplicate).
    table = _table(facts, "総事業費（千円）", rows=[["1", "500"]])
    annex = _csv(tmp_path, "事業番号,事業名,R6（千円）,R7（千円）,合計（千円）\n1,事業1,100,200,500\n")
    [found] = _mismatches(table, annex)
    assert (found.location, found.params["declared"], found.params["computed"]) == (Location(2, 5), "500", "300")
    # Where the annex's 合計 is another than the table's, the table's is checked against the years too.
    other = _csv(tmp_path, "事業番号,事業名,R6（千円）,R7（千円）,合計（千円）\n1,事業1,100,200,450\n")
    found_here = {(str(f.location), f.params["declared"]) for f in _mismatches(table, other)}
    assert found_here == {(str(Location(line=2)), "500"), (str(Location(2, 5)), "450")}


def test_the_annexs_own_findings_say_they_are_in_the_annex(facts: SeedFacts, tmp_path: Path) -> None:
    """A fault of the annex's own cells (an amount that is no number) points at the annex's line and column and
    says it is the annex's, in the words a person reads and in what the store keeps; the table's own say nothing of
    a file."""
    from renkei.core.messages import explain
    from renkei.ingest.report import finding_record
    from renkei.web.templating import stored_where

    table = _table(facts, "備考", rows=[["1", "よこ"], ["2", "たて"]])
    annex = _csv(tmp_path, "事業番号,事業名,R6（千円）,R7（千円）\n1,事業1,百,200\n2,事業2,300,400\n")
    merged = merge(table, read_annex(annex))
    unreadable = [f for f in merged.findings if f.code == "figure-unreadable"]
    assert len(unreadable) == 1 and unreadable[0].location == Location(line=2, column=3)
    assert explain(unreadable[0], "ja").where == "annex.csv の2行目 3列"
    assert explain(unreadable[0], "en").where == "annex.csv, line 2, column 3"
    assert stored_where(finding_record(unreadable[0]), "ja") == "annex.csv の2行目 3列"
    assert not any("annex.csv" in explain(f, "ja").where for f in table.findings)
