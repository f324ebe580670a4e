"""A draft's rows: the draft as read, opened from the newest revision, closed, and the sphere's row lock.

What ``Drafts`` (edits, publishing, rebasing) builds on; every function runs in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from renkei.store.cells import made_at
from renkei.store.clock import now
from renkei.store.errors import StoreError
from renkei.store.rows import latest_revision, load, revision_row
from renkei.store.schema import DraftProjectRow, DraftRow, ProjectRow, SphereRow
from renkei.vision import record
from renkei.vision.model import Heading, Project, Role, Vision

CLOSED = 0  # the base revision of a closed draft's row (revisions are numbered from 1)


@dataclass(frozen=True)
class DraftProject:
    """A project of a draft: its identity (serial), its version, whether it is retired, notes by municipality."""

    serial: int
    version: int
    retired: bool
    project: Project
    notes: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        p = self.project
        return {
            "serial": self.serial,
            "version": self.version,
            "retired": self.retired,
            **record.edit_dict(p),
            "marks": {name: role.value for name, role in p.participants.items()},
            "notes": dict(self.notes),
        }


@dataclass(frozen=True)
class Draft:
    """A sphere's draft, or its newest revision as the draft nobody edited yet (``exists`` False)."""

    sphere: str
    base_revision: int
    version: int
    vision: Vision  # the draft as it would be published: retired projects left out
    projects: list[DraftProject]  # every project, retired ones too, in order
    exists: bool  # False when nobody has edited since the newest revision


def heading_dict(h: Heading | None) -> dict[str, str] | None:
    """A heading as the API and the audit trail write it."""
    return {"label": h.label, "title": h.title} if h else None


def read_draft(session: Session, sphere: SphereRow, draft: DraftRow) -> Draft:
    """An open draft as it stands: every project, and the vision it would publish."""
    base = revision_row(session, sphere, draft.base_revision)
    vision, _ = load(session, sphere, base)
    order = {m.name: i for i, m in enumerate(vision.municipalities)}
    rows = session.scalars(
        select(DraftProjectRow).where(DraftProjectRow.sphere_id == sphere.id).order_by(DraftProjectRow.position)
    ).all()
    projects = [draft_project(r, order) for r in rows]
    live = Vision(
        sphere=vision.sphere,
        municipalities=vision.municipalities,
        projects=[dp.project for dp in projects if not dp.retired],
        legend=vision.legend,
        labels=vision.labels,
    )
    return Draft(sphere.key, draft.base_revision, draft.version, live.with_computed_figures(), projects, exists=True)


def open_draft(session: Session, sphere: SphereRow) -> DraftRow:
    """The open draft, made from the newest revision on the first save."""
    draft = session.get(DraftRow, sphere.id)
    if draft is not None and draft.base_revision != CLOSED:
        return draft
    latest = latest_revision(session, sphere.id)
    if latest is None:
        raise StoreError("revision-unknown", sphere=sphere.key, revision="")
    vision, serials = load(session, sphere, latest)
    start = start_version(draft)
    if draft is None:
        draft = DraftRow(sphere_id=sphere.id, base_revision=latest.number, version=start)
        session.add(draft)
    draft.base_revision, draft.version, draft.created_at, draft.updated_at = latest.number, start, now(), now()
    session.flush()
    for position, (p, serial) in enumerate(zip(vision.projects, serials, strict=True)):
        session.add(project_row(sphere.id, serial, position, p, start))
    session.flush()
    return draft


def close_draft(session: Session, sphere: SphereRow) -> None:
    """Close the draft: its projects go, its row stays with the highest version it gave out."""
    session.execute(delete(DraftProjectRow).where(DraftProjectRow.sphere_id == sphere.id))
    session.execute(
        update(DraftRow)
        .where(DraftRow.sphere_id == sphere.id)
        .values(base_revision=CLOSED, updated_at=now())
        .execution_options(synchronize_session=False)
    )


def draft_row(session: Session, sphere: SphereRow) -> DraftRow:
    """The sphere's open draft row; ``draft-empty`` when none is open."""
    draft = session.get(DraftRow, sphere.id)
    if draft is None or draft.base_revision == CLOSED:
        raise StoreError("draft-empty", sphere=sphere.key)
    return draft


def next_serial(session: Session, sphere: SphereRow) -> int:
    """The serial (identity) a project added now gets: above every serial the sphere published or drafted."""
    used = session.scalar(select(func.max(ProjectRow.serial)).where(ProjectRow.sphere_id == sphere.id)) or 0
    drafted = (
        session.scalar(select(func.max(DraftProjectRow.serial)).where(DraftProjectRow.sphere_id == sphere.id)) or 0
    )
    return max(used, drafted) + 1


def project_row(sphere_id: int, serial: int, position: int, p: Project, version: int) -> DraftProjectRow:
    return DraftProjectRow(
        sphere_id=sphere_id,
        serial=serial,
        version=version,
        position=position,
        **record.row_values(p, record.DRAFTED),
        marks={k: v.value for k, v in p.participants.items()},
        notes={},
        retired=False,
        cells=made_at(version),
    )


def draft_project(row: DraftProjectRow, order: dict[str, int]) -> DraftProject:
    marks = sorted(row.marks.items(), key=lambda item: order.get(item[0], len(order)))
    participants = {name: Role(role) for name, role in marks}
    project = Project(**record.from_row(row, record.DRAFTED), participants=participants)
    return DraftProject(row.serial, row.version, row.retired, project, dict(row.notes))


def cell_values(row: DraftProjectRow, keys: Sequence[str]) -> dict[str, Any]:
    """A project's current values of the cells ``keys`` (as ``renkei.store.cells`` names them)."""
    fields = draft_project(row, {}).as_dict()
    found: dict[str, Any] = {}
    for key in keys:
        kind, _, town = key.partition(":")
        if kind == "mark" and town:
            found[key] = row.marks.get(town)
        elif kind == "note" and town:
            found[key] = row.notes.get(town)
        else:
            found[key] = row.position if key == "position" else fields.get(key)
    return found


def start_version(closed: DraftRow | None) -> int:
    """The version a new draft's projects start at: above every version the sphere's drafts gave out."""
    return 1 if closed is None else closed.version + 1


def lock_sphere(session: Session, sphere: SphereRow) -> None:
    """Take the sphere's row lock for this transaction (PostgreSQL; on SQLite the write lock is held already).
    FOR NO KEY UPDATE leaves the foreign-key checks of other transactions' inserts free, so a publish that
    writes revision rows while holding it waits for no one."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(SphereRow.id).where(SphereRow.id == sphere.id).with_for_update(key_share=True))


def snapshot(session: Session) -> None:
    """Read the draft from one snapshot (PostgreSQL's REPEATABLE READ; a SQLite transaction is one already):
    under READ COMMITTED a publish committing between two of the reads left a draft row without its projects."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
