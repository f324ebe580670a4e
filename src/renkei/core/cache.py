"""Answers kept in memory, each with the generation of what it was computed from.

One abstraction for the store's published reads and the web app's kept responses: a least-recently-used map
bounded by count and, optionally, by bytes; an answer is served while the generation its caller reads now is the
one it was computed at. Misses are single-flight: while one caller computes a key at a generation, the others
asking for it wait for that answer instead of computing it again (no thundering herd after a publish).
Thread-safe; a waiter may also be a coroutine (``Flight.wait_async``), which waits without holding a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

V = TypeVar("V")
# How long a waiter waits for another caller's computation before computing the answer itself.
WAIT = 60.0


class Flight(Generic[V]):
    """One computation of a missing answer, which the other askers of the same key and generation wait for."""

    def __init__(self, key: Hashable, generation: Hashable) -> None:
        self.key = key
        self.generation = generation
        self._done = threading.Event()
        self._value: V | None = None
        self._lock = threading.Lock()
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []

    def wait(self, timeout: float = WAIT) -> V | None:
        """The answer, or None when the computation failed, gave nothing to share or took longer than
        ``timeout`` seconds: the waiter then computes its own."""
        self._done.wait(timeout)
        return self._value

    async def wait_async(self, timeout: float = WAIT) -> V | None:
        """``wait`` for a coroutine: the event loop goes on serving meanwhile."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._lock:
            if self._done.is_set():
                return self._value
            self._waiters.append((loop, future))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(future, timeout)
        return self._value

    def _finish(self, value: V | None) -> None:
        with self._lock:
            self._value = value
            self._done.set()
            waiters, self._waiters = self._waiters, []
        for loop, future in waiters:
            with contextlib.suppress(RuntimeError):  # a loop closed meanwhile has no one left to wake
                loop.call_soon_threadsafe(_wake, future)


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


@dataclass(frozen=True)
class Ask(Generic[V]):
    """What ``Answers.ask`` found: the kept answer, or the flight to lead (``leader``) or to wait for."""

    value: V | None
    flight: Flight[V] | None = None
    leader: bool = False


class Answers(Generic[V]):
    """Answers kept by key, each with the generation it was computed at; least recently used go first when there
    are more than ``count`` or their ``size`` adds up to more than ``total`` (an answer larger than ``largest``
    is never kept). None is never an answer."""

    def __init__(
        self,
        count: int,
        *,
        total: int | None = None,
        largest: int | None = None,
        size: Callable[[V], int] | None = None,
    ) -> None:
        self.count = count
        self.total = total
        self.largest = largest
        self._size = size or (lambda _: 0)
        self._items: OrderedDict[Hashable, tuple[Hashable, V, int]] = OrderedDict()
        self._flights: dict[tuple[Hashable, Hashable], Flight[V]] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def kept_keys(self) -> list[Hashable]:
        """The keys kept, least recently used first."""
        with self._lock:
            return list(self._items)

    @property
    def bytes(self) -> int:
        """The size of every answer kept, together."""
        with self._lock:
            return self._bytes

    def get(self, key: Hashable, generation: Hashable) -> V | None:
        """The answer kept for ``key`` if it was computed at ``generation``."""
        with self._lock:
            return self._get(key, generation)

    def _get(self, key: Hashable, generation: Hashable) -> V | None:
        item = self._items.get(key)
        if item is None or item[0] != generation:
            return None
        self._items.move_to_end(key)
        return item[1]

    def put(self, key: Hashable, generation: Hashable, value: V) -> None:
        """Keep ``value`` as the answer for ``key`` at ``generation``, in place of any older one."""
        size = self._size(value)
        if self.largest is not None and size > self.largest:
            return
        with self._lock:
            replaced = self._items.pop(key, None)
            self._bytes += size - (replaced[2] if replaced else 0)
            self._items[key] = (generation, value, size)
            while len(self._items) > self.count or (self.total is not None and self._bytes > self.total):
                _, (_, _, gone) = self._items.popitem(last=False)
                self._bytes -= gone

    def ask(self, key: Hashable, generation: Hashable) -> Ask[V]:
        """The kept answer; else the flight computing it, which the caller leads when it is the first to ask
        (and must then ``land``, also when the computation fails) or else waits for."""
        with self._lock:
            value = self._get(key, generation)
            if value is not None:
                return Ask(value)
            flight = self._flights.get((key, generation))
            if flight is not None:
                return Ask(None, flight)
            flight = self._flights[(key, generation)] = Flight(key, generation)
            return Ask(None, flight, leader=True)

    def land(self, flight: Flight[V], value: V | None, *, keep: bool = True) -> None:
        """End a flight led by the caller: ``value`` goes to its waiters (None: they compute their own) and, with
        ``keep``, is kept."""
        with self._lock:
            if self._flights.get((flight.key, flight.generation)) is flight:
                del self._flights[(flight.key, flight.generation)]
        if keep and value is not None:
            self.put(flight.key, flight.generation, value)
        flight._finish(value)

    def get_or_compute(
        self,
        key: Hashable,
        generation: Hashable,
        compute: Callable[[], V],
        keep: Callable[[V], bool] = lambda _: True,
    ) -> V:
        """The answer for ``key`` at ``generation``: kept, awaited from a concurrent caller, or computed here
        (and kept when ``keep`` says so; the waiters get it either way)."""
        asked = self.ask(key, generation)
        if asked.value is not None:
            return asked.value
        assert asked.flight is not None
        if not asked.leader:
            awaited = asked.flight.wait()
            return awaited if awaited is not None else compute()
        value: V | None = None
        kept = False
        try:
            value = compute()
            kept = keep(value)
            return value
        finally:
            self.land(asked.flight, value, keep=kept)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0
