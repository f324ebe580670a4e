"""Build tests/corpus/formats/: tables in the formats secretariats send besides text, CSV and XLSX — Word
documents, OpenDocument sheets, city web pages, the long form of open data and of renkei's own export, a Word
chapter printed to PDF and a landscape PDF stored turned (/Rotate 90).

Each table and its truth are written from one specification (``Table``), never read back from renkei. Members
are real spheres' (data/spheres.csv) that the other folders do not use, codes from the bundled national list;
marks are synthetic. ``python tests/corpus/build_formats.py`` remakes them (LibreOffice Writer for the Word
chapter's PDF; python-docx and odfpy from the test extras).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_corpus import METROPOLITAN, SETTLEMENT, Proj, Spec, SphereData, Town, fix_timestamps, make_projects, towns

HERE = Path(__file__).resolve().parent / "formats"

HIROSAKI = SphereData(
    "弘前圏域定住自立圏",
    SETTLEMENT,
    towns("青森県", "弘前市"),
    towns("青森県", "黒石市 平川市 西目屋村 藤崎町 大鰐町 田舎館村 板柳町"),
)
SHINJO = SphereData(
    "新庄最上定住自立圏",
    SETTLEMENT,
    towns("山形県", "新庄市"),
    towns("山形県", "金山町 最上町 舟形町 真室川町 大蔵村 鮭川村 戸沢村"),
)
OKITAMA = SphereData(
    "置賜定住自立圏", SETTLEMENT, towns("山形県", "米沢市"), towns("山形県", "長井市 南陽市 高畠町 川西町 飯豊町")
)
CHICHIBU = SphereData(
    "ちちぶ定住自立圏", SETTLEMENT, towns("埼玉県", "秩父市"), towns("埼玉県", "横瀬町 皆野町 長瀞町 小鹿野町")
)
SHIRAKAWA = SphereData(
    "しらかわ地域定住自立圏",
    SETTLEMENT,
    towns("福島県", "白河市"),
    towns("福島県", "西郷村 泉崎村 中島村 矢吹町 棚倉町 矢祭町 塙町 鮫川村"),
)
KAHAN = SphereData("嘉飯圏域定住自立圏", SETTLEMENT, towns("福岡県", "飯塚市"), towns("福岡県", "嘉麻市 桂川町"))
# Two prefectures and two central cities (複眼型): 米子市 and 松江市.
NAKAUMI = SphereData(
    "中海圏域定住自立圏",
    SETTLEMENT,
    towns("鳥取県", "米子市") + towns("島根県", "松江市"),
    towns("鳥取県", "境港市") + towns("島根県", "安来市"),
)
MORIOKA = SphereData(
    "みちのく盛岡広域連携都市圏",
    METROPOLITAN,
    towns("岩手県", "盛岡市"),
    towns("岩手県", "八幡平市 滝沢市 雫石町 葛巻町 岩手町 紫波町 矢巾町"),
)
KAGOSHIMA = SphereData(
    "かごしま連携中枢都市圏",
    METROPOLITAN,
    towns("鹿児島県", "鹿児島市"),
    towns("鹿児島県", "日置市 いちき串木野市 姶良市"),
)
TAGAWA = SphereData(
    "田川広域定住自立圏",
    SETTLEMENT,
    towns("福岡県", "田川市"),
    towns("福岡県", "香春町 添田町 糸田町 川崎町 大任町 赤村 福智町"),
)
OITA = SphereData(
    "大分都市広域圏",
    METROPOLITAN,
    towns("大分県", "大分市"),
    towns("大分県", "別府市 臼杵市 津久見市 竹田市 豊後大野市 由布市 日出町"),
)
MIYAKONOJO = SphereData(
    "都城広域定住自立圏",
    SETTLEMENT,
    towns("宮崎県", "都城市"),
    towns("宮崎県", "三股町") + towns("鹿児島県", "曽於市 志布志市"),
)
TOTTORI_CHUBU = SphereData(
    "鳥取県中部定住自立圏", SETTLEMENT, towns("鳥取県", "倉吉市"), towns("鳥取県", "三朝町 湯梨浜町 琴浦町 北栄町")
)
OSUMI = SphereData(
    "大隅定住自立圏",
    SETTLEMENT,
    towns("鹿児島県", "鹿屋市"),
    towns("鹿児島県", "垂水市 志布志市 大崎町 東串良町 錦江町 南大隅町 肝付町"),
)
HOKUSHIN = SphereData(
    "北信地域定住自立圏",
    SETTLEMENT,
    towns("長野県", "中野市 飯山市"),
    towns("長野県", "山ノ内町 木島平村 野沢温泉村 栄村"),
)
UWAJIMA = SphereData(
    "宇和島圏域定住自立圏", SETTLEMENT, towns("愛媛県", "宇和島市"), towns("愛媛県", "松野町 鬼北町 愛南町")
)


@dataclass
class Table:
    """One table: its sphere, format and wording; the projects come from ``build_corpus.make_projects``."""

    name: str
    about: str
    sphere: SphereData
    fmt: str
    seed: int
    words: tuple[str, str, str, str] = ("番号", "事業名", "事業内容", "連携町数")
    mark: str = "○"
    title: str = ""
    group: str | None = None  # a merged heading over the towns' columns
    central_column: bool = False
    field_column: bool = False  # the field in a column of its own, merged down over its projects
    totals_label: str = "連携事業数計"
    legend: str | None = None
    notes: list[str] = field(default_factory=list)
    long_names: tuple[str, ...] = ()  # the long form's headings
    encoding: str = "utf-8"
    lead: bool = False
    hidden_column: bool = False
    allow: list[str] = field(default_factory=list)

    @property
    def columns(self) -> list[Town]:
        return (self.sphere.central if self.central_column else []) + self.sphere.members


def projects_of(table: Table) -> list[Proj]:
    spec = Spec(table.name, table.about, table.sphere, seed=table.seed, central_column=table.central_column)
    if table.lead:
        spec.lead_mark = "◎"
    return make_projects(spec)


# The table as rows: heading rows of one cell, the header (over two rows under a group), projects, totals -----


@dataclass
class Rows:
    header: list[list[str]]  # one row, or the group row over the towns' row
    body: list[list[str]]  # project rows, heading rows of one cell
    totals: list[str]
    width: int
    group_span: tuple[int, int] | None = None  # first and last column under the group heading
    field_spans: list[tuple[int, int]] = field(default_factory=list)  # body rows a field cell spans


def rows_of(table: Table, projects: list[Proj]) -> Rows:
    number, name, description, count = table.words
    first = [number, *(["分野"] if table.field_column else []), name, description]
    towns = [t.name for t in table.columns]
    width = len(first) + len(towns) + 1
    if table.group:
        header = [[*first, table.group, *[""] * (len(towns) - 1), count], [*[""] * len(first), *towns, ""]]
        span = (len(first), len(first) + len(towns) - 1)
    else:
        header, span = [[*first, *towns, count]], None
    body: list[list[str]] = []
    spans: list[tuple[int, int]] = []
    pillar = field_title = None
    for p in projects:
        if p.pillar != pillar:
            pillar = p.pillar
            body.append([str(p.pillar)])
        if p.field != field_title:
            field_title = p.field
            if table.field_column:
                spans.append((len(body), len(body)))
            else:
                body.append([str(p.field)])
        marks = [_mark(table, p.roles.get(t, "")) for t in towns]
        cells = [str(p.number), *([str(p.field)] if table.field_column else []), p.name, p.description]
        if table.field_column:
            spans[-1] = (spans[-1][0], len(body))
        body.append([*cells, *marks, str(len(p.roles))])
    per_town = [str(sum(1 for p in projects if t in p.roles)) for t in towns]
    grand = str(sum(len(p.roles) for p in projects))
    totals = [table.totals_label, *[""] * (len(first) - 1), *per_town, grand]
    return Rows(header, body, totals, width, span, spans)


def _mark(table: Table, role: str) -> str:
    if role == "lead":
        return "◎"
    return table.mark if role else ""


# Writers -----------------------------------------------------------------------------------------------------


def write_docx(table: Table, rows: Rows, path: Path, chapter: bool = False, prose: bool = True) -> None:
    import docx

    document = docx.Document()
    if chapter and prose:
        document.add_heading("第4章　具体的取組", 1)
        document.add_paragraph(
            "本章では、共生ビジョンの期間中に圏域の市町村が連携して取り組む具体的な事業を示す。"
            "事業の実施に当たっては、毎年度の懇談会で成果を確認し、必要に応じて見直すものとする。"
        )
        schedule = document.add_table(rows=3, cols=3)
        for r, cells in enumerate(
            [["年度", "取組", "備考"], ["令和6年度", "ビジョン策定", "－"], ["令和7年度", "中間見直し", "懇談会"]]
        ):
            for c, text in enumerate(cells):
                schedule.cell(r, c).text = text
        document.add_paragraph("上の日程で見直しを行い、その結果を公表する。")
        document.add_page_break()
    if table.title:
        document.add_heading(table.title, 2)
    if table.legend:
        document.add_paragraph(table.legend)
    grid = [*rows.header, *rows.body, rows.totals]
    word = document.add_table(rows=len(grid), cols=rows.width)
    word.style = "Table Grid"
    if chapter:  # a landscape page, narrow columns for the marks, as a secretariat lays the table out to print
        from docx.enum.section import WD_ORIENT
        from docx.shared import Cm

        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
        section.left_margin = section.right_margin = Cm(1.5)
        word.autofit = False
        first = len(rows.header[0]) - len(table.columns) - 1
        widths = [Cm(1.2), Cm(4.5), Cm(8.0)][:first] + [Cm(1.4)] * len(table.columns) + [Cm(1.6)]
        for column, width in zip(word.columns, widths, strict=False):
            column.width = width
        from docx.oxml import OxmlElement

        for r, row in enumerate(word.rows):  # no row split over two pages, the header repeated on each page
            properties = row._tr.get_or_add_trPr()
            properties.append(OxmlElement("w:cantSplit"))
            if r < len(rows.header):
                properties.append(OxmlElement("w:tblHeader"))
        for row in word.rows:
            for width, made in zip(widths, row.cells, strict=False):
                made.width = width
    for r, cells in enumerate(grid):
        if len(cells) == 1:
            word.cell(r, 0).merge(word.cell(r, rows.width - 1)).text = cells[0]
            continue
        for c, text in enumerate(cells):
            if text:
                word.cell(r, c).text = text
    if rows.group_span is not None:
        a, b = rows.group_span
        word.cell(0, a).merge(word.cell(0, b))
        for c in [*range(a), rows.width - 1]:
            word.cell(0, c).merge(word.cell(1, c))
    for top, bottom in rows.field_spans:
        offset = len(rows.header)
        if bottom > top:
            merged = word.cell(offset + top, 1).merge(word.cell(offset + bottom, 1))
            merged.text = grid[offset + top][1]
    for note in table.notes:
        document.add_paragraph(note)
    if chapter and prose:
        document.add_page_break()
        document.add_heading("第5章　成果指標", 1)
        document.add_paragraph("各事業の成果指標は、別表に定めるとおりとし、毎年度の実績を懇談会に報告する。")
    document.core_properties.created = document.core_properties.modified = _FIXED
    document.save(str(path))
    _fix_zip(path)


def write_ods(table: Table, rows: Rows, path: Path, sheets: bool = False) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableColumnProperties
    from odf.table import CoveredTableCell, TableCell, TableColumn, TableRow
    from odf.table import Table as OdsTable
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    collapsed = Style(name="co-hidden", family="table-column")
    collapsed.addElement(TableColumnProperties(columnwidth="0.1in"))
    document.automaticstyles.addElement(collapsed)

    def cell(text: str, **attributes: Any) -> Any:
        # As LibreOffice writes them: a figure as a float with its value, any other text as a string.
        if text.isdigit():
            made = TableCell(valuetype="float", value=text, **attributes)
        else:
            made = TableCell(valuetype="string", **attributes) if text else TableCell(**attributes)
        if text:
            made.addElement(P(text=text))
        return made

    def sheet(name: str, lines: list[list[str]], with_header: bool) -> Any:
        made = OdsTable(name=name)
        made.addElement(TableColumn(numbercolumnsrepeated=rows.width))
        if table.hidden_column:
            made.addElement(TableColumn(stylename=collapsed, visibility="collapse"))  # 旧番号, hidden
        made.addElement(TableColumn(numbercolumnsrepeated=1000))
        if table.title and not sheets:
            made.addElement(_ods_row(TableRow, [cell(table.title)]))
        if with_header:
            for r, header in enumerate(rows.header):
                cells = []
                for c, text in enumerate(header):
                    if rows.group_span and r == 0 and c == rows.group_span[0]:
                        cells.append(cell(text, numbercolumnsspanned=rows.group_span[1] - c + 1))
                    elif rows.group_span and r == 0 and rows.group_span[0] < c <= rows.group_span[1]:
                        cells.append(CoveredTableCell())
                    elif rows.group_span and r == 0:
                        cells.append(cell(text, numberrowsspanned=2))
                    elif rows.group_span and r == 1 and not text:
                        cells.append(CoveredTableCell())
                    else:
                        cells.append(cell(text))
                if table.hidden_column:
                    cells.append(cell("旧番号" if r == 0 else ""))
                made.addElement(_ods_row(TableRow, cells))
        for line in lines:
            if len(line) == 1:
                cells = [
                    cell(line[0], numbercolumnsspanned=rows.width),
                    *[CoveredTableCell() for _ in range(rows.width - 1)],
                ]
            else:
                cells = [cell(text) for text in line]
                if table.hidden_column and line[0].isdigit():
                    cells.append(cell(f"旧{int(line[0]) + 100}"))
            made.addElement(_ods_row(TableRow, cells))
        made.addElement(TableRow(numberrowsrepeated=1048000))
        return made

    if sheets:
        cover = OdsTable(name="表紙")
        cover.addElement(_ods_row(TableRow, [cell(f"{table.sphere.name}共生ビジョン　別表")]))
        document.spreadsheet.addElement(cover)
        parts: list[list[list[str]]] = []
        for line in rows.body:
            if len(line) == 1 and line[0][:1] in "①②③":
                parts.append([])
            parts[-1].append(line)
        for i, part in enumerate(parts, start=1):
            lines = [*part, rows.totals] if i == len(parts) else part
            document.spreadsheet.addElement(sheet(f"柱{i}", lines, True))
    else:
        document.spreadsheet.addElement(sheet("連携事業", [*rows.body, rows.totals], True))
    out = io.BytesIO()
    document.write(out)
    path.write_bytes(out.getvalue())
    _fix_zip(path)


def _ods_row(kind: Any, cells: list[Any]) -> Any:
    row = kind()
    for made in cells:
        row.addElement(made)
    return row


def write_html(table: Table, rows: Rows, path: Path, *, menus: bool, caption: bool) -> None:
    def cells_html(cells: list[str], r: int | None) -> str:
        out = []
        for c, text in enumerate(cells):
            tag = "th" if r is not None else "td"
            text_html = text.replace("\n", "<br>")
            if r == 0 and rows.group_span:
                a, b = rows.group_span
                if c == a:
                    out.append(f"<th colspan='{b - a + 1}'>{text_html}</th>")
                elif a < c <= b:
                    continue
                else:
                    out.append(f"<th rowspan='2'>{text_html}</th>")
            elif r == 1 and rows.group_span:
                if text:
                    out.append(f"<th>{text[:-1]}<br>{text[-1]}</th>")
            else:
                out.append(f"<{tag}>{text_html}</{tag}>")
        return "".join(out)

    lines = [f"<tr>{cells_html(h, r)}</tr>" for r, h in enumerate(rows.header)]
    starts = {top: bottom - top + 1 for top, bottom in rows.field_spans}
    covered = {r for top, bottom in rows.field_spans for r in range(top + 1, bottom + 1)}
    for r, body in enumerate(rows.body):
        if len(body) == 1:
            lines.append(f"<tr><td colspan='{rows.width}'><strong>{body[0]}</strong></td></tr>")
            continue
        cells = [f"<td>{body[0]}</td>"]
        if table.field_column:
            if r in starts:
                cells.append(f"<td rowspan='{starts[r]}'>{body[1]}</td>")
            elif r not in covered:
                cells.append(f"<td>{body[1]}</td>")
            rest = body[2:]
        else:
            rest = body[1:]
        cells += [f"<td>{text}</td>" for text in rest]
        lines.append(f"<tr>{''.join(cells)}</tr>")
    lines.append("<tr>" + "".join(f"<td>{t}</td>" for t in rows.totals) + "</tr>")
    cap = f"<caption>{table.title}</caption>" if caption and table.title else ""
    data = f"<table class='data' border='1'>{cap}{''.join(lines)}</table>"
    heading = "" if caption or not table.title else f"<h2>{table.title}</h2>"
    legend = f"<p>{table.legend}</p>" if table.legend else ""
    notes = "".join(f"<p>{n}</p>" for n in table.notes)
    city = table.sphere.central[0].name
    prose = "<p>本市では、近隣の市町村と協定を結び、次の事業に取り組んでいます。</p>"
    body_html = f"<h1>{city}</h1>{heading}{prose}{legend}{data}{notes}"
    if menus:
        menu = (
            "<table class='menu'><tr><td><a href='/'>トップ</a></td><td><a href='/kurashi/'>くらし・手続き</a></td>"
            "<td><a href='/kanko/'>観光</a></td></tr></table>"
        )
        crumbs = (
            "<table class='crumbs'><tr><td>ホーム</td><td>&gt;</td><td>市政情報</td><td>&gt;</td>"
            "<td>広域連携</td></tr></table>"
        )
        side = (
            "<table class='side'><tr><th>関連ページ</th></tr><tr><td>市町村合併の記録</td></tr>"
            "<tr><td>広域行政</td></tr></table>"
        )
        body_html = f"{menu}{crumbs}<table class='layout'><tr><td>{side}</td><td>{body_html}</td></tr></table>"
    charset = "Shift_JIS" if table.encoding == "cp932" else "utf-8"
    page = (
        f"<!DOCTYPE html>\n<html lang='ja'><head><meta charset='{charset}'><title>{city}</title></head>"
        f"<body>{body_html}<footer>Copyright {city}</footer></body></html>\n"
    )
    path.write_bytes(page.encode(table.encoding))


def long_rows(table: Table, projects: list[Proj]) -> list[list[str]]:
    names = table.long_names
    out = [list(names)]
    for p in projects:
        for t in table.columns:
            if t.name not in p.roles:
                continue
            values = {
                "事業番号": str(p.number),
                "No": str(p.number),
                "事業名": p.name,
                "取組名": p.name,
                "政策分野": str(p.field),
                "柱": str(p.pillar),
                "基本方針": str(p.pillar),
                "政策の柱": str(p.pillar),
                "分野": str(p.field),
                "市町村名": t.name,
                "団体名": t.name,
                "全国地方公共団体コード": t.code,
                "市町村コード": t.code,
                "団体コード": t.code[:5],
                "役割": "主体" if p.roles[t.name] == "lead" else "連携",
                "区分": "中心" if p.roles[t.name] == "lead" else "参加",
            }
            out.append([values[n] for n in names])
    return out


def write_long(table: Table, projects: list[Proj], path: Path) -> None:
    rows = long_rows(table, projects)
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "オープンデータ"
        for row in rows:
            sheet.append([int(v) if v.isdigit() and len(v) < 5 else v for v in row])
        workbook.save(path)
        fix_timestamps(path)
        return
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().encode(table.encoding))


def write_export(table: Table, rows: Rows, path: Path) -> None:
    """renkei's own csv-long export of the table (the wide text written here, read and exported by renkei)."""
    from renkei.ingest import read_bytes
    from renkei.render import render

    text = "\n".join("\t".join(r) for r in [[table.title], *rows.header, *rows.body, rows.totals])
    path.write_bytes(render(read_bytes(text.encode(), "wide.txt").vision, "csv-long"))


def write_pdf_chapter(table: Table, rows: Rows, path: Path, chapter: bool = True) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "chapter.docx"
        write_docx(table, rows, source, chapter=True, prose=chapter)
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", folder, str(source)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        path.write_bytes((Path(folder) / "chapter.pdf").read_bytes())


def write_pdf_rotated(table: Table, rows: Rows, path: Path) -> None:
    """A landscape table stored on portrait pages turned by /Rotate 90, as some drivers and scanners write it:
    each page's drawing turned a quarter to the left onto a portrait page that viewers turn back."""
    from pypdf import PdfReader, PdfWriter, Transformation

    write_pdf_chapter(table, rows, path, chapter=False)
    writer = PdfWriter(clone_from=PdfReader(path))
    for page in writer.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        page.add_transformation(Transformation().rotate(90).translate(tx=height, ty=0))
        for box in (page.mediabox, page.cropbox):
            box.lower_left = (0, 0)
            box.upper_right = (height, width)
        page.rotation = 90
    out = io.BytesIO()
    writer.write(out)
    path.write_bytes(out.getvalue())


_FIXED = __import__("datetime").datetime(2024, 4, 1)


def _fix_zip(path: Path) -> None:
    """The same bytes on every build: entries dated alike, an ODF ``mimetype`` first and stored."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for info, data in sorted(entries, key=lambda e: e[0].filename != "mimetype"):
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 4, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(fixed, data)


# Truth ---------------------------------------------------------------------------------------------------------


def truth(table: Table, projects: list[Proj], totals: bool = True) -> dict[str, Any]:
    order = [t.name for t in table.columns]
    data: dict[str, Any] = {"file": table.name, "about": table.about, "exit": 0}
    data["municipalities"] = [{"name": t.name, "code": t.code} for t in table.columns]
    listed = []
    for p in projects:
        roles = {name: p.roles[name] for name in order if name in p.roles}
        found: dict[str, Any] = {"number": p.number, "name": p.name, "participants": list(roles)}
        found["pillar"], found["field"] = p.pillar, p.field
        if table.lead:
            found["roles"] = roles
        if totals:
            found["declared_count"] = len(roles)
        listed.append(found)
    data["projects"] = listed
    if totals:
        data["totals"] = {"declared_grand_total": sum(len(p.roles) for p in projects), "missing_numbers": []}
    if table.allow:
        data["allow"] = table.allow
    return data


def tables() -> list[Table]:
    legend = "◎：主体となって実施　○：連携して実施"
    return [
        Table(
            "docx_group_hirosaki.docx",
            "Word の表: 連携市町村を結合したセル、見出しは Word の見出しスタイル",
            HIROSAKI,
            "docx",
            31,
            title="弘前圏域定住自立圏共生ビジョン　連携事業一覧",
            group="連携市町村",
        ),
        Table(
            "docx_chapter_shinjo.docx",
            "Word の章: 前後に文章、表が二つ（日程表と事業表）、数え方の違う見出し",
            SHINJO,
            "docx-chapter",
            32,
            words=("No.", "取組名", "取組の内容", "連携市町村数"),
            mark="〇",
            title="新庄最上定住自立圏共生ビジョン（中心市：新庄市）",
            totals_label="計",
        ),
        Table(
            "docx_fields_hokushin.docx",
            "Word の表: 分野の列を縦に結合、複眼型中心市に列あり",
            HOKUSHIN,
            "docx",
            33,
            words=("項番", "事業名", "概要", "参加市町村数"),
            field_column=True,
            central_column=True,
            title="北信地域定住自立圏共生ビジョン",
            totals_label="合計",
        ),
        Table(
            "ods_group_okitama.ods",
            "ODS: 連携市町村を結合した見出し、繰り返しの空セル",
            OKITAMA,
            "ods",
            34,
            title="置賜定住自立圏共生ビジョン",
            group="連携市町村",
            mark="◯",
        ),
        Table(
            "ods_sheets_chichibu.ods",
            "ODS: 表紙と柱ごとのシート、隠した旧番号の列、計は最後のシート",
            CHICHIBU,
            "ods-sheets",
            35,
            title="ちちぶ定住自立圏共生ビジョン",
            hidden_column=True,
            words=("番号", "事業名称", "事業概要", "連携町数"),
        ),
        Table(
            "html_menus_shirakawa.html",
            "市のページ: サイトのメニューと配置用の表の中に、rowspan/colspan の見出しの事業表",
            SHIRAKAWA,
            "html-menus",
            36,
            title="しらかわ地域定住自立圏共生ビジョン　具体的取組",
            group="連携市町村",
            words=("No", "取組", "取組内容", "連携市町村数"),
        ),
        Table(
            "html_sjis_kahan.html",
            "Shift_JIS のページ（meta charset）、凡例と ◎",
            KAHAN,
            "html",
            37,
            title="嘉飯圏域定住自立圏共生ビジョン",
            legend=legend,
            lead=True,
            encoding="cp932",
        ),
        Table(
            "html_caption_nakaumi.html",
            "caption が表題、二県にまたがり複眼型中心市（米子市・松江市）に列あり",
            NAKAUMI,
            "html-caption",
            38,
            title="中海圏域定住自立圏共生ビジョン 連携事業",
            central_column=True,
            words=("番号", "連携事業名", "内容", "連携市町村数"),
        ),
        Table(
            "html_fields_uwajima.html",
            "分野の列を rowspan で結合、注記が表の下",
            UWAJIMA,
            "html",
            39,
            title="宇和島圏域定住自立圏共生ビジョン",
            field_column=True,
            notes=["※ 連携町数は中心市を除く。"],
        ),
        Table(
            "long_utf8_morioka.csv",
            "縦長のオープンデータ（UTF-8）: 事業番号・事業名・市町村コード・市町村名・役割",
            MORIOKA,
            "long",
            40,
            long_names=("事業番号", "事業名", "柱", "分野", "全国地方公共団体コード", "市町村名", "役割"),
        ),
        Table(
            "long_cp932_codes_kagoshima.csv",
            "縦長（Shift_JIS）: 5桁の団体コードだけ、名前の列なし",
            KAGOSHIMA,
            "long",
            41,
            long_names=("No", "取組名", "基本方針", "政策分野", "団体コード", "区分"),
            encoding="cp932",
        ),
        Table(
            "long_cp932_names_tagawa.csv",
            "縦長（Shift_JIS）: 市町村名だけ、コードの列なし",
            TAGAWA,
            "long",
            42,
            long_names=("事業番号", "事業名", "政策の柱", "分野", "団体名"),
            encoding="cp932",
        ),
        Table(
            "long_xlsx_oita.xlsx",
            "縦長の XLSX: 番号は数、主体と連携の役割",
            OITA,
            "long",
            43,
            lead=True,
            long_names=("事業番号", "事業名", "柱", "分野", "市町村コード", "市町村名", "役割"),
        ),
        Table(
            "long_export_miyakonojo.csv",
            "renkei export --to csv-long の出力（二県にまたがる圏域）",
            MIYAKONOJO,
            "export",
            44,
            title="都城広域定住自立圏共生ビジョン",
        ),
        Table(
            "pdf_chapter_tottori_chubu.pdf",
            "Word の章を LibreOffice で PDF に: 前後に文章と日程表",
            TOTTORI_CHUBU,
            "pdf-chapter",
            45,
            title="鳥取県中部定住自立圏共生ビジョン",
            words=("番号", "事業名", "事業内容", "連携町数"),
        ),
        Table(
            "pdf_rotated_osumi.pdf",
            "横長の表を縦のページに /Rotate 90 で収めた PDF",
            OSUMI,
            "pdf-rotated",
            46,
            title="大隅定住自立圏共生ビジョン",
        ),
    ]


# Tables built only when named on the command line (none now: the /Rotate 90 PDF reads since ingest/pdf.py
# tells a rule's direction by its geometry).
PENDING: set[str] = set()


def build(table: Table) -> None:
    projects = projects_of(table)
    rows = rows_of(table, projects)
    path = HERE / table.name
    if table.fmt in ("docx", "docx-chapter"):
        write_docx(table, rows, path, chapter=table.fmt == "docx-chapter")
    elif table.fmt in ("ods", "ods-sheets"):
        write_ods(table, rows, path, sheets=table.fmt == "ods-sheets")
    elif table.fmt.startswith("html"):
        write_html(table, rows, path, menus=table.fmt == "html-menus", caption=table.fmt == "html-caption")
    elif table.fmt == "long":
        write_long(table, projects, path)
    elif table.fmt == "export":
        write_export(table, rows, path)
    elif table.fmt == "pdf-chapter":
        write_pdf_chapter(table, rows, path)
    elif table.fmt == "pdf-rotated":
        write_pdf_rotated(table, rows, path)
    declared = table.fmt not in ("long",)
    stem = table.name.rsplit(".", 1)[0]
    text = json.dumps(truth(table, projects, declared), ensure_ascii=False, indent=1) + "\n"
    (HERE / f"{stem}.truth.json").write_text(text, encoding="utf-8")


def main() -> None:
    HERE.mkdir(exist_ok=True)
    wanted = set(sys.argv[1:])
    for table in tables():
        stem = table.name.rsplit(".", 1)[0]
        if stem in wanted or (not wanted and stem not in PENDING):
            build(table)


if __name__ == "__main__":
    main()
