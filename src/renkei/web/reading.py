"""Uploads read away from the web server: in a maintained pool of reader processes that survives floods.

A table read by the web app (the check page, ``/api/check``, the import pages) is read in a worker process of a
``pebble.ProcessPool``, under the reader's limits (``renkei.ingest.limits``: time by a timer signal, memory by
``RLIMIT_AS``, the PDF bounds checked while reading). The pool is kept, not rebuilt: a worker whose task runs
past its time is ended by the pool and replaced, one that dies (a bomb past its address space) likewise.

Two limits, apart: the **wait** for a free reader (``WAIT_SECONDS``) and the **reading** (the limits' time, plus
``GRACE``, counted by the pool from the moment a worker takes the task). An upload that finds every reader busy
past its wait is answered 503 with ``Retry-After``; one client (an address, and a signed-in account) holds at
most one reader or place in the wait at a time, and a second upload while the first is read is answered 429
with ``Retry-After``. Neither is ever a 500.

The workers die with the server, on SIGTERM, SIGKILL or a crash: each asks the kernel for SIGKILL when its parent
dies and watches its parent (``renkei.core.lifeline``, as the manifest workers do). The kernel's signal follows the
*thread* that started a worker, so the pool is started by a thread of its own that lives as long as the pool
(the pool's own manager thread starts the replacements). The readers run at a lower priority than the server
(``NICENESS``), so a flood that keeps them busy leaves the pages answering.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import datetime
import importlib
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from pebble import ProcessPool
from starlette.concurrency import run_in_threadpool

from renkei.core import lifeline
from renkei.core.errorkinds import Family, kind_of
from renkei.core.messages import t
from renkei.ingest import Reading, TableReadError, read_bytes
from renkei.ingest.asof import as_of, head_text
from renkei.ingest.limits import DEFAULT, Limits, refuse

# Upload readers per server process: two CPUs' worth, enough that one slow upload leaves room for another.
WORKERS = max(1, min(2, os.cpu_count() or 1))
WAIT_SECONDS = 5.0  # how long an upload waits for a free reader before it is answered 503
GRACE = 5.0  # seconds the pool gives a reading beyond the reader's own time limit before it ends the worker
RETRY_AFTER = 10  # seconds a refused client is told to wait
# The readers' scheduling priority below the server's: a flood of slow uploads keeps both CPUs busy, and the pages
# must not wait for them (at equal priority a page's answer queued behind two readers for most of its time).
NICENESS = 10
# The parameter that names a budget annex whose reading failed (the table's own read error has none).
ANNEX_FILE = "annex_file"

log = logging.getLogger(__name__)


class ReadersBusy(Exception):
    """Every reader is busy (503), or this client already holds one (429); both with ``Retry-After``."""

    def __init__(self, held: bool) -> None:
        super().__init__(held)
        self.held = held
        self.code = "reader-held" if held else "readers-busy"


# The places ---------------------------------------------------------------------------------------------------


class Places:
    """The readers' places: ``size`` of them, and which clients hold one or wait for one."""

    def __init__(self, size: int) -> None:
        self._free = size
        self._holders: set[str] = set()
        self._changed = threading.Condition()

    def enter(self, clients: Sequence[str]) -> None:
        """Mark the clients as holding (or waiting for) a place; ``ReadersBusy(held=True)`` when one already is."""
        with self._changed:
            if any(c in self._holders for c in clients):
                raise ReadersBusy(held=True)
            self._holders.update(clients)

    def try_take(self) -> bool:
        with self._changed:
            if self._free > 0:
                self._free -= 1
                return True
            return False

    def take(self, seconds: float) -> bool:
        with self._changed:
            if not self._changed.wait_for(lambda: self._free > 0, timeout=seconds):
                return False
            self._free -= 1
            return True

    def leave(self, clients: Sequence[str], *, took: bool) -> None:
        with self._changed:
            self._holders.difference_update(clients)
            if took:
                self._free += 1
                self._changed.notify()


_places = Places(WORKERS)


# The pool -----------------------------------------------------------------------------------------------------

_lock = threading.Lock()
_pool: ProcessPool | None = None


def _prepare(parent: int) -> None:
    """A worker's start: die with the server, then import the readers once (not in the first upload's time)."""
    lifeline.die_with(parent)
    os.nice(NICENESS)
    for module in ("pdfplumber", "renkei.ingest.pdf", "renkei.ingest.xlsx"):
        importlib.import_module(module)


def _ready() -> int:
    return os.getpid()


def _readers() -> ProcessPool:
    global _pool
    with _lock:
        if _pool is None or not _pool.active:
            if _pool is not None:  # broken: its workers are ended before another pool starts
                _stop(_pool)
            _pool = _start()
        return _pool


def _start() -> ProcessPool:
    pool = ProcessPool(
        WORKERS,
        initializer=_prepare,
        initargs=(os.getpid(),),
        # spawn: a forked copy of a running server (its event loop, its database connections) is no reader.
        context=multiprocessing.get_context("spawn"),
    )
    started = threading.Event()
    threading.Thread(target=_keep, args=(pool, started), name="renkei-readers", daemon=True).start()
    started.wait(60)
    atexit.register(_stop, pool)  # before the interpreter's teardown
    return pool


def _keep(pool: ProcessPool, started: threading.Event) -> None:
    """Start the pool's first workers from this thread, and live as long as the process (see the module's
    docstring: a worker's parent-death signal follows the thread that started it)."""
    try:
        first = pool.schedule(_ready)  # starts the pool: its first workers are this thread's children
    finally:
        started.set()
    try:
        first.result(timeout=120)
    except Exception:  # the pool's own error reaches the uploads; this thread only starts it
        log.exception("the readers' pool did not start")
    threading.Event().wait()


def _stop(pool: ProcessPool) -> None:
    pool.stop()  # type: ignore[no-untyped-call]
    pool.join(timeout=5)


def shutdown() -> None:
    """End the readers (a test, or a server that stops its app)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        _stop(pool)


# In the worker ------------------------------------------------------------------------------------------------


def _read(data: bytes, name: str, options: dict[str, Any]) -> Reading | tuple[str, Any, dict[str, object]]:
    """The reading, or the read error as plain values (an exception's own parameters do not survive
    pickling). With ``annex`` (its bytes and file name) among the options, the budget annex (別冊) read and
    merged into the table's vision (``renkei.ingest.annex``) in the same task; an annex that is not a table is
    the reading's error, its file named by ``annex_file``."""
    annex: tuple[bytes, str] | None = options.pop("annex", None)
    try:
        reading = read_bytes(data, name, **options)
    except TableReadError as error:
        return (error.code, error.location, dict(error.params))
    if annex is None:
        return reading
    from renkei.ingest.annex import merge, read_annex_bytes

    try:
        return merge(reading, read_annex_bytes(*annex))
    except TableReadError as error:
        return (error.code, error.location, {**error.params, ANNEX_FILE: annex[1]})


def _result(future: concurrent.futures.Future[Any], limits: Limits) -> Reading:
    try:
        value = future.result(timeout=0)
    except TimeoutError:  # the pool ended the worker: the reading ran past its time where no signal reached it
        raise refuse("max_seconds", f"> {limits.max_seconds:g}", limits.max_seconds) from None
    except Exception as error:  # the worker died (past its address space in C code, killed) or the pool broke
        log.warning("an upload's reader failed: %s: %s", type(error).__name__, error)
        raise TableReadError("reader-crashed") from None
    if isinstance(value, Reading):
        return value
    code, location, params = value
    raise TableReadError(code, location, **params)


# The doors ----------------------------------------------------------------------------------------------------


def _clients(request: Request, who: str | None) -> tuple[str, ...]:
    address = request.client.host if request.client else "unknown"
    return (f"address:{address}",) if who is None else (f"address:{address}", f"account:{who}")


def _signed_in(request: Request) -> bool:
    from renkei.web.auth import SESSION_COOKIE

    bearer = request.headers.get("authorization", "")[:7].lower() == "bearer "
    return bearer or bool(request.cookies.get(SESSION_COOKIE))


def _who(request: Request) -> str | None:
    from renkei.web.auth import principal

    found = principal(request)
    return found.username if found is not None else None


async def read_upload(request: Request, data: bytes, name: str, **options: Any) -> Reading:
    """``read_bytes`` in a reader process, awaited without holding the event loop."""
    limits: Limits = options.get("limits") or DEFAULT
    who = await run_in_threadpool(_who, request) if _signed_in(request) else None
    clients = _clients(request, who)
    _places.enter(clients)
    took = False
    try:
        until = time.monotonic() + WAIT_SECONDS
        while not (took := _places.try_take()):
            if time.monotonic() >= until:
                raise ReadersBusy(held=False)
            await asyncio.sleep(0.05)
        pool = await run_in_threadpool(_readers)  # the first call starts the pool: not on the event loop
        future = pool.schedule(_read, args=(data, name, options), timeout=limits.max_seconds + GRACE)
    except BaseException:
        _places.leave(clients, took=took)
        raise
    # The place is the reader's until the reading ends, even if this request is abandoned meanwhile.
    future.add_done_callback(lambda _: _places.leave(clients, took=True))
    await asyncio.wait([asyncio.wrap_future(future)])
    return _result(future, limits)


def read_isolated(request: Request, data: bytes, name: str, **options: Any) -> Reading:
    """``read_bytes`` in a reader process, for a handler that runs in a thread."""
    limits: Limits = options.get("limits") or DEFAULT
    clients = _clients(request, _who(request) if _signed_in(request) else None)
    _places.enter(clients)
    took = False
    try:
        if not (took := _places.take(WAIT_SECONDS)):
            raise ReadersBusy(held=False)
        future = _readers().schedule(_read, args=(data, name, options), timeout=limits.max_seconds + GRACE)
    except BaseException:
        _places.leave(clients, took=took)
        raise
    future.add_done_callback(lambda _: _places.leave(clients, took=True))
    concurrent.futures.wait([future])
    return _result(future, limits)


def install(app: FastAPI) -> None:
    """The answer to an upload that finds no reader: 503 (all busy) or 429 (this client's is), with
    ``Retry-After``, as JSON on the API and as a page elsewhere."""
    from renkei.web.templating import error_response

    @app.exception_handler(ReadersBusy)
    async def busy(request: Request, error: ReadersBusy) -> Response:
        lang = getattr(request.state, "lang", "ja")
        kind = kind_of(Family.WEB, error.code)  # declared in renkei.core.errorkinds: 429 held, 503 all busy
        message = t(kind.message_key, lang, seconds=RETRY_AFTER)
        response = error_response(request, kind.status(), error.code, message)
        response.headers["Retry-After"] = str(RETRY_AFTER)
        return response


def _table_date(data: bytes, name: str) -> datetime.date | None:
    return as_of(head_text(data, name))


async def table_date(data: bytes, name: str) -> datetime.date | None:
    """The date the file says its table stands at (「令和6年4月1日現在」, ``renkei.ingest.asof``), read in a reader
    process like the table itself; None where it says none or cannot be read in time."""
    future = _readers().schedule(_table_date, args=(data, name), timeout=DEFAULT.max_seconds)
    try:
        return await asyncio.wrap_future(future)
    except Exception:  # a timeout, a crashed or replaced reader: no date proposed, the user chooses one
        return None
