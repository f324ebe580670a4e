"""The bulk import (``Store.import_many``): many revisions in one transaction, decided in memory as they come
and written a few spheres at a time (``Bulk.flush``), so that memory stays flat however many spheres a national
set has. The rows go in as plain tuples: ``COPY`` on PostgreSQL (psycopg's ``cursor.copy``), one
``executemany`` per table on SQLite, their ids taken ahead (``_Rows.ids``: the sequence on PostgreSQL, after
the largest on SQLite, whose writing transaction holds the database's write lock) so that nothing is read back.
"""

from __future__ import annotations

import datetime
import gc
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import JSON, Connection, Engine, Table, delete, exc
from sqlalchemy.orm import Session

from renkei.ingest.report import finding_record
from renkei.store import aggregates, identity, projectlist, rows, search, writes
from renkei.store.clock import UTC, today_jst
from renkei.store.errors import StoreError
from renkei.store.faults import checkpoint
from renkei.store.records import Batched, ImportResult, RevisionInfo
from renkei.store.schema import (
    PUBLIC_TABLES,
    Base,
    ParticipationRow,
    ProjectListRow,
    ProjectRow,
    RevisionMunicipalityRow,
    RevisionProjectRow,
    RevisionRow,
    SearchDocRow,
)
from renkei.vision.model import Municipality, Project

# Rows waiting (projects and marks) past which the next sphere's first revision writes those before it: a few
# spheres of a national set (about 1,800 marks each) per flush.
FLUSH_ROWS = 6000


@dataclass
class _Written:
    """A revision of a bulk import as the rows it becomes, short of the row ids that ``flush`` assigns."""

    state: _SphereState
    revision: dict[str, Any]
    columns: list[tuple[int, int, str, int | None]]  # position, municipality row, label, declared total
    projects: list[tuple[int, dict[str, Any]]]  # serial, the project row's values
    marks: list[tuple[int, int, str]]  # project position, municipality row, role
    docs: list[tuple[str, str]]  # name, description
    held: Sequence[Project]  # the vision's projects, whose figures the compared fields take (aggregates.refresh)
    municipalities: Sequence[Municipality]  # the vision's columns, which order a project's list (projectlist)


@dataclass
class _SphereState:
    """What the next revision of a sphere needs from the ones before it, during a bulk import."""

    row: Any  # the sphere's SphereRow
    number: int
    content_hash: str | None
    projects: list[Project]  # the newest revision's, for matching identities
    serials: list[int]
    largest_serial: int
    project_ids: dict[int, int]  # project row by serial, those written
    meaning: str | None = None  # identity.meaning_hash of the newest revision, once known
    effective: datetime.date | None = None  # the newest revision's effective date


class Bulk:
    """The state of one ``Store.import_many`` transaction. ``add`` decides each revision in memory (its number,
    content hash, project identities and municipalities); ``flush`` writes the revisions waiting, a statement
    (or a ``COPY``) per table, and forgets them and their spheres; ``finish`` flushes the last ones."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.connection = session.connection()
        self.spheres: dict[str, _SphereState] = {}
        self.municipalities: dict[tuple[str | None, str], int] = {}  # row id by (code, name)
        self.waiting: list[_Written] = []
        self.waiting_rows = 0
        self.rows = _Rows(self.connection)
        self._user: str | None = None  # writes.user(), asked once (a password-database look-up each time)
        self._checks = _first_load_checks(self.connection)

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
        project_ids = rows.project_ids(self.connection, row.id) if latest is not None else {}
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

    def user(self) -> str:
        if self._user is None:
            self._user = writes.user()
        return self._user

    def _municipality_ids(self, municipalities: Sequence[Municipality]) -> dict[str, int]:
        cache = self.municipalities
        missing = [m for m in municipalities if (m.code, m.name) not in cache]
        if missing:
            found = writes.municipality_ids(self.session, missing)
            cache.update({(m.code, m.name): found[m.name] for m in missing})
        return {m.name: cache[m.code, m.name] for m in municipalities}

    def _unchanged(self, state: _SphereState, digest: str, meaning: str) -> bool:
        """Whether a vision says what the sphere's newest revision (of this batch or stored) says."""
        if state.content_hash == digest:
            return True
        if state.number == 0:
            return False
        if state.meaning is None:  # the stored newest revision's, read once and only when asked
            latest = rows.latest_revision(self.session, state.row.id)
            assert latest is not None
            state.meaning = identity.meaning_hash(rows.load(self.session, state.row, latest)[0])
        return state.meaning == meaning

    def add(self, item: Batched) -> ImportResult:
        vision = item.vision
        digest, meaning, converted = _hashes(item)
        state = self._sphere(item)
        if self.waiting_rows >= FLUSH_ROWS and state is not self.waiting[-1].state:
            self.flush(keep=state)
        key = state.row.key
        if self._unchanged(state, digest, meaning):
            # The same content as the sphere's newest revision, of this batch (not yet written) or stored before.
            same = next((w.revision for w in reversed(self.waiting) if w.state is state), None)
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
            "author": item.author or self.user(),
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
        written = _Written(
            state,
            revision,
            columns=[
                (position, ids[m.name], m.display, vision.declared_totals.get(m.name))
                for position, m in enumerate(vision.municipalities)
            ],
            projects=list(zip(serials, _project_rows(item, converted), strict=True)),
            marks=[
                (position, ids[name], str(role))  # a StrEnum: its value, without the enum property
                for position, p in enumerate(vision.projects)
                for name, role in p.participants.items()
            ],
            docs=[(p.name, p.description) for p in vision.projects],
            held=vision.projects,
            municipalities=vision.municipalities,
        )
        self.waiting.append(written)
        self.waiting_rows += len(written.projects) + len(written.marks)
        # Only what matching the next revision's projects needs is kept of this one.
        state.projects = [Project(p.number, p.name, p.description) for p in vision.projects]
        state.serials = serials
        state.largest_serial = max(state.largest_serial, *serials, 0)
        state.content_hash = digest
        state.meaning = meaning
        return ImportResult(key, _revision_info(key, revision), True, findings)

    def flush(self, keep: _SphereState | None = None) -> None:
        """Write the revisions waiting: revisions, new projects, columns, project rows, marks, search; then
        forget them, and the spheres they belong to (but ``keep``, the one being added to)."""
        waiting = self.waiting
        if not waiting:
            return
        out = self.rows
        for written, revision_id in zip(waiting, out.ids(_table(RevisionRow), len(waiting)), strict=True):
            written.revision["id"] = revision_id
        out.write(_table(RevisionRow), [w.revision for w in waiting])
        checkpoint("revision")
        new_projects: list[tuple[_SphereState, int]] = []
        for w in waiting:
            for serial, _ in w.projects:
                if serial not in w.state.project_ids:
                    w.state.project_ids[serial] = 0  # its id below
                    new_projects.append((w.state, serial))
        made = out.ids(_table(ProjectRow), len(new_projects))
        for (state, serial), project_id in zip(new_projects, made, strict=True):
            state.project_ids[serial] = project_id
        out.tuples(
            _table(ProjectRow),
            ("id", "sphere_id", "serial"),
            [(row_id, state.row.id, serial) for (state, serial), row_id in zip(new_projects, made, strict=True)],
        )
        out.tuples(
            _table(RevisionMunicipalityRow),
            ("revision_id", "position", "municipality_id", "label", "declared_total"),
            [(w.revision["id"], *column) for w in waiting for column in w.columns],
        )
        row_ids = iter(out.ids(_table(RevisionProjectRow), sum(len(w.projects) for w in waiting)))
        project_rows: list[dict[str, Any]] = []
        marks: list[tuple[int, int, str]] = []
        newest: dict[int, list[tuple[int, str, str]]] = {}  # the docs searched, by sphere row
        for w in waiting:
            by_position = []
            for serial, values in w.projects:
                values["id"] = next(row_ids)
                values["revision_id"] = w.revision["id"]
                values["project_id"] = w.state.project_ids[serial]
                project_rows.append(values)
                by_position.append(values["id"])
            marks.extend((by_position[position], m, role) for position, m, role in w.marks)
            if w.revision["number"] == w.state.number:  # the sphere's newest: the one searched
                newest[w.state.row.id] = [
                    (row_id, name, description) for row_id, (name, description) in zip(by_position, w.docs, strict=True)
                ]
        out.write(_table(RevisionProjectRow), project_rows)
        checkpoint("projects")
        out.tuples(_table(ParticipationRow), ("revision_project_id", "municipality_id", "role"), marks)
        # The spheres' newest revisions' project lists (store.projectlist) replace the previous ones.
        listed = [w for w in waiting if w.revision["number"] == w.state.number]
        projectlist.forget(self.connection, [w.state.row.id for w in listed])
        out.tuples(
            _table(ProjectListRow),
            ("revision_id", "total", "items", "rows"),
            [
                (
                    w.revision["id"],
                    len(w.held),
                    projectlist.lines(w.held, w.municipalities),
                    projectlist.rows_document(self.connection, w.revision),  # read back: its rows are written
                )
                for w in listed
            ],
        )
        # The spheres' newest revisions become the ones searched: their rows replace the previous ones.
        self.connection.execute(delete(SearchDocRow).where(SearchDocRow.sphere_id.in_(sorted(newest))))
        out.tuples(
            _table(SearchDocRow),
            ("revision_project_id", "sphere_id", "name_key", "description_key"),
            [
                (row_id, sphere_id, search.normalize(name), search.normalize(description))
                for sphere_id, docs in newest.items()
                for row_id, name, description in docs
            ],
        )
        checkpoint("search")
        # The compared fields of the spheres just written (each whole up to its newest revision), kept on write.
        held = {w.revision["id"]: w.held for w in waiting if w.revision["number"] == w.state.number}
        aggregates.refresh(self.connection, newest, written=held)
        self.waiting, self.waiting_rows = [], 0
        for state in {id(w.state): w.state for w in waiting}.values():
            if state is not keep:
                del self.spheres[state.row.key]

    def finish(self) -> None:
        """Write what is still waiting, at the end of the batch, and put back the checks set aside."""
        self.flush()
        for table, name, definition in self._checks:
            # Every mark checked at once, in this transaction: a row without its project or its municipality
            # refuses the whole import, as the check of each row would have.
            self.connection.exec_driver_sql(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        self._checks = []


# The table of marks (a national load writes some 300,000), whose foreign keys PostgreSQL checks row by row as
# they come, each check a lookup in the table it names (setting them aside took 170 spheres from 6.9 to 5.9 s).
_MARKS = ParticipationRow.__tablename__


def _first_load_checks(connection: Connection) -> list[tuple[str, str, str]]:
    """On PostgreSQL, where the table of marks is empty (a registry's first load), its foreign keys set aside
    for the load (dropped in this transaction, and added back by ``Bulk.finish``, which checks every row at
    once): as PostgreSQL's guide to populating a database advises. Each as (table, name, definition), read from
    the database itself. Nothing on SQLite, or where the registry holds marks already: dropping a key locks its
    table against readers until the commit, which only an empty table can afford. (Dropping the index on the
    municipality too, and making it again at the end, gained nothing at 170 spheres.)"""
    if connection.dialect.name != "postgresql":
        return []
    if connection.exec_driver_sql(f"SELECT EXISTS (SELECT 1 FROM {_MARKS})").scalar_one():
        return []
    found = connection.exec_driver_sql(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = to_regclass(%(table)s) AND contype = 'f' ORDER BY conname",
        {"table": _MARKS},
    ).all()
    for name, _ in found:
        connection.exec_driver_sql(f'ALTER TABLE {_MARKS} DROP CONSTRAINT "{name}"')
    return [(_MARKS, name, definition) for name, definition in found]


class _Rows:
    """Rows written as plain tuples: ``COPY … FROM STDIN`` on PostgreSQL, ``executemany`` on SQLite."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.postgres = connection.dialect.name == "postgresql"
        self.following: dict[str, int] = {}  # SQLite: the next free id of each table

    def ids(self, table: Table, count: int) -> list[int]:
        """``count`` new ids for a table's ``id`` column, the rows to be written with them."""
        if count == 0:
            return []
        if self.postgres:
            taken = self.connection.exec_driver_sql(
                "SELECT nextval(pg_get_serial_sequence(%(table)s, 'id')) FROM generate_series(1, %(count)s)",
                {"table": table.name, "count": count},
            )
            return sorted(row_id for (row_id,) in taken)
        first = self.following.get(table.name)
        if first is None:  # the transaction holds the write lock (BEGIN IMMEDIATE): nobody else takes ids
            first = int(
                self.connection.exec_driver_sql(f"SELECT coalesce(max(id), 0) + 1 FROM {table.name}").scalar_one()
            )
        self.following[table.name] = first + count
        return list(range(first, first + count))

    def write(self, table: Table, values: list[dict[str, Any]]) -> None:
        """Rows given as dicts of the same columns, converted as the column's type wants (JSON, dates)."""
        if not values:
            return
        names = list(values[0])
        # A column the rows leave out gets its default, as an ORM or Core insert would give it.
        defaults = {
            c.name: getattr(c.default, "arg", None)
            for c in table.c
            if c.name not in values[0] and c.default is not None and getattr(c.default, "is_scalar", False)
        }
        if defaults:
            values = [{**r, **defaults} for r in values]
            names += list(defaults)
        dialect = self.connection.dialect
        converters: list[Callable[[Any], Any] | None] = []
        for name in names:
            kind = table.c[name].type
            if self.postgres:
                converters.append(_json_text if isinstance(kind, JSON) else None)
            else:
                processor = kind.bind_processor(dialect)
                converters.append(_written_json(processor) if isinstance(kind, JSON) else processor)
        # Column by column: each converter mapped over its column, the rows zipped back (a third of a national
        # import's rows go through here).
        columns: list[list[Any]] = []
        for name, convert in zip(names, converters, strict=True):
            column = [r[name] for r in values]
            columns.append(column if convert is None else list(map(convert, column)))
        self.tuples(table, names, list(zip(*columns, strict=True)))

    def tuples(self, table: Table, names: Sequence[str], values: Sequence[tuple[Any, ...]]) -> None:
        if not values:
            return
        columns = ", ".join(names)
        if self.postgres:
            raw = self.connection.connection.driver_connection
            assert raw is not None
            with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            return
        marks = ", ".join("?" for _ in names)
        self.connection.exec_driver_sql(f"INSERT INTO {table.name} ({columns}) VALUES ({marks})", list(values))


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(value, ensure_ascii=False), made once


def _json_text(value: Any) -> str | None:
    """A JSON column's value as text for ``COPY``; a payload written as text already stays as it is."""
    if value is None or type(value) is identity.PayloadText:
        return value
    return _ENCODE(value)


def _written_json(convert: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    """A JSON column's converter on SQLite that keeps a payload written as text already (``PayloadText``)."""

    def written(value: Any) -> Any:
        if type(value) is identity.PayloadText:
            return str(value)
        return value if convert is None else convert(value)

    return written


_Converted = tuple[list[dict[str, Any]], list[identity.PayloadText]]  # the projects' JSON and payloads' text


def _hashes(item: Batched) -> tuple[str, str, _Converted | None]:
    """The content and meaning hashes of a revision, the caller's where it gave them, else from one conversion
    whose projects' JSON (and payloads' text) the rows are then made from."""
    if item.content_hash is not None and item.meaning_hash is not None:
        return item.content_hash, item.meaning_hash, None
    content, meaning, converted, payloads = identity.hashes(item.vision)
    return item.content_hash or content, item.meaning_hash or meaning, (converted, payloads)


def _project_rows(item: Batched, converted: _Converted | None) -> list[dict[str, Any]]:
    """The projects' rows: those the caller prepared (an import's workers), else made here (from the projects'
    JSON and payloads' text that the hashes were made from, where they were made here)."""
    if item.project_rows is not None:
        return item.project_rows
    if converted is None:
        return [writes.project_values(position, p) for position, p in enumerate(item.vision.projects)]
    data, payloads = converted
    return [
        writes.project_values(position, p, data[position], payloads[position])
        for position, p in enumerate(item.vision.projects)
    ]


def analyze(engine: Engine) -> None:
    """Fresh planner statistics for the tables a bulk import filled (the public tables,
    ``schema.PUBLIC_TABLES``), after it committed: without them PostgreSQL planned the search of a freshly loaded
    registry as if its tables were empty, and took minutes. On SQLite,
    ``analysis_limit`` samples each index (a fraction of a second at ten times the country). Statistics only
    guide the planner: a database too busy to take them now (locked) keeps its old ones, and the import stands."""
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(f"ANALYZE {', '.join(PUBLIC_TABLES)}")
            else:
                connection.exec_driver_sql("PRAGMA analysis_limit = 1000")
                for table in PUBLIC_TABLES:
                    connection.exec_driver_sql(f"ANALYZE {table}")
    except exc.OperationalError:
        pass


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
