"""A project written over two rows, its name above and its description below in the same column: under a header
cell that says so (事業名／事業内容, 取組名・概要), or where the number (and the marks) are merged down the pair.
The second row is the project's description (``row-continued``), not a project of its own."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading

TOWNS = ("さぬき市", "東かがわ市", "三木町")
PROJECTS = [(1, "創業支援事業", "○○－"), (2, "広域観光の推進", "－○○"), (3, "図書館の相互利用", "○○○")]


def about(name: str) -> str:
    return f"{name}について、圏域の市町が連携して取り組む。"


def workbook(header: str, merged: bool) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["番号", header, *TOWNS, "連携市町数"])
    for number, name, marks in PROJECTS:
        sheet.append([number, name, *(m if m == "○" else None for m in marks), marks.count("○")])
        sheet.append([None, about(name)])
        row = sheet.max_row
        if merged:
            for column in (1, *range(3, len(TOWNS) + 4)):
                sheet.merge_cells(start_row=row - 1, end_row=row, start_column=column, end_column=column)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read(data: bytes, name: str) -> Report:
    return check_reading(read_bytes(data, name))


def assert_two_row_projects(report: Report) -> None:
    got = [(p.number, p.name, p.description, sorted(p.participants)) for p in report.reading.vision.projects]
    assert got == [
        (n, name, about(name), sorted(t for t, m in zip(TOWNS, marks, strict=True) if m == "○"))
        for n, name, marks in PROJECTS
    ]
    codes = [f.code for f in report.findings]
    assert codes.count("row-continued") == len(PROJECTS)
    assert not [f for f in report.findings if f.severity.value == "error"]
    assert "number-duplicate" not in codes


@pytest.mark.parametrize("header", ["事業名／事業内容", "事業名/事業内容", "取組名・概要", "事業名\n事業内容"])
def test_a_header_that_heads_names_and_descriptions(header: str) -> None:
    assert_two_row_projects(read(workbook(header, merged=False), "t.xlsx"))


def test_the_number_and_marks_merged_down_the_pair_under_a_plain_header() -> None:
    assert_two_row_projects(read(workbook("事業名", merged=True), "t.xlsx"))


def test_a_text_copy_under_such_a_header() -> None:
    lines = ["\t".join(["番号", "事業名／事業内容", *TOWNS, "連携市町数"])]
    for number, name, marks in PROJECTS:
        cells = [m if m == "○" else "" for m in marks]
        lines += ["\t".join([str(number), name, *cells, str(marks.count("○"))]), "\t" + about(name)]
    assert_two_row_projects(read("\n".join(lines).encode("utf-8"), "copy.txt"))


def test_under_a_plain_header_an_unmerged_second_row_is_not_taken_for_a_description() -> None:
    report = read(workbook("事業名", merged=False), "t.xlsx")
    assert [p.description for p in report.reading.vision.projects] == ["", "", ""]
