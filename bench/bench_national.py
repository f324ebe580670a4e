"""National reads at scale: how long the first (cold) answer of the pages that cover every sphere takes, right
after a start and right after a publish, and what a sphere's first answer costs when requests rotate over
every sphere (so that no cache helps).

    python bench/bench_national.py --spheres 1700                  # SQLite, a file built once under --work
    python bench/bench_national.py --spheres 1700 --db postgresql+psycopg://postgres@127.0.0.1:5432/bench

More than the 792 spheres one synthetic registry holds (one per city) are made of several registries with other
seeds, their keys and names suffixed (`-s2`, …). The registry also holds the real country's list, as `renkei
serve` loads it. The script imports renkei from wherever Python finds it, so the same command measures another
checkout with `PYTHONPATH=<checkout>/src` (the figures in docs/benchmarks.md compare the code before and after
issue 24 that way, each on a registry it built). Only 127.0.0.1 is contacted; one server process at a time.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import synthetic_spheres

PAGES = {
    "home": "/",
    "compare": "/compare",
    "compare 医療": "/compare?field=" + quote("医療"),
    "search 観光": "/search?q=" + quote("観光"),
    "search 市 (1 char)": "/search?q=" + quote("市"),
    "search 交流 (2 chars)": "/search?q=" + quote("交流"),
    "country": "/api/country?date=2024-04-01",
}


def build(n: int, url: str) -> list[Any]:
    from renkei.national.country import shipped
    from renkei.store import Store, load_into

    made = synthetic_spheres(n)
    with Store.open(url) as store:
        if not store.spheres():
            started = time.perf_counter()
            load_into(store, made)
            store.country.merge(shipped(), source="country.csv")
            print(f"built {n} spheres in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return made


def publish(url: str, sphere: Any, round_: int) -> None:
    """A new revision of one sphere (a project renamed), as a publish writes one."""
    import copy
    import datetime

    from renkei.store import Store, sphere_spec

    vision = copy.deepcopy(sphere.revisions[-1].vision)
    vision.projects[0].name += f"（改{time.time_ns()}）"  # never the content of a revision before it
    with Store.open(url) as store:
        newest = store.revision(sphere.key).effective_on
        store.import_vision(
            vision,
            sphere_spec(sphere),
            author="bench",
            message="bench publish",
            effective_on=newest + datetime.timedelta(days=round_),
        )


def fetch(url: str) -> tuple[float, int]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=300) as response:
        body = response.read()
        assert response.status == 200, url
    return (time.perf_counter() - started) * 1000, len(body)


def start(url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "renkei", "serve", "--db", url, "--port", str(port)]
    process = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=2):
                return process
        except Exception:
            if process.poll() is not None:
                raise RuntimeError(log.read_text(errors="replace")[-2000:]) from None
            time.sleep(0.3)
    raise RuntimeError("the server did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--spheres", type=int, default=1700)
    p.add_argument("--db", default="", help="A database URL (default: a SQLite file under --work).")
    p.add_argument("--work", type=Path, default=Path("/tmp/bench_national"))
    p.add_argument("--port", type=int, default=18500)
    p.add_argument("--rotate", type=int, default=300, help="Spheres visited once each for the rotating reads.")
    args = p.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    url = args.db or str(args.work / f"registry-{args.spheres}.sqlite")
    made = build(args.spheres, url)
    base = f"http://127.0.0.1:{args.port}"
    results: dict[str, Any] = {"spheres": args.spheres, "db": url.split(":", 1)[0] if args.db else "sqlite"}
    process = start(url, args.port, args.work / "server.log")
    try:
        fetch(base + "/openapi.json")
        for moment in ("after start", "after publish"):
            if moment == "after publish":
                publish(url, made[len(made) // 2], 1)
            for name, path in PAGES.items():
                cold, size = fetch(base + path)
                warm, _ = fetch(base + path)
                results[f"{moment}: {name}"] = {"cold_ms": round(cold, 1), "warm_ms": round(warm, 1), "bytes": size}
        step = max(1, len(made) // args.rotate)
        chosen = made[::step][: args.rotate]
        for kind, path in (("sphere page", "/spheres/{}"), ("sphere JSON", "/api/spheres/{}/projects")):
            times = [fetch(base + path.format(quote(s.key)))[0] for s in chosen]
            results[f"rotating {kind} ({len(chosen)} spheres, each once)"] = {
                "p50_ms": round(statistics.median(times), 1),
                "p99_ms": round(percentile(times, 0.99), 1),
            }
    finally:
        stop(process)
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
