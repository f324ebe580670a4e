"""A killed ``renkei import --manifest`` leaves nothing behind: kill -9 of the main process at random moments
ends its worker processes (they die with it), leaves no session of it open in PostgreSQL (no "idle in
transaction"), and the rerun succeeds. On SQLite and PostgreSQL."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from clirun import cli_env
from conftest import rows_of

# Kills per backend: 3 here; RENKEI_MANIFEST_KILLS=30 for the sweep quoted in docs/reliability.md.
KILLS = int(os.environ.get("RENKEI_MANIFEST_KILLS", "3"))
SPHERES = 25


def descendants(pid: int) -> set[int]:
    """Every live process under ``pid`` (its workers and their helpers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def import_command(manifest: Path, db: str) -> list[str]:
    return [sys.executable, "-m", "renkei", "import", "--manifest", str(manifest), "--jobs", "2", "--db", db]


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("national")
    command = [sys.executable, "-m", "renkei", "synth", "--spheres", str(SPHERES), "--seed", "11", "-o", str(where)]
    subprocess.run(command, check=True, env=cli_env(), capture_output=True)
    return where


APPLICATION = f"renkei-killed-import-{os.getpid()}"


def sessions_of_the_import(db: str) -> list[tuple[str, str]]:
    """The PostgreSQL sessions the killed imports opened (named by application_name), with their state."""
    sql = "SELECT coalesce(state, ''), coalesce(query, '') FROM pg_stat_activity WHERE application_name = :a"
    return [(str(state), str(query)) for state, query in rows_of(db, sql, a=APPLICATION)]


def test_a_killed_manifest_import_leaves_no_worker_and_no_open_transaction(
    db_url: str, db_backend: str, manifest: Path
) -> None:
    rng = random.Random(20261129)
    env = cli_env()
    normal = time.monotonic()
    first = subprocess.run(import_command(manifest, db_url), env=env, capture_output=True, timeout=600)
    assert first.returncode == 0, first.stderr.decode(errors="replace")
    normal = time.monotonic() - normal
    # Each kill interrupts a rerun over a registry that is written afresh: a new schema or file each time is not
    # needed, since a rerun of the same manifest writes nothing new; so the first import is undone by killing
    # imports into a fresh database of the same backend.
    fresh = db_url.replace("registry", "killed") if db_backend == "sqlite" else db_url
    if db_backend == "postgresql":
        fresh = make_url(db_url).update_query_dict({"application_name": APPLICATION}).render_as_string(False)
        with create_engine(db_url).begin() as connection:
            for table in ("search_doc", "participation", "revision_project", "revision_municipality", "revision"):
                connection.execute(text(f"DELETE FROM {table}"))
            for table in ("project", "sphere"):
                connection.execute(text(f"DELETE FROM {table}"))
    for _ in range(KILLS):
        process = subprocess.Popen(
            import_command(manifest, fresh), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
            workers = {pid for pid in descendants(process.pid) if alive(pid)}
            time.sleep(0.05)
        assert process.poll() is None, "the import ended before its workers could be seen"
        time.sleep(rng.uniform(0.0, min(normal, 3.0)))
        workers |= descendants(process.pid)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
        gone_by = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < gone_by:
            time.sleep(0.1)
        assert not [pid for pid in workers if alive(pid)], "workers outlived the killed import"
        if db_backend == "postgresql":
            settle = time.monotonic() + 10
            while sessions_of_the_import(db_url) and time.monotonic() < settle:
                time.sleep(0.2)
            assert sessions_of_the_import(db_url) == []
    started = time.monotonic()
    rerun = subprocess.run(import_command(manifest, fresh), env=env, capture_output=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr.decode(errors="replace")
    assert time.monotonic() - started < max(3 * normal, 30)
