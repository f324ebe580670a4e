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
    """

    name: str
    extension: str
    media_type: str
    title: str
    render: Callable[[Vision], bytes]
    readable: bool = True


class RenderError(Exception):
    """A vision that cannot be written in a format (a character outside Shift_JIS, say), with the reason."""


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


def _load_builtins() -> None:
    # Imported late: each module registers itself, and importing the package stays cheap.
    from renkei.render import csv, json, markdown, official, xlsx  # noqa: F401
