"""Ingest: bytes of a table as it really arrives, to a Vision and the findings met while reading it.

Every format is an entry of one registry of readers (``ingest.registry``): renkei's own (text, CSV, aligned
text, Markdown, JSON, the long form, XLSX, ODS, DOCX, HTML, PDF) and those of installed plugins (``Reader``,
entry-point group ``renkei.readers``, docs/plugins.md), told apart by content first, then by the file's name.
Decoding, layout detection and normalisation live here and nowhere else.
"""

from __future__ import annotations

from pathlib import Path

from renkei.ingest.choices import chosen
from renkei.ingest.datapackage import DESCRIPTOR, read_datapackage_dir
from renkei.ingest.errors import TableReadError
from renkei.ingest.limits import DEFAULT as DEFAULT_LIMITS
from renkei.ingest.limits import Limits, bounded, check_size, check_vision
from renkei.ingest.reading import Options, Reader, Reading, Source
from renkei.ingest.registry import choose, plugin_readers, read_with, sniffed
from renkei.places.municipalities import Registry
from renkei.vision.figurecolumns import in_column_order
from renkei.vision.model import Sphere

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
    options = Options(name, registry or Registry.default(), limits, encoding, sheet, sphere, pages)
    with bounded(limits), chosen(name_column):
        reading = _read_or_sniff(data, options)
    reading.findings.extend(check_vision(reading.vision, limits))
    in_column_order(reading.vision)  # budgets and results in one order, whatever format they came in
    return reading


def _read_or_sniff(data: bytes, options: Options) -> Reading:
    """The reader the registry chooses; bytes no built-in reader reads as a table go to the first plugin that
    sniffs them as its own (a limit exceeded stays a refusal)."""
    try:
        reader = choose(data, options.name)
    except TableReadError as error:
        refused: TableReadError | None = error
    else:
        if reader.read_with is None:  # a plugin's reader, claimed by its extension
            return read_with(reader, data, options)
        refused = None
    try:
        if refused is not None:
            raise refused
        return read_with(reader, data, options)
    except TableReadError as error:
        found = sniffed(data) if error.code != "limit-exceeded" else None
        if found is None:
            raise
    return read_with(found, data, options)


def readers() -> list[Reader]:
    """The plugins' readers that may be used, in the order of their entry points' names (loaded once); the
    built-in ones are ``ingest.registry.BUILTIN``."""
    return plugin_readers()


def read_path(path: str | Path, **options: object) -> Reading:
    path = Path(path)
    try:
        limits = options.get("limits")
        check_size(b"", limits if isinstance(limits, Limits) else DEFAULT_LIMITS, size=path.stat().st_size)
        data = path.read_bytes()
    except FileNotFoundError:
        raise TableReadError("file-missing", path=str(path)) from None
    except IsADirectoryError:
        if (path / DESCRIPTOR).is_file():  # an unpacked data package (ingest/datapackage.py)
            reading = read_datapackage_dir(path)
            in_column_order(reading.vision)
            return reading
        raise TableReadError("file-is-directory", path=str(path)) from None
    except PermissionError:
        raise TableReadError("file-unreadable", path=str(path)) from None
    return read_bytes(data, path.name, **options)  # type: ignore[arg-type]


def read_sample() -> Reading:
    """The bundled sample: the seed table of the 上川中部定住自立圏, with the sphere that it does not name."""
    from renkei.core.sample import sample_bytes, sample_sphere

    return read_bytes(sample_bytes(), "sample.txt", sphere=sample_sphere())
