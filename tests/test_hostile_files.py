"""The standing hostile-file suite (issue 22): each file of scripts/hostile.py, through the command line,
``/api/check`` and the check page, ends in a clean refusal (exit 2 / 422) or a reading, within 512 MB and
20 s of CPU; and a flood of hostile uploads leaves the server answering.

Before the fix a 1 MB deflate bomb took 2.1 GB and an 806-byte ToUnicode map 2.2 GB (failure 2); the time
limit escaped wrapped in pdfplumber's exception (a 500 on /check, failure 3); a flood of 20 hostile PDFs made
valid uploads answer 500 (failure 1).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from clirun import cli_env
from test_reader_pool import children
from webserver import Server, free_port, running_server

ROOT = Path(__file__).resolve().parents[1]
RSS_MB = 512
CPU_SECONDS = 20.0
CALM_P99 = 0.02  # the canary's p99 without a flood on a machine of its own: a kept answer costs 2 to 3 ms


def _hostile() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hostile", ROOT / "scripts" / "hostile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HOSTILE = _hostile()
NAMES = sorted(HOSTILE.FILES)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {p.name: p for p in HOSTILE.write(tmp_path_factory.mktemp("hostile"))}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    where = tmp_path_factory.mktemp("hostile-served")
    port = free_port()
    options = ("--db", where / "r.db", "--port", str(port), "--forwarded-allow-ips", "127.0.0.1")
    with running_server(where / "serve.log", *options, port=port) as server:
        yield server


# The child's own peak RSS, read from /proc/self/status as it exits: wait4's ru_maxrss would also count the pages
# it shared with this test process between fork and exec (a late test's pytest holds more than a gigabyte).
_HIGH_WATER = """
import atexit, os, runpy, sys
def _written():
    with open("/proc/self/status") as status, open(os.environ["RENKEI_TEST_HWM"], "w") as out:
        out.write(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
atexit.register(_written)
sys.argv = ["renkei", *sys.argv[1:]]
runpy.run_module("renkei", run_name="__main__", alter_sys=True)
"""


def _measured(arguments: list[str]) -> tuple[int, str, float, float]:
    """``renkei ARGUMENTS`` in a child process: exit status, standard error, CPU seconds and peak RSS (MB)."""
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out, tempfile.TemporaryDirectory() as tmp:
        high_water = Path(tmp) / "hwm"
        env = {**cli_env(), "RENKEI_TEST_HWM": str(high_water)}
        child = subprocess.Popen([sys.executable, "-c", _HIGH_WATER, *arguments], stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
        rss = int(high_water.read_text()) / 1024 if high_water.exists() else usage.ru_maxrss / 1024
    return child.returncode, text, usage.ru_utime + usage.ru_stime, rss


@pytest.mark.parametrize("name", NAMES)
def test_the_cli_refuses_or_reads_within_the_limits(files: dict[str, Path], name: str) -> None:
    status, stderr, cpu, rss = _measured(["check", str(files[name]), "--json"])
    print(f"{name}: exit {status}, {cpu:.1f} s CPU, {rss:.0f} MB")  # the figures docs/reliability.md quotes
    assert status in (0, 1, 2), stderr
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    assert status != 2 or stderr.startswith("renkei: "), stderr  # a one-line reason
    assert rss <= RSS_MB, f"{name}: {rss:.0f} MB"
    assert cpu <= CPU_SECONDS, f"{name}: {cpu:.1f} s"


def _peak_rss_mb(pids: list[int]) -> float:
    peaks = []
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        peaks += [int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")]
    return max(peaks, default=0.0)


def test_the_web_refuses_or_reads_within_the_limits(served: Server, files: dict[str, Path]) -> None:
    """Each file through /api/check and the check page: 200 or 422, never a 500; the readers' peak RSS."""
    answers: dict[str, tuple[int, int]] = {}
    with httpx.Client(base_url=served.url, timeout=90) as client:
        for name in NAMES:
            data = files[name].read_bytes()
            api = client.post("/api/check", files={"file": (name, data)})
            page = client.post("/check", files={"file": (name, data)})
            answers[name] = (api.status_code, page.status_code)
    wrong = {n: a for n, a in answers.items() if not set(a) <= {200, 422}}
    assert not wrong, (wrong, served.output()[-3000:])
    readers = children(served.process.pid)
    assert readers
    peak = _peak_rss_mb(readers)
    print(f"the readers' peak RSS: {peak:.0f} MB")
    assert peak <= RSS_MB


# The canary asks a page every 50 ms from a process of its own, until a file appears, and prints its latencies.
_CANARY = """
import json, os, sys, time
import httpx
url, stop = sys.argv[1], sys.argv[2]
seen = []
with httpx.Client(base_url=url, timeout=30) as client:
    client.get("/api/spheres")
    while not os.path.exists(stop):
        start = time.monotonic()
        assert client.get("/api/spheres").status_code == 200
        seen.append(time.monotonic() - start)
        time.sleep(0.05)
print(json.dumps(seen))
"""


@contextlib.contextmanager
def _canary(url: str, where: Path) -> Iterator[list[float]]:
    """A page's latencies while the block runs, asked from a process of its own (a thread of this process would
    wait for the GIL behind the 23 upload threads: 2 to 5 times the server's own p99, measured)."""
    stop = where / f"stop-{time.monotonic_ns()}"
    process = subprocess.Popen([sys.executable, "-c", _CANARY, url, str(stop)], stdout=subprocess.PIPE, text=True)
    seen: list[float] = []
    try:
        yield seen
    finally:
        stop.touch()
        out, _ = process.communicate(timeout=60)
    assert process.returncode == 0, out
    seen += json.loads(out)


def _p99(seen: list[float]) -> float:
    assert len(seen) >= 10, seen
    return statistics.quantiles(seen, n=100)[98]


def test_a_flood_of_hostile_uploads_leaves_the_server_answering(
    served: Server, files: dict[str, Path], tmp_path: Path
) -> None:
    """20 hostile and 3 valid uploads at once, from 23 addresses, on the readers: no 500, each valid upload
    read (200) or told to come back (503 with Retry-After), and a page asked meanwhile answers quickly.

    The page's p99 must stay under 200 ms. On a crowded machine (the tests share 2 CPUs with other work) every
    millisecond of the server's work takes many of wall clock, whatever the server does: the same canary is
    first run for 8 s without the flood, and where its p99 is above a calm machine's (``CALM_P99``) the limit
    grows in proportion (a machine four times slower than calm for the page alone is allowed 800 ms). On a calm
    machine the limit is the issue's 200 ms.
    Measured at a load average of 24: the page's answers waited for a CPU behind the two readers (fixed: the
    readers run at a lower priority, ``web.reading.NICENESS``; the flood's median went from 63 to 26 ms), and a
    canary thread in this process behind the upload threads' GIL (now a process of its own)."""
    hostile = ["text_objects_1e6.pdf", "deflate_bomb.pdf", "xobject_tree.pdf", "tounicode_range.pdf"]
    valid = (ROOT / "tests" / "corpus" / "pdf" / "hachinohe_chromium_ruled.pdf").read_bytes()
    uploads = [(hostile[i % len(hostile)], files[hostile[i % len(hostile)]].read_bytes()) for i in range(20)]
    uploads[5:5] = [("valid.pdf", valid)]
    uploads[12:12] = [("valid.pdf", valid)]
    uploads.append(("valid.pdf", valid))

    def upload(index: int) -> httpx.Response:
        name, data = uploads[index]
        headers = {"X-Forwarded-For": f"192.0.2.{index + 1}"}
        with httpx.Client(base_url=served.url, timeout=90) as client:
            return client.post("/api/check", files={"file": (name, data)}, headers=headers)

    with _canary(served.url, tmp_path) as calm:
        time.sleep(8)
    with _canary(served.url, tmp_path) as canary, ThreadPoolExecutor(len(uploads)) as pool:
        answers = list(pool.map(upload, range(len(uploads))))
    statuses = [a.status_code for a in answers]
    assert 500 not in statuses, [(uploads[i][0], a.status_code, a.text[:200]) for i, a in enumerate(answers)]
    assert set(statuses) <= {200, 422, 503}, statuses
    for (name, _), answer in zip(uploads, answers, strict=True):
        if answer.status_code == 503:
            assert int(answer.headers["Retry-After"]) > 0
        if name == "valid.pdf":
            assert answer.status_code in (200, 503), answer.text[:300]
    p99, calm_p99 = _p99(canary), _p99(calm)
    limit = 0.2 * max(1.0, calm_p99 / CALM_P99)
    print(f"flood: {statuses}; canary p99 {p99 * 1000:.0f} ms over {len(canary)} requests (without the flood "
          f"{calm_p99 * 1000:.0f} ms over {len(calm)}; limit {limit * 1000:.0f} ms)")  # fmt: skip
    assert p99 < limit, (sorted(canary)[-5:], calm_p99)
    # After the flood, a valid upload is read.
    after = httpx.post(f"{served.url}/api/check", files={"file": ("valid.pdf", valid)}, timeout=90)
    assert after.status_code == 200, after.text[:300]
