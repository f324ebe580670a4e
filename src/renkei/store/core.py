"""The store's house: its database (engine and URL), its schema, and its transactions. Every room of the
store (imports, published reads, drafts, accounts, the country's list) holds the ``Database`` and works through
its ``write`` and ``read``; what takes a whole store or only its database (backup, snapshot) asks for
``Transactions``, which both are."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol, Self

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session

from renkei.store.engine import WRITE, describe, make_engine, resolve_url
from renkei.store.errors import StoreError


class Transactions(Protocol):
    """What backup and snapshot need of a registry: its engine and its two transactions (a ``Database``, or the
    ``Store`` that holds it)."""

    @property
    def engine(self) -> Engine: ...

    def write(self) -> AbstractContextManager[Session]: ...

    def read(self) -> AbstractContextManager[Session]: ...


class Database:
    """A registry's database: what every room of ``Store`` holds."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url

    @classmethod
    def open(cls, db: str | None = None, *, create: bool = True, check: bool = True) -> Self:
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

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
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
        """A session that reads. On PostgreSQL its statements run in autocommit mode: each sees the newest
        commit, as it would in the default READ COMMITTED transaction, without that transaction's BEGIN and
        ROLLBACK, two of a published read's five round trips to the server (issue 24)."""
        if self.engine.dialect.name != "postgresql":
            with Session(self.engine) as session:
                yield session
            return
        with self.engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            with Session(bind=connection) as session:
                yield session
