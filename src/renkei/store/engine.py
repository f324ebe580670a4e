"""Database URLs and engines: the embedded SQLite file by default, PostgreSQL by URL.

SQLite runs in WAL mode with foreign keys on. Python's sqlite3 begins transactions lazily, so two writers can
deadlock upgrading their read locks; renkei takes the write lock at the start of a writing transaction
(``BEGIN IMMEDIATE``) and lets readers read the last committed state in parallel.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

ENV = "RENKEI_DB"
WRITE = "renkei_write"


def default_path() -> Path:
    return Path(user_data_dir("renkei", appauthor=False)) / "renkei.db"


def resolve_url(db: str | None = None) -> str:
    """``--db`` as given, else RENKEI_DB, else the embedded file; a bare path means a SQLite file."""
    value = db or os.environ.get(ENV) or str(default_path())
    if "://" in value:
        return value
    path = Path(value).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def describe(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str, **options: Any) -> Engine:
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30}, **options)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **options)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Autocommit at the driver level: SQLAlchemy's "begin" event below issues BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    immediate = connection.get_execution_options().get(WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
