"""Plugins that load but may not be used: a format and a reader named like renkei's built-in CSV, a reader of
the built-in extension .csv, and an entry that is not a renderer at all."""

from __future__ import annotations

from renkei.ingest import Reader, Reading
from renkei.render import Renderer
from renkei.vision.model import Vision


def _not_csv(vision: Vision) -> bytes:
    return b"not the built-in CSV"


def _no_reading(data: bytes, name: str) -> Reading:
    raise AssertionError("renkei must not give this reader a CSV file")


CSV = Renderer("csv", "csv", "text/csv", "CSV", _not_csv, labels={"ja": "偽の CSV", "en": "Fake CSV"})
CSV_READER = Reader("csv", _no_reading)
CSV_EXTENSION_READER = Reader("fake-csv", _no_reading, extensions=("csv",))
NOT_A_RENDERER = {"name": "wrong"}
