"""The number of spheres kept by the database's triggers (migration 0012, ``sphere_count``): it is the number of
rows of ``sphere`` after every path that makes spheres (an import, a bulk load, a restore) and after a sphere is
removed by hand, on SQLite and on PostgreSQL; a database upgraded from before starts at the spheres it holds; and
a sphere made by another store (another process) moves the generation every published read asks, so that the
next read sees it."""

from __future__ import annotations

import io

from alembic import command
from sqlalchemy import delete, func, inspect, select, text

from conftest import DbFactory
from renkei.ingest import Reading
from renkei.store import SphereSpec, Store, dump, load_into, restore
from renkei.store.schema import SphereRow
from renkei.synthetic.synth import synthesize

pytest_plugins = ["store_support"]  # the shared fixtures


def counts(store: Store) -> tuple[int, int]:
    """(what ``sphere_count`` says, how many rows ``sphere`` has)."""
    with store.engine.connect() as connection:
        kept = connection.execute(text("SELECT spheres FROM sphere_count")).scalar_one()
        return kept, connection.execute(select(func.count()).select_from(SphereRow)).scalar_one()


def test_the_count_follows_imports_bulk_loads_restores_and_removals(
    db_factory: DbFactory, seed_reading: Reading
) -> None:
    url = db_factory()
    with Store.open(url) as store:
        assert counts(store) == (0, 0)
        store.import_reading(seed_reading, SphereSpec(key="seed"))
        assert counts(store) == (1, 1)
        load_into(store, synthesize(5, 3))
        assert counts(store) == (6, 6)
        backup = io.StringIO()
        dump(store, backup)
        with store.engine.begin() as connection:  # a sphere removed by hand, with what hangs on it
            lone = connection.execute(
                text(
                    "INSERT INTO sphere (key, name, kind, created_at, listed)"
                    " VALUES ('lone', 'lone', 'teiju', CURRENT_TIMESTAMP, false)"
                )
            )
            assert lone.rowcount == 1
        assert counts(store) == (7, 7)
        with store.engine.begin() as connection:
            connection.execute(delete(SphereRow).where(SphereRow.key == "lone"))
        assert counts(store) == (6, 6)
    with Store.open(db_factory()) as restored:
        restore(restored, io.StringIO(backup.getvalue()))
        assert counts(restored) == (6, 6)


def test_a_database_from_before_starts_at_the_spheres_it_holds_and_goes_back_down(db_url: str) -> None:
    with Store.open(db_url) as store:
        load_into(store, synthesize(3, 5))
        config = store.alembic_config()
    command.downgrade(config, "0011")
    with Store.open(db_url, check=False) as old:
        with old.engine.connect() as connection:
            assert "sphere_count" not in inspect(connection).get_table_names()
        with old.engine.begin() as connection:  # no trigger left behind: an insert still works without the table
            connection.execute(
                text(
                    "INSERT INTO sphere (key, name, kind, created_at, listed)"
                    " VALUES ('later', 'later', 'teiju', CURRENT_TIMESTAMP, false)"
                )
            )
    command.upgrade(config, "head")
    with Store.open(db_url) as upgraded:
        assert counts(upgraded) == (4, 4)


def test_a_sphere_made_elsewhere_moves_every_generation(db_url: str, seed_reading: Reading) -> None:
    with Store.open(db_url) as reader, Store.open(db_url) as writer:
        writer.import_reading(seed_reading, SphereSpec(key="first"))
        registry, sphere = reader.generation(), reader.generation("first")
        assert [s.key for s in reader.spheres()] == ["first"]
        writer.import_reading(seed_reading, SphereSpec(key="second"))
        assert reader.generation() != registry
        assert reader.generation("first") != sphere  # a new sphere may replace it
        assert [s.key for s in reader.spheres()] == ["first", "second"]
