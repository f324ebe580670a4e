"""JSON: the whole vision in the vocabulary of ``renkei check --json``; reads back into an equal vision."""

from __future__ import annotations

import json

from renkei.model import Vision
from renkei.render import Renderer, register
from renkei.serialize import vision_to_dict


def render_json(vision: Vision) -> bytes:
    return (json.dumps(vision_to_dict(vision), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


register(Renderer("json", "json", "application/json", "format.json", render_json))
