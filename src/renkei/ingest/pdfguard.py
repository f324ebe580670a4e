"""Bounds checked inside pdfminer while it reads a PDF, not after: a hostile file stops where it crosses one.

pdfminer.six reads what a file says: a 1 MB deflate bomb inflates to gigabytes, a ToUnicode map of 806 bytes
(``<0000> <FFFFFFFF> <0000> beginbfrange``) asks for billions of entries, a page of a million text objects or a
form XObject drawn twice by another, twenty levels deep, keeps a reader busy for its whole time limit. ``guard``
puts hooks on the few places where that work happens, each counting against the reading's ``Limits``:

- the inflater pdfminer calls (``zlib`` in ``pdfminer.pdftypes``) stops at ``max_stream_bytes`` (or what is left
  of ``max_decoded_bytes``) instead of inflating whole, and every decoded stream counts towards the total;
- ``add_cid2unichr``/``add_code2cid`` of a font's maps stop at ``max_cmap_entries``;
- ``getobj`` counts the distinct objects resolved (``max_objects``);
- the page interpreter counts text objects, shown strings, characters and XObjects per page, nested forms
  included, an XObject drawn for a hundred (``max_page_objects``).

A refusal is kept: pdfminer and pdfplumber catch and wrap exceptions (``PdfminerException``, a font left without
its map), so every hook raises it again once it was met, and ``refusal()`` gives it to the reader's boundary,
which raises it whatever came out. The hooks are installed once per process and do nothing outside a
``guard`` block (they look up the block of their own thread).
"""

from __future__ import annotations

import contextlib
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from renkei.ingest.errors import TableReadError
from renkei.ingest.limits import Limits, refuse


@dataclass
class Budget:
    limits: Limits
    decoded: int = 0
    objects: int = 0
    page_objects: int = 0
    refused: TableReadError | None = None

    def refuse(self, limit: str, value: object, allowed: object) -> TableReadError:
        if self.refused is None:
            self.refused = refuse(limit, value, allowed)
        return self.refused

    def check(self) -> None:
        if self.refused is not None:
            raise self.refused

    def count_page(self, n: int = 1) -> None:
        self.check()
        self.page_objects += n
        if self.page_objects > self.limits.max_page_objects:
            raise self.refuse("max_page_objects", f"> {self.limits.max_page_objects}", self.limits.max_page_objects)

    def stream_cap(self) -> int:
        self.check()
        return max(0, min(self.limits.max_stream_bytes, self.limits.max_decoded_bytes - self.decoded))

    def count_stream(self, size: int) -> None:
        self.check()
        if size > self.limits.max_stream_bytes:
            raise self.refuse("max_stream_bytes", f"> {self.limits.max_stream_bytes}", self.limits.max_stream_bytes)
        self.decoded += size
        if self.decoded > self.limits.max_decoded_bytes:
            allowed = self.limits.max_decoded_bytes
            raise self.refuse("max_decoded_bytes", f"> {allowed}", allowed)


XOBJECT_WEIGHT = 100  # page objects one XObject drawn counts for
_local = threading.local()
_installed = False
_install_lock = threading.Lock()


def current() -> Budget | None:
    budget: Budget | None = getattr(_local, "budget", None)
    return budget


@contextlib.contextmanager
def guard(limits: Limits) -> Iterator[Budget]:
    """A PDF reading in this thread, under the limits' PDF bounds."""
    _install()
    previous = current()
    budget = Budget(limits)
    _local.budget = budget
    try:
        yield budget
    finally:
        _local.budget = previous


# The inflater -------------------------------------------------------------------------------------------------


class _Inflater:
    """An incremental inflater (pdfminer's ``decompress_corrupted``) that counts what it gives."""

    def __init__(self) -> None:
        self._inner = zlib.decompressobj()
        self._given = 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        budget = current()
        if budget is None:
            return self._inner.decompress(data, max_length)
        cap = budget.stream_cap()
        out = self._inner.decompress(data, cap + 1 - self._given)
        self._given += len(out)
        if self._given > cap:
            raise budget.refuse("max_stream_bytes", f"> {cap}", cap)
        return out

    def flush(self, length: int = zlib.DEF_BUF_SIZE) -> bytes:
        return self._inner.flush(length)


class _BoundedZlib:
    """What ``pdfminer.pdftypes`` sees as ``zlib``: ``decompress`` inflates at most to the reading's bound."""

    error = zlib.error
    MAX_WBITS = zlib.MAX_WBITS

    @staticmethod
    def decompress(data: bytes, wbits: int = zlib.MAX_WBITS, bufsize: int = zlib.DEF_BUF_SIZE) -> bytes:
        budget = current()
        if budget is None:
            return zlib.decompress(data, wbits, bufsize)
        cap = budget.stream_cap()
        inflater = zlib.decompressobj(wbits)
        out = inflater.decompress(data, cap + 1)
        if len(out) > cap or inflater.unconsumed_tail:
            raise budget.refuse("max_stream_bytes", f"> {cap}", cap)
        if not inflater.eof:
            raise zlib.error("incomplete or truncated stream")  # as zlib.decompress says: pdfminer then salvages
        return out

    @staticmethod
    def decompressobj(*args: Any, **kwargs: Any) -> Any:
        return _Inflater() if not args and not kwargs else zlib.decompressobj(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:  # pragma: no cover - anything else pdfminer may use one day
        return getattr(zlib, name)


# The hooks ----------------------------------------------------------------------------------------------------


def _install() -> None:
    global _installed
    with _install_lock:
        if _installed:
            return
        from pdfminer import cmapdb, converter, pdfdocument, pdfinterp, pdftypes

        setattr(pdftypes, "zlib", _BoundedZlib())  # noqa: B010 - the module global its decoder calls
        _wrap(pdftypes.PDFStream, "decode", _after_decode, after=True)
        _wrap(cmapdb.FileUnicodeMap, "add_cid2unichr", _before_map_entry)
        _wrap(cmapdb.FileCMap, "add_code2cid", _before_map_entry)
        _wrap(pdfdocument.PDFDocument, "getobj", _before_getobj)
        _wrap(pdfinterp.PDFPageInterpreter, "process_page", _before_page)
        _operators(pdfinterp.PDFPageInterpreter)
        _wrap(converter.PDFLayoutAnalyzer, "render_char", _before_page_object)
        _installed = True


Hook = Callable[[Budget, Any, tuple[Any, ...]], None]


def _wrap(owner: type, name: str, hook: Hook, *, after: bool = False) -> None:
    original = getattr(owner, name)

    def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
        budget = current()
        if budget is None:
            return original(self, *args, **kwargs)
        if not after:
            hook(budget, self, args)
            return original(self, *args, **kwargs)
        result = original(self, *args, **kwargs)
        hook(budget, self, args)
        return result

    guarded.__wrapped__ = original  # type: ignore[attr-defined]
    setattr(owner, name, guarded)


def _operators(interpreter: type) -> None:
    """Text objects, shown strings and XObjects counted as page objects. The interpreter passes an operator as
    many operands as its method's code names, so each keeps its arity."""
    begin_text, show, draw = interpreter.do_BT, interpreter.do_TJ, interpreter.do_Do  # type: ignore[attr-defined]

    def do_BT(self: Any) -> None:
        _count()
        begin_text(self)

    def do_TJ(self: Any, seq: Any) -> None:
        _count()
        show(self, seq)

    def do_Do(self: Any, xobjid_arg: Any) -> None:
        _count(XOBJECT_WEIGHT)  # a form drawn is a content stream parsed and run again: costlier than a string
        draw(self, xobjid_arg)

    interpreter.do_BT, interpreter.do_TJ, interpreter.do_Do = do_BT, do_TJ, do_Do  # type: ignore[attr-defined]


def _count(n: int = 1) -> None:
    budget = current()
    if budget is not None:
        budget.count_page(n)


def _after_decode(budget: Budget, stream: Any, args: tuple[Any, ...]) -> None:
    budget.count_stream(len(stream.data or b""))


def _before_map_entry(budget: Budget, cmap: Any, args: tuple[Any, ...]) -> None:
    budget.check()
    entries = getattr(cmap, "_renkei_entries", 0) + 1
    cmap._renkei_entries = entries
    if entries > budget.limits.max_cmap_entries:
        allowed = budget.limits.max_cmap_entries
        raise budget.refuse("max_cmap_entries", f"> {allowed}", allowed)


def _before_getobj(budget: Budget, document: Any, args: tuple[Any, ...]) -> None:
    budget.check()
    if args and args[0] not in getattr(document, "_cached_objs", {}):
        budget.objects += 1
        if budget.objects > budget.limits.max_objects:
            raise budget.refuse("max_objects", f"> {budget.limits.max_objects}", budget.limits.max_objects)


def _before_page(budget: Budget, interpreter: Any, args: tuple[Any, ...]) -> None:
    budget.check()
    budget.page_objects = 0


def _before_page_object(budget: Budget, target: Any, args: tuple[Any, ...]) -> None:
    budget.count_page()
