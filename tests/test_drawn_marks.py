"""Marks drawn as shapes over the towns' cells (``ingest.drawn``): an office that marks a printed form draws a
circle with the drawing tools over each town's cell instead of typing ○, and the workbook keeps the circles in
its drawing, not in the cells. Before, every such mark was lost: each row read as taking part nowhere, and its
count disagreed.

Tables of 南信州定住自立圏 (飯田市 and the villages) and 西条・東広島 (another prefecture's names) in XLSX as Excel
writes its drawing (shapes anchored to cells, by position on a sheet of wider columns, grouped), the ODS
LibreOffice Calc saves of it and the XLSX Calc saves again, and an ODS drawn in Calc itself (an ellipse in a
cell, one on the sheet). The towns each project should have are worked out from the marks drawn here.
"""

from __future__ import annotations

import io
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.properties import PageSetupProperties

from conftest import require_command
from drawings import DOUBLE_RING, RING, RING_CSS, Drawn, vml_oval, with_shapes, word_picture, word_shape
from renkei.ingest import read_bytes
from renkei.ingest.drawn import Grid
from renkei.ingest.report import Report, check_reading

MINAMI = ("松川町", "高森町", "阿南町", "阿智村", "平谷村", "根羽村")
# Each project: its number, name and a mark (1) or none (0) per town.
PROJECTS = [
    (1, "広域観光の推進", (1, 1, 1, 1, 1, 1)),
    (2, "地域医療の確保", (1, 0, 1, 0, 1, 0)),
    (3, "移住定住の促進", (0, 1, 1, 0, 0, 1)),
    (4, "公共交通の維持", (0, 0, 0, 1, 1, 1)),
]
FIRST = 3  # the sheet's row of the first project (a title, then the header)
TOWN = 3  # the column of the first town (番号, 事業名, then the towns)


def expected() -> list[list[str]]:
    return [[t for t, m in zip(MINAMI, marks, strict=True) if m] for *_, marks in PROJECTS]


def marked() -> list[tuple[int, int]]:
    """The (row, column) of each mark on the sheet."""
    return [(FIRST + i, TOWN + j) for i, (*_, marks) in enumerate(PROJECTS) for j, m in enumerate(marks) if m]


def workbook(widths: dict[str, float] | None = None, totals: bool = True, legend: str = "") -> bytes:
    """The table with every town cell empty: the marks are only drawn."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["南信州定住自立圏 連携事業一覧（中心市：飯田市）"])
    sheet.append(["番号", "事業名", *MINAMI, "連携町村数"])
    for number, name, marks in PROJECTS:
        sheet.append([number, name, *([None] * len(MINAMI)), sum(marks)])
    if totals:
        sheet.append(["計", None, *[sum(m[j] for *_, m in PROJECTS) for j in range(len(MINAMI))], None])
    if legend:
        sheet.append([legend])
    for letter, width in (widths or {}).items():
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read(data: bytes, name: str) -> Report:
    return check_reading(read_bytes(data, name))


def check(report: Report, mark: str = "○", cells: int | None = None) -> None:
    assert [list(p.participants) for p in report.reading.vision.projects] == expected()
    assert [f.code for f in report.findings if f.severity.value == "error"] == []
    said = {f.params["mark"]: f.params["cells"] for f in report.findings if f.code == "shape-mark"}
    assert said == {mark: len(marked()) if cells is None else cells}


def drawn_workbook() -> bytes:
    return with_shapes(workbook(), [Drawn(r, c) for r, c in marked()])


def test_circles_drawn_over_the_towns_cells_are_their_marks() -> None:
    report = read(drawn_workbook(), "minami.xlsx")
    check(report)
    first = next(f for f in report.findings if f.code == "shape-mark")
    assert (first.location.sheet, first.location.cell) == ("Sheet", "C3")  # the first cell that took a circle
    assert first.severity.value == "warning"  # a guess worth a look: where the centre fell


def test_without_reading_the_drawing_the_marks_would_be_lost() -> None:
    # The same workbook with no drawing: every count disagrees (what a reader of the cells alone gets).
    report = read(workbook(), "minami.xlsx")
    assert all(not p.participants for p in report.reading.vision.projects)
    assert any(f.code == "count-mismatch" for f in report.findings)


def test_circles_on_a_sheet_of_wider_columns_placed_by_position() -> None:
    # The name column set wide and a town's column too; the circles anchored by their place on the sheet
    # (absoluteAnchor), as a workbook moved between programs keeps them.
    widths = {"B": 30.0, "D": 12.0}
    # Excel's stored width w is trunc((256 w + 18) / 256 × 7) pixels of 9,525 EMU (Calibri 11's digit is 7 px).
    emu = {2: int((256 * 30 + 18) / 256 * 7) * 9525, 4: int((256 * 12 + 18) / 256 * 7) * 9525}
    data = with_shapes(workbook(widths), [Drawn(r, c) for r, c in marked()], widths=emu)
    check(read(data, "minami.xlsx"))


def test_a_circle_in_a_circle_and_a_donut_are_double_circles() -> None:
    # 飯田市's lead: ◎ drawn as a small circle in a larger one, or as a donut; a legend says what ◎ is.
    shapes = [Drawn(r, c) for r, c in marked()]
    shapes.append(Drawn(FIRST, TOWN, scale=0.6))  # 松川町 leads project 1
    shapes[marked().index((FIRST + 1, TOWN + 2))] = Drawn(FIRST + 1, TOWN + 2, geometry="donut")  # 阿南町, project 2
    book = workbook(legend="◎：事業の中心となる町村　○：参加する町村")
    report = read(with_shapes(book, shapes), "minami.xlsx")
    vision = report.reading.vision
    assert [list(p.participants) for p in vision.projects] == expected()
    said = {f.params["mark"]: f.params["cells"] for f in report.findings if f.code == "shape-mark"}
    assert said == {"○": len(marked()) - 2, "◎": 2}
    roles = {(p.number, t): r.value for p in vision.projects for t, r in p.participants.items()}
    assert roles[1, "松川町"] == roles[2, "阿南町"] != roles[1, "高森町"]


def test_a_text_box_holding_a_mark_and_a_grouped_drawing() -> None:
    # Project 1's marks typed into text boxes (a shape holding ○); project 4's circles grouped (グループ化).
    first = [(r, c) for r, c in marked() if r == FIRST]
    last = [(r, c) for r, c in marked() if r == FIRST + 3]
    middle = [(r, c) for r, c in marked() if (r, c) not in first + last]
    shapes = [Drawn(r, c, geometry="rect", text="○") for r, c in first] + [Drawn(r, c) for r, c in middle]
    check(read(with_shapes(workbook(), shapes, grouped=[Drawn(r, c) for r, c in last]), "minami.xlsx"))


def test_what_is_no_mark_stays_unread() -> None:
    # A hidden circle, an arrow, a note in a box and a circle around a written word take no town's cell.
    shapes = [Drawn(r, c) for r, c in marked()]
    shapes += [
        Drawn(FIRST + 1, TOWN + 1, hidden=True),  # 高森町 does not take part in project 2
        Drawn(FIRST + 1, TOWN + 3, geometry="rightArrow"),
        Drawn(FIRST + 2, TOWN, geometry="rect", text="令和7年度から参加予定"),
    ]
    report = read(with_shapes(workbook(), shapes), "minami.xlsx")
    check(report)


def test_a_circle_around_a_written_word_keeps_the_word() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["番号", "事業名", *MINAMI[:3], "連携町村数"])
    sheet.append([1, "広域観光の推進", "○", "参加予定", None, 1])
    buffer = io.BytesIO()
    book.save(buffer)
    data = with_shapes(buffer.getvalue(), [Drawn(2, 4), Drawn(2, 5)])
    report = read(data, "circled.xlsx")
    project = report.reading.vision.projects[0]
    assert list(project.participants) == ["松川町", "阿南町"]
    assert project.attributes == {} and "参加予定" not in project.participants
    assert [f.location.cell for f in report.findings if f.code == "shape-mark"] == ["E2"]


def test_a_circle_across_a_border_takes_the_cell_of_its_centre() -> None:
    # Project 3's mark under 阿南町 drawn 0.7 of a column to the right: its centre is in 阿智村's cell. What was
    # read is said at the first cell (the reader cannot know the hand slipped); the count then disagrees.
    shapes = [Drawn(r, c, shift=0.7 if (r, c) == (FIRST + 2, TOWN + 2) else 0.0) for r, c in marked()]
    report = read(with_shapes(workbook(), shapes), "minami.xlsx")
    third = report.reading.vision.projects[2]
    assert list(third.participants) == ["高森町", "阿智村", "根羽村"]
    assert any(f.code == "total-mismatch" for f in report.findings)


def _soffice(tmp_path: Path, source: Path, kind: str, outdir: Path) -> Path:
    soffice = require_command("soffice")
    outdir.mkdir(exist_ok=True)
    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
         kind, "--outdir", str(outdir), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return outdir / f"{source.stem}.{kind}"


def test_calcs_ods_and_calcs_xlsx_of_the_drawn_workbook(tmp_path: Path) -> None:
    (tmp_path / "minami.xlsx").write_bytes(drawn_workbook())
    ods = _soffice(tmp_path, tmp_path / "minami.xlsx", "ods", tmp_path / "ods")
    with zipfile.ZipFile(ods) as archive:
        assert b"draw:custom-shape" in archive.read("content.xml")  # Calc keeps the circles as shapes
    check(read(ods.read_bytes(), "minami.ods"))
    again = _soffice(tmp_path, ods, "xlsx", tmp_path / "xlsx")
    check(read(again.read_bytes(), "minami.xlsx"))


NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"'
)
SAIJO = ("竹原市", "大崎上島町", "三原市")


def calc_ods(far: bool = False) -> bytes:
    """A sheet drawn in Calc: 東広島市's table, its marks ellipses in the cells (anchored to the cell, placed from
    its corner) and one on the sheet itself (anchored to the page, placed from the sheet's corner)."""
    column, row = 0.9, 0.25  # inches: the sheet's column width and row height
    cell = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
    ellipse = (
        '<table:table-cell><draw:ellipse draw:name="楕円" svg:x="0.3in" svg:y="0.05in" svg:width="0.15in"'
        ' svg:height="0.15in"><text:p/></draw:ellipse></table:table-cell>'
    )
    rows = ["".join(cell.format(t) for t in ("番号", "事業名", *SAIJO, "連携市町数"))]
    first = ellipse.replace('svg:x="0.3in"', 'svg:x="1e308in"') if far else ellipse  # a hostile file's
    rows.append(cell.format(1) + cell.format("観光振興") + first + ellipse * 2 + cell.format(3))
    rows.append(cell.format(2) + cell.format("消防の広域化") + ellipse + "<table:table-cell/>" * 2 + cell.format(2))
    # Project 2's mark under 三原市, drawn on the page: column 5 (E), row 3, by inches from the sheet's corner.
    x, y = 4 * column + 0.3, 2 * row + 0.05
    page = (
        f'<table:shapes><draw:custom-shape draw:name="円" svg:x="{x:.3f}in" svg:y="{y:.3f}in" svg:width="0.15in"'
        ' svg:height="0.15in"><text:p/><draw:enhanced-geometry draw:type="ellipse"/></draw:custom-shape></table:shapes>'
    )
    body = "".join(f'<table:table-row table:style-name="ro1">{r}</table:table-row>' for r in rows)
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS} office:version="1.3">'
        '<office:automatic-styles>'
        '<style:style style:name="co1" style:family="table-column">'
        f'<style:table-column-properties style:column-width="{column}in"/></style:style>'
        '<style:style style:name="ro1" style:family="table-row">'
        f'<style:table-row-properties style:row-height="{row}in"/></style:style>'
        "</office:automatic-styles><office:body><office:spreadsheet>"
        f'<table:table table:name="東広島">{page}'
        '<table:table-column table:style-name="co1" table:number-columns-repeated="6"/>'
        f"{body}</table:table></office:spreadsheet></office:body></office:document-content>"
    )  # fmt: skip
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
    return out.getvalue()


def test_an_ods_drawn_in_calc() -> None:
    report = read(calc_ods(), "higashihiroshima.ods")
    assert [list(p.participants) for p in report.reading.vision.projects] == [list(SAIJO), ["竹原市", "三原市"]]
    assert [f.code for f in report.findings if f.severity.value == "error"] == []
    said = [(f.params["mark"], f.params["cells"], f.location.sheet) for f in report.findings if f.code == "shape-mark"]
    assert said == [("○", 5, "東広島")]


def test_a_shape_far_off_the_sheet_reads_no_cell_beyond_the_limits() -> None:
    # A circle anchored 10 million columns to the right (a hostile file): outside every written cell, no cell of
    # the table, and no row ten million cells wide.
    data = with_shapes(workbook(), [Drawn(r, c) for r, c in marked()] + [Drawn(FIRST, 10_000_000)])
    report = read(data, "minami.xlsx")
    assert max(len(p.cells) for p in report.reading.vision.projects) < 100
    check(report)


# PDF: the circles printed as paths -------------------------------------------------------------------------


def _fitted(data: bytes) -> bytes:
    """The workbook set to print on one landscape page, its name column wide (as a secretariat prints it)."""
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet is not None
    sheet.column_dimensions["B"].width = 24
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_calcs_pdf_of_the_drawn_workbook(tmp_path: Path) -> None:
    # Calc prints each circle as a closed path of curves: read as the ○ of the cell it stands in, and its edges
    # are no rules of the table (the totals row under the last circles stays the table's).
    (tmp_path / "minami.xlsx").write_bytes(with_shapes(_fitted(workbook()), [Drawn(r, c) for r, c in marked()]))
    pdf = _soffice(tmp_path, tmp_path / "minami.xlsx", "pdf", tmp_path / "pdf")
    report = read(pdf.read_bytes(), "minami.pdf")
    check(report)
    assert report.reading.vision.declared_totals == dict(
        zip(MINAMI, [sum(m[j] for *_, m in PROJECTS) for j in range(len(MINAMI))], strict=True)
    )


HACHINOHE = ("八戸市", "三戸町", "五戸町", "田子町", "南部町")

DISC = '<svg width="9pt" height="9pt" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5" fill="black"/></svg>'


def web_pdf(rows: list[tuple[int, str, list[str]]], after: str = "") -> bytes:
    """A web page's table of 八戸圏域 printed to PDF by WeasyPrint: its marks drawn by CSS (round borders: a ring,
    a ring in a ring) and an inline SVG (a disc), no character in them."""
    weasyprint = pytest.importorskip("weasyprint")
    body = ""
    for number, name, marks in rows:
        cells = "".join(f"<td>{m}</td>" for m in marks)
        body += f"<tr><td>{number}</td><td>{name}</td>{cells}<td>{sum(1 for m in marks if m)}</td></tr>"
    head = "".join(f"<th>{t}</th>" for t in ("番号", "事業名", *HACHINOHE, "連携市町村数"))
    html = f"""<html><head><style>{RING_CSS}</style></head><body><h1>八戸圏域連携中枢都市圏 連携事業一覧</h1>
    <table><tr>{head}</tr>{body}</table>
    <p>◎：事業を主導する市町村　○：参加する市町村　●：費用のみ負担する市町村</p>{after}</body></html>"""
    return bytes(weasyprint.HTML(string=html).write_pdf())


def test_a_web_pages_marks_drawn_by_css_printed_to_pdf() -> None:
    rows = [
        (1, "救急医療の連携", [DOUBLE_RING, RING, RING, RING, DISC]),
        (2, "広域観光の推進", [RING, "", RING, "", RING]),
        (3, "図書館の相互利用", [RING, "", "", DOUBLE_RING, RING]),
    ]
    report = read(web_pdf(rows), "hachinohe.pdf")
    vision = report.reading.vision
    want = [[t for t, m in zip(HACHINOHE, marks, strict=True) if m] for *_, marks in rows]
    assert [list(p.participants) for p in vision.projects] == want
    assert [f.code for f in report.findings if f.severity.value == "error"] == []
    said = {f.params["mark"]: f.params["cells"] for f in report.findings if f.code == "shape-mark"}
    assert said == {"○": 8, "◎": 2, "●": 1}
    roles = {(p.number, t): r.value for p in vision.projects for t, r in p.participants.items()}
    assert (roles[1, "八戸市"], roles[3, "田子町"], roles[1, "三戸町"]) == ("lead", "lead", "member")
    assert roles[1, "南部町"] == "member"  # ● takes part (the legend's 費用のみ負担 is no lead)


def test_a_circled_word_and_a_map_after_the_table_are_no_marks() -> None:
    # 済 circled in a cell stays 済 (an unknown mark, said at its cell); a page after the table with a map's
    # round symbols beside place names is no page of the table.
    circled = '<span style="border: 1pt solid #000; border-radius: 50%; padding: 1pt">済</span>'
    rows = [(1, "救急医療の連携", [RING, RING, circled, "", ""]), (2, "広域観光の推進", [RING, "", RING, "", RING])]
    places = "".join(f"<p>{RING}　{p}</p>" for p in ("種差海岸", "八戸港", "三戸城跡", "新郷村"))
    report = read(web_pdf(rows, f'<div class="page"><h2>圏域の主な施設</h2>{places}</div>'), "hachinohe.pdf")
    assert [f.params["pages"] for f in report.findings if f.code == "pdf-pages"] == ["1"]
    assert [f.params["mark"] for f in report.findings if f.code == "unknown-mark"] == ["済"]
    assert {f.params["mark"]: f.params["cells"] for f in report.findings if f.code == "shape-mark"} == {"○": 5}


def test_shapes_at_impossible_places_are_left_unread() -> None:
    # A hostile workbook's circle at an offset of 1e400 EMU, another at a negative one, one anchored to column
    # 1e400 and row nan, and an ODS shape at 1e308 inches: no cell, no crash, the marks that can be read read.
    data = with_shapes(workbook(), [Drawn(r, c) for r, c in marked()])
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        drawing = source.read("xl/drawings/drawing1.xml").decode("utf-8")
    extra = (
        '<xdr:absoluteAnchor><xdr:pos x="1e400" y="5"/><xdr:ext cx="10" cy="10"/><xdr:sp><xdr:spPr>'
        '<a:prstGeom prst="ellipse"/></xdr:spPr></xdr:sp><xdr:clientData/></xdr:absoluteAnchor>'
        '<xdr:absoluteAnchor><xdr:pos x="-90000000" y="5"/><xdr:ext cx="10" cy="10"/><xdr:sp><xdr:spPr>'
        '<a:prstGeom prst="ellipse"/></xdr:spPr></xdr:sp><xdr:clientData/></xdr:absoluteAnchor>'
        "<xdr:twoCellAnchor><xdr:from><xdr:col>1e400</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>nan</xdr:row>"
        "<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>3</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>3</xdr:row>"
        '<xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:sp><xdr:spPr><a:prstGeom prst="ellipse"/></xdr:spPr></xdr:sp>'
        "<xdr:clientData/></xdr:twoCellAnchor>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            part = source.read(item.filename)
            if item.filename == "xl/drawings/drawing1.xml":
                part = drawing.replace("</xdr:wsDr>", extra + "</xdr:wsDr>").encode("utf-8")
            target.writestr(item, part)
    check(read(out.getvalue(), "minami.xlsx"))
    report = read(calc_ods(far=True), "higashihiroshima.ods")
    assert list(report.reading.vision.projects[0].participants) == list(SAIJO[1:])


# Word: circles drawn over a table's cells ------------------------------------------------------------------

ASO = ("阿蘇市", "南小国町", "小国町", "産山村", "高森町")
ASO_ROWS = [
    (1, "阿蘇地域の救急医療体制", "Lxxxx"),
    (2, "草原の維持と観光振興", "xx-x-"),
    (3, "地域公共交通の確保", "x-L-x"),
]


def word_table(mark_of: Callable[[int, int, str], str]) -> bytes:
    """阿蘇's table in Word with every town cell empty but for the run ``mark_of`` gives (row, town, letter)."""
    document = Document()
    document.add_heading("阿蘇定住自立圏 連携事業", 1)
    table = document.add_table(rows=len(ASO_ROWS) + 1, cols=len(ASO) + 3)
    for c, text in enumerate(["番号", "事業名", *ASO, "関係市町村数"]):
        table.cell(0, c).text = text
    for r, (number, name, marks) in enumerate(ASO_ROWS, start=1):
        table.cell(r, 0).text, table.cell(r, 1).text = str(number), name
        table.cell(r, len(ASO) + 2).text = str(sum(1 for m in marks if m != "-"))
        for j, m in enumerate(marks):
            if m != "-":
                runs = etree.fromstring(f"<runs>{mark_of(r, j, m)}</runs>")
                table.cell(r, 2 + j).paragraphs[0]._p.extend(list(runs))
    document.add_paragraph("◎：取りまとめを行う市町村　○：連携する市町村")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def aso_check(report: Report, said: dict[str, int]) -> None:
    vision = report.reading.vision
    assert [list(p.participants) for p in vision.projects] == [
        [t for t, m in zip(ASO, marks, strict=True) if m != "-"] for *_, marks in ASO_ROWS
    ]
    roles = [{t: r.value for t, r in p.participants.items()} for p in vision.projects]
    assert roles == [
        {t: "lead" if m == "L" else "member" for t, m in zip(ASO, marks, strict=True) if m != "-"}
        for *_, marks in ASO_ROWS
    ]
    assert [f.code for f in report.findings if f.severity.value == "error"] == []
    assert {f.params["mark"]: f.params["cells"] for f in report.findings if f.code == "shape-mark"} == said


def test_circles_drawn_over_a_word_tables_cells() -> None:
    # Word's drawn circles (DrawingML with the VML copy older readers take: counted once); a lead's ◎ drawn as a
    # donut, or as two circles in its cell.
    def mark(r: int, j: int, m: str) -> str:
        if m != "L":
            return word_shape(index=10 * r + j)
        return word_shape("donut", index=10 * r + j) if r == 1 else word_shape(index=90) + word_shape(index=91)

    leads = sum(m == "L" for *_, marks in ASO_ROWS for m in marks)
    marks = sum(m != "-" for *_, marks in ASO_ROWS for m in marks)
    aso_check(read(word_table(mark), "aso.docx"), {"○": marks - leads, "◎": leads})


def test_old_words_ovals_pictures_and_text_boxes() -> None:
    # A VML oval alone (Word 2007), a picture of a circle described ○ (its alternative text), a text box holding ◎
    # (its text is the paragraph's own: read as the cell's text, no shape to say).
    def mark(r: int, j: int, m: str) -> str:
        if m == "L":
            return word_shape("rect", text="◎", vml=False, index=10 * r + j)
        return vml_oval() if (r + j) % 2 else word_picture("○", index=10 * r + j)

    leads = sum(m == "L" for *_, marks in ASO_ROWS for m in marks)
    marks = sum(m != "-" for *_, marks in ASO_ROWS for m in marks)
    aso_check(read(word_table(mark), "aso.docx"), {"○": marks - leads})


# A web page: marks drawn by inline SVG, icons named for screen readers ---------------------------------------

UEDA = ("上田市", "東御市", "長和町", "青木村", "坂城町")
UEDA_ROWS = [(1, "上田地域の救急医療", "Lxxxx"), (2, "信州上田の広域観光", "xx-x-"), (3, "移住促進の連携", "x-Lx-")]
OPEN_CIRCLE = (
    '<svg width="12" height="12" viewBox="0 0 12 12"><circle cx="6" cy="6" r="5" fill="none" stroke="#000"/></svg>'
)
DOT = '<svg width="12" height="12" viewBox="0 0 12 12"><circle cx="6" cy="6" r="5"/></svg>'


def ueda_page(cell: Callable[[int, int, str], str]) -> bytes:
    head = "".join(f"<th>{c}</th>" for c in ["番号", "事業名", *UEDA, "関係市町村数"])
    body = ""
    for r, (number, name, marks) in enumerate(UEDA_ROWS, start=1):
        cells = "".join(f"<td>{cell(r, j, m) if m != '-' else ''}</td>" for j, m in enumerate(marks))
        body += f"<tr><td>{number}</td><td>{name}</td>{cells}<td>{sum(m != '-' for m in marks)}</td></tr>"
    legend = "<p>●：事業の主体となる市町村　○：連携する市町村</p>"
    page = f"<html><body><h1>上田地域定住自立圏</h1><table><tr>{head}</tr>{body}</table>{legend}</body></html>"
    return page.encode("utf-8")


def ueda_check(report: Report) -> None:
    vision = report.reading.vision
    roles = [{t: r.value for t, r in p.participants.items()} for p in vision.projects]
    assert roles == [
        {t: "lead" if m == "L" else "member" for t, m in zip(UEDA, marks, strict=True) if m != "-"}
        for *_, marks in UEDA_ROWS
    ]
    assert [f.code for f in report.findings if f.severity.value == "error"] == []


def test_a_web_pages_marks_drawn_as_inline_svg() -> None:
    # An open circle for taking part, a filled one for the lead: no text, no name.
    ueda_check(read(ueda_page(lambda r, j, m: DOT if m == "L" else OPEN_CIRCLE), "ueda.html"))


def test_a_web_pages_icons_named_for_screen_readers() -> None:
    # The icons say what they are to the ear: role="img" with aria-label, or an SVG's own <title>.
    def cell(r: int, j: int, m: str) -> str:
        if m == "L":
            return '<span class="icon icon-lead" role="img" aria-label="●"></span>'
        return '<svg viewBox="0 0 12 12"><title>○</title><path d="M1 6a5 5 0 1 0 10 0a5 5 0 1 0-10 0"/></svg>'

    ueda_check(read(ueda_page(cell), "ueda.html"))


def test_an_svg_that_draws_no_circle_is_no_mark() -> None:
    # A chart or an arrow drawn in a cell says nothing: the cell is empty, and the counts disagree.
    arrow = '<svg viewBox="0 0 12 12"><path d="M1 6h10"/><circle cx="6" cy="6" r="1"/></svg>'
    report = read(ueda_page(lambda r, j, m: arrow), "ueda.html")
    assert all(not p.participants for p in report.reading.vision.projects)


@given(
    widths=st.dictionaries(st.integers(1, 40), st.sampled_from([20.0, 64.0, 150.0, 400.0]), max_size=12),
    at=st.floats(0, 5000),
)
def test_a_point_falls_in_the_column_whose_edges_hold_it(widths: dict[int, float], at: float) -> None:
    # The grid's columns laid end to end, one by one: the point's column and each column's start agree.
    grid = Grid(widths, {}, 64.0, 15.0)
    edges = [0.0]
    for c in range(1, 200):
        edges.append(edges[-1] + widths.get(c, 64.0))
    assert all(grid.column_start(c) == pytest.approx(edges[c - 1]) for c in range(1, 50))
    assert edges[grid.cell_at(at, 0)[1] - 1] <= at < edges[grid.cell_at(at, 0)[1]]
