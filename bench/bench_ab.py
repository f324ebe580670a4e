"""Before and after a change, in the same run: the core's work timed with an older commit's code and with this
tree's, alternately, on the same files, so that a refactor's cost is told apart from a noisy machine.

The older commit is checked out into a temporary git worktree and put first on the path of a child process;
each round runs the older code, then this tree's, a child each, and the best CPU time of each side is kept.
What is timed (best of 3 passes per child, after one untimed pass): reading and checking every file of a
synthetic registry (``read_path`` + ``check_reading``), and writing each vision as official text, CSV and XLSX.

    python bench/bench_ab.py --old REV [--spheres 30] [--rounds 5]
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, parser, publish

CHILD = r"""
import json, pathlib, sys, time
from renkei.ingest import read_path
from renkei.render import render
try:
    from renkei.ingest.report import check_reading
except ImportError:  # a commit before the packages (issue 20): the module at the top level (a name regroup.py keeps)
    import importlib
    check_reading = importlib.import_module(".".join(("renkei", "report"))).check_reading

files = sorted(pathlib.Path(sys.argv[1]).rglob("*.txt"))
visions = [read_path(f).vision for f in files]

def check():
    for f in files:
        check_reading(read_path(f))

def write():
    for v in visions:
        for name in ("official", "csv", "xlsx"):
            render(v, name)

out = {}
for name, work in (("check", check), ("render", write)):
    work()
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    out[name] = best
print(json.dumps({"files": len(files), **out}))
"""


def child(src: Path, files: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(files)],
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--old", required=True, help="The commit to compare this tree with.")
    p.add_argument("--rounds", type=int, default=None, help="Alternating rounds (5; 1 with --quick).")
    args = p.parse_args()
    spheres = args.spheres if args.spheres is not None else (3 if args.quick else 30)
    rounds = args.rounds or (1 if args.quick else 5)
    started = time.perf_counter()
    old = subprocess.run(["git", "rev-parse", "--short", args.old], cwd=ROOT, capture_output=True, text=True)
    old.check_returncode()
    new = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    with tempfile.TemporaryDirectory() as tmp:
        worktree, files = Path(tmp) / "old", Path(tmp) / "files"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(worktree), args.old], cwd=ROOT, check=True)
        try:
            synth = ["synth", "--spheres", str(spheres), "--seed", str(args.seed), "-o", str(files)]
            subprocess.run([sys.executable, "-m", "renkei", *synth], check=True, capture_output=True)
            runs: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
            for n in range(rounds):
                runs["old"].append(child(worktree / "src", files))
                runs["new"].append(child(ROOT / "src", files))
                print(f"round {n + 1}/{rounds}: old {runs['old'][-1]}, new {runs['new'][-1]}", file=sys.stderr)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT, check=False)
    count = int(runs["new"][0]["files"])
    rows = []
    for work, what in (("check", "read and check every file"), ("render", "official, CSV and XLSX of every vision")):
        before = min(r[work] for r in runs["old"])
        after = min(r[work] for r in runs["new"])
        spread = statistics.pstdev([r[work] for r in runs["new"]]) / statistics.mean([r[work] for r in runs["new"]])
        rows.append(f"| {what} | {before:.3f} | {after:.3f} | {after / before:.2f} | {spread * 100:.0f}% |")
    body = "\n".join(
        [
            f"{spheres} synthetic spheres, {count} files; the old code is commit `{old.stdout.strip()}`, the new "
            f"`{new.strip()}` (this tree); {rounds} alternating rounds, a child process each, best CPU seconds of "
            "each side.",
            "",
            "| work | old s | new s | new / old | spread of the new rounds |",
            "|---|---|---|---|---|",
            *rows,
        ]
    )
    publish(args, f"Before and after: commit {old.stdout.strip()} against {new.strip()}", body, started)


if __name__ == "__main__":
    main()
