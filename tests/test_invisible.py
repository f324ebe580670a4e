"""Invisible characters in a table's cells (a zero-width space a web page leaves after a mark or a name, a byte-order
mark inside a workbook's text, a soft hyphen, a direction mark): taken out before the cell is read, and said once
(``invisible-removed``). Before, ○ and a zero-width space was an unknown mark, a zero-width space alone an unknown
mark in a blank cell, and a town's name followed by one no municipality's column.

Tables of several spheres in text, a web page and XLSX; what each should yield is worked out here."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading

TOWNS = ("飯田市", "松川町", "高森町", "阿南町")  # 南信州
PROJECTS = [("1", "救急医療の確保", "xxxx"), ("2", "広域観光の推進", "x-x-"), ("3", "移住定住の促進", "xx--")]
INVISIBLE = ["\u200b", "\ufeff", "\u00ad", "\u200e", "\u2060"]


def grid(junk: str) -> list[list[str]]:
    """The table with ``junk`` after the second town's name, after each mark of the first town and alone in
    the blank cells of the last, and inside the first project's name."""
    header = ["番号", "事業名", TOWNS[0], TOWNS[1] + junk, *TOWNS[2:], "連携市町村数"]
    rows = [header]
    for number, name, marks in PROJECTS:
        cells = ["○" if m == "x" else "" for m in marks]
        cells[0] = cells[0] + junk if cells[0] else cells[0]
        cells[-1] = cells[-1] or junk
        shown = name[:2] + junk + name[2:] if number == "1" else name
        rows.append([number, shown, *cells, str(marks.count("x"))])
    return rows


def read(data: bytes, name: str) -> Report:
    return check_reading(read_bytes(data, name))


def expect(report: Report) -> None:
    vision = report.reading.vision
    assert [m.name for m in vision.municipalities] == list(TOWNS)
    assert [[t for t, m in zip(TOWNS, marks, strict=True) if m == "x"] for *_, marks in PROJECTS] == [
        list(p.participants) for p in vision.projects
    ]
    assert [p.name for p in vision.projects] == [name for _, name, _ in PROJECTS]
    assert [f.code for f in report.findings if f.severity.value == "error"] == []
    assert "invisible-removed" in [f.code for f in report.findings]


@pytest.mark.parametrize("junk", INVISIBLE)
def test_text_with_invisible_characters_reads_as_without(junk: str) -> None:
    expect(read(("\n".join("\t".join(r) for r in grid(junk)) + "\n").encode("utf-8"), "minami.txt"))


def test_a_web_pages_zero_width_spaces() -> None:
    rows = grid("&#8203;")
    head = "".join(f"<th>{c}</th>" for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows[1:])
    page = f"<html><body><h1>南信州定住自立圏</h1><table><tr>{head}</tr>{body}</table></body></html>"
    expect(read(page.encode("utf-8"), "minami.html"))


def test_a_workbooks_byte_order_marks_inside_cells() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for r in grid("\ufeff"):
        sheet.append([int(v) if v.isdigit() else (v or None) for v in r])
    buffer = io.BytesIO()
    book.save(buffer)
    expect(read(buffer.getvalue(), "minami.xlsx"))


def test_a_web_page_whose_every_mark_has_a_zero_width_space_is_found_among_larger_tables() -> None:
    # A site menu in a larger table before the projects' table, whose every ○ a zero-width space follows.
    menu = "".join(f"<tr>{''.join(f'<td>メニュー{r}-{c}</td>' for c in range(5))}</tr>" for r in range(12))
    rows = grid("")
    head = "".join(f"<th>{c}</th>" for c in rows[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{c}&#8203;</td>" if c == "○" else f"<td>{c}</td>" for c in r) + "</tr>" for r in rows[1:]
    )
    page = (
        f"<html><body><table>{menu}</table><h1>南信州定住自立圏</h1><table><tr>{head}</tr>{body}</table></body></html>"
    )
    expect(read(page.encode("utf-8"), "minami.html"))
