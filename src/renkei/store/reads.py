"""The published reads: spheres, revisions read back whole, histories, diffs, agreements, project histories,
memberships and search. Each answer is kept in memory while its generation (the registry's, or its sphere's) is
unchanged (``_cached``), and every revision read whole is kept too: revisions never change (a vision carries its
sphere's grade thresholds, so it is kept with them).
"""

from __future__ import annotations

import contextlib
import datetime
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, bindparam, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from renkei.core.cache import Answers
from renkei.places.municipalities import Registry
from renkei.store import aggregates, projectlist, search
from renkei.store.core import Database
from renkei.store.errors import StoreError
from renkei.store.lifecycle import lifecycles, spheres_of
from renkei.store.records import RevisionInfo, SearchHit, SphereInfo
from renkei.store.rows import REVISION_COLUMNS, grade_thresholds, load, revision_info, revision_row, sphere_row
from renkei.store.schema import (
    MunicipalityRow,
    ProjectRow,
    RevisionMunicipalityRow,
    RevisionProjectRow,
    RevisionRow,
    SphereRow,
)
from renkei.store.search import Faceted
from renkei.vision.diff import Amendments, Pair, diff
from renkei.vision.model import Municipality, Project, SphereKind, Vision

# Revisions kept in memory: enough for every sphere of the country's newest revision and some more (a revision
# read back is some 90 KB; 512 of them were a sixth of a worker's memory after reads rotating over 1,700 spheres).
_VISION_CACHE = 256
# A sphere's revisions, oldest first, as plain rows.
_HISTORY = (
    select(*REVISION_COLUMNS)
    .join(SphereRow, SphereRow.id == RevisionRow.sphere_id)
    .where(SphereRow.key == bindparam("sphere"))
    .order_by(RevisionRow.number)
)
# Answers of the read methods kept in memory, each valid while no revision is added (see Store._cached).
_PUBLISHED_CACHE = 4096
T = TypeVar("T")
# A generation: the newest revision row and how many there are (the registry's, or one sphere's), and how many
# spheres there are (a new sphere may name the one it replaces, whose answers then change). The registry's counts
# are kept by triggers in ``registry_count`` (migration 0012: one row read, where counting the rows scanned them on
# every request); PostgreSQL counts the registry's revisions itself (see the migration for why).
# The country's list changes (store.country) count with the spheres: both only grow, so their sum moves on any.
# A sphere's settings that change its published answers without a revision: its grade thresholds, which grade
# every KPI shown. Each change is audited in its own transaction; the newest such audit entry (the registry's,
# or the sphere's) is the generation's fourth part. The audit trail is append-only, so its ids only grow.
THRESHOLDS_SET = "grade-thresholds"
_COUNTED = "(SELECT spheres FROM registry_count) + (SELECT coalesce(max(id), 0) FROM country_change)"
_GENERATION_SQL = (
    f"SELECT (SELECT max(id) FROM revision), (SELECT revisions FROM registry_count), {_COUNTED},"
    f" (SELECT coalesce(max(id), 0) FROM audit WHERE action = '{THRESHOLDS_SET}')"
)
_PG_GENERATION_SQL = _GENERATION_SQL.replace(
    "(SELECT revisions FROM registry_count)", "(SELECT count(id) FROM revision)"
)
# The sphere's: its settings found through the index on the action (its changes are few; a sphere's audit
# entries are every edit of it), hence ``+sphere_key``, which keeps SQLite from choosing the key's index.
_SPHERE_GENERATION_SQL = (
    f"SELECT max(id), count(id), {_COUNTED},"
    f" (SELECT coalesce(max(id), 0) FROM audit WHERE action = '{THRESHOLDS_SET}' AND +sphere_key = ?)"
    " FROM revision WHERE sphere_id = (SELECT id FROM sphere WHERE key = ?)"
)
# PostgreSQL's: its driver's placeholders, and no ``+`` (its planner takes the index on the action by itself).
_PG_SPHERE_GENERATION_SQL = _SPHERE_GENERATION_SQL.replace("+sphere_key", "sphere_key").replace("?", "%s")

# The registry's, or a sphere's, generation: see ``PublishedReads.generation``.
Generation = tuple[int, int, int, int]
# The generations asked during one published read (``one_generation``), by store and sphere (None: the registry).
_ASKED: ContextVar[dict[tuple[int, str | None], Generation] | None] = ContextVar("generations_asked", default=None)


@contextlib.contextmanager
def one_generation() -> Iterator[None]:
    """Within it, each generation is asked of the database once and then answered from memory: for a read that
    writes nothing and whose answer is made of several published reads (a sphere's page asks for its sphere's
    generation some ten times, a round trip each on PostgreSQL). Every answer then stands for the generation
    asked first, and what was read is at least as new as that (the generation is asked before the read), so a
    kept answer is never older than its generation says. Never around a write: a read after it would be
    answered at the generation from before."""
    token = _ASKED.set({})
    try:
        yield
    finally:
        _ASKED.reset(token)


VisionKey = tuple[str, int, tuple[float, float, float] | None]  # a revision's vision as the kept answers name it


def _named(vision: Vision) -> VisionKey:
    """A stored revision's vision by its sphere's key, its number and the grade thresholds it was read with."""
    edition = vision.edition
    assert edition.sphere_key is not None and edition.revision is not None  # a stored revision's own
    return edition.sphere_key, edition.revision, vision.sphere.grade_thresholds


class PublishedReads:
    """The store's published reads (a room of ``Store``), over its database, with what they keep in memory."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._visions: OrderedDict[tuple[str, int, tuple[float, float, float] | None], Vision] = OrderedDict()
        self._published: Answers[object] = Answers(_PUBLISHED_CACHE)
        self._lock = threading.Lock()
        # SQLite: one connection of its own answers the generation, asked before every cached read.
        self._probe: sqlite3.Connection | None = None
        # PostgreSQL: likewise a connection of its own in autocommit mode, out of the pool.
        self._probe_pg: Connection | None = None
        self._probe_lock = threading.Lock()
        self._has_fts: bool | None = None
        # The list of spheres last read and the generation it was read at, which a publish brings up to date.
        self._spheres_kept: tuple[Generation, list[SphereInfo]] | None = None
        self._sphere_index: tuple[Generation, dict[str, SphereInfo]] | None = None

    def close(self) -> None:
        with self._probe_lock:
            if self._probe is not None:
                self._probe.close()
                self._probe = None
            if self._probe_pg is not None:
                self._probe_pg.close()
                self._probe_pg = None

    # Published reads, cached -------------------------------------------------------------------------------

    def generation(self, sphere: str | None = None) -> Generation:
        """The generation (``_asked_generation``); within ``one_generation``, asked once for each sphere."""
        asked = _ASKED.get()
        if asked is None:
            return self._asked_generation(sphere)
        found = asked.get((id(self), sphere))
        if found is None:
            found = asked[id(self), sphere] = self._asked_generation(sphere)
        return found

    def _asked_generation(self, sphere: str | None = None) -> Generation:
        """What the published registry, or one sphere of it, looks like from outside: the newest revision row
        and how many there are (the registry's, or the sphere's), how many spheres there are, and the newest
        change of a sphere's grade thresholds (the registry's, or the sphere's: its audit entry's id).

        Revisions never change and a sphere's row changes only as it is made or as its thresholds are set, so a
        sphere's answers change only with a new revision of it, a new sphere (one that replaces it; a restore,
        which fills an empty registry) or new thresholds: an unchanged generation means an unchanged answer,
        another process's writes included.

        Why the audit trail for the thresholds, not a counter of their own: the change is audited in the very
        transaction that makes it, the trail only grows, and its index on the action finds the few such entries
        at the cost of one more indexed subquery in the one statement asked (no migration, no second write). A
        threshold change moves its sphere's generation and the registry's (the comparison's grade counts), not
        the other spheres'."""
        postgres = self.database.engine.dialect.name == "postgresql"
        sql, params = (_GENERATION_SQL, ()) if sphere is None else (_SPHERE_GENERATION_SQL, (sphere, sphere))
        if postgres:
            sql = _PG_GENERATION_SQL if sphere is None else _PG_SPHERE_GENERATION_SQL

        # Asked before every cached read, as text (built and compiled at each asking, it cost the worker more
        # than the server's answer did), on the connection kept for it (``_asked``).
        def ask(connection: Connection | sqlite3.Connection) -> tuple[Any, ...]:
            if isinstance(connection, sqlite3.Connection):
                return tuple(connection.execute(sql, params).fetchone())
            return tuple(connection.exec_driver_sql(sql, params).one())

        newest, count, spheres, settings = self._asked(ask)
        return int(newest or 0), int(count or 0), int(spheres or 0), int(settings or 0)

    def _asked(self, ask: Callable[[Connection | sqlite3.Connection], T]) -> T:
        """One statement's read on the connection kept for such reads, in autocommit mode (each sees the newest
        commit of any process), not a pooled one, whose checkout, BEGIN and ROLLBACK cost more than the read
        (issue 24): on a SQLite file SQLite's own driver's connection; on PostgreSQL the engine's kept one
        (``_probing``), a pooled one where it failed; a pooled one for SQLite in memory or at a URI."""
        path = self._sqlite_file()
        if path is not None:
            with self._probe_lock:
                if self._probe is None:
                    self._probe = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
                return ask(self._probe)
        if self.database.engine.dialect.name == "postgresql":
            done, found = self._probing(ask)
            if done:
                return cast(T, found)
        with self.database.engine.connect() as connection:
            return ask(connection)

    def _probing(self, ask: Callable[[Connection], T]) -> tuple[bool, T | None]:
        """``ask`` on PostgreSQL's connection kept for one-statement reads (autocommit), and whether it could
        be asked: (False, None) when the connection failed (it is dropped, and the next asking opens another)."""
        with self._probe_lock:
            try:
                if self._probe_pg is None:
                    self._probe_pg = self.database.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                return True, ask(self._probe_pg)
            except DBAPIError:
                if self._probe_pg is not None:
                    with contextlib.suppress(Exception):
                        self._probe_pg.close()
                    self._probe_pg = None
                return False, None

    def _cached(
        self,
        name: str,
        args: tuple[object, ...],
        compute: Callable[[Session], T],
        sphere: str | None = None,
        first: Callable[[], T | None] | None = None,
    ) -> T:
        """``compute``'s answer from memory while the generation (``sphere``'s, else the registry's) is the one it
        was computed at: one small query instead of the read's own. Concurrent misses compute it once. Answers
        are shared: callers must not modify them. ``first``, where given, is asked before a session is opened
        for ``compute``: an answer kept in the database, or None."""
        generation = self.generation(sphere)

        def read() -> object:
            found = first() if first is not None else None
            if found is not None:
                return found
            with self.database.read() as session:
                return compute(session)

        def unmoved(_: object) -> bool:
            # A revision that came in meanwhile: answer, but do not keep an answer of unknown age.
            return self.generation(sphere) == generation

        return cast(T, self._published.get_or_compute((name, *args), generation, read, unmoved))

    # Queries ---------------------------------------------------------------------------------------------

    def spheres(self) -> list[SphereInfo]:
        """Every sphere, by key. After a publish only the spheres with a new revision are read again (the list
        kept from before is brought up to date, not rebuilt over every sphere); a new sphere or a change of the
        country's list (which can touch any sphere's lifecycle or successor) reads them all."""
        asked = self.generation()

        def compute(session: Session) -> list[SphereInfo]:
            kept = self._spheres_kept
            infos = self._spheres_since(session, kept[0], kept[1], asked) if kept is not None else None
            if infos is None:
                infos = self._sphere_infos(session, session.scalars(select(SphereRow).order_by(SphereRow.key)).all())
            # Kept with the generation asked before reading: what was read is at least as new, so the next
            # update reads again any sphere whose revision came in meanwhile.
            self._spheres_kept = (asked, infos)
            self._sphere_index = (asked, {info.key: info for info in infos})
            return infos

        return list(self._cached("spheres", (), compute))

    def _spheres_since(
        self,
        session: Session,
        then: tuple[int, int, int, int],
        before: list[SphereInfo],
        now: tuple[int, int, int, int],
    ) -> list[SphereInfo] | None:
        """The list of spheres at ``then`` brought to ``now`` by reading again the spheres with revisions added
        since; None when more than revisions changed (spheres made, the country's list changed, revisions gone)."""
        newest, count, spheres, _settings = then  # a sphere's thresholds change none of its info
        if spheres != now[2] or now[0] < newest or now[1] < count:
            return None
        added, touched = session.execute(
            select(func.count(RevisionRow.id), func.count(func.distinct(RevisionRow.sphere_id))).where(
                RevisionRow.id > newest
            )
        ).one()
        if added < now[1] - count:  # revisions below the newest one known were added or removed: read them all
            return None
        if not touched:
            return before
        changed = session.scalars(
            select(SphereRow).where(
                SphereRow.id.in_(select(RevisionRow.sphere_id).where(RevisionRow.id > newest).distinct())
            )
        ).all()
        fresh = {info.key: info for info in self._sphere_infos(session, changed)}
        return [fresh.get(info.key, info) for info in before]

    def sphere(self, sphere: str) -> SphereInfo:
        """A sphere by key or by its Japanese name. Kept per sphere (a publish elsewhere leaves it in memory); when
        not kept, taken from the list of spheres where that list is the registry's as it stands (a dict lookup,
        where reading one sphere's info takes five queries), else read."""

        def compute(session: Session) -> SphereInfo:
            index = self._sphere_index
            if index is not None and sphere in index[1] and index[0] == self.generation():
                return index[1][sphere]
            return self._sphere_info(session, sphere_row(session, sphere))

        return self._cached("sphere", (sphere,), compute, sphere)

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
        # The newest revisions' columns as plain rows (not ORM objects, without their presentation): the home
        # page asks for every sphere's, and building objects was most of its cost at ten times the country. Their
        # sizes come in the same query, and the queries below run only where there is something to ask: a
        # sphere's first answer is mostly the cost of its queries (issue 24).
        revision = RevisionRow
        members_of = (
            select(func.count())
            .where(RevisionMunicipalityRow.revision_id == revision.id)
            .correlate(revision)
            .scalar_subquery()
        )
        projects_of = (
            select(func.count())
            .where(RevisionProjectRow.revision_id == revision.id)
            .correlate(revision)
            .scalar_subquery()
        )
        latest = {
            r.sphere_id: r
            for r in session.execute(
                select(
                    revision.id,
                    revision.sphere_id,
                    revision.number,
                    revision.author,
                    revision.created_at,
                    revision.effective_on,
                    revision.message,
                    revision.source_name,
                    revision.source_sha256,
                    revision.content_hash,
                    revision.findings,
                    members_of.label("members"),
                    projects_of.label("projects"),
                ).join(newest, (newest.c.sphere_id == revision.sphere_id) & (newest.c.number == revision.number))
            )
        }
        replaced = [row.replaces_id for row in rows if row.replaces_id is not None]
        related = (
            dict(session.execute(select(SphereRow.id, SphereRow.key).where(SphereRow.id.in_(replaced))).all())
            if replaced
            else {}
        )
        successors = dict(
            session.execute(select(SphereRow.replaces_id, SphereRow.key).where(SphereRow.replaces_id.in_(ids))).all()
        )
        life = lifecycles(session, rows)
        city_ids = [row.central_city_id for row in rows if row.central_city_id is not None]
        cities = (
            {
                town_id: Municipality(name, code, prefecture)
                for town_id, name, code, prefecture in session.execute(
                    select(
                        MunicipalityRow.id, MunicipalityRow.name, MunicipalityRow.code, MunicipalityRow.prefecture
                    ).where(MunicipalityRow.id.in_(city_ids))
                )
            }
            if city_ids
            else {}
        )
        infos = []
        for row in rows:
            found = latest.get(row.id)
            infos.append(
                SphereInfo(
                    key=row.key,
                    name=row.name,
                    kind=SphereKind(row.kind),
                    prefecture=row.prefecture,
                    central_city=cities.get(row.central_city_id) if row.central_city_id is not None else None,
                    plan_start=row.plan_start,
                    plan_end=row.plan_end,
                    replaces=related.get(row.replaces_id) if row.replaces_id is not None else None,
                    replaced_by=successors.get(row.id),
                    members=found.members if found else 0,
                    projects=found.projects if found else 0,
                    latest=revision_info(row, cast(RevisionRow, found)) if found else None,
                    dates=life[row.id].dates,
                    listed=life[row.id].listed,
                    members_now=life[row.id].members_now,
                    other_centrals=life[row.id].other_centrals,
                )
            )
        return infos

    def history(self, sphere: str) -> list[RevisionInfo]:
        def compute(session: Session) -> list[RevisionInfo]:
            # The columns as plain rows, found by the sphere's key, not objects: a sphere's first page asks its
            # history (issue 24). None found: the sphere's row says whether it has no revision or is unknown.
            found = session.connection().execute(_HISTORY, {"sphere": sphere}).all()
            if not found:
                row = sphere_row(session, sphere)  # by its name, else unknown (an error), else without a revision
                if row.key != sphere:
                    return [revision_info(row, r) for r in session.connection().execute(_HISTORY, {"sphere": row.key})]
            return [revision_info(sphere, r) for r in found]

        return list(self._cached("history", (sphere,), compute, sphere))

    def revision(self, sphere: str, number: int | None = None, as_of: datetime.date | None = None) -> RevisionInfo:
        def compute(session: Session) -> RevisionInfo:
            row = sphere_row(session, sphere)
            return revision_info(row, revision_row(session, row, number, as_of))

        return self._cached("revision", (sphere, number, as_of), compute, sphere)

    def vision(self, sphere: str, number: int | None = None, as_of: datetime.date | None = None) -> Vision:
        """A revision read back whole: the newest, a numbered one, or the one in force on a date.

        Revisions never change, so each is read from the database once and then served from memory; the
        vision returned is shared and must not be modified (copy it first).

        The kept answers name the revision (its sphere's key and number, and the thresholds it was read with),
        not the vision itself: the visions are kept once, in their own bounded cache, so that reads rotating
        over every sphere keep at most that many in memory (a worker's memory grew past 300 MB at 1,700 spheres
        when every kept answer held one)."""

        def at(session: Session) -> VisionKey:
            return _named(self._vision(session, sphere, number, as_of))

        def kept() -> VisionKey | None:
            # The newest revision, or a numbered one, from its rows kept with its project list: no session.
            vision = self._kept_vision(sphere, number) if as_of is None else None
            return None if vision is None else _named(vision)

        found = self._cached("vision", (sphere, number, as_of), at, sphere, kept)
        with self._lock:
            vision = self._visions.get(found)
            if vision is not None:
                self._visions.move_to_end(found)
                return vision
        # Pushed out of the visions kept meanwhile: read again by its number.
        vision = self._kept_vision(found[0], found[1])
        if vision is not None:
            return vision
        with self.database.read() as session:
            return self._vision(session, found[0], found[1], None)

    def _kept_vision(self, sphere: str, number: int | None) -> Vision | None:
        """A revision's vision from its rows kept with its project list (``projectlist.read_rows``), kept in
        memory as ``_vision`` keeps the ones it reads; None where they are not kept (an older revision, a
        database written before migration 0013), or the sphere or revision is not found by these."""
        found = self._asked(lambda connection: projectlist.rows_found(connection, sphere, number))
        vision = projectlist.vision_of(found, sphere)  # made outside the connection's lock
        if vision is None:
            return None
        key = _named(vision)
        with self._lock:
            cached = self._visions.get(key)
            if cached is not None:
                self._visions.move_to_end(key)
                return cached
            self._visions[key] = vision
            while len(self._visions) > _VISION_CACHE:
                self._visions.popitem(last=False)
        return vision

    def project_list(self, sphere: str, number: int | None = None) -> projectlist.Found | None:
        """A revision's project list as the API answers it, kept with the revision (``store.projectlist``): its
        number, its projects' count and their JSON objects one a line. None where the sphere is not found by its
        key or the revision has no list kept: then read the revision (``vision``), which says what is missing.
        Not kept in memory: one indexed read, which every sphere's first answer asks for (on the connection kept
        for the generation, in autocommit mode, on SQLite and PostgreSQL: the revision and its list come in one
        commit)."""
        return self._asked(lambda connection: projectlist.read(connection, sphere, number))

    def _sqlite_file(self) -> str | None:
        """The SQLite file the store is on; None on PostgreSQL, in memory or at a ``file:`` URI."""
        path = self.database.engine.url.database if self.database.engine.dialect.name == "sqlite" else None
        return path if path and path != ":memory:" and not path.startswith("file:") else None

    def _vision(self, session: Session, sphere: str, number: int | None, as_of: datetime.date | None) -> Vision:
        row = sphere_row(session, sphere)
        revision = revision_row(session, row, number, as_of)
        # With the thresholds its sphere carries: a revision read before they were set is not the one to answer.
        cache_key = (row.key, revision.number, grade_thresholds(row.grades))
        with self._lock:
            cached = self._visions.get(cache_key)
            if cached is not None:
                self._visions.move_to_end(cache_key)
                return cached
        loaded = load(session, row, revision)[0]
        with self._lock:
            self._visions[cache_key] = loaded
            while len(self._visions) > _VISION_CACHE:
                self._visions.popitem(last=False)
        return loaded

    def diff(self, sphere: str, old: int, new: int) -> Amendments:
        """The amendments from revision ``old`` to ``new``, projects paired by their stored identity."""

        def compute(session: Session) -> Amendments:
            row = sphere_row(session, sphere)
            before, before_serials = load(session, row, revision_row(session, row, old))
            after, after_serials = load(session, row, revision_row(session, row, new))
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
            row = sphere_row(session, sphere)
            at = revision_row(session, row, revision)
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
                vision, serials = load(session, row, rev)
                project = next((p for p, s in zip(vision.projects, serials, strict=True) if s == serial), None)
                if project is not None:
                    found.append((revision_info(row, rev), project))
            return found

        return list(self._cached("project_history", (sphere, number, revision), compute, sphere))

    def memberships(self, code: str) -> list[SphereInfo]:
        """The spheres whose newest revision has this municipality (by code) as a column or central city, and
        those whose membership (the country's list) names it, ended or not."""

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
            rows |= {s.id: s for s in spheres_of(session, code)}
            return self._sphere_infos(session, sorted(rows.values(), key=lambda r: r.key))

        return list(self._cached("memberships", (code,), compute))

    def search(self, text: str, limit: int = 50, offset: int = 0) -> tuple[list[SearchHit], int]:
        """Projects of the newest revision of every sphere whose name or description contains ``text``."""
        found = self.faceted_search(text, limit=limit, offset=offset)
        return [f.hit for f in found.hits], found.total

    def faceted_search(
        self,
        text: str,
        kind: str = "",
        prefecture: str = "",
        field: str = "",
        limit: int | None = 50,
        offset: int = 0,
    ) -> Faceted:
        """A page of the hits of ``text`` narrowed to a kind, prefecture and field title (each empty: any), how
        many in all, and each facet's counts over the hits the other facets leave; ranked and counted in SQL."""

        def compute(session: Session) -> Faceted:
            return search.faceted(session, text, self._fts(), kind, prefecture, field, limit, offset)

        return self._cached("faceted_search", (text, kind, prefecture, field, limit, offset), compute)

    def _fts(self) -> bool:
        if self._has_fts is None:
            with self.database.engine.connect() as connection:
                self._has_fts = search.has_fts(connection)
        return self._has_fts

    # The national aggregates (kept on write: renkei.store.aggregates) ------------------------------------

    def field_overview(
        self, kind: str = "", prefecture: str = "", abolished: bool = False
    ) -> list[aggregates.FieldTotal]:
        """Every compared field of the current spheres (and the abolished ones where asked) of a kind and
        prefecture, with its sums."""
        key = (kind, prefecture, abolished)
        return list(self._cached("field_overview", key, lambda s: aggregates.overview(s, kind, prefecture, abolished)))

    def field_uses(self, field: str) -> dict[str, aggregates.FieldUse]:
        """One compared field (a policy field's name, or a title the guidelines do not name) in every sphere."""
        return dict(self._cached("field_uses", (field,), lambda s: aggregates.uses_of(s, field)))

    def field_titles(self) -> list[tuple[str, bool]]:
        """Every compared field of the registry, with whether the guidelines name it, by first appearance."""
        return list(self._cached("field_titles", (), aggregates.titles))

    def table_towns(self) -> dict[str, frozenset[str]]:
        """Per sphere with a table, the codes of its newest revision's municipalities and of its central city
        (those with a code): the towns of a sphere the country's list does not know. Two queries for the
        whole registry, where reading every sphere's newest revision whole took seconds at ten times the
        country (issue 24)."""

        def compute(session: Session) -> dict[str, frozenset[str]]:
            newest = (
                select(RevisionRow.sphere_id, func.max(RevisionRow.number).label("number"))
                .group_by(RevisionRow.sphere_id)
                .subquery()
            )
            columns = (
                select(SphereRow.key, MunicipalityRow.code)
                .join(RevisionRow, RevisionRow.sphere_id == SphereRow.id)
                .join(newest, (newest.c.sphere_id == RevisionRow.sphere_id) & (newest.c.number == RevisionRow.number))
                .join(RevisionMunicipalityRow, RevisionMunicipalityRow.revision_id == RevisionRow.id)
                .join(MunicipalityRow, MunicipalityRow.id == RevisionMunicipalityRow.municipality_id)
                .where(MunicipalityRow.code.is_not(None))
            )
            cities = (
                select(SphereRow.key, MunicipalityRow.code)
                .join(MunicipalityRow, MunicipalityRow.id == SphereRow.central_city_id)
                .where(MunicipalityRow.code.is_not(None), SphereRow.id.in_(select(newest.c.sphere_id)))
            )
            found: dict[str, set[str]] = {}
            for key, code in [*session.execute(columns), *session.execute(cities)]:
                found.setdefault(key, set()).add(code)
            return {key: frozenset(codes) for key, codes in found.items()}

        return dict(self._cached("table_towns", (), compute))


def _pairs(old: Vision, old_serials: list[int], new: Vision, new_serials: list[int]) -> list[Pair]:
    by_serial = dict(zip(old_serials, old.projects, strict=True))
    pairs: list[Pair] = [(by_serial.pop(s, None), p) for p, s in zip(new.projects, new_serials, strict=True)]
    return pairs + [(p, None) for p in by_serial.values()]
