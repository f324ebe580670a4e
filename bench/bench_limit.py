"""The limit: the serving benchmark's reads run in-process, to show how much of a request is renkei's own.

    python bench/bench_limit.py            # 170 spheres, appends to docs/benchmarks.md
    python bench/bench_limit.py --quick    # 3 spheres, short measurements (the smoke run)

For each read of bench_serve.py: the equivalent SQL with the sqlite3 module (what any server must at least do,
and what Datasette runs), the same with its rows turned into JSON, renkei's handler called directly (its store
and response model, serialised to JSON) with its caches empty and then warm, and the whole app in-process
through Starlette's TestClient (routing, middleware, no socket). bench_serve.py's latency at one connection is
the same read over loopback HTTP.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    SQL_MUNICIPALITY_PROJECTS,
    SQL_SEARCH,
    SQL_SPHERE_PROJECTS,
    parser,
    publish,
    quantile,
    spheres_of,
    table,
    targets,
)

READS = ("sphere projects (JSON)", "municipality projects (JSON)", "search 観光 (JSON)", "matrix page (HTML)")


def timed(call: Callable[[], object], seconds: float, before: Callable[[], None] | None = None) -> dict[str, float]:
    """Run ``call`` repeatedly for about ``seconds`` (at least 5 times): p50 and p99 in milliseconds.
    ``before`` runs ahead of every call, untimed (to empty caches)."""
    call()
    samples: list[float] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(samples) < 5:
        if before is not None:
            before()
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return {"p50": quantile(samples, 0.5), "p99": quantile(samples, 0.99), "n": len(samples)}


def sql_reads(path: Path, t: dict[str, str]) -> list[tuple[str, dict[str, str]] | None]:
    return [
        (SQL_SPHERE_PROJECTS, {"key": t["sphere"]}),
        (SQL_MUNICIPALITY_PROJECTS, {"code": t["municipality"]}),
        (SQL_SEARCH, {"pattern": f"%{t['word']}%"}),
        (SQL_SPHERE_PROJECTS, {"key": t["sphere"]}),  # the matrix shows the same rows and marks
    ]


def main(argv: list[str] | None = None) -> None:
    p = parser(__doc__.splitlines()[0] if __doc__ else "limit benchmark")
    p.add_argument("--db", type=Path, help="Reuse this SQLite file (built with the same --spheres and --seed).")
    p.add_argument("--seconds", type=float, default=None, help="Seconds per measurement (3; 0.3 with --quick).")
    args = p.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="renkei-limit-") as tmp:
        body = run(args, Path(tmp))
    publish(args, f"The limit: the same reads in-process ({spheres_of(args)} spheres)", body, started)


def run(args: argparse.Namespace, tmp: Path) -> str:
    from bench_serve import build

    n = spheres_of(args)
    seconds = args.seconds or (0.3 if args.quick else 3.0)
    db = args.db or tmp / "registry.db"
    spheres = build(n, args.seed, db)
    t = targets(spheres)

    results: dict[str, list[dict[str, float] | None]] = {}
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)
    connection.row_factory = sqlite3.Row

    def sql(query: str, params: dict[str, str]) -> Callable[[], object]:
        return lambda: connection.execute(query, params).fetchall()

    def sql_json(query: str, params: dict[str, str]) -> Callable[[], object]:
        return lambda: json.dumps([dict(r) for r in connection.execute(query, params)], ensure_ascii=False)

    reads = sql_reads(db, t)
    results["SQLite query"] = [timed(sql(*r), seconds) if r else None for r in reads]
    results["SQLite query + JSON"] = [timed(sql_json(*r), seconds) if r else None for r in reads]
    connection.close()

    from renkei.store import Store
    from renkei.web import api

    store = Store.open(str(db))
    request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(store=store)), state=SimpleNamespace(lang="ja"))
    handlers: list[Callable[[], object] | None] = [
        # The project list answers its JSON itself (serialised once, by the model).
        lambda: api.list_projects(request, t["sphere"], None, None, None, 100, 0).body,  # type: ignore[arg-type]
        lambda: api.get_municipality(request, t["municipality"]).model_dump_json(),  # type: ignore[arg-type]
        lambda: api.search(request, t["word"], 20, 0).model_dump_json(),  # type: ignore[arg-type]
        None,
    ]

    def empty_caches() -> None:
        store.reads._published.clear()
        store.reads._visions.clear()

    results["renkei handler, caches empty"] = [timed(h, seconds, empty_caches) if h else None for h in handlers]
    results["renkei handler, caches warm"] = [timed(h, seconds) if h else None for h in handlers]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

        from renkei.web.app import create_app

        client = TestClient(create_app(store))
    paths = [
        f"/api/spheres/{t['sphere']}/projects",
        f"/api/municipalities/{t['municipality']}",
        f"/api/search?q={quote(t['word'])}",
        f"/spheres/{t['sphere']}",
    ]

    def get(path: str) -> Callable[[], object]:
        def call() -> Any:
            response = client.get(path)
            assert response.status_code == 200, path
            return response

        return call

    def empty_app_caches() -> None:
        empty_caches()
        client.app.state.responses.clear()  # type: ignore[attr-defined]

    results["renkei app in-process (TestClient), caches empty"] = [
        timed(get(p), seconds, empty_app_caches) for p in paths
    ]
    results["renkei app in-process (TestClient), caches warm"] = [timed(get(p), seconds) for p in paths]
    store.close()
    return report(n, t, results, seconds)


def report(n: int, t: dict[str, str], results: dict[str, list[dict[str, float] | None]], seconds: float) -> str:
    headers = ["what", *(f"{r} p50 / p99 ms" for r in READS)]
    rows = []
    for name, figures in results.items():
        rows.append([name, *(f"{f['p50']:.2f} / {f['p99']:.2f}" if f else "—" for f in figures)])
    return f"""
{n} spheres; sphere `{t["sphere"]}`, municipality `{t["municipality"]}`, search word {t["word"]}; about
{seconds:g} s per cell, one thread. The SQL is bench/common.py's (what Datasette runs); the matrix's SQL row is the
sphere's project list with its marks, the data the page draws. "Caches empty" clears the store's memory of
published reads (and, for the app, its kept responses) before every call: a cold request, the first after an
import; "warm" is what a repeated request costs.

{table(headers, rows)}
"""


if __name__ == "__main__":
    main()
