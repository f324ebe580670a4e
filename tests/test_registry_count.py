"""The registry's counts kept by the database's triggers (migration 0012, ``registry_count``): the spheres (on SQLite
and PostgreSQL) and the revisions (on SQLite; NULL on PostgreSQL, which counts them itself) are the rows of
``sphere`` and ``revision`` after every path that writes them (an import, a bulk load, a restore) and after a
sphere is added and removed by hand; a database upgraded from before starts at the rows it holds; and a sphere or
a revision written by another store (another process) moves the generations every published read asks, so that
the next read sees it."""

from __future__ import annotations

import io

from alembic import command
from sqlalchemy import delete, func, inspect, select, text

from conftest import DbFactory
from renkei.ingest import Reading
from renkei.store import SphereSpec, Store, dump, load_into, restore
from renkei.store.schema import RevisionRow, SphereRow
from renkei.synthetic.synth import synthesize

pytest_plugins = ["store_support"]  # the shared fixtures


def counts(store: Store) -> tuple[tuple[int, int | None], tuple[int, int | None]]:
    """((spheres, revisions) as ``registry_count`` says them, the same counted), the revisions counted only where
    the table keeps them (SQLite)."""
    with store.engine.connect() as connection:
        spheres, revisions = connection.execute(text("SELECT spheres, revisions FROM registry_count")).one()
        counted = connection.execute(select(func.count()).select_from(SphereRow)).scalar_one()
        written = connection.execute(select(func.count()).select_from(RevisionRow)).scalar_one()
    postgres = store.engine.dialect.name == "postgresql"
    return (spheres, revisions), (counted, None if postgres else written)


def assert_counted(store: Store, spheres: int) -> None:
    kept, counted = counts(store)
    assert kept == counted
    assert kept[0] == spheres


def test_the_counts_follow_imports_bulk_loads_restores_and_removals(
    db_factory: DbFactory, seed_reading: Reading, edited_reading: Reading
) -> None:
    url = db_factory()
    with Store.open(url) as store:
        assert_counted(store, 0)
        store.import_reading(seed_reading, SphereSpec(key="seed"))
        store.import_reading(edited_reading, SphereSpec(key="seed"), message="edited")
        assert_counted(store, 1)
        load_into(store, synthesize(5, 3))
        assert_counted(store, 6)
        backup = io.StringIO()
        dump(store, backup)
        with store.engine.begin() as connection:  # a sphere added and removed by hand
            connection.execute(
                text(
                    "INSERT INTO sphere (key, name, kind, created_at, listed)"
                    " VALUES ('lone', 'lone', 'teiju', CURRENT_TIMESTAMP, false)"
                )
            )
        assert_counted(store, 7)
        with store.engine.begin() as connection:
            connection.execute(delete(SphereRow).where(SphereRow.key == "lone"))
        assert_counted(store, 6)
    with Store.open(db_factory()) as restored:
        restore(restored, io.StringIO(backup.getvalue()))
        assert_counted(restored, 6)


def test_a_database_from_before_starts_at_the_spheres_it_holds_and_goes_back_down(db_url: str) -> None:
    with Store.open(db_url) as store:
        load_into(store, synthesize(3, 5))
        config = store.alembic_config()
    command.downgrade(config, "0011")
    with Store.open(db_url, check=False) as old:
        with old.engine.connect() as connection:
            assert "registry_count" not in inspect(connection).get_table_names()
        with old.engine.begin() as connection:  # no trigger left behind: an insert still works without the table
            connection.execute(
                text(
                    "INSERT INTO sphere (key, name, kind, created_at, listed)"
                    " VALUES ('later', 'later', 'teiju', CURRENT_TIMESTAMP, false)"
                )
            )
    command.upgrade(config, "head")
    with Store.open(db_url) as upgraded:
        assert_counted(upgraded, 4)


def test_what_another_store_writes_moves_the_generations(
    db_url: str, seed_reading: Reading, edited_reading: Reading
) -> None:
    with Store.open(db_url) as reader, Store.open(db_url) as writer:
        writer.import_reading(seed_reading, SphereSpec(key="first"))
        registry, sphere = reader.generation(), reader.generation("first")
        assert [s.key for s in reader.spheres()] == ["first"]
        assert [r.number for r in reader.history("first")] == [1]
        writer.import_reading(edited_reading, SphereSpec(key="first"), message="edited")
        assert reader.generation() != registry and reader.generation("first") != sphere
        assert [r.number for r in reader.history("first")] == [1, 2]
        registry, sphere = reader.generation(), reader.generation("first")
        writer.import_reading(seed_reading, SphereSpec(key="second"))
        assert reader.generation() != registry
        assert reader.generation("first") != sphere  # a new sphere may replace it
        assert [s.key for s in reader.spheres()] == ["first", "second"]
