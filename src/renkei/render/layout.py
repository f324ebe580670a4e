"""What the tabular renderers share: the order of headings and blocks, marks, and title lines."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from renkei.model import Heading, Project, Role, Vision
from renkei.table import MARKS

LEGEND = "◎：主体となって実施　○：連携して実施"


@dataclass(frozen=True)
class Block:
    """Consecutive projects under one pillar and field, with the headings that open the block."""

    pillar: Heading | None
    field: Heading | None
    new_pillar: bool
    projects: list[Project]


def blocks(vision: Vision) -> Iterator[Block]:
    current: Block | None = None
    for project in vision.projects:
        if current is None or (project.pillar, project.field) != (current.pillar, current.field):
            if current is not None:
                yield current
            new_pillar = current is None or project.pillar != current.pillar
            current = Block(project.pillar, project.field, new_pillar, [])
        current.projects.append(project)
    if current is not None:
        yield current


def title(vision: Vision) -> str | None:
    """The title line: the sphere's name, and its central city in brackets (中心市：…)."""
    sphere = vision.sphere
    if not sphere.name:
        return None
    central = sphere.central_city
    heading = f"{sphere.name}（中心市：{central.display}）" if central else sphere.name
    return heading + edition_note(vision)


def edition_note(vision: Vision) -> str:
    """The revision and the date it takes effect, after the title of a table read from the registry
    (「　第3版（2024-04-01 適用）」), so that a printout says which table it is. A file's own table has none; the
    reader takes the name and kind before it, so the note does not change what is read back."""
    edition = vision.edition
    if edition.revision is None:
        return ""
    when = f"（{edition.effective_on} 適用）" if edition.effective_on else ""
    return f"　第{edition.revision}版{when}"


def has_leads(vision: Vision) -> bool:
    return any(role is Role.LEAD for p in vision.projects for role in p.participants.values())


def marks(vision: Vision, project: Project) -> list[str]:
    return [MARKS[r] if (r := project.participants.get(m.name)) else "" for m in vision.municipalities]


def totals(vision: Vision) -> list[str]:
    """The totals row, computed from the marks: never the declared figures."""
    present = vision.present_totals()
    return [
        vision.labels.totals,
        *(str(present[m.name]) for m in vision.municipalities),
        str(vision.present_links()),
    ]


def figure(value: int | None) -> str:
    """A declared figure as the document printed it: blank where it printed none."""
    return "" if value is None else str(value)


def declared_count(project: Project) -> str:
    """A project's declared 連携町数, or － where the document declared none: a row without marks, description
    or count would otherwise read as a heading (1 ぁ)."""
    return NO_FIGURE if project.declared_count is None else str(project.declared_count)


NO_FIGURE = "－"


def declared_totals(vision: Vision) -> list[str] | None:
    """The 連携事業数計 row as the document declared it (a fragment's totals count its missing rows too, so they
    cannot be recomputed): its label, a figure per municipality, the grand total. None when it had no totals
    row, so that none is invented."""
    if not vision.declared_totals and vision.declared_grand_total is None:
        return None
    return [
        vision.labels.totals,
        *(figure(vision.declared_totals.get(m.name)) for m in vision.municipalities),
        figure(vision.declared_grand_total),
    ]
