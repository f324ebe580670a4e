"""``bench_import.py --budgets``: the same national synthetic set imported with and without budgets and KPIs
(``renkei synth --budgets``), in one run, way by way, and the ratio of the times (the goal: within 1.3×).

The ways that carry budgets are compared: the store alone (the revisions from memory, as ``renkei synth --db``
writes them) and ``renkei import --manifest`` over files of each readable format that keeps them when read back
(the data package, renkei's JSON; the official layout as soon as its writer and reader carry them: each format
is tried on a file with budgets, and one that loses them is left out, saying so).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from common import table

# The file formats tried, by renderer name; the official layout first (what the plain benchmark imports).
FORMATS = ("official", "datapackage", "json")


def write_set(spheres: Sequence[Any], directory: Path, format_name: str) -> list[Path]:
    """Each revision as a file of ``format_name`` (``DIR/<key>/r<k>.<ext>``, its edition set as the registry's
    export sets it), and the manifest that lists them."""
    from renkei.national.manifest import MANIFEST
    from renkei.render import get
    from renkei.synthetic.synth import write_files
    from renkei.vision.model import Edition

    if format_name == "official":
        return write_files(spheres, directory)
    renderer = get(format_name)
    written, lines = [], []
    for sphere in spheres:
        line = sphere.manifest()
        folder = directory / sphere.key
        folder.mkdir(parents=True, exist_ok=True)
        for revision, listed in zip(sphere.revisions, line["revisions"], strict=True):
            edition = Edition(sphere.key, revision.number, revision.effective_on.isoformat())
            path = folder / f"r{revision.number}.{renderer.extension}"
            path.write_bytes(renderer.render(dataclasses.replace(revision.vision, edition=edition)))
            listed["file"] = f"{sphere.key}/{path.name}"
            written.append(path)
        lines.append(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
    (directory / MANIFEST).write_text("".join(lines), encoding="utf-8", newline="\n")
    return written


def carries_budgets(spheres: Sequence[Any], files: list[Path]) -> bool:
    """Whether a file read back holds its revision's budgets and KPIs: the revision with the most is tried."""
    from renkei.ingest import read_path

    revisions = [(s, r) for s in spheres for r in s.revisions]
    index, (_, revision) = max(
        enumerate(revisions), key=lambda item: sum(len(p.budgets) + len(p.kpis) for p in item[1][1].vision.projects)
    )
    back = read_path(files[index]).vision
    want = [(p.budgets, p.kpis) for p in revision.vision.projects]
    return bool(any(b or k for b, k in want)) and [(p.budgets, p.kpis) for p in back.projects] == want


def volume(spheres: Sequence[Any]) -> dict[str, int]:
    """What the budgets add: rows of budgets, KPIs and results over every revision."""
    projects = [p for s in spheres for r in s.revisions for p in r.vision.projects]
    kpis = [k for p in projects for k in p.kpis]
    return {
        "projects": len(projects),
        "budgets": sum(len(p.budgets) for p in projects),
        "kpis": len(kpis),
        "results": sum(len(k.results) for k in kpis),
    }


@dataclasses.dataclass
class Pair:
    """One way in, on one database: the best times of the imports without and with budgets."""

    database: str
    way: str
    plain: dict[str, Any]
    budgets: dict[str, Any]

    @property
    def ratio(self) -> float:
        return float(self.budgets["seconds"]) / float(self.plain["seconds"])

    @property
    def cpu_ratio(self) -> float:
        """The same of the CPU time of the importing process (and its workers): less moved by a busy machine."""
        return _cpu(self.budgets) / _cpu(self.plain)


def _cpu(run: dict[str, Any]) -> float:
    return float(run["cpu_seconds"]) + float(run.get("worker_cpu_seconds") or 0.0)


GOAL = 1.3


def report(
    n: int, counts: dict[str, int], sizes: dict[str, tuple[int, int]], pairs: list[Pair], notes: list[str], repeat: int
) -> str:
    rows = [
        (
            p.database,
            p.way,
            p.plain["revisions"],
            p.plain["projects"],
            f"{p.plain['seconds']:.2f}",
            f"{p.budgets['seconds']:.2f}",
            f"**{p.ratio:.2f}×**",
            f"{_cpu(p.plain):.2f} / {_cpu(p.budgets):.2f} = {p.cpu_ratio:.2f}×",
            "yes" if p.ratio <= GOAL else "NO",
            f"{p.plain['peak_mb']:.0f} / {p.budgets['peak_mb']:.0f}",
        )
        for p in pairs
    ]
    imported = table(
        (
            "database",
            "way in",
            "revisions",
            "project rows",
            "without budgets s",
            "with budgets s",
            "ratio",
            "CPU s without / with = ratio",
            f"within {GOAL}×",
            "peak RSS MB (without / with)",
        ),
        rows,
    )
    files = "; ".join(
        f"{name}: {plain / 1e6:.1f} MB without, {with_budgets / 1e6:.1f} MB with"
        for name, (plain, with_budgets) in sizes.items()
    )
    worst = max((p.ratio for p in pairs), default=0.0)
    return f"""
{n} spheres; with `renkei synth --budgets` the same revisions carry {counts["budgets"]:,} budget rows
(事業費 per fiscal year, 総事業費, town shares), {counts["kpis"]:,} KPIs and {counts["results"]:,} results over
{counts["projects"]:,} project rows (every revision counted). Files: {files or "none"}.

**Import with and without budgets and KPIs**, one run, a child process per import, the best of {repeat} each
(the two sets alternate): the store alone writes the revisions from memory in one transaction (`renkei synth
--db`); "renkei import --manifest" reads and checks the files in worker processes and writes every revision in
one transaction. A way whose files do not keep the budgets when read back is left out (below).

{imported}

- the largest ratio: **{worst:.2f}×** (goal: within {GOAL}×)
{chr(10).join(notes)}
"""
