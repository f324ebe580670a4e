"""Variant characters (異体字) folded for matching: 髙→高, 﨑→崎, 德→徳, 邊/邉→辺, 濵→浜, 齋→斎, 嶋→島, 舘→館 …

NFKC folds the compatibility ideographs (塚, 神) but leaves the variants that are characters of their own.
``data/variants.tsv`` maps each to the standard form (provenance in ``data/PROVENANCE.md``). Folding is only
for matching: a name or heading keeps its spelling for display, and a municipality found only through a
folding is reported (``variant-folded``).
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import unicodedata


@functools.cache
def table() -> dict[str, str]:
    """Each variant character and its standard form."""
    text = (importlib.resources.files("renkei") / "data" / "variants.tsv").read_text(encoding="utf-8")
    pairs = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {variant: standard for variant, standard, *_ in pairs}


@functools.cache
def _translation() -> dict[int, str]:
    return str.maketrans(table())


def fold(text: str) -> str:
    """The text with every variant character written in its standard form."""
    return text.translate(_translation())


_SPACE_RUNS = re.compile(r"\s+")


def key(text: str) -> str:
    """The matching form of a cell: NFKC with no spaces, variant characters folded (事業內容 is 事業内容). Only
    for matching; values keep their spelling."""
    return fold(_SPACE_RUNS.sub("", unicodedata.normalize("NFKC", text)))


def variants_in(text: str) -> list[tuple[str, str]]:
    """The variant characters of a text and their standard forms, in order, each once."""
    found = table()
    return list(dict.fromkeys((c, found[c]) for c in text if c in found))
