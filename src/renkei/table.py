"""The view of a vision's table as every reader is shown it: the CLI's matrix, the web page and the PDF.

Heading rows (pillars and fields) in document order, one row per project with its marks, the totals row, and the
filters the pages offer (one field, one municipality). Every figure is a ``Figure``: what renkei computed from
the marks and, apart from it, what the document declared, so that a computed figure is never shown as if a
document had declared it. Pure: no store, web or CLI.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar, Literal

from renkei.model import Heading, Municipality, Project, Role, Vision

MARKS = {Role.MEMBER: "○", Role.LEAD: "◎"}


@dataclass(frozen=True)
class Figure:
    """A count computed from the marks, and the one the document declared for the same cell (None: none)."""

    computed: int
    declared: int | None = None

    @property
    def differs(self) -> bool:
        return self.declared is not None and self.declared != self.computed

    @property
    def difference(self) -> int | None:
        """Declared minus computed, where the document declared a figure."""
        return None if self.declared is None else self.declared - self.computed

    @property
    def declared_if_differs(self) -> int | None:
        """The declared figure where it says something else than the marks: what the views print beside it."""
        return self.declared if self.differs else None


@dataclass(frozen=True)
class HeadingRow:
    """A pillar (政策分野) or field heading opening the rows under it."""

    heading: Heading
    level: Literal["pillar", "field"]
    kind: ClassVar[str] = "heading"

    @property
    def text(self) -> str:
        return str(self.heading)


@dataclass(frozen=True)
class ProjectRow:
    """A project: its number, name, role per column and its count (連携町数)."""

    project: Project
    roles: tuple[Role | None, ...]
    count: Figure
    kind: ClassVar[str] = "project"

    @property
    def number(self) -> int:
        return self.project.number

    @property
    def name(self) -> str:
        return self.project.name

    @property
    def marks(self) -> tuple[str, ...]:
        """○ / ◎ / "" per column."""
        return tuple(MARKS[r] if r is not None else "" for r in self.roles)


Row = HeadingRow | ProjectRow


@dataclass(frozen=True)
class TableView:
    """The table as shown. ``sections`` are the rows of one pillar each (a new one wherever the pillar changes,
    also to none); ``totals`` has one figure per column, whose declared figures are the document's 連携事業数計
    and are left out (None) in a filtered view, which the document did not total."""

    columns: tuple[Municipality, ...]
    sections: tuple[tuple[Row, ...], ...]
    totals: tuple[Figure, ...]
    grand_total: Figure
    shown: int
    filtered: bool = False

    @property
    def rows(self) -> list[Row]:
        return [row for section in self.sections for row in section]

    @property
    def project_rows(self) -> list[ProjectRow]:
        return [r for r in self.rows if isinstance(r, ProjectRow)]

    @property
    def central(self) -> tuple[Municipality, ...]:
        """The central cities (中心市) that have a column of their own."""
        return tuple(m for m in self.columns if m.central)

    @property
    def differs(self) -> bool:
        """Whether any declared figure says something else than the marks."""
        figures = (*(r.count for r in self.project_rows), *self.totals, self.grand_total)
        return any(f.differs for f in figures)


def field_key(heading: Heading | None) -> str:
    """How a field is named in a filter: its heading's text."""
    return str(heading) if heading else ""


def select_projects(vision: Vision, field: str | None = None, municipality: str | None = None) -> list[Project]:
    """Projects of one field (by its heading text) and/or one municipality (by code or name)."""
    member = vision.find_municipality(municipality) if municipality else None
    projects = vision.projects
    if field:
        projects = [p for p in projects if field_key(p.field) == field]
    if municipality:
        projects = [p for p in projects if member is not None and member.name in p.participants]
    return projects


def table_view(vision: Vision, *, field: str | None = None, municipality: str | None = None) -> TableView:
    """The table in document order with its pillar and field headings, counts and totals computed from the
    marks and the declared figures beside them; filtered to one field and/or municipality where given."""
    projects = select_projects(vision, field, municipality)
    columns = tuple(vision.municipalities)
    sections: list[list[Row]] = []
    pillar: Heading | None = None
    field_heading: Heading | None = None
    for index, p in enumerate(projects):
        new_pillar = index == 0 or p.pillar != pillar
        if new_pillar:
            sections.append([])
        rows = sections[-1]
        if new_pillar and p.pillar is not None:
            rows.append(HeadingRow(p.pillar, "pillar"))
        if p.field is not None and (new_pillar or p.field != field_heading):
            rows.append(HeadingRow(p.field, "field"))
        pillar, field_heading = p.pillar, p.field
        roles = tuple(p.participants.get(m.name) for m in columns)
        rows.append(ProjectRow(p, roles, Figure(p.count, p.declared_count)))
    whole = not field and not municipality
    present = {m.name: 0 for m in columns}
    for p in projects:
        for name in p.participants:
            if name in present:
                present[name] += 1
    totals = tuple(Figure(present[m.name], vision.declared_totals.get(m.name) if whole else None) for m in columns)
    grand = Figure(sum(p.count for p in projects), vision.declared_grand_total if whole else None)
    return TableView(columns, tuple(map(tuple, sections)), totals, grand, shown=len(projects), filtered=not whole)


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
