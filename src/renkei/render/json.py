"""JSON: the whole vision in the vocabulary of ``renkei check --json``; reads back into an equal vision."""

from __future__ import annotations

import json

from renkei.render.base import Document, Renderer, register
from renkei.vision.model import Vision
from renkei.vision.serialize import vision_to_dict


def _dumps(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render_json(vision: Vision) -> bytes:
    return _dumps(vision_to_dict(vision))


def document_json(document: Document) -> bytes:
    """Each sheet as a list of objects keyed by column header."""
    sheets = [
        {"title": s.title, "rows": [dict(zip(s.columns, row, strict=True)) for row in s.rows]} for s in document.sheets
    ]
    return _dumps({"title": document.title, "notes": list(document.notes), "sheets": sheets})


register(Renderer("json", "json", "application/json", "format.json", render_json, document=document_json))
