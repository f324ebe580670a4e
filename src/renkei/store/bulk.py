"""The bulk import (``Store.import_many``): many revisions in one transaction, decided in memory and written
together at the end, a few multi-row statements per table."""

from __future__ import annotations

import datetime
import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, insert, select
from sqlalchemy.orm import Session

from renkei.model import Municipality, Project, Vision
from renkei.report import finding_record
from renkei.store import aggregates, identity, rows, search, writes
from renkei.store.clock import UTC, today_jst
from renkei.store.errors import StoreError
from renkei.store.records import Batched, ImportResult, RevisionInfo
from renkei.store.schema import ProjectRow, RevisionMunicipalityRow, RevisionProjectRow, RevisionRow, SphereRow


@dataclass
class _Written:
    """A revision of a bulk import as the rows it becomes, short of the row ids that ``finish`` assigns."""

    state: _SphereState
    revision: dict[str, Any]
    columns: list[tuple[int, int, str, int | None]]  # position, municipality row, label, declared total
    projects: list[tuple[int, dict[str, Any]]]  # serial, the project row's values
    marks: list[tuple[int, int, str]]  # project position, municipality row, role
    docs: list[tuple[str, str]]  # name, description


@dataclass
class _SphereState:
    """What the next revision of a sphere needs from the ones before it, during a bulk import."""

    row: SphereRow
    number: int
    content_hash: str | None
    projects: list[Project]  # the newest revision's, for matching identities
    serials: list[int]
    largest_serial: int
    project_ids: dict[int, int]  # project row by serial
    meaning: str | None = None  # identity.meaning_hash of the newest revision, once known
    effective: datetime.date | None = None  # the newest revision's effective date


class Bulk:
    """The state of one ``Store.import_many`` transaction. ``add`` decides each revision in memory (its number,
    content hash, project identities and municipalities); ``finish`` writes the rows of every revision, a few
    multi-row statements per table, and reads back the row ids the next table refers to."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.connection = session.connection()
        self.spheres: dict[str, _SphereState] = {}
        self.municipalities: dict[tuple[str | None, str], int] = {}  # row id by (code, name)
        self.revisions: list[_Written] = []

    def _sphere(self, item: Batched) -> _SphereState:
        known = self.spheres.get(item.spec.key) if item.spec.key else None
        if known is not None:
            return known
        session = self.session
        row = writes.sphere_for(session, item.vision, item.spec)
        if row.key in self.spheres:
            return self.spheres[row.key]
        latest = rows.latest_revision(session, row.id)
        projects, serials = rows.identities(session, latest) if latest is not None else ([], [])
        project_ids = rows.project_ids(self.connection, row.id)
        state = _SphereState(
            row=row,
            number=latest.number if latest else 0,
            content_hash=latest.content_hash if latest else None,
            projects=projects,
            serials=serials,
            largest_serial=max(project_ids, default=0),
            project_ids=project_ids,
            effective=latest.effective_on if latest else None,
        )
        self.spheres[row.key] = state
        return state

    def _municipality_ids(self, municipalities: Sequence[Municipality]) -> dict[str, int]:
        cache = self.municipalities
        missing = [m for m in municipalities if (m.code, m.name) not in cache]
        if missing:
            found = writes.municipality_ids(self.session, missing)
            cache.update({(m.code, m.name): found[m.name] for m in missing})
        return {m.name: cache[m.code, m.name] for m in municipalities}

    def _unchanged(self, state: _SphereState, vision: Vision, digest: str) -> bool:
        """Whether a vision says what the sphere's newest revision (of this batch or stored) says."""
        if state.content_hash == digest:
            return True
        if state.number == 0:
            return False
        if state.meaning is None:  # the stored newest revision's, read once and only when asked
            latest = rows.latest_revision(self.session, state.row.id)
            assert latest is not None
            state.meaning = identity.meaning_hash(rows.load(self.session, state.row, latest)[0])
        return state.meaning == identity.meaning_hash(vision)

    def add(self, item: Batched) -> ImportResult:
        vision = item.vision
        digest = item.content_hash or writes.content_hash(vision)
        state = self._sphere(item)
        key = state.row.key
        if self._unchanged(state, vision, digest):
            # The same content as the sphere's newest revision, of this batch (not yet written) or stored before.
            same = next((w.revision for w in reversed(self.revisions) if w.state is state), None)
            if same is not None:
                return ImportResult(key, _revision_info(key, same), False, list(item.findings))
            latest = rows.latest_revision(self.session, state.row.id)
            assert latest is not None
            return ImportResult(key, rows.revision_info(state.row, latest), False, list(item.findings))
        findings = list(item.findings)
        effective, backwards = identity.effective_date(item.effective_on, state.effective, today_jst())
        if backwards and state.effective is not None:
            if not item.force:
                raise StoreError(
                    "effective-backwards",
                    sphere=key,
                    effective=effective.isoformat(),
                    latest=state.effective.isoformat(),
                    revision=state.number,
                )
            findings.append(identity.backdated(effective, state.effective))
        state.number += 1
        state.effective = effective
        revision = {
            "sphere_id": state.row.id,
            "number": state.number,
            "author": item.author or writes.user(),
            "created_at": datetime.datetime.now(UTC),
            "effective_on": effective,
            "message": item.message,
            "source_name": item.source_name,
            "source_sha256": item.source_sha256,
            "content_hash": digest,
            "declared_grand_total": vision.declared_grand_total,
            "presentation": writes.presentation(vision),
            "findings": [finding_record(f) for f in findings],
        }
        serials = writes.carry_serials(state.projects, state.serials, state.largest_serial, vision)
        ids = self._municipality_ids(vision.municipalities)
        self.revisions.append(
            _Written(
                state,
                revision,
                columns=[
                    (position, ids[m.name], m.display, vision.declared_totals.get(m.name))
                    for position, m in enumerate(vision.municipalities)
                ],
                projects=[
                    (serial, writes.project_values(position, p))
                    for position, (p, serial) in enumerate(zip(vision.projects, serials, strict=True))
                ],
                marks=[
                    (position, ids[name], str(role))  # a StrEnum: its value, without the enum property
                    for position, p in enumerate(vision.projects)
                    for name, role in p.participants.items()
                ],
                docs=[(p.name, p.description) for p in vision.projects],
            )
        )
        # Only what matching the next revision's projects needs is kept of this one.
        state.projects = [Project(p.number, p.name, p.description) for p in vision.projects]
        state.serials = serials
        state.largest_serial = max(state.largest_serial, *serials, 0)
        state.content_hash = digest
        state.meaning = identity.meaning_hash(vision)
        return ImportResult(key, _revision_info(key, revision), True, findings)

    def finish(self) -> None:
        """Write every revision of the batch: revisions, new projects, columns, project rows, marks, search."""
        connection = self.connection
        if not self.revisions:
            return
        connection.execute(insert(RevisionRow), [written.revision for written in self.revisions])
        sphere_ids = sorted({state.row.id for state in self.spheres.values()})
        revision_ids = self._ids(
            select(RevisionRow.sphere_id, RevisionRow.number, RevisionRow.id), RevisionRow.sphere_id, sphere_ids
        )
        new_projects = sorted(
            {(w.state.row.id, serial) for w in self.revisions for serial, _ in w.projects}
            - {(state.row.id, serial) for state in self.spheres.values() for serial in state.project_ids}
        )
        if new_projects:
            connection.execute(insert(ProjectRow), [{"sphere_id": i, "serial": s} for i, s in new_projects])
        project_ids = self._ids(
            select(ProjectRow.sphere_id, ProjectRow.serial, ProjectRow.id), ProjectRow.sphere_id, sphere_ids
        )
        columns: list[dict[str, Any]] = []
        project_rows: list[dict[str, Any]] = []
        made: list[int] = []
        for w in self.revisions:
            sphere_id = w.state.row.id
            revision_id = revision_ids[sphere_id, w.revision["number"]]
            made.append(revision_id)
            columns.extend(
                {
                    "revision_id": revision_id,
                    "position": position,
                    "municipality_id": municipality_id,
                    "label": label,
                    "declared_total": total,
                }
                for position, municipality_id, label, total in w.columns
            )
            for serial, values in w.projects:
                values["revision_id"] = revision_id
                values["project_id"] = project_ids[sphere_id, serial]
                project_rows.append(values)
        if columns:
            connection.execute(insert(RevisionMunicipalityRow), columns)
        if project_rows:
            connection.execute(insert(RevisionProjectRow), project_rows)
        row_ids = self._ids(
            select(RevisionProjectRow.revision_id, RevisionProjectRow.position, RevisionProjectRow.id),
            RevisionProjectRow.revision_id,
            sorted(made),
        )
        marks: list[tuple[int, int, str]] = []
        newest: dict[int, list[search.Doc]] = {}
        for w, revision_id in zip(self.revisions, made, strict=True):
            marks.extend((row_ids[revision_id, position], m, role) for position, m, role in w.marks)
            if w.revision["number"] == w.state.number:  # the sphere's newest: the one searched
                newest[w.state.row.id] = [
                    search.Doc(row_ids[revision_id, position], name, description)
                    for position, (name, description) in enumerate(w.docs)
                ]
        writes.insert_marks(connection, marks)
        for sphere_id, docs in newest.items():
            search.reindex(self.session, sphere_id, docs)
        aggregates.refresh(self.session, newest)

    def _ids(self, query: Select[int, int, int], column: Any, keys: list[int]) -> dict[tuple[int, int], int]:
        """Row ids by their two-part natural key, read back for the given values of its first part."""
        found: dict[tuple[int, int], int] = {}
        for start in range(0, len(keys), 500):
            answered = self.connection.execute(query.where(column.in_(keys[start : start + 500])))
            found.update({(a, b): row_id for a, b, row_id in answered})
        return found


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for a bulk import: the rows it keeps for the end are hundreds of
    thousands of young objects that the collector would otherwise scan again and again (a third of the time of
    a national import), and they hold no cycles to collect. Reference counting still frees what is dropped."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _revision_info(sphere: str, revision: dict[str, Any]) -> RevisionInfo:
    """A revision of the batch, not written yet, as the store answers it."""
    return RevisionInfo(
        sphere=sphere,
        number=revision["number"],
        author=revision["author"],
        created_at=revision["created_at"],
        effective_on=revision["effective_on"],
        message=revision["message"],
        source_name=revision["source_name"],
        source_sha256=revision["source_sha256"],
        content_hash=revision["content_hash"],
        findings=revision["findings"],
    )
