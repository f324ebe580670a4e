"""The one view of a vision's table that every output presents: the CLI's matrix, the web pages (the sphere's
matrix and the draft editor), the PDF, CSV, XLSX, Markdown and the official layout.

The view has the table's columns (``Column``: number, pillar and field, name, description, the extra attributes,
one per municipality, the count), its rows in document order — heading rows (pillars and fields) opening blocks
of project rows — and the closing totals row. Every figure is a ``Figure``: what renkei computed from the marks
and, apart from it, what the document declared, so that a computed figure is never shown as if a document had
declared it. A renderer chooses which columns it shows and how it writes a figure; it never builds a column or
a row of its own. The pages' filters (one field, one municipality) give a filtered view. Pure: no store, web or
CLI.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import ClassVar, Literal

from renkei.vision.figurecolumns import FigureColumn, figure_columns
from renkei.vision.model import Heading, Labels, Municipality, Project, Role, Vision

MARKS = {Role.MEMBER: "○", Role.LEAD: "◎"}

ColumnKind = Literal["number", "pillar", "field", "name", "description", "attribute", "municipality", "count", "figure"]


@dataclass(frozen=True)
class Figure:
    """A count computed from the marks, and the one the document declared for the same cell (None: none)."""

    computed: int
    declared: int | None = None
    # What a fragment's absent rows could hold in this cell (0: none absent); context, not the figure itself.
    room: int = dataclass_field(default=0, compare=False)

    @property
    def differs(self) -> bool:
        return self.declared is not None and self.declared != self.computed

    @property
    def explained(self) -> bool:
        """Whether the declared figure exceeds the marks by no more than the missing rows could hold: a
        fragment's total that counts its absent rows, not a contradiction (the views do not flag it as one)."""
        return self.declared is not None and 0 < self.declared - self.computed <= self.room

    @property
    def difference(self) -> int | None:
        """Declared minus computed, where the document declared a figure."""
        return None if self.declared is None else self.declared - self.computed

    @property
    def declared_if_differs(self) -> int | None:
        """The declared figure where it says something else than the marks: what the views print beside it."""
        return self.declared if self.differs else None


@dataclass(frozen=True)
class Column:
    """A column of the table: its kind and the document's heading for it (the municipality's name, the
    attribute's name, the document's own wording of 項目 / 事業内容 / 連携町数; blank for the number and 柱 /
    分野 for the heading columns, which a renderer may name in its own way)."""

    kind: ColumnKind
    label: str
    municipality: Municipality | None = None
    attribute: str = ""
    # A budget or KPI column (``renkei.vision.figurecolumns``): its cell taken from the project's structured field.
    figure: FigureColumn | None = None


@dataclass(frozen=True)
class HeadingRow:
    """A pillar (政策分野) or field heading opening the rows under it."""

    heading: Heading
    level: Literal["pillar", "field"]
    kind: ClassVar[str] = "heading"

    @property
    def text(self) -> str:
        """The heading as its row writes it: with its label (① 生活機能の強化, ア 医療), or, without one, in the
        brackets renkei's readers read back as the same level (【生活機能の強化】 a pillar, ［医療］ a field)."""
        if self.heading.label:
            return str(self.heading)
        return f"【{self.heading.title}】" if self.level == "pillar" else f"［{self.heading.title}］"


@dataclass(frozen=True)
class ProjectRow:
    """A project: its number, name, role per municipality column and its count (連携町数). ``index`` is its
    place among the projects the view was made of (the draft editor finds its draft row by it)."""

    project: Project
    roles: tuple[Role | None, ...]
    count: Figure
    index: int = 0
    kind: ClassVar[str] = "project"

    @property
    def number(self) -> int | str:
        return self.project.written_number

    @property
    def name(self) -> str:
        return self.project.name

    @property
    def marks(self) -> tuple[str, ...]:
        """○ / ◎ / "" per column."""
        return tuple(MARKS[r] if r is not None else "" for r in self.roles)

    def value(self, column: Column, at: int) -> int | str | Figure:
        """The cell under ``column`` (the ``at``-th municipality for a municipality column): the number, a
        heading's or a text's words ("" for none), an attribute, a mark ("" for none) or the count."""
        p = self.project
        kind = column.kind
        if kind == "municipality":
            role = self.roles[at]
            return MARKS[role] if role is not None else ""
        if kind == "number":
            return p.written_number
        if kind == "count":
            return self.count
        if kind == "attribute":
            return p.attributes.get(column.attribute, "")
        if kind == "figure":
            return column.figure.cell(p) if column.figure is not None else ""
        if kind in ("pillar", "field"):
            heading = p.pillar if kind == "pillar" else p.field
            return str(heading) if heading else ""
        return p.name if kind == "name" else p.description

    def cells(
        self, kinds: Collection[ColumnKind], attributes: Sequence[str], figures: Sequence[FigureColumn] = ()
    ) -> list[int | str | Figure]:
        """The row's cells under every column of these kinds, in the table's order of kinds (``head``): what
        ``value`` gives for each of ``TableView.select(*kinds)``, made at once for a whole row."""
        p = self.project
        out: list[int | str | Figure] = [p.written_number] if "number" in kinds else []
        if "pillar" in kinds:
            out.append(str(p.pillar) if p.pillar else "")
        if "field" in kinds:
            out.append(str(p.field) if p.field else "")
        if "name" in kinds:
            out.append(p.name)
        if "description" in kinds:
            out.append(p.description)
        if "attribute" in kinds:
            out += [p.attributes.get(a, "") for a in attributes]
        if "municipality" in kinds:
            out += [MARKS[r] if r is not None else "" for r in self.roles]
        if "count" in kinds:
            out.append(self.count)
        if "figure" in kinds:
            out += [f.cell(p) for f in figures]
        return out


Row = HeadingRow | ProjectRow


@dataclass(frozen=True)
class Block:
    """Consecutive projects under one pillar and field, with the heading rows that open them (the pillar's
    where the pillar changes, the field's where it has one): a printed table repeats its header per block."""

    headings: tuple[HeadingRow, ...]
    projects: tuple[ProjectRow, ...]
    new_pillar: bool


@dataclass(frozen=True)
class TableView:
    """The table as shown. ``columns`` are the municipality columns and ``head`` every column in order;
    ``blocks`` the rows (``sections`` groups them by pillar: a new one wherever the pillar changes, also to
    none); ``totals`` has one figure per municipality column, whose declared figures are the document's
    連携事業数計 and are left out (None) in a filtered view, which the document did not total."""

    columns: tuple[Municipality, ...]
    blocks: tuple[Block, ...]
    totals: tuple[Figure, ...]
    grand_total: Figure
    shown: int
    filtered: bool = False
    head: tuple[Column, ...] = ()
    labels: Labels = dataclass_field(default_factory=Labels)
    # Whether the document had a 連携事業数計 row: only then do the layouts that print declared figures print one.
    declares_totals: bool = False
    # Whether a project has a lead (◎): the layouts then print the legend.
    leads: bool = False

    @property
    def sections(self) -> list[list[Row]]:
        sections: list[list[Row]] = []
        for block in self.blocks:
            if block.new_pillar or not sections:
                sections.append([])
            sections[-1] += [*block.headings, *block.projects]
        return sections

    @property
    def rows(self) -> list[Row]:
        rows: list[Row] = []
        for block in self.blocks:
            rows += [*block.headings, *block.projects]
        return rows

    @property
    def project_rows(self) -> list[ProjectRow]:
        return [row for block in self.blocks for row in block.projects]

    @functools.cached_property
    def attributes(self) -> list[str]:
        return [c.attribute for c in self.head if c.kind == "attribute"]

    @functools.cached_property
    def figures(self) -> list[FigureColumn]:
        """The budget and KPI columns (``renkei.vision.figurecolumns``), in the table's order."""
        return [c.figure for c in self.head if c.figure is not None]

    @property
    def central(self) -> tuple[Municipality, ...]:
        """The central cities (中心市) that have a column of their own."""
        return tuple(m for m in self.columns if m.central)

    @property
    def differs(self) -> bool:
        """Whether any declared figure says something else than the marks."""
        figures = (*(r.count for r in self.project_rows), *self.totals, self.grand_total)
        return any(f.differs for f in figures)

    def select(self, *kinds: ColumnKind) -> list[tuple[Column, int]]:
        """The columns of these kinds in the table's order, each with its place among the municipality columns
        (what ``ProjectRow.value`` and ``total`` take)."""
        chosen: list[tuple[Column, int]] = []
        at = 0
        for column in self.head:
            if column.kind in kinds:
                chosen.append((column, at))
            at += column.kind == "municipality"
        return chosen

    def total(self, column: Column, at: int) -> Figure | None:
        """The totals row's figure under a column: a municipality's, the grand total under the count, else none."""
        if column.kind == "municipality":
            return self.totals[at]
        return self.grand_total if column.kind == "count" else None


def field_key(heading: Heading | None) -> str:
    """How a field is named in a filter: its heading's text."""
    return str(heading) if heading else ""


def select_projects(
    vision: Vision,
    field: str | None = None,
    municipality: str | None = None,
    projects: Sequence[Project] | None = None,
) -> list[Project]:
    """Projects of one field (by its heading text) and/or one municipality (by code or name), of ``projects``
    where given, else of the vision."""
    member = vision.find_municipality(municipality) if municipality else None
    chosen = list(vision.projects if projects is None else projects)
    if field:
        chosen = [p for p in chosen if field_key(p.field) == field]
    if municipality:
        chosen = [p for p in chosen if member is not None and member.name in p.participants]
    return chosen


def head(vision: Vision) -> tuple[Column, ...]:
    """Every column of the table in order: the kinds always in this order (``ProjectRow.cells`` relies on it)."""
    labels = vision.labels
    return (
        Column("number", ""),
        Column("pillar", "柱"),
        Column("field", "分野"),
        Column("name", labels.name),
        Column("description", labels.description),
        *(Column("attribute", a, attribute=a) for a in vision.attribute_names()),
        *(Column("municipality", m.display, municipality=m) for m in vision.municipalities),
        Column("count", labels.count),
        *(Column("figure", f.label, figure=f) for f in figure_columns(vision)),
    )


def _blocks(projects: Iterable[tuple[int, Project]], columns: tuple[Municipality, ...]) -> list[Block]:
    blocks: list[Block] = []
    headings: list[HeadingRow] = []
    rows: list[ProjectRow] = []
    opens_pillar = True
    previous: Project | None = None
    names = [m.name for m in columns]
    for index, p in projects:
        new_pillar = previous is None or p.pillar != previous.pillar
        if previous is None or new_pillar or p.field != previous.field:
            if previous is not None:
                blocks.append(Block(tuple(headings), tuple(rows), opens_pillar))
            opens_pillar, headings, rows = new_pillar, [], []
            if new_pillar and p.pillar is not None:
                headings.append(HeadingRow(p.pillar, "pillar"))
            if p.field is not None:
                headings.append(HeadingRow(p.field, "field"))
        roles = tuple(map(p.participants.get, names))
        rows.append(ProjectRow(p, roles, Figure(p.count, p.declared_count), index))
        previous = p
    if previous is not None:
        blocks.append(Block(tuple(headings), tuple(rows), opens_pillar))
    return blocks


def table_view(
    vision: Vision,
    *,
    field: str | None = None,
    municipality: str | None = None,
    projects: Sequence[Project] | None = None,
) -> TableView:
    """The table in document order with its pillar and field headings, counts and totals computed from the
    marks and the declared figures beside them; filtered to one field and/or municipality where given. The
    projects are the vision's, or ``projects`` under the vision's columns (a draft's, retired ones too)."""
    given = list(vision.projects if projects is None else projects)
    filtered = bool(field or municipality)
    indexed = list(enumerate(given))
    if filtered:
        kept = {id(p) for p in select_projects(vision, field, municipality, given)}
        indexed = [(i, p) for i, p in indexed if id(p) in kept]
    chosen = [p for _, p in indexed]
    columns = tuple(vision.municipalities)
    # The document's totals are of its own rows: a filtered view or a draft's rows have none declared.
    whole = not filtered and projects is None
    present = {m.name: 0 for m in columns}
    for p in chosen:
        for name in p.participants:
            if name in present:
                present[name] += 1
    lacking = vision.missing_count() if whole else 0  # a fragment's absent rows, which its totals count
    totals = tuple(
        Figure(present[m.name], vision.declared_totals.get(m.name) if whole else None, lacking) for m in columns
    )
    grand = Figure(sum(p.count for p in chosen), vision.declared_grand_total if whole else None, lacking * len(columns))
    declares = whole and (bool(vision.declared_totals) or vision.declared_grand_total is not None)
    leads = any(Role.LEAD in p.participants.values() for p in chosen)
    return TableView(
        columns,
        tuple(_blocks(indexed, columns)),
        totals,
        grand,
        shown=len(chosen),
        filtered=filtered,
        head=head(vision),
        labels=vision.labels,
        declares_totals=declares,
        leads=leads,
    )


def format_ranges(ranges: Iterable[tuple[int, int]]) -> str:
    """Runs of numbers, sorted and merged where they overlap or touch: (5, 5), (1, 2), (2, 3) → "1–3, 5".

    The one style of every message, note and chart: a single number alone, a run of two or more as
    "first–last"."""
    merged: list[list[int]] = []
    for first, last in sorted((min(a, b), max(a, b)) for a, b in ranges):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return ", ".join(str(first) if first == last else f"{first}–{last}" for first, last in merged)


def format_numbers(numbers: Iterable[int]) -> str:
    """Numbers in any order, repeated or not, as runs: 8, 1, 2, 3, 5, 7 → "1–3, 5, 7–8"."""
    return format_ranges((n, n) for n in numbers)
