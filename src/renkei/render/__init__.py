"""Renderers: a Vision to the bytes of one output format, all entries of one registry.

The CLI (``renkei export``, ``renkei formats``), the web downloads and the API list this registry instead of
repeating the formats. The shared names live in ``renkei.render.base`` (which the format modules import), the
registry in ``renkei.render.registry``; this package only re-exports them. A program registers a format of its
own with ``register(Renderer(...))``; an installed package adds one through the ``renkei.renderers`` entry
point (docs/plugins.md).
"""

from __future__ import annotations

from renkei.render.base import Document, Renderer, RenderError, RenderUnavailable, Sheet, register
from renkei.render.registry import document_renderers, get, render, render_document, renderers, usable

__all__ = [
    "Document",
    "RenderError",
    "RenderUnavailable",
    "Renderer",
    "Sheet",
    "document_renderers",
    "get",
    "register",
    "render",
    "render_document",
    "renderers",
    "usable",
]
