"""Build the structure part of the reading corpus (tests/corpus/structure/): tables that must be read by their
structure rather than by renkei's word lists (issue 19).

Run ``python tests/corpus/build_structure.py`` to remake every file under tests/corpus/structure/. Each table
is made from a *specification*: a real sphere's members (``shared/data/spheres.csv``; codes from the bundled
national list), projects with seeded random marks, and the shape it is written in. The truth file is written
from the same specification, never read back from renkei.

The shapes: name columns under headings outside renkei's word lists (取組名, 主な取組, 事業の名称, 連携する取組,
施策名, 取組事項) and with no heading at all; group labels over the towns in unfamiliar wording (中心都市 /
周辺の町村, 圏域の中心 / 構成町村); notes that the central city takes part in every project (under the table,
above it, naming the city); a workbook with a 計 row per sheet and a sheet of totals; a members line that names
the roles first, with counts by kind in the participants' cells; variant characters (異体字) in member names
and headings; and a table whose name column cannot be found (exit 1, ``name-column-missing``).
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).resolve().parent
OUT = HERE / "structure"
ROOT = HERE.parents[1]
CODES = ROOT / "src" / "renkei" / "data" / "municipalities.csv"

with CODES.open(encoding="utf-8", newline="") as f:
    NATIONAL = {(row["prefecture"], row["name"]): row["code"] for row in csv.DictReader(f)}

# Real spheres not elsewhere in the corpus: (prefecture, central city, members in the agreements' order).
SPHERES = {
    "hitoyoshi": ("熊本県", "人吉市", ["錦町", "多良木町", "湯前町", "水上村", "相良村", "五木村", "山江村"]),
    "osumi": ("鹿児島県", "鹿屋市", ["垂水市", "志布志市", "大崎町", "東串良町", "錦江町", "南大隅町", "肝付町"]),
    "tagawa": ("福岡県", "田川市", ["香春町", "添田町", "糸田町", "川崎町", "大任町", "赤村", "福智町"]),
    "uwajima": ("愛媛県", "宇和島市", ["松野町", "鬼北町", "愛南町"]),
    "tokushima": ("徳島県", "徳島市", ["小松島市", "勝浦町", "上勝町", "佐那河内村", "石井町", "神山町"]),
    "shirakawa": ("福島県", "白河市", ["西郷村", "泉崎村", "中島村", "矢吹町", "棚倉町", "矢祭町"]),
    "shinjo": ("山形県", "新庄市", ["金山町", "最上町", "舟形町", "真室川町", "大蔵村", "鮭川村", "戸沢村"]),
    "minokamo": ("岐阜県", "美濃加茂市", ["坂祝町", "富加町", "川辺町", "七宗町", "八百津町", "白川町", "東白川村"]),
    "ueda": ("長野県", "上田市", ["東御市", "長和町", "青木村", "坂城町", "立科町"]),
    "hirosaki": ("青森県", "弘前市", ["黒石市", "平川市", "藤崎町", "板柳町", "大鰐町", "田舎館村", "西目屋村"]),
    "sasebo": ("長崎県", "佐世保市", ["平戸市", "松浦市", "西海市", "東彼杵町", "川棚町", "波佐見町", "佐々町"]),
    "chusan": ("香川県", "丸亀市", ["善通寺市", "琴平町", "多度津町", "まんのう町"]),
    "okitama": ("山形県", "米沢市", ["長井市", "南陽市", "高畠町", "川西町", "飯豊町"]),
    "tsuyama": ("岡山県", "津山市", ["鏡野町", "勝央町", "奈義町", "久米南町", "美咲町"]),
    "tajima": ("兵庫県", "豊岡市", ["養父市", "朝来市", "香美町", "新温泉町"]),
    "kitami": ("北海道", "北見市", ["訓子府町", "置戸町"]),
    "nishiharima": ("兵庫県", "たつの市", ["宍粟市", "太子町", "上郡町", "佐用町"]),
    "bingo": ("広島県", "福山市", ["三原市", "尾道市", "府中市", "世羅町", "神石高原町"]),
    "oita": ("大分県", "大分市", ["別府市", "臼杵市", "津久見市", "竹田市", "豊後大野市", "由布市", "日出町"]),
    "hachinohe": ("青森県", "八戸市", ["三戸町", "五戸町", "田子町", "南部町", "階上町", "新郷村", "おいらせ町"]),
}
NAMES = [
    "救急医療体制の確保",
    "地域医療連携の推進",
    "子育て支援の充実",
    "高齢者の見守り",
    "地域公共交通の維持",
    "広域観光の推進",
    "地場産品の販路拡大",
    "移住定住の促進",
    "職員研修の共同実施",
    "防災体制の強化",
    "図書館の相互利用",
    "婚活支援事業",
]


@dataclass
class Project:
    number: int
    name: str
    description: str
    marks: list[bool]  # per member (and the central city first where it has a column)


@dataclass
class Spec:
    key: str
    sphere: str
    central_column: bool = False  # the central city has a column of its own
    projects: list[Project] = field(default_factory=list)

    @property
    def prefecture(self) -> str:
        return SPHERES[self.sphere][0]

    @property
    def central(self) -> str:
        return SPHERES[self.sphere][1]

    @property
    def columns(self) -> list[str]:
        members = SPHERES[self.sphere][2]
        return [self.central, *members] if self.central_column else list(members)

    def code(self, name: str) -> str:
        return NATIONAL[(self.prefecture, name)]


def make(key: str, sphere: str, n: int, *, central_column: bool = False, seed: int = 0) -> Spec:
    spec = Spec(key, sphere, central_column)
    rng = random.Random(f"{key}:{seed}")
    width = len(spec.columns)
    for i in range(n):
        marks = [rng.random() < 0.55 for _ in range(width)]
        if not any(marks):
            marks[rng.randrange(width)] = True
        name = NAMES[i % len(NAMES)]
        description = f"{name}のため、圏域の市町村が連携して取り組む。"
        spec.projects.append(Project(i + 1, name, description, marks))
    for column in range(width):  # every member takes part in something, as in a real vision
        if not any(p.marks[column] for p in spec.projects):
            rng.choice(spec.projects).marks[column] = True
    return spec


def participants(spec: Spec, project: Project) -> list[str]:
    return [name for name, mark in zip(spec.columns, project.marks, strict=True) if mark]


def truth(spec: Spec, file: str, about: str, **extra: Any) -> dict[str, Any]:
    plus = extra.pop("plus", 0)
    return {
        "file": file,
        "about": about,
        "exit": extra.pop("exit", 0),
        "municipalities": [{"name": m, "code": spec.code(m)} for m in spec.columns],
        "projects": [
            {
                "number": p.number,
                "name": p.name,
                "participants": participants(spec, p),
                "declared_count": sum(p.marks) + plus,
            }
            for p in spec.projects
        ],
        **extra,
    }


def grid(spec: Spec, headers: list[str], *, plus: int = 0, written: Callable[[str], str] = str) -> list[list[str]]:
    """The table as rows of text: number, name, description, a ○ per column, the count."""
    rows = [[*headers[:3], *(written(m) for m in spec.columns), headers[3]]]
    for p in spec.projects:
        marks = ["○" if m else "" for m in p.marks]
        rows.append([str(p.number), p.name, p.description, *marks, str(sum(p.marks) + plus)])
    return rows


def totals_row(spec: Spec, label: str = "連携事業数計", blanks: int = 2) -> list[str]:
    per = per_town(spec)
    return [label, *[""] * blanks, *map(str, per), str(sum(per))]


def per_town(spec: Spec) -> list[int]:
    """How many projects each column's town takes part in: a totals row's figures."""
    return [sum(p.marks[i] for p in spec.projects) for i in range(len(spec.columns))]


def append_totals(sheet: Worksheet, spec: Spec, label: str, blanks: int) -> None:
    """A workbook's totals row: its label, ``blanks`` empty cells, each town's count and their sum, as numbers."""
    per = per_town(spec)
    sheet.append([label, *[None] * blanks, *per, sum(per)])


def write_tsv(path: Path, rows: list[list[str]]) -> None:
    path.write_text("\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")


def write_csv(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")


def write_md(path: Path, title: str, rows: list[list[str]]) -> None:
    width = max(len(r) for r in rows)
    lines = [f"# {title}", ""]
    for i, r in enumerate(rows):
        cells = [*r, *[""] * (width - len(r))]
        lines.append("| " + " | ".join(cells) + " |")
        if i == 0:
            lines.append("|" + "---|" * width)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def workbook(title: str) -> tuple[Workbook, Worksheet]:
    """A new workbook and its one sheet, named."""
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = title
    return book, sheet


def save_table(book: Workbook, spec: Spec, key: str, about: str, finding: dict[str, str]) -> None:
    """A workbook of the corpus saved as ``key``.xlsx, with its truth and the one finding it must report."""
    save(book, OUT / f"{key}.xlsx")
    data = truth(spec, f"{key}.xlsx", about)
    data["findings"] = [finding]
    write_truth(key, data)


def save(book: Workbook, path: Path) -> None:
    book.save(path)


def write_truth(name: str, data: dict[str, Any]) -> None:
    (OUT / f"{name}.truth.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# The tables -------------------------------------------------------------------------------------------------


def unfamiliar_names() -> None:
    """Name columns headed in words outside renkei's lists, in each text format and a workbook."""
    shapes = [
        ("name_torikumi_meisho_hitoyoshi", "hitoyoshi", ["番号", "取組の名称", "具体的内容", "連携町村数"], "txt"),
        ("name_omona_torikumi_osumi", "osumi", ["No.", "主な取組", "取組の概要", "連携市町数"], "csv"),
        ("name_renkei_suru_torikumi_tagawa", "tagawa", ["番号", "連携する取組", "内容", "連携町村数"], "md"),
        ("name_jigyo_no_meisho_okitama", "okitama", ["番号", "事業の名称", "事業の内容", "連携市町数"], "xlsx"),
    ]
    for key, sphere, headers, ext in shapes:
        spec = make(key, sphere, 9)
        rows = [*grid(spec, headers), totals_row(spec)]
        path = OUT / f"{key}.{ext}"
        if ext == "txt":
            write_tsv(path, rows)
        elif ext == "csv":
            write_csv(path, rows)
        elif ext == "md":
            write_md(path, f"{spec.central}を中心とする定住自立圏 連携事業一覧", rows)
        else:
            book, sheet = workbook("連携事業")
            for r in rows:
                sheet.append([int(c) if c.isdigit() else (c or None) for c in r])
            save(book, path)
        about = f"the name column headed {headers[1]} and the description {headers[2]}: told by their cells"
        found: dict[str, Any] = {"code": "name-column-inferred", "severity": "info", "column": 2}
        if ext != "xlsx":
            found["line"] = 3 if ext == "md" else 1  # the Markdown file opens with its title
        write_truth(key, truth(spec, path.name, about, findings=[found]))


def no_headings() -> None:
    """Number, name and description under empty header cells: only the towns are named."""
    key = "no_headings_chusan"
    spec = make(key, "chusan", 8)
    rows = [*grid(spec, ["", "", "", "連携市町数"]), totals_row(spec)]
    write_tsv(OUT / f"{key}.txt", rows)
    about = "no heading over number, name and description: the cells tell them apart"
    write_truth(key, truth(spec, f"{key}.txt", about))


def unfamiliar_groups() -> None:
    """Two header rows: group labels in unfamiliar wording over the central city and the towns."""
    for key, sphere, groups, heading in [
        ("group_chushin_toshi_shirakawa", "shirakawa", ("中心都市", "周辺の町村"), "施策名"),
        ("group_keniki_no_chushin_minokamo", "minokamo", ("圏域の中心", "構成町村"), "取組事項"),
    ]:
        spec = make(key, sphere, 8, central_column=True)
        book, sheet = workbook("事業一覧")
        width = len(spec.columns)
        sheet.append(["番号", heading, "事業内容", groups[0], groups[1], *[None] * (width - 2), "連携市町村数"])
        sheet.append([None, None, None, *spec.columns, None])
        sheet.merge_cells(start_row=1, start_column=5, end_row=1, end_column=3 + width)
        for p in spec.projects:
            sheet.append([p.number, p.name, p.description, *("○" if m else None for m in p.marks), sum(p.marks)])
        per = [sum(p.marks[i] for p in spec.projects) for i in range(width)]
        sheet.append(["計", None, None, *per, sum(per)])
        save(book, OUT / f"{key}.xlsx")
        about = f"group labels {groups[0]} / {groups[1]} (merged) over the towns, the name column headed {heading}"
        write_truth(key, truth(spec, f"{key}.xlsx", about))


def central_notes() -> None:
    """Counts that include the central city (no column), as a note says in three wordings and places."""
    for key, sphere, note, above, ext in [
        ("note_below_shinjo", "shinjo", "※連携町村数には中心市（新庄市）を含む。", False, "txt"),
        ("note_above_ueda", "ueda", "各事業には中心市が参加するものとする。", True, "csv"),
        ("note_named_hirosaki", "hirosaki", "※弘前市は全事業に参加しています。", False, "txt"),
    ]:
        spec = make(key, sphere, 9)
        rows = grid(spec, ["番号", "事業名", "事業内容", "連携市町村数"], plus=1)
        table = [[note], *rows] if above else [*rows, [note]]
        path = OUT / f"{key}.{ext}"
        (write_tsv if ext == "txt" else write_csv)(path, table)
        line = 1 if above else len(rows) + 1
        about = f"every count includes the central city, as the note {'above' if above else 'under'} the table says"
        findings = [{"code": "central-note-applied", "severity": "info", "line": line}]
        write_truth(key, truth(spec, path.name, about, plus=1, findings=findings))


def sheet_totals() -> None:
    """One sheet per pillar, each with its own 計 row, and a sheet of the whole's totals."""
    key = "sheet_totals_sasebo"
    spec = make(key, "sasebo", 10)
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    halves = {"① 圏域全体の経済成長のけん引": spec.projects[:5], "② 高次の都市機能の集積・強化": spec.projects[5:]}
    width = len(spec.columns)
    for title, projects in halves.items():
        sheet = book.create_sheet(title)
        sheet.append(["番号", "事業名", "事業内容", *spec.columns, "連携市町数"])
        for p in projects:
            sheet.append([p.number, p.name, p.description, *("○" if m else None for m in p.marks), sum(p.marks)])
        per = [sum(p.marks[i] for p in projects) for i in range(width)]
        sheet.append(["計", None, None, *per, sum(per)])
    per = [sum(p.marks[i] for p in spec.projects) for i in range(width)]
    book.create_sheet("総括").append(["連携事業数計", None, None, *per, sum(per)])
    save(book, OUT / f"{key}.xlsx")
    data = truth(spec, f"{key}.xlsx", "a 計 row per sheet, each summing its own sheet; the whole on a sheet of totals")
    data["totals"] = {"declared_grand_total": sum(per), "declared": dict(zip(spec.columns, per, strict=True))}
    data["findings"] = [{"code": "sheet-totals", "severity": "info"}]
    write_truth(key, data)


def roles_first() -> None:
    """A members line naming the roles first, participants in one cell, counts by kind."""
    key = "roles_first_line_uwajima"
    spec = make(key, "uwajima", 8, central_column=True)
    kinds = {"市": 0, "町": 0, "村": 0}
    lines = [
        f"宇和島圏域定住自立圏（中心市：{spec.central}）",
        f"連携町：{'・'.join(spec.columns[1:])}／中心市：{spec.central}",
        "\t".join(["番号", "取組名", "取組の内容", "連携市町村", "市町村数"]),
    ]
    for p in spec.projects:
        named = participants(spec, p)
        counts = dict(kinds)
        for n in named:
            counts[n[-1]] += 1
        by_kind = "".join(f"{v}{k}" for k, v in counts.items() if v)
        cell = "全市町" if len(named) == len(spec.columns) else "、".join(named)
        lines.append("\t".join([str(p.number), p.name, p.description, cell, by_kind]))
    (OUT / f"{key}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # The members line gives the columns in its own order: the towns first, then the central city.
    ordered = [*spec.columns[1:], spec.columns[0]]
    data = truth(spec, f"{key}.txt", "members line with the roles first (連携町：…／中心市：…), counts as 1市2町")
    data["municipalities"] = [{"name": m, "code": spec.code(m)} for m in ordered]
    for p, t in zip(spec.projects, data["projects"], strict=True):
        t["participants"] = [m for m in ordered if m in participants(spec, p)]
    data["sphere"] = {"name": "宇和島圏域定住自立圏", "kind": "定住自立圏"}
    write_truth(key, data)


def variants() -> None:
    """Member names and a heading written with variant characters: 德島市, 小松嶋市, 事業內容."""
    key = "variants_tokushima"
    spec = make(key, "tokushima", 8, central_column=True)
    forms = {"徳": "德", "島": "嶋"}

    def written(name: str) -> str:
        return "".join(forms.get(c, c) for c in name) if name in ("徳島市", "小松島市") else name

    rows = [*grid(spec, ["番号", "事業名", "事業內容", "連携市町村数"], written=written), totals_row(spec)]
    write_tsv(OUT / f"{key}.txt", rows)
    findings = [
        {"code": "variant-folded", "severity": "info", "line": 1, "column": 4},
        {"code": "variant-folded", "severity": "info", "line": 1, "column": 5},
    ]
    write_truth(
        key, truth(spec, f"{key}.txt", "異体字 in member names (德島市, 小松嶋市) and a heading", findings=findings)
    )


def names_missing() -> None:
    """No column holds names: the only text column holds sentences, under a heading no list knows."""
    key = "name_missing_osumi"
    spec = make(key, "osumi", 6, seed=1)
    rows = [["番号", "取組の方向性", *spec.columns, "連携市町数"]]
    for p in spec.projects:
        text = f"{p.name}を進めるため、圏域の市町が共同で事業を実施し、その成果を共有する。"
        rows.append([str(p.number), text, *("○" if m else "" for m in p.marks), str(sum(p.marks))])
    write_tsv(OUT / f"{key}.txt", rows)
    data = truth(spec, f"{key}.txt", "no column holds names: an error naming the candidates, exit 1", exit=1)
    for project in data["projects"]:
        del project["name"]  # the names cannot be found: not scored
    data["findings"] = [{"code": "name-column-missing", "severity": "error", "line": 1}]
    write_truth(key, data)


PILLARS = ("生活機能の強化", "結びつきやネットワークの強化", "圏域マネジメント能力の強化")


def pillar_columns() -> None:
    """Each row's pillar in a column of its own beside the number and the name, numbered as a project could be
    ((1), 1.) and headed in a word that also heads names (取組, 施策): the row's own number says it is no project's."""
    for key, sphere, headers, label, ext in [
        ("pillar_column_torikumi_hirosaki", "hirosaki", ["No.", "取組", "事業名", "概要"], "({})", "csv"),
        ("pillar_column_shisaku_sasebo", "sasebo", ["番号", "施策", "事業名", "事業内容"], "{}.", "xlsx"),
    ]:
        spec = make(key, sphere, 9)
        pillars = [
            f"{label.format(1 + i * 3 // len(spec.projects))} {PILLARS[i * 3 // len(spec.projects)]}"
            for i in range(len(spec.projects))
        ]
        rows = [[*headers, *spec.columns, "連携市町村数"]]
        for p, pillar in zip(spec.projects, pillars, strict=True):
            marks = ["○" if m else "" for m in p.marks]
            rows.append([str(p.number), pillar, p.name, p.description, *marks, str(sum(p.marks))])
        rows.append(["計", "", *totals_row(spec, label="", blanks=2)[1:]])
        path = OUT / f"{key}.{ext}"
        if ext == "csv":
            write_csv(path, rows)
        else:
            book, sheet = workbook("連携事業")
            for i, r in enumerate(rows):
                merged_away = 0 < i < len(rows) - 1 and i > 1 and r[1] == rows[i - 1][1]
                sheet.append(
                    [
                        int(c) if c.isdigit() else (None if merged_away and j == 1 else c or None)
                        for j, c in enumerate(r)
                    ]
                )
            start = 2
            for i in range(2, len(rows)):
                if i == len(rows) - 1 or rows[i][1] != rows[start - 1][1]:
                    if i - start >= 1:
                        sheet.merge_cells(start_row=start, start_column=2, end_row=i, end_column=2)
                    start = i + 1
            save(book, path)
        data = truth(spec, path.name, f"the pillar in a column headed {headers[1]}, numbered {label.format(1)}")
        for project, pillar in zip(data["projects"], pillars, strict=True):
            project["pillar"] = pillar
        write_truth(key, data)


def number_paths() -> None:
    """Projects numbered as paths (柱-事業): 1-1 under 事業番号 below pillar heading lines (text), and ①-1 at the
    start of the name under 取組名 (XLSX). Each project is numbered by its place; the path is kept as written."""
    for key, sphere, ext in [
        ("number_paths_ueda", "ueda", "txt"),
        ("number_paths_in_name_tokushima", "tokushima", "xlsx"),
    ]:
        spec = make(key, sphere, 8)
        per = len(spec.projects) // 2
        paths = [
            f"{1 + i // per}-{1 + i % per}" if ext == "txt" else f"{'①②'[i // per]}-{1 + i % per}" for i in range(8)
        ]
        rows: list[list[str]] = []
        if ext == "txt":
            rows.append(["事業番号", "事業名", "事業内容", *spec.columns, "連携市町村数"])
            for i, p in enumerate(spec.projects):
                if i % per == 0:
                    rows.append([f"{'①②'[i // per]} {PILLARS[i // per]}"])
                marks = ["○" if m else "" for m in p.marks]
                rows.append([paths[i], p.name, p.description, *marks, str(sum(p.marks))])
            rows.append(totals_row(spec))
            write_tsv(OUT / f"{key}.txt", rows)
        else:
            book, sheet = workbook("連携事業")
            sheet.append(["取組名", "取組の内容", *spec.columns, "連携市町村数"])
            for i, p in enumerate(spec.projects):
                sheet.append(
                    [f"{paths[i]} {p.name}", p.description, *("○" if m else None for m in p.marks), sum(p.marks)]
                )
            per_town = [sum(p.marks[i] for p in spec.projects) for i in range(len(spec.columns))]
            sheet.append(["連携事業数計", None, *per_town, sum(per_town)])
            save(book, OUT / f"{key}.xlsx")
        data = truth(
            spec, f"{key}.{ext}", "numbers written as paths: kept as written, each project numbered by its place"
        )
        for project, path in zip(data["projects"], paths, strict=True):
            project["number_label"] = path
            if ext == "txt":
                project["pillar"] = f"{'①②'[(project['number'] - 1) // per]} {PILLARS[(project['number'] - 1) // per]}"
        data["findings"] = [{"code": "number-label", "severity": "info"}]
        write_truth(key, data)


def town_stems() -> None:
    """Towns written without 町 or 村 in a dense workbook's header (金山 | 最上 | 舟形 …), the count headed 計."""
    key = "town_stems_shinjo"
    spec = make(key, "shinjo", 8)
    book, sheet = workbook("連携事業")
    sheet.append(["番号", "事業名", "事業内容", *(m[:-1] for m in spec.columns), "計"])
    for p in spec.projects:
        sheet.append([p.number, p.name, p.description, *("○" if m else None for m in p.marks), sum(p.marks)])
    append_totals(sheet, spec, "合計", 2)
    save_table(
        book,
        spec,
        key,
        "towns without their kind (金山 for 金山町) over columns of marks",
        {"code": "municipality-stem", "severity": "info"},
    )


def unnumbered() -> None:
    """Tables that list their projects by name alone, as a city's web page or a workbook made for a meeting
    does: no number column and no number before a name. Each project is numbered by its place, said once."""
    key = "unnumbered_torikumi_tsuyama"
    spec = make(key, "tsuyama", 7)
    per = per_town(spec)
    head = "".join(f"<th>{m}</th>" for m in spec.columns)
    body = []
    for i, p in enumerate(spec.projects):
        if i in (0, 4):  # a pillar's heading over the projects, spanning the table
            body.append(f'<tr><td colspan="{len(spec.columns) + 3}">{i // 4 + 1}　{PILLARS[i // 4]}</td></tr>')
        marks = "".join(f"<td>{'○' if m else ''}</td>" for m in p.marks)
        body.append(f"<tr><td>{p.name}</td><td>{p.description}</td>{marks}<td>{sum(p.marks)}</td></tr>")
    totals = "".join(f"<td>{n}</td>" for n in per)
    page = (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>津山圏域定住自立圏の取組</title></head>'
        "<body><h1>津山圏域定住自立圏共生ビジョン 連携する取組</h1><table>"
        f"<tr><th>取組</th><th>取組の概要</th>{head}<th>参加市町数</th></tr>"
        + "".join(body)
        + f"<tr><td>合計</td><td></td>{totals}<td>{sum(per)}</td></tr></table></body></html>\n"
    )
    (OUT / f"{key}.html").write_text(page, encoding="utf-8")
    data = truth(spec, f"{key}.html", "projects listed by name alone under pillar lines: numbered by their place")
    for project in data["projects"]:
        project["pillar"] = f"{(project['number'] - 1) // 4 + 1} {PILLARS[(project['number'] - 1) // 4]}"
    # A web page's table names its cells by row and column (R3C1: row 3, column 1), not A1.
    data["findings"] = [{"code": "numbered-by-place", "severity": "warning", "sheet": "表1", "cell": "R3C1"}]
    write_truth(key, data)

    key = "unnumbered_renkei_jigyo_tajima"
    spec = make(key, "tajima", 9)
    book, sheet = workbook("連携事業一覧")
    sheet.append(["但馬定住自立圏 連携事業一覧"])
    sheet.append(["連携事業名", "事業の概要", *spec.columns, "計"])
    for p in spec.projects:
        sheet.append([p.name, p.description, *("○" if m else None for m in p.marks), sum(p.marks)])
    append_totals(sheet, spec, "合計", 1)
    save_table(
        book,
        spec,
        key,
        "a workbook listing its projects by name alone: numbered by their place",
        {"code": "numbered-by-place", "severity": "warning", "sheet": "連携事業一覧", "cell": "A3"},
    )


def spaced_copy() -> None:
    """A table copied out of a PDF viewer with single spaces between its cells, every cell written (－ where a
    town does not take part) so that nothing is lost: read word by word, said once (``text-space-separated``)."""
    key = "spaced_copy_uwajima"
    spec = make(key, "uwajima", 8)
    lines = [" ".join(["番号", "事業名", *spec.columns, "連携町数"])]
    for p in spec.projects:
        lines.append(" ".join([str(p.number), p.name, *("○" if m else "－" for m in p.marks), str(sum(p.marks))]))
    (OUT / f"{key}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = truth(spec, f"{key}.txt", "cells parted by single spaces, every cell written: read word by word")
    data["findings"] = [{"code": "text-space-separated", "severity": "warning"}]
    write_truth(key, data)


def vertical_copy() -> None:
    """A table copied out of a PDF viewer one cell to a line, every cell written (－ where a town does not take
    part), with a title, a field's heading, the header repeated at a page break and a totals row: rebuilt into rows
    as wide as its header, said once (``text-one-cell-per-line``)."""
    key = "vertical_copy_hachinohe"
    spec = make(key, "hachinohe", 9, central_column=True)
    lines = ["八戸圏域定住自立圏 共生ビジョン 連携事業一覧", "(1) 生活機能の強化に係る政策分野"]
    header = ["番号", "事業名", *spec.columns, "関係市町村数"]
    for i, p in enumerate(spec.projects):
        if i in (0, 5):  # the header opens each page
            lines += header
        lines += [str(p.number), p.name, *("○" if m else "－" for m in p.marks), str(sum(p.marks))]
    per = per_town(spec)
    lines += ["合計", *map(str, per), str(sum(per))]
    (OUT / f"{key}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = truth(spec, f"{key}.txt", "copied one cell to a line, every cell written: rebuilt into rows")
    data["findings"] = [{"code": "text-one-cell-per-line", "severity": "warning"}]
    write_truth(key, data)


def totals_other_label() -> None:
    """A totals row under a label no list holds (参加事業数), told by its whole numbers under the towns and
    checked like 連携事業数計: one town's figure is one short, found at its cell."""
    key = "totals_other_label_nishiharima"
    spec = make(key, "nishiharima", 10, central_column=True)
    rows = [*grid(spec, ["番号", "事業名", "事業概要", "関係市町数"]), totals_row(spec, label="参加事業数")]
    wrong = 3 + 2  # 太子町's figure: after the label, the two blanks and the central city
    rows[-1][wrong] = str(int(rows[-1][wrong]) - 1)
    write_csv(OUT / f"{key}.csv", rows)
    data = truth(spec, f"{key}.csv", "totals row labelled 参加事業数, one town's figure one short", exit=1)
    data["findings"] = [
        {"code": "totals-by-content", "severity": "info", "line": len(rows)},
        {"code": "total-mismatch", "severity": "error", "line": len(rows), "column": wrong + 1},
        {"code": "grand-total-mismatch", "severity": "error", "line": len(rows)},  # the towns' figures' sum
    ]
    write_truth(key, data)


def grouping_under_names_word() -> None:
    """取組項目 (a names' word) over groups merged down their projects, the names under 具体的取組: the group is
    each project's field, the titles its name (``name-column-regrouped``)."""
    key = "grouping_torikumi_komoku_bingo"
    spec = make(key, "bingo", 9, central_column=True)
    groups = ["産業振興", "産業振興", "産業振興", "観光振興", "観光振興", "医療", "医療", "人材育成", "人材育成"]
    book, sheet = workbook("具体的取組")
    sheet.append(["取組項目", "番号", "具体的取組", *spec.columns, "連携市町数"])
    for group, p in zip(groups, spec.projects, strict=True):
        sheet.append([group, p.number, p.name, *("○" if m else None for m in p.marks), sum(p.marks)])
    start = 2
    for i in range(1, len(groups) + 1):  # each group's cell merged down its projects
        if i == len(groups) or groups[i] != groups[start - 2]:
            if i + 1 > start:
                sheet.merge_cells(start_row=start, end_row=i + 1, start_column=1, end_column=1)
            start = i + 2
    about = "取組項目 merged down its projects over the names under 具体的取組: the group is the field"
    save_table(book, spec, key, about, {"code": "name-column-regrouped", "severity": "info"})


def legend_not_taking_part() -> None:
    """A legend under a label (凡例) that explains a third mark as not taking part (△：今後実施を検討): each △ is
    not counted, and is said at its cell (``mark-not-taking-part``); the counts count the ○ alone."""
    key = "legend_triangle_oita"
    spec = make(key, "oita", 9, central_column=True)
    rows = [["番号", "連携事業", *spec.columns, "連携市町数"]]
    considered = 0
    for p in spec.projects:
        marks = ["○" if m else "" for m in p.marks]
        blank = next((i for i, m in enumerate(p.marks) if not m), None)
        if blank is not None and p.number % 3 == 1:  # some towns only considering the project
            marks[blank] = "△"
            considered += 1
        rows.append([str(p.number), p.name, *marks, str(sum(p.marks))])
    rows.append(["凡例　○：連携して実施　△：今後実施を検討（連携市町数には含まない）"])
    write_csv(OUT / f"{key}.csv", rows)
    data = truth(spec, f"{key}.csv", "△ explained by the legend as only being considered: not counted, said")
    data["findings"] = [{"code": "mark-not-taking-part", "severity": "info"}]
    assert considered >= 2
    write_truth(key, data)


def wrapped_names() -> None:
    """A tab-separated PDF copy whose long names wrap onto the next line, the rest alone in the name column:
    each name joined whole (``row-continued``)."""
    key = "wrapped_names_tagawa"
    spec = make(key, "tagawa", 8)
    lines = ["\t".join(["番号", "連携事業名", "事業の概要", *spec.columns, "連携町村数"])]
    for p in spec.projects:
        p.name = f"田川地域における{p.name}に向けた取組"
        marks = ["○" if m else "" for m in p.marks]
        lines.append("\t".join([str(p.number), p.name[:12], "", *marks, str(sum(p.marks))]))
        lines.append("\t" + p.name[12:])
    (OUT / f"{key}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = truth(spec, f"{key}.txt", "long names wrapped onto the next line of a PDF copy: joined whole")
    data["findings"] = [{"code": "row-continued", "severity": "info"}]
    write_truth(key, data)


def transposed_table() -> None:
    """A 市町村別 list: a row per municipality, the projects across under their numbers and names, a pillar
    merged across its projects above them, each town's total at the end and the projects' counts below: turned
    into a row per project (``table-transposed``)."""
    key = "transposed_towns_as_rows_hitoyoshi"
    spec = make(key, "hitoyoshi", 6, central_column=True)
    book, sheet = workbook("市町村別")
    sheet.append(["人吉球磨定住自立圏 市町村別の連携事業"])
    sheet.append([None, "(1) 生活機能の強化", None, None, "(2) 結びつきやネットワークの強化", None, None])
    sheet.merge_cells("B2:D2")
    sheet.merge_cells("E2:G2")
    sheet.append(["番号", *[p.number for p in spec.projects], None])
    sheet.append(["市町村", *[p.name for p in spec.projects], "参加事業数"])
    for column, town in enumerate(spec.columns):
        marks = ["○" if p.marks[column] else None for p in spec.projects]
        sheet.append([town, *marks, sum(1 for m in marks if m)])
    sheet.append(["連携市町村数", *[sum(p.marks) for p in spec.projects], None])
    about = "a row per municipality, the projects across (pillars merged over them): turned into a row per project"
    save_table(book, spec, key, about, {"code": "table-transposed", "severity": "info"})


def long_form_other_words() -> None:
    """Open data's long form (one row per project and town) under headings no list holds (施策番号 | 連携施策名 |
    構成団体名 | 参加区分): its columns told by what they hold (``long-columns-inferred``)."""
    key = "long_other_words_chusan"
    spec = make(key, "chusan", 7)
    lines = ["施策番号,連携施策名,構成団体名,参加区分"]
    for p in spec.projects:
        lines += [f"{p.number},{p.name},{town},参加" for town in participants(spec, p)]
    (OUT / f"{key}.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    data = truth(spec, f"{key}.csv", "the long form under headings in other words, its columns told by content")
    for project in data["projects"]:
        project.pop("declared_count")  # the long form declares no count
    data["findings"] = [{"code": "long-columns-inferred", "severity": "info", "line": 1}]
    write_truth(key, data)


def dated_marks() -> None:
    """A workbook whose marks say from when a town takes part (○ and （R7～） on two lines of a cell), counted by
    the table: each is the mark, the time kept in the finding at its cell (``mark-with-period``)."""
    key = "dated_marks_kitami"
    spec = make(key, "kitami", 6)
    book, sheet = workbook("連携事業")
    sheet.append(["番号", "事業名", "事業概要", *spec.columns, "連携町数"])
    for p in spec.projects:
        cells: list[str | None] = []
        for mark in p.marks:
            later = mark and p.number in (2, 5) and not cells.count("○\n（R7～）")
            cells.append("○\n（R7～）" if later else ("○" if mark else None))
        sheet.append([p.number, p.name, p.description, *cells, sum(p.marks)])
    append_totals(sheet, spec, "連携事業数計", 2)
    save_table(
        book,
        spec,
        key,
        "marks with the time of taking part (○ over （R7～）): the mark, the time kept",
        {"code": "mark-with-period", "severity": "info"},
    )


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for path in OUT.iterdir():
        path.unlink()
    unfamiliar_names()
    no_headings()
    unfamiliar_groups()
    central_notes()
    sheet_totals()
    roles_first()
    variants()
    names_missing()
    pillar_columns()
    number_paths()
    town_stems()
    unnumbered()
    spaced_copy()
    vertical_copy()
    totals_other_label()
    grouping_under_names_word()
    legend_not_taking_part()
    wrapped_names()
    transposed_table()
    long_form_other_words()
    dated_marks()
    print(f"{len(list(OUT.glob('*.truth.json')))} tables in {OUT}")


if __name__ == "__main__":
    main()
