"""Header cells to member municipalities (構成市町村): names and codes resolved through the national list.

A column header holds a name as the document spells it (鷹栖町, 北海道鷹栖町, 上川郡鷹栖町, 鶴ケ島市), a
six-digit code (renkei's own CSV), and sometimes a note beside the name that marks the central city
(旭川市（中心市）, 旭川市※中心市). Resolution keeps the header's spelling as the label and the official name
and code where the national list decides; what it cannot decide is a finding, never a guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from renkei.places.municipalities import Registry, Resolution, Status, is_valid_code
from renkei.places.variants import variants_in
from renkei.vision.model import Finding, Location, Municipality, Severity

# A note beside the name: in brackets, after ※, or a figure after a space (鳥取市 人口18.8万, 若桜町 2,913人).
_NOTE = re.compile(
    r"^(?P<name>.+?)\s*(?:[(（](?P<bracketed>[^()（）]+)[)）]|[※＊*](?P<marked>.*)|\s(?P<spaced>(?:\S+\s+)?\S*\d\S*))$",
    re.S,
)
_CENTRAL_WORDS = ("中心市", "中心都市", "連携中枢都市", "中枢都市", "甲")


@dataclass(frozen=True)
class Label:
    """A municipality's header cell: the name, and whether a note beside it marks the central city."""

    name: str
    central: bool = False


def split_label(text: str) -> Label:
    text = unicodedata.normalize("NFKC", split_code(text)[0]).strip()
    match = _NOTE.match(text)
    if match is None:
        return Label(text)
    note = match["bracketed"] or match["marked"] or ""
    return Label(match["name"].strip(), any(word in note for word in _CENTRAL_WORDS))


class MemberResolver:
    """Resolves header cells to municipalities, adding a finding for each name it cannot decide."""

    def __init__(self, registry: Registry, findings: list[Finding]) -> None:
        self.registry = registry
        self.findings = findings

    def common_prefecture(self, texts: Iterable[str]) -> str | None:
        """The prefecture that the names resolving on their own share: it decides the ambiguous ones."""
        names = [split_label(t).name for t in texts]
        named = [n for n in names if not is_valid_code(_code_key(n))]
        found = self.registry.common_prefecture(named)
        if found is not None:
            return found
        # Every name written without its 市, 町 or 村 (大仙, 仙北, 美郷): the prefecture their stems share.
        stems = Counter(e.prefecture for n in named if (e := self.registry.resolve_stem(n).entry) is not None)
        return stems.most_common(1)[0][0] if stems else None

    def municipality(self, text: str, where: Location | None, prefecture: str | None) -> Municipality:
        coded = by_bracketed_code(text, self.registry, where, self.findings)
        if coded is not None:
            return coded
        label = text.strip()
        name = split_label(label).name
        entry = self.registry.by_code(_code_key(name)) if is_valid_code(_code_key(name)) else None
        if entry is not None:
            return Municipality(entry.name, entry.code, entry.prefecture, entry.name, where)
        resolution = self.registry.resolve(name, prefecture)
        official = self.registry.resolve_stem(name, prefecture).entry if resolution.status is Status.UNKNOWN else None
        if official is not None:
            self._find(
                Severity.INFO,
                "municipality-stem",
                where,
                name=name,
                official=official.name,
                prefecture=official.prefecture,
            )
            return Municipality(official.name, official.code, official.prefecture, label, where)
        self._report(resolution, where)
        entry = resolution.entry
        if entry is None:
            return Municipality(_code_key(name), None, None, label, where)
        folded = [f"{v}→{s}" for v, s in variants_in(name) if v not in entry.name]
        if folded:  # found only through the folding of variant characters: the label keeps them
            self._find(Severity.INFO, "variant-folded", where, name=name, official=entry.name, chars="、".join(folded))
        return Municipality(entry.name, entry.code, entry.prefecture, label, where)

    def _report(self, resolution: Resolution, where: Location | None) -> None:
        name, status, entry = resolution.query, resolution.status, resolution.entry
        if status is Status.UNKNOWN:
            self._find(Severity.WARNING, "municipality-unknown", where, name=name)
        elif status is Status.AMBIGUOUS:
            options = "、".join(f"{e.prefecture}{e.name}" for e in resolution.candidates)
            self._find(Severity.WARNING, "municipality-ambiguous", where, name=name, candidates=options)
        elif status is Status.BY_PREFECTURE and entry is not None:
            self._find(Severity.INFO, "municipality-by-prefecture", where, name=name, prefecture=entry.prefecture)

    def _find(self, severity: Severity, code: str, where: Location | None, **params: object) -> None:
        self.findings.append(Finding(severity, code, params, where))


_BRACKETED_CODE = re.compile(r"^(?P<label>.*?)\s*[(（](?P<code>[0-9０-９]{6})[)）]$", re.S)


def split_code(text: str) -> tuple[str, str | None]:
    """A header cell as renkei's tidy CSV writes it, 「鷹栖町 (014524)」: the label and the code in brackets
    (None where the cell has no such code), the label as written."""
    text = text.strip()
    match = _BRACKETED_CODE.match(text)
    if match is None or not match["label"]:
        return text, None
    return match["label"], unicodedata.normalize("NFKC", match["code"])


def has_known_code(text: str, registry: Registry) -> bool:
    """Whether a header cell is 「name (code)」 with a code of the national list: a municipality's column."""
    code = split_code(text)[1]
    return code is not None and is_valid_code(code) and registry.by_code(code) is not None


def by_bracketed_code(
    text: str, registry: Registry, where: Location | None, findings: list[Finding]
) -> Municipality | None:
    """The municipality a header 「鷹栖町 (014524)」 names: the code wins over the name where its check digit
    holds and the national list has it; otherwise None (the name is resolved) with a warning."""
    label, code = split_code(text)
    if code is None:
        return None
    entry = registry.by_code(code) if is_valid_code(code) else None
    if entry is None:
        findings.append(Finding(Severity.WARNING, "municipality-code-invalid", {"code": code, "name": label}, where))
        return None
    return Municipality(entry.name, entry.code, entry.prefecture, label, where)


def _code_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
