"""Shared fixtures: the seed table, the facts a reader must find in it, and skips that CI turns into failures."""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from seedfacts import SeedFacts, derive

ROOT = Path(__file__).resolve().parents[1]
SHARED_SEED = ROOT.parent / "shared" / "seeds" / "000_b04363f4c5aa68b9.txt"
PACKAGED_SEED = ROOT / "src" / "renkei" / "data" / "sample.txt"
# A message key missing from a catalogue, or a parameter its text needs, raises under the tests (also in the
# CLI and server processes they start) instead of showing the key: see renkei.core.messages.
os.environ.setdefault("RENKEI_STRICT_MESSAGES", "1")
# The helpers that split test modules share: their asserts report like the tests' own.
pytest.register_assert_rewrite("api_support", "editing_support", "store_support", "variations_support")


def require(available: bool, reason: str) -> None:
    """Skip a test whose real dependency is absent; under RENKEI_REQUIRE_ALL=1 (CI) fail instead."""
    if available:
        return
    if os.environ.get("RENKEI_REQUIRE_ALL") == "1":
        pytest.fail(f"required for CI but missing: {reason}")
    pytest.skip(reason)


def require_command(name: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"the command {name} is not installed")
    assert path is not None
    return path


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The seed where the repository sits beside ../shared, else the copy the package ships as its sample."""
    return SHARED_SEED if SHARED_SEED.exists() else PACKAGED_SEED


@pytest.fixture(scope="session")
def seed_bytes(seed_path: Path) -> bytes:
    return seed_path.read_bytes()


@pytest.fixture(scope="session")
def facts(seed_bytes: bytes) -> SeedFacts:
    return derive(seed_bytes.decode("utf-8"))


@pytest.fixture(scope="module")
def seed_text(seed_bytes: bytes) -> str:
    return seed_bytes.decode("utf-8")


# Databases: the store's tests run once on SQLite and once on PostgreSQL -------------------------------------

POSTGRES_ENV = "RENKEI_TEST_POSTGRES"
POSTGRES_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_base_url() -> str:
    return os.environ.get(POSTGRES_ENV) or POSTGRES_DEFAULT


@functools.cache
def _postgres_problem(url: str) -> str | None:
    """Why the PostgreSQL server at ``url`` cannot be used, or None when it answers."""
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(url, connect_args={"connect_timeout": 5})
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        finally:
            engine.dispose()
    except Exception as error:  # any failure to connect or to load the driver means: not available
        return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
    return None


@contextlib.contextmanager
def postgres_schema() -> Iterator[str]:
    """A URL pointing at a new, empty schema of the test PostgreSQL (dropped afterwards), or a skip (a failure
    under RENKEI_REQUIRE_ALL=1) when the server cannot be reached. The schema is chosen through the connection's
    search_path, so Alembic, ``Store.open`` and subprocesses given the URL all work inside it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = postgres_base_url()
    problem = _postgres_problem(base)
    require(problem is None, f"PostgreSQL is not reachable at {base} (set {POSTGRES_ENV}): {problem}")
    schema = f"renkei_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        try:
            yield url.render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        admin.dispose()


def rows_of(url: str, sql: str, **params: object) -> list[tuple[Any, ...]]:
    """The rows a statement answers on a database, asked on an engine of its own (made and disposed of here):
    what a test reads of the server beside the store (its catalogue, its sessions)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params).all()]
    finally:
        engine.dispose()


DbFactory = Callable[[], str]


@pytest.fixture(params=["sqlite", "postgresql"])
def db_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_factory(db_backend: str, tmp_path: Path) -> Iterator[DbFactory]:
    """Makes new, empty databases of the test's backend: SQLite files in tmp_path, or PostgreSQL schemas."""
    with contextlib.ExitStack() as stack:
        made = itertools.count(1)

        def new() -> str:
            if db_backend == "sqlite":
                return f"sqlite:///{tmp_path / f'registry-{next(made)}.db'}"
            return stack.enter_context(postgres_schema())

        yield new


@pytest.fixture
def db_url(db_factory: DbFactory) -> str:
    """An empty database, once on SQLite (a file in tmp_path) and once on PostgreSQL (an isolated schema)."""
    return db_factory()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """An empty PostgreSQL schema, for the tests that are not parametrized over backends."""
    with postgres_schema() as url:
        yield url
