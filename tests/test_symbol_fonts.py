"""Marks typed as letters of a symbol font (Excel shows ✓ where the cell holds ü in Wingdings, ● for l): read as
the mark the font shows, said once per letter (``symbol-font-mark``). The same letter in an ordinary font is no
mark."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font

from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading

TOWNS = ("鶴岡市", "三川町", "庄内町")
MARKS = [("1", "救急医療体制の確保", "xx-"), ("2", "図書館の相互利用", "x-x"), ("3", "広域観光の推進", "xxx")]


def workbook(letter: str, font: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["番号", "事業名", *TOWNS, "連携市町数"])
    for r, (number, name, marks) in enumerate(MARKS, start=2):
        sheet.append([int(number), name, *(letter if m == "x" else None for m in marks), marks.count("x")])
        for c, m in enumerate(marks, start=3):
            if m == "x":
                sheet.cell(r, c).font = Font(name=font)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read(data: bytes) -> Report:
    return check_reading(read_bytes(data, "table.xlsx"))


def taking_part() -> list[list[str]]:
    return [[t for t, m in zip(TOWNS, marks, strict=True) if m == "x"] for _, _, marks in MARKS]


@pytest.mark.parametrize(("letter", "font"), [("ü", "Wingdings"), ("l", "Wingdings"), ("P", "Wingdings 2")])
def test_a_symbol_fonts_letter_is_the_mark_it_shows(letter: str, font: str) -> None:
    report = read(workbook(letter, font))
    assert [list(p.participants) for p in report.reading.vision.projects] == taking_part()
    said = [f for f in report.findings if f.code == "symbol-font-mark"]
    assert len(said) == 1 and said[0].params["cells"] == sum(m.count("x") for _, _, m in MARKS)
    assert said[0].location is not None and said[0].location.cell == "C2"
    assert not [f for f in report.findings if f.severity.value == "error"]


def test_the_same_letter_in_an_ordinary_font_is_no_mark() -> None:
    report = read(workbook("ü", "Calibri"))
    assert "symbol-font-mark" not in [f.code for f in report.findings]
    assert "unknown-mark" in [f.code for f in report.findings]
