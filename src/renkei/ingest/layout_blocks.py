"""The layout reader's vocabulary: what a header cell says (``Column``, ``classify_header``), the block a
header row gives the rows under it, and what the reader keeps while it reads a table."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
import weakref
from dataclasses import dataclass, field
from enum import Enum, auto
from typing import TYPE_CHECKING

from renkei.ingest import marks
from renkei.ingest.choices import NAME_COLUMN
from renkei.ingest.figures import FigureColumn
from renkei.ingest.grid import Cell, Row
from renkei.ingest.headings import (
    MARKS,
    FieldHeading,
    legend_not_taking_part,
    names_a_heading,
    normalize_mark,
    parse_headings,
    parse_legend,
)
from renkei.ingest.members import MemberResolver, has_known_code, split_label
from renkei.ingest.notes import CentralNote
from renkei.ingest.understood import Understood
from renkei.places.municipalities import Registry, is_valid_code
from renkei.places.variants import key as key  # the matching form of a cell, read from here by the readers
from renkei.vision.guidelines import is_pillar_title
from renkei.vision.model import Finding, Heading, Location, Project, Role, Severity, Sphere, Vision

if TYPE_CHECKING:
    from renkei.ingest.rates import RatesRow


class Column(Enum):
    NUMBER = auto()
    NAME = auto()
    DESCRIPTION = auto()
    COUNT = auto()
    PILLAR = auto()
    FIELD = auto()
    MUNICIPALITY = auto()
    EMPTY = auto()
    ATTRIBUTE = auto()
    GROUP = auto()  # an upper header cell over a group of towns: 中心市, 連携市町村, 近隣市町村, 広島県
    PARTICIPANTS = auto()  # the participants written in one cell: 連携市町村 (全市町, 姫路市、相生市)
    FIGURE = auto()  # a budget or KPI column (事業費 R6, 目標値（R10）): what it holds in Block.figures


_HEADER_WORDS = {
    Column.NUMBER: {"番号", "No", "No.", "NO", "NO.", "項番", "事業番号", "通番", "#"},
    Column.NAME: {
        "項目",
        "事業名",
        "取組項目",
        "連携事業",
        "連携事業名",
        "事業",
        "取組",
        "取組名",
        "名称",
        "事業名称",
    },
    Column.DESCRIPTION: {
        "事業内容",
        "取組の内容",
        "取組内容",
        "概要",
        "事業概要",
        "取組概要",
        "内容",
        "具体的な内容",
    },
    Column.PILLAR: {"柱", "政策の柱", "取組の柱", "施策の柱", "連携の柱", "基本方針"},
    Column.FIELD: {"分野", "政策分野", "取組分野", "連携分野", "施策分野", "事業分野"},
}
# Columns that only a header row names: two of them make a row a header even without municipalities, as the
# upper row of a two-row header is (番号 | 事業名 | 事業内容 | 連携市町村 … over a row of town names).
_LAYOUT_WORDS = {Column.NUMBER, Column.NAME, Column.DESCRIPTION, Column.COUNT, Column.PILLAR, Column.FIELD}
_DESCRIPTION_ENDINGS = ("内容", "概要")  # 事業の内容, 連携事業の概要 …
# Over the towns, an upper header row names their group: the central cities (two in a 複眼型 sphere), the
# members, the neighbours, or a prefecture of a sphere that spans two. Alone, the members' words head a column
# of participants written in one cell.
_CENTRAL_GROUP = {"中心市", "中心都市", "連携中枢都市", "複眼型中心市", "中心市等"}
_GROUP_WORDS = _CENTRAL_GROUP | {"近隣市町村", "周辺市町村", "圏域外", "その他"}
_MEMBERS_TABLE_WORDS = {"市町村", "市町村名", "構成市町村", "市町名", "団体名", "構成団体", "自治体名"}
_PARTICIPANT_WORDS = {
    "連携市町村",
    "連携市町",
    "連携町村",
    "連携する市町村",
    "参加市町村",
    "参加市町",
    "関係市町村",
    "対象市町村",
    "実施市町村",
    "構成市町村",
    "構成市町",
    "市町村",
}
# The same words in their other forms: 関係市町, 対象市町, 実施団体, 参加自治体 ….
_PARTICIPANTS = re.compile(r"(?:連携|参加|関係|対象|実施|構成)(?:する)?(?:市区町村|市町村|市町|町村|自治体|団体)")
_COUNT = re.compile(r"(連携|参加|関係|構成|実施)?(?:[市町村区]+|団体)数|(?:連携|参加)数")
_TOTALS = re.compile(r"(連携)?(事業数)?(合計|総計|計)|連携事業数")
# A subtotal under a pillar or field (小計, ①小計): its scope is not stated, so it is not checked.
# Not after a project number: 5 地域小計 would be a project of that name.
_SUBTOTAL = re.compile(r"^[^0-9０-９]{0,12}小計$")
_NAME_LIKE = re.compile(r"^[^\s\d]{1,8}[市町村区]$")
# A declared figure may carry its counter word: 3町, 5市町村, 19件.
_FIGURE = re.compile(r"(?P<digits>[0-9]+)(?:市町村|市町|町村|団体|自治体|[市町村件])?")
# A project's number: 12, (12), 12., 【12】, No.12, No 12 or №12 (not NO2, a name), what follows the rest of the cell.
_NUMBER = re.compile(
    r"^[\s\u3000]*(?:(?:No|NO|Ｎｏ|ＮＯ)(?:[.．][\s\u3000]*|[\s\u3000]+)|№[\s\u3000]*)?[(（【\[［]?(?P<digits>[0-9０-９]+)[)）】\]］]?"
    r"[\s\u3000.．、:：]*(?P<rest>.*)$",
    re.S,
)
_DASHES = re.compile(r"^[-－―─━‐ー_=＝~〜\s\u3000]*$")
# A note line under or over a table: ※, 注, （注）, 備考, 出典 or 資料 first (tables annotate marks and sources).
_NOTE = re.compile(
    r"^[\s\u3000]*(?:[※*＊注]|[(（]\s*注|備考|出典|資料[:：]"
    # a legend of another column's values (評価　A：目標を達成　B：概ね順調 …): two keys or more explained
    r"|\S{0,6}[\s\u3000]*[A-ZＡ-Ｚ][:：]\S+[\s\u3000]+[A-ZＡ-Ｚ][:：])"
)
_NO_MARK = {"", "-", "ー", "―", "‐", "—", "×", "✕", "✖", "x", "X", "なし", "無"}
_CIRCLE = "○"
_LEADS = {"◎", "●"}
# Every spelling of a mark that makes a row a project row (normalize_mark folds 〇 and ◯ into ○).
_TAKING_PART = frozenset(t for t in (*MARKS, "⭕") if normalize_mark(t) in {_CIRCLE, *_LEADS}) | marks.SYMBOLS
_MARK_CHARS = frozenset(MARKS)
_SPACE_RUNS = re.compile(r"\s+")
_BARE_NUMBERED = re.compile(r"^[\s\u3000]*(?P<label>[0-9０-９]{1,2})[\s\u3000]+(?P<title>\S.*?)\s*$")


# The columns a project row's cells are read under (besides unnamed ones among the marks).
_READ = (Column.DESCRIPTION, Column.COUNT, Column.MUNICIPALITY, Column.ATTRIBUTE, Column.PARTICIPANTS, Column.FIGURE)


# A project's number written as a path (柱-分野-事業): 1-1, ①-2, 1-(1)-ア, 2.3, Ⅰ-1, 1の2. Two parts at least,
# each digits, a circled or roman numeral, a bracketed number or a katakana label, joined by - . の.
_FIRST = r"(?:[0-9０-９]{1,3}|[①-⑳]|[Ⅰ-Ⅹ]|[(（][0-9０-９]{1,2}[)）])"  # a path starts with a number, never ア
_PART = rf"(?:{_FIRST}|[ア-ン])"
_LABELLED = re.compile(
    rf"^[\s\u3000]*(?P<label>{_FIRST}(?:[-－‐―ー.．の]{_PART})+)"
    r"(?![0-9０-９])[\s\u3000]*(?P<rest>.*)$",
    re.S,
)


def number_label(text: str) -> tuple[str, str] | None:
    """A number written as a path (1-1 創業支援 → ("1-1", "創業支援")), as written; None where the text does not
    start with one. A decimal-looking path (2.3) is one only alone or before a space (2.3倍 is no label)."""
    match = _LABELLED.match(text)
    if match is None:
        return None
    rest, label = match["rest"], match["label"]
    if rest and match.end("label") == match.start("rest") and "." in unicodedata.normalize("NFKC", label):
        return None
    return label, rest.strip()


def _is_number(text: str) -> bool:
    match = _NUMBER.match(text)
    return match is not None and not match["rest"].strip()


def _starts_with_number(row: Row) -> bool:
    """Whether a row opens with a project number (11, or 11 創業支援事業); not a six-digit municipality code."""
    match = _NUMBER.match(row.filled[0].text) if row.filled else None
    return match is not None and len(match["digits"]) <= 4


def legend_out_of(row: Row, legend: dict[str, Role]) -> dict[str, str]:
    """The marks a legend row explains as not taking part (``headings.legend_not_taking_part``): on a row that
    is a legend (``legend``), or a line of one or two cells that explains nothing else (△：検討中 alone)."""
    if not row.filled or (not legend and len(row.filled) > 2) or _MARK_CHARS.isdisjoint(row.filled[0].text):
        return {}
    return legend_not_taking_part(" ".join(c.text.strip() for c in row.filled))


def _legend_of(row: Row) -> dict[str, Role]:
    """The legend a row states, or nothing. It may be split over cells (◎ | 主体となって実施 | ○ | 連携して実施),
    so it is told from a project row by its cells: no project number, and every bare mark explained."""
    filled = row.filled
    if not filled or _is_number(filled[0].text):  # a project row, its number first: told at its first cell
        return {}
    if _MARK_CHARS.isdisjoint("".join([c.text for c in filled])):  # most other rows: told without stripping
        return {}
    if any(_is_number(c.text) for c in filled):
        return {}
    text = " ".join(c.text.strip() for c in row.filled)
    legend = parse_legend(text)
    marks = {normalize_mark(t) for c in row.filled if len(t := c.text.strip()) == 1 and t in MARKS}
    if not legend or not marks <= legend.keys():
        return {}
    return legend


@dataclass
class Block:
    """The column layout that a header row gives to the rows under it. What every row under it asks of the
    layout (where the identity columns are, which columns are read) is worked out once, here."""

    row: Row
    kinds: list[Column]
    municipalities: dict[int, str] = field(default_factory=dict)
    # Whether the municipality columns stand in the table's order (the first header's): marks then need no
    # reordering.
    in_order: bool = True
    figures: dict[int, FigureColumn] = field(default_factory=dict)

    def __post_init__(self) -> None:
        kinds = self.kinds
        self.width = len(kinds)
        self.named = max((i + 1 for i, k in enumerate(kinds) if k is not Column.EMPTY), default=0)
        self._first = {k: i for i, k in reversed(list(enumerate(kinds)))}
        stops = [i for i, k in enumerate(kinds) if k in (Column.DESCRIPTION, Column.MUNICIPALITY)]
        end = min(stops, default=self.width)
        self._identity = [i for i in range(end) if kinds[i] in (Column.NUMBER, Column.NAME, Column.EMPTY)]
        self.heading_columns = [i for i, k in enumerate(kinds) if k in (Column.PILLAR, Column.FIELD)]
        # Unnamed columns among the marks are read too, only to report a mark under no municipality.
        marked = Column.MUNICIPALITY in kinds
        self.read_columns = [
            (i, k) for i, k in enumerate(kinds) if k in _READ or (k is Column.EMPTY and marked and i >= end)
        ]
        # The figure columns whose blank cells ``read_figures`` reads (every other blank figure cell says nothing).
        self.blank_figures = frozenset(i for i, column in self.figures.items() if column.blank_read)
        # The indicators (by index) the header gives a unit column: the others' names may bracket their unit.
        self.kpi_units = frozenset(c.index for c in self.figures.values() if c.what == "kpi" and c.part == "unit")

    def fits(self, row: Row) -> bool:
        """A row lines up with this header when it reaches the last named column and runs past the header
        only with empty cells: a PDF copy or a CSV writer may add or drop trailing delimiters."""
        cells = row.cells
        used = len(cells)
        while used and not cells[used - 1].text.strip():
            used -= 1
        return len(cells) >= self.named and used <= self.width

    def first(self, kind: Column) -> int | None:
        return self._first.get(kind)

    def identity(self) -> list[int]:
        """Columns that hold a project's number and name: those left of its description and marks."""
        return self._identity

    def heading_cells(self, row: Row) -> dict[int, Cell]:
        """The cells of a row that give its headings: those under 柱 or 分野, and any identity cell that reads
        as a heading (a field column merged down its projects under an empty or shared header cell)."""
        found = {i: c for i in self.heading_columns if (c := row.cell(i)) and c.text.strip()}
        texts = {i: c.text for i in self._identity if (c := row.cell(i)) is not None and c.text.strip()}
        for i, text in texts.items():
            if (path := number_label(text)) is not None and not path[1]:
                continue  # a number written as a path (①-1), not the pillar ① titled "-1"
            # Only beside the name: a name that starts like a label (ア 創業支援事業) stays the name.
            named_beside = any(j != i and j not in found and not _is_number(t) for j, t in texts.items())
            if not named_beside:
                continue
            # A label that could begin a project's number ((1) 圏域全体の経済成長のけん引) is a heading's where the
            # row's number stands in a cell of its own: a project has one number.
            numbered_beside = any(j != i and _is_number(t) for j, t in texts.items())
            if names_a_heading(text) or (numbered_beside and parse_headings(text)[0] is not None):
                found[i] = row.cells[i]
        return found


_TWO_ROLES = re.compile(r"[／/・\n]")


def names_and_descriptions(text: str) -> bool:
    """A header cell that heads the names and, on the row under each, its description (事業名／事業内容,
    取組名・概要): a name's word, then a description's."""
    parts = [key(p) for p in _TWO_ROLES.split(text) if key(p)]
    return (
        len(parts) == 2
        and parts[0] in _HEADER_WORDS[Column.NAME]
        and (parts[1] in _HEADER_WORDS[Column.DESCRIPTION] or parts[1].endswith(_DESCRIPTION_ENDINGS))
    )


def classify_header(text: str, registry: Registry) -> Column:
    k = key(text)
    if not k:
        return Column.EMPTY
    if names_and_descriptions(text):
        return Column.NAME
    if k.startswith(("うち", "内訳")):  # うち洲本市: a town's part of an amount beside it, never a member column
        return Column.ATTRIBUTE
    # A note beside a header word does not change the column: 連携町数（中心市を除く）, 事業費（千円）, 旭川市※; nor
    # do two (連携市町数（中心市を除く）（計算値）, as renkei's XLSX writes a count its formulas compute).
    base = key(_without_notes(text))
    for kind, words in _HEADER_WORDS.items():
        if k in words or base in words:
            return kind
    if _COUNT.fullmatch(base):
        return Column.COUNT
    if (is_valid_code(k) and registry.by_code(k) is not None) or has_known_code(text, registry):
        return Column.MUNICIPALITY
    if base in _GROUP_WORDS or base in registry.prefectures:
        return Column.GROUP
    if base in _PARTICIPANT_WORDS or _PARTICIPANTS.fullmatch(base):
        return Column.PARTICIPANTS
    if base.endswith(_DESCRIPTION_ENDINGS):
        return Column.DESCRIPTION
    if "連携" in k or "参加" in k or "市町村" in k:
        return Column.ATTRIBUTE
    if registry.is_municipality_name(base) or _NAME_LIKE.match(base):
        return Column.MUNICIPALITY
    return Column.ATTRIBUTE


def _without_notes(text: str) -> str:
    """A header's words without the notes after them (``split_label``), however many."""
    name = text
    for _ in range(4):
        shorter = split_label(name).name
        if shorter == name:
            break
        name = shorter
    return name


# classify_header's answers kept per registry across the tables a process reads (a national import reads
# thousands, whose headers name the same towns): it depends on the text and the registry alone.
_CLASSIFIED: weakref.WeakKeyDictionary[Registry, dict[str, Column]] = weakref.WeakKeyDictionary()
_CLASSIFIED_KEPT = 1 << 14


def _classified(text: str, registry: Registry) -> Column:
    known = _CLASSIFIED.get(registry)
    if known is None:
        known = _CLASSIFIED[registry] = {}
    kind = known.get(text)
    if kind is None:
        kind = classify_header(text, registry)
        if len(known) < _CLASSIFIED_KEPT:
            known[text] = kind
    return kind


@dataclass
class _Sheet:
    """The workbook sheet being read, and the counts of findings, projects and headers before it."""

    title: str | None = None
    findings: int = 0
    projects: int = 0
    headers: int = 0
    other: bool = False  # the sheet holds another table (other towns): not read


def _line_text(row: Row) -> str:
    """A line's filled cells as one text: what a heading line says, or the start of a line a finding quotes."""
    return " ".join(c.text.strip() for c in row.filled)


def _one_description(kinds: list[Column]) -> list[Column]:
    """A project has one description: the first column read as one. A later column whose header also ends in
    内容 or 概要 (変更内容, 成果の概要) is kept as an attribute rather than overwriting it."""
    first = next((i for i, k in enumerate(kinds) if k is Column.DESCRIPTION), None)
    return [Column.ATTRIBUTE if k is Column.DESCRIPTION and i != first else k for i, k in enumerate(kinds)]


def _heading_cell(text: str, kind: Column) -> tuple[Heading | None, FieldHeading | None]:
    """The headings a cell names. Its label decides between pillar and field (政策分野 heads either, by
    document); a title without a label is a pillar where it is worded as a national pillar, else of the kind
    its column's header names."""
    pillar, field_heading = parse_headings(text)
    if pillar is not None or field_heading is not None:
        return pillar, field_heading
    # A title worded as a national pillar (生活機能の強化, 1　圏域全体の経済成長のけん引) is a pillar under any header:
    # 政策分野 heads either.
    worded = is_pillar_title(text)
    if worded and (numbered := _BARE_NUMBERED.match(text)) is not None:
        return Heading(numbered["label"], numbered["title"]), None
    if kind is Column.PILLAR or worded:
        return Heading("", text.strip()), None
    return None, FieldHeading(Heading("", text.strip()))


def _groups_above(upper: Row, kinds: list[Column]) -> dict[int, str]:
    """The group an upper header row puts each column in: a group cell (中心市, 広島県, 連携市町村) heads the
    columns from its own up to the next filled cell, as a cell merged across them does."""
    groups: dict[int, str] = {}
    current: str | None = None
    for i, (cell, kind) in enumerate(zip(upper.cells, kinds, strict=True)):
        if kind in (Column.GROUP, Column.PARTICIPANTS):
            current = key(split_label(cell.text).name)
        elif cell.text.strip():
            current = None
        if current is not None:
            groups[i] = current
    return groups


def _is_central_group(group: str | None) -> bool:
    """A group label over the central cities: the known words, or any wording of 中心 / 中枢 (圏域の中心,
    中心都市等) that does not set them apart (中心市以外, 中心市を除く)."""
    if group is None:
        return False
    if group in _CENTRAL_GROUP:
        return True
    return ("中心" in group or "中枢" in group) and not any(w in group for w in ("以外", "除", "外"))


def _prefecture_of(group: str | None, default: str | None) -> str | None:
    """A group header that names a prefecture (広島県, also 北海道) decides the towns under it."""
    if group is not None and group.endswith(("都", "道", "府", "県")):
        return group
    return default


def _merge_header(upper: Row, lower: Row) -> Row:
    """A header over two rows: the lower row's cell where it has one, the upper row's otherwise."""
    width = max(len(upper.cells), len(lower.cells))
    cells = []
    for i in range(width):
        low, up = lower.cell(i), upper.cell(i)
        cells.append(low if low is not None and low.text.strip() else (up or low))
    return Row(tuple(c for c in cells if c is not None), lower.location)


@dataclass(frozen=True)
class SheetTotal:
    """A totals row met on a sheet of a workbook: the sheet, the projects read before the sheet and up to the
    row (``projects[first:last]`` are the sheet's own), and its cells per municipality and for the grand total."""

    sheet: str
    first: int
    last: int
    location: Location
    towns: dict[str, Cell]
    grand: Cell | None


class LayoutState:
    """What the layout reader keeps while it reads a table: the one input and output its stages share (the
    header rows, ``layout_header.HeaderStage``; the project rows and totals, ``layout_rows.RowStage``; a
    workbook's totals, ``layout_sheets.SheetStage``), each stage holding it and nothing of another's."""

    def __init__(self, registry: Registry, sphere: Sphere | None = None, name_column: str | None = None) -> None:
        self.registry = registry
        # A copy: what the table says about its sphere (title, prefecture) must not change the caller's object.
        self.vision = Vision(sphere=dataclasses.replace(sphere) if sphere else Sphere())
        self.findings: list[Finding] = []
        self.members = MemberResolver(registry, self.findings)
        self.central_label: Cell | None = None
        self.block: Block | None = None
        self.pillar: Heading | None = None
        self.field: Heading | None = None
        self.previous_was_header = False
        self.open_project: Project | None = None
        self.seen_header = False
        self.kinds_seen: dict[str, Column] = {}  # classify_header's answers: a table repeats its header words
        self.mark_kinds: dict[str, Location | None] = {}  # each kind of mark taking part, where first met
        # Marks a legend explains as not taking part (△：今後実施を検討), with the legend's words: no unknown mark.
        self.legend_out: dict[str, str] = {}
        # Marks a legend explains as the central city's (◎：中心市), and the cells they stand in.
        self.central_marks: set[str] = set()
        self.central_at: set[Location] = set()
        self.own_export = False  # renkei's own export (its metadata row): its columns are its writer's, as named
        # Rows whose cells were parted by where their words stand (a PDF, a layout copy), not by the document's
        # own cells: a figure run into its neighbour's column may be parted again (``figure_runs.reflowed``).
        self.positional = False
        self.next_row: Row | None = None  # the line after the one being read
        self.lone_cell = False  # whether the line being read has a single filled cell
        self.sheet = _Sheet()  # the sheet of a workbook being read, and what the reading had before it
        self.header_count = 0  # header rows read
        # Participants written in one cell, resolved once the whole table is read: (project, text, cell).
        self.named: list[tuple[Project, str, Cell]] = []
        # Project rows without a number, each numbered by its place until the table is read: (project, where, name).
        self.unnumbered: list[tuple[Project, Location, str]] = []
        self.members_line: tuple[list[str], Location] | None = None
        self.members_grouped = False  # the line's names are grouped by prefecture: each written with its group's
        self.members_table: tuple[list[str], Location] | None = None  # a table of the members above the table
        self.kind_counts: list[tuple[Project, dict[str, int], str, Cell]] = []  # counts written as 7市3町
        self.kind_guessed: Location | None = None  # the title whose sphere kind is a guess
        self.understood = Understood()  # what was understood of the layout, said back (ingest/understood.py)
        self.several_sheets = False  # a workbook's sheets read together: their totals settled at the end
        self.sheet_totals: list[SheetTotal] = []
        self.central_notes: list[tuple[CentralNote, Location]] = []  # notes that the central city is in all
        self.rows: list[Row] = []  # the table's rows, and the index of the one being read: a header looks
        self.at = 0  # at the rows under it to tell its columns by what they hold (layout_columns)
        # The name column a person chose (a position from 1 or a header's text), given or set around the reading.
        self.name_column = name_column if name_column is not None else NAME_COLUMN.get()
        self.unit_note: str | None = None  # the amounts' unit a note line declares: （単位：千円）
        self.plan_period: tuple[int, int] | None = None  # 計画期間 令和6年度～令和10年度, from a title or note line
        self.budget_years: list[tuple[int, Location, str]] = []  # each budget column's year, header cell and words
        self.unknown_marks: list[tuple[Location, str]] = []  # cells of marks not known, for ``counted_marks``
        self.project_rates: list[tuple[Project, str, Cell]] = []  # a 参加率 column's cells, kept as attributes
        self.all_counts: list[tuple[Project, Cell]] = []  # counts written 全, settled once the columns are known
        self.merged_marks: list[tuple[Location, str]] = []  # each mark merged over towns: where it stands, and it
        self.rates: list[RatesRow] = []  # rows of rates under the towns (参加率), checked at the end (ingest/rates.py)

    def find(self, severity: Severity, code: str, location: Location | None, **params: object) -> None:
        self.findings.append(Finding(severity, code, params, location))

    def once(self, severity: Severity, code: str, location: Location | None, **params: object) -> None:
        """A finding about a heading, made where it is first met: a merged cell filled down repeats it."""
        if not any(f.code == code and f.params == params for f in self.findings):
            self.find(severity, code, location, **params)

    def has_marks(self, row: Row) -> bool:
        return any(c.text.strip() in _TAKING_PART for c in row.cells)

    def kind(self, text: str) -> Column:
        kind = self.kinds_seen.get(text)
        if kind is None:
            kind = self.kinds_seen[text] = _classified(text, self.registry)
        return kind

    def report_repair(self, heading: FieldHeading, where: Location) -> None:
        if heading.repaired_from is not None:
            self.once(
                Severity.INFO,
                "label-repaired",
                where,
                found=heading.repaired_from,
                fixed=heading.heading.label,
                heading=str(heading.heading),
            )
