"""The store: every sphere and every revision of its vision, in SQLite (embedded) or PostgreSQL.

This package is the one door into the store: the web app, the CLI and every other module import the names
below from ``renkei.store`` and never one of its modules (``tests/test_import_graph.py``). Its rooms are its own
business, and may move.

- ``Store``, the registry (defined here): a facade over the rooms it holds, each given what it works with (the
  database, ``core.Database``; the published reads they look visions up in): ``store.reads``, ``store.imports``,
  ``store.accounts`` (``Accounts``), ``store.drafts``, ``store.results`` (実績 and grade thresholds) and
  ``store.country``; the reads' and imports' public methods are the store's own (``store.vision(…)``,
  ``store.import_reading(…)``). Every write runs in one
  transaction (an import is all or nothing, a killed process leaves the previous revision intact), and every
  change of a vision is a new revision: nothing is updated in place.
- What it takes and answers: ``SphereSpec``, ``SphereInfo``, ``RevisionInfo``, ``ImportResult``, ``SearchHit``,
  ``Batched``; a sphere's dated ``Membership``; a draft's ``DraftProject``; ``AuditEntry``; a result to enter,
  ``ResultEntry``.
- What it refuses with, each a ``StoreError`` (a catalogue code ``store.<code>`` and its parameters):
  ``ImportRefused`` (and ``ManifestRefused``), ``Forbidden``, ``Conflict`` (with each cell's ``Clash``),
  ``Invalid``; a rebase's ``CellConflict``.
- Who acts: ``Actor``; ``MIN_PASSWORD``; ``record`` writes one entry of the audit trail in the caller's
  transaction.
- Where the database is: ``ENV`` (the variable that names it), ``resolve_url``, ``describe`` (a URL without its
  password).
- Whole sets: ``import_manifest``, ``load_into``, ``sphere_spec``; ``dump`` and ``restore`` (the backup as JSON
  lines); ``snapshot_bytes`` (the public tables as a new SQLite file).
- ``highlight`` (a search hit's text with the query marked) and ``today_jst`` (the day in Japan, which effective
  dates are).
"""

from __future__ import annotations

import functools
import importlib
from typing import TYPE_CHECKING, Self

from renkei.store.aggregates import FieldTotal, FieldUse
from renkei.store.backup import dump, restore
from renkei.store.cells import Clash
from renkei.store.clock import today_jst
from renkei.store.core import Database
from renkei.store.engine import ENV, describe, resolve_url
from renkei.store.errors import ImportRefused, StoreError
from renkei.store.imports import Imports
from renkei.store.manifest_import import ManifestRefused, import_manifest, load_into, sphere_spec
from renkei.store.reads import PublishedReads, one_generation
from renkei.store.rebase import CellConflict
from renkei.store.records import Batched, ImportResult, RevisionInfo, SearchHit, SphereInfo, SphereSpec
from renkei.store.search import Faceted, Found, highlight
from renkei.store.snapshot import snapshot_bytes

if TYPE_CHECKING:
    from renkei.store.accounts import MIN_PASSWORD, Accounts, Actor, AuditEntry, Forbidden, record
    from renkei.store.country import Country, Membership
    from renkei.store.drafts import Conflict, DraftProject, Drafts, Invalid
    from renkei.store.results import ResultEntry, Results

# The accounts and what builds on them are loaded when first asked for: the accounts' module prepares a password
# hash as it loads, which a command that only reads or imports should not wait for.
_ON_DEMAND = {
    "MIN_PASSWORD": "accounts",
    "Accounts": "accounts",
    "Actor": "accounts",
    "AuditEntry": "accounts",
    "record": "accounts",
    "Membership": "country",
    "Conflict": "drafts",
    "DraftProject": "drafts",
    "Forbidden": "accounts",
    "Invalid": "drafts",
    "ResultEntry": "results",
}

__all__ = [
    "ENV",
    "MIN_PASSWORD",
    "Accounts",
    "Actor",
    "AuditEntry",
    "Batched",
    "CellConflict",
    "Clash",
    "Conflict",
    "DraftProject",
    "Faceted",
    "FieldTotal",
    "FieldUse",
    "Forbidden",
    "Found",
    "ImportRefused",
    "ImportResult",
    "Invalid",
    "ManifestRefused",
    "Membership",
    "ResultEntry",
    "RevisionInfo",
    "SearchHit",
    "SphereInfo",
    "SphereSpec",
    "Store",
    "StoreError",
    "describe",
    "dump",
    "highlight",
    "import_manifest",
    "load_into",
    "one_generation",
    "record",
    "resolve_url",
    "restore",
    "snapshot_bytes",
    "sphere_spec",
    "today_jst",
]


def __getattr__(name: str) -> object:
    room = _ON_DEMAND.get(name)
    if room is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{room}"), name)
    globals()[name] = value
    return value


class Store:
    """The registry: a facade over the rooms it holds, each given what it works with.

    ``database`` (``core.Database``: the engine, the schema, the ``read`` and ``write`` transactions) is the
    house every room shares; ``reads`` (``reads.PublishedReads``, with what it keeps in memory) and ``imports``
    (``imports.Imports``) are made with the store, and ``accounts``, ``drafts`` and ``country`` when first asked
    for (the accounts' module prepares a password hash as it loads). The store's own methods are its rooms'
    public methods, bound here once: a room's signature is declared in the room alone."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.reads = PublishedReads(database)
        self.imports = Imports(database)
        # The house.
        self.engine = database.engine
        self.url = database.url
        self.read = database.read
        self.write = database.write
        self.schema_state = database.schema_state
        self.upgrade = database.upgrade
        self.alembic_config = database.alembic_config
        # The published reads.
        self.generation = self.reads.generation
        self.spheres = self.reads.spheres
        self.sphere = self.reads.sphere
        self.history = self.reads.history
        self.revision = self.reads.revision
        self.vision = self.reads.vision
        self.project_list = self.reads.project_list
        self.diff = self.reads.diff
        self.agreement = self.reads.agreement
        self.project_history = self.reads.project_history
        self.memberships = self.reads.memberships
        self.search = self.reads.search
        self.faceted_search = self.reads.faceted_search
        self.field_overview = self.reads.field_overview
        self.field_uses = self.reads.field_uses
        self.field_titles = self.reads.field_titles
        self.table_towns = self.reads.table_towns
        # The imports.
        self.import_reading = self.imports.import_reading
        self.import_vision = self.imports.import_vision
        self.import_many = self.imports.import_many
        self.home_of = self.imports.home_of

    @classmethod
    def open(cls, db: str | None = None, *, create: bool = True, check: bool = True) -> Self:
        """Open the registry at ``db`` (a URL or a file path; the embedded default if None): ``Database.open``."""
        return cls(Database.open(db, create=create, check=check))

    def close(self) -> None:
        self.reads.close()
        self.database.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @functools.cached_property
    def accounts(self) -> Accounts:
        """Accounts, roles, sessions, API tokens and the audit trail."""
        from renkei.store.accounts import Accounts

        return Accounts(self.database, self.reads)

    @functools.cached_property
    def country(self) -> Country:
        """The country's list: every known sphere's lifecycle and dated membership (``store.country``)."""
        from renkei.store.country import Country

        return Country(self.database)

    @functools.cached_property
    def drafts(self) -> Drafts:
        """The working copies of spheres' next revisions."""
        from renkei.store.drafts import Drafts

        return Drafts(self.database, self.reads, self.imports)

    @functools.cached_property
    def results(self) -> Results:
        """Results (実績) entered into the draft, and the sphere's grade thresholds."""
        from renkei.store.results import Results

        return Results(self.database, self.reads, self.drafts)
