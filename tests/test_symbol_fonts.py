"""Marks typed as letters of a symbol font (Excel shows ✓ where the cell holds ü in Wingdings, ● for l): read as
the mark the font shows, said once per letter (``symbol-font-mark``). The same letter in an ordinary font is no
mark."""

from __future__ import annotations

import io
import subprocess

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
    # Not the font's mark: a mark no list knows, which only the table's own counts can make one, and say so.
    assert {"unknown-mark", "mark-by-counts"} & {f.code for f in report.findings}


# The same in an OpenDocument spreadsheet: Calc keeps the letter and the cell's style names the font.


@pytest.fixture(scope="module")
def calc_saved(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The workbook of Wingdings ü saved as ODS by LibreOffice Calc itself (its styles, as a user's file has)."""
    from conftest import require_command

    soffice = require_command("soffice")
    work = tmp_path_factory.mktemp("ods-symbols")
    (work / "table.xlsx").write_bytes(workbook("ü", "Wingdings"))
    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{work}/profile", "--convert-to", "ods",
         "--outdir", str(work), str(work / "table.xlsx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return (work / "table.ods").read_bytes()


def test_calcs_own_ods_reads_a_symbol_fonts_letter_as_its_mark(calc_saved: bytes) -> None:
    report = check_reading(read_bytes(calc_saved, "table.ods"))
    assert [list(p.participants) for p in report.reading.vision.projects] == taking_part()
    said = [f for f in report.findings if f.code == "symbol-font-mark"]
    assert [(f.params["written"], f.params["shown"], f.params["font"]) for f in said] == [("ü", "✓", "Wingdings")]
    assert said[0].params["cells"] == sum(m.count("x") for _, _, m in MARKS)
    assert said[0].location is not None and said[0].location.cell == "C2"
    assert not [f for f in report.findings if f.severity.value == "error"]


def ods(font_of: str, how: str) -> bytes:
    """An ODS whose marks are ``l`` in ``font_of``, the font given ``how``: by a named style of styles.xml that the
    cells' automatic style inherits (``parent``), by the columns' default cell style (``column``), or by a span
    around the letter (``span``)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import FontFace, Style, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P, Span

    document = OpenDocumentSpreadsheet()
    face = FontFace(name="記号フォント", fontfamily=f"'{font_of}'")
    document.fontfacedecls.addElement(face)
    named = Style(name="記号", family="table-cell")
    named.addElement(TextProperties(fontname="記号フォント"))
    document.styles.addElement(named)
    automatic = Style(name="ce1", family="table-cell", parentstylename=named)
    document.automaticstyles.addElement(automatic)
    letter = Style(name="T1", family="text")
    letter.addElement(TextProperties(fontname="記号フォント"))
    document.automaticstyles.addElement(letter)
    table = Table(name="事業")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    marks_style = {"defaultcellstylename": automatic} if how == "column" else {}
    table.addElement(TableColumn(numbercolumnsrepeated=len(TOWNS), **marks_style))
    table.addElement(TableColumn())
    for texts in [["番号", "事業名", *TOWNS, "連携市町数"]] + [
        [n, name, *("l" if m == "x" else "" for m in marks), str(marks.count("x"))] for n, name, marks in MARKS
    ]:
        row = TableRow()
        for c, text in enumerate(texts):
            mark = text == "l" and 2 <= c < 2 + len(TOWNS)
            cell = TableCell(stylename=automatic) if mark and how == "parent" else TableCell()
            if mark and how == "span":
                paragraph = P()
                paragraph.addElement(Span(stylename=letter, text=text))
                cell.addElement(paragraph)
            elif text:
                cell.addElement(P(text=text))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


@pytest.mark.parametrize("how", ["parent", "column", "span"])
def test_an_ods_letter_in_a_symbol_font_is_its_mark_however_the_style_gives_it(how: str) -> None:
    report = check_reading(read_bytes(ods("Wingdings", how), "table.ods"))
    assert [list(p.participants) for p in report.reading.vision.projects] == taking_part()
    said = [f for f in report.findings if f.code == "symbol-font-mark"]
    assert [(f.params["shown"], f.params["font"]) for f in said] == [("●", "Wingdings")]
    assert said[0].location is not None and said[0].location.cell == "C2"


def test_an_ods_letter_in_an_ordinary_font_stays_an_unknown_mark() -> None:
    report = check_reading(read_bytes(ods("IPAexGothic", "parent"), "table.ods"))
    assert "symbol-font-mark" not in [f.code for f in report.findings]
    assert {"unknown-mark", "mark-by-counts"} & {f.code for f in report.findings}


@pytest.mark.parametrize(
    ("fontname", "text", "shown"),
    [
        ("ABCDEF+Wingdings-Regular", "l", "●"),  # Word's own PDF: the letter, in the font it names
        ("Wingdings", "\uf0a1", "○"),  # the symbol font's private code (U+F0A1 is ¡)
        ("FAAAAA+OpenSymbol", "\uf06c", "●"),  # LibreOffice prints Wingdings in OpenSymbol, keeping its codes
        ("BCDEFG+Wingdings2", "P", "✓"),
        ("Webdings", "a", "✓"),
        ("ABCDEF+MS-Mincho", "l", "l"),  # an ordinary font's letter is itself
        ("ABCDEF+Wingdings-Regular", "\u3042", "\u3042"),  # and a character no symbol font's letter
    ],
)
def test_a_pdfs_symbol_font_letter_is_the_mark_it_draws(fontname: str, text: str, shown: str) -> None:
    from renkei.ingest.pdf import _shown

    char = {"text": text, "fontname": fontname, "x0": 0.0, "x1": 5.0, "top": 0.0, "bottom": 5.0}
    assert _shown(char)["text"] == shown
