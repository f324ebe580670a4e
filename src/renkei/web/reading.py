"""Uploads read away from the web server's event loop and threads: in a small pool of worker processes.

A table read by the web app (the check page, ``/api/check``, the import pages) is read in a process of its own,
with the reader's limits (``renkei.ingest.limits``) including its time, which a process's main thread enforces
with a timer signal. One hostile or merely large upload then holds one of those processes for at most
``max_seconds``, while the server goes on answering every other request. The parent waits a little longer than
that and, should a worker hang where no signal reaches it (inside a C library), ends the pool's processes and
starts a new pool.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import datetime
import multiprocessing
import os
import threading
from typing import Any

from renkei.asof import as_of, head_text
from renkei.ingest import Reading, TableReadError, read_bytes
from renkei.ingest.limits import DEFAULT, Limits, refuse

# Upload readers per server process: two CPUs' worth, enough that one slow upload leaves room for another.
WORKERS = max(1, min(2, os.cpu_count() or 1))
GRACE = 10.0  # seconds the parent waits beyond the reader's own time limit

_lock = threading.Lock()
_pool: concurrent.futures.ProcessPoolExecutor | None = None


def _executor() -> concurrent.futures.ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            # spawn: a forked copy of a running server (its event loop, its database connections) is no reader.
            _pool = concurrent.futures.ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("spawn"))
            atexit.register(_pool.shutdown, wait=True, cancel_futures=True)  # before the interpreter's teardown
        return _pool


def _reset(broken: concurrent.futures.ProcessPoolExecutor) -> None:
    global _pool
    with _lock:
        if _pool is broken:
            _pool = None
    # The executor cannot stop one task: its processes are ended (a private attribute, read defensively).
    for process in list(getattr(broken, "_processes", {}).values()):
        process.kill()
    broken.shutdown(wait=False, cancel_futures=True)


def _read(data: bytes, name: str, options: dict[str, Any]) -> Reading | tuple[str, Any, dict[str, object]]:
    """In the worker: the reading, or the read error as plain values (an exception's own parameters do not
    survive pickling)."""
    try:
        return read_bytes(data, name, **options)
    except TableReadError as error:
        return (error.code, error.location, dict(error.params))


def _result(value: Reading | tuple[str, Any, dict[str, object]]) -> Reading:
    if isinstance(value, Reading):
        return value
    code, location, params = value
    raise TableReadError(code, location, **params)


def _timeout(limits: Limits) -> TableReadError:
    return refuse("max_seconds", f"> {limits.max_seconds:g}", limits.max_seconds)


async def read_upload(data: bytes, name: str, **options: Any) -> Reading:
    """``read_bytes`` in a worker process, awaited without holding the event loop."""
    limits: Limits = options.get("limits") or DEFAULT
    pool = _executor()
    future = pool.submit(_read, data, name, options)
    try:
        value = await asyncio.wait_for(asyncio.wrap_future(future), limits.max_seconds + GRACE)
    except TimeoutError:
        _reset(pool)
        raise _timeout(limits) from None
    except concurrent.futures.process.BrokenProcessPool:  # a worker died (out of memory, killed)
        _reset(pool)
        raise TableReadError("reader-crashed") from None
    return _result(value)


def read_isolated(data: bytes, name: str, **options: Any) -> Reading:
    """``read_bytes`` in a worker process, for a handler that runs in a thread."""
    limits: Limits = options.get("limits") or DEFAULT
    pool = _executor()
    future = pool.submit(_read, data, name, options)
    try:
        value = future.result(timeout=limits.max_seconds + GRACE)
    except concurrent.futures.TimeoutError:
        _reset(pool)
        raise _timeout(limits) from None
    except concurrent.futures.process.BrokenProcessPool:
        _reset(pool)
        raise TableReadError("reader-crashed") from None
    return _result(value)


def _table_date(data: bytes, name: str) -> datetime.date | None:
    return as_of(head_text(data, name))


async def table_date(data: bytes, name: str) -> datetime.date | None:
    """The date the file says its table stands at (「令和6年4月1日現在」, ``renkei.asof``), read in a worker
    process like the table itself; None where it says none or cannot be read in time."""
    future = _executor().submit(_table_date, data, name)
    try:
        return await asyncio.wait_for(asyncio.wrap_future(future), DEFAULT.max_seconds)
    except (TimeoutError, concurrent.futures.process.BrokenProcessPool):
        return None
