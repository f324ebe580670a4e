"""The kill -9 sweep: writes killed at random points leave the registry whole, and a rerun succeeds.

    .venv/bin/python scripts/killsweep.py --points 30                 # every path on both backends
    .venv/bin/python scripts/killsweep.py --quick                     # 1 point per path and backend (CI)
    .venv/bin/python scripts/killsweep.py --paths import --backends sqlite --points 10

Five paths, each a process of its own killed with SIGKILL:
- ``import``: ``renkei import EDITED --sphere KEY`` over a registry holding the sample (revision 1), EDITED being
  the sample with one project renamed;
- ``webimport``: the same file imported through the web app (``web.imports.do_import``, which the import page's
  confirmation and ``POST /api/spheres/{key}/revisions`` share) by a process running the app in-process, with a
  secretariat's API token: the upload is read in the app's reader processes, which must die with it;
- ``manifest``: ``renkei import --manifest DIR`` of a small synthetic national set (3 spheres, 2 years) into an
  empty registry;
- ``publish``: a draft (one ○ toggled) published through the store's API (``Store.drafts.publish``);
- ``rebase``: a draft made on revision 1 moved onto revision 2 (``Store.drafts.rebase``).

Half the points are the named checkpoints of ``renkei.store.faults`` (the process waits there and is killed),
the other half times drawn at random within an unkilled run's duration (a time after the end of a faster run is
counted apart as "not killed" and another is drawn, so each half has the kills asked). After each kill the
registry must be whole: SQLite's integrity_check and foreign_key_check clean; every table's row count either that
of before the run or that of an unkilled run's end (no leftover rows); the newest visions either the old or the
new ones.
Every process the killed one had started (the web app's readers, the manifest's workers) must be gone within
20 seconds (a reader killed while it is still being spawned imports the parent's main module before it can ask
for its parent-death signal; on a crowded machine that takes seconds, then it sees its parent gone and ends),
and on PostgreSQL no session of the killed process (by its ``application_name``) may be left, idle in a
transaction or otherwise. Then the run is repeated unkilled and must succeed and end in the unkilled run's
state. A JSON summary is printed (and written to ``--report``); docs/reliability.md quotes it. Exit 1 when any
point failed.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from renkei.ingest import read_path, read_sample
from renkei.render import render
from renkei.store import SphereSpec, Store
from renkei.store.faults import POINTS
from renkei.store.schema import Base
from renkei.vision.model import Role

KEY = "kamikawa-chubu"
POSTGRES = os.environ.get("RENKEI_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# Tables whose rows a rerun may add by design (a sign of who did what), not a half write.
SKIPPED_TABLES = {"audit", "web_session"}
PUBLISHER = "publisher"
# The named checkpoints each path passes (a manifest import writes a few spheres at a time: the points of each
# such write, the first one waiting there, with the earlier spheres' rows already written in the transaction).
REACHED = {
    "import": POINTS,
    "webimport": POINTS,
    "manifest": ("revision", "projects", "search", "commit"),
    "publish": POINTS,
    "rebase": ("commit",),
}
APPLICATION = "renkei-killsweep"  # the application_name of the killed processes' PostgreSQL sessions


@dataclasses.dataclass
class Outcome:
    path: str
    backend: str
    point: str
    state: str  # "old", "new", or what was wrong
    rerun: str  # "ok" or what went wrong


# Databases ---------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def database(backend: str, workdir: Path) -> Iterator[str]:
    """A new, empty database: a SQLite file, or a PostgreSQL schema dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{workdir / f'registry-{uuid.uuid4().hex[:8]}.db'}"
        return
    schema = f"renkei_kill_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield make_url(POSTGRES).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def row_counts(url: str) -> dict[str, int]:
    with Store.open(url) as store, store.engine.connect() as connection:
        tables = [t for t in Base.metadata.sorted_tables if t.name not in SKIPPED_TABLES]
        return {t.name: connection.scalar(select(func.count()).select_from(t)) or 0 for t in tables}


def visions(url: str) -> dict[str, object]:
    """The newest vision of every sphere, with the draft's version where one is open."""
    with Store.open(url) as store:
        out: dict[str, object] = {}
        for info in store.spheres():
            out[info.key] = store.vision(info.key)
        return out


def integrity(url: str) -> str | None:
    """What SQLite's own checks find wrong in the file, or None."""
    if make_url(url).get_backend_name() != "sqlite":
        return None
    connection = sqlite3.connect(make_url(url).database or "")
    try:
        found = connection.execute("PRAGMA integrity_check").fetchall()
        keys = connection.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        connection.close()
    if found != [("ok",)]:
        return f"integrity_check: {found[:3]}"
    return f"foreign_key_check: {keys[:3]}" if keys else None


# The three paths ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Path_:
    name: str
    workdir: Path

    def prepare(self, url: str) -> None:
        """The registry before the run."""
        with Store.open(url) as store:
            store.upgrade()
            if self.name != "manifest":
                store.import_reading(read_sample(), SphereSpec(key=KEY, name=read_sample().vision.sphere.name))
            if self.name in ("publish", "webimport", "rebase"):
                store.accounts.add(PUBLISHER, "a long enough password 1234")
                from renkei.core.permissions import RoleName

                store.accounts.grant(PUBLISHER, KEY, RoleName.SECRETARIAT)
            if self.name == "webimport":
                _, token = store.accounts.create_token(PUBLISHER, "killsweep")
                (self.workdir / f"token-{_tag(url)}").write_text(token)
            if self.name in ("publish", "rebase"):
                draft = store.drafts.get(KEY)  # the newest revision as a draft, with each project's serial
                first, town = draft.projects[0], draft.vision.municipalities[0].name
                role = None if town in first.project.participants else Role.MEMBER
                store.drafts.set_mark(KEY, first.serial, town, role, first.version, _actor(store))  # type: ignore[arg-type]
            if self.name == "rebase":  # a newer revision under the draft: the draft is stale
                store.import_reading(read_path(self.edited()), SphereSpec(key=KEY))

    def command(self, plain: str) -> list[str]:
        url = _named(plain)  # the run's sessions are told apart from this process's own (prepare, judge)
        if self.name == "import":
            return [sys.executable, "-m", "renkei", "import", str(self.edited()), "--db", url, "--sphere", KEY]
        if self.name == "manifest":
            return [sys.executable, "-m", "renkei", "import", "--manifest", str(self.national()), "--db", url]
        if self.name == "webimport":
            token = (self.workdir / f"token-{_tag(plain)}").read_text()
            return [sys.executable, __file__, "--web-import-child", url, str(self.edited()), token]
        return [sys.executable, __file__, f"--{self.name}-child", url]

    def edited(self) -> Path:
        path = self.workdir / "edited.txt"
        if not path.exists():
            vision = read_sample().vision
            vision.projects[0].name += "（改）"
            path.write_bytes(render(vision, "official"))
        return path

    def national(self) -> Path:
        directory = self.workdir / "national"
        if not directory.exists():
            command = [sys.executable, "-m", "renkei", "synth", "--spheres", "3", "--years", "2", "--seed", "7"]
            subprocess.run([*command, "-o", str(directory)], check=True, capture_output=True)
        return directory

    def done(self, url: str, output: str) -> bool:
        """Whether a rerun is needed: a publish that went through leaves no draft to publish again."""
        if self.name != "publish":
            return False
        with Store.open(url) as store:
            return not store.drafts.get(KEY).exists


def _actor(store: Store) -> object:
    from renkei.store import Actor

    principal = store.accounts.principal(store.accounts.get(PUBLISHER).id)
    return Actor(principal, "killsweep")


def _named(url: str) -> str:
    """The database's URL for the run's process: on PostgreSQL with an ``application_name`` of this database's
    own (other sweeps and tests may be running beside this one)."""
    if make_url(url).get_backend_name() == "sqlite":
        return url
    return make_url(url).update_query_dict({"application_name": f"{APPLICATION}-{_tag(url)}"}).render_as_string(False)


def _tag(url: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, url).hex[:12]


def publish_child(url: str) -> None:
    with Store.open(url) as store:
        store.drafts.publish(KEY, "killsweep", _actor(store))  # type: ignore[arg-type]


def rebase_child(url: str) -> None:
    with Store.open(url) as store:
        store.drafts.rebase(KEY, _actor(store))  # type: ignore[arg-type]


def web_import_child(url: str, path: str, token: str) -> None:
    """The web app in this process; the file imported through its API, read by the app's reader processes."""
    from fastapi.testclient import TestClient

    from renkei.web.app import create_app

    with Store.open(url) as store, TestClient(create_app(store)) as client:
        files = {"file": (Path(path).name, Path(path).read_bytes())}
        headers = {"Authorization": f"Bearer {token}"}
        answer = client.post(f"/api/spheres/{KEY}/revisions", files=files, headers=headers)
        if answer.status_code not in (200, 201):
            raise SystemExit(f"{answer.status_code}: {answer.text[:500]}")


# One point ---------------------------------------------------------------------------------------------------


def run(command: list[str], env: dict[str, str], kill_at: float | None = None, point: str | None = None,
        reached: Path | None = None, timeout: float = 600) -> tuple[int | None, str]:  # fmt: skip
    """Run a command; kill it after ``kill_at`` seconds or once at ``point``. (exit status or None, stderr); the
    processes it had started are in ``run.started`` after a kill, the length of a run that ended in ``run.seconds``."""
    run.started = []  # type: ignore[attr-defined]
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=err)
        start = time.monotonic()
        try:
            while process.poll() is None:
                elapsed = time.monotonic() - start
                at_point = (
                    point is not None and reached is not None and reached.exists() and reached.read_text() == point
                )
                if (kill_at is not None and elapsed >= kill_at) or at_point:
                    run.started = descendants(process.pid)  # type: ignore[attr-defined]
                    os.kill(process.pid, signal.SIGKILL)
                    process.wait()
                    err.seek(0)
                    return None, err.read().decode("utf-8", "replace")
                if elapsed > timeout:
                    raise TimeoutError(command)
                time.sleep(0.005)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        run.seconds = time.monotonic() - start  # type: ignore[attr-defined]
        err.seek(0)
        return process.returncode, err.read().decode("utf-8", "replace")


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = Path(f"/proc/{entry}/stat").read_text()
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        below = [p for p, parent in parents.items() if parent in frontier]
        found += below
        frontier = below
    return found


def orphans(pids: list[int], seconds: float = 20.0) -> list[int]:
    """The processes of ``pids`` still alive (not zombies) after waiting up to ``seconds``."""
    until = time.monotonic() + seconds
    while True:
        alive = [p for p in pids if _alive(p)]
        if not alive or time.monotonic() > until:
            return alive
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def sessions(url: str) -> list[str]:
    """The states of the PostgreSQL sessions of the killed processes (none once the kill is noticed)."""
    if make_url(url).get_backend_name() == "sqlite":
        return []
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    try:
        until = time.monotonic() + 5.0
        while True:
            with admin.connect() as connection:
                query = text("SELECT coalesce(state, '') FROM pg_stat_activity WHERE application_name = :a")
                name = make_url(_named(url)).query.get("application_name")
                found = [str(s) for s in connection.execute(query, {"a": name}).scalars()]
            if not found or time.monotonic() > until:
                return found
            time.sleep(0.2)
    finally:
        admin.dispose()


@dataclasses.dataclass
class Reference:
    seconds: float
    before: dict[str, int]
    after: dict[str, int]
    old: dict[str, object]
    new: dict[str, object]


def reference(path: Path_, backend: str, env: dict[str, str]) -> Reference:
    with database(backend, path.workdir) as url:
        path.prepare(url)
        before, old = row_counts(url), visions(url)
        start = time.monotonic()
        status, err = run(path.command(url), env)
        seconds = time.monotonic() - start
        if status != 0:
            raise SystemExit(f"the unkilled {path.name} run on {backend} failed: {err[-2000:]}")
        return Reference(seconds, before, row_counts(url), old, visions(url))


def one_point(path: Path_, backend: str, env: dict[str, str], ref: Reference, point: str | float) -> Outcome | None:
    with database(backend, path.workdir) as url:
        path.prepare(url)
        reached = path.workdir / f"reached-{uuid.uuid4().hex[:8]}"
        if isinstance(point, str):
            env = {**env, "RENKEI_CHECKPOINT": point, "RENKEI_CHECKPOINT_FILE": str(reached)}
            status, err = run(path.command(url), env, point=point, reached=reached)
            label = point
        else:
            status, err = run(path.command(url), env, kill_at=point)
            label = f"{point:.2f}s"
        if status is not None:  # ended before the point: not a kill (a checkpoint this path never reaches)
            return None if isinstance(point, str) else Outcome(path.name, backend, label, "not-killed", "ok")
        left = orphans(run.started)  # type: ignore[attr-defined]
        open_sessions = sessions(url)
        state = judge(url, ref)
        if left:
            state = f"orphans: {len(left)} processes outlived the kill"
        elif open_sessions:
            state = f"sessions left: {open_sessions}"
        env = {k: v for k, v in env.items() if not k.startswith("RENKEI_CHECKPOINT")}
        rerun = "ok"
        if not path.done(url, err):
            status, err = run(path.command(url), env)
            if status != 0:
                rerun = f"exit {status}: {err.strip()[-300:]}"
        if rerun == "ok" and (row_counts(url) != ref.after or visions(url) != ref.new):
            rerun = "the rerun did not end in the unkilled run's state"
        return Outcome(path.name, backend, label, state, rerun)


def judge(url: str, ref: Reference) -> str:
    problem = integrity(url)
    if problem is not None:
        return problem
    try:
        with Store.open(url) as store:
            if store.schema_state() != "current":
                return f"schema {store.schema_state()}"
        counts, seen = row_counts(url), visions(url)
    except Exception as error:  # a registry that cannot be opened or read is what this sweep looks for
        return f"unreadable: {type(error).__name__}: {error}"
    if counts == ref.before and seen == ref.old:
        return "old"
    if counts == ref.after and seen == ref.new:
        return "new"
    moved = {
        t: (ref.before.get(t), n, ref.after.get(t))
        for t, n in counts.items()
        if n not in (ref.before.get(t), ref.after.get(t))
    }
    return f"half: {moved or 'visions differ'}"


# The sweep ---------------------------------------------------------------------------------------------------


def _note(outcomes: list[Outcome], outcome: Outcome | None) -> None:
    if outcome is not None:
        outcomes.append(outcome)
        print(json.dumps(dataclasses.asdict(outcome), ensure_ascii=False), file=sys.stderr, flush=True)


def sweep(args: argparse.Namespace) -> dict[str, object]:
    rng = random.Random(args.seed)
    env = {**os.environ, "LANG": "C.UTF-8"}
    env.pop("RENKEI_DEBUG", None)
    outcomes: list[Outcome] = []
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="renkei-killsweep-") as tmp:
        for name in args.paths:
            path = Path_(name, Path(tmp) / name)
            path.workdir.mkdir()
            for backend in args.backends:
                ref = reference(path, backend, env)
                timings[f"{name}/{backend}"] = round(ref.seconds, 2)
                reached = REACHED[name]
                named = [reached[i % len(reached)] for i in range((args.points + 1) // 2)] if reached else []
                for point in named:
                    _note(outcomes, one_point(path, backend, env, ref, point))
                # Times up to 95% of an unkilled run: from the interpreter's start to the last writes. A time after
                # the end of a run faster than the reference killed nothing: it is counted apart, the bound comes
                # down to that run's length and another time is drawn, until the points asked were killed.
                bound, killed, tries = 0.95 * ref.seconds, 0, 0
                while killed < args.points - len(named) and tries < 3 * args.points:
                    tries += 1
                    outcome = one_point(path, backend, env, ref, rng.uniform(0.0, bound))
                    _note(outcomes, outcome)
                    if outcome is not None and outcome.state == "not-killed":
                        bound = min(bound, 0.95 * run.seconds)  # type: ignore[attr-defined]
                    else:
                        killed += 1
    failed = [o for o in outcomes if o.state not in ("old", "new", "not-killed") or o.rerun != "ok"]
    groups: dict[str, dict[str, int]] = {}
    for o in outcomes:
        group = groups.setdefault(
            f"{o.path}/{o.backend}", {"points": 0, "old": 0, "new": 0, "not-killed": 0, "failed": 0}
        )
        group["points"] += 1
        group[o.state if o.state in ("old", "new", "not-killed") else "failed"] += 1
        group["failed"] += o.state in ("old", "new", "not-killed") and o.rerun != "ok"
    return {"groups": groups, "unkilled_seconds": timings, "failures": [dataclasses.asdict(o) for o in failed]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", type=int, default=30, help="kill points per path and backend")
    parser.add_argument("--paths", default="import,webimport,manifest,publish,rebase")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="1 point per path and backend (a named checkpoint)")
    parser.add_argument("--report", type=Path)
    parser.add_argument("--publish-child", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--rebase-child", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--web-import-child", nargs=3, metavar=("URL", "FILE", "TOKEN"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.publish_child:
        publish_child(args.publish_child)
        return
    if args.rebase_child:
        rebase_child(args.rebase_child)
        return
    if args.web_import_child:
        web_import_child(*args.web_import_child)
        return
    args.paths, args.backends = args.paths.split(","), args.backends.split(",")
    if args.quick:
        args.points = 1
    summary = sweep(args)
    text_ = json.dumps(summary, ensure_ascii=False, indent=1)
    print(text_)
    if args.report:
        args.report.write_text(text_ + "\n", encoding="utf-8")
    raise SystemExit(1 if summary["failures"] else 0)


if __name__ == "__main__":
    main()
