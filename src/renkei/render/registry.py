"""The registry of output formats: the built-in ones, each of which registers itself in
``renkei.render.base`` as its module is imported, then those of installed plugins (entry-point group
``renkei.renderers``, ``renkei.core.plugins``). Everything that lists or picks a format (the CLI's ``formats`` and
``export``, the pages' downloads, the API) asks here, so a plugin's format is offered wherever a built-in is.

A plugin may not take a built-in format's name: the built-in wins and the plugin's format is left out with a
warning, as is one whose name could not stand in an address, or a second plugin's format of a taken name.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from typing import TypeVar

from renkei.core import plugins
from renkei.render.base import REGISTERED, Document, Renderer, RenderError
from renkei.vision.model import Vision

# A format's name stands in addresses (/spheres/{key}/export/{name}) and on command lines.
NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,39}\Z")

T = TypeVar("T", Vision, Document)


# The built-ins' order wherever formats are listed, whichever module happened to be imported first.
_ORDER = ("csv", "csv-utf8", "csv-cp932", "csv-long", "json", "official", "markdown", "pdf", "xlsx", "datapackage")


def renderers() -> list[Renderer]:
    """Every format: the built-ins in their order, then the plugins' by name."""
    _load_builtins()
    rank = {name: i for i, name in enumerate(_ORDER)}
    builtins = sorted(REGISTERED.values(), key=lambda r: rank.get(r.name, len(rank)))
    return [*builtins, *(r for r in _plugins() if r.name not in REGISTERED)]


def get(name: str) -> Renderer:
    """The renderer of that name; KeyError names the formats there are."""
    try:
        return next(r for r in renderers() if r.name == name)
    except StopIteration:
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
    from renkei.render import csv, datapackage, json, markdown, official, pdf, xlsx  # noqa: F401


@functools.cache
def _plugins() -> tuple[Renderer, ...]:
    """The plugins' formats that may be offered, loaded once."""
    _load_builtins()
    found: dict[str, Renderer] = {}
    for entry, loaded in plugins.entries(plugins.RENDERERS):
        if not isinstance(loaded, Renderer):
            plugins.warn(plugins.RENDERERS, entry, "not_renderer", got=type(loaded).__name__)
        elif not NAME.match(loaded.name):
            plugins.warn(plugins.RENDERERS, entry, "bad_name", format=loaded.name)
        elif loaded.name in REGISTERED:
            plugins.warn(plugins.RENDERERS, entry, "builtin_wins", format=loaded.name)
        elif loaded.name in found:
            plugins.warn(plugins.RENDERERS, entry, "duplicate", format=loaded.name)
        else:
            found[loaded.name] = _guarded(loaded)
    return tuple(found.values())


plugins.on_forget(_plugins.cache_clear)


def _guarded(renderer: Renderer) -> Renderer:
    """A plugin's renderer whose failures are render errors with the format's name (the CLI's exit 1, the
    download's 422), never an internal error."""
    document = renderer.document
    return dataclasses.replace(
        renderer,
        render=_guard(renderer.name, renderer.render),
        document=None if document is None else _guard(renderer.name, document),
    )


def _guard(name: str, write: Callable[[T], bytes]) -> Callable[[T], bytes]:
    def guarded(value: T) -> bytes:
        try:
            data = write(value)
        except RenderError:
            raise
        except Exception as error:  # the plugin's code may raise anything
            raise RenderError(f"{name}: {type(error).__name__}: {error}") from error
        if not isinstance(data, bytes):
            raise RenderError(f"{name}: {type(data).__name__}, not bytes")
        return data

    return guarded
