"""The bounds of what a reader accepts, checked before the work they bound.

A hostile or broken file must end in a read error (exit 2) or an error finding (exit 1) within seconds, never
in a hang, a gigabyte of memory or a traceback. The defaults are generous for the largest real vision one can
imagine (about 1,000 projects × 100 towns, long descriptions, a 連携中枢都市圏 workbook with a sheet per
pillar) and small enough that no input within them costs a server more than a few seconds and a few hundred
megabytes. Each refusal names its limit and the value met, so that a user with a larger table knows what to
ask for.

- **file size** (``max_bytes``): checked on the bytes, before anything else;
- **rows, columns, cell length** (``max_rows``, ``max_columns``, ``max_cell_chars``): checked on the rows
  before the layout reads them, and on an XLSX sheet's cell references before openpyxl builds its cells;
- **numbers** (``max_digits``, ``max_project_number``, ``max_figure``): a digit run longer than any figure of
  a table is cut out of its cell with an error finding (it could not be stored: the database's integers hold
  32 bits), and a project number or declared figure beyond the range is dropped with an error finding;
- **XLSX** (``max_zip_members``, ``max_expanded_bytes``, ``max_ratio``, ``max_merged_cells``): a zip's
  declared sizes and compression ratio, then the sheets' cell references and merged ranges, read from the
  XML with a regular expression before openpyxl (which builds a cell object for every cell of a merged range);
- **JSON** (``max_json_depth``, ``max_json_items``): nesting and list lengths of renkei's JSON;
- **PDF** (``max_pages``, ``max_objects``, ``max_stream_bytes``, ``max_decoded_bytes``, ``max_cmap_entries``,
  ``max_page_objects``): checked by hooks inside pdfminer while it reads (``renkei.ingest.pdfguard``): a stream
  is inflated at most to its bound, a font's ToUnicode map stops growing at its bound, a page's text and
  XObject operations are counted as they run;
- **time** (``max_seconds``): wall-clock seconds of one reading, enforced with a timer signal where the reading
  runs in a process's main thread (the CLI, and the worker processes of web uploads);
- **memory** (``max_memory``): the address space a reading may add to its process (``RLIMIT_AS``), in the same
  main threads: whatever a library allocates past it fails, and the reading ends as "too large to read".

Whatever a library wraps the cause in (pdfplumber's ``PdfminerException`` around the timer's exception, a
``MemoryError`` caught and re-raised), the refusal that comes out is the one of the limit that was met
(``bounded``).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from renkei.ingest.errors import TableReadError
from renkei.ingest.grid import Cell, Row
from renkei.vision.model import Finding, Location, Severity, Vision


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 32 * 1024 * 1024
    max_rows: int = 50_000
    max_columns: int = 1_000
    max_cell_chars: int = 20_000
    max_digits: int = 18
    max_project_number: int = 999_999
    max_figure: int = 10_000_000
    max_zip_members: int = 2_000
    max_expanded_bytes: int = 256 * 1024 * 1024
    max_ratio: int = 200
    max_merged_cells: int = 2_000_000
    max_json_depth: int = 32
    max_json_items: int = 200_000
    max_seconds: float = 20.0
    max_memory: int = 384 * 1024 * 1024
    max_pages: int = 2_000
    max_objects: int = 500_000
    max_stream_bytes: int = 64 * 1024 * 1024
    max_decoded_bytes: int = 192 * 1024 * 1024
    max_cmap_entries: int = 140_000
    max_page_objects: int = 100_000


DEFAULT = Limits()


def refuse(limit: str, value: object, allowed: object) -> TableReadError:
    """A read error that names the limit, the value met and the value allowed."""
    return TableReadError("limit-exceeded", limit=limit, value=value, allowed=allowed)


def check_size(data: bytes, limits: Limits, size: int | None = None) -> None:
    """The bytes' size, or a file's ``size`` before it is read."""
    size = len(data) if size is None else size
    if size > limits.max_bytes:
        raise refuse("max_bytes", size, limits.max_bytes)


def check_rows(rows: list[Row], limits: Limits) -> tuple[list[Row], list[Finding]]:
    """Rows within the bounds, with every over-long digit run cut out of its cell and reported."""
    if len(rows) > limits.max_rows:
        raise refuse("max_rows", len(rows), limits.max_rows)
    findings: list[Finding] = []
    checked: list[Row] = []
    invisible: list[Location] = []  # the cells invisible characters were taken out of
    too_long = re.compile(f"[0-9０-９]{{{limits.max_digits + 1},}}")
    for row in rows:
        if len(row.cells) > limits.max_columns:
            raise refuse("max_columns", len(row.cells), limits.max_columns)
        # One search over the row's filled cells joined by a character that is no digit: a run too long in one
        # of them, as searching each (most rows have none).
        texts = [c.text for c in row.filled]
        joined = "\n".join(texts)
        if (
            not too_long.search(joined)
            and max(map(len, texts), default=0) <= limits.max_cell_chars
            and not INVISIBLE.search(joined)
        ):
            checked.append(row)
            continue
        cells: list[Cell] = []
        for cell in row.cells:
            if INVISIBLE.search(cell.text):  # ○ and a zero-width space a web page left after it: the ○
                cell = cell._replace(text=INVISIBLE.sub("", cell.text))
                invisible.append(cell.location)
            if len(cell.text) > limits.max_cell_chars:
                raise TableReadError(
                    "limit-exceeded",
                    cell.location,
                    limit="max_cell_chars",
                    value=len(cell.text),
                    allowed=limits.max_cell_chars,
                )
            match = too_long.search(cell.text)
            if match is not None:
                params: dict[str, object] = {"digits": len(match[0]), "allowed": limits.max_digits}
                findings.append(Finding(Severity.ERROR, "number-too-long", params, cell.location))
                cell = cell._replace(text=too_long.sub("", cell.text))
            cells.append(cell)
        checked.append(Row(tuple(cells), row.location, row.spans))
    if invisible:
        findings.append(Finding(Severity.INFO, "invisible-removed", {"cells": len(invisible)}, invisible[0]))
    return checked, findings


# Characters that show nothing and mean nothing in a table's cell, which web pages and word processors leave in
# them: zero-width space, the byte-order mark inside a text, the soft hyphen, direction marks and isolates, the
# word joiner. Taken out of every cell before it is read (a mark, a name, a number), and said. The joiners that
# build an emoji or a script's letters (U+200C, U+200D) stay.
INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad\u180e]")


def check_vision(vision: Vision, limits: Limits) -> list[Finding]:
    """Drop, with an error finding, every number a document could not mean and the database could not hold."""
    findings: list[Finding] = []
    kept = []
    for project in vision.projects:
        if not 0 <= project.number <= limits.max_project_number:
            params = {"number": _shown(project.number), "allowed": limits.max_project_number}
            findings.append(Finding(Severity.ERROR, "project-number-beyond-limit", params, project.location))
            continue
        if project.declared_count is not None and not 0 <= project.declared_count <= limits.max_figure:
            findings.append(_figure(project.declared_count, limits, project.location))
            project.declared_count = None
        kept.append(project)
    vision.projects = kept
    for name, declared in list(vision.declared_totals.items()):
        if declared is not None and not 0 <= declared <= limits.max_figure:
            findings.append(_figure(declared, limits, vision.totals_cells.get(name, vision.totals_location)))
            vision.declared_totals[name] = None
    grand = vision.declared_grand_total
    if grand is not None and not 0 <= grand <= limits.max_figure:
        findings.append(_figure(grand, limits, vision.grand_total_cell or vision.totals_location))
        vision.declared_grand_total = None
    return findings


def _figure(value: int, limits: Limits, where: Location | None) -> Finding:
    params = {"value": _shown(value), "allowed": limits.max_figure}
    return Finding(Severity.ERROR, "figure-beyond-limit", params, where)


def _shown(value: int) -> str:
    """A number as a message shows it: its first digits and its length when it is absurdly long."""
    text = str(value)
    return text if len(text) <= 24 else f"{text[:12]}…({len(text)})"


# XLSX ---------------------------------------------------------------------------------------------------------

_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=\"([A-Z]{1,4})([0-9]{1,9})\"")
_ROW_REF = re.compile(rb"<(?:\w+:)?row\b[^>]*?\sr=\"([0-9]{1,12})\"")
_MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\sref=\"([A-Z]{1,4})([0-9]{1,9})(?::([A-Z]{1,4})([0-9]{1,9}))?\"")


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def check_zip(data: bytes, limits: Limits) -> None:
    """A workbook's zip and its sheets' extent, before openpyxl opens it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception as error:  # zipfile raises many kinds on a damaged directory
        raise TableReadError("xlsx-unreadable", reason=f"{type(error).__name__}: {error}") from None
    if len(members) > limits.max_zip_members:
        raise refuse("max_zip_members", len(members), limits.max_zip_members)
    expanded = sum(m.file_size for m in members)
    if expanded > limits.max_expanded_bytes:
        raise refuse("max_expanded_bytes", expanded, limits.max_expanded_bytes)
    for member in members:
        if member.file_size > limits.max_ratio * max(member.compress_size, 1024):
            raise refuse("max_ratio", member.file_size // max(member.compress_size, 1), limits.max_ratio)
    with archive:
        for member in members:
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                _check_sheet(archive, member, limits)


def _check_sheet(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: Limits) -> None:
    try:
        # The declared size was checked above; the read stops there whatever the stream holds.
        xml = archive.read(member)
    except Exception as error:  # zlib.error, BadZipFile, NotImplementedError (a compression method) …
        raise TableReadError("xlsx-unreadable", reason=f"{member.filename}: {type(error).__name__}: {error}") from None
    for match in _ROW_REF.finditer(xml):
        if int(match[1]) > limits.max_rows:
            raise refuse("max_rows", int(match[1]), limits.max_rows)
    for match in _CELL_REF.finditer(xml):
        if int(match[2]) > limits.max_rows:
            raise refuse("max_rows", int(match[2]), limits.max_rows)
        if _column(match[1]) > limits.max_columns:
            raise refuse("max_columns", _column(match[1]), limits.max_columns)
    merged = 0
    for match in _MERGE_REF.finditer(xml):
        first_row, last_row = int(match[2]), int(match[4] or match[2])
        first_col, last_col = _column(match[1]), _column(match[3] or match[1])
        if max(first_row, last_row) > limits.max_rows:
            raise refuse("max_rows", max(first_row, last_row), limits.max_rows)
        if max(first_col, last_col) > limits.max_columns:
            raise refuse("max_columns", max(first_col, last_col), limits.max_columns)
        merged += (abs(last_row - first_row) + 1) * (abs(last_col - first_col) + 1)
        if merged > limits.max_merged_cells:
            raise refuse("max_merged_cells", merged, limits.max_merged_cells)


# JSON ---------------------------------------------------------------------------------------------------------


def check_json(value: Any, limits: Limits) -> None:
    """Depth and list lengths of parsed JSON (``json.loads``' dicts, lists and scalars), walked without
    recursion: only containers wait on the stack, a text is measured where it is met (an export of a national
    registry has a million values)."""
    most_chars, most_depth, most_items = limits.max_cell_chars, limits.max_json_depth, limits.max_json_items
    if type(value) not in (dict, list):
        if type(value) is str and len(value) > most_chars:
            raise refuse("max_cell_chars", len(value), most_chars)
        return
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > most_depth:
            raise refuse("max_json_depth", depth, most_depth)
        if len(item) > most_items:
            raise refuse("max_json_items", len(item), most_items)
        for child in item.values() if type(item) is dict else item:
            kind = type(child)
            if kind is dict or kind is list:
                stack.append((child, depth + 1))
            elif depth + 1 > most_depth:
                raise refuse("max_json_depth", depth + 1, most_depth)
            elif kind is str and len(child) > most_chars:
                raise refuse("max_cell_chars", len(child), most_chars)


# Time and memory ----------------------------------------------------------------------------------------------


class _Timeout(Exception):
    pass


def holds(error: BaseException | None, kind: type[BaseException]) -> bool:
    """Whether an exception is, or was caused by, one of ``kind`` (libraries wrap what they catch)."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, kind):
            return True
        seen.add(id(error))
        wrapped = next((a for a in getattr(error, "args", ()) if isinstance(a, BaseException)), None)
        error = error.__cause__ or error.__context__ or wrapped
    return False


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def bounded(limits: Limits) -> Iterator[None]:
    """A reading under its time and memory limits; whatever a library wraps a limit's exception in, the refusal
    of that limit comes out."""
    with deadline(limits.max_seconds), address_space(limits.max_memory):
        yield


@contextlib.contextmanager
def address_space(extra: int) -> Iterator[None]:
    """Let the block add at most ``extra`` bytes to the process's address space (``RLIMIT_AS``, soft limit,
    restored after): past it an allocation fails with ``MemoryError`` and the block ends as a refusal. Only in a
    process's main thread (the CLI, the readers' worker processes): a server's thread does not read."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Windows
        resource = None  # type: ignore[assignment]
    size = _address_space()
    if extra <= 0 or resource is None or size is None or not _main_thread():
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = size + extra
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY:
        cap = min(cap, soft)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    except BaseException as error:
        if holds(error, MemoryError):
            raise refuse("max_memory", f"> {extra // 2**20} MB", f"{extra // 2**20} MB") from None
        raise
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _address_space() -> int | None:
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise a read error when the block runs longer than ``seconds`` (wall clock). Only a process's main thread
    receives signals: elsewhere (a web server's thread) the block runs unbounded, and the caller bounds it. Once
    the timer has fired, whatever the block ends with (a library's exception wrapping the timer's, another read
    error made of it, even a result after the exception was swallowed) is the refusal of the time limit."""
    if seconds <= 0 or not _main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    active = [True]
    fired = [False]

    def expire(signum: int, frame: object) -> None:
        if active[0]:
            fired[0] = True
            raise _Timeout

    previous = signal.signal(signal.SIGALRM, expire)
    # Repeated every 50 ms until disarmed: an exception raised where Python swallows it (a garbage collector
    # callback, a __del__) does not end the reading, so the timer fires again.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
    try:
        yield
    except BaseException as error:
        active[0] = False
        if fired[0] and (isinstance(error, Exception) or holds(error, _Timeout)):
            raise refuse("max_seconds", f"> {seconds:g}", seconds) from None
        raise
    finally:
        active[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if fired[0]:
        raise refuse("max_seconds", f"> {seconds:g}", seconds)
