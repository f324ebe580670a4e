"""What the benchmark scripts share: options, the machine they ran on, Markdown tables, and the report section
each one appends to docs/benchmarks.md (or to --output, as the smoke test does)."""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "benchmarks.md"
QUICK_SPHERES = 3
HEADER = """# Benchmarks

Figures measured by the scripts in `bench/` (not tests: nothing here is timed in CI, where `.ci/run` only runs
each script with `--quick` on a tiny registry). Each section was appended by one run of one script and names
the machine, the date and the command that reproduces it. The synthetic national registry comes from
`renkei synth` (`src/renkei/synthetic/synth.py`): about 130 定住自立圏 and 40 連携中枢都市圏, deterministic from
its seed.
"""


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true", help="A tiny registry and short measurements (the smoke run).")
    p.add_argument("--spheres", type=int, default=None, help="Spheres to synthesize (default 170; 3 with --quick).")
    p.add_argument("--seed", type=int, default=1, help="Seed of the synthetic registry.")
    p.add_argument("--output", type=Path, default=DOCS, help="Markdown file to append the results to.")
    p.add_argument("--no-append", action="store_true", help="Print only; append nothing.")
    return p


def spheres_of(args: argparse.Namespace) -> int:
    return args.spheres if args.spheres is not None else (QUICK_SPHERES if args.quick else 170)


def command_line() -> str:
    """The command that reproduces this run, from the repository's root."""
    script = Path(sys.argv[0]).resolve()
    try:
        shown = script.relative_to(ROOT).as_posix()
    except ValueError:
        shown = str(script)
    return shlex.join(["python", shown, *sys.argv[1:]])


def machine() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _read("/proc/cpuinfo").splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    memory = next((line.split()[1] for line in _read("/proc/meminfo").splitlines() if line.startswith("MemTotal")), "")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    try:
        sqlite_version = __import__("sqlite3").sqlite_version
    except ImportError:
        sqlite_version = "?"
    return {
        "cpu": cpu,
        "nproc": str(os.cpu_count() or "?"),
        "memory": f"{int(memory) / 1024 / 1024:.1f} GiB" if memory else "?",
        "python": platform.python_version(),
        "sqlite": sqlite_version,
        "load": load,
    }


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def busy_processes(limit: int = 5) -> list[str]:
    """The processes using the most CPU right now, to note a shared machine in the results."""
    try:
        out = subprocess.run(
            ["ps", "-eo", "pcpu,comm", "--sort=-pcpu", "--no-headers"], capture_output=True, text=True, check=False
        ).stdout
    except OSError:
        return []
    rows = [line.split(None, 1) for line in out.splitlines() if line.strip()]
    return [f"{name} {cpu}%" for cpu, name in rows[:limit] if float(cpu) >= 5]


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    def cell(value: object) -> str:
        if isinstance(value, float):
            return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"
        if isinstance(value, int):
            return f"{value:,}"
        return str(value)

    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def section(title: str, body: str, started: float) -> str:
    m = machine()
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    busy = busy_processes()
    lines = [
        f"## {title} — {now}",
        "",
        f"- Machine: {m['cpu']}, {m['nproc']} CPUs (`nproc`), {m['memory']} memory; Python {m['python']}, "
        f"SQLite {m['sqlite']}; load average {m['load']} at the end"
        + (f"; busiest processes then: {', '.join(busy)}" if busy else ""),
        f"- Command: `{command_line()}` ({time.perf_counter() - started:.0f} s)",
        "",
        body.strip(),
        "",
    ]
    return "\n".join(lines) + "\n"


def publish(args: argparse.Namespace, title: str, body: str, started: float) -> None:
    text = section(title, body, started)
    print(text)
    if args.no_append:
        return
    output: Path = args.output
    output.parent.mkdir(parents=True, exist_ok=True)
    fresh = not output.exists() or not output.read_text(encoding="utf-8").strip()
    with output.open("a", encoding="utf-8") as out:
        if fresh:
            out.write(HEADER + "\n")
        out.write(text + "\n")
    print(f"appended to {output}", file=sys.stderr)


def free_port() -> int:
    """A free port: the first free one of ``RENKEI_BENCH_PORTS`` (``18420-18439``) when set, else any."""
    span = os.environ.get("RENKEI_BENCH_PORTS", "")
    if span:
        low, _, high = span.partition("-")
        for candidate in range(int(low), int(high or low) + 1):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", candidate))
                except OSError:
                    continue
                return candidate
        raise SystemExit(f"RENKEI_BENCH_PORTS={span}: every port is taken; free one or name another range")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def timer() -> Iterator[list[float]]:
    """``with timer() as t: ...`` then ``t[0]`` is the elapsed seconds."""
    box: list[float] = []
    start = time.perf_counter()
    try:
        yield box
    finally:
        box.append(time.perf_counter() - start)


def quantile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


# The equivalent reads: what renkei's endpoints return, as SQL over renkei's own tables. Datasette runs these as
# ?sql= queries on a copy of the same file; bench_limit.py runs them with the sqlite3 module in-process.

SQL_SPHERE_PROJECTS = """
select rp.number, rp.name, rp.description, rp.pillar_label, rp.pillar_title, rp.field_label, rp.field_title,
  rp.declared_count, rp.attributes,
  (select group_concat(m.name, '、') from participation pa join municipality m on m.id = pa.municipality_id
    where pa.revision_project_id = rp.id) as participants,
  (select count(*) from participation pa where pa.revision_project_id = rp.id) as count
from revision_project rp
where rp.revision_id = (select r.id from revision r join sphere s on s.id = r.sphere_id
                        where s.key = :key order by r.number desc limit 1)
order by rp.position
"""

SQL_MUNICIPALITY_PROJECTS = """
select s.key, s.name as sphere_name, r.number as revision, rp.number, rp.name, rp.description,
  rp.field_label, rp.field_title
from municipality m
join participation pa on pa.municipality_id = m.id
join revision_project rp on rp.id = pa.revision_project_id
join revision r on r.id = rp.revision_id
join sphere s on s.id = r.sphere_id
where m.code = :code and r.number = (select max(r2.number) from revision r2 where r2.sphere_id = r.sphere_id)
order by s.key, rp.position
"""

# Full-text search: a LIKE scan of the newest revisions' text (renkei's search_doc). Datasette's ?_search= needs
# an FTS table, and FTS5's trigram tokenizer cannot match two-character words such as 観光
# (environment-notes.md), so the peer gets the LIKE query that finds the same rows.
SQL_SEARCH = """
select s.key, s.name as sphere_name, r.number as revision, rp.number, rp.name, rp.description
from search_doc d
join revision_project rp on rp.id = d.revision_project_id
join revision r on r.id = rp.revision_id
join sphere s on s.id = r.sphere_id
where d.name_key like :pattern or d.description_key like :pattern
order by s.key, rp.position
limit 20
"""


def targets(spheres: Sequence[object]) -> dict[str, str]:
    """The sphere with the largest matrix (projects × members in its newest revision), the municipality in the
    most spheres, and the search word, chosen from the synthetic registry."""
    from collections import Counter

    from renkei.synthetic.synth import SynthSphere

    made = [s for s in spheres if isinstance(s, SynthSphere) and s.revisions]
    largest = max(
        made,
        key=lambda s: (
            len(s.revisions[-1].vision.projects) * len(s.revisions[-1].vision.municipalities),
            s.key,
        ),
    )
    counts: Counter[str] = Counter()
    for s in made:
        for m in s.revisions[-1].vision.municipalities:
            if m.code:
                counts[m.code] += 1
    code = min(counts, key=lambda c: (-counts[c], c))
    return {"sphere": largest.key, "municipality": code, "word": "観光"}


MOST = 792  # spheres in one synthetic registry: one per city


def synthetic_spheres(n: int, seed: int = 1) -> list[Any]:
    """``n`` synthetic spheres. One synthetic registry holds at most one sphere per city (792); more are made of
    registries with the following seeds, their spheres' keys and names suffixed (``-s2``, …, in each revision's
    metadata too), so the national benchmarks can go to ten times the country."""
    import dataclasses

    from renkei.synthetic.synth import synthesize

    made: list[Any] = []
    batch_seed = seed
    while len(made) < n:
        batch = synthesize(min(MOST, n - len(made)), batch_seed)
        if batch_seed != seed:
            for sphere in batch:
                sphere.key, sphere.name = f"{sphere.key}-s{batch_seed}", f"{sphere.name}{batch_seed}"
                for revision in sphere.revisions:
                    edition = revision.vision.edition
                    revision.vision.edition = dataclasses.replace(edition, sphere_key=sphere.key)
                    revision.vision.sphere.name = sphere.name
        made += batch
        batch_seed += 1
    return made


def datasette_command(database: Path, port: int, time_limit_ms: int) -> list[str]:
    """Datasette serving a copy of the registry immutably (``-i``), the peer every serving benchmark measures."""
    return [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        "-i",
        str(database),
        "--port",
        str(port),
        "--setting",
        "sql_time_limit_ms",
        str(time_limit_ms),
    ]
