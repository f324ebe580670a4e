"""A smoke run of each benchmark script (bench/) on a tiny registry: they run, measure and write their section.

Nothing here is timed: the figures of a smoke run mean nothing. The results go to a file in tmp_path, never to
docs/benchmarks.md. What needs wrk or PostgreSQL skips without them (fails under RENKEI_REQUIRE_ALL=1).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT, _postgres_problem, postgres_base_url, require, require_command

BENCH = ROOT / "bench"


def run_bench(script: str, output: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(BENCH / script), "--quick", "--output", str(output), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    text = output.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks"), text[:200]
    assert "- Machine:" in text and "CPUs (`nproc`)" in text
    assert f"`python bench/{script} --quick --output {output}" in text
    return text


def test_import_benchmark(tmp_path: Path) -> None:
    base = postgres_base_url()
    problem = _postgres_problem(base)
    require(problem is None, f"PostgreSQL is not reachable at {base}: {problem}")
    text = run_bench("bench_import.py", tmp_path / "bench.md", "--postgres", base)
    assert "## Import and check (3 spheres)" in text
    for way in (
        "renkei import --manifest: workers read and check, one transaction",
        "file by file: read, check, one transaction each",
        "store alone: visions in memory, one transaction",
    ):
        assert f"| SQLite (file, WAL), {way} |" in text
        assert f"| PostgreSQL (loopback), {way} |" in text, "the PostgreSQL import ran"
    assert "renkei check / pandas = **" in text


def test_serve_benchmark(tmp_path: Path) -> None:
    require_command("wrk")
    text = run_bench("bench_serve.py", tmp_path / "bench.md", "--connections", "1,8")
    assert "## Serving: renkei and Datasette (3 spheres)" in text
    assert "| sphere projects (JSON) | 8 |" in text
    assert "every request answered 200" in text


def test_limit_benchmark(tmp_path: Path) -> None:
    text = run_bench("bench_limit.py", tmp_path / "bench.md")
    assert "## The limit: the same reads in-process (3 spheres)" in text
    assert "| SQLite query |" in text and "| renkei handler, caches warm |" in text


def test_sections_append(tmp_path: Path) -> None:
    output = tmp_path / "bench.md"
    run_bench("bench_limit.py", output, "--seconds", "0.05")
    text = run_bench("bench_limit.py", output, "--seconds", "0.05")
    assert text.count("# Benchmarks") == 1
    assert text.count("## The limit") == 2


def test_pages_benchmark(tmp_path: Path) -> None:
    require_command("chromium")
    text = run_bench("bench_pages.py", tmp_path / "bench.md")
    assert "## Page weight and first paint (3 spheres)" in text
    assert "| largest sphere (" in text and "| search 観光 (facets) |" in text


def test_pdf_benchmark(tmp_path: Path) -> None:
    import importlib.util

    require(importlib.util.find_spec("camelot") is not None, "camelot-py is not installed")
    text = run_bench("bench_pdf.py", tmp_path / "bench.md")
    assert "## PDF tables: renkei, pdfplumber, camelot (2 corpus PDFs, 1 spheres)" in text
    for reader in ("renkei", "pdfplumber extract_tables", "camelot lattice", "camelot stream"):
        assert f"| {reader} |" in text
    # renkei reads every cell of its own corpus; the figure is in the row, whatever the machine.
    assert "| renkei | 100.0 | 2 / 2 |" in text


def test_before_and_after_benchmark(tmp_path: Path) -> None:
    text = run_bench("bench_ab.py", tmp_path / "bench.md", "--old", "HEAD")
    assert "## Before and after: commit" in text
    assert "| read and check every file |" in text and "| official, CSV and XLSX of every vision |" in text
    worktrees = subprocess.run(["git", "worktree", "list"], cwd=ROOT, capture_output=True, text=True).stdout
    assert len(worktrees.splitlines()) == 1, "the older commit's worktree was removed"


def test_read_benchmark(tmp_path: Path) -> None:
    text = run_bench("bench_read.py", tmp_path / "bench.md")
    assert "## Word, ODS and HTML tables: renkei, pandas, python-docx (the corpus and 2 spheres)" in text
    for reader in ("renkei", "python-docx (table walk)", "pandas read_excel (odf)", "pandas read_html (lxml)"):
        assert f"| {reader} |" in text
    # renkei reads every cell of each format's tables; the figure is in the row, whatever the machine.
    assert text.count("| renkei | 100.0 |") == 3


def test_scale_benchmark(tmp_path: Path) -> None:
    text = run_bench("bench_scale.py", tmp_path / "bench.md", "--requests", "2")
    assert "## Scale: import and reads at 20, 60 spheres" in text
    for n in (20, 60):
        assert f"| {n} | " in text and "| floor (csv + executemany, SQLite) |" in text
        assert "renkei import --manifest, SQLite |" in text
        for page in ("home", "/compare", "search page", "/api/search", "sphere page", "sphere XLSX"):
            assert f"| {n} | {page} |" in text
    assert "Peak RSS of the SQLite import, 60 spheres / 20: **" in text
    if "![Time against spheres](bench_scale.svg)" in text:
        assert (tmp_path / "bench_scale.svg").read_text(encoding="utf-8").lstrip().startswith("<svg")


def test_import_benchmark_with_and_without_budgets(tmp_path: Path) -> None:
    """``--budgets``: the same set with and without budgets and KPIs, the ways that keep them, and the ratio."""
    text = run_bench("bench_import.py", tmp_path / "bench.md", "--budgets", "--no-postgres")
    assert "## Import with and without budgets and KPIs (3 spheres)" in text
    assert "| SQLite (file, WAL) | store alone: visions in memory |" in text
    assert "| SQLite (file, WAL) | renkei import --manifest, datapackage files |" in text
    assert "| SQLite (file, WAL) | renkei import --manifest, json files |" in text
    assert "- the largest ratio: **" in text
