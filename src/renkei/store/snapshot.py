"""The published registry as one SQLite file (``/downloads/registry.sqlite``), like Datasette's database download.

Only what is public goes in: spheres, municipalities, revisions and their rows, projects and the search text;
never accounts, sessions, tokens, the audit trail or drafts. The rows are read in one transaction (repeatable
read on PostgreSQL, one read transaction on SQLite), so the file is a consistent snapshot whatever is imported
meanwhile, and written with the same table definitions as the store's (``store.schema``), whichever backend
the store runs on.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from sqlalchemy import Table, create_engine, insert, select

from renkei.store.core import Transactions
from renkei.store.schema import PUBLIC_TABLES, Base

_BATCH = 5000


def public_tables() -> list[Table]:
    return [Base.metadata.tables[name] for name in PUBLIC_TABLES]


def snapshot_bytes(database: Transactions) -> bytes:
    """The public tables of the registry, copied into a new SQLite database, as the bytes of its file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "registry.sqlite"
        target = create_engine(f"sqlite:///{path}")
        tables = public_tables()
        Base.metadata.create_all(target, tables=tables)
        source = database.engine
        options = {"isolation_level": "REPEATABLE READ"} if source.dialect.name == "postgresql" else {}
        with source.connect().execution_options(**options) as reading, reading.begin(), target.begin() as writing:
            for table in tables:
                result = reading.execute(select(table))
                while rows := result.mappings().fetchmany(_BATCH):
                    writing.execute(insert(table), [dict(r) for r in rows])
        target.dispose()
        with sqlite3.connect(path) as connection:  # small and whole: no WAL file beside it
            connection.execute("VACUUM")
        connection.close()
        return path.read_bytes()
