"""A soak of ``renkei serve --workers 2``: do the workers stay steady under mixed load for minutes on end?

Public reads at 8 connections (pages, the API, downloads, charts, search) while an editor makes conditional
writes and publishes every ~40 of them, and an importer adds a revision of another sphere every ~15 seconds
(through the store, as ``renkei import`` would). Every 10 seconds it samples each worker's resident memory.
The readers run in two processes of four connections each and the importer in a process of its own, so that a
measured latency is the server's, not a wait for the measuring process's own GIL. At the end it prints a
Markdown summary (the figures docs/reliability.md quotes): requests, errors (any 5xx, connection error, or
unexpected status), read latency p50/p99 (and the three slowest addresses' p99), and each worker's RSS after the
warm-up and at the end.
Exit 1 when there was an error or a worker grew more than --max-growth percent after the warm-up.

    python scripts/soak.py [--minutes 5] [--db URL] [--quick]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import multiprocessing
import os
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))  # served.py beside this script
from served import serving

KEY = "kamikawa-chubu"
OTHER = "soak-imports"
READER_PROCESSES = 2
USER = "soak"
PASSWORD = "a long enough password for the soak"
READS = [
    "/",
    f"/spheres/{KEY}",
    f"/spheres/{KEY}/revisions",
    f"/api/spheres/{KEY}",
    f"/api/spheres/{KEY}/vision",
    f"/api/spheres/{KEY}/projects",
    f"/api/spheres/{KEY}/charts/heatmap",
    f"/spheres/{KEY}/export/csv",
    f"/spheres/{KEY}/export/xlsx",
    "/api/search?q=観光",
    "/search?q=連携",
    f"/spheres/{OTHER}",
]


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    by_path: dict[str, list[float]] = field(default_factory=dict)
    rss: dict[int, list[tuple[float, int]]] = field(default_factory=dict)  # worker pid → (second, kB)
    writes: Counter[int] = field(default_factory=Counter)
    imports: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def prepare(db: str) -> str:
    from renkei.core.permissions import RoleName
    from renkei.ingest import read_sample
    from renkei.store import SphereSpec, Store

    with Store.open(db) as store:
        store.import_reading(read_sample(), SphereSpec(key=KEY), message="sample")
        store.import_reading(read_sample(), SphereSpec(key=OTHER, name="取込試験圏"), message="sample")
        store.accounts.add(USER, PASSWORD)
        store.accounts.grant(USER, KEY, RoleName.SECRETARIAT)
        _, token = store.accounts.create_token(USER, "soak")
    return token


def workers_of(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    children.append(int(entry.name))
    # uvicorn's workers are spawned processes; its resource tracker is one too, but serves no request.
    commands = {c: Path(f"/proc/{c}/cmdline").read_bytes() for c in children}
    return [c for c, command in commands.items() if b"resource_tracker" not in command]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def reader(url: str, stop: threading.Event, results: Results, seed: int) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=url, timeout=30) as client:
        while not stop.is_set():
            path = rng.choice(READS)
            started = time.perf_counter()
            try:
                response = client.get(path)
            except httpx.HTTPError as error:
                with results.lock:
                    results.errors.append(f"GET {path}: {type(error).__name__}")
                continue
            elapsed = time.perf_counter() - started
            with results.lock:
                results.latencies.append(elapsed)
                results.by_path.setdefault(path, []).append(elapsed)
                results.statuses[str(response.status_code)] += 1
                if response.status_code != 200:
                    results.errors.append(f"GET {path}: {response.status_code}")


def readers(url: str, stop: Event, out: Queue, first_seed: int, connections: int) -> None:  # type: ignore[type-arg]
    """A process of ``connections`` reading threads: the clients measure from processes of their own, apart from
    the editor and the importer, so that a latency is the server's and not a wait for the client's own GIL."""
    results = Results()
    local = threading.Event()
    threads = [threading.Thread(target=reader, args=(url, local, results, first_seed + i)) for i in range(connections)]
    for thread in threads:
        thread.start()
    stop.wait()
    local.set()
    for thread in threads:
        thread.join()
    out.put((results.latencies, results.by_path, dict(results.statuses), results.errors))


def editor(url: str, token: str, stop: threading.Event, results: Results) -> None:
    rng = random.Random(99)
    with httpx.Client(base_url=url, timeout=30, headers={"Authorization": f"Bearer {token}"}) as client:
        serials = [p["serial"] for p in client.get(f"/api/spheres/{KEY}/draft").json()["projects"][:5]]
        n = 0
        while not stop.is_set():
            n += 1
            target = f"/api/spheres/{KEY}/draft/projects/{rng.choice(serials)}"
            try:
                current = client.get(target)
                saved = client.patch(target, json={"name": f"soak-{n}"}, headers={"If-Match": current.headers["etag"]})
                status = saved.status_code
                if n % 40 == 0:
                    status = client.post(f"/api/spheres/{KEY}/draft/publish", json={"message": f"soak {n}"}).status_code
            except (httpx.HTTPError, KeyError) as error:
                with results.lock:
                    results.errors.append(f"edit: {type(error).__name__}")
                continue
            with results.lock:
                results.writes[status] += 1
                if status >= 500:
                    results.errors.append(f"edit: {status}")
            stop.wait(0.05)


def importer(db: str, stop: Event, out: Queue) -> None:  # type: ignore[type-arg]
    """A revision of another sphere every 15 seconds, through the store as ``renkei import`` does it, in a
    process of its own as an import would be."""
    from renkei.ingest import read_sample
    from renkei.store import SphereSpec, Store

    sample = read_sample().vision
    imports, errors = 0, []
    with Store.open(db) as store:
        n = 0
        while not stop.wait(15):
            n += 1
            first = dataclasses.replace(sample.projects[0], name=f"{sample.projects[0].name}（第{n}回）")
            vision = dataclasses.replace(sample, projects=[first, *sample.projects[1:]])
            try:
                store.import_vision(vision, SphereSpec(key=OTHER), message=f"soak import {n}")
            except Exception as error:  # any failure of the import is an error of the run
                errors.append(f"import: {type(error).__name__}: {error}")
                continue
            imports += 1
    out.put((imports, errors))


def sampler(pid: int, stop: threading.Event, results: Results, started: float, every: float) -> None:
    while True:
        for worker in workers_of(pid):
            with contextlib.suppress(OSError):
                results.rss.setdefault(worker, []).append((time.monotonic() - started, rss_kb(worker)))
        if stop.wait(every):
            return


def soak(db: str, seconds: float, warmup: float, connections: int, workers: int, every: float) -> Results:
    token = prepare(db)
    results = Results()
    context = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as where, serving(db, workers, Path(where) / "serve.log") as (url, process):
        stop, finished = threading.Event(), context.Event()
        read_out, import_out = context.Queue(), context.Queue()
        per = max(1, connections // READER_PROCESSES)
        processes = [
            context.Process(target=readers, args=(url, finished, read_out, i * per, per))
            for i in range(READER_PROCESSES)
        ]
        processes.append(context.Process(target=importer, args=(db, finished, import_out)))
        started = time.monotonic()
        for child in processes:
            child.start()
        threads = [
            threading.Thread(target=editor, args=(url, token, stop, results)),
            threading.Thread(target=sampler, args=(process.pid, stop, results, started, every)),
        ]
        for thread in threads:
            thread.start()
        stop.wait(seconds)
        stop.set()
        finished.set()
        for thread in threads:
            thread.join()
        for _ in range(READER_PROCESSES):
            latencies, by_path, statuses, errors = read_out.get()
            results.latencies += latencies
            for path, values in by_path.items():
                results.by_path.setdefault(path, []).extend(values)
            results.statuses.update(statuses)
            results.errors += errors
        results.imports, errors = import_out.get()
        results.errors += errors
        for child in processes:
            child.join()
    return results


def at(samples: list[tuple[float, int]], second: float) -> int:
    """The first sample at or after ``second`` (the last one if none)."""
    return next((kb for t, kb in samples if t >= second), samples[-1][1])


def curve(samples: list[tuple[float, int]]) -> str:
    """The RSS at each fifth of the run: whether a worker levels off or keeps growing."""
    last = samples[-1][0]
    return " → ".join(f"{at(samples, last * i / 5) / 1024:.0f}" for i in range(1, 6))


def by_path(results: Results) -> str:
    p99s = []
    for path, values in results.by_path.items():
        values = sorted(values)
        p99s.append((values[min(len(values) - 1, int(len(values) * 0.99))] * 1000, path))
    return ", ".join(f"`{path}` {ms:.1f} ms" for ms, path in sorted(p99s, reverse=True)[:3])


def summary(results: Results, db: str, minutes: float, warmup: float) -> tuple[str, bool]:
    reads = sorted(results.latencies)
    p50 = statistics.median(reads) * 1000 if reads else 0.0
    p99 = reads[min(len(reads) - 1, int(len(reads) * 0.99))] * 1000 if reads else 0.0
    rows = [
        ("backend", "PostgreSQL" if db.startswith("postgresql") else "SQLite"),
        ("duration", f"{minutes * 60:.0f} s, 8 reading connections, 1 editor, 1 importer, 2 workers"),
        ("public reads", f"{len(reads):,} ({len(reads) / (minutes * 60):.0f}/s)"),
        ("read latency p50 / p99", f"{p50:.1f} ms / {p99:.1f} ms"),
        ("edits and publishes (status: count)", ", ".join(f"{k}: {v}" for k, v in sorted(results.writes.items()))),
        ("imports", str(results.imports)),
        ("read p99 by address, slowest three", by_path(results)),
        ("errors", str(len(results.errors)) + (f" (first: {results.errors[0]})" if results.errors else "")),
    ]
    grown = False
    for n, (_pid, samples) in enumerate(sorted(results.rss.items()), start=1):
        warm, end, peak = at(samples, warmup), samples[-1][1], max(kb for _, kb in samples)
        growth = (end - warm) / warm * 100 if warm else 0.0
        grown |= growth > MAX_GROWTH
        rows.append(
            (
                f"worker {n} RSS",
                f"{samples[0][1] / 1024:.0f} MB at start, {warm / 1024:.0f} MB after warm-up ({warmup:g} s), "
                f"{end / 1024:.0f} MB at the end ({growth:+.1f}%), peak {peak / 1024:.0f} MB; "
                f"every fifth of the run: {curve(samples)} MB",
            )
        )
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    rows.append(("machine", machine))
    table = "\n".join(["| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows)])
    return table, not results.errors and not grown


MAX_GROWTH = 15.0  # what issue 15 asks: within 15% of the size after the warm-up


def main() -> None:
    global MAX_GROWTH
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--warmup", type=float, default=120.0, help="seconds before the reference RSS sample")
    parser.add_argument("--db", help="a PostgreSQL URL (an empty schema); default: a new SQLite file")
    parser.add_argument("--max-growth", type=float, default=MAX_GROWTH, help="percent, after the warm-up")
    parser.add_argument("--quick", action="store_true", help="20 seconds, warm-up 8 s (for CI)")
    args = parser.parse_args()
    minutes, warmup = (1 / 3, 8.0) if args.quick else (args.minutes, args.warmup)
    MAX_GROWTH = args.max_growth if not args.quick else 1000.0  # a 20-second run says nothing about growth
    with tempfile.TemporaryDirectory() as where:
        db = args.db or f"sqlite:///{Path(where) / 'registry.db'}"
        results = soak(db, minutes * 60, warmup, 8, 2, 2.0 if args.quick else 10.0)
        table, ok = summary(results, db, minutes, warmup)
    print(table)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
