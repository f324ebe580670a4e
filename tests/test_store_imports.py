"""Importing into the store: re-imports, gated and forced imports, killed imports, many spheres in one registry."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

import renkei.core.sample
import renkei.ingest
import renkei.ingest.report
from clirun import cli_env
from renkei.ingest import Reading
from renkei.places.municipalities import Registry
from renkei.store import ImportRefused, SphereSpec, Store, StoreError
from renkei.store.faults import POINTS
from renkei.store.schema import MunicipalityRow
from renkei.vision.model import Severity, Sphere, SphereKind
from seedfacts import SeedFacts
from store_support import KEY, OKAYAMA, OKAYAMA_ROWS, OKAYAMA_TOWNS, SUCCESSOR, dump_text, okayama_reading, row_counts
from storedata import (
    Edited,
)

pytest_plugins = ["store_support"]  # the shared fixtures


KILL_WAIT = 60.0


# 3. Re-import -----------------------------------------------------------------------------------------------


def test_reimporting_the_same_file_adds_no_revision(store: Store, seed_path: Path) -> None:
    first = store.import_reading(renkei.ingest.read_path(seed_path, sphere=renkei.core.sample.sample_sphere()))
    assert first.created
    counts = row_counts(store)
    again = store.import_reading(
        renkei.ingest.read_path(seed_path, sphere=renkei.core.sample.sample_sphere()), SphereSpec(key=first.sphere)
    )
    assert again.created is False
    assert again.revision == first.revision
    assert len(store.history(first.sphere)) == 1
    assert row_counts(store) == counts


# 4. Gated imports -------------------------------------------------------------------------------------------


def test_a_file_with_errors_is_refused_and_writes_nothing(
    store: Store, seed_reading: Reading, broken_reading: Reading
) -> None:
    # Into an empty registry: no sphere appears.
    empty = row_counts(store)
    with pytest.raises(ImportRefused) as refused:
        store.import_reading(broken_reading, SphereSpec(key="new-sphere"))
    assert any(f.severity is Severity.ERROR for f in refused.value.findings)
    assert store.spheres() == []
    assert row_counts(store) == empty
    # Into an existing sphere: its history stays as it was.
    store.import_reading(seed_reading, SphereSpec(key=KEY))
    history, counts, before = store.history(KEY), row_counts(store), dump_text(store)
    with pytest.raises(ImportRefused):
        store.import_reading(broken_reading, SphereSpec(key=KEY))
    assert store.history(KEY) == history
    assert row_counts(store) == counts
    assert dump_text(store) == before


def test_forced_import_keeps_its_findings(store: Store, seed_reading: Reading, broken_reading: Reading) -> None:
    store.import_reading(seed_reading, SphereSpec(key=KEY))
    result = store.import_reading(broken_reading, SphereSpec(key=KEY), force=True, message="forced")
    assert result.created and result.revision.number == 2
    expected = renkei.ingest.report.check_reading(broken_reading).findings
    stored = store.revision(KEY, 2).findings
    assert [(f["severity"], f["code"], f["line"]) for f in stored] == [
        (f.severity.value, f.code, f.line) for f in expected
    ]
    assert "error" in {f["severity"] for f in stored}
    assert store.history(KEY)[-1].findings == stored
    assert store.vision(KEY, 2) == broken_reading.vision


# 6. Killed imports ------------------------------------------------------------------------------------------


def integrity(url: str) -> list[tuple[str, ...]]:
    path = make_url(url).database
    assert path
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA integrity_check").fetchall()
    finally:
        connection.close()


@pytest.mark.parametrize("point", POINTS)
def test_a_killed_import_leaves_the_previous_revision(
    db_url: str, point: str, seed_reading: Reading, edited: Edited, edited_reading: Reading, tmp_path: Path
) -> None:
    with Store.open(db_url) as before_kill:
        before_kill.import_reading(seed_reading, SphereSpec(key=KEY))
        before_dump, before_counts = dump_text(before_kill), row_counts(before_kill)
    table = tmp_path / "edited.txt"
    table.write_text(edited.text, encoding="utf-8")
    reached = tmp_path / "checkpoint"
    env = cli_env(RENKEI_CHECKPOINT=point, RENKEI_CHECKPOINT_FILE=str(reached))
    command_line = [sys.executable, "-m", "renkei", "import", str(table), "--db", db_url, "--sphere", KEY]
    with (tmp_path / "out").open("w") as out, (tmp_path / "err").open("w") as err:
        process = subprocess.Popen(command_line, env=env, stdout=out, stderr=err)
        try:
            deadline = time.monotonic() + KILL_WAIT
            # The file appears before its content does: wait for the point's name in it.
            while not (reached.exists() and reached.read_text(encoding="utf-8") == point):
                assert process.poll() is None, f"the import ended before {point}: {(tmp_path / 'err').read_text()}"
                assert time.monotonic() < deadline, f"the import never reached {point}"
                time.sleep(0.05)
            os.kill(process.pid, signal.SIGKILL)
            assert process.wait(timeout=30) == -signal.SIGKILL
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()

    if make_url(db_url).get_backend_name() == "sqlite":
        assert integrity(db_url) == [("ok",)]
    with Store.open(db_url) as after:
        assert after.schema_state() == "current"
        assert len(after.history(KEY)) == 1
        assert after.vision(KEY) == seed_reading.vision
        assert row_counts(after) == before_counts
        assert dump_text(after) == before_dump
        # Nothing is left locked or half written: the same import now goes through.
        assert after.import_reading(edited_reading, SphereSpec(key=KEY)).revision.number == 2
    if make_url(db_url).get_backend_name() == "sqlite":
        assert integrity(db_url) == [("ok",)]


# 10. Many spheres -------------------------------------------------------------------------------------------


def test_many_spheres_in_one_registry(populated: Store, facts: SeedFacts) -> None:
    registry = Registry.default()
    spheres = {s.key: s for s in populated.spheres()}
    assert set(spheres) == {KEY, OKAYAMA.key, SUCCESSOR}
    assert [s.key for s in populated.spheres()] == sorted(spheres)

    seed = spheres[KEY]
    sample = renkei.core.sample.sample_sphere()
    assert (seed.kind, seed.name) == (SphereKind.SETTLEMENT, sample.name)
    assert seed.central_city is not None and sample.central_city is not None
    assert seed.central_city.code == sample.central_city.code
    assert (seed.members, seed.projects) == (len(facts.towns), len(facts.rows))  # revision 3: the forced one
    assert seed.latest is not None and seed.latest.number == 3

    okayama = spheres[OKAYAMA.key or ""]
    central = registry.resolve("岡山市", "岡山県").entry
    assert central is not None
    assert okayama.kind is SphereKind.METROPOLITAN and okayama.prefecture == "岡山県"
    assert okayama.central_city is not None and okayama.central_city.code == central.code
    assert (okayama.members, okayama.projects) == (len(OKAYAMA_TOWNS), len(OKAYAMA_ROWS))
    assert (okayama.plan_start, okayama.plan_end) == (OKAYAMA.plan_start, OKAYAMA.plan_end)
    vision = populated.vision(OKAYAMA.key or "")
    assert [m.code for m in vision.municipalities] == [
        getattr(registry.resolve(name, "岡山県").entry, "code", None) for name in OKAYAMA_TOWNS
    ]
    assert all(m.code for m in vision.municipalities)

    # The successor replaces the seed's sphere, and the link reads both ways.
    successor = spheres[SUCCESSOR]
    assert successor.kind is SphereKind.METROPOLITAN
    assert (successor.replaces, seed.replaced_by) == (KEY, SUCCESSOR)
    assert (seed.replaces, successor.replaced_by, okayama.replaces, okayama.replaced_by) == (None,) * 4
    assert populated.sphere(SUCCESSOR) == successor
    assert populated.sphere(seed.name) == seed  # by its Japanese name as well

    # A municipality in both spheres: one row of the registry, a member of each.
    town = facts.towns[0]
    in_seed = populated.vision(KEY).municipality(town)
    in_successor = populated.vision(SUCCESSOR).municipality(town)
    assert in_seed is not None and in_successor is not None and in_seed.code == in_successor.code
    with populated.read() as session:
        rows = session.scalar(select(func.count()).where(MunicipalityRow.code == in_seed.code))
    assert rows == 1
    assert populated.agreement(SUCCESSOR, town)[1] == populated.agreement(KEY, town)[1]
    assert [s.key for s in populated.memberships(in_seed.code or "")] == sorted([KEY, SUCCESSOR])
    # The central city takes part through its role, not a column: both of its spheres know it.
    assert seed.central_city.code
    assert [s.key for s in populated.memberships(seed.central_city.code)] == sorted([KEY, SUCCESSOR])
    assert [s.key for s in populated.memberships(central.code)] == [OKAYAMA.key]


def test_a_sphere_is_named_by_its_central_city_when_no_key_is_given(store: Store, seed_reading: Reading) -> None:
    result = store.import_reading(seed_reading)
    sample = renkei.core.sample.sample_sphere()
    assert sample.central_city is not None
    assert result.sphere.startswith(str(sample.central_city.code))
    assert store.sphere(result.sphere).kind is sample.kind


def test_a_new_sphere_without_a_name_or_key_is_refused(store: Store) -> None:
    bare = okayama_reading()
    assert bare.vision.sphere == Sphere(prefecture=bare.vision.sphere.prefecture)
    with pytest.raises(StoreError) as no_key:
        store.import_reading(bare)
    assert no_key.value.code == "sphere-key-needed"
    with pytest.raises(StoreError) as no_name:
        store.import_reading(bare, SphereSpec(key="nameless"))
    assert no_name.value.code == "sphere-name-needed"
    with pytest.raises(StoreError) as unknown:
        store.import_reading(bare, SphereSpec(key="k", name="n", central_city="存在しない市"))
    assert unknown.value.code == "municipality-unknown"
    assert store.spheres() == []
