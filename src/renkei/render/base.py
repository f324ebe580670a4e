"""What every renderer shares: the ``Renderer`` entry, the plain ``Document``, the render errors, and
``register``, through which the built-in formats (and a program that registers its own) enter the registry.

The format modules import from here and never from ``renkei.render`` itself, so the package has no import
cycle; ``renkei.render.registry`` gathers them together with the formats of installed plugins.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from renkei.core.errorkinds import CodedError, Family
from renkei.core.messages import has, t
from renkei.vision.model import Vision


@dataclass(frozen=True)
class Renderer:
    """One output format: a stable name, its file extension and media type, and the function that writes it.

    ``title`` is a message-catalogue key, so that the format is described in the reader's language; a plugin,
    whose format the catalogues do not know, gives ``labels`` instead ({"ja": …, "en": …}).
    ``readable`` says whether ``renkei.ingest`` reads the output back (the round trip the tests hold to).
    ``document`` writes a plain tabular document (an amendment list, an agreement schedule) where the format
    can; formats without it serve visions only.
    """

    name: str
    extension: str
    media_type: str
    title: str
    render: Callable[[Vision], bytes]
    readable: bool = True
    document: Callable[[Document], bytes] | None = None
    # Why this machine cannot write the format (a system library or font missing), or None: the pages then
    # offer the other formats, and a request for this one answers with the reason.
    unavailable: Callable[[], RenderUnavailable | None] | None = None
    labels: Mapping[str, str] = field(default_factory=dict, hash=False)

    def label(self, lang: str) -> str:
        """The format described in a language: the plugin's label in it (else its other one), the catalogue's
        text of ``title``, or ``title`` itself where it is no catalogue key (a plugin's format without labels)."""
        if self.labels:
            return self.labels.get(lang) or next(iter(self.labels.values()))
        return t(self.title, lang) if has(self.title) else self.title


@dataclass(frozen=True)
class Sheet:
    """One titled table of a document: column headers and rows of plain values."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    # Printed documents start this sheet on a new page (a town's part of an amendment list).
    new_page: bool = False


@dataclass(frozen=True)
class Document:
    """A tabular document other than a vision's table: 変更内容一覧, an agreement's schedule of projects."""

    title: str
    sheets: tuple[Sheet, ...]
    notes: tuple[str, ...] = ()


class RenderError(Exception):
    """A vision that cannot be written in a format (a character outside Shift_JIS, say), with the reason."""


class RenderUnavailable(RenderError, CodedError):
    """A format this machine cannot write at all (Pango or a Japanese font missing). Carries a message code
    (``render.CODE`` and ``hint.CODE`` in the catalogues, declared in ``renkei.core.errorkinds``: 503, exit 2) and its
    parameters, as a read error does."""

    FAMILY = Family.RENDER

    def __init__(self, code: str, **params: object) -> None:
        Exception.__init__(self, code)
        self.code = code
        self.params = params


# The formats registered in this process (the built-ins as their modules are imported): these always win over
# a plugin's format of the same name.
REGISTERED: dict[str, Renderer] = {}


def register(renderer: Renderer) -> Renderer:
    REGISTERED[renderer.name] = renderer
    return renderer
