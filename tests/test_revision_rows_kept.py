"""A revision's rows kept with its project list (issue 24, ``projectlist.rows_document``, migration 0013): the
vision read from them is the one the long way reads (three reads in a session), after every path that writes a
revision, with the sphere as its row says now (its grade thresholds set after the revision); an older revision,
or a database whose documents are not yet filled, is read the long way. On SQLite and on PostgreSQL."""

from __future__ import annotations

import io
import json

from sqlalchemy import select, update

from conftest import DbFactory
from renkei.ingest import Reading
from renkei.store import SphereSpec, Store, dump, load_into, restore
from renkei.store.projectlist import backfill_rows, read_rows
from renkei.store.rows import document, fetch, load, revision_row, sphere_row
from renkei.store.schema import ProjectListRow, RevisionRow
from renkei.synthetic.synth import synthesize
from renkei.vision.serialize import vision_to_dict

pytest_plugins = ["store_support"]  # the shared fixtures

KEY = "kamikawa-chubu"


def long_way(store: Store, key: str, number: int | None = None):  # type: ignore[no-untyped-def]
    with store.database.read() as session:
        sphere = sphere_row(session, key)
        revision = revision_row(session, sphere, number)
        return load(session, sphere, revision)[0]


def kept(store: Store, key: str, number: int | None = None):  # type: ignore[no-untyped-def]
    with store.engine.connect() as connection:
        return read_rows(connection, key, number)


def assert_kept_alike(store: Store) -> int:
    """Every sphere's newest revision read from its rows kept is the long way's, field by field; the count."""
    checked = 0
    for info in store.spheres():
        if info.latest is None:
            continue
        found, expected = kept(store, info.key), long_way(store, info.key)
        assert found is not None, info.key
        assert found == expected
        assert vision_to_dict(found) == vision_to_dict(expected)  # every field, the payload's figures too
        assert found.sphere == expected.sphere and found.edition == expected.edition
        assert store.vision(info.key) == expected
        checked += 1
    return checked


def test_an_import_keeps_the_newest_rows_and_older_revisions_are_read_the_long_way(two_revisions: Store) -> None:
    store = two_revisions
    assert assert_kept_alike(store) == 1
    assert kept(store, KEY, 2) == long_way(store, KEY, 2)
    assert kept(store, KEY, 1) is None  # the first revision's rows were replaced by the second's
    assert store.vision(KEY, 1) == long_way(store, KEY, 1)
    assert kept(store, "nowhere", None) is None and kept(store, KEY, 9) is None


def test_the_sphere_is_read_as_it_stands_not_as_it_was_written(two_revisions: Store) -> None:
    store = two_revisions
    store.results.set_thresholds(KEY, {"a": 0.9, "b": 0.7, "c": 0.4}, None)
    found = kept(store, KEY)
    assert found is not None and found.sphere.grade_thresholds == (0.9, 0.7, 0.4)
    assert found == long_way(store, KEY)
    assert store.vision(KEY).sphere.grade_thresholds == (0.9, 0.7, 0.4)


def test_a_bulk_import_with_budgets_and_a_restore_keep_the_rows_as_they_read_back(db_factory: DbFactory) -> None:
    spheres = synthesize(4, 11, with_budgets=True)
    with Store.open(db_factory()) as bulk:
        load_into(bulk, spheres)
        assert assert_kept_alike(bulk) == 4
        assert any(p.budgets or p.kpis for info in bulk.spheres() for p in bulk.vision(info.key).projects)
        backup = io.StringIO()
        dump(bulk, backup)
    with Store.open(db_factory()) as restored:
        restore(restored, io.StringIO(backup.getvalue()))
        assert assert_kept_alike(restored) == 4


def test_the_migration_fills_the_rows_of_lists_kept_before_it(two_revisions: Store, seed_reading: Reading) -> None:
    store = two_revisions
    store.import_reading(seed_reading, SphereSpec(key="another", name="別の圏域"), message="another")
    before = {info.key: long_way(store, info.key) for info in store.spheres() if info.latest}
    with store.engine.begin() as connection:
        connection.execute(update(ProjectListRow).values(rows=None))
    assert [kept(store, key) for key in before] == [None] * len(before)
    fresh = Store.open(store.engine.url.render_as_string(hide_password=False))
    assert {key: fresh.vision(key) for key in before} == before  # the long way, until the rows are filled
    with store.engine.begin() as connection:
        backfill_rows(connection)
    assert {key: kept(store, key) for key in before} == before


def test_the_document_kept_is_what_the_rows_read_back_say(db_factory: DbFactory, two_revisions: Store) -> None:
    """The document sets each project row's JSON columns (budgets and KPIs, attributes) into it as the text the
    database holds: decoded, it is what the rows read back say, for every revision, written by the bulk import
    (its own payload text) and by a single import (the ORM's)."""
    with Store.open(db_factory()) as bulk:
        load_into(bulk, synthesize(3, 5, with_budgets=True))
        for store in (bulk, two_revisions):
            with store.engine.connect() as connection:
                revisions = connection.execute(select(RevisionRow)).mappings().all()
                assert revisions
                for revision in revisions:
                    kept_text = document(connection, revision)
                    read_back = json.loads(json.dumps(fetch(connection, revision), ensure_ascii=False))
                    assert json.loads(kept_text) == read_back
        with bulk.engine.connect() as connection:
            texts = [document(connection, r) for r in connection.execute(select(RevisionRow)).mappings().all()]
        assert any('"budgets":[{' in text for text in texts)  # the figures are in it, not left out
