"""The upload readers' pool: its workers die with the server, a client holds one reader, a full pool says 503.

Issue 22's failures 1 and 5: after kill -9 (or SIGTERM) of ``renkei serve`` the spawn workers and the
resource tracker stayed alive with parent 1; and two uploads timing out on the same pool made the pool's reset
fail (``AttributeError`` in web/reading.py) and later uploads answer 500.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import signal
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from starlette.requests import Request

from renkei.ingest import TableReadError
from renkei.ingest.limits import Limits
from renkei.web import reading
from webserver import free_port, running_server

T = TypeVar("T")


def in_own_loop(awaitable: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` in a thread of its own: a browser test's Playwright may hold this thread's event loop."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, awaitable).result()


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def alive(pids: list[int]) -> list[int]:
    return [p for p in pids if Path(f"/proc/{p}").exists() and "(Z)" not in _state(p)]


def _state(pid: int) -> str:
    try:
        return "(" + Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] + ")"
    except OSError:
        return "(gone)"


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM, signal.SIGSEGV], ids=["kill-9", "term", "crash"])
def test_the_readers_die_with_the_server(tmp_path: Path, seed_bytes: bytes, how: signal.Signals) -> None:
    port = free_port()
    with running_server(tmp_path / "serve.log", "--db", tmp_path / "r.db", "--port", str(port), port=port) as server:
        answer = httpx.post(f"{server.url}/api/check", files={"file": ("seed.txt", seed_bytes)}, timeout=60)
        assert answer.status_code == 200, answer.text
        readers = children(server.process.pid)
        assert len(readers) >= reading.WORKERS, readers  # the workers (and the resource tracker)
        os.kill(server.process.pid, how)
        server.process.wait(20)
        until = time.monotonic() + 5
        while alive(readers) and time.monotonic() < until:
            time.sleep(0.1)
    left = alive(readers)
    assert not left, [(p, Path(f"/proc/{p}/cmdline").read_bytes()[:80]) for p in left]


def _request(address: str, cookie: str = "") -> Request:
    headers = [(b"cookie", f"renkei_session={cookie}".encode())] if cookie else []
    return Request({"type": "http", "client": (address, 1), "headers": headers, "method": "POST", "path": "/"})


def test_a_client_holds_one_place_and_a_full_pool_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    places = reading.Places(1)
    places.enter(["address:a"])
    with pytest.raises(reading.ReadersBusy) as held:
        places.enter(["address:a"])  # the same client again, while it waits or reads
    assert held.value.held
    assert places.take(0.1)
    places.enter(["address:b"])
    assert not places.take(0.1)  # the only place is taken: the wait ends
    places.leave(["address:a"], took=True)
    assert places.take(0.1)  # given back, it is the next client's


def test_readings_past_their_time_leave_the_pool_serving(seed_bytes: bytes) -> None:
    """Four slow readings on the pool at once, from four clients, each past a half-second limit: each ends as
    the time limit's refusal or a busy pool's answer, and a reading after them is read."""
    slow = seed_bytes * 400
    limits = Limits(max_seconds=0.5)

    async def one(address: str) -> str:
        try:
            await reading.read_upload(_request(address), slow, "slow.txt", limits=limits)
        except TableReadError as error:
            return str(error.params.get("limit", error.code))
        except reading.ReadersBusy as busy:
            return "held" if busy.held else "busy"
        return "read"

    async def flood() -> list[str]:
        return list(await asyncio.gather(*(one(f"10.0.0.{i}") for i in range(4))))

    outcomes = in_own_loop(flood())
    assert set(outcomes) <= {"max_seconds", "busy"}, outcomes
    assert "max_seconds" in outcomes, outcomes
    after = in_own_loop(reading.read_upload(_request("10.0.0.9"), seed_bytes, "seed.txt"))
    assert after.vision.projects


def test_a_worker_past_its_time_is_replaced(seed_bytes: bytes) -> None:
    """A task no signal ends (a C call) is ended by the pool at its timeout; the worker is replaced."""
    pool = reading._readers()
    future = pool.schedule(time.sleep, args=(30,), timeout=0.5)
    with pytest.raises(TimeoutError):
        future.result(timeout=20)
    result = in_own_loop(reading.read_upload(_request("10.0.1.1"), seed_bytes, "seed.txt"))
    assert result.vision.projects


def test_no_reader_free_is_503_and_a_second_upload_of_a_client_is_429(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, seed_bytes: bytes
) -> None:
    """The answers, as a client meets them: with every reader busy past the wait, 503; while the client's own
    upload holds a reader, 429; both with Retry-After, as JSON on the API and as a page on the check page."""
    from fastapi.testclient import TestClient

    from renkei.store import Store
    from renkei.web.app import create_app

    monkeypatch.setattr(reading, "WAIT_SECONDS", 0.2)
    store = Store.open(f"sqlite:///{tmp_path / 'r.db'}")
    try:
        with TestClient(create_app(store)) as client:
            monkeypatch.setattr(reading, "_places", reading.Places(0))  # every reader busy
            busy = client.post("/api/check", files={"file": ("seed.txt", seed_bytes)})
            assert busy.status_code == 503, busy.text
            assert busy.json()["error"]["code"] == "readers-busy" and int(busy.headers["Retry-After"]) > 0
            page = client.post("/check", files={"file": ("seed.txt", seed_bytes)})
            assert page.status_code == 503 and "Retry-After" in page.headers and "<html" in page.text
            places = reading.Places(2)
            places.enter(["address:testclient"])  # this client's first upload is being read
            monkeypatch.setattr(reading, "_places", places)
            held = client.post("/api/check", files={"file": ("seed.txt", seed_bytes)})
            assert held.status_code == 429, held.text
            assert held.json()["error"]["code"] == "reader-held" and int(held.headers["Retry-After"]) > 0
            places.leave(["address:testclient"], took=False)
            assert client.post("/api/check", files={"file": ("seed.txt", seed_bytes)}).status_code == 200
    finally:
        store.close()
