"""What the national views read, kept on write: for the newest revision of each sphere, its compared fields
(``field_use``: projects, towns taking part, members, the document's own titles).

``refresh`` is called by every path that writes a revision (``writes.add_revision``, the bulk import) with the
spheres it wrote, in the same transaction: it replaces only those spheres' rows, so a publish costs one
sphere's work and the comparison reads the whole country with one indexed query instead of every sphere's
revision. Migration 0007 fills the table for databases made before it (``backfill``); 0010 adds each field's
budget (the sum of every fiscal year's amount, 千円, computed) and its KPIs counted per grade
(``renkei.vision.budgetfigures``), read from the projects' payload and graded with the sphere's own thresholds
(``sphere.grades``): setting them (``Results.set_thresholds``) refreshes the sphere's rows in its transaction.
A writer that holds the revisions it just wrote passes their projects (``written``), and their figures are taken
from memory instead of decoded back from the payload it has just encoded (most of what budgets added to a bulk
import).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Connection, delete, func, insert, inspect, null, select
from sqlalchemy.orm import Session

from renkei.store.rows import grade_thresholds
from renkei.store.schema import (
    FieldUseRow,
    ParticipationRow,
    RevisionMunicipalityRow,
    RevisionProjectRow,
    RevisionRow,
    SphereRow,
)
from renkei.vision import budgetfigures, grades, record
from renkei.vision.guidelines import policy_field
from renkei.vision.model import Project

GRADE_COLUMNS = ("grade_a", "grade_b", "grade_c", "grade_d", "ungraded")  # budgetfigures.GRADE_KEYS' order
# Spheres refreshed per round of queries (bounded IN lists on both backends).
_BATCH = 400


@lru_cache(maxsize=8192)
def compared_field(title: str) -> tuple[str, bool]:
    """The row a field title is compared in: the guidelines' policy field it belongs to, or the title itself
    (not mapped) where it names none."""
    policy = policy_field(title)
    return (policy.name, True) if policy is not None else (title, False)


@dataclass
class _Use:
    position: int
    mapped: bool
    projects: int = 0
    towns: set[int] | None = None
    titles: list[str] | None = None
    budget: float | None = None
    grades: list[int] | None = None


Written = Mapping[int, Sequence[Project]]  # a revision's projects in their stored order, by the revision's row id


def refresh(
    session: Session | Connection,
    sphere_ids: Iterable[int],
    columns: frozenset[str] | None = None,
    written: Written | None = None,
) -> None:
    """Recompute the compared fields of these spheres' newest revisions (a sphere without a revision keeps
    none); call it in the transaction that wrote them, once per sphere or once for a batch of spheres.
    ``columns``: the table's columns where a migration fills it before its later columns exist; ``written``: the
    projects of revisions the caller has in memory (the figures of the others are read from their payload)."""
    ids = sorted(set(sphere_ids))
    connection = session.connection() if isinstance(session, Session) else session
    for start in range(0, len(ids), _BATCH):
        _refresh(connection, ids[start : start + _BATCH], columns, written or {})


def backfill(connection: Connection) -> None:
    """Every sphere's rows, for a database written before the table (or some of its columns) existed."""
    columns = frozenset(c["name"] for c in inspect(connection).get_columns(FieldUseRow.__tablename__))
    ids = [sphere_id for (sphere_id,) in connection.execute(select(SphereRow.id))]
    refresh(connection, ids, columns)


def _figures(payload: dict[str, Any] | None) -> Project | None:
    """A project with just its budgets and KPIs, from a row's payload; None where it has neither."""
    if not payload or not (payload.get("budgets") or payload.get("kpis")):
        return None
    fields = record.from_row(_Payload(payload), [record.FIELDS["budgets"], record.FIELDS["kpis"]])
    return Project(0, "", **fields)


def _held(project: Project) -> Project | None:
    return project if project.budgets or project.kpis else None


@dataclass(frozen=True)
class _Payload:
    payload: dict[str, Any]


def _refresh(connection: Connection, ids: Sequence[int], columns: frozenset[str] | None, written: Written) -> None:
    connection.execute(delete(FieldUseRow).where(FieldUseRow.sphere_id.in_(ids)))
    numbers = (
        select(RevisionRow.sphere_id, func.max(RevisionRow.number).label("number"))
        .where(RevisionRow.sphere_id.in_(ids))
        .group_by(RevisionRow.sphere_id)
        .subquery()
    )
    newest = select(RevisionRow.id, RevisionRow.sphere_id).join(
        numbers, (numbers.c.sphere_id == RevisionRow.sphere_id) & (numbers.c.number == RevisionRow.number)
    )
    revisions = {revision_id: sphere_id for revision_id, sphere_id in connection.execute(newest).all()}
    if not revisions:
        return
    thresholds = _thresholds(connection, ids, columns)
    members = dict(
        connection.execute(
            select(RevisionMunicipalityRow.revision_id, func.count())
            .where(RevisionMunicipalityRow.revision_id.in_(revisions))
            .group_by(RevisionMunicipalityRow.revision_id)
        ).all()
    )
    # The payload is read (and decoded) only where a revision's projects are not in memory.
    payload = RevisionProjectRow.payload if not set(revisions) <= set(written) else null().label("payload")
    projects = connection.execute(
        select(RevisionProjectRow.id, RevisionProjectRow.revision_id, RevisionProjectRow.position)
        .add_columns(RevisionProjectRow.field_title, payload)
        .where(RevisionProjectRow.revision_id.in_(revisions), RevisionProjectRow.field_title.is_not(None))
        .order_by(RevisionProjectRow.revision_id, RevisionProjectRow.position)
    ).all()
    towns: dict[int, set[int]] = {}
    for row_id, municipality_id in connection.execute(
        select(ParticipationRow.revision_project_id, ParticipationRow.municipality_id)
        .join(RevisionProjectRow, RevisionProjectRow.id == ParticipationRow.revision_project_id)
        .where(RevisionProjectRow.revision_id.in_(revisions))
    ):
        towns.setdefault(row_id, set()).add(municipality_id)
    uses: dict[tuple[int, str], _Use] = {}
    for row_id, revision_id, position, title, payload in projects:
        key, mapped = compared_field(title)
        use = uses.get((revision_id, key))
        if use is None:
            use = uses[revision_id, key] = _Use(position, mapped, 0, set(), [], None, [0] * 5)
        assert use.towns is not None and use.titles is not None and use.grades is not None
        held = written.get(revision_id)
        figures = _figures(payload) if held is None else _held(held[position])
        if figures is not None:
            own = thresholds.get(revisions[revision_id], grades.DEFAULT)
            budget, counts = budgetfigures.project_figures(figures, own)
            if budget is not None:
                use.budget = (use.budget or 0.0) + budget
            use.grades = [a + b for a, b in zip(use.grades, counts, strict=True)]
        use.projects += 1
        use.towns |= towns.get(row_id, set())
        if title not in use.titles:
            use.titles.append(title)
    rows = [
        {
            "sphere_id": revisions[revision_id],
            "field": key,
            "revision_id": revision_id,
            "position": use.position,
            "mapped": use.mapped,
            "projects": use.projects,
            "towns": len(use.towns or ()),
            "members": members.get(revision_id, 0),
            "titles": use.titles or [],
            "budget": use.budget,
            **dict(zip(GRADE_COLUMNS, use.grades or [0] * 5, strict=True)),
        }
        for (revision_id, key), use in uses.items()
    ]
    if columns is not None:
        rows = [{k: v for k, v in row.items() if k in columns} for row in rows]
    if rows:
        connection.execute(insert(FieldUseRow), rows)


def _thresholds(
    connection: Connection, ids: Sequence[int], columns: frozenset[str] | None
) -> dict[int, grades.Thresholds]:
    """The spheres' own grade thresholds, by sphere id (those keeping renkei's default left out). Read only where
    the table has grade columns to fill: migration 0007 fills it before ``sphere.grades`` exists (0008), 0010
    after."""
    if columns is not None and GRADE_COLUMNS[0] not in columns:
        return {}
    found = connection.execute(select(SphereRow.id, SphereRow.grades).where(SphereRow.id.in_(ids)))
    return {sphere_id: grades.Thresholds(*own) for sphere_id, stored in found if (own := grade_thresholds(stored))}


# Reads ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldUse:
    """One compared field in one sphere: its projects, the towns taking part in any of them, the members, and the
    titles the sphere's own document gives the fields compared under it (医療 may be 地域医療 in one vision)."""

    projects: int
    towns: int
    members: int
    titles: tuple[str, ...] = ()
    mapped: bool = True
    budget: float | None = None  # the sum of its projects' budgets over every fiscal year (千円, computed)
    grades: tuple[int, ...] = (0, 0, 0, 0, 0)  # its KPIs per grade: A, B, C, D, not yet graded


@dataclass(frozen=True)
class FieldTotal:
    """One compared field over a set of spheres: how many run projects in it, and the sums of their figures."""

    field: str
    mapped: bool
    spheres: int
    projects: int
    towns: int
    members: int
    budget: float | None = None
    grades: tuple[int, ...] = (0, 0, 0, 0, 0)


def _current(kind: str, prefecture: str, abolished: bool = False) -> list[ColumnElement[bool]]:
    """The spheres not abolished (and the abolished ones too where asked), of a kind and prefecture (either
    empty: all)."""
    conditions = [] if abolished else [func.coalesce(SphereRow.abolished_on, "") == ""]
    if kind:
        conditions.append(SphereRow.kind == kind)
    if prefecture:
        conditions.append(SphereRow.prefecture == prefecture)
    return conditions


def _first(
    session: Session, order: Sequence[Any], kind: str | None = None, prefecture: str = "", abolished: bool = False
) -> dict[str, int]:
    """Each field's rank by where it first appears, spheres taken in ``order`` and each sphere's fields in
    document order (one row per field, chosen by the database)."""
    postgres = session.get_bind().dialect.name == "postgresql"

    def collated(columns: Sequence[Any]) -> list[Any]:  # names in code point order on both backends
        return [c.collate("C") if postgres else c for c in columns]

    rank = func.row_number().over(partition_by=FieldUseRow.field, order_by=[*collated(order), FieldUseRow.position])
    inner = select(FieldUseRow.field, rank.label("rank"), *order, FieldUseRow.position).join(
        SphereRow, SphereRow.id == FieldUseRow.sphere_id
    )
    if kind is not None:
        inner = inner.where(*_current(kind, prefecture, abolished))
    sub = inner.subquery()
    firsts = session.execute(
        select(sub.c.field).where(sub.c.rank == 1).order_by(*collated([sub.c[c.key] for c in order]), sub.c.position)
    ).all()
    return {name: i for i, (name,) in enumerate(firsts)}


def overview(session: Session, kind: str, prefecture: str, abolished: bool = False) -> list[FieldTotal]:
    """Every compared field of the current spheres (and the abolished ones where asked) of a kind and
    prefecture, in order of first appearance (spheres by name)."""
    query = (
        select(
            FieldUseRow.field,
            FieldUseRow.mapped,
            func.count(),
            func.sum(FieldUseRow.projects),
            func.sum(FieldUseRow.towns),
            func.sum(FieldUseRow.members),
            func.sum(FieldUseRow.budget),
            *(func.sum(getattr(FieldUseRow, name)) for name in GRADE_COLUMNS),
        )
        .join(SphereRow, SphereRow.id == FieldUseRow.sphere_id)
        .where(*_current(kind, prefecture, abolished))
        .group_by(FieldUseRow.field, FieldUseRow.mapped)
    )
    totals = [
        FieldTotal(f, bool(m), n, int(p), int(t), int(k), None if b is None else float(b), tuple(int(g) for g in gs))
        for f, m, n, p, t, k, b, *gs in session.execute(query)
    ]
    first = _first(session, [SphereRow.name, SphereRow.key], kind, prefecture, abolished)
    return sorted(totals, key=lambda total: first.get(total.field, len(first)))


def uses_of(session: Session, field: str) -> dict[str, FieldUse]:
    """One compared field in every sphere that has it, by sphere key."""
    query = select(
        SphereRow.key,
        FieldUseRow.projects,
        FieldUseRow.towns,
        FieldUseRow.members,
        FieldUseRow.titles,
        FieldUseRow.mapped,
        FieldUseRow.budget,
        *(getattr(FieldUseRow, name) for name in GRADE_COLUMNS),
    ).join(SphereRow, SphereRow.id == FieldUseRow.sphere_id)
    return {
        key: FieldUse(p, t, m, tuple(titles), bool(mapped), budget, tuple(counts))
        for key, p, t, m, titles, mapped, budget, *counts in session.execute(query.where(FieldUseRow.field == field))
    }


def titles(session: Session) -> list[tuple[str, bool]]:
    """Every compared field of the registry with whether the guidelines name it, in order of first appearance
    (spheres by key)."""
    mapped = dict(session.execute(select(FieldUseRow.field, FieldUseRow.mapped).distinct()).all())
    first = _first(session, [SphereRow.key])
    return [(name, bool(mapped[name])) for name in sorted(mapped, key=lambda n: first.get(n, len(first)))]
