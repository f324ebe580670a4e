"""Rows to a Vision: the layout of a cooperation table, recognised line by line.

A table is a sequence of lines of these kinds, in any number of blocks:

- headings of their own (a title, a legend of marks, a pillar ①, a field ア, or both on one line);
- a header row (項目, 事業内容, one column per municipality, 連携町数), possibly over two rows;
- project rows laid out by the header above them (number in a cell of its own or as the prefix of the name;
  headings in cells of their own where the table has a 柱/分野 column or a field column merged down);
- continuation rows: the rest of the project above, with text but no number or name of its own;
- one totals row (連携事業数計), matched to the municipalities by count, not by position; subtotals (小計);
- noise: blank lines and lines of dashes.

Every header is classified afresh, so blocks with different column layouts read alike. Nothing here fixes a
figure: declared counts and totals are kept as printed, and every repair is returned as a finding.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum, auto

from renkei.guidelines import is_pillar_title, kind_of_pillar, pillar_for_field
from renkei.ingest import marks, participants
from renkei.ingest.errors import TableReadError
from renkei.ingest.grid import Cell, Row
from renkei.ingest.headings import (
    MARKS,
    FieldHeading,
    names_a_heading,
    normalize_mark,
    parse_field,
    parse_headings,
    parse_legend,
    parse_pillar,
    parse_title,
)
from renkei.ingest.members import MemberResolver, split_label
from renkei.ingest.meta import read_meta
from renkei.model import (
    Finding,
    Heading,
    Location,
    Municipality,
    Project,
    Role,
    Severity,
    Sphere,
    SphereKind,
    Vision,
)
from renkei.municipalities import Registry, is_valid_code


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
    Column.PILLAR: {"柱", "政策の柱", "取組の柱", "基本方針"},
    Column.FIELD: {"分野", "政策分野", "取組分野"},
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
_COUNT = re.compile(r"(連携|参加|関係|構成|実施)?[市町村区]+数")
_TOTALS = re.compile(r"(連携)?(事業数)?(合計|総計|計)|連携事業数")
# A subtotal under a pillar or field (小計, ①小計): its scope is not stated, so it is not checked.
# Not after a project number: 5 地域小計 would be a project of that name.
_SUBTOTAL = re.compile(r"^[^0-9０-９]{0,12}小計$")
_NAME_LIKE = re.compile(r"^[^\s\d]{1,8}[市町村区]$")
# A declared figure may carry its counter word: 3町, 5市町村, 19件.
_FIGURE = re.compile(r"(?P<digits>[0-9]+)(?:市町村|市町|町村|団体|自治体|[市町村件])?")
_NUMBER = re.compile(r"^[\s\u3000]*[(（]?(?P<digits>[0-9０-９]+)[)）]?[\s\u3000.．、:：]*(?P<rest>.*)$", re.S)
_DASHES = re.compile(r"^[-－―─━‐ー_=＝~〜\s\u3000]*$")
_NOTE = re.compile(r"^[\s\u3000]*[※*＊注]")
_NO_MARK = {"", "-", "ー", "―", "‐", "—", "×", "✕", "✖", "x", "X", "なし", "無"}
_CIRCLE = "○"
_LEADS = {"◎", "●"}
# Every spelling of a mark that makes a row a project row (normalize_mark folds 〇 and ◯ into ○).
_TAKING_PART = frozenset(t for t in (*MARKS, "⭕") if normalize_mark(t) in {_CIRCLE, *_LEADS}) | marks.SYMBOLS
_MARK_CHARS = frozenset(MARKS)
_SPACE_RUNS = re.compile(r"\s+")
_BARE_NUMBERED = re.compile(r"^[\s\u3000]*(?P<label>[0-9０-９]{1,2})[\s\u3000]+(?P<title>\S.*?)\s*$")


def _is_number(text: str) -> bool:
    match = _NUMBER.match(text)
    return match is not None and not match["rest"].strip()


def _starts_with_number(row: Row) -> bool:
    """Whether a row opens with a project number (11, or 11 創業支援事業); not a six-digit municipality code."""
    match = _NUMBER.match(row.filled[0].text) if row.filled else None
    return match is not None and len(match["digits"]) <= 4


def _legend_of(row: Row) -> dict[str, Role]:
    """The legend a row states, or nothing. It may be split over cells (◎ | 主体となって実施 | ○ | 連携して実施),
    so it is told from a project row by its cells: no project number, and every bare mark explained."""
    text = " ".join(c.text.strip() for c in row.filled)
    if _MARK_CHARS.isdisjoint(text) or any(_is_number(c.text) for c in row.filled):
        return {}
    legend = parse_legend(text)
    marks = {normalize_mark(t) for c in row.filled if len(t := c.text.strip()) == 1 and t in MARKS}
    if not legend or not marks <= legend.keys():
        return {}
    return legend


def key(text: str) -> str:
    """The matching form of a cell: NFKC with no spaces. Only for matching; values keep their spelling."""
    return _SPACE_RUNS.sub("", unicodedata.normalize("NFKC", text))


@dataclass
class _Block:
    """The column layout that a header row gives to the rows under it. What every row under it asks of the
    layout (where the identity columns are, which columns are read) is worked out once, here."""

    row: Row
    kinds: list[Column]
    municipalities: dict[int, str] = field(default_factory=dict)
    # Whether the municipality columns stand in the table's order (the first header's): marks then need no
    # reordering.
    in_order: bool = True

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
            (i, k)
            for i, k in enumerate(kinds)
            if k in (Column.DESCRIPTION, Column.COUNT, Column.MUNICIPALITY, Column.ATTRIBUTE, Column.PARTICIPANTS)
            or (k is Column.EMPTY and marked and i >= end)
        ]

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
            # Only beside the name: a name that starts like a label (ア 創業支援事業) stays the name.
            named_beside = any(j != i and j not in found and not _is_number(t) for j, t in texts.items())
            if named_beside and names_a_heading(text):
                found[i] = row.cells[i]
        return found


def classify_header(text: str, registry: Registry) -> Column:
    k = key(text)
    if not k:
        return Column.EMPTY
    # A note beside a header word does not change the column: 連携町数（中心市を除く）, 事業費（千円）, 旭川市※.
    base = key(split_label(text).name)
    for kind, words in _HEADER_WORDS.items():
        if k in words or base in words:
            return kind
    if _COUNT.fullmatch(base):
        return Column.COUNT
    if is_valid_code(k) and registry.by_code(k) is not None:
        return Column.MUNICIPALITY
    if base in _GROUP_WORDS or base in registry.prefectures:
        return Column.GROUP
    if base in _PARTICIPANT_WORDS:
        return Column.PARTICIPANTS
    if base.endswith(_DESCRIPTION_ENDINGS):
        return Column.DESCRIPTION
    if "連携" in k or "参加" in k or "市町村" in k:
        return Column.ATTRIBUTE
    if registry.is_municipality_name(base) or _NAME_LIKE.match(base):
        return Column.MUNICIPALITY
    return Column.ATTRIBUTE


class LayoutReader:
    """Reads the rows of one table into a Vision and the findings met on the way."""

    def __init__(self, registry: Registry, sphere: Sphere | None = None) -> None:
        self.registry = registry
        # A copy: what the table says about its sphere (title, prefecture) must not change the caller's object.
        self.vision = Vision(sphere=dataclasses.replace(sphere) if sphere else Sphere())
        self.findings: list[Finding] = []
        self.members = MemberResolver(registry, self.findings)
        self.central_label: Cell | None = None
        self.block: _Block | None = None
        self.pillar: Heading | None = None
        self.field: Heading | None = None
        self.previous_was_header = False
        self.open_project: Project | None = None
        self.seen_header = False
        self._kinds: dict[str, Column] = {}  # classify_header's answers: a table repeats its header words
        # The municipality cells of the header that fixed the columns, and their names: a block's header that
        # repeats them exactly (as a PDF repeats the header on every page) needs no resolving or comparing.
        self._header_texts: tuple[str, ...] | None = None
        self._header_names: list[str] = []
        self._mark_kinds: dict[str, Location | None] = {}  # each kind of mark taking part, where first met
        self._next: Row | None = None  # the line after the one being read
        self._lone_cell = False  # whether the line being read has a single filled cell
        self._sheet = _Sheet()  # the sheet of a workbook being read, and what the reading had before it
        self._headers = 0  # header rows read
        # Participants written in one cell, resolved once the whole table is read: (project, text, cell).
        self._named: list[tuple[Project, str, Cell]] = []
        self._members_line: tuple[list[str], Location] | None = None
        self._members_table: tuple[list[str], Location] | None = None  # a table of the members above the table
        self._kind_counts: list[tuple[Project, dict[str, int], str, Cell]] = []  # counts written as 7市3町
        self._kind_guessed: Location | None = None  # the title whose sphere kind is a guess

    def read(self, rows: list[Row]) -> Vision:
        rows = [r for r in rows if not r.is_blank() and not all(_DASHES.match(c.text) for c in r.cells)]
        rows, meta = read_meta(rows)  # renkei's own exports: the sphere and the declared figures (ingest/meta.py)
        if meta is not None:
            self.vision.sphere = meta.begin(self.vision.sphere, self.registry)
        # A legend may stand below the table; it decides the marks above it too.
        legends = [_legend_of(row) for row in rows]
        for legend in legends:
            self.vision.legend.update(legend)
        several_sheets = len({row.location.sheet for row in rows}) > 1
        for i, (row, legend) in enumerate(zip(rows, legends, strict=True)):
            if several_sheets and row.location.sheet != self._sheet.title:
                self._end_sheet()
                self._begin_sheet(row.location.sheet)
            self._next = rows[i + 1] if i + 1 < len(rows) else None
            if not self._sheet.other:
                self._line(row, is_legend=bool(legend))
        if several_sheets:
            self._end_sheet()
        if not self.seen_header:
            raise TableReadError("no-table")
        self._resolve_named()
        self._resolve_central(final=True)
        self._check_kinds()
        self._check_mark_kinds()
        self._settle_kind()
        if not self.vision.projects:
            self._find(Severity.ERROR, "no-projects", self.block.row.location if self.block else None)
        if self.vision.totals_location is None:
            self._find(Severity.INFO, "no-totals", None)
        if meta is not None:
            meta.finish(self.vision)
        return self.vision

    # One line --------------------------------------------------------------------------------------------

    def _line(self, row: Row, is_legend: bool) -> None:
        filled = row.filled
        self._lone_cell = len(filled) == 1
        # What the line before was decides two readings: a header row under a header is its lower half, and
        # a row without an identity of its own under a project row is the rest of that project.
        after_header, self.previous_was_header = self.previous_was_header, False
        open_project, self.open_project = self.open_project, None
        # The subtotal's label as written (①小計 is not 1小計, a project's name) and the totals' label matched.
        bare = _SPACE_RUNS.sub("", filled[0].text)
        first = key(bare)
        # Both patterns need 計 or 事業数: most lines (project rows) are told apart without a regex.
        totals_like = self.block is not None and ("計" in bare or "計" in first or "事業数" in first)
        if totals_like and _SUBTOTAL.match(bare):
            self._find(Severity.INFO, "subtotal-skipped", row.location, text=_line_text(row)[:40])
        elif totals_like and _TOTALS.fullmatch(first):
            self._totals(row)
        elif is_legend:
            pass  # read before the lines, since it may stand below the marks it explains
        elif self._is_header(row):
            self._header(row, merge=after_header)
        elif open_project is not None and self._continues(row):
            self._continue(open_project, row)
        elif len(filled) <= 2 and not self._has_marks(row) and self._heading(_line_text(row), filled[0].location):
            pass
        elif self._is_project_row(row):
            self._project(row)
        elif self.block is None and self._member_row(row):
            pass
        else:
            self._find(Severity.WARNING, "line-unrecognised", filled[0].location, text=_line_text(row)[:40])

    def _find(self, severity: Severity, code: str, location: Location | None, **params: object) -> None:
        self.findings.append(Finding(severity, code, params, location))

    def _once(self, severity: Severity, code: str, location: Location | None, **params: object) -> None:
        """A finding about a heading, made where it is first met: a merged cell filled down repeats it."""
        if not any(f.code == code and f.params == params for f in self.findings):
            self._find(severity, code, location, **params)

    def _is_header(self, row: Row) -> bool:
        # Marks, or a project number first under a header, make a project row even where two of its cells look
        # like municipality names (甲の役割 旭川市, 乙の役割 各町).
        if (self.block is not None and _starts_with_number(row)) or self._has_marks(row):
            return False
        kinds = [self._kind(c.text) for c in row.cells]
        if kinds.count(Column.MUNICIPALITY) >= 2 or kinds.count(Column.GROUP) >= 2:
            return True
        if len(row.filled) < 2:
            return False
        return Column.COUNT in kinds or sum(1 for k in kinds if k in _LAYOUT_WORDS) >= 2

    def _has_marks(self, row: Row) -> bool:
        return any(c.text.strip() in _TAKING_PART for c in row.cells)

    def _kind(self, text: str) -> Column:
        kind = self._kinds.get(text)
        if kind is None:
            kind = self._kinds[text] = classify_header(text, self.registry)
        return kind

    def _is_project_row(self, row: Row) -> bool:
        if self.block is None:
            return False
        if len(row.filled) >= 2:
            return True
        # A lone cell that starts with a number is a row cut short, not a heading.
        return bool(_NUMBER.match(row.filled[0].text)) and parse_pillar(row.filled[0].text) is None

    # Headings --------------------------------------------------------------------------------------------

    def _heading(self, text: str, where: Location) -> bool:
        """Take a line of its own (pillar, field, title or note); False when it is none of these."""
        pillar = parse_pillar(text) or self._bare_pillar(text)
        if pillar is not None:
            self.pillar, self.field = pillar[0], None
            if pillar[1] is not None:
                self._field(pillar[1], where)
            return True
        field_heading = parse_field(text)
        if field_heading is not None:
            self._field(field_heading, where)
            return True
        title = parse_title(text)
        if title is not None and not self.seen_header:
            self._title(*title, where=where)
            return True
        members = participants.members_line(text)
        if members is not None and all(self.registry.candidates(split_label(n).name) for n in members):
            self._members_line = (members, where)
            stated = participants.members_line_count(text)
            actual = participants.count_by_kind([split_label(n).name for n in members])
            if stated is not None and stated != actual:
                written = "".join(f"{n}{k}" for k, n in actual.items())
                self._find(Severity.ERROR, "members-count-mismatch", where, declared=text.split("：")[0], count=written)
            return True
        if _NOTE.match(text):
            self._find(Severity.INFO, "note-skipped", where, text=text[:40])
            return True
        return False

    def _bare_pillar(self, text: str) -> tuple[Heading, FieldHeading | None] | None:
        """A pillar numbered without a dot or bracket (1 生活機能の強化) reads like a project cut short, so it is
        a heading only where more than its form says so: its words are a pillar's of the national guidelines,
        or a field heading follows it."""
        match = _BARE_NUMBERED.match(text)
        if match is None or not self._lone_cell:  # 1 | 事業名 in two cells is a project row's start
            return None
        following = self._next.filled if self._next is not None else ()
        field_follows = len(following) == 1 and parse_field(following[0].text) is not None
        if not (field_follows or is_pillar_title(match["title"])):
            return None
        return Heading(match["label"], match["title"]), None

    def _field(self, heading: FieldHeading, where: Location) -> None:
        self.pillar, self.field = self._settle(self.pillar, heading, where)

    def _settle(self, pillar: Heading | None, heading: FieldHeading, where: Location) -> tuple[Heading | None, Heading]:
        """A field and the pillar it stands under: the repair of its label reported, and the pillar inferred
        from the national wording where none is given (a fragment that starts below its pillar heading)."""
        self._report_repair(heading, where)
        if pillar is not None:
            return pillar, heading.heading
        pillar = pillar_for_field(heading.heading.title, self.vision.sphere.kind)
        if pillar is not None:
            self._once(Severity.INFO, "pillar-inferred", where, field=str(heading.heading), pillar=str(pillar))
        else:
            self._once(Severity.WARNING, "pillar-missing", where, field=str(heading.heading))
        return pillar, heading.heading

    def _report_repair(self, heading: FieldHeading, where: Location) -> None:
        if heading.repaired_from is not None:
            self._once(
                Severity.INFO,
                "label-repaired",
                where,
                found=heading.repaired_from,
                fixed=heading.heading.label,
                heading=str(heading.heading),
            )

    def _title(self, name: str, kind: SphereKind, central: str | None, guessed: bool, where: Location) -> None:
        sphere = self.vision.sphere
        if not sphere.name:
            sphere.name = name
            sphere.kind = kind
            self.vision.titled = True
            self._kind_guessed = where if guessed else None
        if central is not None and sphere.central_city is None:
            self.central_label = Cell(central, where)
            self._resolve_central(final=False)

    def _resolve_central(self, final: bool) -> None:
        """The central city the title names. A name that only the prefecture can decide (伊達市) waits for the
        prefecture the members share, and is reported only if that does not decide it either."""
        label, sphere = self.central_label, self.vision.sphere
        if label is None or sphere.central_city is not None:
            return
        if not final and self.registry.resolve(label.text, sphere.prefecture).entry is None:
            return
        sphere.central_city = self.members.municipality(label.text, label.location, sphere.prefecture)
        sphere.prefecture = sphere.prefecture or sphere.central_city.prefecture
        self.central_label = None

    # Header ----------------------------------------------------------------------------------------------

    def _header(self, row: Row, merge: bool) -> None:
        groups: dict[int, str] = {}
        if merge and self.block is not None:
            upper = self.block.row
            groups = _groups_above(upper, [self._kind(c.text) for c in upper.cells])
            row = _merge_header(upper, row)
        # A column the workbook hides is never a municipality's (a town that left, a working column).
        kinds = _one_description(
            [
                Column.ATTRIBUTE if c.hidden and k is Column.MUNICIPALITY else k
                for c, k in zip(row.cells, map(self._kind, row.texts), strict=True)
            ]
        )
        labels = [(i, row.cells[i]) for i, k in enumerate(kinds) if k is Column.MUNICIPALITY]
        if self._another_table(labels):
            self._sheet.other = True
            return
        self._headers += 1
        block = _Block(row, kinds)
        names = self._municipalities(labels, groups)
        block.municipalities = dict(zip((i for i, _ in labels), names, strict=True))
        block.in_order = names == [m.name for m in self.vision.municipalities if m.name in set(names)]
        self.block = block
        self.previous_was_header = True
        self.seen_header = True
        self._labels(row, kinds)

    def _labels(self, row: Row, kinds: list[Column]) -> None:
        labels = self.vision.labels
        for cell, kind in zip(row.cells, kinds, strict=True):
            if kind is Column.NAME:
                labels.name = cell.text.strip()
            elif kind is Column.DESCRIPTION:
                labels.description = cell.text.strip()
            elif kind is Column.COUNT:
                labels.count = cell.text.strip()

    def _municipalities(self, labels: list[tuple[int, Cell]], groups: dict[int, str] | None = None) -> list[str]:
        """Resolve a header's municipality columns. The first header fixes the table's columns; a later one
        must name the same municipalities in the same order, in whatever spelling (北海道鷹栖町 is 鷹栖町).
        A header row without municipality columns (the upper row of two) neither fixes nor compares."""
        if not labels:
            return []
        texts = tuple(cell.text for _, cell in labels)
        if texts == self._header_texts:
            return self._header_names
        columns = self.vision.municipalities
        sphere = self.vision.sphere
        known = {m.label: m for m in columns}
        prefecture = sphere.prefecture or self.members.common_prefecture(cell.text for _, cell in labels)
        groups = groups or {}
        # A prefecture over a group of towns decides the names it heads (府中市 under 広島県).
        found = [
            known.get(cell.text.strip())
            or self.members.municipality(cell.text, cell.location, _prefecture_of(groups.get(i), prefecture))
            for i, cell in labels
        ]
        for (i, cell), municipality in zip(labels, found, strict=True):
            if groups.get(i) in _CENTRAL_GROUP or split_label(cell.text).central:
                municipality.central = True
        if columns:
            self._compare_header(labels, found)
        seen: set[str] = set()
        for (_, cell), municipality in zip(labels, found, strict=True):
            if municipality.name in seen:
                self._find(Severity.ERROR, "municipality-duplicate", cell.location, name=municipality.name)
            seen.add(municipality.name)
            if self.vision.municipality(municipality.name) is None:
                columns.append(municipality)
            if municipality.central and sphere.central_city is None:
                sphere.central_city = municipality
        sphere.prefecture = sphere.prefecture or prefecture
        names = [m.name for m in found]
        if self._header_texts is None and len(seen) == len(names):
            self._header_texts, self._header_names = texts, names
        return names

    def _compare_header(self, labels: list[tuple[int, Cell]], found: list[Municipality]) -> None:
        """A later header that names other municipalities, or the same in another order, is an error even
        though renkei follows the names: a reader of the printed table lines the columns up by position.
        The finding points at the first cell that differs."""
        expected = [m.name for m in self.vision.municipalities]
        names = [m.name for m in found]
        if names == expected:
            return
        differs = next(i for i in range(max(len(names), len(expected))) if names[i : i + 1] != expected[i : i + 1])
        self._find(Severity.ERROR, "header-mismatch", labels[min(differs, len(labels) - 1)][1].location)

    # Project rows ----------------------------------------------------------------------------------------

    def _project(self, row: Row) -> None:
        block = self.block
        assert block is not None
        if not block.fits(row):
            self._find(
                Severity.ERROR,
                "row-width",
                row.location,
                cells=len(row.cells),
                expected=block.width,
                header_line=block.row.location.line,
            )
        headings = block.heading_cells(row)
        number, name, where = self._identity(row, block, headings)
        if number is None:
            self._find(Severity.ERROR, "row-unnumbered", where, text=name[:40])
            return
        project = Project(number=number, name=name, location=row.location)
        if row.cells[0].hidden and all(c.hidden for c in row.cells):  # a hidden row is read, and said
            self._find(Severity.INFO, "row-hidden", row.location, number=number)
        project.pillar, project.field = self._row_headings(headings, block)
        self._read_cells(project, row, block, skip=headings.keys())
        self.vision.projects.append(project)
        self.open_project = project

    def _read_cells(self, project: Project, row: Row, block: _Block, skip: Iterable[int]) -> None:
        """The description, count, marks and further columns of a project's row."""
        skipped = set(skip)
        cells, located, participants = row.cells, project.cells, project.participants
        for i, kind in block.read_columns:
            if i >= len(cells) or i in skipped:
                continue
            cell = cells[i]
            text = cell.text.strip()
            if kind is Column.MUNICIPALITY:
                name = block.municipalities[i]
                located[name] = cell.location
                role = self._mark(text, cell) if text else None
                if role is not None:
                    participants[name] = role
            elif kind is Column.DESCRIPTION:
                project.description = text
            elif kind is Column.COUNT:
                project.declared_count = self._count(text, cell, project)
                located["count"] = cell.location
            elif kind is Column.PARTICIPANTS:
                self._named.append((project, text, cell))
                located["participants"] = cell.location
            elif kind is Column.EMPTY:
                if marks.kind_of(text) is not None:
                    self._find(Severity.ERROR, "mark-without-municipality", cell.location, number=project.number)
            elif text:  # an attribute
                project.attributes[block.row.cells[i].text.strip()] = text
        if not block.in_order:
            project.participants = {
                m.name: participants[m.name] for m in self.vision.municipalities if m.name in participants
            }

    def _continues(self, row: Row) -> bool:
        """Whether a row is the rest of the project above: it has no number or name of its own (empty, or
        repeated from a merged cell) and adds only text, such as a description that runs onto a second row of
        the sheet or a second line of the PDF copy. A mark or count of its own makes it a row of its own."""
        block = self.block
        assert block is not None
        cells = row.cells
        if any(i < len(cells) and cells[i].text.strip() and not cells[i].merged for i in block.identity()):
            return False
        own = {i: c for i, c in enumerate(cells) if c.text.strip() and not c.merged}
        text_kinds = (Column.DESCRIPTION, Column.ATTRIBUTE, Column.PARTICIPANTS)
        return all(i < block.width and block.kinds[i] in text_kinds for i in own)

    def _continue(self, project: Project, row: Row) -> None:
        """Add a continuation row's own text to its project's cells, a line break between the parts."""
        block = self.block
        assert block is not None
        own = [(i, c) for i, c in enumerate(row.cells) if c.text.strip() and not c.merged]
        for i, cell in own:
            text = cell.text.strip()
            if block.kinds[i] is Column.DESCRIPTION:
                project.description = "\n".join(t for t in (project.description, text) if t)
            elif block.kinds[i] is Column.PARTICIPANTS:  # names wrapped onto the next line of a PDF copy
                self._named = [(p, f"{named}\n{text}" if p is project else named, c) for p, named, c in self._named]
            else:
                header = block.row.cells[i].text.strip()
                project.attributes[header] = "\n".join(t for t in (project.attributes.get(header, ""), text) if t)
        if own:
            self._find(Severity.INFO, "row-continued", own[0][1].location, number=project.number)
        self.open_project = project

    def _identity(self, row: Row, block: _Block, headings: dict[int, Cell]) -> tuple[int | None, str, Location]:
        """A row's number and name, from a number column or from the number that starts the name."""
        columns = [i for i in block.identity() if i not in headings]
        cells = [c for i in columns if (c := row.cell(i)) is not None and c.text.strip()]
        if not cells:
            cells = list(row.filled[:1])
        where = cells[0].location if cells else row.location
        number_at = block.first(Column.NUMBER)
        if number_at is not None and (cell := row.cell(number_at)) is not None and cell.text.strip():
            match = _NUMBER.match(cell.text)
            rest = [c.text.strip() for c in cells if c is not cell]
            number = int(key(match["digits"])) if match and not match["rest"].strip() else None
            return number, " ".join(rest), where
        match = _NUMBER.match(cells[0].text) if cells else None
        if match is None:
            return None, " ".join(c.text.strip() for c in cells), where
        rest = [match["rest"].strip(), *(c.text.strip() for c in cells[1:])]
        return int(key(match["digits"])), " ".join(r for r in rest if r), where

    def _row_headings(self, cells: dict[int, Cell], block: _Block) -> tuple[Heading | None, Heading | None]:
        """Headings given in cells of the row itself override those of the lines above. Unlike a heading line,
        a field given in a cell gets no inferred pillar: the table states its headings row by row, and a
        table with a field column but no pillar column must read back as it was written."""
        pillar, field_heading = self.pillar, self.field
        for i, cell in cells.items():
            given_pillar, given_field = _heading_cell(cell.text, block.kinds[i])
            if given_pillar is not None:
                pillar = given_pillar
            if given_field is not None:
                self._report_repair(given_field, cell.location)
                field_heading = given_field.heading
        return pillar, field_heading

    def _count(self, text: str, cell: Cell, project: Project | None = None) -> int | None:
        if not text or key(text) in _NO_MARK:
            return None
        figure = _FIGURE.fullmatch(key(text))
        if figure is not None:
            return int(figure["digits"])
        kinds = participants.kinds_count(text)
        if kinds is not None:  # 7市3町: the sum, and the kinds checked against the names once they are known
            if project is not None:
                self._kind_counts.append((project, kinds, text, cell))
            return sum(kinds.values())
        self._find(Severity.ERROR, "count-not-number", cell.location, value=text)
        return None

    def _mark(self, text: str, cell: Cell) -> Role | None:
        mark = normalize_mark(text)
        # A mark the legend explains is never a "no" spelling: the legend's marks are those of MARKS.
        role = self.vision.legend.get(mark)
        if role is not None:
            return role
        kind = _CIRCLE if mark == _CIRCLE else marks.kind_of(text)  # ○ first: most marks are
        if kind is None:
            if not marks.is_blank(text):
                self._find(Severity.ERROR, "unknown-mark", cell.location, mark=text[:10])
            return None
        if kind not in self._mark_kinds:  # each kind once: where it is first met, and the info of a lead mark
            if kind in _LEADS and not _LEADS & self._mark_kinds.keys():
                self._find(Severity.INFO, "lead-without-legend", cell.location, mark=kind)
            self._mark_kinds[kind] = cell.location
        return Role.MEMBER

    # Participants in one cell -----------------------------------------------------------------------------

    def _resolve_named(self) -> None:
        """The columns and marks of a table that names its participants in one cell. The members are those of
        a members line where there is one (a name outside it is reported), otherwise the towns met, in the
        order first met; 全市町 is every member, less those it excludes. The model is the same matrix as a ○
        table's."""
        if not self._named or self.vision.municipalities:
            return
        parsed = [(project, participants.parse_named(text), cell) for project, text, cell in self._named]
        line_names, line_at = self._members_line or self._members_table or ([], None)
        met = [(name, cell.location) for _, named, cell in parsed for name in [*named.names, *named.excluded]]
        prefecture = self.vision.sphere.prefecture or self.members.common_prefecture(
            [*line_names, *(name for name, _ in met)]
        )
        by_text: dict[str, Municipality] = {}

        def column(text: str, where: Location | None, from_line: bool) -> Municipality:
            found = by_text.get(key(text))
            if found is None:
                found = by_text[key(text)] = self.members.municipality(text, where, prefecture)
                found.central = split_label(text).central
                if self.vision.municipality(found.name) is None:
                    if not from_line and line_names:
                        self._find(Severity.WARNING, "participant-not-member", where, name=found.name)
                    self.vision.municipalities.append(found)
            return found

        for name in line_names:
            column(name, line_at, from_line=True)
        for name, where in met:
            column(name, where, from_line=False)
        everyone = [m.name for m in self.vision.municipalities]
        for project, named, cell in parsed:
            if named.every:
                excluded = {column(n, cell.location, from_line=False).name for n in named.excluded}
                chosen = {n for n in everyone if n not in excluded}
            else:
                chosen = {column(n, cell.location, from_line=False).name for n in named.names}
            project.participants = {n: Role.MEMBER for n in everyone if n in chosen}
            for name in project.participants:
                project.cells[name] = cell.location
        self._mark_central_columns()

    def _member_row(self, row: Row) -> bool:
        """A row of a table of the members above the project table (市町村名 | 人口 | 面積, then a row per town):
        its names are the sphere's members where the projects name their participants in one cell."""
        first = row.filled[0].text
        if key(first) in _MEMBERS_TABLE_WORDS:
            return True
        name = split_label(first).name
        if not self.registry.candidates(name):
            return False
        names, where = self._members_table or ([], row.location)
        self._members_table = ([*names, first.strip()], where)
        return True

    def _mark_central_columns(self) -> None:
        central = self.vision.sphere.central_city
        for m in self.vision.municipalities:
            if central is not None and m.name == central.name:
                m.central = True
            if m.central and self.vision.sphere.central_city is None:
                self.vision.sphere.central_city = m

    def _check_kinds(self) -> None:
        """A count written by kind (1市5町1村) against the kinds of the towns named or marked, counted as the
        count's header says (中心市を除く leaves the central cities out)."""
        excluding = "中心市を除" in key(self.vision.labels.count)
        central = {m.name for m in self.vision.municipalities if m.central}
        for project, kinds, text, cell in self._kind_counts:
            names = [n for n in project.participants if not (excluding and n in central)]
            actual = participants.count_by_kind(names)
            if actual != kinds:
                written = "".join(f"{n}{k}" for k, n in actual.items())
                self._find(
                    Severity.ERROR,
                    "count-kinds-mismatch",
                    cell.location,
                    number=project.number,
                    declared=text,
                    count=written or "0",
                )

    # Sheets of a workbook ---------------------------------------------------------------------------------

    def _begin_sheet(self, title: str | None) -> None:
        """A sheet boundary is a heading boundary: a vision kept as one sheet per pillar or field names the
        pillar or field in the sheet's name (① 生活機能の強化, ア 医療), and a new sheet starts without them."""
        self._sheet = _Sheet(title, len(self.findings), len(self.vision.projects), self._headers)
        self.pillar = self.field = None
        self.open_project = None
        self.previous_was_header = False
        pillar, field_heading = parse_headings(title or "")
        where = Location(sheet=title)
        if pillar is not None:
            self.pillar = pillar
        if field_heading is not None:
            self._field(field_heading, where)

    def _end_sheet(self) -> None:
        """A sheet with no header, project or totals of its own (a cover, notes) is not part of the table: what
        its lines said is dropped, and that it was skipped is reported. Its title line still names the sphere."""
        sheet = self._sheet
        if sheet.title is None:
            return
        if sheet.other:
            del self.findings[sheet.findings :]
            self._find(Severity.INFO, "sheet-other-table", Location(sheet=sheet.title), sheet=sheet.title)
            return
        totals = self.vision.totals_location
        own_totals = totals is not None and totals.sheet == sheet.title
        if self._headers == sheet.headers and len(self.vision.projects) == sheet.projects and not own_totals:
            del self.findings[sheet.findings :]
            self._find(Severity.INFO, "sheet-skipped", Location(sheet=sheet.title), sheet=sheet.title)

    def _another_table(self, labels: list[tuple[int, Cell]]) -> bool:
        """Whether a later sheet's header names none of the table's towns: the workbook keeps another sphere's
        table there (read it with --sheet), not a part of this one. Some towns in common make it a part, and
        its differences a header mismatch."""
        columns = self.vision.municipalities
        first = columns[0].location if columns else None
        if self._sheet.title is None or first is None or not labels or self._sheet.title == first.sheet:
            return False
        known = {m.name for m in columns} | {m.display for m in columns}
        for _, cell in labels:
            name = split_label(cell.text).name
            if name in known or any(e.name in known for e in self.registry.candidates(name)):
                return False
        return True

    def _settle_kind(self) -> None:
        """A title that does not say its framework (播磨圏域): the pillars' wording tells it, since each framework
        has its own national pillars ((1) 圏域全体の経済成長のけん引 is a 連携中枢都市圏's)."""
        if self._kind_guessed is None:
            return
        sphere = self.vision.sphere
        kinds = {kind_of_pillar(p.pillar.title) for p in self.vision.projects if p.pillar is not None}
        kinds.discard(None)
        if len(kinds) == 1:
            sphere.kind = kinds.pop()  # type: ignore[assignment]
        self._find(Severity.INFO, "sphere-kind-guessed", self._kind_guessed, name=sphere.name, kind=str(sphere.kind))

    def _check_mark_kinds(self) -> None:
        """Two kinds of marks (○ and ◎, ○ and ✓) with no legend saying what they mean: both are read as taking
        part, and the reader is warned, since one of them may have been meant as a role or be a typo."""
        kinds = self._mark_kinds
        if len(kinds) >= 2 and not self.vision.legend:
            second = list(kinds.values())[1]
            self._find(Severity.WARNING, "mark-legend-missing", second, marks="、".join(kinds))

    # Totals ----------------------------------------------------------------------------------------------

    def _totals(self, row: Row) -> None:
        block = self.block
        assert block is not None
        vision = self.vision
        if vision.totals_location is not None:
            self._find(Severity.WARNING, "totals-repeated", row.location)
            return
        vision.totals_location = row.location
        cells = self._totals_cells(row, block)
        if cells is None:
            return
        town_cells, grand = cells
        for name, cell in town_cells.items():
            vision.totals_cells[name] = cell.location
            value = self._total(cell)
            if value is not None:
                vision.declared_totals[name] = value
        if grand is not None:
            vision.declared_grand_total = self._total(grand)
            vision.grand_total_cell = grand.location

    def _totals_cells(self, row: Row, block: _Block) -> tuple[dict[str, Cell], Cell | None] | None:
        """Match the totals row to the municipalities: by position when it spans the header exactly,
        otherwise by count (one figure per municipality, then the grand total)."""
        names = [m.name for m in self.vision.municipalities]
        if len(row.cells) == block.width and all(key(c.text) == "" for c in self._values_at(row, block)):
            towns = {block.municipalities[i]: row.cells[i] for i in block.municipalities}
            count_at = block.first(Column.COUNT)
            return towns, row.cells[count_at] if count_at is not None else None
        label_at = row.cells.index(row.filled[0])
        values = list(row.cells[label_at + 1 :])
        while values and not values[-1].text.strip():
            values.pop()
        while len(values) > len(names) + 1 and not values[0].text.strip():
            values.pop(0)
        if len(values) in (len(names), len(names) + 1):
            grand = values[len(names)] if len(values) > len(names) else None
            return dict(zip(names, values[: len(names)], strict=True)), grand
        self._find(Severity.ERROR, "totals-misaligned", row.location, values=len(values), expected=len(names) + 1)
        return None

    def _values_at(self, row: Row, block: _Block) -> list[Cell]:
        """Cells of a full-width totals row that lie in description columns: empty when it is positional."""
        return [row.cells[i] for i, k in enumerate(block.kinds) if k is Column.DESCRIPTION]

    def _total(self, cell: Cell) -> int | None:
        value = key(cell.text)
        if not value:
            return None
        figure = _FIGURE.fullmatch(value)
        if figure is not None:
            return int(figure["digits"])
        self._find(Severity.ERROR, "total-not-number", cell.location, value=cell.text.strip())
        return None


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
    document); a title without a label is of the kind its column's header names."""
    pillar, field_heading = parse_headings(text)
    if pillar is not None or field_heading is not None:
        return pillar, field_heading
    if kind is Column.PILLAR:
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
