"""Build the main reading corpus: tables shaped like those real secretariats publish, each with its truth file.

Run ``python tests/corpus/build_corpus.py`` to remake every file under tests/corpus/ (except pdf/, which
has its own builder). Each table is made from a *specification* (a sphere of real municipalities, its
projects and marks, and the form it is written in); the truth file is written from the same specification,
never read back from renkei. The codes come from the bundled national list (src/renkei/data/municipalities.csv);
the marks are synthetic, drawn from a seeded random generator so the files are the same on every run.

The formats: tab text as copied from a PDF, CSV in UTF-8 (with and without BOM) and Shift_JIS (CP932),
open-data CSV with 1/0, XLSX (merged group headers, several sheets, hidden columns, numbers as text, formulas
recalculated by LibreOffice so that their cached values are in the file) and Markdown.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CODES = ROOT / "src" / "renkei" / "data" / "municipalities.csv"


# The national list: the code of a municipality by prefecture and name ---------------------------------------


def _national() -> dict[tuple[str, str], str]:
    with CODES.open(encoding="utf-8", newline="") as f:
        return {(row["prefecture"], row["name"]): row["code"] for row in csv.DictReader(f)}


NATIONAL = _national()


@dataclass(frozen=True)
class Town:
    name: str
    prefecture: str

    @property
    def code(self) -> str:
        return NATIONAL[(self.prefecture, self.name)]

    @property
    def kind(self) -> str:
        return self.name[-1]  # 市, 町 or 村


def towns(prefecture: str, names: str) -> list[Town]:
    return [Town(n, prefecture) for n in names.split()]


@dataclass(frozen=True)
class SphereData:
    """A real sphere: its name, kind, central cities and member towns, from the published visions."""

    name: str
    kind: str
    central: list[Town]
    members: list[Town]


SETTLEMENT, METROPOLITAN = "定住自立圏", "連携中枢都市圏"
HACHINOHE = SphereData(
    "八戸圏域連携中枢都市圏",
    METROPOLITAN,
    towns("青森県", "八戸市"),
    towns("青森県", "三戸町 五戸町 田子町 南部町 階上町 新郷村 おいらせ町"),
)
BINGO = SphereData(
    "備後圏域連携中枢都市圏",
    METROPOLITAN,
    towns("広島県", "福山市"),
    towns("広島県", "三原市 尾道市 府中市 世羅町 神石高原町") + towns("岡山県", "笠岡市 井原市"),
)
HARIMA = SphereData(
    "播磨圏域連携中枢都市圏",
    METROPOLITAN,
    towns("兵庫県", "姫路市"),
    towns(
        "兵庫県",
        "相生市 加古川市 赤穂市 高砂市 加西市 宍粟市 たつの市 稲美町 播磨町 市川町 福崎町 神河町 太子町 上郡町 佐用町",
    ),
)
MINAMI_SHINSHU = SphereData(
    "南信州定住自立圏",
    SETTLEMENT,
    towns("長野県", "飯田市"),
    towns("長野県", "松川町 高森町 阿南町 阿智村 平谷村 根羽村 下條村 売木村 天龍村 泰阜村 喬木村 豊丘村 大鹿村"),
)
NISHI_IBURI = SphereData(
    "西いぶり定住自立圏", SETTLEMENT, towns("北海道", "室蘭市"), towns("北海道", "登別市 伊達市 豊浦町 洞爺湖町 壮瞥町")
)
NAKASORACHI = SphereData(
    "中空知定住自立圏",
    SETTLEMENT,
    towns("北海道", "滝川市 砂川市"),
    towns("北海道", "歌志内市 奈井江町 上砂川町 浦臼町 新十津川町 雨竜町"),
)
KITA_ALPS = SphereData(
    "北アルプス定住自立圏", SETTLEMENT, towns("長野県", "大町市"), towns("長野県", "池田町 松川村 白馬村 小谷村")
)
DAISEN = SphereData("大曲仙北定住自立圏", SETTLEMENT, towns("秋田県", "大仙市"), towns("秋田県", "仙北市 美郷町"))

# Pillars and fields as visions word them, with project names of each field ---------------------------------

SETTLEMENT_PILLARS = [
    (
        "生活機能の強化",
        [
            ("医療", ["休日夜間急患センターの運営", "救急医療体制の充実"]),
            ("福祉", ["病児保育の広域利用", "障がい者相談支援の共同実施"]),
            ("教育", ["図書館の相互利用", "児童生徒の交流事業"]),
            ("産業振興", ["創業支援事業", "企業誘致の共同推進"]),
        ],
    ),
    (
        "結びつきやネットワークの強化",
        [
            ("地域公共交通", ["路線バスの維持確保", "デマンド交通の連携"]),
            ("交流・移住", ["移住促進事業", "圏域イベント情報の発信"]),
        ],
    ),
    ("圏域マネジメント能力の強化", [("人材育成", ["合同職員研修", "職員の人事交流"])]),
]
METROPOLITAN_PILLARS = [
    (
        "圏域全体の経済成長のけん引",
        [("産業振興", ["創業支援事業", "ものづくり企業の販路開拓"]), ("観光", ["広域観光の推進", "インバウンド誘客"])],
    ),
    ("高次の都市機能の集積・強化", [("高度な医療", ["救急医療体制の確保", "周産期医療の連携"])]),
    (
        "圏域全体の生活関連機能サービスの向上",
        [("福祉", ["病児保育の広域利用", "成年後見制度の共同利用"]), ("人材育成", ["合同職員研修", "職員の人事交流"])],
    ),
]
KATAKANA = "アイウエオカキク"
PILLAR_LABELS: dict[str, Callable[[int], str]] = {
    "①": lambda i: "①②③④⑤"[i],
    "(1)": lambda i: f"({i + 1})",
    "1.": lambda i: f"{i + 1}.",
    "1": lambda i: f"{i + 1}",
    "第1": lambda i: f"第{i + 1}",
    "Ⅰ": lambda i: "ⅠⅡⅢⅣⅤ"[i],
}


@dataclass
class Proj:
    number: int
    name: str
    description: str
    pillar: str | None
    field: str | None
    roles: dict[str, str]  # official name → member / lead, in column order
    declared: int | None = None


# The specification of one table ----------------------------------------------------------------------------


@dataclass
class Spec:
    name: str
    about: str
    sphere: SphereData
    fmt: str = "tsv"  # tsv, csv, csv-bom, csv-cp932, md, xlsx
    seed: int = 1
    title: str | None = None  # the title line; None for none
    title_truth: dict[str, str] | None = None  # what the title gives (name, kind)
    central_column: bool = False  # the central cities have columns of their own
    member_labels: dict[str, str] = field(default_factory=dict)  # official name → header label
    pillar_label: str = "①"
    field_label: str = "ア"  # ア or (ア)
    number_in_name: bool = False  # the seed's first block: 11 創業支援事業 in one cell
    projects_per_field: int = 2
    mark: str = "○"
    lead_mark: str | None = None  # with a legend, the mark of the lead role
    marks_alternating: str | None = None  # a second mark used without a legend (its role is member)
    blank: str = ""
    legend: str | None = None  # "top" or "bottom"
    legend_text: str = ""
    count_label: str = "連携町数"
    count_with_central: bool = False  # the count column counts the central city too
    group_row: str | None = None  # None, "roles" (中心市 / 連携市町村) or "prefectures"
    totals: bool = True
    notes: list[str] = field(default_factory=list)  # note lines under the table
    one_cell: str | None = None  # the participants written in one cell: the separator style
    members_line: bool = False  # a line naming the members above the table
    count_kinds: bool = False  # the count written as 7市3町
    extra_columns: list[str] = field(default_factory=list)  # 備考, 旧番号 …
    hidden_columns: list[str] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)  # projects whose rows the workbook hides
    numbers_as_text: bool = False
    formulas: bool = False
    sheets: str | None = None  # None, or "pillars" (a sheet per pillar, a cover and notes)
    args: list[str] = field(default_factory=list)
    exit: int = 0
    expect: list[tuple[str, str, str]] = field(default_factory=list)  # (code, severity, anchor)
    allow: list[str] = field(default_factory=list)
    # Changes that break a table: each takes the projects and the grid builder's state.
    wrong_count: int | None = None  # the project whose declared count is one too many
    wrong_kinds: int | None = None  # the project whose 7市3町 count has one 市 too many
    unknown_mark: tuple[int, int] | None = None  # (project, member index) holding △
    missing_row: int | None = None  # a project left out, still counted in the totals
    stray_mark: int | None = None  # a project with a mark under an unnamed column
    unused_member: int | None = None  # a member index with no mark anywhere
    duplicate: int | None = None  # a project repeated under the last field
    sheet_filter: int | None = None  # with --sheet N: only the pillar of that sheet is read

    @property
    def columns(self) -> list[Town]:
        return (self.sphere.central if self.central_column else []) + self.sphere.members


def make_projects(spec: Spec) -> list[Proj]:
    rng = random.Random(spec.seed)
    pillars = METROPOLITAN_PILLARS if spec.sphere.kind == METROPOLITAN else SETTLEMENT_PILLARS
    columns = spec.columns
    projects: list[Proj] = []
    number = 0
    for pi, (ptitle, fields) in enumerate(pillars):
        plabel = PILLAR_LABELS[spec.pillar_label](pi)
        for fi, (ftitle, names) in enumerate(fields):
            flabel = f"({KATAKANA[fi]})" if spec.field_label == "(ア)" else KATAKANA[fi]
            for name in names[: spec.projects_per_field]:
                number += 1
                chosen = [t for t in columns if rng.random() < 0.6] or [rng.choice(columns)]
                if spec.one_cell and number % 3 == 0:  # 全市町, and 全市町（○○町を除く）
                    chosen = columns[: len(columns) - number % 2]
                if spec.one_cell and not spec.members_line and number == 1:
                    chosen = columns  # without a members line, the first row names every member
                if spec.unused_member is not None:
                    unused = spec.sphere.members[spec.unused_member]
                    chosen = [t for t in chosen if t != unused] or [t for t in columns if t != unused][:1]
                roles = {t.name: "member" for t in columns if t in chosen}
                if spec.lead_mark and roles:
                    lead = rng.choice(list(roles))
                    roles[lead] = "lead"
                projects.append(
                    Proj(
                        number,
                        name,
                        f"{name}について、圏域の市町村が連携して取り組む。",
                        f"{plabel} {ptitle}",
                        f"{flabel} {ftitle}",
                        roles,
                    )
                )
    if spec.duplicate is not None:
        original = projects[spec.duplicate - 1]
        last = projects[-1]
        number += 1
        projects.append(
            Proj(number, original.name, original.description, last.pillar, last.field, dict(original.roles))
        )
    return projects


# The grid: rows of cells, and where each cell a finding points at landed ------------------------------------


@dataclass
class Grid:
    rows: list[list[str]] = field(default_factory=list)
    sheet_of_row: list[str] = field(default_factory=list)
    at: dict[str, tuple[int, int]] = field(default_factory=dict)  # anchor → (row index, column index)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row, col from, col to) merged
    current_sheet: str = ""

    def add(self, cells: list[str], anchor: str | None = None) -> int:
        self.rows.append(cells)
        self.sheet_of_row.append(self.current_sheet)
        if anchor is not None:
            self.at[anchor] = (len(self.rows) - 1, 0)
        return len(self.rows) - 1


def _declared(spec: Spec, p: Proj) -> int:
    """The count a correct document prints: the marks, less the central cities' where the header says
    中心市を除く, plus the central city where it has no column and the header says 中心市を含む."""
    declared = len(p.roles)
    if "除く" in spec.count_label:
        declared -= sum(1 for t in spec.sphere.central if t.name in p.roles)
    if spec.count_with_central:
        declared += len(spec.sphere.central)
    return declared + (1 if spec.wrong_count == p.number else 0)


def _count_text(spec: Spec, roles: dict[str, str], declared: int) -> str:
    if not spec.count_kinds:
        return str(declared)
    kinds = {"市": 0, "町": 0, "村": 0}
    by_name = {t.name: t for t in spec.columns}
    for name in roles:
        kinds[by_name[name].kind] += 1
    return "".join(f"{n}{k}" for k, n in kinds.items() if n)


def _mark(spec: Spec, role: str, index: int) -> str:
    if role == "lead" and spec.lead_mark:
        return spec.lead_mark
    if spec.marks_alternating and index % 2:
        return spec.marks_alternating
    return spec.mark


def _one_cell(spec: Spec, roles: dict[str, str], explicit: bool) -> str:
    members = spec.columns
    names = [t.name for t in members if t.name in roles]
    absent = [t.name for t in members if t.name not in roles]
    if len(names) == len(members) and not explicit:
        return {"harima": "全市町", "bingo": "圏域全体", "hachinohe": "全市町村"}[spec.one_cell or "harima"]
    if len(absent) == 1 and len(names) > 2:
        return f"全市町（{absent[0]}を除く）"
    separator = {"harima": "、", "bingo": "\n", "hachinohe": "・"}[spec.one_cell or "harima"]
    return separator.join(names)


def build_grid(spec: Spec, projects: list[Proj]) -> Grid:
    grid = Grid()
    columns = spec.columns
    labels = [spec.member_labels.get(t.name, t.name) for t in columns]
    extra = spec.extra_columns
    if spec.title and spec.sheets != "pillars":  # a workbook's title is on its cover
        grid.add([spec.title], "title")
    if spec.members_line:
        grid.add(["構成市町：" + "、".join(t.name for t in columns)])
    if spec.legend == "top":
        grid.add([spec.legend_text])
    first = 2 if spec.number_in_name else 3  # the first member column
    if spec.one_cell:
        header = ["番号", "事業名", "事業内容", "連携市町村", spec.count_label, *extra]
    else:
        identity = ["事業名", "事業内容"] if spec.number_in_name else ["番号", "事業名", "事業内容"]
        stray = [""] if spec.stray_mark is not None else []
        header = [*identity, *labels, *stray, spec.count_label, *extra]
        if spec.group_row:
            upper = [""] * len(header)
            upper[: len(identity)] = identity
            upper[first + len(labels) + len(stray)] = spec.count_label
            groups = _groups(spec)
            col = first
            for label, size in groups:
                upper[col] = label
                if size > 1:
                    grid.merges.append((len(grid.rows), col, col + size - 1))
                col += size
            grid.add(upper, "group")
            lower = [""] * len(header)
            lower[first : first + len(labels)] = labels
            header = lower
            for i in range(first):
                grid.merges.append((len(grid.rows) - 1, -1, i))  # a vertical merge of the identity headers
    row = grid.add(header, "header")
    for i, t in enumerate(columns):
        grid.at[f"header:{t.name}"] = (row, first + i)
    pillar = field_ = None
    sheet_pillars = spec.sheets == "pillars"
    for p in projects:
        if p.pillar != pillar:
            pillar = p.pillar
            if sheet_pillars:  # a sheet per pillar, named after it, the header repeated on each
                grid.current_sheet = pillar or ""
                if grid.sheet_of_row[row] == "":
                    grid.sheet_of_row[row] = grid.current_sheet
                else:
                    grid.add(list(header))
            else:
                grid.add([pillar or ""])
            field_ = None
        if p.field != field_:
            field_ = p.field
            grid.add([field_ or ""])
        if spec.missing_row == p.number:
            continue
        declared = _declared(spec, p)
        count = _count_text(spec, p.roles, declared)
        if spec.wrong_kinds == p.number:
            count = count.replace("市", "市", 1)
            n = int(count.split("市")[0]) if "市" in count else 0
            count = f"{n + 1}市" + count.split("市", 1)[1] if "市" in count else f"1市{count}"
        identity = (
            [f"{p.number} {p.name}", p.description]
            if spec.number_in_name
            else [
                str(p.number),
                p.name,
                p.description,
            ]
        )
        extras = [_extra(name, p) for name in extra]
        if spec.one_cell:
            cells = [
                *identity,
                _one_cell(spec, p.roles, explicit=p.number == 1 and not spec.members_line),
                count,
                *extras,
            ]
        else:
            marks = [
                _mark(spec, p.roles[t.name], i) if t.name in p.roles else spec.blank for i, t in enumerate(columns)
            ]
            if spec.unknown_mark is not None and spec.unknown_mark[0] == p.number:
                marks[spec.unknown_mark[1]] = "△"
            stray = []
            if spec.stray_mark is not None:
                stray = ["○" if spec.stray_mark == p.number else spec.blank]
            cells = [*identity, *marks, *stray, count, *extras]
        r = grid.add(cells, f"row:{p.number}")
        count_at = len(identity) + (1 if spec.one_cell else len(columns) + (1 if spec.stray_mark is not None else 0))
        grid.at[f"count:{p.number}"] = (r, count_at)
        for i, t in enumerate(columns):
            grid.at[f"mark:{p.number}:{t.name}"] = (r, len(identity) + i)
        if spec.stray_mark is not None:
            grid.at[f"stray:{p.number}"] = (r, len(identity) + len(columns))
    if spec.totals and not spec.one_cell:
        per_town = [sum(1 for p in projects if t.name in p.roles) for t in columns]
        label_cells = ["連携事業数計"] + [""] * (first - 1)
        stray = [""] if spec.stray_mark is not None else []
        r = grid.add([*label_cells, *map(str, per_town), *stray, str(sum(per_town)), *[""] * len(extra)], "totals")
        grid.at["grand"] = (r, first + len(columns) + len(stray))
    for note in spec.notes:
        grid.add([note])
    if spec.legend == "bottom":
        grid.add([spec.legend_text])
    return grid


def _groups(spec: Spec) -> list[tuple[str, int]]:
    if spec.group_row == "prefectures":
        groups: list[tuple[str, int]] = []
        if spec.central_column:
            groups.append(("中心市", len(spec.sphere.central)))
        for t in spec.sphere.members:
            if groups and groups[-1][0] == t.prefecture:
                groups[-1] = (t.prefecture, groups[-1][1] + 1)
            else:
                groups.append((t.prefecture, 1))
        return groups
    central = [("中心市", len(spec.sphere.central))] if spec.central_column else []
    return [*central, ("連携市町村", len(spec.sphere.members))]


def _extra(name: str, p: Proj) -> str:
    if name == "旧番号":
        return str(p.number + 100)
    if name == "備考":
        return "令和6年度から" if p.number % 3 == 0 else ""
    return ""


# Writers ---------------------------------------------------------------------------------------------------


def write_delimited(grid: Grid, delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    for row in grid.rows:
        writer.writerow(row)
    return out.getvalue()


def write_tsv(grid: Grid) -> str:
    # A copy out of a PDF: no quotes, line breaks inside cells are spaces.
    return "".join("\t".join(c.replace("\n", " ") for c in row) + "\n" for row in grid.rows)


def write_markdown(grid: Grid, header_row: int) -> tuple[str, dict[int, int]]:
    """Markdown lines, and the line of each grid row (the separator line after the header shifts the rest)."""
    lines: list[str] = []
    line_of: dict[int, int] = {}
    for r, row in enumerate(grid.rows):
        if len(row) == 1 and r < header_row:
            lines.append(f"# {row[0]}")
        elif len(row) == 1:
            lines.append(row[0])
        else:
            lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", "<br>") for c in row) + " |")
        line_of[r] = len(lines)
        if r == header_row:
            lines.append("|" + "---|" * len(row))
    return "\n".join(lines) + "\n", line_of


def col_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def write_xlsx(spec: Spec, grid: Grid, path: Path) -> dict[int, tuple[str, int]]:
    """The grid as a workbook, one sheet per sheet name; returns each grid row's (sheet, sheet row)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    place: dict[int, tuple[str, int]] = {}
    sheets: dict[str, Any] = {}
    if spec.sheets == "pillars":
        cover = wb.create_sheet("表紙")
        cover["A1"] = spec.title or spec.sphere.name
        cover["A3"] = "令和6年3月"
    for r, (row, sheet_name) in enumerate(zip(grid.rows, grid.sheet_of_row, strict=True)):
        name = sheet_name or "連携事業"
        ws = sheets.get(name)
        if ws is None:
            ws = sheets[name] = wb.create_sheet(_sheet_title(name))
        ws_row = ws.max_row + 1 if ws.max_row > 1 or ws["A1"].value is not None else 1
        place[r] = (ws.title, ws_row)
        for c, text in enumerate(row):
            if text == "":
                continue
            value: Any = text
            if text.isdigit() and not spec.numbers_as_text:
                value = int(text)
            ws.cell(ws_row, c + 1, value)
    for r, c0, c1 in grid.merges:
        title, ws_row = place[r]
        ws = wb[title]
        if c0 == -1:  # the identity header cells merged down over the group row and the header row
            ws.merge_cells(start_row=ws_row, start_column=c1 + 1, end_row=ws_row + 1, end_column=c1 + 1)
        else:
            ws.merge_cells(start_row=ws_row, start_column=c0 + 1, end_row=ws_row, end_column=c1 + 1)
    for ws in sheets.values():
        header = next((r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value in ("事業名",)), None)
        for name in spec.hidden_columns:
            for c in range(1, ws.max_column + 1):
                if header is not None and ws.cell(header, c).value == name:
                    ws.column_dimensions[col_letter(c - 1)].hidden = True
    for number in spec.hidden_rows:
        title, ws_row = place[grid.at[f"row:{number}"][0]]
        wb[title].row_dimensions[ws_row].hidden = True
    if spec.formulas:
        _formulas(spec, grid, wb, place)
    if spec.sheets == "pillars":
        notes = wb.create_sheet("注記")
        notes["A1"] = "※ 事業費は各年度の予算によります。"
        notes["A2"] = "※ 連携町数は中心市を除きます。"
    wb.save(path)
    if spec.formulas:
        _recalculate(path)
    fix_timestamps(path)
    return place


_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def fix_timestamps(path: Path) -> None:
    """The same workbook bytes on every build: the zip entries' times and the document's dates fixed, so that
    building again changes no checked-in file whose table did not change."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = _DATES.sub(rb"\g<1>2024-04-01T00:00:00Z\g<2>", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 4, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, data)


def _sheet_title(pillar: str) -> str:
    return pillar.replace("・", "")[:31]


def _formulas(spec: Spec, grid: Grid, wb: Any, place: dict[int, tuple[str, int]]) -> None:
    """Counts as COUNTIF over the row's marks and totals as COUNTIF down each column, as offices write them."""
    columns = spec.columns
    first = 3
    for anchor, (r, c) in grid.at.items():
        if anchor.startswith("count:") and r in place:
            title, row = place[r]
            lo, hi = col_letter(first), col_letter(first + len(columns) - 1)
            wb[title].cell(row, c + 1, f'=COUNTIF({lo}{row}:{hi}{row},"{spec.mark}")')
    if "totals" in grid.at:
        title, row = place[grid.at["totals"][0]]
        rows = [place[r][1] for a, (r, _) in grid.at.items() if a.startswith("row:")]
        top, bottom = min(rows), max(rows)
        for i in range(len(columns)):
            letter = col_letter(first + i)
            wb[title].cell(row, first + i + 1, f'=COUNTIF({letter}{top}:{letter}{bottom},"{spec.mark}")')
        lo, hi = col_letter(first), col_letter(first + len(columns) - 1)
        wb[title].cell(row, first + len(columns) + 1, f"=SUM({lo}{row}:{hi}{row})")


def _recalculate(path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed to store the formulas' values")
    with tempfile.TemporaryDirectory() as work:
        profile = Path(work) / "profile"
        out = Path(work) / "out"
        subprocess.run(
            [
                soffice,
                "--headless",
                "--norestore",
                f"-env:UserInstallation={profile.as_uri()}",
                "--convert-to",
                "xlsx",
                "--outdir",
                str(out),
                str(path),
            ],
            capture_output=True,
            timeout=240,
            check=True,
        )
        shutil.copy(out / path.name, path)


# Truth -----------------------------------------------------------------------------------------------------


@dataclass
class Placed:
    """Where the rows of a written grid landed: a line of text, or a sheet and row of a workbook."""

    line_of: dict[int, int] = field(default_factory=dict)
    sheet_of: dict[int, tuple[str, int]] = field(default_factory=dict)

    def location(self, r: int, c: int | None) -> dict[str, Any]:
        if self.sheet_of:
            sheet, row = self.sheet_of[r]
            found: dict[str, Any] = {"sheet": sheet, "line": row}
            if c is not None:
                found["cell"] = f"{col_letter(c)}{row}"
            return found
        found = {"line": self.line_of[r]}
        if c is not None:
            found["column"] = c + 1
        return found


def _lines(grid: Grid, quoted: bool) -> dict[int, int]:
    """The line of each row of delimited text; a quoted cell with line breaks makes its record longer."""
    line_of, line = {}, 1
    for r, row in enumerate(grid.rows):
        line_of[r] = line
        line += 1 + (sum(c.count("\n") for c in row) if quoted else 0)
    return line_of


def write(spec: Spec, grid: Grid) -> Placed:
    path = HERE / spec.name
    if spec.fmt == "xlsx":
        return Placed(sheet_of=write_xlsx(spec, grid, path))
    if spec.fmt == "md":
        header_row = grid.at["group"][0] if "group" in grid.at else grid.at["header"][0]
        text, line_of = write_markdown(grid, header_row)
        path.write_text(text, encoding="utf-8")
        return Placed(line_of=line_of)
    if spec.fmt == "tsv":
        path.write_text(write_tsv(grid), encoding="utf-8")
        return Placed(line_of=_lines(grid, quoted=False))
    text = write_delimited(grid, ",")
    encoding = {"csv": "utf-8", "csv-bom": "utf-8-sig", "csv-cp932": "cp932"}[spec.fmt]
    path.write_bytes(text.encode(encoding))
    return Placed(line_of=_lines(grid, quoted=True))


def truth(spec: Spec, projects: list[Proj], grid: Grid, placed: Placed) -> dict[str, Any]:
    columns = spec.columns
    data: dict[str, Any] = {"file": Path(spec.name).name, "about": spec.about}
    if spec.args:
        data["args"] = spec.args
    data["exit"] = spec.exit
    if spec.title_truth:
        data["sphere"] = spec.title_truth
    data["municipalities"] = [{"name": t.name, "code": t.code} for t in columns]
    listed = [p for p in projects if p.number != spec.missing_row]
    if spec.sheet_filter is not None:
        pillar = sorted({p.pillar for p in projects}, key=[p.pillar for p in projects].index)[spec.sheet_filter - 1]
        listed = [p for p in listed if p.pillar == pillar]
    data["projects"] = [_project_truth(spec, p) for p in listed]
    if spec.totals and not spec.one_cell and spec.sheet_filter is None:
        per_town = [sum(1 for p in projects if t.name in p.roles) for t in columns]
        missing = [spec.missing_row] if spec.missing_row else []
        data["totals"] = {"declared_grand_total": sum(per_town), "missing_numbers": missing}
    findings = []
    expect = list(spec.expect)
    numbers = [p.number for p in listed]
    whole = len(numbers) >= 2 and numbers == list(range(1, len(numbers) + 1))
    if whole and not spec.one_cell:  # a member in no project of a whole table is reported
        for t in columns:
            if not any(t.name in p.roles for p in listed) and spec.unused_member is None:
                expect.append(("member-unused", "warning", f"header:{t.name}"))
    for code, severity, anchor in expect:
        found: dict[str, Any] = {"code": code, "severity": severity}
        if anchor:
            r, c = grid.at[anchor.split("@")[0]]
            whole_row = anchor.startswith(("row:", "totals", "title", "group")) and "@" not in anchor
            found |= placed.location(r, None if whole_row else c)
            if spec.sheet_filter is not None and "sheet" in found:  # each pillar's sheet repeats the header at row 1
                found["sheet"] = _sheet_title(pillar)
        findings.append(found)
    if findings:
        data["findings"] = findings
    if spec.allow:
        data["allow"] = spec.allow
    return data


def _project_truth(spec: Spec, p: Proj) -> dict[str, Any]:
    order = [t.name for t in spec.columns]
    roles = {name: p.roles[name] for name in order if name in p.roles}
    if spec.unknown_mark is not None and spec.unknown_mark[0] == p.number:
        roles.pop(order[spec.unknown_mark[1]], None)
    found: dict[str, Any] = {"number": p.number, "name": p.name, "participants": list(roles)}
    found["pillar"] = p.pillar
    found["field"] = p.field
    if spec.lead_mark:
        found["roles"] = roles
    found["declared_count"] = _declared(spec, p) + (1 if spec.wrong_kinds == p.number else 0)
    return found


def build(spec: Spec) -> None:
    projects = make_projects(spec)
    grid = build_grid(spec, projects)
    placed = write(spec, grid)
    stem = spec.name.rsplit(".", 1)[0]
    text = json.dumps(truth(spec, projects, grid, placed), ensure_ascii=False, indent=1) + "\n"
    (HERE / f"{stem}.truth.json").write_text(text, encoding="utf-8")


def not_a_table(name: str, content: bytes | Callable[[Path], None], about: str, code: str) -> None:
    path = HERE / name
    if callable(content):
        content(path)
    else:
        path.write_bytes(content)
    data = {
        "file": Path(name).name,
        "about": about,
        "exit": 2,
        "municipalities": [],
        "projects": [],
        "findings": [{"code": code}],
    }
    stem = name.rsplit(".", 1)[0]
    (HERE / f"{stem}.truth.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# The corpus ------------------------------------------------------------------------------------------------

LEGEND_LEAD = "◎：主体となって実施　○：連携して実施"
LEGEND_DOT = "凡例　●：中心となる市町　○：連携する市町"


def _title(sphere: SphereData, vision: str = "ビジョン") -> tuple[str, dict[str, str]]:
    return f"{sphere.name}{vision}", {"name": sphere.name, "kind": sphere.kind}


def specs() -> list[Spec]:
    hachinohe_title, hachinohe_truth = _title(HACHINOHE)
    bingo_title, bingo_truth = _title(BINGO)
    minami_title, minami_truth = _title(MINAMI_SHINSHU, "共生ビジョン")
    iburi_title, iburi_truth = _title(NISHI_IBURI, "共生ビジョン")
    alps_title, alps_truth = _title(KITA_ALPS, "共生ビジョン")
    return [
        # Marks and blanks
        Spec(
            "marks/tab_circle_hachinohe.txt",
            "tab text as copied from a PDF: title, (1) pillars, ○ and blanks",
            HACHINOHE,
            title=hachinohe_title,
            title_truth=hachinohe_truth,
            pillar_label="(1)",
            seed=11,
            count_label="連携市町村数",
        ),
        Spec(
            "marks/tab_check_iburi.txt",
            "✓ marks and － blanks; 伊達市 decided by the other members (北海道)",
            NISHI_IBURI,
            mark="✓",
            blank="－",
            seed=12,
        ),
        Spec(
            "marks/tab_heavy_check_alps.txt",
            "✔ marks and ― blanks; 池田町 decided by the other members (長野県)",
            KITA_ALPS,
            mark="✔",
            blank="―",
            pillar_label="1.",
            seed=13,
        ),
        Spec(
            "marks/tab_re_daisen.txt",
            "レ marks and × blanks; pillars 第1; 美郷町 decided by the title's central city",
            DAISEN,
            mark="レ",
            blank="×",
            pillar_label="第1",
            seed=14,
            title="大曲仙北定住自立圏共生ビジョン（中心市：大仙市）",
            title_truth={"name": "大曲仙北定住自立圏", "kind": SETTLEMENT},
        ),
        Spec(
            "marks/csv_sanka_minami.csv",
            "the word 参加 as the mark, empty blanks; pillars Ⅰ; UTF-8 CSV",
            MINAMI_SHINSHU,
            fmt="csv",
            mark="参加",
            pillar_label="Ⅰ",
            seed=15,
            projects_per_field=1,
        ),
        Spec(
            "marks/csv_jisshi_iburi.csv",
            "the word 実施 as the mark, 「－」 as blanks; UTF-8 CSV with BOM",
            NISHI_IBURI,
            fmt="csv-bom",
            mark="実施",
            blank="「－」",
            seed=16,
        ),
        Spec(
            "marks/csv_cp932_alps.csv",
            "Shift_JIS (CP932) CSV; 〇 (U+3007) marks and 0 as blank",
            KITA_ALPS,
            fmt="csv-cp932",
            mark="〇",
            blank="0",
            seed=17,
            title=alps_title,
            title_truth=alps_truth,
        ),
        Spec(
            "marks/opendata_harima.csv",
            "open-data CSV: 1 for taking part, 0 for not, UTF-8 with BOM",
            HARIMA,
            fmt="csv-bom",
            mark="1",
            blank="0",
            seed=18,
            projects_per_field=1,
        ),
        Spec(
            "marks/legend_top_bingo.txt",
            "a legend above the table: ◎ the lead, ○ a member",
            BINGO,
            lead_mark="◎",
            legend="top",
            legend_text=LEGEND_LEAD,
            seed=19,
            title=bingo_title,
            title_truth=bingo_truth,
            pillar_label="(1)",
        ),
        Spec(
            "marks/legend_bottom_hachinohe.csv",
            "a legend under the table: ● the lead, ○ a member; UTF-8 CSV",
            HACHINOHE,
            fmt="csv",
            lead_mark="●",
            legend="bottom",
            legend_text=LEGEND_DOT,
            seed=20,
            pillar_label="(1)",
        ),
        Spec(
            "marks/lead_without_legend_minami.txt",
            "● alone with no legend: ● marks a member",
            MINAMI_SHINSHU,
            mark="●",
            seed=21,
            projects_per_field=1,
        ),
        Spec(
            "marks/two_marks_no_legend_iburi.txt",
            "○ and ◎ both used with no legend: members, and a warning",
            NISHI_IBURI,
            marks_alternating="◎",
            seed=22,
            expect=[("mark-legend-missing", "warning", "")],
        ),
        Spec(
            "marks/broken_unknown_mark_alps.txt",
            "an unknown mark △: an error naming its cell",
            KITA_ALPS,
            seed=23,
            exit=1,
            unknown_mark=(3, 1),
            expect=[("unknown-mark", "error", "mark:3:松川村")],
            allow=["count-mismatch", "total-mismatch", "grand-total-rows-mismatch"],
        ),
        # Headers with structure
        Spec(
            "headers/group_roles_bingo.txt",
            "two header rows: 中心市 / 連携市町村 over the towns; the central "
            "city has a column and the count says 中心市を除く",
            BINGO,
            central_column=True,
            group_row="roles",
            count_label="連携市町数（中心市を除く）",
            seed=24,
            pillar_label="(1)",
        ),
        Spec(
            "headers/group_prefectures_bingo.xlsx",
            "merged prefecture group headers (広島県 / 岡山県) over the "
            "towns of a two-prefecture sphere; 府中市 decided by its group",
            BINGO,
            fmt="xlsx",
            central_column=True,
            group_row="prefectures",
            count_label="連携市町数（中心市を除く）",
            seed=25,
            pillar_label="(1)",
            title=bingo_title,
            title_truth=bingo_truth,
        ),
        Spec(
            "headers/fukugan_nakasorachi.xlsx",
            "two central cities (複眼型中心市) as columns under a merged 中心市 group; the count says 中心市を含む",
            NAKASORACHI,
            fmt="xlsx",
            central_column=True,
            group_row="roles",
            count_label="連携市町数（中心市を含む）",
            seed=26,
            title="中空知定住自立圏共生ビジョン",
            title_truth={"name": "中空知定住自立圏", "kind": SETTLEMENT},
        ),
        Spec(
            "headers/count_with_central_iburi.txt",
            "no central city column, and a count that includes it (中心市を含む): each count is the marks plus one",
            NISHI_IBURI,
            count_label="連携市町数（中心市を含む）",
            count_with_central=True,
            seed=27,
            title=iburi_title,
            title_truth=iburi_truth,
        ),
        Spec(
            "headers/footnotes_minami.txt",
            "footnote marks in the headers (阿智村（※）, 根羽村※1) and the notes under the table",
            MINAMI_SHINSHU,
            member_labels={"阿智村": "阿智村（※）", "根羽村": "根羽村※1"},
            notes=["※ 阿智村は令和5年度から参加", "※1 根羽村は一部事業のみ"],
            seed=28,
            projects_per_field=1,
            title=minami_title,
            title_truth=minami_truth,
        ),
        Spec(
            "headers/prefixes_bingo.csv",
            "prefecture prefixes in the headers (広島県府中市, 岡山県笠岡市)",
            BINGO,
            fmt="csv",
            member_labels={t.name: t.prefecture + t.name for t in BINGO.members},
            seed=29,
            pillar_label="(1)",
        ),
        Spec(
            "headers/clash_alps.md",
            "Markdown table; 池田町 (four prefectures) decided by the other members",
            KITA_ALPS,
            fmt="md",
            seed=30,
            title=alps_title,
            title_truth=alps_truth,
        ),
        Spec(
            "headers/clash_hachinohe_nanbu.txt",
            "南部町 (three prefectures) decided by the other members and the title's central city",
            HACHINOHE,
            seed=31,
            title="八戸圏域連携中枢都市圏ビジョン（連携中枢都市：八戸市）",
            title_truth=hachinohe_truth,
            pillar_label="(1)",
        ),
        # Workbooks
        Spec(
            "workbooks/sheets_per_pillar_minami.xlsx",
            "a cover sheet, one sheet per pillar and a notes sheet: one "
            "vision, the sheets' names its pillars, the cover and notes skipped",
            MINAMI_SHINSHU,
            fmt="xlsx",
            sheets="pillars",
            seed=32,
            projects_per_field=1,
            expect=[("sheet-skipped", "info", ""), ("sheet-skipped", "info", "")],
        ),
        Spec(
            "workbooks/sheet_option_minami.xlsx",
            "--sheet 3 restricts the reading to one sheet of a workbook split by pillar",
            MINAMI_SHINSHU,
            fmt="xlsx",
            sheets="pillars",
            seed=33,
            projects_per_field=1,
            args=["--sheet", "3"],
            sheet_filter=2,
            totals=False,
        ),
        Spec(
            "workbooks/hidden_text_numbers_iburi.xlsx",
            "hidden columns (旧番号, and 白老町 named like a town), a 備考 column and numbers stored as text: "
            "attributes, never towns",
            NISHI_IBURI,
            fmt="xlsx",
            extra_columns=["旧番号", "備考", "白老町"],
            hidden_columns=["旧番号", "白老町"],
            hidden_rows=[3],
            expect=[("row-hidden", "info", "row:3")],
            numbers_as_text=True,
            seed=34,
            title=iburi_title,
            title_truth=iburi_truth,
        ),
        Spec(
            "workbooks/duplicate_on_two_sheets_minami.xlsx",
            "the same project on two sheets of a workbook split by pillar: a warning at the second",
            MINAMI_SHINSHU,
            fmt="xlsx",
            sheets="pillars",
            seed=48,
            projects_per_field=1,
            duplicate=1,
            expect=[("project-duplicate", "warning", "row:8"), ("sheet-skipped", "info", "")],
        ),
        Spec(
            "workbooks/formulas_alps.xlsx",
            "counts and totals as COUNTIF/SUM formulas whose values LibreOffice calculated and stored",
            KITA_ALPS,
            fmt="xlsx",
            formulas=True,
            seed=35,
        ),
        # Participants in one cell
        Spec(
            "onecell/harima_members_line.csv",
            "participants in one cell separated by 、 with 全市町 and "
            "「全市町（○○町を除く）」; the members named on a line above",
            HARIMA,
            fmt="csv",
            one_cell="harima",
            central_column=True,
            members_line=True,
            count_label="連携市町数",
            seed=36,
            totals=False,
        ),
        Spec(
            "onecell/bingo_line_breaks.xlsx",
            "participants one per line in a cell, 圏域全体 for all; the members from the names met",
            BINGO,
            fmt="xlsx",
            one_cell="bingo",
            central_column=True,
            count_label="市町数",
            seed=37,
            totals=False,
            title=bingo_title,
            title_truth=bingo_truth,
            pillar_label="(1)",
        ),
        Spec(
            "onecell/hachinohe_counts_by_kind.txt",
            "participants separated by ・, 全市町村, counts written as 1市3町1村",
            HACHINOHE,
            one_cell="hachinohe",
            central_column=True,
            members_line=True,
            count_kinds=True,
            count_label="連携市町村数",
            seed=38,
            totals=False,
            pillar_label="(1)",
        ),
        Spec(
            "onecell/broken_counts_by_kind.txt",
            "a count written as 2市… where the names hold one city: an error",
            HACHINOHE,
            one_cell="hachinohe",
            central_column=True,
            members_line=True,
            count_kinds=True,
            count_label="連携市町村数",
            seed=39,
            totals=False,
            pillar_label="(1)",
            exit=1,
            wrong_kinds=2,
            expect=[("count-mismatch", "error", "count:2"), ("count-kinds-mismatch", "error", "count:2")],
        ),
        # Headings and titles
        Spec(
            "headings/numbers_without_dot_minami.txt",
            "pillar headings 1 / 2 / 3 without a dot, fields (ア)",
            MINAMI_SHINSHU,
            pillar_label="1",
            field_label="(ア)",
            seed=40,
            projects_per_field=1,
            title=minami_title,
            title_truth=minami_truth,
        ),
        Spec(
            "headings/title_guessed_harima.txt",
            "a title ending in 圏域 alone: the kind is guessed, with a finding",
            HARIMA,
            title="播磨圏域",
            title_truth={"name": "播磨圏域", "kind": METROPOLITAN},
            pillar_label="(1)",
            seed=41,
            projects_per_field=1,
            expect=[("sphere-kind-guessed", "info", "title")],
        ),
        Spec(
            "headings/number_in_name_iburi.txt",
            "the seed's shape: number and name in one cell, 11 columns",
            NISHI_IBURI,
            number_in_name=True,
            seed=42,
        ),
        # Checks
        Spec(
            "checks/broken_count_hachinohe.txt",
            "a declared count one more than its marks: an error at the cell",
            HACHINOHE,
            seed=43,
            exit=1,
            wrong_count=4,
            pillar_label="(1)",
            expect=[("count-mismatch", "error", "count:4")],
        ),
        Spec(
            "checks/broken_row_missing_bingo.txt",
            "a whole table (title, 1..N) with one row left out that the totals still count",
            BINGO,
            seed=44,
            exit=1,
            missing_row=5,
            title=bingo_title,
            title_truth=bingo_truth,
            pillar_label="(1)",
            expect=[("row-missing", "error", "row:6")],
            allow=["fragment-negative", "fragment-overflow"],
        ),
        Spec(
            "checks/broken_stray_mark_alps.txt",
            "a mark under a column that has no municipality: an error at the cell",
            KITA_ALPS,
            seed=45,
            exit=1,
            stray_mark=2,
            expect=[("mark-without-municipality", "error", "stray:2")],
            allow=["row-width"],
        ),
        Spec(
            "checks/member_unused_daisen.txt",
            "a member column where nobody takes part: a warning",
            DAISEN,
            seed=46,
            unused_member=1,
            expect=[("member-unused", "warning", "header:美郷町")],
            title="大曲仙北定住自立圏共生ビジョン（中心市：大仙市）",
            title_truth={"name": "大曲仙北定住自立圏", "kind": SETTLEMENT},
        ),
        Spec(
            "checks/duplicate_project_iburi.csv",
            "the same project listed under two fields: a warning",
            NISHI_IBURI,
            fmt="csv",
            seed=47,
            duplicate=2,
            expect=[("project-duplicate", "warning", "row:15")],
        ),
    ]


def _prose(path: Path) -> None:
    path.write_text(
        "南信州定住自立圏共生ビジョン\n\n第1章 圏域の現状\n"
        "本圏域は長野県の南部に位置し、飯田市を中心とする14市町村からなる。\n"
        "人口は減少傾向にあり、高齢化率は全国平均を上回っている。\n",
        encoding="utf-8",
    )


def _population(path: Path) -> None:
    rows = ["市町村,人口,世帯数"] + [
        f"{t.name},{1000 * (i + 3)},{400 * (i + 3)}" for i, t in enumerate(KITA_ALPS.members)
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def _cover_only(path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "表紙"
    wb.active["A1"] = "西いぶり定住自立圏共生ビジョン"
    notes = wb.create_sheet("注記")
    notes["A1"] = "※ 連携事業の一覧は別冊に掲載しています。"
    wb.save(path)
    fix_timestamps(path)


def main() -> None:
    for spec in specs():
        (HERE / spec.name).parent.mkdir(parents=True, exist_ok=True)
        build(spec)
    (HERE / "notatable").mkdir(exist_ok=True)
    not_a_table("notatable/prose.txt", _prose, "prose of a vision, no table in it", "no-table")
    not_a_table("notatable/population.csv", _population, "a CSV of population figures, not a project table", "no-table")
    not_a_table("notatable/cover_only.xlsx", _cover_only, "a workbook with a cover and notes only", "no-table")
    print(f"{len(specs()) + 3} tables written under {HERE}", file=sys.stderr)


if __name__ == "__main__":
    main()
