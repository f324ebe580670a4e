"""The bundled sample: a byte-for-byte copy of the seed table, and the sphere it belongs to (sample.json)."""

from __future__ import annotations

import importlib.resources
import json

from renkei.places.municipalities import Registry
from renkei.vision.model import Municipality, Sphere, SphereKind

_DATA = importlib.resources.files("renkei") / "data"


def sample_bytes() -> bytes:
    return (_DATA / "sample.txt").read_bytes()


def sample_sphere() -> Sphere:
    meta = json.loads((_DATA / "sample.json").read_text(encoding="utf-8"))
    entry = Registry.default().by_code(meta["central_city"])
    central = Municipality(entry.name, entry.code, entry.prefecture, entry.name) if entry else None
    return Sphere(name=meta["name"], kind=SphereKind(meta["kind"]), central_city=central, prefecture=meta["prefecture"])
