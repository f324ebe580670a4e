"""Build the PDF part of the reading corpus (tests/corpus/pdf/): vision tables as PDF, and their layout text.

Run ``python tests/corpus/build_pdf.py`` (needs chromium, LibreOffice, poppler-utils and Pillow) to remake every
file under tests/corpus/pdf/. Each table is made from a *specification*: a real sphere's municipalities (codes
from the bundled national list), projects with seeded random marks, and the form it is printed in. The truth
file is written from the same specification, never read back from renkei.

The forms: HTML printed to PDF by chromium (ruled and unruled, landscape over several pages with the header
repeated on each, town names written one character per line or top to bottom with CSS, descriptions and names
wrapping in their cells, a cover, contents and prose pages before the table), XLSX printed to PDF by LibreOffice
(ruled and unruled, print titles repeating the header), a scan (a page drawn as an image only), a PDF with no
table, and the ``pdftotext -layout`` text of several of them (space-aligned text, form feeds between pages).

``NAME_layout.txt`` is the ``pdftotext -layout`` text of a table printed by chromium or LibreOffice, as a user
copies it from the PDF; its truth is the PDF's. ``python tests/corpus/build_pdf.py layout`` remakes only these
texts from the PDFs checked in (needs poppler-utils only).
"""

from __future__ import annotations

import csv
import html
import io
import json
import random
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "pdf"
ROOT = HERE.parents[1]
CODES = ROOT / "src" / "renkei" / "data" / "municipalities.csv"


def _national() -> dict[tuple[str, str], str]:
    with CODES.open(encoding="utf-8", newline="") as f:
        return {(row["prefecture"], row["name"]): row["code"] for row in csv.DictReader(f)}


NATIONAL = _national()

PILLARS = {
    "定住自立圏": ["① 生活機能の強化", "② 結びつきやネットワークの強化", "③ 圏域マネジメント能力の強化"],
    "連携中枢都市圏": [
        "① 圏域全体の経済成長のけん引",
        "② 高次の都市機能の集積・強化",
        "③ 圏域全体の生活関連機能サービスの向上",
    ],
}
# Fields under each pillar, and project names of the kind each field holds.
FIELDS = [
    [
        ("ア 医療", ["救急医療体制の確保", "地域医療連携の推進", "休日夜間急患センターの運営", "医師確保対策"]),
        ("イ 福祉", ["障がい者相談支援の充実", "子育て支援センターの相互利用", "高齢者の見守り体制づくり"]),
        ("ウ 産業振興", ["創業支援事業", "企業誘致の共同実施", "農産物のブランド化推進", "就業マッチング促進事業"]),
    ],
    [
        ("ア 地域公共交通", ["広域路線バスの維持確保", "デマンド交通の導入検討", "鉄道利用促進協議会の運営"]),
        ("イ 交流・移住", ["移住定住の促進", "広域観光ルートの造成", "スポーツ合宿誘致事業", "国際交流の推進"]),
    ],
    [
        ("ア 人材育成", ["職員の合同研修", "職員の相互人事交流"]),
        ("イ 外部人材の活用", ["地域おこし協力隊の共同募集", "専門人材の共同活用"]),
    ],
]
DESCRIPTIONS = [
    "圏域の住民が安心して暮らせるよう、関係機関と連携して体制を整え、必要な支援を行う。",
    "構成市町村が共同で事業を実施し、情報の共有と発信を図るとともに、効果を検証して改善に取り組む。",
    "圏域全体の活性化を図るため、中心市の施設やノウハウを活用し、連携市町村の住民も利用できるようにする。"
    "あわせて、利用状況を定期的に調査し、運営の見直しを行う。",
    "関係団体との協議会を設置し、課題の整理と対策の検討を行う。",
]


@dataclass(frozen=True)
class Sphere:
    name: str
    kind: str
    central: str
    prefecture: str
    towns: tuple[str, ...]

    def code(self, town: str) -> str:
        return NATIONAL[(self.prefecture, town)]

    @property
    def title(self) -> str:
        return f"{self.name}（中心市：{self.central}）"


HACHINOHE = Sphere(
    "八戸圏域連携中枢都市圏", "連携中枢都市圏", "八戸市", "青森県",
    ("三戸町", "五戸町", "田子町", "南部町", "階上町", "新郷村", "おいらせ町"),
)  # fmt: skip
HARIMA = Sphere(
    "播磨圏域連携中枢都市圏", "連携中枢都市圏", "姫路市", "兵庫県",
    ("相生市", "加古川市", "赤穂市", "高砂市", "加西市", "宍粟市", "たつの市", "稲美町", "播磨町", "市川町",
     "福崎町", "神河町", "太子町", "上郡町", "佐用町"),
)  # fmt: skip
NISHI_IBURI = Sphere(
    "西いぶり定住自立圏", "定住自立圏", "室蘭市", "北海道", ("登別市", "伊達市", "豊浦町", "洞爺湖町", "壮瞥町")
)
MINAMI_SHINSHU = Sphere(
    "南信州定住自立圏", "定住自立圏", "飯田市", "長野県",
    ("松川町", "高森町", "阿南町", "阿智村", "平谷村", "根羽村", "下條村", "売木村", "天龍村", "泰阜村",
     "喬木村", "豊丘村", "大鹿村"),
)  # fmt: skip
BINGO = Sphere(
    "備後圏域連携中枢都市圏", "連携中枢都市圏", "福山市", "広島県", ("三原市", "尾道市", "世羅町", "神石高原町")
)


@dataclass
class Project:
    number: int
    name: str
    description: str
    pillar: str
    field: str
    marks: dict[str, str]  # town -> ○ or ◎
    declared: int | None = None

    def count(self) -> int:
        return len(self.marks)


@dataclass
class Table:
    """One table as printed: its sphere and projects, and the form's options."""

    sphere: Sphere
    projects: list[Project]
    leads: bool = False
    findings: list[dict[str, Any]] = field(default_factory=list)

    def totals(self) -> dict[str, int]:
        return {t: sum(1 for p in self.projects if t in p.marks) for t in self.sphere.towns}


def make_table(sphere: Sphere, count: int, seed: int, leads: bool = False) -> Table:
    rng = random.Random(seed)
    projects: list[Project] = []
    number = 0
    for pillar, fields in zip(PILLARS[sphere.kind], FIELDS, strict=True):
        for field_heading, names in fields:
            for name in names:
                if number >= count:
                    break
                number += 1
                chosen = [t for t in sphere.towns if rng.random() < 0.6] or [sphere.towns[0]]
                marks = {t: "◎" if leads and i == 0 else "○" for i, t in enumerate(chosen)}
                long_name = name + ("に関する広域的な取組の推進" if rng.random() < 0.25 else "")
                description = rng.choice(DESCRIPTIONS)
                projects.append(Project(number, long_name, description, pillar, field_heading, marks))
    for p in projects:
        p.declared = p.count()
    return Table(sphere, projects, leads)


_ROLES = {"◎": "lead", "○": "member"}


def truth(table: Table, file: str, about: str, exit_status: int = 0, **extra: Any) -> dict[str, Any]:
    sphere = table.sphere
    data: dict[str, Any] = {
        "file": file,
        "about": about,
        "exit": exit_status,
        "sphere": {"name": sphere.name, "kind": sphere.kind},
        "municipalities": [{"name": t, "code": sphere.code(t)} for t in sphere.towns],
        "projects": [
            {
                "number": p.number,
                "name": p.name,
                "pillar": p.pillar,
                "field": p.field,
                "participants": [t for t in sphere.towns if t in p.marks],
                **({"roles": {t: _ROLES[m] for t, m in p.marks.items()}} if table.leads else {}),
                "declared_count": p.declared,
            }
            for p in table.projects
        ],
        "findings": table.findings,
    }
    data.update(extra)
    return data


# HTML printed by chromium -------------------------------------------------------------------------------------


@dataclass
class HtmlForm:
    ruled: bool = True
    vertical: str = "br"  # br: one character per line; css: writing-mode; none: names across
    landscape: bool = True
    font: str = "9pt"
    before: str = ""  # pages before the table (cover, contents, prose)
    after: str = ""
    name_width: str = "30mm"


def table_html(table: Table, form: HtmlForm) -> str:
    sphere = table.sphere
    border = "0.5pt solid #333" if form.ruled else "none"

    def town(name: str) -> str:
        if form.vertical == "br":
            return "<br>".join(html.escape(c) for c in name)
        if form.vertical == "css":
            return f'<span class="v">{html.escape(name)}</span>'
        return html.escape(name)

    head = "".join(f'<th class="town">{town(t)}</th>' for t in sphere.towns)
    count_head = town("連携市町村数") if form.vertical != "none" else "連携市町村数"
    rows = []
    pillar = field_heading = None
    width = 4 + len(sphere.towns)
    for p in table.projects:
        if p.pillar != pillar:
            rows.append(f'<tr class="h"><td colspan="{width}">{html.escape(p.pillar)}</td></tr>')
            pillar, field_heading = p.pillar, None
        if p.field != field_heading:
            rows.append(f'<tr class="h"><td colspan="{width}">{html.escape(p.field)}</td></tr>')
            field_heading = p.field
        marks = "".join(f'<td class="m">{p.marks.get(t, "")}</td>' for t in sphere.towns)
        rows.append(
            f'<tr><td class="n">{p.number}</td><td>{html.escape(p.name)}</td><td>{html.escape(p.description)}</td>'
            f'{marks}<td class="n">{p.declared}</td></tr>'
        )
    totals = table.totals()
    total_cells = "".join(f'<td class="m">{totals[t]}</td>' for t in sphere.towns)
    rows.append(f'<tr><td colspan="3">連携事業数計</td>{total_cells}<td class="n">{sum(totals.values())}</td></tr>')
    legend = '<p class="legend">◎：主体となって実施　○：連携して実施</p>' if table.leads else ""
    size = "A4 landscape" if form.landscape else "A4"
    return f"""<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><style>
@page {{ size: {size}; margin: 12mm; }}
body {{ font-family: "Noto Sans CJK JP", sans-serif; font-size: {form.font}; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed; }}
th, td {{ border: {border}; padding: 1mm 1.2mm; vertical-align: top; text-align: left; }}
th {{ vertical-align: bottom; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
th.town, td.m {{ width: 7mm; text-align: center; }}
td.n {{ text-align: center; }}
.v {{ writing-mode: vertical-rl; text-orientation: upright; }}
.page {{ break-after: page; }}
h1 {{ font-size: 14pt; }}
</style></head><body>
{form.before}
<h1>{html.escape(sphere.title)}</h1>
{legend}
<table><colgroup><col style="width: 9mm"><col style="width: {form.name_width}"><col>
{"".join('<col style="width: 7mm">' for _ in sphere.towns)}<col style="width: 10mm"></colgroup>
<thead><tr><th>番号</th><th>事業名</th><th>事業内容</th>{head}<th>{count_head}</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
{form.after}
</body></html>"""


def chromium_pdf(page: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "table.html"
        source.write_text(page, encoding="utf-8")
        subprocess.run(
            [
                shutil.which("chromium") or "/usr/bin/chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
                f"--user-data-dir={tmp}/profile",
                f"--print-to-pdf={out}",
                source.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


PROSE = "".join(
    f"<p>{text}</p>"
    for text in (
        "本ビジョンは、圏域の将来像を示すとともに、その実現に向けて中心市と連携市町村が連携して取り組む具体的な事業を定めるものである。",
        "人口減少と少子高齢化が進む中、圏域全体で必要な生活機能を確保し、地域の活力を維持するためには、各市町村が役割を分担し、連携して取り組むことが不可欠である。",
        "計画期間は令和6年度から令和10年度までの5年間とし、毎年度、事業の進捗状況を検証し、必要に応じて見直しを行う。",
    )
)


def document_pages(sphere: Sphere) -> str:
    cover = (
        '<div class="page"><p style="margin-top:60mm;font-size:24pt;text-align:center">'
        f"第2次{sphere.name}共生ビジョン</p>"
        '<p style="text-align:center;font-size:14pt">令和6年3月</p></div>'
    )
    contents = (
        '<div class="page"><h2>目次</h2><p>第1章　圏域の概要 …… 1</p><p>第2章　圏域の将来像 …… 2</p>'
        "<p>第3章　具体的な取組 …… 3</p></div>"
    )
    chapters = "".join(f'<div class="page"><h2>第{i}章</h2>{PROSE * 3}</div>' for i in (1, 2))
    return cover + contents + chapters


# XLSX printed by LibreOffice ----------------------------------------------------------------------------------


def xlsx_bytes(table: Table, ruled: bool) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Side
    from openpyxl.utils import get_column_letter

    sphere = table.sphere
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "連携事業"
    side = Side(style="thin") if ruled else Side()
    box = Border(left=side, right=side, top=side, bottom=side)
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.append([sphere.title])
    header = ["番号", "事業名", "事業内容", *("\n".join(t) for t in sphere.towns), "連携\n市町\n村数"]
    sheet.append(header)
    pillar = field_heading = None
    width = len(header)
    headings: list[int] = []
    for p in table.projects:
        if p.pillar != pillar:
            sheet.append([p.pillar])
            headings.append(sheet.max_row)
            pillar, field_heading = p.pillar, None
        if p.field != field_heading:
            sheet.append([p.field])
            headings.append(sheet.max_row)
            field_heading = p.field
        sheet.append([p.number, p.name, p.description, *(p.marks.get(t, "") for t in sphere.towns), p.declared])
        # LibreOffice prints a row at the height the file gives: as many lines as the longest text wraps to.
        sheet.row_dimensions[sheet.max_row].height = 16 * max(1, -(-len(p.name) // 8), -(-len(p.description) // 20))
    totals = table.totals()
    sheet.append(["連携事業数計", "", "", *(totals[t] for t in sphere.towns), sum(totals.values())])
    widths = [5, 18, 46, *([4] * len(sphere.towns)), 5]
    for i, w in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = w
    for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row, max_col=width):
        for cell in row:
            cell.alignment = wrap
            if ruled:
                cell.border = box
    for (cell,) in sheet.iter_rows(min_row=3, max_col=1):
        if isinstance(cell.value, int):
            cell.alignment = Alignment(horizontal="center", vertical="top")
    sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=3)
    for r in headings:  # a heading across the row, as offices merge it
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        sheet.cell(r, 1).alignment = Alignment(vertical="top")
    for cell in sheet[2]:
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="bottom")
    sheet.row_dimensions[2].height = 14 * max(len(t) for t in sphere.towns)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "2:2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def libreoffice_pdf(data: bytes, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"{out.stem}.xlsx"
        source.write_bytes(data)
        subprocess.run(
            [
                shutil.which("soffice") or "soffice",
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        shutil.copy(Path(tmp) / f"{out.stem}.pdf", out)


# renkei's own PDF --------------------------------------------------------------------------------------------


def renkei_pdf(table: Table, out: Path) -> None:
    """The table as renkei's PDF renderer prints it (the model built from the specification, not read)."""
    sys.path.insert(0, str(ROOT / "src"))
    from renkei.render import render
    from renkei.vision.model import Heading, Municipality, Project, Role, Sphere, SphereKind, Vision

    sphere = table.sphere

    def heading(text: str) -> Heading:
        label, title = text.split(" ", 1)
        return Heading(label, title)

    central = Municipality(sphere.central, sphere.code(sphere.central), sphere.prefecture, sphere.central)
    vision = Vision(
        sphere=Sphere(sphere.name, SphereKind(sphere.kind), central, sphere.prefecture),
        municipalities=[Municipality(t, sphere.code(t), sphere.prefecture, t) for t in sphere.towns],
        projects=[
            Project(
                number=p.number,
                name=p.name,
                description=p.description,
                pillar=heading(p.pillar),
                field=heading(p.field),
                participants={t: Role.LEAD if p.marks[t] == "◎" else Role.MEMBER for t in sphere.towns if t in p.marks},
                declared_count=p.declared,
            )
            for p in table.projects
        ],
    )
    out.write_bytes(render(vision, "pdf"))


# Other files ------------------------------------------------------------------------------------------------


def scan_pdf(source: Path, out: Path) -> None:
    """The first page of a PDF drawn as pixels and wrapped as an image-only PDF, as a scanner makes it."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", str(source), f"{tmp}/page"],
            check=True,
            timeout=60,
        )
        png = next(Path(tmp).glob("page*.png"))
        with Image.open(png) as image:
            image.convert("RGB").save(out, "PDF", resolution=80)


def layout_text(source: Path, out: Path) -> None:
    text = subprocess.run(
        ["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode("utf-8")
    out.write_text(text, encoding="utf-8")


def page_of(pdf: Path, text: str) -> int:
    """The page of a PDF whose text holds ``text`` (to state a finding's page in a truth file)."""
    for page in range(1, 50):
        found = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, timeout=60
        )
        if found.returncode != 0:
            break
        page_text = unicodedata.normalize("NFKC", "".join(found.stdout.decode("utf-8").split()))
        if text in page_text:
            return page
    raise LookupError(text)


# The corpus ---------------------------------------------------------------------------------------------------


def write(name: str, data: dict[str, Any]) -> None:
    (OUT / f"{name}.truth.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# The pdftotext -layout text of the tables printed by chromium and LibreOffice that renkei reads. Not yet among
# them: chromium's printouts of a table whose towns' columns are narrow (hachinohe_*, harima_chromium_pages,
# minami_shinshu_chromium_unruled), where pdftotext pushes a mark after an empty column right by a varying number
# of characters, so that a column two towns away stands where the next one would (the line alone cannot tell
# them apart); and harima_libreoffice_pages, whose later pages show the same push in three of its 15 columns.
LAYOUT = ("bingo_libreoffice_ruled", "nishi_iburi_libreoffice_unruled", "nishi_iburi_document")


def layout_copy(name: str) -> str:
    """``NAME_layout.txt``, the pdftotext -layout text of the table ``NAME.pdf``, with the PDF's truth: the same
    municipalities, projects and exit status. Its findings keep their code and severity; a page is no location in
    a text, and no finding of these tables has a line to restate."""
    pdf = OUT / f"{name}.pdf"
    text = OUT / f"{name}_layout.txt"
    layout_text(pdf, text)
    data = json.loads((OUT / f"{name}.truth.json").read_text(encoding="utf-8"))
    data["file"] = text.name
    data["about"] = f"{data['about']}; as pdftotext -layout gives it"
    data["findings"] = [{k: v for k, v in f.items() if k in ("code", "severity")} for f in data.get("findings", [])]
    write(f"{name}_layout", data)
    return text.name


def build_layout() -> list[str]:
    return [layout_copy(name) for name in LAYOUT]


def build() -> list[str]:
    OUT.mkdir(exist_ok=True)
    made: list[str] = []

    def html_table(name: str, table: Table, form: HtmlForm, about: str, text: bool = False, **extra: Any) -> Path:
        pdf = OUT / f"{name}.pdf"
        chromium_pdf(table_html(table, form), pdf)
        write(name, truth(table, pdf.name, about, **extra))
        made.append(pdf.name)
        if text:
            layout_text(pdf, OUT / f"{name}.txt")
            write(f"{name}_text", truth(table, f"{name}.txt", f"{about}; as pdftotext -layout gives it", **extra))
            made.append(f"{name}.txt")
        return pdf

    def xlsx_table(name: str, table: Table, ruled: bool, about: str, text: bool = False) -> Path:
        pdf = OUT / f"{name}.pdf"
        libreoffice_pdf(xlsx_bytes(table, ruled), pdf)
        write(name, truth(table, pdf.name, about))
        made.append(pdf.name)
        if text:
            layout_text(pdf, OUT / f"{name}.txt")
            write(f"{name}_text", truth(table, f"{name}.txt", f"{about}; as pdftotext -layout gives it"))
            made.append(f"{name}.txt")
        return pdf

    html_table(
        "hachinohe_chromium_ruled",
        make_table(HACHINOHE, 12, seed=1),
        HtmlForm(),
        "HTML printed by chromium: a ruled table, town names one character per line, names wrapping",
    )
    html_table(
        "harima_chromium_pages",
        make_table(HARIMA, 22, seed=2, leads=True),
        HtmlForm(vertical="css", font="8pt"),
        "15 towns on landscape pages, the header repeated on each page, names written top to bottom by CSS, "
        "a legend of ◎ and ○",
    )
    html_table(
        "minami_shinshu_chromium_unruled",
        make_table(MINAMI_SHINSHU, 14, seed=3),
        HtmlForm(ruled=False, name_width="34mm"),
        "an unruled table: columns from the header's and the marks' positions, 13 villages and towns",
    )
    html_table(
        "nishi_iburi_document",
        make_table(NISHI_IBURI, 10, seed=4),
        HtmlForm(before=document_pages(NISHI_IBURI), after=f'<div style="break-before: page">{PROSE}</div>'),
        "the table inside a longer document: a cover, contents and prose pages first, prose after; 伊達市 decided "
        "by the prefecture of the others",
    )
    counted = make_table(HACHINOHE, 16, seed=5)
    wrong = counted.projects[13]
    wrong.declared = wrong.count() + 1
    pdf = OUT / "hachinohe_count_error.pdf"
    chromium_pdf(table_html(counted, HtmlForm(landscape=False, font="10pt")), pdf)
    counted.findings = [{"code": "count-mismatch", "severity": "error", "page": page_of(pdf, wrong.name[:6])}]
    write(
        pdf.stem,
        truth(counted, pdf.name, "portrait pages with a 連携市町村数 that disagrees with its marks on a later page", 1),
    )
    made.append(pdf.name)
    bingo = xlsx_table(
        "bingo_libreoffice_ruled",
        make_table(BINGO, 12, seed=6),
        True,
        "XLSX with borders printed by LibreOffice: names with line breaks in the header cells",
    )
    xlsx_table(
        "nishi_iburi_libreoffice_unruled",
        make_table(NISHI_IBURI, 12, seed=7),
        False,
        "XLSX without borders printed by LibreOffice",
    )
    xlsx_table(
        "harima_libreoffice_pages",
        make_table(HARIMA, 26, seed=8),
        True,
        "XLSX printed by LibreOffice over several pages, its header row repeated as a print title",
    )
    for name, table, about in (
        ("minami_shinshu_renkei", make_table(MINAMI_SHINSHU, 18, seed=10, leads=True),
         "renkei's own PDF of 13 towns and villages with ◎ leads"),
        ("nishi_iburi_renkei", make_table(NISHI_IBURI, 20, seed=11), "renkei's own PDF over two pages"),
    ):  # fmt: skip
        pdf = OUT / f"{name}.pdf"
        renkei_pdf(table, pdf)
        write(name, truth(table, pdf.name, about))
        layout_text(pdf, OUT / f"{name}.txt")
        write(f"{name}_text", truth(table, f"{name}.txt", f"{about}; as pdftotext -layout gives it"))
        made += [pdf.name, f"{name}.txt"]
    scan = OUT / "scan.pdf"
    scan_pdf(bingo, scan)
    write("scan", {"file": scan.name, "about": "a scan: the page as an image, no text", "exit": 2,
                   "findings": [{"code": "pdf-no-text"}], "municipalities": [], "projects": []})  # fmt: skip
    made.append(scan.name)
    prose = OUT / "prose.pdf"
    chromium_pdf(table_html(make_table(BINGO, 1, seed=9), HtmlForm(before=document_pages(BINGO))).split("<h1>")[0]
                 + "</body></html>", prose)  # fmt: skip
    write("prose", {"file": prose.name, "about": "a PDF of prose pages with no project table", "exit": 2,
                    "findings": [{"code": "pdf-no-table"}], "municipalities": [], "projects": []})  # fmt: skip
    made.append(prose.name)
    return made + build_layout()


BUILDERS: dict[str, Callable[[], list[str]]] = {"all": build, "layout": build_layout}

if __name__ == "__main__":
    for name in BUILDERS[sys.argv[1] if len(sys.argv) > 1 else "all"]():
        print(name, file=sys.stderr)
