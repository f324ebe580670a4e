"""What the pages show, computed from the model: the matrix rows with their headings, filters and figures.

Kept apart from the routes so that the same view serves a sphere's page, the check page's preview and the
API's filtered project lists.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from renkei.model import Heading, Municipality, Project, Role, Vision


@dataclass(frozen=True)
class Cell:
    municipality: Municipality
    role: Role | None


@dataclass(frozen=True)
class MatrixRow:
    """Either a heading line (pillar or field) or a project with one cell per municipality."""

    heading: Heading | None = None
    level: str = ""
    project: Project | None = None
    cells: tuple[Cell, ...] = ()
    count_differs: bool = False


@dataclass
class Matrix:
    municipalities: list[Municipality]
    rows: list[MatrixRow] = field(default_factory=list)
    totals: list[tuple[Municipality, int, int | None]] = field(default_factory=list)
    grand_total: int = 0
    declared_grand_total: int | None = None
    shown: int = 0
    filtered: bool = False  # totals are then the filtered view's, not the document's 連携事業数計


def municipality_key(m: Municipality) -> str:
    """How a municipality is named in a URL: its code, or its name where it has none."""
    return m.code or m.name


def field_key(heading: Heading | None) -> str:
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


def filtered(vision: Vision, field: str | None = None, municipality: str | None = None) -> Vision:
    """The vision as a filtered page shows it: only the chosen projects, every municipality's column kept, and
    no declared totals (the document declared them for the whole table, not for this part)."""
    projects = select_projects(vision, field, municipality)
    # Named as an excerpt (抜粋) in its metadata row, so that importing it back is refused (it is not the whole).
    excerpt = " ".join(f for f in (field, municipality) if f)
    edition = dataclasses.replace(vision.edition, excerpt=excerpt or None)
    return dataclasses.replace(
        vision, projects=projects, declared_totals={}, declared_grand_total=None, edition=edition
    )


def matrix(vision: Vision, field: str | None = None, municipality: str | None = None) -> Matrix:
    """The ○ matrix in document order with pillar and field headings, counts and totals computed from the
    marks; the declared figures travel beside them so the page can flag a difference."""
    projects = select_projects(vision, field, municipality)
    result = Matrix(list(vision.municipalities), shown=len(projects))
    pillar: Heading | None = None
    field_heading: Heading | None = None
    for index, p in enumerate(projects):
        if (index == 0 or p.pillar != pillar) and p.pillar is not None:
            result.rows.append(MatrixRow(heading=p.pillar, level="pillar"))
        if p.field is not None and (index == 0 or p.field != field_heading or p.pillar != pillar):
            result.rows.append(MatrixRow(heading=p.field, level="field"))
        pillar, field_heading = p.pillar, p.field
        cells = tuple(Cell(m, p.participants.get(m.name)) for m in vision.municipalities)
        differs = p.declared_count is not None and p.declared_count != p.count
        result.rows.append(MatrixRow(project=p, cells=cells, count_differs=differs))
    present = {m.name: sum(1 for p in projects if m.name in p.participants) for m in vision.municipalities}
    whole = not field and not municipality
    result.totals = [
        (m, present[m.name], vision.declared_totals.get(m.name) if whole else None) for m in vision.municipalities
    ]
    result.grand_total = sum(p.count for p in projects)
    result.declared_grand_total = vision.declared_grand_total if whole else None
    result.filtered = not whole
    return result


def fields(vision: Vision) -> list[tuple[str, str]]:
    """(key, label) of every field, for the filter's choices."""
    return [(field_key(f), f"{field_key(p)} / {field_key(f)}" if p else field_key(f)) for p, f in vision.fields()]
