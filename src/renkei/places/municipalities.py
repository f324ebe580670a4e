"""Municipalities (市区町村) by 全国地方公共団体コード: the shipped national list, check digits, name resolution.

The list is ``data/municipalities.csv`` (1,916 entries including the wards of designated cities), converted
from code4fukui/localgovjp (CC0) by ``scripts/build_municipalities.py``; see ``data/PROVENANCE.md``.
Names are matched on a normalised key and the official name is kept for display. Where a name occurs in
several prefectures (池田町 is in four), the sphere's prefecture decides.
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from renkei.places.variants import fold

_WEIGHTS = (6, 5, 4, 3, 2)
_SPACES = re.compile(r"\s+")
_DISTRICT = re.compile(r"^(?P<district>.+?郡)(?P<rest>.+[町村])$")  # 東白川郡塙町: a town of one character too


def check_digit(five: str) -> int:
    """The check digit of a five-digit code: 11 − (Σ weight·digit mod 11), last digit only."""
    total = sum(w * int(d) for w, d in zip(_WEIGHTS, five, strict=True))
    return (11 - total % 11) % 10


def is_valid_code(code: str) -> bool:
    """True for six ASCII digits whose last digit is the check digit of the first five."""
    return len(code) == 6 and code.isascii() and code.isdigit() and check_digit(code[:5]) == int(code[5])


def normalize_name(text: str) -> str:
    """The matching key of a municipality name: NFKC, no spaces, ヶ/ヵ written as ケ."""
    key = _SPACES.sub("", unicodedata.normalize("NFKC", text))
    return key.replace("ヶ", "ケ").replace("ヵ", "ケ")


@dataclass(frozen=True)
class Entry:
    """One municipality of the national list."""

    code: str
    prefecture: str
    name: str
    kana: str


class Status(StrEnum):
    EXACT = "exact"
    BY_PREFECTURE = "by-prefecture"
    AMBIGUOUS = "ambiguous"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving one name: the entry if one was chosen, and every candidate considered."""

    query: str
    status: Status
    entry: Entry | None
    candidates: tuple[Entry, ...] = ()


class Registry:
    """The national list, indexed by code and by normalised name."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries = tuple(entries)
        self._by_code = {e.code: e for e in self.entries}
        self._by_key: dict[str, list[Entry]] = {}
        # Variant characters (異体字) folded, looked up only where the name as written matches nothing: 鹿嶋市
        # and 鹿島市 are two cities, while 髙島市 is 高島市.
        self._by_folded: dict[str, list[Entry]] = {}
        # A city's, town's or village's name without its 市, 町 or 村 (大仙 of 大仙市), two characters or more: what
        # a dense table's header may write (``resolve_stem``; never asked by ``resolve``).
        self._by_stem: dict[str, list[Entry]] = {}
        for e in self.entries:
            self._by_key.setdefault(normalize_name(e.name), []).append(e)
            self._by_folded.setdefault(fold(normalize_name(e.name)), []).append(e)
            key = normalize_name(e.name)
            if key[-1:] in ("市", "町", "村") and len(key) >= 3:
                self._by_stem.setdefault(key[:-1], []).append(e)
        self.prefectures = tuple(dict.fromkeys(e.prefecture for e in self.entries))
        # A name's prefecture in front of it, found by the few lengths a prefecture's name has (3 or 4 characters),
        # not by trying all 47: every text asked whether it names a municipality, most of which do not, asks it.
        self._prefecture_set = frozenset(self.prefectures)
        self._prefecture_lengths = sorted({len(p) for p in self.prefectures})

    @classmethod
    @functools.cache
    def default(cls) -> Registry:
        source = importlib.resources.files("renkei") / "data" / "municipalities.csv"
        text = source.read_text(encoding="utf-8")
        return cls(Entry(**row) for row in csv.DictReader(io.StringIO(text, newline="")))

    def by_code(self, code: str) -> Entry | None:
        return self._by_code.get(code)

    def candidates(self, name: str) -> list[Entry]:
        """Entries whose name matches, also when written with its prefecture or district (郡) in front."""
        key = normalize_name(name)
        found = self._by_key.get(key) or self._by_folded.get(fold(key))
        if found:
            return list(found)
        prefecture = next(
            (key[:n] for n in self._prefecture_lengths if len(key) > n and key[:n] in self._prefecture_set), None
        )
        if prefecture is not None:
            return [e for e in self.candidates(key[len(prefecture) :]) if e.prefecture == prefecture]
        district = _DISTRICT.match(key)
        rest = district["rest"] if district else ""
        return list(self._by_key.get(rest) or self._by_folded.get(fold(rest), [])) if district else []

    def resolve(self, name: str, prefecture: str | None = None) -> Resolution:
        return _decided(name, self.candidates(name), prefecture)

    def resolve_stem(self, name: str, prefecture: str | None = None) -> Resolution:
        """A name written without its 市, 町 or 村 (大仙 → 大仙市), decided as ``resolve`` decides: alone, or by the
        prefecture where several municipalities share the stem (美郷 → 美郷町 of 秋田県). Asked only of a name that
        resolves to nothing as written."""
        return _decided(name, self._by_stem.get(normalize_name(name), []), prefecture)

    def resolve_all(self, names: Sequence[str], prefecture: str | None = None) -> list[Resolution]:
        """Resolve a table's columns together: without a given prefecture, the prefecture that the
        unambiguous names share decides the ambiguous ones (a sphere lies within one prefecture)."""
        if prefecture is None:
            prefecture = self.common_prefecture(names)
        return [self.resolve(name, prefecture) for name in names]

    def common_prefecture(self, names: Iterable[str]) -> str | None:
        counts = Counter(r.entry.prefecture for r in map(self.resolve, names) if r.entry is not None)
        return counts.most_common(1)[0][0] if counts else None

    def is_municipality_name(self, text: str) -> bool:
        return bool(self.candidates(text))


def _decided(name: str, found: Sequence[Entry], prefecture: str | None) -> Resolution:
    """A name's candidates decided: the one there is, or the one in the prefecture where several share it."""
    if len(found) == 1:
        return Resolution(name, Status.EXACT, found[0], tuple(found))
    if not found:
        return Resolution(name, Status.UNKNOWN, None)
    chosen = [e for e in found if e.prefecture == prefecture]
    if len(chosen) == 1:
        return Resolution(name, Status.BY_PREFECTURE, chosen[0], tuple(found))
    return Resolution(name, Status.AMBIGUOUS, None, tuple(found))
