"""Import benchmark: the synthetic national registry from official-layout files into SQLite and PostgreSQL, and
``renkei check`` on every file beside pandas reading the same files and tallying them.

    python bench/bench_import.py            # the full set (170 spheres), appends to docs/benchmarks.md
    python bench/bench_import.py --quick    # 3 spheres, the smoke run
    python bench/bench_import.py --budgets  # the same set with and without budgets and KPIs (import_budgets.py);
                                            # --ways store,official,datapackage,json chooses the ways in

Each import runs in a child process of its own, so that its peak memory (ru_maxrss) is the import's alone. Three
ways in: the manifest (what ``renkei import --manifest DIR`` does: the files read and checked by worker
processes, every revision written in one transaction), file by file (what ``renkei import FILE`` does for
each file: read, check, one transaction, with the sphere's metadata and effective date from the manifest), and
the store alone (the same revisions from memory, as ``renkei synth --db`` writes them). PostgreSQL gets a fresh
schema (RENKEI_TEST_POSTGRES, default postgresql+psycopg://postgres@127.0.0.1:5432/test), dropped afterwards;
it is skipped when unreachable.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import parser, publish, spheres_of, table, timer

POSTGRES_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


# The child: one import, measured -----------------------------------------------------------------------------


def child_manifest(url: str, directory: Path) -> dict[str, Any]:
    """``renkei import --manifest DIR``: the library call the command makes, with its default worker count."""
    from renkei.national.manifest import default_jobs, read_manifest
    from renkei.store import Store, import_manifest

    spheres = read_manifest(directory)
    with timer() as schema:
        store = Store.open(url)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu = time.perf_counter(), time.process_time()
    jobs = default_jobs()
    results = import_manifest(store, spheres, jobs=jobs, author="bench")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    store.close()
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert all(r.created for r in results)
    with Store.open(url) as check:
        visions = [check.vision(info.key, r.number) for info in check.spheres() for r in check.history(info.key)]
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "worker_cpu_seconds": workers.ru_utime + workers.ru_stime,
        "worker_peak_mb": workers.ru_maxrss / 1024,
        "jobs": jobs,
        "reading_seconds": None,
        "schema_seconds": schema[0],
        "revisions": len(results),
        "projects": sum(len(v.projects) for v in visions),
        "links": sum(v.present_links() for v in visions),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "baseline_mb": baseline / 1024,
    }


def child_import(url: str, directory: Path) -> dict[str, Any]:
    from renkei.ingest import read_path
    from renkei.national.manifest import read_manifest
    from renkei.store import Store, sphere_spec

    manifest = read_manifest(directory)
    with timer() as schema:
        store = Store.open(url)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    revisions = projects = links = 0
    reading_seconds = 0.0
    start, cpu = time.perf_counter(), time.process_time()
    for line in manifest:
        for revision in line.revisions:
            before = time.perf_counter()
            reading = read_path(revision.path)
            reading_seconds += time.perf_counter() - before
            result = store.import_reading(
                reading,
                sphere_spec(line),
                author="bench",
                message=revision.message,
                effective_on=revision.effective_on,
            )
            assert result.created, revision.path
            revisions += 1
            projects += len(reading.vision.projects)
            links += reading.vision.present_links()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "reading_seconds": reading_seconds,
        "schema_seconds": schema[0],
        "revisions": revisions,
        "projects": projects,
        "links": links,
        "peak_mb": peak / 1024,
        "baseline_mb": baseline / 1024,
    }


def child_load(url: str, n: int, seed: int, budgets: bool = False) -> dict[str, Any]:
    """The store's part alone: the same revisions, already in memory, written as ``renkei synth --db`` does
    (``--budgets``: with budgets and KPIs)."""
    from renkei.store import Store, load_into
    from renkei.synthetic.synth import synthesize

    spheres = synthesize(n, seed, with_budgets=budgets)
    with timer() as schema:
        store = Store.open(url)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu = time.perf_counter(), time.process_time()
    revisions = load_into(store, spheres)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    visions = [r.vision for s in spheres for r in s.revisions]
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "reading_seconds": 0.0,
        "schema_seconds": schema[0],
        "revisions": revisions,
        "projects": sum(len(v.projects) for v in visions),
        "links": sum(v.present_links() for v in visions),
        "peak_mb": peak / 1024,
        "baseline_mb": baseline / 1024,
    }


def run_child(url: str, source: tuple[str, Path] | tuple[int, int] | tuple[int, int, bool]) -> dict[str, Any]:
    """An import in a child process: from the files of a directory (by manifest or file by file), or
    (spheres, seed[, with budgets]) already in memory."""
    if isinstance(source[1], Path):
        args = [f"--child-{source[0]}", url, str(source[1])]
    else:
        args = ["--child-load", url, str(source[0]), str(source[1]), *(["budgets"] if source[2:] == (True,) else [])]
    out = subprocess.run(
        [sys.executable, __file__, *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"import into {url} failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.splitlines()[-1])
    return result


# PostgreSQL: a fresh schema ----------------------------------------------------------------------------------


def postgres_schema(base: str) -> tuple[str, str] | str:
    """(URL into a new schema, schema name), or the reason PostgreSQL cannot be used."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"renkei_bench_{uuid.uuid4().hex[:12]}"
    try:
        admin = create_engine(base, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
    except Exception as error:  # unreachable server, missing driver: reported, not fatal
        return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def drop_schema(base: str, schema: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


# renkei check and pandas ---------------------------------------------------------------------------------------


def renkei_check(files: list[Path]) -> tuple[float, float, int]:
    """Every file read and checked through the library, as ``renkei check`` does; seconds and links found."""
    from renkei.ingest import read_path
    from renkei.ingest.report import check_reading

    check_reading(read_path(files[0]))  # warm: the national list of municipalities loads on first use
    links = 0
    start, cpu = time.perf_counter(), time.process_time()
    for path in files:
        report = check_reading(read_path(path))
        assert report.ok, path
        links += report.reading.vision.present_links()
    return time.perf_counter() - start, time.process_time() - cpu, links


def pandas_tallies(files: list[Path]) -> tuple[float, float, int]:
    """pandas reading the same files and computing the per-project and per-municipality tallies, no validation.

    ``read_csv(sep='\\t')`` alone stops at the first row longer than the first line (environment-notes.md), so
    it is given the minimal help it needs: as many column names as the widest line has cells (counted from the
    text: rows then pad with NaN), ``header=None``, and every cell as text. Project rows are the rows whose first
    cell is a number; the municipality columns are those between the description and the count in the first
    header row (the row whose second cell is 項目). Headings, blank lines, repeated headers and the totals row
    fall out of that filter. The files are read from disk each time, as renkei reads them."""
    import pandas as pd  # type: ignore[import-untyped]

    pd.read_csv(io.StringIO("a\tb\n1\t2\n"), sep="\t", dtype=str)  # warm, like renkei's first call
    links = 0
    start, cpu = time.perf_counter(), time.process_time()
    for path in files:
        text = path.read_text(encoding="utf-8")
        width = max(line.count("\t") for line in text.splitlines()) + 1
        frame = pd.read_csv(io.StringIO(text), sep="\t", header=None, names=range(width), dtype=str)
        header = frame[frame[1] == "項目"].iloc[0]
        towns = list(header.index[3:][header.iloc[3:].notna()])[:-1]  # after 番号, 項目, 事業内容; before the count
        rows = frame[frame[0].str.isdigit().fillna(False).astype(bool)]
        marks = rows[towns].eq("○")
        per_project = marks.sum(axis=1)
        per_municipality = marks.sum(axis=0)
        assert int(per_municipality.sum()) == int(per_project.sum())
        links += int(per_project.sum())
    return time.perf_counter() - start, time.process_time() - cpu, links


def cli_check_cost(files: list[Path], count: int) -> float:
    """Mean seconds of one ``renkei check FILE`` process (start-up included)."""
    chosen = files[:: max(1, len(files) // count)][:count]
    env = {**os.environ, "LANG": "C.UTF-8"}
    start = time.perf_counter()
    for path in chosen:
        result = subprocess.run(
            [sys.executable, "-m", "renkei", "check", str(path)], capture_output=True, env=env, check=False
        )
        assert result.returncode == 0, result.stderr
    return (time.perf_counter() - start) / len(chosen)


# Main --------------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    p = parser(__doc__.splitlines()[0] if __doc__ else "import benchmark")
    p.add_argument("--postgres", default=os.environ.get("RENKEI_TEST_POSTGRES") or POSTGRES_DEFAULT)
    p.add_argument("--no-postgres", action="store_true", help="Skip the PostgreSQL import.")
    p.add_argument("--repeat", type=int, default=None, help="Rounds of check and pandas (best taken; 3, 1 quick).")
    p.add_argument("--budgets", action="store_true", help="Compare the import with and without budgets and KPIs.")
    p.add_argument(
        "--ways",
        default="store,official,datapackage,json",
        help="With --budgets: the ways in compared (comma-separated).",
    )
    args = p.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="renkei-bench-") as tmp:
        if args.budgets:
            body = run_budgets(args, Path(tmp))
            publish(args, f"Import with and without budgets and KPIs ({spheres_of(args)} spheres)", body, started)
            return
        body = run(args, Path(tmp))
    publish(args, f"Import and check ({spheres_of(args)} spheres)", body, started)


def _databases(args: argparse.Namespace, tmp: Path) -> list[tuple[str, Any]]:
    """(name, a maker of a fresh database URL and its clean-up) for SQLite and, unless skipped, PostgreSQL."""
    made = iter(range(1_000_000))

    def sqlite() -> tuple[str, Any]:
        return f"sqlite:///{tmp / f'budgets-{next(made)}.db'}", lambda: None

    def postgres() -> tuple[str, Any] | str:
        schema = postgres_schema(args.postgres)
        if isinstance(schema, str):
            return schema
        return schema[0], lambda: drop_schema(args.postgres, schema[1])

    return [("SQLite (file, WAL)", sqlite)] + ([] if args.no_postgres else [("PostgreSQL (loopback)", postgres)])


def run_budgets(args: argparse.Namespace, tmp: Path) -> str:
    """The same set imported without and with budgets and KPIs, way by way (``import_budgets``)."""
    from import_budgets import FORMATS, Pair, carries_budgets, report, volume, write_set

    from renkei.synthetic.synth import synthesize

    n, repeat = spheres_of(args), args.repeat or (1 if args.quick else 3)
    plain, budgeted = synthesize(n, args.seed), synthesize(n, args.seed, with_budgets=True)
    chosen = set(args.ways.split(","))
    ways: list[tuple[str, Any, Any]] = []
    if "store" in chosen:
        ways.append(("store alone: visions in memory", (n, args.seed), (n, args.seed, True)))
    notes, sizes = [], {}
    for name in (f for f in FORMATS if f in chosen):
        with_files = write_set(budgeted, tmp / f"{name}-budgets", name)
        if not carries_budgets(budgeted, with_files):
            notes.append(f"- {name} files: not compared, they do not keep budgets and KPIs when read back")
            continue
        without_files = write_set(plain, tmp / f"{name}-plain", name)
        sizes[name] = (sum(f.stat().st_size for f in without_files), sum(f.stat().st_size for f in with_files))
        way = f"renkei import --manifest, {name} files"
        ways.append((way, ("manifest", tmp / f"{name}-plain"), ("manifest", tmp / f"{name}-budgets")))
    pairs: list[Pair] = []
    for database, make in _databases(args, tmp):
        for way, without, with_budgets in ways:
            runs: dict[bool, list[dict[str, Any]]] = {False: [], True: []}
            for _ in range(repeat):
                for budgets, source in ((False, without), (True, with_budgets)):
                    made = make()
                    if isinstance(made, str):
                        notes.append(f"- {database}: skipped: {made}")
                        break
                    url, clean = made
                    print(f"{database}, {way}, {'with' if budgets else 'without'} budgets …", file=sys.stderr)
                    try:
                        runs[budgets].append(run_child(url, source))
                    finally:
                        clean()
                    print(f"  {runs[budgets][-1]['seconds']:.2f} s", file=sys.stderr)
            if runs[False] and runs[True]:
                best = [min(runs[b], key=lambda r: float(r["seconds"])) for b in (False, True)]
                pairs.append(Pair(database, way, best[0], best[1]))
    for pair in pairs:
        print(f"{pair.database}, {pair.way}: with / without budgets = {pair.ratio:.2f}×", file=sys.stderr)
    return report(n, volume(budgeted), sizes, pairs, notes, repeat)


def run(args: argparse.Namespace, tmp: Path) -> str:
    from renkei.synthetic.synth import synthesize, write_files

    n = spheres_of(args)
    with timer() as made:
        spheres = synthesize(n, args.seed)
        files = write_files(spheres, tmp / "files")
    size = sum(f.stat().st_size for f in files)
    print(f"synthesized {n} spheres, {len(files)} files ({size / 1e6:.1f} MB) in {made[0]:.1f} s", file=sys.stderr)

    imports: list[tuple[str, dict[str, Any] | str]] = []
    sources: list[tuple[str, tuple[str, Path] | tuple[int, int]]] = [
        ("renkei import --manifest: workers read and check, one transaction", ("manifest", tmp / "files")),
        ("file by file: read, check, one transaction each", ("import", tmp / "files")),
        ("store alone: visions in memory, one transaction", (n, args.seed)),
    ]
    for label, source in sources:
        print(f"SQLite, {label} …", file=sys.stderr)
        db = tmp / f"bench-{len(imports)}.db"
        imports.append((f"SQLite (file, WAL), {label}", run_child(f"sqlite:///{db}", source)))
    for label, source in sources:
        if args.no_postgres:
            imports.append((f"PostgreSQL, {label}", "skipped (--no-postgres)"))
            continue
        made_schema = postgres_schema(args.postgres)
        if isinstance(made_schema, str):
            imports.append((f"PostgreSQL, {label}", f"skipped: {made_schema}"))
            continue
        url, schema = made_schema
        print(f"PostgreSQL, {label} …", file=sys.stderr)
        try:
            imports.append((f"PostgreSQL (loopback), {label}", run_child(url, source)))
        finally:
            drop_schema(args.postgres, schema)

    repeat = args.repeat or (1 if args.quick else 3)
    print("renkei check and pandas …", file=sys.stderr)
    check_runs = [renkei_check(files) for _ in range(repeat)]
    pandas_runs = [pandas_tallies(files) for _ in range(repeat)]
    check_seconds, check_cpu, check_links = min(check_runs)
    pandas_seconds, pandas_cpu, pandas_links = min(pandas_runs)
    assert check_links == pandas_links, (check_links, pandas_links)
    cli = cli_check_cost(files, 2 if args.quick else 5)

    checks = {"renkei": (check_seconds, check_cpu), "pandas": (pandas_seconds, pandas_cpu)}
    return report(n, files, size, imports, checks, check_links, cli, repeat)


def report(
    n: int,
    files: list[Path],
    size: int,
    imports: list[tuple[str, dict[str, Any] | str]],
    checks: dict[str, tuple[float, float]],
    links: int,
    cli: float,
    repeat: int,
) -> str:
    rows = []
    notes = []
    for name, result in imports:
        if isinstance(result, str):
            notes.append(f"- {name}: {result}")
            continue
        seconds = result["seconds"]
        workers = result.get("jobs")
        cpu = f"{result['cpu_seconds']:.2f}"
        peak = f"{result['peak_mb']:.0f} ({result['baseline_mb']:.0f} before)"
        if workers:
            cpu += f" + {result['worker_cpu_seconds']:.2f} in {workers} workers"
            peak += f"; workers {result['worker_peak_mb']:.0f} each at most"
        reading = result["reading_seconds"]
        rows.append(
            (
                name,
                result["revisions"],
                result["projects"],
                result["links"],
                f"{seconds:.2f}",
                cpu,
                "in the workers" if reading is None else f"{reading:.2f}",
                round(result["projects"] / seconds),
                round(result["links"] / seconds),
                peak,
            )
        )
    imported = table(
        (
            "database",
            "revisions",
            "project rows",
            "participation rows",
            "import s",
            "CPU s (renkei's processes)",
            "of which reading files s",
            "project rows/s",
            "participation rows/s",
            "peak RSS MB",
        ),
        rows,
    )
    (check_seconds, check_cpu), (pandas_seconds, pandas_cpu) = checks["renkei"], checks["pandas"]
    ratio, cpu_ratio = check_seconds / pandas_seconds, check_cpu / pandas_cpu
    per_file = [
        ("renkei check (library, in-process)", check_seconds, check_cpu),
        ("pandas read_csv + tallies", pandas_seconds, pandas_cpu),
    ]
    checked = table(
        ("what", "files", "seconds", "CPU seconds", "files/s", "ms per file"),
        [
            (name, len(files), f"{wall:.2f}", f"{cpu:.2f}", round(len(files) / wall), f"{1000 * wall / len(files):.2f}")
            for name, wall, cpu in per_file
        ],
    )
    return f"""
{n} spheres, {len(files)} official-layout files ({size / 1e6:.1f} MB), {links:,} project–municipality links.

**Import**, a child process per run, peak RSS from `ru_maxrss` ("before": the interpreter with renkei loaded and,
for the store alone, the synthesized registry in memory). "renkei import --manifest" is what that command does:
worker processes (as many as CPUs) read and check the files in order while the main process writes, and every
revision of every sphere goes in one transaction (`Store.import_many`); "file by file" does per file what
`renkei import FILE` does (read, check, one transaction) with the sphere's metadata and effective date from the
manifest; "store alone" writes the same revisions from memory in one transaction, as `renkei synth --db` does:

{imported}
{chr(10).join(notes)}

**Check against pandas** (best of {repeat}; both in-process, libraries already imported; pandas computes the same
per-project and per-municipality tallies without validation, parsing as `pandas_tallies` in
`bench/bench_import.py` describes):

{checked}

- renkei check / pandas = **{ratio:.2f}** (elapsed), {cpu_ratio:.2f} (CPU time of the process)
- the `renkei check FILE` command costs {cli:.2f} s per file (a process each: interpreter and import start-up),
  {cli * len(files):.0f} s for every file one by one; the library call above is the work itself.
"""


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child-import":
        print(json.dumps(child_import(sys.argv[2], Path(sys.argv[3]))))
    elif len(sys.argv) == 4 and sys.argv[1] == "--child-manifest":
        print(json.dumps(child_manifest(sys.argv[2], Path(sys.argv[3]))))
    elif len(sys.argv) in (5, 6) and sys.argv[1] == "--child-load":
        print(json.dumps(child_load(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:] == ["budgets"])))
    else:
        main()
