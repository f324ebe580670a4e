"""Build the seventh shapes corpus: tables of eleven more real spheres, each in a shape renkei misread before it was
found and mended: marks drawn as shapes over the towns' cells (Excel's drawing, a group and a donut, Calc's own
ellipses, Word's shapes in a table, the circles printed to PDF by a browser's engine and by Calc, Word's
Wingdings symbols printed to PDF) and projects
listed again (再掲: after the name, before it with the first listing's number, in a note column with the name
reworded, counted again by the totals row). What a correct reading yields stands beside each
(``NAME.expect.json``, the schema of ``../shapes3``), written here from the same specification as the table,
never read back from renkei.

    python tests/corpus/shapes7/build.py

The files are checked in; the build needs openpyxl, python-docx and WeasyPrint (the test extras and renkei's
own), and LibreOffice (``soffice``) for the one PDF Calc prints.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # tests/: the drawing helper

from drawings import DOUBLE_RING, RING, RING_CSS, Drawn, vml_oval, with_shapes, word_shape  # noqa: E402


@dataclass
class Table:
    """One table: its sphere, its towns (in column order), and its projects as (number, name, marks), marks one
    letter a town: x taking part, - not, L a lead (◎)."""

    file: str
    about: str
    sphere: tuple[str, str]
    towns: list[str]
    projects: list[tuple[int, str, str]]
    exit: int = 0
    faults: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    again: set[int] = field(default_factory=set)  # the indexes of the rows listed again (再掲)

    def participants(self, marks: str) -> list[str]:
        return [t for t, m in zip(self.towns, marks, strict=True) if m != "-"]

    def expect(self) -> dict[str, Any]:
        projects = []
        for n, name, marks in self.projects:
            project: dict[str, Any] = {"number": n, "name": name, "participants": self.participants(marks)}
            if "L" in marks:
                project["roles"] = {
                    t: "lead" if m == "L" else "member" for t, m in zip(self.towns, marks, strict=True) if m != "-"
                }
            projects.append(project)
        return {
            "file": self.file,
            "about": self.about,
            "sphere": {"name": self.sphere[0], "kind": self.sphere[1]},
            "args": [],
            "annex": None,
            "exit": self.exit,
            "municipalities": self.towns,
            "projects": projects,
            "deliberate_faults": self.faults,
            "expected_findings": self.findings,
        }

    def totals(self, counting_again: bool = False) -> list[int]:
        rows = [p for i, p in enumerate(self.projects) if counting_again or i not in self.again]
        return [sum(1 for *_, m in rows if m[i] != "-") for i in range(len(self.towns))]


def count(marks: str) -> int:
    return sum(1 for m in marks if m != "-")


def write(table: Table, data: bytes) -> None:
    (HERE / table.file).write_bytes(data)
    expect = json.dumps(table.expect(), ensure_ascii=False, indent=1) + "\n"
    (HERE / f"{table.file}.expect.json").write_text(expect, encoding="utf-8")


def workbook_bytes(book: Any) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def drawn_sheet(t: Table, title: str, legend: str = "") -> tuple[Any, list[tuple[int, int, str]]]:
    """A workbook of the table with every town cell empty, and the (row, column, mark) of each mark to draw."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([title])
    sheet.append(["番号", "事業名", *t.towns, "連携市町村数"])
    marks = []
    for r, (n, name, letters) in enumerate(t.projects, start=3):
        sheet.append([n, name, *([None] * len(t.towns)), count(letters)])
        marks += [(r, 3 + j, m) for j, m in enumerate(letters) if m != "-"]
    sheet.append(["計", None, *t.totals(), None])
    if legend:
        sheet.append([legend])
    sheet.column_dimensions["B"].width = 26
    return book, marks


def findings(*codes: str) -> list[dict[str, Any]]:
    return [{"code": c} for c in codes]


# s01: Excel's drawn circles (十勝) ---------------------------------------------------------------------------

TOKACHI = Table(
    "s01_xlsx_circles_drawn_tokachi.xlsx",
    "XLSX of 十勝定住自立圏 whose marks are circles drawn with Excel's drawing tools over empty town cells "
    "(a drawing anchored to cells; nothing in the cells)",
    ("十勝定住自立圏", "定住自立圏"),
    ["帯広市", "音更町", "士幌町", "上士幌町", "鹿追町", "新得町"],
    [
        (1, "救急医療体制の確保", "xxxxxx"),
        (2, "とかち広域観光の推進", "xx-x-x"),
        (3, "図書館の広域利用", "xxx---"),
        (4, "移住・定住の促進", "x-x-xx"),
    ],
    findings=findings("shape-mark"),
)


def build_tokachi() -> None:
    t = TOKACHI
    book, marks = drawn_sheet(t, "十勝定住自立圏 連携事業一覧")
    write(t, with_shapes(workbook_bytes(book), [Drawn(r, c) for r, c, _ in marks]))


# s02: a group of circles and a donut for the lead (人吉球磨) -------------------------------------------------

HITOYOSHI = Table(
    "s02_xlsx_grouped_circles_donut_lead_hitoyoshi_kuma.xlsx",
    "XLSX of 人吉球磨定住自立圏: the first project's circles grouped (Excel's グループ化), each lead's mark a donut "
    "(◎ drawn as a ring), a legend under the table saying ◎ leads",
    ("人吉球磨定住自立圏", "定住自立圏"),
    ["人吉市", "錦町", "多良木町", "湯前町", "水上村", "相良村"],
    [
        (1, "球磨川流域の観光振興", "Lxxxxx"),
        (2, "地域医療の連携", "L-x-x-"),
        (3, "公共交通の確保", "xLx--x"),
    ],
    findings=findings("shape-mark"),
)


def build_hitoyoshi() -> None:
    t = HITOYOSHI
    book, marks = drawn_sheet(t, "人吉球磨定住自立圏 連携事業一覧", "◎：事業の中心となる市町村　○：連携する市町村")
    first = [Drawn(r, c, geometry="donut" if m == "L" else "ellipse") for r, c, m in marks if r == 3]
    rest = [Drawn(r, c, geometry="donut" if m == "L" else "ellipse") for r, c, m in marks if r != 3]
    write(t, with_shapes(workbook_bytes(book), rest, grouped=first))


# s03: Calc's own ellipses in the cells (下北) ------------------------------------------------------------------

SHIMOKITA = Table(
    "s03_ods_calc_ellipses_shimokita.ods",
    "ODS drawn in LibreOffice Calc for 下北圏域定住自立圏: each mark an ellipse anchored to its cell (draw:ellipse "
    "in the table cell, placed from the cell's corner), one on the page (table:shapes, from the sheet's corner)",
    ("下北圏域定住自立圏", "定住自立圏"),
    ["むつ市", "大間町", "東通村", "風間浦村", "佐井村"],
    [
        (1, "ドクターヘリの運航連携", "xxxxx"),
        (2, "下北ジオパークの推進", "xx-xx"),
        (3, "ごみ処理の広域化", "x-x--"),
    ],
    findings=findings("shape-mark"),
)
ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
)


def build_shimokita() -> None:
    t = SHIMOKITA
    column, row = 0.9, 0.25  # inches
    text = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
    ellipse = (
        '<table:table-cell><draw:ellipse draw:name="楕円" svg:x="0.3in" svg:y="0.05in" svg:width="0.15in"'
        ' svg:height="0.15in"><text:p/></draw:ellipse></table:table-cell>'
    )
    rows = [
        text.format("下北圏域定住自立圏 連携事業一覧"),
        "".join(text.format(c) for c in ["番号", "事業名", *t.towns, "連携市町村数"]),
    ]
    page = ""
    for r, (n, name, marks) in enumerate(t.projects, start=3):
        cells = text.format(n) + text.format(name)
        for j, m in enumerate(marks):
            if m == "-":
                cells += "<table:table-cell/>"
            elif (n, j) == (3, 2):  # 東通村's mark of project 3, drawn on the page
                cells += "<table:table-cell/>"
                x, y = (2 + j) * column + 0.3, (r - 1) * row + 0.05
                page = (
                    f'<table:shapes><draw:ellipse draw:name="楕円" svg:x="{x:.3f}in" svg:y="{y:.3f}in"'
                    ' svg:width="0.15in" svg:height="0.15in"><text:p/></draw:ellipse></table:shapes>'
                )
            else:
                cells += ellipse
        rows.append(cells + text.format(count(marks)))
    rows.append(text.format("計") + "<table:table-cell/>" + "".join(text.format(v) for v in t.totals()))
    body = "".join(f'<table:table-row table:style-name="ro1">{r}</table:table-row>' for r in rows)
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} office:version="1.3">'
        "<office:automatic-styles>"
        '<style:style style:name="co1" style:family="table-column">'
        f'<style:table-column-properties style:column-width="{column}in"/></style:style>'
        '<style:style style:name="ro1" style:family="table-row">'
        f'<style:table-row-properties style:row-height="{row}in"/></style:style>'
        "</office:automatic-styles><office:body><office:spreadsheet>"
        f'<table:table table:name="連携事業">{page}'
        '<table:table-column table:style-name="co1" table:number-columns-repeated="8"/>'
        f"{body}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
    write(t, out.getvalue())


# s04: a web page's marks drawn by CSS, printed to PDF (北しりべし) ------------------------------------------

SHIRIBESHI = Table(
    "s04_pdf_css_rings_kita_shiribeshi.pdf",
    "PDF of a web page of 北しりべし定住自立圏 printed by WeasyPrint: each mark a round CSS border (a ring, no "
    "character), the leads a ring in a ring (◎, a legend says it leads)",
    ("北しりべし定住自立圏", "定住自立圏"),
    ["小樽市", "積丹町", "古平町", "仁木町", "余市町", "赤井川村"],
    [
        (1, "救急医療の確保", "Lxxxxx"),
        (2, "しりべし広域観光の推進", "xx-Lx-"),
        (3, "ごみの広域処理", "L--xxx"),
    ],
    findings=findings("shape-mark"),
)


def build_shiribeshi() -> None:
    import weasyprint

    t = SHIRIBESHI
    ring, double = RING, DOUBLE_RING
    body = ""
    for n, name, marks in t.projects:
        cells = "".join(f"<td>{double if m == 'L' else ring if m == 'x' else ''}</td>" for m in marks)
        body += f"<tr><td>{n}</td><td>{name}</td>{cells}<td>{count(marks)}</td></tr>"
    body += "<tr><td>計</td><td></td>" + "".join(f"<td>{v}</td>" for v in t.totals()) + "<td></td></tr>"
    head = "".join(f"<th>{c}</th>" for c in ["番号", "事業名", *t.towns, "連携市町村数"])
    html = f"""<html><head><style>{RING_CSS}</style></head><body><h1>北しりべし定住自立圏 連携事業一覧</h1>
    <table><tr>{head}</tr>{body}</table><p>◎：事業を主に担う市町村　○：連携する市町村</p></body></html>"""
    write(t, bytes(weasyprint.HTML(string=html).write_pdf()))


# s05: Calc's PDF of a workbook with drawn circles (富良野) -----------------------------------------------------

FURANO = Table(
    "s05_pdf_calc_printed_circles_furano.pdf",
    "PDF LibreOffice Calc printed of a workbook of 富良野地区定住自立圏 whose marks are drawn circles: each a closed "
    "path of curves, no character, its edges no rules of the table",
    ("富良野地区定住自立圏", "定住自立圏"),
    ["富良野市", "上富良野町", "中富良野町", "南富良野町", "占冠村"],
    [
        (1, "地域医療の連携", "xxxxx"),
        (2, "広域観光の推進", "xx-x-"),
        (3, "移住促進の連携", "x-xx-"),
        (4, "鳥獣被害対策", "x---x"),
    ],
    findings=findings("shape-mark"),
)


def build_furano() -> None:
    from openpyxl.worksheet.properties import PageSetupProperties

    t = FURANO
    book, marks = drawn_sheet(t, "富良野地区定住自立圏 連携事業一覧")
    sheet = book.active
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    data = with_shapes(workbook_bytes(book), [Drawn(r, c) for r, c, _ in marks])
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "furano.xlsx"
        source.write_bytes(data)
        subprocess.run(
            ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{folder}/profile",
             "--convert-to", "pdf", "--outdir", folder, str(source)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        write(t, (Path(folder) / "furano.pdf").read_bytes())


# s06: Word's drawn circles over a table's cells (ちちぶ) --------------------------------------------------------

CHICHIBU = Table(
    "s06_docx_circles_drawn_chichibu.docx",
    "Word table of ちちぶ定住自立圏 whose marks are circles drawn over the empty cells (DrawingML anchored in each "
    "cell's paragraph, with the VML copy Word keeps; a lead's mark two circles one in the other; one mark an old "
    "VML oval alone), a legend under the table saying ◎ leads",
    ("ちちぶ定住自立圏", "定住自立圏"),
    ["秩父市", "横瀬町", "皆野町", "長瀞町", "小鹿野町"],
    [
        (1, "ちちぶ医療連携の推進", "Lxxxx"),
        (2, "広域観光の推進", "xx-xL"),
        (3, "移住相談窓口の共同運営", "x-xx-"),
    ],
    findings=findings("shape-mark"),
)


def build_chichibu() -> None:
    from docx import Document
    from lxml import etree

    t = CHICHIBU
    document = Document()
    document.add_heading("ちちぶ定住自立圏共生ビジョン　連携事業", 1)
    table = document.add_table(rows=len(t.projects) + 2, cols=len(t.towns) + 3)
    for c, text in enumerate(["番号", "事業名", *t.towns, "関係市町数"]):
        table.cell(0, c).text = text
    for r, (n, name, marks) in enumerate(t.projects, start=1):
        table.cell(r, 0).text, table.cell(r, 1).text = str(n), name
        table.cell(r, len(t.towns) + 2).text = str(count(marks))
        for j, m in enumerate(marks):
            if m == "-":
                continue
            runs = word_shape(index=100 + 10 * r + j) + word_shape(index=200 + 10 * r + j) if m == "L" else None
            runs = runs or (vml_oval() if (r, j) == (3, 3) else word_shape(index=10 * r + j))
            table.cell(r, 2 + j).paragraphs[0]._p.extend(list(etree.fromstring(f"<runs>{runs}</runs>")))
    for c, text in enumerate(["計", "", *(str(v) for v in t.totals()), ""]):
        table.cell(len(t.projects) + 1, c).text = text
    document.add_paragraph("◎：事業を取りまとめる市町　○：連携する市町")
    out = io.BytesIO()
    document.save(out)
    write(t, out.getvalue())


# s07: a Word document's Wingdings marks printed to PDF (利根沼田) ------------------------------------------------

TONE_NUMATA = Table(
    "s07_pdf_wingdings_symbols_tone_numata.pdf",
    "PDF LibreOffice Writer printed of a Word table of 利根沼田地域定住自立圏 whose marks are symbols inserted in "
    "Wingdings (● as l, F06C; ○ as ¡, F0A1): the PDF's text holds the symbol font's private codes, printed in "
    "OpenSymbol; a legend saying ● leads",
    ("利根沼田地域定住自立圏", "定住自立圏"),
    ["沼田市", "片品村", "川場村", "昭和村", "みなかみ町"],
    [
        (1, "利根沼田医療圏の救急体制", "Lxxxx"),
        (2, "尾瀬と谷川岳の広域観光", "xL-xx"),
        (3, "移住定住の相談体制", "x-x-x"),
    ],
    findings=findings(),
)


def build_tone_numata() -> None:
    from docx import Document
    from docx.oxml import parse_xml

    t = TONE_NUMATA
    document = Document()
    document.add_heading("利根沼田地域定住自立圏共生ビジョン　連携事業", 1)
    table = document.add_table(rows=len(t.projects) + 2, cols=len(t.towns) + 3)
    for c, text in enumerate(["番号", "事業名", *t.towns, "関係市町村数"]):
        table.cell(0, c).text = text
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for r, (n, name, marks) in enumerate(t.projects, start=1):
        table.cell(r, 0).text, table.cell(r, 1).text = str(n), name
        table.cell(r, len(t.towns) + 2).text = str(count(marks))
        for j, m in enumerate(marks):
            if m != "-":
                char = "F06C" if m == "L" else "F0A1"
                run = f'<w:r xmlns:w="{w}"><w:sym w:font="Wingdings" w:char="{char}"/></w:r>'
                table.cell(r, 2 + j).paragraphs[0]._p.append(parse_xml(run))
    for c, text in enumerate(["計", "", *(str(v) for v in t.totals()), ""]):
        table.cell(len(t.projects) + 1, c).text = text
    # Landscape, the name's column wide and the towns' narrow, as a secretariat sets its table.
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    table.autofit = False
    widths = [Cm(1.2), Cm(7.5), *[Cm(2.2)] * len(t.towns), Cm(2.6)]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid's, which a word processor lays the table out by
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    document.add_paragraph("●：事業の主体となる市町村　○：連携する市町村")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "tone.docx"
        document.save(str(source))
        subprocess.run(
            ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{folder}/profile",
             "--convert-to", "pdf", "--outdir", folder, str(source)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        write(t, (Path(folder) / "tone.pdf").read_bytes())


# r01: a repost after the name (新潟広域) ------------------------------------------------------------------------

NIIGATA = Table(
    "r01_csv_repost_after_name_niigata.csv",
    "CSV of 新潟広域都市圏 with a field column: project 4 lists project 1 again under another field, its name "
    "marked （再掲）; the totals row counts each project once",
    ("新潟広域都市圏", "連携中枢都市圏"),
    ["新潟市", "三条市", "新発田市", "加茂市", "燕市", "五泉市"],
    [
        (1, "救急医療体制の広域連携", "xxxxxx"),
        (2, "産業振興の広域連携", "xx-xx-"),
        (3, "広域観光の推進", "x-x-xx"),
        (4, "救急医療体制の広域連携（再掲）", "xxxxxx"),
        (5, "公共交通の利便性向上", "xx--x-"),
    ],
    findings=findings(),
    again={3},
)


def build_niigata() -> None:
    t = NIIGATA
    fields = ["医療", "産業", "観光", "福祉", "交通"]
    rows: list[list[object]] = [["新潟広域都市圏 連携事業一覧"], ["番号", "分野", "事業名", *t.towns, "連携市町村数"]]
    for (n, name, marks), f in zip(t.projects, fields, strict=True):
        rows.append([n, f, name, *("○" if m == "x" else "" for m in marks), count(marks)])
    rows.append(["合計", "", "", *t.totals(), ""])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    write(t, out.getvalue().encode("utf-8"))


# r02: 【再掲】 before the name, the first listing's number again, field headings (中空知) ----------------------------

NAKA_SORACHI = Table(
    "r02_xlsx_repost_number_repeated_naka_sorachi.xlsx",
    "XLSX of 中空知定住自立圏: field headings as rows; under 福祉 the project 1 of 医療 listed again as 【再掲】 with "
    "its number 1 (a repost is no duplicate number); the totals count each project once",
    ("中空知定住自立圏", "定住自立圏"),
    ["滝川市", "砂川市", "芦別市", "赤平市", "歌志内市", "奈井江町"],
    [
        (1, "中空知地域医療連携の推進", "xxxxxx"),
        (2, "救急医療体制の維持", "xxx-x-"),
        (3, "障がい者の相談支援", "xx-xx-"),
        (1, "【再掲】中空知地域医療連携の推進", "xxxxxx"),
        (4, "介護人材の確保", "x-xx-x"),
    ],
    findings=findings(),
    again={3},
)


def build_naka_sorachi() -> None:
    from openpyxl import Workbook

    t = NAKA_SORACHI
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["中空知定住自立圏 共生ビジョン 連携事業"])
    sheet.append(["番号", "事業名", *t.towns, "関係市町数"])
    for i, (n, name, marks) in enumerate(t.projects):
        if i == 0:
            sheet.append(["ア　医療"])
        if i == 2:
            sheet.append(["イ　福祉"])
        sheet.append([n, name, *("○" if m == "x" else None for m in marks), count(marks)])
    sheet.append(["計", None, *t.totals(), None])
    write(t, workbook_bytes(book))


# r03: a note column 再掲（No.2）, the name reworded (村上岩船) ------------------------------------------------------

MURAKAMI = Table(
    "r03_docx_repost_in_note_murakami_iwafune.docx",
    "Word table of 村上岩船定住自立圏 with a 備考 column: project 4 (its name reworded) is noted 再掲（No.2）; "
    "the totals count each project once",
    ("村上岩船定住自立圏", "定住自立圏"),
    ["村上市", "関川村", "粟島浦村"],
    [
        (1, "地域医療体制の確保", "xxx"),
        (2, "公共交通ネットワークの維持", "xx-"),
        (3, "観光資源の連携活用", "x-x"),
        (4, "地域公共交通の確保（航路・バス）", "xx-"),
    ],
    findings=findings(),
    again={3},
)


def build_murakami() -> None:
    from docx import Document

    t = MURAKAMI
    document = Document()
    document.add_heading("村上岩船定住自立圏共生ビジョン　具体的取組", 1)
    header = ["番号", "事業名", *t.towns, "連携市町村数", "備考"]
    table = document.add_table(rows=len(t.projects) + 2, cols=len(header))
    for c, text in enumerate(header):
        table.cell(0, c).text = text
    for r, (n, name, marks) in enumerate(t.projects, start=1):
        note = "再掲（No.2）" if r == 4 else ""
        for c, text in enumerate([str(n), name, *("○" if m == "x" else "" for m in marks), str(count(marks)), note]):
            table.cell(r, c).text = text
    for c, text in enumerate(["計", "", *(str(v) for v in t.totals()), "", ""]):
        table.cell(len(t.projects) + 1, c).text = text
    out = io.BytesIO()
    document.save(out)
    write(t, out.getvalue())


# r04: totals that count the repost again (北播磨広域) ---------------------------------------------------------

KITA_HARIMA = Table(
    "r04_html_totals_count_repost_kita_harima.html",
    "A web page of 北播磨広域定住自立圏 (two central cities): project 5 lists project 2 again (（再掲） after the "
    "name); its totals row counts every row, the repost again (one warning, the figures kept as declared)",
    ("北播磨広域定住自立圏", "定住自立圏"),
    ["加西市", "加東市", "西脇市", "多可町"],
    [
        (1, "北播磨総合医療センターの運営支援", "xxxx"),
        (2, "広域観光ルートの整備", "xx-x"),
        (3, "移住促進の共同ＰＲ", "x-xx"),
        (4, "図書館の相互利用", "xxx-"),
        (5, "広域観光ルートの整備（再掲）", "xx-x"),
    ],
    findings=findings("reposts-counted"),
    again={4},
)


def build_kita_harima() -> None:
    t = KITA_HARIMA
    head = "".join(f"<th>{c}</th>" for c in ["番号", "事業名", *t.towns, "連携市町数"])
    body = ""
    for n, name, marks in t.projects:
        cells = "".join(f"<td>{'○' if m == 'x' else ''}</td>" for m in marks)
        body += f"<tr><td>{n}</td><td>{name}</td>{cells}<td>{count(marks)}</td></tr>\n"
    sums = t.totals(counting_again=True)
    body += "<tr><td>計</td><td></td>" + "".join(f"<td>{v}</td>" for v in sums) + f"<td>{sum(sums)}</td></tr>\n"
    html = (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>北播磨広域定住自立圏 連携事業</title></head>'
        f"<body><h1>北播磨広域定住自立圏共生ビジョン</h1><h2>連携事業一覧</h2><table>\n<tr>{head}</tr>\n{body}</table></body></html>\n"
    )
    write(t, html.encode("utf-8"))


BUILDERS = (
    build_tokachi,
    build_hitoyoshi,
    build_shimokita,
    build_shiribeshi,
    build_furano,
    build_chichibu,
    build_tone_numata,
    build_niigata,
    build_naka_sorachi,
    build_murakami,
    build_kita_harima,
)


def main(names: Sequence[str] = ()) -> None:
    for build in BUILDERS:
        if not names or any(n in build.__name__ for n in names):
            build()


if __name__ == "__main__":
    main(sys.argv[1:])
