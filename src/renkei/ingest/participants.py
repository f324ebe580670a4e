"""Participants written in one cell (連携市町村), as 連携中枢都市圏 visions usually print them, and members lines.

Instead of a ○ under each town, the cell names the towns that take part: 「姫路市、相生市」, one per line, or
separated by ・ , / or spaces; 「全市町」 (全市町村, 全構成市町村, 圏域全体) for every member, and
「全市町（上郡町を除く）」 for every member but some. A count may be written by kind of municipality
(7市3町, 1市5町1村). A members line above the table (構成市町：姫路市、相生市、…) names the sphere's members in
their order; without one, the members are the towns met, in the order first met.

This module only parses text; resolving names to municipalities and building the columns is the layout's.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_SEPARATORS = re.compile(r"[、,，・･/／\s\u3000]+")
_EVERY = (
    "全市町村",
    "全構成市町村",
    "全構成市町",
    "全構成団体",
    "全市町",
    "全町村",
    "圏域全体",
    "圏域全市町村",
    "全団体",
)
_EXCEPT = re.compile(r"^(?P<every>.+?)[(（](?P<names>.+?)(?:を|は)?除く[)）]$")
_KINDS = re.compile(r"^(?:(?P<市>[0-9]+)市)?(?:(?P<町>[0-9]+)町)?(?:(?P<村>[0-9]+)村)?$")
# A members line: its label, then the names (構成市町：姫路市、相生市 / 連携市町村 八戸市・三戸町).
_MEMBERS_LINE = re.compile(
    r"^[\s\u3000]*[【\[<＜〈]?(?:構成市町村|構成市町|構成団体|構成自治体|圏域の市町村|圏域市町村|連携市町村|参加市町村)"
    r"[】\]>＞〉]?[\s\u3000]*(?:[(（](?P<note>[^()（）]*)[)）])?[\s\u3000]*[:：]?[\s\u3000]*(?P<names>.+)$"
)


@dataclass(frozen=True)
class Named:
    """What one cell says: every member (less those excluded), or the names it lists."""

    every: bool = False
    names: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _is_every(text: str) -> bool:
    return _SEPARATORS.sub("", _plain(text)) in _EVERY


def split_names(text: str) -> list[str]:
    """The names a cell lists, in order, without empty parts."""
    return [part for part in _SEPARATORS.split(_plain(text)) if part]


def parse_named(text: str) -> Named:
    """The participants a cell names: 全市町, 全市町（○○町を除く）, or a list of names."""
    plain = _plain(text)
    if _is_every(plain):
        return Named(every=True)
    excepted = _EXCEPT.match(re.sub(r"\s+", "", plain))
    if excepted is not None and _is_every(excepted["every"]):
        return Named(every=True, excluded=split_names(excepted["names"]))
    return Named(names=split_names(plain))


def kinds_count(text: str) -> dict[str, int] | None:
    """A count written by kind of municipality (7市3町 → {市: 7, 町: 3}), or None for any other text."""
    match = _KINDS.match(re.sub(r"\s+", "", _plain(text)))
    if match is None or not any(match.groupdict().values()):
        return None
    return {kind: int(n) for kind, n in match.groupdict().items() if n}


def count_by_kind(names: list[str]) -> dict[str, int]:
    """How many cities, towns and villages a list of official names holds (区 counts with 市)."""
    counts: dict[str, int] = {}
    for name in names:
        kind = "市" if name.endswith(("市", "区")) else name[-1]
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def members_line(text: str) -> list[str] | None:
    """The names of a members line (構成市町：姫路市、相生市、…), or None if the line is not one."""
    match = _MEMBERS_LINE.match(_plain(text))
    if match is None:
        return None
    names = split_names(match["names"])
    return names if len(names) >= 2 else None


def members_line_count(text: str) -> dict[str, int] | None:
    """The count a members line states beside its label (構成市町村（8市8町）：…), by kind, or None."""
    match = _MEMBERS_LINE.match(_plain(text))
    return kinds_count(match["note"]) if match is not None and match["note"] else None
