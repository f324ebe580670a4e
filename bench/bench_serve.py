"""Serving benchmark: the same SQLite file served by renkei and by Datasette (immutable), driven by wrk on
loopback at 1, 8 and 32 connections, for equivalent reads.

    python bench/bench_serve.py            # 170 spheres, 10 s per measurement, appends to docs/benchmarks.md
    python bench/bench_serve.py --quick    # 3 spheres, 1 s per measurement (the smoke run)
    python bench/bench_serve.py --spheres 1700 --reads rotating --workers 2 --connections 8 --postgres
                                           # the rotating reads at ten times the country, SQLite and PostgreSQL

The reads: one sphere's project list as JSON (the largest sphere), one municipality's projects as JSON (the one
in the most spheres), a full-text search for 観光, renkei's matrix page of the largest sphere (no Datasette
equivalent), the home page (Datasette: the sphere list as JSON), and the country's counts of 2024-04-01
(`/api/country`; Datasette: the same counts in SQL). The rotating reads ask for every sphere's project list
(JSON) and every sphere's page in turn, each wrk thread from its own place in the list, so that what one
sphere's first answer costs is measured, not a kept answer (Datasette: the same SQL for every sphere in turn).
`--reads` picks some of them (`--reads rotating` for the rotating ones). After the measurements the resident
memory (VmRSS) of every renkei server process (the workers and their supervisor) is read and reported.
The registry holds the synthetic spheres and, beside them,
the real country's list (`renkei.national.country`), as `renkei serve` loads it. Datasette gets the SQL of
bench/common.py (and of this file) as ?sql= queries with _shape=array on a copy of the file (immutable mode
needs a file nobody writes); renkei gets its own API. Both run in the same run, one after the
other, never at the same time. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    SQL_MUNICIPALITY_PROJECTS,
    SQL_SEARCH,
    SQL_SPHERE_PROJECTS,
    datasette_command,
    free_port,
    parser,
    publish,
    spheres_of,
    synthetic_spheres,
    table,
    targets,
)

LUA = Path(__file__).resolve().parent / "wrk_report.lua"
QUERIES = (
    "sphere projects (JSON)",
    "municipality projects (JSON)",
    "search 観光 (JSON)",
    "matrix page (HTML)",
    "home page (HTML)",
    "country counts 2024-04-01 (JSON)",
    "rotating sphere projects (JSON)",
    "rotating sphere page (HTML)",
)
# A read is one URL, or a list of them (the rotating reads) that wrk asks for in turn.
Read = str | list[str] | None
COUNTRY_DATE = "2024-04-01"
# The country's counts of a date as SQL for Datasette: current spheres per kind, municipalities 延べ and distinct.
SQL_COUNTRY = """
SELECT s.kind, count(DISTINCT s.id) AS spheres, count(m.id) AS gross, count(DISTINCT m.municipality_id) AS towns
FROM sphere s JOIN membership m ON m.sphere_id = s.id
WHERE (s.abolished_on IS NULL OR s.abolished_on > :date)
  AND (m.start_on IS NULL OR m.start_on <= :date) AND (m.end_on IS NULL OR m.end_on >= :date)
GROUP BY s.kind
"""
SQL_HOME = "SELECT key, name, kind, prefecture FROM sphere WHERE abolished_on IS NULL ORDER BY name, key"


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    base: str
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def start(name: str, command: list[str], port: int, probe: str, log: Path) -> Server:
    out = log.open("wb")
    process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(name, process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(server.base + probe, timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{name} did not answer within 60 s: {log.read_text(errors='replace')[-2000:]}")


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200, url
        data: bytes = response.read()
        return data


def rotating_script(paths: list[str], where: Path) -> Path:
    """A wrk script that asks for ``paths`` in turn, each thread from its own place in the list, and reports as
    ``wrk_report.lua`` does."""
    listed = ",\n".join(json.dumps(p) for p in paths)
    script = where / f"rotate-{abs(hash(tuple(paths)))}.lua"
    script.write_text(
        f"paths = {{\n{listed}\n}}\n"
        "local threads = 0\n"
        "setup = function(thread) thread:set('start', threads * 7919) threads = threads + 1 end\n"
        "init = function(args) counter = tonumber(start) or 0 end\n"
        "request = function()\n"
        "  counter = counter + 1\n"
        "  return wrk.format('GET', paths[(counter % #paths) + 1])\n"
        "end\n" + LUA.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    return script


def wrk(read: str | list[str], connections: int, seconds: float) -> dict[str, Any]:
    threads = max(1, min(connections, 2))
    duration = f"{max(1, round(seconds))}s"
    if isinstance(read, list):  # the rotating reads: the base URL, then the paths in the script
        base = read[0].split("/", 3)
        url = "/".join(base[:3]) + "/"
        script = rotating_script(["/" + u.split("/", 3)[3] for u in read], Path(tempfile.gettempdir()))
    else:
        url, script = read, LUA
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t",
                str(threads),
                "-c",
                str(connections),
                "-d",
                duration,
                "--timeout",
                "10s",
                "-s",
                str(script),
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        if script != LUA:  # a rotating read's script, made for this measurement
            script.unlink(missing_ok=True)
    line = next(line for line in reversed(out.splitlines()) if line.startswith("{"))
    result: dict[str, Any] = json.loads(line)
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def renkei_urls(base: str, t: dict[str, str], keys: list[str]) -> list[Read]:
    return [
        f"{base}/api/spheres/{t['sphere']}/projects",
        f"{base}/api/municipalities/{t['municipality']}",
        f"{base}/api/search?q={quote(t['word'])}",
        f"{base}/spheres/{t['sphere']}",
        f"{base}/",
        f"{base}/api/country?date={COUNTRY_DATE}",
        [f"{base}/api/spheres/{quote(k)}/projects" for k in keys],
        [f"{base}/spheres/{quote(k)}" for k in keys],
    ]


def datasette_urls(base: str, db: str, t: dict[str, str], keys: list[str]) -> list[Read]:
    def query(sql: str, **params: str) -> str:
        return f"{base}/{db}.json?" + urlencode({"sql": " ".join(sql.split()), **params, "_shape": "array"})

    return [
        query(SQL_SPHERE_PROJECTS, key=t["sphere"]),
        query(SQL_MUNICIPALITY_PROJECTS, code=t["municipality"]),
        query(SQL_SEARCH, pattern=f"%{t['word']}%"),
        None,
        query(SQL_HOME),
        query(SQL_COUNTRY, date=COUNTRY_DATE),
        [query(SQL_SPHERE_PROJECTS, key=k) for k in keys],
        None,
    ]


def measure(
    server: Server, reads: list[Read], connections: list[int], seconds: float, chosen: set[int]
) -> dict[tuple[int, int], dict[str, Any]]:
    results: dict[tuple[int, int], dict[str, Any]] = {}
    for q, read in enumerate(reads):
        if read is None or q not in chosen:
            continue
        # A rotating read warms the workers on one sphere (the last in the list), never on the ones it measures.
        url = read[-1] if isinstance(read, list) else read
        body = fetch(url)
        assert body, url
        if seconds >= 2:
            # Warm every worker's caches: fresh connections land on any worker, and a worker left cold would
            # answer the measurement's first request in most of a second, which wrk's coordinated-omission
            # correction turns into hundreds of samples (wg/wrk#438: a p99 of 0.4 s at a p50 of 0.5 ms).
            for _ in range(16):
                fetch(url)
            wrk(url, max(16, *connections), 2.0)
        else:
            for _ in range(3):
                fetch(url)
        for c in connections:
            print(f"  {server.name}: {QUERIES[q]} at {c} connections …", file=sys.stderr)
            results[(q, c)] = wrk(read, c, seconds) | {"size": len(body)}
    return results


def resident(pid: int) -> dict[int, int]:
    """VmRSS in bytes of a process and of every process under it (a server's workers, their readers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found: dict[int, int] = {}
    todo = [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        kb = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        found[current] = kb * 1024
    return found


def build(n: int, seed: int, path: Path) -> list[Any]:
    from renkei.national.country import shipped
    from renkei.store import Store, load_into

    spheres = synthetic_spheres(n, seed)
    if not path.exists():
        print(f"loading {n} spheres and the country's list into {path} …", file=sys.stderr)
        with Store.open(str(path)) as store:
            load_into(store, spheres)
            store.country.merge(shipped(), source="country.csv")  # as `renkei serve` does the first time
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return spheres


def main(argv: list[str] | None = None) -> None:
    p = parser(__doc__.splitlines()[0] if __doc__ else "serving benchmark")
    p.add_argument("--db", type=Path, help="Reuse this SQLite file (built with the same --spheres and --seed).")
    p.add_argument("--seconds", type=float, default=None, help="Seconds per measurement (10; 1 with --quick).")
    p.add_argument("--workers", default=None, help="renkei worker counts, comma-separated (1,nproc; 1 quick).")
    p.add_argument("--connections", default=None, help="Comma-separated (1,8,32; 1,8 with --quick).")
    p.add_argument(
        "--reads",
        default=None,
        help="Reads to measure: words of their names, comma-separated (e.g. 'rotating'); all by default.",
    )
    p.add_argument(
        "--postgres",
        action="store_true",
        help="Also serve the same registry from PostgreSQL (RENKEI_TEST_POSTGRES, a fresh schema, dropped after).",
    )
    args = p.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="renkei-serve-") as tmp:
        body = run(args, Path(tmp))
    publish(args, f"Serving: renkei and Datasette ({spheres_of(args)} spheres)", body, started)


def run(args: argparse.Namespace, tmp: Path) -> str:
    n = spheres_of(args)
    seconds = args.seconds or (1.0 if args.quick else 10.0)
    connections = [int(c) for c in (args.connections or ("1,8" if args.quick else "1,8,32")).split(",")]
    workers = [int(w) for w in (args.workers or ("1" if args.quick else f"1,{os.cpu_count() or 1}")).split(",")]
    workers = list(dict.fromkeys(workers))
    db = args.db or tmp / "registry.db"
    spheres = build(n, args.seed, db)
    t = targets(spheres)
    copy_dir = tmp / "datasette"
    copy_dir.mkdir()
    copy = copy_dir / "registry.db"
    shutil.copyfile(db, copy)

    words = [w.strip() for w in (args.reads or "").split(",") if w.strip()]
    chosen = {q for q, name in enumerate(QUERIES) if not words or any(w in name for w in words)}
    keys = [s.key for s in spheres]  # every synthetic sphere, in the order they were made
    runs: dict[str, dict[tuple[int, int], dict[str, Any]]] = {}
    memory: dict[str, dict[int, int]] = {}
    asked = Measured(t, keys, connections, seconds, chosen)
    runs.update(serve_each("renkei", str(db), workers, tmp, asked, memory))
    if args.postgres:
        runs.update(_postgres_runs(spheres, workers, tmp, asked, memory))
    port = free_port()
    command = datasette_command(copy, port, 10000)
    server = start("Datasette", command, port, "/registry.json", tmp / "datasette.log")
    try:
        reads = datasette_urls(server.base, "registry", t, keys)
        runs["Datasette"] = measure(server, reads, connections, seconds, chosen)
    finally:
        server.stop()
    return report(n, t, runs, connections, seconds, workers, memory)


@dataclass
class Measured:
    """What each renkei server is asked: the targets, the spheres' keys, the connections, the seconds, the reads."""

    targets: dict[str, str]
    keys: list[str]
    connections: list[int]
    seconds: float
    chosen: set[int]


def serve_each(
    name: str, db: str, workers: list[int], tmp: Path, asked: Measured, memory: dict[str, dict[int, int]]
) -> dict[str, dict[tuple[int, int], dict[str, Any]]]:
    """``renkei serve --db DB`` with each worker count in turn, measured, its processes' memory read after."""
    runs: dict[str, dict[tuple[int, int], dict[str, Any]]] = {}
    for w in workers:
        port = free_port()
        command = [sys.executable, "-m", "renkei", "serve", "--db", db, "--port", str(port), "--workers", str(w)]
        log = tmp / f"{name.replace(' ', '-').lower()}-{w}.log"
        server = start(f"{name} w={w}", command, port, "/api/spheres", log)
        try:
            urls = renkei_urls(server.base, asked.targets, asked.keys)
            runs[server.name] = measure(server, urls, asked.connections, asked.seconds, asked.chosen)
            memory[server.name] = resident(server.process.pid)
        finally:
            server.stop()
    return runs


def _postgres_runs(
    spheres: list[Any], workers: list[int], tmp: Path, asked: Measured, memory: dict[str, dict[int, int]]
) -> dict[str, dict[tuple[int, int], dict[str, Any]]]:
    """The same registry loaded into a fresh PostgreSQL schema (as ``renkei synth --db`` and ``renkei serve``
    load it) and served by ``renkei serve`` with each worker count; the schema is dropped afterwards."""
    from bench_import import POSTGRES_DEFAULT, drop_schema, postgres_schema

    from renkei.national.country import shipped
    from renkei.store import Store, load_into

    base = os.environ.get("RENKEI_TEST_POSTGRES", POSTGRES_DEFAULT)
    made = postgres_schema(base)
    if isinstance(made, str):
        print(f"PostgreSQL skipped: {made}", file=sys.stderr)
        return {}
    url, schema = made
    runs: dict[str, dict[tuple[int, int], dict[str, Any]]] = {}
    try:
        print(f"loading {len(spheres)} spheres and the country's list into PostgreSQL …", file=sys.stderr)
        with Store.open(url) as store:
            load_into(store, spheres)
            store.country.merge(shipped(), source="country.csv")
        runs = serve_each("renkei PG", url, workers, tmp, asked, memory)
    finally:
        drop_schema(base, schema)
    return runs


def report(
    n: int,
    t: dict[str, str],
    runs: dict[str, dict[tuple[int, int], dict[str, Any]]],
    connections: list[int],
    seconds: float,
    workers: list[int],
    memory: dict[str, dict[int, int]] | None = None,
) -> str:
    names = list(runs)
    headers = ["read", "conns"]
    for name in names:
        headers += [f"{name} req/s", "p50 ms", "p99 ms"]
    headers += ["best renkei / Datasette req/s"]
    # With --postgres: SQLite's requests per second over PostgreSQL's, at the most workers both ran.
    both = [w for w in workers if f"renkei w={w}" in runs and f"renkei PG w={w}" in runs]
    if both:
        headers += [f"SQLite / PG req/s (w={both[-1]})"]
    rows = []
    errors = []
    for q, query in enumerate(QUERIES):
        if not any((q, c) in r for r in runs.values() for c in connections):
            continue
        for c in connections:
            row: list[object] = [query, c]
            best = 0.0
            for name in names:
                r = runs[name].get((q, c))
                if r is None:
                    row += ["—", "—", "—"]
                    continue
                row += [round(r["rps"]), f"{r['p50_us'] / 1000:.1f}", f"{r['p99_us'] / 1000:.1f}"]
                if name.startswith("renkei w="):  # SQLite's, the file Datasette serves
                    best = max(best, r["rps"])
                bad = r["status_errors"] + r["connect_errors"] + r["read_errors"] + r["timeouts"]
                if bad:
                    errors.append(f"{name}, {query}, {c} connections: {bad} failed requests")
            peer = runs.get("Datasette", {}).get((q, c))
            row.append(f"{best / peer['rps']:.2f}" if peer else "—")
            if both:
                lite, pg = runs[f"renkei w={both[-1]}"].get((q, c)), runs[f"renkei PG w={both[-1]}"].get((q, c))
                row.append(f"{lite['rps'] / pg['rps']:.2f}" if lite and pg else "—")
            rows.append(row)
    also = " (and, as `renkei PG`, the same in a PostgreSQL schema)" if both else ""
    sizes = []
    for q, query in enumerate(QUERIES):
        for name in names:
            r = runs[name].get((q, connections[0]))
            if r is not None:
                sizes.append(f"{query} from {name}: {r['size']:,} bytes")
    return f"""
{n} spheres in one SQLite file{also}. Largest sphere (the project list and the matrix): `{t["sphere"]}`; municipality
in the most spheres: `{t["municipality"]}`; search word: {t["word"]}. wrk with `bench/wrk_report.lua`,
{seconds:.0f} s per measurement after a warm-up of every worker (16 requests on fresh connections, then wrk at
16 connections or more for 2 s), threads = min(connections, 2); wrk, the server and its worker
processes share the machine's CPUs. renkei: `renkei serve --db FILE --workers W` for W in {workers};
Datasette {_datasette_version()}: `datasette serve -i COPY` (immutable, one process, its default SQL threads),
queried with the SQL in `bench/common.py` through `?sql=…&_shape=array`; the search is a LIKE scan of the same
`search_doc` text renkei searches (Datasette's `?_search=` needs FTS, and FTS5 trigram cannot match a
two-character word such as 観光).

{table(headers, rows)}

{chr(10).join("- " + e for e in errors) if errors else "- every request answered 200"}
- response sizes: {"; ".join(sizes)}
{_memory(memory or {})}
"""


def _memory(memory: dict[str, dict[int, int]]) -> str:
    """Each renkei server's processes' resident memory after its measurements."""
    lines = []
    for name, found in memory.items():
        each = ", ".join(f"{rss / 2**20:.0f} MB" for _, rss in sorted(found.items()))
        lines.append(f"- resident memory (VmRSS) after the load, {name}: {each} (by process id)")
    return "\n".join(lines)


def _datasette_version() -> str:
    try:
        from importlib.metadata import version

        return version("datasette")
    except Exception:
        return "?"


if __name__ == "__main__":
    main()
