"""What every reader shares: the ``Reading`` it gives, the ``Source`` it describes, the ``Reader`` entry of the
registry (built-in and plugin alike) and the ``Options`` a built-in reader is called with.

A built-in reader turns bytes into located rows (``ingest.grid``) and hands them to ``layout_reading``, which
reads the long form (``ingest.long``) or gives them to the ``LayoutReader``; a plugin's reader gives a
``Reading`` itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from renkei.ingest.grid import Row
from renkei.ingest.layout import LayoutReader
from renkei.ingest.limits import Limits, check_rows
from renkei.ingest.ownlayout import OwnLayoutReader, carries_meta
from renkei.ingest.understood import Understood
from renkei.places.municipalities import Registry
from renkei.vision.model import Finding, Sphere, Vision


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
class Options:
    """What a built-in reader is asked with: the caller's choices (encoding, sheet or table, PDF pages), the
    sphere, the municipalities and the limits."""

    name: str
    registry: Registry
    limits: Limits
    encoding: str | None = None
    sheet: str | None = None
    sphere: Sphere | None = None
    pages: str | None = None
    sha256: str = ""
    size: int = 0

    def source(self, format: str, encoding: str | None = None, sheet: str | None = None) -> Source:
        return Source(self.name, format, self.sha256, self.size, encoding, sheet)


@dataclass(frozen=True)
class Reader:
    """A table format in the registry of readers (``ingest.registry``): renkei's own and those of installed
    plugins (entry-point group ``renkei.readers``, docs/plugins.md) are entries of this one kind.

    A file goes to a plugin's reader when its name ends in one of ``extensions`` (without the dot; never one of
    the built-in readers'), or when no built-in reader reads the bytes as a table and ``sniff`` says they are
    its format. ``read(data, name)`` gives the same ``Reading`` the built-in readers give; whatever it raises
    is a read error naming the plugin (exit 2). ``media_types`` are offered, with the extensions, by the upload
    page's file picker. A built-in reader has ``title`` (a catalogue key) and ``read_with``, which takes the
    caller's ``Options``.
    """

    name: str
    read: Callable[[bytes, str], Reading]
    extensions: tuple[str, ...] = ()
    sniff: Callable[[bytes], bool] | None = None
    labels: Mapping[str, str] = field(default_factory=dict, hash=False)
    media_types: tuple[str, ...] = ()
    title: str = ""
    read_with: Callable[[bytes, Options], Reading] | None = field(default=None, hash=False, compare=False)

    def label(self, lang: str) -> str:
        """The format described in a language: the catalogue's text of ``title``, or the plugin's label."""
        from renkei.core.messages import has, t

        if self.title and has(self.title):
            return t(self.title, lang)
        if self.labels:
            return self.labels.get(lang) or next(iter(self.labels.values()))
        return self.name


# The formats whose cells a reader parted by where the words stand on the page or line, not by the document.
POSITIONAL = frozenset(("pdf", "aligned"))


def layout_reading(rows: list[Row], source: Source, findings: list[Finding], options: Options) -> Reading:
    """Located rows to a reading: the long form (one row per participation) when the rows are one, a table that
    runs a row per municipality turned (``ingest.transposed``), otherwise the layout reader's reading of the
    table."""
    from renkei.ingest.long import widen  # the long form's columns are found only once rows exist
    from renkei.ingest.transposed import transposed

    rows, too_long = check_rows(rows, options.limits)
    widened = widen(rows, options.registry)
    if widened is not None:
        rows, long_findings = widened
        findings = [*findings, *long_findings]
        source = Source(source.name, f"long-{source.format}", source.sha256, source.size, source.encoding, source.sheet)
    elif (turned := transposed(rows, options.registry)) is not None:  # a row per municipality: turned, and said
        rows, finding = turned
        findings = [*findings, finding]
    # renkei's own tables (its metadata row) take the layout reader with a direct path for their plain project
    # rows (``ingest.ownlayout``); every other table the general one.
    reader = (OwnLayoutReader if carries_meta(rows) else LayoutReader)(options.registry, options.sphere)
    reader.state.positional = source.format in POSITIONAL
    vision = reader.read(rows)
    return Reading(vision, source, [*findings, *too_long, *reader.findings], reader.understood)
