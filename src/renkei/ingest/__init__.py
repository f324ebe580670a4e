"""Ingest: bytes of a table as it really arrives, to a Vision and the findings met while reading it.

The formats are told apart by content, not by file name: an XLSX by its zip signature, renkei's own JSON by
its opening brace, a Markdown pipe table by its separator line, and anything else as delimited text (tabs
from a PDF copy, or CSV with its delimiter sniffed). Decoding, layout detection and normalisation live here
and nowhere else. Installed plugins add formats of their own (``Reader``, entry-point group ``renkei.readers``,
docs/plugins.md); the built-in readers keep theirs.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from renkei import plugins
from renkei.ingest.aligned import looks_aligned, rows_from_aligned
from renkei.ingest.choices import chosen
from renkei.ingest.decode import decode, sniff_binary
from renkei.ingest.errors import TableReadError
from renkei.ingest.grid import Row
from renkei.ingest.layout import LayoutReader
from renkei.ingest.limits import DEFAULT as DEFAULT_LIMITS
from renkei.ingest.limits import (
    Limits,
    _Timeout,
    check_json,
    check_rows,
    check_size,
    check_vision,
    check_zip,
    deadline,
)
from renkei.ingest.text import looks_like_markdown, rows_from_markdown, rows_from_text, sniff_delimiter
from renkei.ingest.understood import Understood
from renkei.model import Finding, Sphere, Vision
from renkei.municipalities import Registry

__all__ = [
    "Limits",
    "Reader",
    "Reading",
    "Source",
    "TableReadError",
    "read_bytes",
    "read_path",
    "read_sample",
    "readers",
]


@dataclass(frozen=True)
class Source:
    """What was read: file name, detected format and encoding, sheet, and the SHA-256 of the bytes."""

    name: str
    format: str
    sha256: str
    size: int
    encoding: str | None = None
    sheet: str | None = None


@dataclass
class Reading:
    vision: Vision
    source: Source
    findings: list[Finding] = field(default_factory=list)
    understood: Understood | None = None  # the layout as the reader understood it (ingest/understood.py)


@dataclass(frozen=True)
class Reader:
    """A table format an installed plugin reads (entry-point group ``renkei.readers``, docs/plugins.md).

    A file goes to it when its name ends in one of ``extensions`` (without the dot; never one of the built-in
    readers'), or when no built-in reader reads the bytes as a table and ``sniff`` says they are its format.
    ``read(data, name)`` gives the same ``Reading`` the built-in readers give; whatever it raises is a read
    error naming the plugin (exit 2).
    """

    name: str
    read: Callable[[bytes, str], Reading]
    extensions: tuple[str, ...] = ()
    sniff: Callable[[bytes], bool] | None = None
    labels: Mapping[str, str] = field(default_factory=dict, hash=False)


# What the built-in readers read, which no plugin takes from them.
BUILTIN_FORMATS = frozenset({"text", "csv", "aligned", "markdown", "json", "xlsx", "pdf"})
BUILTIN_EXTENSIONS = frozenset({"txt", "tsv", "csv", "md", "markdown", "json", "xlsx", "xlsm", "xls", "pdf"})


def read_bytes(
    data: bytes,
    name: str = "",
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    sphere: Sphere | None = None,
    registry: Registry | None = None,
    limits: Limits | None = None,
    pages: str | None = None,
    name_column: str | None = None,
) -> Reading:
    """Read one table. Raises TableReadError when the bytes are not a table at all or exceed a limit
    (``renkei.ingest.limits``); numbers beyond the limits are error findings. ``name_column`` (a position
    from 1 or a header's text) chooses the column of the projects' names (``ingest.choices``)."""
    limits = limits or DEFAULT_LIMITS
    check_size(data, limits)
    with deadline(limits.max_seconds), chosen(name_column):
        extension = Path(name).suffix.lstrip(".").lower()
        claimed = next((r for r in readers() if extension and extension in r.extensions), None)
        if claimed is not None:
            reading = _read_plugin(claimed, data, name)
        else:
            reading = _read_or_sniff(data, name, encoding, sheet, sphere, registry or Registry.default(), limits, pages)
    reading.findings.extend(check_vision(reading.vision, limits))
    return reading


def _read_or_sniff(
    data: bytes,
    name: str,
    encoding: str | None,
    sheet: str | None,
    sphere: Sphere | None,
    registry: Registry,
    limits: Limits,
    pages: str | None,
) -> Reading:
    """The built-in readers first; bytes none of them reads as a table go to the first plugin that sniffs
    them as its own (a limit exceeded stays a refusal)."""
    try:
        return _read(data, name, encoding, sheet, sphere, registry, limits, pages)
    except TableReadError as error:
        sniffed = _sniffed(data) if error.code != "limit-exceeded" else None
        if sniffed is None:
            raise
    return _read_plugin(sniffed, data, name)


def _read(
    data: bytes,
    name: str,
    encoding: str | None,
    sheet: str | None,
    sphere: Sphere | None,
    registry: Registry,
    limits: Limits,
    pages: str | None = None,
) -> Reading:
    digest = hashlib.sha256(data).hexdigest()
    kind = sniff_binary(data)
    if kind == "zip":
        from renkei.ingest.xlsx import rows_from_xlsx  # openpyxl is slow to import; only XLSX needs it

        check_zip(data, limits)
        try:
            rows, findings = rows_from_xlsx(data, sheet)
        except TableReadError:
            raise
        except Exception as error:  # openpyxl, zipfile and the XML parser raise anything on a broken part
            raise TableReadError("xlsx-unreadable", reason=f"{type(error).__name__}: {error}") from None
        sheet_name = rows[0].location.sheet if rows else sheet
        source = Source(name, "xlsx", digest, len(data), sheet=sheet_name)
        return _layout(rows, source, findings, sphere, registry, limits)
    if kind == "pdf":
        from renkei.ingest.pdf import rows_from_pdf  # pdfplumber is imported only when a PDF is read

        rows, findings = rows_from_pdf(data, pages, registry)
        return _layout(rows, Source(name, "pdf", digest, len(data)), findings, sphere, registry, limits)
    if kind is not None:
        raise TableReadError(f"{kind}-not-table")
    decoded = decode(data, encoding)
    findings = list(decoded.findings)
    text = decoded.text
    if text.lstrip().startswith("{"):
        vision = _from_json(text, limits)
        return Reading(vision, Source(name, "json", digest, len(data), decoded.encoding), findings)
    if looks_like_markdown(text):
        source = Source(name, "markdown", digest, len(data), decoded.encoding)
        return _layout(rows_from_markdown(text), source, findings, sphere, registry, limits)
    delimiter = sniff_delimiter(text)
    rows = rows_from_text(text, delimiter)
    fmt = "text" if delimiter == "\t" else "csv"
    if looks_aligned(text, sum(1 for row in rows if len(row.cells) >= 3)):
        rows, fmt = rows_from_aligned(text, registry), "aligned"
    source = Source(name, fmt, digest, len(data), decoded.encoding)
    return _layout(rows, source, findings, sphere, registry, limits)


def readers() -> list[Reader]:
    """The plugins' readers that may be used, in the order of their entry points' names (loaded once)."""
    return list(_readers())


@functools.cache
def _readers() -> tuple[Reader, ...]:
    found: dict[str, Reader] = {}
    taken: set[str] = set()
    for entry, loaded in plugins.entries(plugins.READERS):
        if not isinstance(loaded, Reader):
            plugins.warn(plugins.READERS, entry, "not_reader", got=type(loaded).__name__)
            continue
        if loaded.name in BUILTIN_FORMATS or loaded.name in found:
            code = "builtin_wins" if loaded.name in BUILTIN_FORMATS else "duplicate"
            plugins.warn(plugins.READERS, entry, code, format=loaded.name)
            continue
        extensions = []
        for extension in (e.lstrip(".").lower() for e in loaded.extensions):
            if extension in BUILTIN_EXTENSIONS or extension in taken:
                code = "builtin_extension" if extension in BUILTIN_EXTENSIONS else "duplicate"
                plugins.warn(plugins.READERS, entry, code, extension=extension, format=f".{extension}")
            else:
                extensions.append(extension)
                taken.add(extension)
        found[loaded.name] = Reader(loaded.name, loaded.read, tuple(extensions), loaded.sniff, loaded.labels)
    return tuple(found.values())


plugins.on_forget(_readers.cache_clear)


def _sniffed(data: bytes) -> Reader | None:
    """The first plugin reader whose sniff claims the bytes; a sniff that raises claims nothing."""
    for reader in readers():
        try:
            if reader.sniff is not None and reader.sniff(data):
                return reader
        except Exception:  # a plugin's sniff may raise anything: it then does not know the bytes
            continue
    return None


def _read_plugin(reader: Reader, data: bytes, name: str) -> Reading:
    """A plugin's reading; whatever else than a read error it raises or returns is a read error naming it."""
    try:
        reading = reader.read(data, name)
    except (TableReadError, _Timeout):
        raise
    except Exception as error:  # the plugin's code may raise anything
        reason = f"{type(error).__name__}: {error}"
        raise TableReadError("plugin-unreadable", reader=reader.name, reason=reason) from None
    if not isinstance(reading, Reading):
        reason = f"{type(reading).__name__}, not a Reading"
        raise TableReadError("plugin-unreadable", reader=reader.name, reason=reason)
    return reading


def read_path(path: str | Path, **options: object) -> Reading:
    path = Path(path)
    try:
        limits = options.get("limits")
        check_size(b"", limits if isinstance(limits, Limits) else DEFAULT_LIMITS, size=path.stat().st_size)
        data = path.read_bytes()
    except FileNotFoundError:
        raise TableReadError("file-missing", path=str(path)) from None
    except IsADirectoryError:
        raise TableReadError("file-is-directory", path=str(path)) from None
    except PermissionError:
        raise TableReadError("file-unreadable", path=str(path)) from None
    return read_bytes(data, path.name, **options)  # type: ignore[arg-type]


def _layout(
    rows: list[Row],
    source: Source,
    findings: list[Finding],
    sphere: Sphere | None,
    registry: Registry,
    limits: Limits,
) -> Reading:
    rows, too_long = check_rows(rows, limits)
    reader = LayoutReader(registry, sphere)
    vision = reader.read(rows)
    return Reading(vision, source, [*findings, *too_long, *reader.findings], reader.understood)


def _from_json(text: str, limits: Limits) -> Vision:
    from renkei.serialize import vision_from_dict

    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise TableReadError("json-invalid", reason=f"line {error.lineno}: {error.msg}") from None
    except RecursionError:
        raise TableReadError(
            "limit-exceeded", limit="max_json_depth", value="> 900", allowed=limits.max_json_depth
        ) from None
    except ValueError as error:  # a number of more digits than Python converts
        raise TableReadError("json-invalid", reason=str(error)) from None
    check_json(data, limits)
    try:
        return vision_from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
        raise TableReadError("json-invalid", reason=f"{type(error).__name__}: {error}") from None


def read_sample() -> Reading:
    """The bundled sample: the seed table of the 上川中部定住自立圏, with the sphere that it does not name."""
    from renkei.sample import sample_bytes, sample_sphere

    return read_bytes(sample_bytes(), "sample.txt", sphere=sample_sphere())
