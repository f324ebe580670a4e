"""The registry of readers: every format renkei reads, its own and installed plugins', as ``Reader`` entries.

A file's format is told by its content first, then by its name: a zip by its parts (``word/document.xml`` a
Word document, ``xl/`` a workbook, an ODF ``mimetype`` of a spreadsheet an OpenDocument sheet), ``%PDF`` a
PDF, ``<html``/``<table`` a web page, and other text by its structure (renkei JSON, a Markdown pipe table, the
long form, space-aligned or delimited text). A zip that is none of these is refused as such; a plugin's
extension claims a file before any sniffing, and a plugin's ``sniff`` is asked when no built-in reader reads
the bytes. ``renkei formats``, ``/api/readers`` and the upload page's file picker list this registry.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path

from renkei.core import plugins
from renkei.ingest import textual
from renkei.ingest.decode import sniff_binary
from renkei.ingest.errors import TableReadError
from renkei.ingest.limits import DEFAULT as DEFAULT_LIMITS
from renkei.ingest.limits import _Timeout, check_zip
from renkei.ingest.reading import Options, Reader, Reading, layout_reading
from renkei.ingest.zipped import zip_kind
from renkei.places.municipalities import Registry


def _read_xlsx(data: bytes, options: Options) -> Reading:
    from renkei.ingest.xlsx import rows_from_xlsx  # openpyxl is slow to import; only XLSX needs it

    check_zip(data, options.limits)
    try:
        rows, findings = rows_from_xlsx(data, options.sheet)
    except TableReadError:
        raise
    except Exception as error:  # openpyxl, zipfile and the XML parser raise anything on a broken part
        raise TableReadError("xlsx-unreadable", reason=f"{type(error).__name__}: {error}") from None
    sheet_name = rows[0].location.sheet if rows else options.sheet
    return layout_reading(rows, options.source("xlsx", sheet=sheet_name), findings, options)


def _read_pdf(data: bytes, options: Options) -> Reading:
    from renkei.ingest.pdf import rows_from_pdf  # pdfplumber is imported only when a PDF is read

    rows, findings = rows_from_pdf(data, options.pages, options.registry, options.limits)
    return layout_reading(rows, options.source("pdf"), findings, options)


def _read_docx(data: bytes, options: Options) -> Reading:
    from renkei.ingest.docx import read_docx

    return read_docx(data, options)


def _read_ods(data: bytes, options: Options) -> Reading:
    from renkei.ingest.ods import read_ods

    return read_ods(data, options)


def _read_datapackage(data: bytes, options: Options) -> Reading:
    from renkei.ingest.datapackage import read_datapackage

    check_zip(data, options.limits)
    return read_datapackage(data, options.name, registry=options.registry)


def _read_html(data: bytes, options: Options) -> Reading:
    from renkei.ingest.html import read_html

    return read_html(data, options)


ReadWith = Callable[[bytes, Options], Reading]


def _builtin(name: str, read: ReadWith, extensions: tuple[str, ...], media: tuple[str, ...]) -> Reader:
    def plain(data: bytes, file_name: str) -> Reading:
        return read(data, Options(file_name, Registry.default(), DEFAULT_LIMITS))

    return Reader(name, plain, extensions, None, {}, media, f"reader.{name}", read)


XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MEDIA = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODS_MEDIA = "application/vnd.oasis.opendocument.spreadsheet"

# The built-in readers, in the order ``renkei formats`` lists them. The text formats share one reader, which
# tells them apart by their structure (``ingest.textual``).
BUILTIN: tuple[Reader, ...] = (
    _builtin("text", textual.read_text, ("txt", "tsv"), ("text/plain", "text/tab-separated-values")),
    _builtin("csv", textual.read_text, ("csv",), ("text/csv",)),
    _builtin("aligned", textual.read_text, (), ()),
    _builtin("markdown", textual.read_text, ("md", "markdown"), ("text/markdown",)),
    _builtin("json", textual.read_text, ("json",), ("application/json",)),
    _builtin("long", textual.read_text, (), ()),
    _builtin("xlsx", _read_xlsx, ("xlsx", "xlsm"), (XLSX_MEDIA, "application/vnd.ms-excel.sheet.macroEnabled.12")),
    _builtin("ods", _read_ods, ("ods",), (ODS_MEDIA,)),
    _builtin("docx", _read_docx, ("docx",), (DOCX_MEDIA,)),
    _builtin("html", _read_html, ("html", "htm"), ("text/html",)),
    _builtin("pdf", _read_pdf, ("pdf",), ("application/pdf",)),
    _builtin("datapackage", _read_datapackage, ("zip",), ("application/zip",)),
)
_BY_NAME = {r.name: r for r in BUILTIN}

# What the built-in readers read, which no plugin takes from them (``xls`` is refused with a hint, not read).
BUILTIN_FORMATS = frozenset(_BY_NAME)
BUILTIN_EXTENSIONS = frozenset({e for r in BUILTIN for e in r.extensions} | {"xls"})


def all_readers() -> list[Reader]:
    """Every reader: the built-ins first, then the plugins'."""
    return [*BUILTIN, *plugin_readers()]


def accept() -> str:
    """The ``accept`` list of a file picker: every reader's extensions and media types."""
    extensions = [f".{e}" for r in all_readers() for e in r.extensions]
    media = [m for r in all_readers() for m in r.media_types]
    return ",".join(dict.fromkeys([*extensions, *media]))


def choose(data: bytes, name: str) -> Reader:
    """The reader of a file: a plugin's by its extension, else the built-in one its content names."""
    extension = Path(name).suffix.lstrip(".").lower()
    claimed = next((r for r in plugin_readers() if extension and extension in r.extensions), None)
    if claimed is not None:
        return claimed
    kind = sniff_binary(data)
    if kind == "zip":
        return _BY_NAME[zip_kind(data, extension)]
    if kind == "pdf":
        return _BY_NAME["pdf"]
    if kind is not None:
        raise TableReadError(f"{kind}-not-table")
    if looks_html(data) or extension in ("html", "htm"):
        return _BY_NAME["html"]
    return _BY_NAME["text"]


_HTML_MARKERS = (b"<html", b"<!doctype html", b"<table", b"<body")


def looks_html(data: bytes) -> bool:
    """A web page by its markup near the start (any ASCII-compatible encoding, UTF-16 aside)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and any(marker in head for marker in _HTML_MARKERS)


def read_with(reader: Reader, data: bytes, options: Options) -> Reading:
    """A reader's reading of the bytes: a built-in's with the caller's options, a plugin's as it gives it."""
    if reader.read_with is not None:
        options = Options(
            options.name,
            options.registry,
            options.limits,
            options.encoding,
            options.sheet,
            options.sphere,
            options.pages,
            hashlib.sha256(data).hexdigest(),
            len(data),
        )
        return reader.read_with(data, options)
    return read_plugin(reader, data, options.name)


def plugin_readers() -> list[Reader]:
    """The plugins' readers that may be used, in the order of their entry points' names (loaded once)."""
    return list(_plugin_readers())


@functools.cache
def _plugin_readers() -> tuple[Reader, ...]:
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
        found[loaded.name] = Reader(
            loaded.name, loaded.read, tuple(extensions), loaded.sniff, loaded.labels, tuple(loaded.media_types)
        )
    return tuple(found.values())


plugins.on_forget(_plugin_readers.cache_clear)


def sniffed(data: bytes) -> Reader | None:
    """The first plugin reader whose sniff claims the bytes; a sniff that raises claims nothing."""
    for reader in plugin_readers():
        try:
            if reader.sniff is not None and reader.sniff(data):
                return reader
        except Exception:  # a plugin's sniff may raise anything: it then does not know the bytes
            continue
    return None


def read_plugin(reader: Reader, data: bytes, name: str) -> Reading:
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
