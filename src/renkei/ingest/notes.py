"""Notes that change the arithmetic: the central city takes part in every project.

In a 定住自立圏 table the central city has no column: it takes part in every project. Many tables say so in a
note under or above the table, and some then count it in every row's declared count. A person writes that in
many ways (「※連携町数には中心市を含む」, 「中心市（旭川市）は全ての事業に参加」, 「※旭川市は全事業に参加しています」,
「各事業には中心市が参加するものとする」), so a note is told by what it says, not by a list of sentences: it names
the central city (中心市, 中枢, or a municipality that has no column), and says either that it takes part in all
projects or that the counts include it; a negation (含まない, 除く, 参加しない) is not such a note.

This module only reads the text; the layout decides whether the named town is the central city.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CENTRAL_WORDS = ("中心市", "中心都市", "中枢都市", "中心", "中枢")
_ALL = re.compile(r"(全て|すべて|全|各|いずれ|どの)の?(事業|取組|取り組み|項目|連携事業)|全事業|全取組|全項目")
_TAKES_PART = re.compile(r"参加|参画|実施|連携|加わ|関わ|含")
_INCLUDED = re.compile(r"数(に|は|には|の中に|へ)?.{0,12}(含|加え|入れ|カウント|数え)")
_NEGATION = re.compile(
    r"(含|入|数え|参加し|加え|加わら)[^。]{0,6}(ない|ません|ず)|含まない|含めない|含みません|除く|除き|除いた|除外|参加しない|参加せず|入れない|含まず|数えない|以外"
)
# A municipality named at the start of the note: 旭川市は全事業に参加, ※姫路市も各事業に.
_NAMED = re.compile(r"^[※*＊注記：:()（）\s\d.．]*(?P<name>[^\s、。，,()（）はがもをに]{1,10}?[市町村区])[はがも]")


@dataclass(frozen=True)
class CentralNote:
    """A note saying the central city takes part in every project: its text, the municipality it names (None
    where it says 中心市 without a name), and whether it says the counts include it (else only that it takes
    part in everything: whether the counts include it is then the counts' to tell)."""

    text: str
    named: str | None
    counted: bool


def central_note(text: str) -> CentralNote | None:
    """The note's reading, or None when it says nothing about the central city taking part in everything."""
    plain = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if not plain or _NEGATION.search(plain):
        return None
    named = _NAMED.match(plain)
    mentions_central = any(w in plain for w in _CENTRAL_WORDS)
    if not mentions_central and named is None:
        return None
    everything = _ALL.search(plain) is not None and _TAKES_PART.search(plain) is not None
    counted = _INCLUDED.search(plain) is not None and mentions_central
    if not (everything or counted):
        return None
    return CentralNote(text.strip(), None if mentions_central or named is None else named["name"], counted)
