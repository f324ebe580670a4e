"""The one rule for text a person types into the registry (a project's name and description, headings,
attributes, notes, a publish message): bounded length, and no character that a renderer, a spreadsheet or a
chart cannot hold. Control characters (C0 but tab and line feed where a field has lines, DEL, C1), unpaired
surrogates and the noncharacters U+FFFE/U+FFFF are refused as a ``Problem`` (a code and its parameters, worded by
``renkei.core.messages``); the same text then goes through every export and chart. ``renkei.vision.editrules`` applies
these rules to a draft's fields. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Rule:
    limit: int
    lines: bool = False  # may hold line feeds and tabs


RULES = {
    "name": Rule(500),
    "description": Rule(10_000, lines=True),
    "label": Rule(20),  # a heading's label (ア, ①, (1) …): the columns hold 20 characters
    "title": Rule(500),
    "attribute-name": Rule(100),
    "attribute": Rule(2_000),
    "note": Rule(2_000, lines=True),
    "message": Rule(2_000, lines=True),
}


@dataclass(frozen=True)
class Problem:
    """Why a value cannot be stored: a code (``too-long`` …) and its parameters; ``renkei.core.messages`` words it
    from the catalogues as ``invalid.<code>``."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


def forbidden(c: str, lines: bool) -> bool:
    code = ord(c)
    if lines and c in "\n\t":
        return False
    # C0, DEL and C1 controls; unpaired surrogates (no UTF-8 for them); the noncharacters ending FFFE/FFFF.
    return code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or (code & 0xFFFE) == 0xFFFE


# What ``forbidden`` refuses, as one character class for the regular expression engine (a national import checks
# some 300,000 budget and KPI texts): C0 (but tab and line feed where a field has lines), DEL and C1, the
# surrogates, the noncharacters ending FFFE/FFFF of every plane.
_NONCHARACTERS = "".join(f"\\U{plane:04x}fffe-\\U{plane:04x}ffff" for plane in range(0x11))
_FORBIDDEN = {
    False: re.compile(f"[\\x00-\\x1f\\x7f-\\x9f\\ud800-\\udfff{_NONCHARACTERS}]"),
    True: re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\ud800-\\udfff{_NONCHARACTERS}]"),
}


def problem(kind: str, text: object) -> Problem | None:
    """Why ``text`` cannot be stored as a field of ``kind``, or None."""
    rule = RULES[kind]
    if not isinstance(text, str):
        return Problem("not-text")
    if len(text) > rule.limit:
        return Problem("too-long", {"max": rule.limit})
    if _FORBIDDEN[rule.lines].search(text.replace("\r\n", "\n") if "\r" in text else text):
        return Problem("control-character")
    return None
