"""The store's backup: dump, restore, round trips between SQLite and PostgreSQL, refused dumps."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from renkei.ingest import Reading
from renkei.store import Store, StoreError, restore
from seedfacts import SeedFacts
from store_support import KEY, dump_text, populate, row_counts

pytest_plugins = ["store_support"]  # the shared fixtures


DbFactory = Callable[[], str]  # the db_factory fixture of conftest.py: a new, empty database of the backend


# 7. Backup --------------------------------------------------------------------------------------------------


def test_dump_restore_dump_is_identical(populated: Store, db_factory: DbFactory) -> None:
    first = dump_text(populated)
    assert first.count("\n") == 1 + 3 + 5  # header, spheres, revisions
    with Store.open(db_factory()) as copy:
        assert restore(copy, io.StringIO(first)) == (3, 5)
        assert dump_text(copy) == first
        assert copy.spheres() == populated.spheres()
        assert copy.diff(KEY, 1, 2) == populated.diff(KEY, 1, 2)
        # Equal scores are ordered by internal row ids, which a restore does not keep: compare as sets.
        assert set(copy.search("観光")[0]) == set(populated.search("観光")[0])


def test_sqlite_to_postgresql_to_sqlite_is_identical(
    tmp_path: Path,
    postgres_url: str,
    seed_reading: Reading,
    edited_reading: Reading,
    broken_reading: Reading,
    facts: SeedFacts,
) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'a.db'}") as original:
        populate(original, seed_reading, edited_reading, broken_reading, facts)
        first = dump_text(original)
    with Store.open(postgres_url) as middle:
        restore(middle, io.StringIO(first))
        second = dump_text(middle)
    assert second == first
    with Store.open(f"sqlite:///{tmp_path / 'b.db'}") as back:
        restore(back, io.StringIO(second))
        assert dump_text(back) == first


def test_restore_into_a_non_empty_registry_is_refused(populated: Store, seed_reading: Reading) -> None:
    text = dump_text(populated)
    counts = row_counts(populated)
    with pytest.raises(StoreError) as refused:
        restore(populated, io.StringIO(text))
    assert refused.value.code == "restore-not-empty"
    assert row_counts(populated) == counts
    assert dump_text(populated) == text


def corrupted(text: str) -> str:
    """The dump with one project's name edited inside the last revision line, its hash left as it was."""
    lines = text.splitlines(keepends=True)
    index = max(i for i, line in enumerate(lines) if json.loads(line).get("type") == "revision")
    record = json.loads(lines[index])
    record["vision"]["projects"][0]["name"] += "（改ざん）"
    lines[index] = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    return "".join(lines)


def test_a_corrupted_dump_is_refused_and_writes_nothing(populated: Store, db_factory: DbFactory) -> None:
    text = corrupted(dump_text(populated))
    with Store.open(db_factory()) as target:
        empty = row_counts(target)
        with pytest.raises(StoreError) as refused:
            restore(target, io.StringIO(text))
        assert refused.value.code == "restore-corrupt"
        assert row_counts(target) == empty
        # An empty registry: no row but the one of its counts (registry_count), which says so.
        assert {table for table, rows in empty.items() if rows} == {"registry_count"}
        assert target.spheres() == []


def test_a_file_that_is_no_dump_is_refused(store: Store) -> None:
    with pytest.raises(StoreError) as refused:
        restore(store, io.StringIO('{"format":"something else"}\n'))
    assert refused.value.code == "restore-format"
    assert store.spheres() == []
