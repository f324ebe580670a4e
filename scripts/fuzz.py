"""The long fuzz run: every reader, through the command line, each case in its own process under limits.

    .venv/bin/python scripts/fuzz.py --minutes 30 [--jobs 2] [--seed 1] [--out tests/fuzz_regressions]
    .venv/bin/python scripts/fuzz.py --quick        # a few dozen cases, as tests/test_fuzz_script.py runs it

The cases are those of tests/fuzzing.py (mutations of renkei's own exports in every format of the renderer
registry, random bytes, hostile files built on purpose), drawn by hypothesis with a seed per job. Each runs as
``renkei check FILE --json [--encoding E]`` in a subprocess; a case fails when

- the exit status is not 0, 1 or 2, or standard error holds a traceback or "internal error";
- it takes more than ``--seconds`` (10) of CPU time (killed once past it), or hangs (killed at ``HANG_SECONDS``
  of wall-clock time: a starved case is slow, not hung).
  Cases over the limit in wall-clock time only are counted (``over_wall``) but not failures: on a shared
  machine the wall clock measures the others' load as much as the case (the minimiser cannot reproduce them);
- its peak resident memory (the child's ``ru_maxrss``) is over ``--rss-mb`` (1,024).

Each failing input is minimised (deleting chunks while the same failure remains, within a budget) and written to
``--out`` with a ``.json`` beside it (its encoding and what failed); tests/test_fuzz.py replays every file there.
The summary (cases, exits, failures by kind, the slowest and largest cases) is printed as JSON and written to
``--report``; docs/reliability.md quotes it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

MEMORY_CEILING = 3 * 1024**3  # address space of a case: far above the 1 GB judged, so the machine stays usable
# A case is killed past its CPU time (``--seconds``), judged on the case's own CPU; the wall clock ends only a case
# that never ends. On a shared machine at ``nice`` a case may get 1 % of a CPU: three times the CPU limit in
# wall-clock time killed cases that had used 0.3 s of CPU, and called them hangs.
HANG_SECONDS = 600.0


@dataclass
class Run:
    """What one case did."""

    status: int | None
    wall: float
    cpu: float
    rss_mb: float
    failure: str | None = None


@dataclass
class Summary:
    cases: int = 0
    exits: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    origins: Counter[str] = field(default_factory=Counter)
    over_wall: int = 0
    over_cpu: int = 0
    over_rss: int = 0
    max_wall: float = 0.0
    max_cpu: float = 0.0
    max_rss_mb: float = 0.0
    slowest: str = ""
    saved: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        # dataclasses.asdict would rebuild each Counter from (key, value) pairs, counting the pairs.
        return {name: dict(v) if isinstance(v, Counter) else v for name, v in vars(self).items()}

    def add(self, origin: str, run: Run) -> None:
        self.cases += 1
        self.origins[origin.split(":")[0]] += 1
        self.exits[str(run.status)] += 1
        if run.failure:
            self.failures[run.failure.split(":")[0]] += 1
        if run.wall > self.max_wall:
            self.max_wall, self.slowest = run.wall, origin
        self.max_cpu = max(self.max_cpu, run.cpu)
        self.max_rss_mb = max(self.max_rss_mb, run.rss_mb)

    def merge(self, other: dict[str, object]) -> None:
        for name in ("exits", "failures", "origins"):
            getattr(self, name).update(other[name])
        for name in ("cases", "over_wall", "over_cpu", "over_rss"):
            setattr(self, name, getattr(self, name) + other[name])
        self.max_cpu = max(self.max_cpu, float(other["max_cpu"]))  # type: ignore[arg-type]
        self.max_rss_mb = max(self.max_rss_mb, float(other["max_rss_mb"]))  # type: ignore[arg-type]
        if float(other["max_wall"]) > self.max_wall:  # type: ignore[arg-type]
            self.max_wall, self.slowest = float(other["max_wall"]), str(other["slowest"])  # type: ignore[arg-type]
        self.saved.extend(other["saved"])  # type: ignore[arg-type]


# One case in a subprocess --------------------------------------------------------------------------------------


def _cpu(pid: int) -> float:
    """A running process's CPU time so far (from /proc; 0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CEILING, MEMORY_CEILING))


def run_case(data: bytes, encoding: str | None, suffix: str, seconds: float, rss_mb: float) -> Run:
    with tempfile.TemporaryDirectory(prefix="renkei-fuzz-") as tmp:
        path = Path(tmp) / f"case.{suffix}"
        path.write_bytes(data)
        command = [sys.executable, "-m", "renkei", "check", str(path), "--json"]
        if encoding is not None:
            command += ["--encoding", encoding.replace("\x00", "")]  # an argument cannot hold NUL
        env = {**os.environ, "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
        env.pop("RENKEI_DEBUG", None)
        out, err = Path(tmp) / "out", Path(tmp) / "err"
        start = time.monotonic()
        with out.open("wb") as stdout, err.open("wb") as stderr:
            process = subprocess.Popen(command, stdout=stdout, stderr=stderr, env=env, preexec_fn=_limit_memory)
            killed = False
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                if not killed and (_cpu(process.pid) > seconds + 1 or time.monotonic() - start > HANG_SECONDS):
                    os.kill(process.pid, signal.SIGKILL)
                    killed = True
                time.sleep(0.01)
            process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - start
        cpu = usage.ru_utime + usage.ru_stime
        rss = usage.ru_maxrss / 1024
        run = Run(process.returncode, round(wall, 3), round(cpu, 3), round(rss, 1))
        stdout_text, stderr_text = out.read_text("utf-8", "replace"), err.read_text("utf-8", "replace")
        run.failure = _failure(run, stdout_text, stderr_text, seconds, rss_mb)
        return run


def _failure(run: Run, stdout: str, stderr: str, seconds: float, rss_mb: float) -> str | None:
    if "Traceback" in stderr or "internal error" in stderr:
        lines = [line for line in stderr.splitlines() if "internal error" in line or "Error" in line]
        return f"exception:{(lines or ['?'])[-1].strip()[:200]}"
    if run.cpu > seconds:  # killed past its CPU time, or ended after it
        return "cpu-time"
    if run.wall > HANG_SECONDS:  # killed: it never ended, whatever the machine's load
        return "hang"
    if run.status not in (0, 1, 2):
        return f"exit:{run.status}"
    if run.cpu > seconds:
        return "cpu-time"
    if run.rss_mb > rss_mb:
        return "memory"
    if run.status in (0, 1):
        try:
            json.loads(stdout)
        except ValueError:
            return "json:stdout is not one JSON object"
    return None


# Minimising ----------------------------------------------------------------------------------------------------


def minimise(data: bytes, same: object, budget: float) -> bytes:
    """Delta debugging on bytes: drop chunks, halving their size, while ``same(candidate)`` holds."""
    deadline = time.monotonic() + budget
    chunk = max(1, len(data) // 2)
    while chunk >= 1 and time.monotonic() < deadline:
        at, shrunk = 0, False
        while at < len(data) and time.monotonic() < deadline:
            candidate = data[:at] + data[at + chunk :]
            if candidate and same(candidate):  # type: ignore[operator]
                data, shrunk = candidate, True
            else:
                at += chunk
        if not shrunk:
            chunk //= 2
    return data


def save(out: Path, data: bytes, suffix: str, encoding: str | None, origin: str, run: Run) -> str:
    out.mkdir(parents=True, exist_ok=True)
    name = f"{hashlib.sha256(data).hexdigest()[:16]}.{suffix}"
    (out / name).write_bytes(data)
    meta = {"encoding": encoding, "origin": origin, **asdict(run)}
    (out / f"{name}.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return name


# A job: hypothesis draws, each case runs in a subprocess ----------------------------------------------------


class _TimeUp(Exception):
    pass


def job(args: argparse.Namespace) -> Summary:
    import hostile
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as seeded

    from fuzzing import Case, cases

    summary = Summary()
    deadline = time.monotonic() + args.minutes * 60
    kinds_saved: Counter[str] = Counter()

    # The files of scripts/hostile.py (PDF bombs, DOCX/ODS/XLSX/HTML entity expansion, zip bombs, nesting).
    made = [Case(make(), None, "{1}:{0}".format(*name.rsplit(".", 1))) for name, make in hostile.FILES.items()]

    @seeded(args.seed)
    @settings(
        max_examples=args.max_cases or 10**9,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(cases(made))
    def one(case: Case) -> None:
        if time.monotonic() > deadline:
            raise _TimeUp
        suffix = case.suffix()
        run = run_case(case.data, case.encoding, suffix, args.seconds, args.rss_mb)
        summary.add(case.origin, run)
        summary.over_wall += run.wall > args.seconds
        summary.over_cpu += run.cpu > args.seconds
        summary.over_rss += run.rss_mb > args.rss_mb
        if run.failure is None or kinds_saved[run.failure] >= 2:
            return
        kinds_saved[run.failure] += 1

        def same(candidate: bytes) -> bool:
            return run_case(candidate, case.encoding, suffix, args.seconds, args.rss_mb).failure == run.failure

        small = minimise(case.data, same, args.minimise_seconds)
        summary.saved.append(save(args.out, small, suffix, case.encoding, case.origin, run))
        print(f"failure {run.failure} ({case.origin}) saved", file=sys.stderr, flush=True)

    try:
        one()
    except _TimeUp:
        pass
    except Exception as error:  # hypothesis re-raises _TimeUp wrapped at times
        if "_TimeUp" not in repr(error):
            raise
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=10.0, help="limit of CPU and wall time per case")
    parser.add_argument("--rss-mb", type=float, default=1024.0, help="limit of peak memory per case")
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "fuzz_regressions")
    parser.add_argument("--report", type=Path, default=None)
    parser.add_argument("--minimise-seconds", type=float, default=120.0)
    parser.add_argument("--max-cases", type=int, default=0, help="stop a job after this many cases")
    parser.add_argument("--quick", action="store_true", help="one job of 24 cases")
    parser.add_argument("--job", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.jobs, args.max_cases, args.minutes = 1, 24, 5.0  # the cases, not the clock, end a quick run
    if args.job:
        print(json.dumps(job(args).to_dict()))
        return
    started = time.monotonic()
    # Ended from outside (SIGTERM): the jobs end too (the finally below), rather than run on unattended.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(1))
    workers = []
    for i in range(args.jobs):
        options = {"--seed": args.seed + i, "--minutes": args.minutes, "--seconds": args.seconds,
                   "--rss-mb": args.rss_mb, "--out": args.out, "--minimise-seconds": args.minimise_seconds,
                   "--max-cases": args.max_cases}  # fmt: skip
        command = [sys.executable, __file__, "--job", *(str(x) for pair in options.items() for x in pair)]
        workers.append(subprocess.Popen(command, stdout=subprocess.PIPE, text=True))
    total = Summary()
    try:
        for worker in workers:
            stdout, _ = worker.communicate()
            if worker.returncode != 0:
                raise SystemExit(f"a fuzz job failed (exit {worker.returncode})")
            total.merge(json.loads(stdout.strip().splitlines()[-1]))
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    report = {**total.to_dict(), "minutes": round((time.monotonic() - started) / 60, 1), "jobs": args.jobs,
              "seed": args.seed, "seconds_limit": args.seconds, "rss_limit_mb": args.rss_mb}  # fmt: skip
    text = json.dumps(report, ensure_ascii=False, indent=1)
    print(text)
    if args.report:
        args.report.write_text(text + "\n", encoding="utf-8")
    raise SystemExit(1 if total.failures else 0)


if __name__ == "__main__":
    main()
