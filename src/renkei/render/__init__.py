"""Renderers: a Vision to the bytes of one output format, all entries of one registry.

The CLI (``renkei export``, ``renkei formats``), and later the web downloads and the API, list this registry
instead of repeating the formats. Each format is a small module that registers itself here; a third party
registers its own the same way (``register(Renderer(...))``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from renkei.model import Vision


@dataclass(frozen=True)
class Renderer:
    """One output format: a stable name, its file extension and media type, and the function that writes it.

    ``title`` is a message-catalogue key, so that the format is described in the reader's language.
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


class RenderUnavailable(RenderError):
    """A format this machine cannot write at all (Pango or a Japanese font missing). Carries a message code
    (``render.CODE`` and ``hint.CODE`` in the catalogues) and its parameters, as a read error does."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


_REGISTRY: dict[str, Renderer] = {}


def register(renderer: Renderer) -> Renderer:
    _REGISTRY[renderer.name] = renderer
    return renderer


def renderers() -> list[Renderer]:
    _load_builtins()
    return list(_REGISTRY.values())


def get(name: str) -> Renderer:
    """The renderer of that name; KeyError names the formats there are."""
    _load_builtins()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(name) from None


def render(vision: Vision, name: str) -> bytes:
    return get(name).render(vision)


def usable() -> list[Renderer]:
    """The renderers this machine can write: what the pages offer."""
    return [r for r in renderers() if r.unavailable is None or r.unavailable() is None]


def document_renderers() -> list[Renderer]:
    return [r for r in renderers() if r.document is not None]


def render_document(document: Document, name: str) -> bytes:
    renderer = get(name)
    if renderer.document is None:
        raise KeyError(name)
    return renderer.document(document)


def _load_builtins() -> None:
    # Imported late: each module registers itself, and importing the package stays cheap.
    from renkei.render import csv, json, markdown, official, pdf, xlsx  # noqa: F401
