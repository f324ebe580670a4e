"""The registry that remembers: spheres, every revision of their visions, amendments and agreements.

``Store`` is the library's face of the database; the CLI and the web app only call it. Every write runs in one
transaction (an import is all or nothing, a killed process leaves the previous revision intact), and every
change of a vision is a new revision: nothing is updated in place.
"""

from __future__ import annotations

import datetime
import functools
import gc
import getpass
import hashlib
import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast
from zoneinfo import ZoneInfo

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, Select, func, insert, inspect, select
from sqlalchemy.orm import Session

from renkei.cache import Answers
from renkei.diff import Amendments, Pair, diff, match_projects
from renkei.ingest import Reading
from renkei.model import (
    Edition,
    Finding,
    Heading,
    Labels,
    Municipality,
    Project,
    Role,
    Severity,
    Sphere,
    SphereKind,
    Vision,
)
from renkei.municipalities import Registry, is_valid_code
from renkei.report import check_reading, finding_record
from renkei.serialize import vision_to_dict
from renkei.store import identity, search
from renkei.store.engine import WRITE, describe, make_engine, resolve_url
from renkei.store.errors import ImportRefused, StoreError
from renkei.store.faults import checkpoint
from renkei.store.records import Batched, ImportResult, RevisionInfo, SearchHit, SphereInfo, SphereSpec
from renkei.store.schema import (
    MunicipalityRow,
    ParticipationRow,
    ProjectRow,
    RevisionMunicipalityRow,
    RevisionProjectRow,
    RevisionRow,
    SphereRow,
)

if TYPE_CHECKING:
    from renkei.store.accounts import Accounts
    from renkei.store.drafts import Drafts

# What other modules import from here, some of it now defined in the store's other rooms.
__all__ = [
    "UTC",
    "Batched",
    "ImportRefused",
    "ImportResult",
    "RevisionInfo",
    "SearchHit",
    "SphereInfo",
    "SphereSpec",
    "Store",
    "StoreError",
    "content_hash",
    "today_jst",
    "utc",
]

JST = ZoneInfo("Asia/Tokyo")
# Revisions kept in memory: enough for every sphere of the country's newest revision and a few more.
_VISION_CACHE = 512
# Answers of the read methods kept in memory, each valid while no revision is added (see Store._cached).
_PUBLISHED_CACHE = 4096
T = TypeVar("T")
# A generation: the newest revision row and how many there are (the registry's, or one sphere's), and how many
# spheres there are (a new sphere may name the one it replaces, whose answers then change).
_SPHERES = select(func.count(SphereRow.id)).scalar_subquery()
_GENERATION = select(func.max(RevisionRow.id), func.count(RevisionRow.id), _SPHERES)
_GENERATION_SQL = "SELECT max(id), count(id), (SELECT count(id) FROM sphere) FROM revision"
_SPHERE_GENERATION_SQL = _GENERATION_SQL + " WHERE sphere_id = (SELECT id FROM sphere WHERE key = ?)"
UTC = datetime.UTC
KIND_KEYS = {SphereKind.SETTLEMENT: "teiju", SphereKind.METROPOLITAN: "renkei-chusu"}


def content_hash(vision: Vision) -> str:
    """The identity of a vision's content, sphere metadata aside: the same file imported twice hashes alike."""
    data = vision_to_dict(vision)
    data.pop("sphere")
    data.pop("edition")
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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


class _Bulk:
    """The state of one ``Store.import_many`` transaction. ``add`` decides each revision in memory (its number,
    content hash, project identities and municipalities); ``finish`` writes the rows of every revision, a few
    multi-row statements per table, and reads back the row ids the next table refers to."""

    def __init__(self, store: Store, session: Session) -> None:
        self.store = store
        self.session = session
        self.connection = session.connection()
        self.spheres: dict[str, _SphereState] = {}
        self.municipalities: dict[tuple[str | None, str], int] = {}  # row id by (code, name)
        self.revisions: list[_Written] = []

    def _sphere(self, item: Batched) -> _SphereState:
        known = self.spheres.get(item.spec.key) if item.spec.key else None
        if known is not None:
            return known
        store, session = self.store, self.session
        row = store._sphere_for(session, item.vision, item.spec)
        if row.key in self.spheres:
            return self.spheres[row.key]
        latest = store._latest(session, row.id)
        projects, serials = store._identities(session, latest) if latest is not None else ([], [])
        project_ids = store._project_ids(self.connection, row.id)
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
            found = self.store._municipality_ids(self.session, missing)
            cache.update({(m.code, m.name): found[m.name] for m in missing})
        return {m.name: cache[m.code, m.name] for m in municipalities}

    def _unchanged(self, state: _SphereState, vision: Vision, digest: str) -> bool:
        """Whether a vision says what the sphere's newest revision (of this batch or stored) says."""
        if state.content_hash == digest:
            return True
        if state.number == 0:
            return False
        if state.meaning is None:  # the stored newest revision's, read once and only when asked
            latest = self.store._latest(self.session, state.row.id)
            assert latest is not None
            state.meaning = identity.meaning_hash(self.store._load(self.session, state.row, latest)[0])
        return state.meaning == identity.meaning_hash(vision)

    def add(self, item: Batched) -> ImportResult:
        vision = item.vision
        digest = item.content_hash or content_hash(vision)
        state = self._sphere(item)
        key = state.row.key
        if self._unchanged(state, vision, digest):
            # The same content as the sphere's newest revision, of this batch (not yet written) or stored before.
            same = next((w.revision for w in reversed(self.revisions) if w.state is state), None)
            if same is not None:
                return ImportResult(key, _revision_info(key, same), False, list(item.findings))
            latest = self.store._latest(self.session, state.row.id)
            assert latest is not None
            return ImportResult(key, self.store._info(state.row, latest), False, list(item.findings))
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
            "author": item.author or _user(),
            "created_at": datetime.datetime.now(UTC),
            "effective_on": effective,
            "message": item.message,
            "source_name": item.source_name,
            "source_sha256": item.source_sha256,
            "content_hash": digest,
            "declared_grand_total": vision.declared_grand_total,
            "presentation": _presentation(vision),
            "findings": [finding_record(f) for f in findings],
        }
        serials = carry_serials(state.projects, state.serials, state.largest_serial, vision)
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
                    (serial, _project_values(position, p))
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
        _insert_marks(connection, marks)
        for sphere_id, docs in newest.items():
            search.reindex(self.session, sphere_id, docs)

    def _ids(self, query: Select[int, int, int], column: Any, keys: list[int]) -> dict[tuple[int, int], int]:
        """Row ids by their two-part natural key, read back for the given values of its first part."""
        found: dict[tuple[int, int], int] = {}
        for start in range(0, len(keys), 500):
            rows = self.connection.execute(query.where(column.in_(keys[start : start + 500])))
            found.update({(a, b): row_id for a, b, row_id in rows})
        return found


def _insert_marks(connection: Connection, marks: list[tuple[int, int, str]]) -> None:
    """Marks (project row, municipality row, role): the most numerous rows (a national import writes 300,000),
    as plain tuples to the driver's executemany."""
    if marks:
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        connection.exec_driver_sql(
            f"INSERT INTO {ParticipationRow.__tablename__} (revision_project_id, municipality_id, role) "
            f"VALUES ({mark}, {mark}, {mark})",
            marks,
        )


def _project_values(position: int, p: Project) -> dict[str, Any]:
    """A project's row in a revision (``revision_project``), short of the revision and project it belongs to."""
    return {
        "position": position,
        "number": p.number,
        "name": p.name,
        "description": p.description,
        "pillar_label": p.pillar.label if p.pillar else None,
        "pillar_title": p.pillar.title if p.pillar else None,
        "field_label": p.field.label if p.field else None,
        "field_title": p.field.title if p.field else None,
        "declared_count": p.declared_count,
        "attributes": dict(p.attributes),
    }


@contextmanager
def _collector_paused() -> Iterator[None]:
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


def _presentation(vision: Vision) -> dict[str, Any]:
    """What a revision keeps of how its table was written: the header's wording and the legend of marks."""
    return {
        "labels": vars(vision.labels).copy(),
        "legend": {mark: role.value for mark, role in vision.legend.items()},
    }


def _revision_info(sphere: str, revision: dict[str, Any]) -> RevisionInfo:
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


def carry_serials(previous: Sequence[Project], serials: Sequence[int], largest: int, vision: Vision) -> list[int]:
    """The identity (serial) of each of a new revision's projects: that of the previous revision's project it
    matches, or the next unused one (after ``largest``, the sphere's largest so far) for a project added."""
    by_id = {id(p): serial for p, serial in zip(previous, serials, strict=True)}
    serial_of: dict[int, int] = {}
    for old, new in match_projects(Vision(projects=list(previous)), vision):
        if new is None:
            continue
        if old is not None:
            serial_of[id(new)] = by_id[id(old)]
        else:
            largest += 1
            serial_of[id(new)] = largest
    return [serial_of[id(p)] for p in vision.projects]


def utc(moment: datetime.datetime) -> datetime.datetime:
    """SQLite hands back naive datetimes: every stored time is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def today_jst() -> datetime.date:
    return datetime.datetime.now(JST).date()


class Store:
    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self._visions: OrderedDict[tuple[str, int], Vision] = OrderedDict()
        self._published: Answers[object] = Answers(_PUBLISHED_CACHE)
        self._lock = threading.Lock()
        # SQLite: one connection of its own answers the generation, asked before every cached read.
        self._probe: sqlite3.Connection | None = None
        self._probe_lock = threading.Lock()

    @classmethod
    def open(cls, db: str | None = None, *, create: bool = True, check: bool = True) -> Store:
        """Open the registry at ``db`` (a URL or a file path; the embedded default if None). A new, empty
        database is created to the newest schema; an older one must be upgraded with ``renkei db upgrade``."""
        url = resolve_url(db)
        store = cls(make_engine(url), url)
        if not check:
            return store
        state = store.schema_state()
        if state == "empty" and create:
            store.upgrade()
        elif state == "outdated":
            raise StoreError("db-outdated", db=describe(url))
        elif state == "foreign":
            raise StoreError("db-foreign", db=describe(url))
        return store

    @functools.cached_property
    def accounts(self) -> Accounts:
        """Accounts, roles, sessions, API tokens and the audit trail."""
        from renkei.store.accounts import Accounts

        return Accounts(self)

    @functools.cached_property
    def drafts(self) -> Drafts:
        """The working copies of spheres' next revisions."""
        from renkei.store.drafts import Drafts

        return Drafts(self)

    def close(self) -> None:
        with self._probe_lock:
            if self._probe is not None:
                self._probe.close()
                self._probe = None
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Schema ----------------------------------------------------------------------------------------------

    def alembic_config(self) -> Config:
        config = Config()
        config.set_main_option("script_location", "renkei.store:migrations")
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return config

    def schema_state(self) -> str:
        """'empty', 'current', 'outdated', or 'foreign' (tables that are not renkei's)."""
        with self.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            if not tables:
                return "empty"
            if "alembic_version" not in tables:
                return "foreign"
            current = MigrationContext.configure(connection).get_current_heads()
        head = ScriptDirectory.from_config(self.alembic_config()).get_heads()
        return "current" if set(current) == set(head) else "outdated"

    def upgrade(self) -> None:
        with self.engine.begin() as connection:
            config = self.alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    # Sessions --------------------------------------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction that takes the write lock at its start; committed whole or not at all."""
        with self.engine.connect() as connection:
            connection = connection.execution_options(**{WRITE: True})
            with Session(bind=connection) as session, connection.begin():
                yield session
                # The connection's transaction commits, not the session: flush what the session still holds.
                session.flush()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine) as session:
            yield session

    # Published reads, cached -------------------------------------------------------------------------------

    def generation(self, sphere: str | None = None) -> tuple[int, int, int]:
        """What the published registry, or one sphere of it, looks like from outside: the newest revision row
        and how many there are (the registry's, or the sphere's), and how many spheres there are.

        Revisions never change and a sphere's row changes only as it is made, so a sphere's answers change
        only with a new revision of it or a new sphere (one that replaces it; a restore, which fills an empty
        registry): an unchanged generation means an unchanged answer, another process's writes included."""
        path = self.engine.url.database if self.engine.dialect.name == "sqlite" else None
        if path and path != ":memory:" and not path.startswith("file:"):
            # Asked before every cached read: on SQLite a connection kept for it, without the pool's checkout
            # and rollback (a tenth of a cached request's time under load). In autocommit mode each query
            # sees the newest commit of any process.
            sql, params = (_GENERATION_SQL, ()) if sphere is None else (_SPHERE_GENERATION_SQL, (sphere,))
            with self._probe_lock:
                if self._probe is None:
                    self._probe = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
                newest, count, spheres = self._probe.execute(sql, params).fetchone()
        else:
            query = _GENERATION
            if sphere is not None:
                query = query.where(
                    RevisionRow.sphere_id == select(SphereRow.id).where(SphereRow.key == sphere).scalar_subquery()
                )
            with self.engine.connect() as connection:
                newest, count, spheres = connection.execute(query).one()
        return int(newest or 0), int(count or 0), int(spheres or 0)

    def _cached(
        self, name: str, args: tuple[object, ...], compute: Callable[[Session], T], sphere: str | None = None
    ) -> T:
        """``compute``'s answer from memory while the generation (``sphere``'s, else the registry's) is the one it
        was computed at: one small query instead of the read's own. Concurrent misses compute it once. Answers
        are shared: callers must not modify them."""
        generation = self.generation(sphere)

        def read() -> object:
            with self.read() as session:
                return compute(session)

        def unmoved(_: object) -> bool:
            # A revision that came in meanwhile: answer, but do not keep an answer of unknown age.
            return self.generation(sphere) == generation

        return cast(T, self._published.get_or_compute((name, *args), generation, read, unmoved))

    # Import ----------------------------------------------------------------------------------------------

    def import_reading(
        self,
        reading: Reading,
        spec: SphereSpec | None = None,
        *,
        author: str | None = None,
        message: str = "",
        effective_on: datetime.date | None = None,
        force: bool = False,
        new_sphere: bool = True,
    ) -> ImportResult:
        """Import a file's reading as a new revision of its sphere. Refused, writing nothing, when the file has
        error findings, unless ``force`` (the findings are then kept with the revision). The same content as
        the newest revision creates nothing. Which sphere, and the effective date: see ``import_vision``."""
        findings = check_reading(reading).findings
        if not force and any(f.severity is Severity.ERROR for f in findings):
            raise ImportRefused(findings)
        source = reading.source
        return self.import_vision(
            reading.vision,
            spec,
            author=author,
            message=message,
            effective_on=effective_on,
            findings=findings,
            source_name=source.name,
            source_sha256=source.sha256,
            force=force,
            new_sphere=new_sphere,
        )

    def import_vision(
        self,
        vision: Vision,
        spec: SphereSpec | None = None,
        *,
        author: str | None = None,
        message: str = "",
        effective_on: datetime.date | None = None,
        findings: Sequence[Finding] = (),
        source_name: str | None = None,
        source_sha256: str | None = None,
        serials: Sequence[int] | None = None,
        before_commit: Callable[[Session, SphereRow], None] | None = None,
        on_sphere: Callable[[Session, SphereRow], tuple[Vision, Sequence[int]] | None] | None = None,
        force: bool = False,
        new_sphere: bool = True,
    ) -> ImportResult:
        """Store a vision as the sphere's next revision. ``serials`` gives its projects' identities where the
        caller knows them (a published draft); ``on_sphere`` runs in the same transaction as soon as the sphere
        is known, before its newest revision is read, and may return the vision and serials to store instead
        (a publish locks its draft there and reads it in this transaction); ``before_commit`` runs at its end.

        The sphere is the one the vision matches (``store.identity``); an unmatched vision makes a new sphere
        only with ``new_sphere``, else ``StoreError('sphere-unmatched')`` lists the look-alikes. A vision that
        says what the newest revision says (``meaning_hash``), in whatever format, makes no revision. An
        effective date before the newest revision's is refused (``effective-backwards``) unless ``force``,
        which keeps a finding about it with the revision."""
        if vision.edition.excerpt and not force:
            raise StoreError("import-excerpt", excerpt=vision.edition.excerpt)
        digest = content_hash(vision)
        with self.write() as session:
            sphere = self._sphere_for(session, vision, spec or SphereSpec(), new_sphere)
            checkpoint("sphere")
            if on_sphere is not None and (instead := on_sphere(session, sphere)) is not None:
                vision, serials = instead
                digest = content_hash(vision)
            latest = self._latest(session, sphere.id)
            if latest is not None and self._unchanged(session, sphere, latest, vision, digest):
                return ImportResult(sphere.key, self._info(sphere, latest), False, list(findings))
            effective, backwards = identity.effective_date(
                effective_on, latest.effective_on if latest else None, today_jst()
            )
            if backwards and latest is not None:
                if not force:
                    raise StoreError(
                        "effective-backwards",
                        sphere=sphere.key,
                        effective=effective.isoformat(),
                        latest=latest.effective_on.isoformat(),
                        revision=latest.number,
                    )
                findings = [*findings, identity.backdated(effective, latest.effective_on)]
            row = RevisionRow(
                sphere_id=sphere.id,
                number=(latest.number if latest else 0) + 1,
                author=author or _user(),
                created_at=datetime.datetime.now(UTC),
                effective_on=effective,
                message=message,
                source_name=source_name,
                source_sha256=source_sha256,
                content_hash=digest,
                findings=[finding_record(f) for f in findings],
            )
            if serials is None:
                serials = self._serials(session, sphere, latest, vision)
            self._add_revision(session, sphere, row, vision, serials)
            if before_commit is not None:
                before_commit(session, sphere)
            info = self._info(sphere, row)
            checkpoint("commit")
        return ImportResult(info.sphere, info, True, list(findings))

    def _add_revision(
        self, session: Session, sphere: SphereRow, row: RevisionRow, vision: Vision, serials: Sequence[int]
    ) -> None:
        """Write a revision whole and make it the one searched; the caller's transaction commits it."""
        row.sphere_id = sphere.id
        row.declared_grand_total = vision.declared_grand_total
        row.presentation = _presentation(vision)
        session.add(row)
        session.flush()
        checkpoint("revision")
        projects = self._write_content(session, sphere, row, vision, serials)
        checkpoint("projects")
        search.reindex(session, sphere.id, projects)
        checkpoint("search")

    def _unchanged(self, session: Session, sphere: SphereRow, latest: RevisionRow, vision: Vision, digest: str) -> bool:
        """Whether a vision says what the sphere's newest revision says: the same rows, or the same meaning."""
        if latest.content_hash == digest:
            return True
        return identity.meaning_hash(self._load(session, sphere, latest)[0]) == identity.meaning_hash(vision)

    def _sphere_for(self, session: Session, vision: Vision, spec: SphereSpec, new_sphere: bool = True) -> SphereRow:
        """The sphere a vision belongs to (``store.identity``), made when there is none and ``new_sphere``."""
        sphere_meta = vision.sphere
        kind = spec.kind or sphere_meta.kind
        given = spec.central_city
        city = self._central(session, given, sphere_meta) if given else sphere_meta.central_city
        derived = f"{city.code}-{KIND_KEYS[kind]}" if city is not None and city.code else None
        try:
            row = identity.find_sphere(session, vision, spec.key, kind.value, derived)
        except identity.SphereAmbiguous as ambiguous:
            raise StoreError("sphere-ambiguous", name=sphere_meta.name, candidates="、".join(ambiguous.keys)) from None
        if row is not None:
            return row
        # A new sphere keeps the key its file carries (exported from another registry), unless that is taken.
        keys = [spec.key] if spec.key else [vision.edition.sphere_key, derived]
        free = [k for k in keys if k and session.scalar(select(SphereRow.id).where(SphereRow.key == k)) is None]
        key = free[0] if free else None
        if not new_sphere:
            candidates = "、".join(identity.look_alikes(session, vision)) or "-"
            raise StoreError("sphere-unmatched", sphere=key or sphere_meta.name or "?", candidates=candidates)
        if key is None:
            raise StoreError("sphere-key-needed")
        central = self._central(session, given, sphere_meta)
        name = spec.name or sphere_meta.name
        if not name:
            raise StoreError("sphere-name-needed", sphere=key)
        replaces = self._sphere_row(session, spec.replaces).id if spec.replaces else None
        row = SphereRow(
            key=key,
            name=name,
            kind=kind.value,
            prefecture=spec.prefecture or sphere_meta.prefecture or (central.prefecture if central else None),
            central_city_id=central.id if central else None,
            plan_start=spec.plan_start,
            plan_end=spec.plan_end,
            replaces_id=replaces,
            created_at=datetime.datetime.now(UTC),
        )
        session.add(row)
        session.flush()
        return row

    def _central(self, session: Session, given: str | None, sphere: Sphere) -> MunicipalityRow | None:
        if given:
            entry = Registry.default().by_code(given) if is_valid_code(given) else None
            entry = entry or Registry.default().resolve(given, sphere.prefecture).entry
            if entry is None:
                raise StoreError("municipality-unknown", name=given)
            return self._municipality(session, Municipality(entry.name, entry.code, entry.prefecture))
        if sphere.central_city is not None:
            return self._municipality(session, sphere.central_city)
        return None

    def _municipality(self, session: Session, m: Municipality) -> MunicipalityRow:
        if m.code is not None:
            row = session.scalar(select(MunicipalityRow).where(MunicipalityRow.code == m.code))
        else:
            unresolved = (MunicipalityRow.code.is_(None), MunicipalityRow.name == m.name)
            row = session.scalar(select(MunicipalityRow).where(*unresolved))
        if row is None:
            row = MunicipalityRow(code=m.code, name=m.name, prefecture=m.prefecture)
            session.add(row)
            session.flush()
        return row

    def _serials(self, session: Session, sphere: SphereRow, latest: RevisionRow | None, vision: Vision) -> list[int]:
        """Each project's identity: carried over from the newest revision where matched, new otherwise."""
        if latest is None:
            return list(range(1, len(vision.projects) + 1))
        previous, serials = self._identities(session, latest)
        next_serial = session.scalar(select(func.max(ProjectRow.serial)).where(ProjectRow.sphere_id == sphere.id)) or 0
        return carry_serials(previous, serials, next_serial, vision)

    @staticmethod
    def _identities(session: Session, revision: RevisionRow) -> tuple[list[Project], list[int]]:
        """A revision's projects as matching needs them (number, name and description, not the whole revision),
        and the serial (identity) of each."""
        rows = session.execute(
            select(
                RevisionProjectRow.number, RevisionProjectRow.name, RevisionProjectRow.description, ProjectRow.serial
            )
            .join(ProjectRow, ProjectRow.id == RevisionProjectRow.project_id)
            .where(RevisionProjectRow.revision_id == revision.id)
            .order_by(RevisionProjectRow.position)
        ).all()
        return [Project(number, name, description) for number, name, description, _ in rows], [r[3] for r in rows]

    def _write_content(
        self, session: Session, sphere: SphereRow, revision: RevisionRow, vision: Vision, serials: Sequence[int]
    ) -> list[search.Doc]:
        """A revision's columns, projects and marks, each table in one multi-row statement (no object per row:
        a national import writes hundreds of thousands of marks)."""
        connection = session.connection()
        ids = self._municipality_ids(session, vision.municipalities)
        columns = [
            {
                "revision_id": revision.id,
                "position": position,
                "municipality_id": ids[m.name],
                "label": m.display,
                "declared_total": vision.declared_totals.get(m.name),
            }
            for position, m in enumerate(vision.municipalities)
        ]
        if columns:
            connection.execute(insert(RevisionMunicipalityRow), columns)
        existing = self._project_ids(connection, sphere.id)
        missing = sorted(set(serials) - existing.keys())
        if missing:
            connection.execute(insert(ProjectRow), [{"sphere_id": sphere.id, "serial": s} for s in missing])
            existing = self._project_ids(connection, sphere.id)
        if not vision.projects:
            return []
        connection.execute(
            insert(RevisionProjectRow),
            [
                {"revision_id": revision.id, "project_id": existing[serial], **_project_values(position, p)}
                for position, (p, serial) in enumerate(zip(vision.projects, serials, strict=True))
            ],
        )
        by_position = dict(
            connection.execute(
                select(RevisionProjectRow.position, RevisionProjectRow.id).where(
                    RevisionProjectRow.revision_id == revision.id
                )
            ).all()
        )
        marks = [
            (by_position[position], ids[name], str(role))
            for position, p in enumerate(vision.projects)
            for name, role in p.participants.items()
        ]
        _insert_marks(connection, marks)
        return [search.Doc(by_position[position], p.name, p.description) for position, p in enumerate(vision.projects)]

    def _municipality_ids(self, session: Session, municipalities: Sequence[Municipality]) -> dict[str, int]:
        """Row ids of a table's columns by name, creating the municipalities met for the first time."""
        codes = [m.code for m in municipalities if m.code is not None]
        known: dict[str, int] = {}
        if codes:
            query = select(MunicipalityRow.code, MunicipalityRow.id).where(MunicipalityRow.code.in_(codes))
            known = {code: row_id for code, row_id in session.execute(query).all() if code is not None}
        new = {m.code: m for m in municipalities if m.code is not None and m.code not in known}
        if new:
            rows = [{"code": code, "name": m.name, "prefecture": m.prefecture} for code, m in new.items()]
            session.connection().execute(insert(MunicipalityRow), rows)
            query = select(MunicipalityRow.code, MunicipalityRow.id).where(MunicipalityRow.code.in_(list(new)))
            known |= {code: row_id for code, row_id in session.execute(query).all() if code is not None}
        ids: dict[str, int] = {}
        for m in municipalities:
            ids[m.name] = known[m.code] if m.code is not None else self._municipality(session, m).id
        return ids

    @staticmethod
    def _project_ids(connection: Connection, sphere_id: int) -> dict[int, int]:
        query = select(ProjectRow.serial, ProjectRow.id).where(ProjectRow.sphere_id == sphere_id)
        return {serial: row_id for serial, row_id in connection.execute(query).all()}

    # Bulk import -------------------------------------------------------------------------------------------

    def import_many(
        self, items: Iterable[Batched], on_result: Callable[[ImportResult], None] | None = None
    ) -> list[ImportResult]:
        """Many revisions, of one sphere or of many, in one transaction: all of them are written or none.

        Each item is stored as ``import_vision`` stores it (same rows, identities, hashes and findings; the
        same content as the sphere's newest revision creates nothing), but what a revision needs from the ones
        before it (its sphere, the newest revision's projects and their identities, the municipalities' rows)
        is kept in memory instead of read back, and the columns, marks and search rows of all revisions are
        written together at the end. This is what loading a national set from a manifest runs on: a few
        statements per revision instead of fifteen. Items are consumed as they come, so a caller may still be
        reading files while the first revisions are written."""
        results: list[ImportResult] = []
        with _collector_paused(), self.write() as session:
            bulk = _Bulk(self, session)
            for item in items:
                result = bulk.add(item)
                results.append(result)
                if on_result is not None:
                    on_result(result)
            checkpoint("projects")
            bulk.finish()
            checkpoint("commit")
        return results

    # Reading ---------------------------------------------------------------------------------------------

    def _sphere_row(self, session: Session, sphere: str) -> SphereRow:
        """A sphere by key, or by its Japanese name."""
        row = session.scalar(select(SphereRow).where(SphereRow.key == sphere))
        row = row or session.scalar(select(SphereRow).where(SphereRow.name == sphere))
        if row is None:
            raise StoreError("sphere-unknown", sphere=sphere)
        return row

    def _latest(self, session: Session, sphere_id: int) -> RevisionRow | None:
        query = select(RevisionRow).where(RevisionRow.sphere_id == sphere_id).order_by(RevisionRow.number.desc())
        return session.scalars(query.limit(1)).first()

    def _revision_row(
        self, session: Session, sphere: SphereRow, number: int | None = None, as_of: datetime.date | None = None
    ) -> RevisionRow:
        query = select(RevisionRow).where(RevisionRow.sphere_id == sphere.id)
        if number is not None:
            query = query.where(RevisionRow.number == number)
        if as_of is not None:
            query = query.where(RevisionRow.effective_on <= as_of)
        row = session.scalars(query.order_by(RevisionRow.number.desc()).limit(1)).first()
        if row is None:
            raise StoreError("revision-unknown", sphere=sphere.key, revision=number or as_of or "")
        return row

    def _info(self, sphere: SphereRow, row: RevisionRow) -> RevisionInfo:
        return RevisionInfo(
            sphere=sphere.key,
            number=row.number,
            author=row.author,
            created_at=utc(row.created_at),
            effective_on=row.effective_on,
            message=row.message,
            source_name=row.source_name,
            source_sha256=row.source_sha256,
            content_hash=row.content_hash,
            findings=list(row.findings),
        )

    def _load(self, session: Session, sphere: SphereRow, revision: RevisionRow) -> tuple[Vision, list[int]]:
        """A revision read back whole, and the serial (identity) of each of its projects."""
        columns = session.execute(
            select(RevisionMunicipalityRow, MunicipalityRow)
            .join(MunicipalityRow, MunicipalityRow.id == RevisionMunicipalityRow.municipality_id)
            .where(RevisionMunicipalityRow.revision_id == revision.id)
            .order_by(RevisionMunicipalityRow.position)
        )
        municipalities, names = [], {}
        totals: dict[str, int | None] = {}
        for column, m in columns:
            municipalities.append(Municipality(m.name, m.code, m.prefecture, column.label))
            names[m.id] = m.name
            if column.declared_total is not None:
                totals[m.name] = column.declared_total
        order = {m.name: i for i, m in enumerate(municipalities)}
        rows = (
            session.execute(
                select(RevisionProjectRow, ProjectRow.serial)
                .join(ProjectRow, ProjectRow.id == RevisionProjectRow.project_id)
                .where(RevisionProjectRow.revision_id == revision.id)
                .order_by(RevisionProjectRow.position)
            )
        ).all()
        marks: dict[int, dict[str, Role]] = {}
        for mark in session.scalars(
            select(ParticipationRow)
            .join(RevisionProjectRow, RevisionProjectRow.id == ParticipationRow.revision_project_id)
            .where(RevisionProjectRow.revision_id == revision.id)
        ):
            marks.setdefault(mark.revision_project_id, {})[names[mark.municipality_id]] = Role(mark.role)
        projects = [_project(row, marks.get(row.id, {}), order) for row, _ in rows]
        presentation = revision.presentation
        vision = Vision(
            sphere=self._sphere_model(session, sphere),
            municipalities=municipalities,
            projects=projects,
            legend={k: Role(v) for k, v in presentation.get("legend", {}).items()},
            labels=Labels(**presentation.get("labels", {})),
            declared_totals=totals,
            declared_grand_total=revision.declared_grand_total,
            # What an export of it carries, so that the file imported back lands in this sphere.
            edition=Edition(sphere.key, revision.number, revision.effective_on.isoformat()),
        )
        return vision, [serial for _, serial in rows]

    def _sphere_model(self, session: Session, row: SphereRow) -> Sphere:
        central = session.get(MunicipalityRow, row.central_city_id) if row.central_city_id else None
        city = Municipality(central.name, central.code, central.prefecture) if central else None
        return Sphere(row.name, SphereKind(row.kind), city, row.prefecture)

    # Queries ---------------------------------------------------------------------------------------------

    def spheres(self) -> list[SphereInfo]:
        def compute(session: Session) -> list[SphereInfo]:
            return self._sphere_infos(session, session.scalars(select(SphereRow).order_by(SphereRow.key)).all())

        return list(self._cached("spheres", (), compute))

    def sphere(self, sphere: str) -> SphereInfo:
        return self._cached("sphere", (sphere,), lambda s: self._sphere_info(s, self._sphere_row(s, sphere)), sphere)

    def _sphere_info(self, session: Session, row: SphereRow) -> SphereInfo:
        return self._sphere_infos(session, [row])[0]

    def _sphere_infos(self, session: Session, rows: Sequence[SphereRow]) -> list[SphereInfo]:
        """Spheres with their newest revision and its size, in a fixed number of queries however many."""
        if not rows:
            return []
        ids = [row.id for row in rows]
        newest = (
            select(RevisionRow.sphere_id, func.max(RevisionRow.number).label("number"))
            .where(RevisionRow.sphere_id.in_(ids))
            .group_by(RevisionRow.sphere_id)
            .subquery()
        )
        latest = {
            r.sphere_id: r
            for r in session.scalars(
                select(RevisionRow).join(
                    newest, (newest.c.sphere_id == RevisionRow.sphere_id) & (newest.c.number == RevisionRow.number)
                )
            )
        }
        revision_ids = [r.id for r in latest.values()]
        members = self._counts(session, RevisionMunicipalityRow.revision_id, revision_ids)
        projects = self._counts(session, RevisionProjectRow.revision_id, revision_ids)
        replaced = [row.replaces_id for row in rows if row.replaces_id is not None]
        related = dict(session.execute(select(SphereRow.id, SphereRow.key).where(SphereRow.id.in_(replaced))).all())
        successors = dict(
            session.execute(select(SphereRow.replaces_id, SphereRow.key).where(SphereRow.replaces_id.in_(ids))).all()
        )
        city_ids = [row.central_city_id for row in rows if row.central_city_id is not None]
        cities = {m.id: m for m in session.scalars(select(MunicipalityRow).where(MunicipalityRow.id.in_(city_ids)))}
        infos = []
        for row in rows:
            revision = latest.get(row.id)
            city = cities.get(row.central_city_id) if row.central_city_id is not None else None
            infos.append(
                SphereInfo(
                    key=row.key,
                    name=row.name,
                    kind=SphereKind(row.kind),
                    prefecture=row.prefecture,
                    central_city=Municipality(city.name, city.code, city.prefecture) if city else None,
                    plan_start=row.plan_start,
                    plan_end=row.plan_end,
                    replaces=related.get(row.replaces_id) if row.replaces_id is not None else None,
                    replaced_by=successors.get(row.id),
                    members=members.get(revision.id, 0) if revision else 0,
                    projects=projects.get(revision.id, 0) if revision else 0,
                    latest=self._info(row, revision) if revision else None,
                )
            )
        return infos

    @staticmethod
    def _counts(session: Session, column: Any, revision_ids: Sequence[int]) -> dict[int, int]:
        if not revision_ids:
            return {}
        query = select(column, func.count()).where(column.in_(revision_ids)).group_by(column)
        return {revision_id: count for revision_id, count in session.execute(query).all()}

    def history(self, sphere: str) -> list[RevisionInfo]:
        def compute(session: Session) -> list[RevisionInfo]:
            row = self._sphere_row(session, sphere)
            revisions = session.scalars(
                select(RevisionRow).where(RevisionRow.sphere_id == row.id).order_by(RevisionRow.number)
            )
            return [self._info(row, r) for r in revisions]

        return list(self._cached("history", (sphere,), compute, sphere))

    def revision(self, sphere: str, number: int | None = None, as_of: datetime.date | None = None) -> RevisionInfo:
        def compute(session: Session) -> RevisionInfo:
            row = self._sphere_row(session, sphere)
            return self._info(row, self._revision_row(session, row, number, as_of))

        return self._cached("revision", (sphere, number, as_of), compute, sphere)

    def vision(self, sphere: str, number: int | None = None, as_of: datetime.date | None = None) -> Vision:
        """A revision read back whole: the newest, a numbered one, or the one in force on a date.

        Revisions never change, so each is read from the database once and then served from memory; the
        vision returned is shared and must not be modified (copy it first)."""
        return self._cached(
            "vision", (sphere, number, as_of), lambda session: self._vision(session, sphere, number, as_of), sphere
        )

    def _vision(self, session: Session, sphere: str, number: int | None, as_of: datetime.date | None) -> Vision:
        row = self._sphere_row(session, sphere)
        revision = self._revision_row(session, row, number, as_of)
        cache_key = (row.key, revision.number)
        with self._lock:
            cached = self._visions.get(cache_key)
            if cached is not None:
                self._visions.move_to_end(cache_key)
                return cached
        loaded = self._load(session, row, revision)[0]
        with self._lock:
            self._visions[cache_key] = loaded
            while len(self._visions) > _VISION_CACHE:
                self._visions.popitem(last=False)
        return loaded

    def diff(self, sphere: str, old: int, new: int) -> Amendments:
        """The amendments from revision ``old`` to ``new``, projects paired by their stored identity."""

        def compute(session: Session) -> Amendments:
            row = self._sphere_row(session, sphere)
            before, before_serials = self._load(session, row, self._revision_row(session, row, old))
            after, after_serials = self._load(session, row, self._revision_row(session, row, new))
            return diff(before, after, _pairs(before, before_serials, after, after_serials))

        return self._cached("diff", (sphere, old, new), compute, sphere)

    def agreement(self, sphere: str, municipality: str, number: int | None = None) -> tuple[Vision, Municipality]:
        """A revision and one of its municipalities (by name, label or code): its agreement's schedule is
        ``vision.projects_of(municipality.name)``."""
        vision = self.vision(sphere, number)
        wanted = municipality.strip()
        found = vision.find_municipality(wanted)
        if found is None:
            entry = Registry.default().resolve(wanted, vision.sphere.prefecture).entry
            found = next((m for m in vision.municipalities if entry and m.code == entry.code), None)
        if found is None:
            raise StoreError("not-a-member", sphere=sphere, municipality=municipality)
        return vision, found

    def project_history(
        self, sphere: str, number: int, revision: int | None = None
    ) -> list[tuple[RevisionInfo, Project]]:
        """A project (by its number at a revision, the newest by default) through every revision that has it,
        followed by its identity across renumbering and renaming."""

        def compute(session: Session) -> list[tuple[RevisionInfo, Project]]:
            row = self._sphere_row(session, sphere)
            at = self._revision_row(session, row, revision)
            serial = session.scalar(
                select(ProjectRow.serial)
                .join(RevisionProjectRow, RevisionProjectRow.project_id == ProjectRow.id)
                .where(RevisionProjectRow.revision_id == at.id, RevisionProjectRow.number == number)
            )
            if serial is None:
                raise StoreError("project-unknown", sphere=row.key, number=number, revision=at.number)
            found = []
            for rev in session.scalars(
                select(RevisionRow).where(RevisionRow.sphere_id == row.id).order_by(RevisionRow.number)
            ):
                vision, serials = self._load(session, row, rev)
                project = next((p for p, s in zip(vision.projects, serials, strict=True) if s == serial), None)
                if project is not None:
                    found.append((self._info(row, rev), project))
            return found

        return list(self._cached("project_history", (sphere, number, revision), compute, sphere))

    def memberships(self, code: str) -> list[SphereInfo]:
        """The spheres whose newest revision has this municipality (by code) as a column or central city."""

        def compute(session: Session) -> list[SphereInfo]:
            newest = (
                select(func.max(RevisionRow.number))
                .where(RevisionRow.sphere_id == SphereRow.id)
                .correlate(SphereRow)
                .scalar_subquery()
            )
            columns = (
                select(SphereRow)
                .join(RevisionRow, RevisionRow.sphere_id == SphereRow.id)
                .join(RevisionMunicipalityRow, RevisionMunicipalityRow.revision_id == RevisionRow.id)
                .join(MunicipalityRow, MunicipalityRow.id == RevisionMunicipalityRow.municipality_id)
                .where(MunicipalityRow.code == code, RevisionRow.number == newest)
            )
            central = select(SphereRow).join(MunicipalityRow, MunicipalityRow.id == SphereRow.central_city_id)
            rows = {s.id: s for s in session.scalars(columns)}
            rows |= {s.id: s for s in session.scalars(central.where(MunicipalityRow.code == code))}
            return self._sphere_infos(session, sorted(rows.values(), key=lambda r: r.key))

        return list(self._cached("memberships", (code,), compute))

    def search(self, text: str, limit: int = 50, offset: int = 0) -> tuple[list[SearchHit], int]:
        """Projects of the newest revision of every sphere whose name or description contains ``text``."""

        def compute(session: Session) -> tuple[list[SearchHit], int]:
            docs = self._cached("search-docs", (), search.load)
            hits, total = search.rank(docs, text, limit, offset)
            if not hits:
                return [], total
            rows = {
                rp.id: (rp, rev, sphere)
                for rp, rev, sphere in session.execute(
                    select(RevisionProjectRow, RevisionRow, SphereRow)
                    .join(RevisionRow, RevisionRow.id == RevisionProjectRow.revision_id)
                    .join(SphereRow, SphereRow.id == RevisionRow.sphere_id)
                    .where(RevisionProjectRow.id.in_([h.revision_project_id for h in hits]))
                )
            }
            out = []
            for hit in hits:
                rp, rev, sphere = rows[hit.revision_project_id]
                out.append(
                    SearchHit(sphere.key, sphere.name, rev.number, rp.number, rp.name, rp.description, hit.score)
                )
            return out, total

        hits, total = self._cached("search", (text, limit, offset), compute)
        return list(hits), total


def _project(row: RevisionProjectRow, marks: dict[str, Role], order: dict[str, int]) -> Project:
    pillar = Heading(row.pillar_label or "", row.pillar_title or "") if row.pillar_title is not None else None
    field_heading = Heading(row.field_label or "", row.field_title or "") if row.field_title is not None else None
    return Project(
        number=row.number,
        name=row.name,
        description=row.description,
        pillar=pillar,
        field=field_heading,
        participants=dict(sorted(marks.items(), key=lambda item: order[item[0]])),
        attributes=dict(row.attributes),
        declared_count=row.declared_count,
    )


def _pairs(old: Vision, old_serials: list[int], new: Vision, new_serials: list[int]) -> list[Pair]:
    by_serial = dict(zip(old_serials, old.projects, strict=True))
    pairs: list[Pair] = [(by_serial.pop(s, None), p) for p, s in zip(new.projects, new_serials, strict=True)]
    return pairs + [(p, None) for p in by_serial.values()]


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
