"""Scale benchmark: the import and the reads at 170, 500 and 1,700 spheres, on SQLite and PostgreSQL, beside the
import's floor (``bench/floor.py``) and Datasette, in one run.

    python bench/bench_scale.py                 # 170, 500, 1700 spheres; appends to docs/benchmarks.md
    python bench/bench_scale.py --sizes 170,500 # fewer sizes
    python bench/bench_scale.py --quick         # 20 and 60 spheres, SQLite only: the smoke run
    python bench/bench_scale.py --sizes 1700 --no-reads  # the floor and the imports only (no server)

For each size: ``renkei synth -o DIR`` writes the files and manifest; the floor loads them (``csv`` and
``executemany``, one transaction); ``renkei import --manifest DIR`` imports them into a fresh SQLite file and a
fresh PostgreSQL schema, each in a child process whose wall time, CPU (its own and its workers') and peak
memory (``VmHWM`` of its main process, as it exits) are taken. Then ``renkei serve`` (one worker) answers the
home page, ``/compare``, the search page, ``/api/search``, the largest sphere's page and its XLSX: each page's
first request right after the server starts (cold), then ``--requests`` more (warm, p50 and p99); then a
publish (``renkei import FILE --force`` of a sphere's first file as its next revision, by another process) and
the same again. Datasette (``datasette serve -i``, immutable) answers the comparable JSON of a sphere's
projects, the search and the home list on the same SQLite file, cold and warm. A plot of time against spheres
is drawn next to the output (SVG, vl-convert).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import import POSTGRES_DEFAULT, drop_schema, postgres_schema
from bench_serve import SQL_HOME
from common import (
    SQL_SEARCH,
    SQL_SPHERE_PROJECTS,
    datasette_command,
    free_port,
    parser,
    publish,
    quantile,
    synthetic_spheres,
    table,
)

ROOT = Path(__file__).resolve().parents[1]
FLOOR = Path(__file__).resolve().parent / "floor.py"
WORD = "観光"
PAGES = ("home", "/compare", "search page", "/api/search", "sphere page", "sphere XLSX")


def renkei_paths(key: str) -> dict[str, str]:
    q = quote(WORD)
    return {
        "home": "/",
        "/compare": "/compare",
        "search page": f"/search?q={q}",
        "/api/search": f"/api/search?q={q}",
        "sphere page": f"/spheres/{key}",
        "sphere XLSX": f"/spheres/{key}/export/xlsx",
    }


def datasette_paths(key: str) -> dict[str, str]:
    def query(sql: str, **params: str) -> str:
        return "/registry.json?" + urlencode({"sql": " ".join(sql.split()), **params, "_shape": "array"})

    return {
        "home": query(SQL_HOME),
        "/api/search": query(SQL_SEARCH, pattern=f"%{WORD}%"),
        "sphere page": query(SQL_SPHERE_PROJECTS, key=key),
    }


# Running and timing ------------------------------------------------------------------------------------------


# The child's own peak RSS, read from /proc/self/status as it exits: wait4's ru_maxrss would also count the pages
# it shared with this process between fork and exec (this process holds the synthetic registry it wrote).
_HIGH_WATER = """
import atexit, os, runpy, sys
def _written():
    with open("/proc/self/status") as status, open(os.environ["RENKEI_BENCH_HWM"], "w") as out:
        out.write(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
atexit.register(_written)
sys.argv = sys.argv[1:]
if sys.argv[0].endswith(".py"):
    runpy.run_path(sys.argv[0], run_name="__main__")
else:
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""


def run_measured(command: list[str], high_water: Path) -> dict[str, float]:
    """A child process's wall time, CPU (with the workers it waited for) and peak RSS (of its main process).
    ``command`` is ``[python, "-m", module, ...]`` or ``[python, script.py, ...]``."""
    start = time.perf_counter()
    wrapped = [command[0], "-c", _HIGH_WATER, *(command[2:] if command[1] == "-m" else command[1:])]
    env = {**os.environ, "RENKEI_BENCH_HWM": str(high_water)}
    process = subprocess.Popen(wrapped, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    out = process.stdout.read() if process.stdout else b""
    err = process.stderr.read() if process.stderr else b""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{command[:4]} failed: {err.decode(errors='replace')[-2000:]}")
    peak = int(high_water.read_text()) / 1024 if high_water.exists() else float("nan")
    result = {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": peak}
    if out.strip().startswith(b"{"):
        result["child"] = json.loads(out)
    return result


def renkei(*args: str) -> list[str]:
    return [sys.executable, "-m", "renkei", *args]


def fetch(url: str) -> float:
    """Seconds to the whole body of one GET, which must answer 200."""
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: {response.status}")
    return time.perf_counter() - start


def serve(command: list[str], base: str, probe: str, log: Path) -> subprocess.Popen[bytes]:
    out = log.open("wb")
    process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{command[:4]} exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(base + probe, timeout=5) as response:
                if response.status == 200:
                    return process
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"{command[:4]} did not answer within 120 s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()


def reads(base: str, paths: dict[str, str], requests: int) -> dict[str, dict[str, float]]:
    """Each page's first answer (cold), then the p50 and p99 of ``requests`` more (warm), in ms."""
    found: dict[str, dict[str, float]] = {}
    for name, path in paths.items():
        cold = fetch(base + path)
        warm = [fetch(base + path) for _ in range(requests)]
        found[name] = {"cold": cold * 1000, "p50": quantile(warm, 0.5) * 1000, "p99": quantile(warm, 0.99) * 1000}
    return found


# One size ----------------------------------------------------------------------------------------------------


def write_registry(n: int, seed: int, where: Path) -> None:
    """``renkei synth``'s files and manifest for ``n`` spheres (``common.synthetic_spheres``)."""
    from renkei.synthetic.synth import write_files

    write_files(synthetic_spheres(n, seed), where)


def largest_sphere(directory: Path) -> tuple[str, Path]:
    """The sphere whose newest file is largest, and its first file (what the publish imports again)."""
    best: tuple[int, str, Path] = (-1, "", directory)
    for line in (directory / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        sphere = json.loads(line)
        files = [directory / r["file"] for r in sphere["revisions"]]
        size = files[-1].stat().st_size
        if len(files) > 1 and size > best[0]:
            best = (size, sphere["key"], files[0])
    return best[1], best[2]


def one_size(n: int, args: argparse.Namespace, tmp: Path, backends: dict[str, str]) -> dict[str, Any]:
    where = tmp / f"s{n}"
    print(f"{n} spheres: writing the files …", file=sys.stderr)
    write_registry(n, args.seed, where)
    files = sum(1 for _ in where.rglob("*.txt"))
    key, first = largest_sphere(where)
    found: dict[str, Any] = {"files": files, "sphere": key}
    print(f"{n} spheres: the floor …", file=sys.stderr)
    found["floor"] = run_measured([sys.executable, str(FLOOR), str(where), str(tmp / f"floor{n}.db")], tmp / "hwm")
    sqlite_file = tmp / f"renkei{n}.db"
    for backend, base in backends.items():
        if backend == "SQLite":
            url, schema = str(sqlite_file), None
        else:
            made = postgres_schema(base)
            if isinstance(made, str):
                found[backend] = {"skipped": made}
                continue
            url, schema = made
        try:
            print(f"{n} spheres: renkei import into {backend} …", file=sys.stderr)
            found[backend] = {
                "import": run_measured(renkei("import", "--manifest", str(where), "--db", url), tmp / "hwm")
            }
            if not args.no_reads:
                found[backend]["reads"] = serve_and_read(url, key, first, args, tmp / f"{backend}{n}.log")
        finally:
            if schema is not None:
                drop_schema(base, schema)
    if args.no_reads:
        return found
    copy = tmp / f"datasette{n}" / "registry.db"
    copy.parent.mkdir()
    subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sqlite3; c = sqlite3.connect({str(sqlite_file)!r}); "
            f"c.execute('VACUUM INTO ' + repr({str(copy)!r}))",
        ],
        check=True,
    )
    number = free_port()
    base = f"http://127.0.0.1:{number}"
    command = datasette_command(copy, number, 60000)
    print(f"{n} spheres: Datasette …", file=sys.stderr)
    process = serve(command, base, "/-/versions.json", tmp / f"datasette{n}.log")
    try:
        found["Datasette"] = reads(base, datasette_paths(key), args.requests)
    finally:
        stop(process)
    return found


def serve_and_read(url: str, key: str, first: Path, args: argparse.Namespace, log: Path) -> dict[str, Any]:
    number = free_port()
    base = f"http://127.0.0.1:{number}"
    process = serve(renkei("serve", "--db", url, "--port", str(number), "--workers", "1"), base, "/login", log)
    try:
        started = reads(base, renkei_paths(key), args.requests)
        again = renkei("import", str(first), "--sphere", key, "--force", "-m", "bench", "--db", url)
        publish_run = run_measured(again, log.with_suffix(".hwm"))
        published = reads(base, renkei_paths(key), args.requests)
    finally:
        stop(process)
    return {"start": started, "publish": published, "publish_seconds": publish_run["seconds"]}


# The report --------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    p = parser(__doc__.splitlines()[0] if __doc__ else "scale benchmark")
    p.add_argument("--sizes", default=None, help="Comma-separated sphere counts (170,500,1700; 20,60 quick).")
    p.add_argument("--postgres", default=os.environ.get("RENKEI_TEST_POSTGRES") or POSTGRES_DEFAULT)
    p.add_argument("--no-postgres", action="store_true", help="SQLite only (the default with --quick).")
    p.add_argument("--requests", type=int, default=None, help="Warm requests per page (30; 5 with --quick).")
    p.add_argument("--no-reads", action="store_true", help="The imports and the floor only: no server, no reads.")
    args = p.parse_args(argv)
    sizes = [int(s) for s in (args.sizes or ("20,60" if args.quick else "170,500,1700")).split(",")]
    args.requests = args.requests or (5 if args.quick else 30)
    backends = {"SQLite": ""}
    if not (args.no_postgres or args.quick):
        backends["PostgreSQL"] = args.postgres
    started = time.perf_counter()
    results: dict[int, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="renkei-scale-") as tmp:
        for n in sizes:
            results[n] = one_size(n, args, Path(tmp), backends)
    plot = args.output.parent / "bench_scale.svg"
    drawn = draw(results, list(backends), plot)
    body = report(results, list(backends), args, plot.name if drawn else None)
    what = "import" if args.no_reads else "import and reads"
    title = f"Scale: {what} at {', '.join(str(n) for n in sizes)} spheres"
    publish(args, title, body, started)


def report(results: dict[int, dict[str, Any]], backends: list[str], args: argparse.Namespace, plot: str | None) -> str:
    rows: list[list[object]] = []
    for n, r in results.items():
        floor = r["floor"]
        rows.append(
            [
                n,
                r["files"],
                "floor (csv + executemany, SQLite)",
                f"{floor['seconds']:.2f}",
                f"{floor['cpu']:.2f}",
                f"{floor['peak_mb']:.0f}",
                "1.00",
                "1.00",
                "—",
            ]
        )
        sqlite_seconds = r.get("SQLite", {}).get("import", {}).get("seconds")
        for backend in backends:
            b = r.get(backend, {})
            if "import" not in b:
                rows.append([n, r["files"], f"renkei, {backend}", b.get("skipped", "—"), "", "", "", "", ""])
                continue
            i = b["import"]
            to_sqlite = f"{i['seconds'] / sqlite_seconds:.2f}" if sqlite_seconds else "—"
            rows.append(
                [
                    n,
                    r["files"],
                    f"renkei import --manifest, {backend}",
                    f"{i['seconds']:.2f}",
                    f"{i['cpu']:.2f}",
                    f"{i['peak_mb']:.0f}",
                    f"{i['seconds'] / floor['seconds']:.2f}",
                    f"{i['cpu'] / floor['cpu']:.2f}",
                    to_sqlite,
                ]
            )
    imports = table(
        [
            *("spheres", "files", "import", "wall s", "CPU s", "peak RSS MB"),
            *("wall / floor", "CPU / floor", "wall / SQLite"),
        ],
        rows,
    )
    read_rows: list[list[object]] = []
    for n, r in results.items():
        if "Datasette" not in r:  # --no-reads
            continue
        for page in PAGES:
            row: list[object] = [n, page]
            for backend in backends:
                b = r.get(backend, {}).get("reads")
                for moment in ("start", "publish"):
                    m = b[moment][page] if b else None
                    row += [f"{m['cold']:.0f}", f"{m['p50']:.1f}", f"{m['p99']:.1f}"] if m else ["—"] * 3
            d = r["Datasette"].get(page)
            row += [f"{d['cold']:.0f}", f"{d['p50']:.1f}", f"{d['p99']:.1f}"] if d else ["—"] * 3
            read_rows.append(row)
    headers = ["spheres", "page"]
    for backend in backends:
        for moment in ("after start", "after publish"):
            headers += [f"{backend} {moment}: cold ms", "p50", "p99"]
    headers += ["Datasette (comparable JSON): cold ms", "p50", "p99"]
    peaks = [(n, r["SQLite"]["import"]["peak_mb"]) for n, r in results.items() if "import" in r.get("SQLite", {})]
    flat = f"{peaks[-1][1] / peaks[0][1]:.2f}" if len(peaks) > 1 else "—"
    picture = f"\n![Time against spheres]({plot})\n" if plot else ""
    return f"""
Synthetic registries (`renkei synth --seed {args.seed}`) of {", ".join(str(n) for n in results)} spheres, written as
official-layout files with a manifest. Import: `renkei import --manifest DIR` (its default worker count) in a
child process; CPU counts its workers, peak RSS its main process's (`VmHWM`). The floor: `bench/floor.py`,
the same files parsed with `csv` and inserted with `executemany` in one transaction into the same tables.
Reads: `renkei serve --workers 1`, one request at a time (urllib); cold = a page's first answer right after the
server started, or right after a publish (`renkei import FIRST-FILE --sphere KEY --force`, another process);
warm = p50 and p99 of the {args.requests} requests after it. Datasette `serve -i` on a copy of the SQLite file
answers the comparable JSON (`bench/common.py`'s SQL: a sphere's projects, the search, the home list).
The machine is shared with other jobs (see the load below): compare ratios within this run, not across runs.

{imports}

Peak RSS of the SQLite import, {peaks[-1][0] if peaks else "—"} spheres / {peaks[0][0] if peaks else "—"}: **{flat}**.

{table(headers, read_rows) if read_rows else "(`--no-reads`: the imports only.)"}
{picture}"""


def draw(results: dict[int, dict[str, Any]], backends: list[str], path: Path) -> bool:
    """Seconds against spheres: the imports, the floor, and the cold /compare and search page after a start."""
    points: list[dict[str, Any]] = []
    for n, r in results.items():
        points.append({"spheres": n, "seconds": r["floor"]["seconds"], "series": "import: floor"})
        for backend in backends:
            b = r.get(backend, {})
            if "import" in b:
                points.append({"spheres": n, "seconds": b["import"]["seconds"], "series": f"import: {backend}"})
                for page in ("/compare", "search page") if "reads" in b else ():
                    cold = b["reads"]["start"][page]["cold"] / 1000
                    points.append({"spheres": n, "seconds": cold, "series": f"cold {page}: {backend}"})
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": "renkei at scale: seconds against spheres",
        "width": 520,
        "height": 320,
        "data": {"values": points},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "spheres", "type": "quantitative", "title": "spheres"},
            "y": {"field": "seconds", "type": "quantitative", "title": "seconds"},
            "color": {"field": "series", "type": "nominal", "title": None},
        },
    }
    try:
        from renkei.publish.chartfile import ChartError, convert

        path.write_bytes(convert(spec, "svg"))
    except (ImportError, ChartError) as error:
        print(f"no plot: {error}", file=sys.stderr)
        return False
    return True


if __name__ == "__main__":
    main()
