"""Participants written in one cell (連携市町村), as 連携中枢都市圏 visions usually print them, and members lines.

Instead of a ○ under each town, the cell names the towns that take part: 「姫路市、相生市」, one per line, or
separated by ・ , / or spaces, 及び or 並びに (と where the names on each side are municipalities'); 「全市町」
(全市町村, 全構成市町村, 圏域全体) for every member, 「全町村」 and 「全町」 for the members that are towns (and
villages), 「全市町（上郡町を除く）」 and 「上郡町を除く全市町」 (上郡町以外の全市町) for every member but some,
「中心市のみ」 for the central city by its role, 「鳥取市ほか4町」 for a town and as many more members as it says (where
the members leave exactly so many). A count may be written by kind of municipality (7市3町, 1市5町1村). A members
line above the table (構成市町：姫路市、相生市、…) names the sphere's members in their order; without one, the members
are the towns met, in the order first met.

This module only parses text; resolving names to municipalities and building the columns is the layout's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from renkei.places.municipalities import Registry

_SEPARATORS = re.compile(r"(?:[、,，・･/／\s\u3000]|及び|および|並びに|ならびに)+")
# The others after a name, by number and kind: 鳥取市ほか4町, 姫路市他7市町, 八戸市外7町村.
_OTHERS = re.compile(r"^(?P<name>.+?)(?:ほか|他|外)(?P<count>[0-9]+)(?P<kind>市町村|市町|町村|団体|[市町村])$")
_EVERY = (
    "全市町村",
    "全構成市町村",
    "全構成市町",
    "全構成団体",
    "全市町",
    "全町村",
    "全町",
    "圏域全体",
    "圏域全市町村",
    "全団体",
)
# Every member of some kinds only, as the words say: 全町村 and 全町 are the towns (and villages), no city.
_EVERY_OF_KINDS = {"全町村": "町村", "全町": "町"}
_EXCEPT = re.compile(r"^(?P<every>.+?)[(（](?P<names>.+?)(?:を|は)?除く[)）]$")
# Every member but some, the names first: 三朝町を除く全市町, 若桜町以外の全市町村.
_EXCEPT_BEFORE = re.compile(r"^(?P<names>.+?)(?:を|は)?(?:除く|以外の?)(?P<every>.+)$")
# The central city alone, by its role: 中心市のみ, 連携中枢都市だけ; a name with のみ after it is that name.
_CENTRAL_ONLY = re.compile(r"^(?:中心市|中心都市|連携中枢都市|中枢都市)(?:のみ|だけ)?$")
_ONLY = re.compile(r"(?:のみ|だけ)$")
_KINDS = re.compile(r"^(?:(?P<市>[0-9]+)市)?(?:(?P<町>[0-9]+)町)?(?:(?P<村>[0-9]+)村)?$")
# A members line: its label, then the names (構成市町：姫路市、相生市 / 連携市町村 八戸市・三戸町).
_MEMBERS_LINE = re.compile(
    r"^[\s\u3000]*[【\[<＜〈]?(?:構成市町村|構成市町|構成団体|構成自治体|圏域の市町村|圏域市町村|連携市町村|連携市町|連携町村|参加市町村)"
    r"[】\]>＞〉]?[\s\u3000]*(?:[(（](?P<note>[^()（）]*)[)）])?[\s\u3000]*[:：]?[\s\u3000]*(?P<names>.+)$"
)


# A count written beside the names, by kind or of kinds together: 1市2町, 5市2町1村, 3市町, 8市町村, bracketed or not.
_STATED = re.compile(r"^[(（]?(?P<count>(?:[0-9]+(?:市町村|市町|町村|[市町村]))+)[)）]?$")
_STATED_IN = re.compile(r"[(（](?P<count>(?:[0-9]+(?:市町村|市町|町村|[市町村]))+)[)）]")
# A role's label before its names: 中心市：旭川市　連携市町村：鷹栖町、東神楽町 (in any order, any separators).
_LABEL = r"[^\s\u3000:：、,，・/／;；|｜]+?"
_ROLE = re.compile(
    rf"(?P<label>{_LABEL})[\s\u3000]*(?:[(（](?P<note>[^()（）]*)[)）])?[\s\u3000]*[:：][\s\u3000]*"
    rf"(?P<names>[^:：]*?)[\s\u3000/／;；|｜]*(?=(?:{_LABEL})[\s\u3000]*(?:[(（][^()（）]*[)）])?[\s\u3000]*[:：]|$)"
)

_BRACKETED = re.compile(r"[【\[＜<〈](?P<label>[^】\]＞>〉]+)[】\]＞>〉][\s\u3000]*[:：]?")


@dataclass(frozen=True)
class Named:
    """What one cell says: every member (less those excluded), or the names it lists; and a count it states
    beside them (1市2町, 3市町), never a municipality."""

    every: bool = False
    names: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    stated: str | None = None
    central: bool = False  # the central city named by its role (中心市のみ), whichever city that is
    kinds: str = ""  # every member of these kinds only (全町村: 町村), where the words name kinds
    others: int | None = None  # 鳥取市ほか4町: as many more members, of the kinds ``others_kinds`` names
    others_kinds: str = ""


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _is_every(text: str) -> bool:
    return _SEPARATORS.sub("", _plain(text)) in _EVERY


def _kinds_of(every: str) -> str:
    return _EVERY_OF_KINDS.get(_SEPARATORS.sub("", _plain(every)), "")


def split_names(text: str) -> list[str]:
    """The names a cell lists, in order, without empty parts."""
    return [part for part in _SEPARATORS.split(_plain(text)) if part]


def parse_named(text: str) -> Named:
    """The participants a cell names: 全市町, 全市町（○○町を除く）, or a list of names; a count by kind among
    them (旭川市、鷹栖町（1市1町）, or 2市町 on a line of its own) is the count the cell states."""
    plain = _plain(text)
    found = _STATED_IN.search(plain)
    stated = found["count"] if found else None
    plain = _STATED_IN.sub(" ", plain).strip()
    parts = split_names(plain)
    counts = [p for p in parts if _STATED.match(p)]
    if counts and stated is None:
        stated = _STATED.match(counts[0])["count"]  # type: ignore[index]
    names = [p for p in parts if not _STATED.match(p)]
    plain = "、".join(names)
    if _is_every(plain):
        return Named(every=True, stated=stated, kinds=_kinds_of(plain))
    tight = re.sub(r"\s+", "", plain)
    for pattern in (_EXCEPT, _EXCEPT_BEFORE):
        excepted = pattern.match(tight)
        if excepted is not None and _is_every(excepted["every"]):
            names, kinds = split_names(excepted["names"]), _kinds_of(excepted["every"])
            return Named(every=True, excluded=names, stated=stated, kinds=kinds)
    if _CENTRAL_ONLY.match(tight):
        return Named(central=True, stated=stated)
    others = _OTHERS.match(names[-1]) if names else None  # 姫路市、相生市ほか14市町: the last name and its others
    if others is not None:
        kinds = "市町村" if others["kind"] == "団体" else others["kind"]
        named = [*names[:-1], others["name"]]
        return Named(names=named, stated=stated, others=int(others["count"]), others_kinds=kinds)
    return Named(names=[_ONLY.sub("", n) or n for n in names], stated=stated)


def conjoined(name: str, resolves: Callable[[str], bool]) -> list[str]:
    """A name that is names joined by と or や (鳥取市と岩美町, 東松山市とときがわ町), parted at the joiner where the
    whole is no municipality's name and each part is (ときがわ町 stays whole); the name itself otherwise."""
    if ("と" not in name and "や" not in name) or resolves(name):
        return [name]
    for at, character in enumerate(name):
        if character in "とや" and at and resolves(name[:at]):
            rest = conjoined(name[at + 1 :], resolves) if at + 1 < len(name) else []
            if rest and all(resolves(part) for part in rest):
                return [name[:at], *rest]
    return [name]


def stated_total(text: str) -> int:
    """The number a count by kind states in all: 1市2町 → 3, 3市町 → 3."""
    return sum(int(n) for n in re.findall(r"[0-9]+", text))


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


# A prefecture in brackets before the names of its towns, in a members line of a sphere across prefectures:
# （広島県）呉市、竹原市 （山口県）岩国市.
_PREFECTURE_GROUP = re.compile(r"[(（](?P<prefecture>[^()（）]{1,3}[都道府県])[)）]")


def grouped_by_prefecture(text: str) -> bool:
    """Whether a members line groups its names by prefecture (（広島県）呉市、… （山口県）岩国市): its names then
    come with their group's prefecture, which the document did not write before each."""
    return _PREFECTURE_GROUP.search(_plain(text)) is not None


def _grouped(names: str, first: str | None = None) -> list[str]:
    """The names of a members line, each written with its group's prefecture (広島県呉市) where the line groups
    them by prefecture, so that a name several prefectures have (美郷町) is the group's."""
    parts = _PREFECTURE_GROUP.split(names)
    found = split_names(parts[0])
    found = [f"{first}{n}" for n in found] if first else found
    for prefecture, rest in zip(parts[1::2], parts[2::2], strict=True):
        found += [f"{prefecture}{n}" for n in split_names(rest)]
    return found


def members_line(text: str) -> list[str] | None:
    """The names of a members line (構成市町：姫路市、相生市、…), or None if the line is not one. A line that
    names the roles before the towns (中心市：旭川市　連携市町村：鷹栖町、東神楽町; 連携中枢都市：…／連携市町村：…)
    gives every role's names in the line's order, the central cities' marked as such (旭川市（中心市）)."""
    plain = _BRACKETED.sub(r" \g<label>：", _plain(text)).strip()
    match = _MEMBERS_LINE.match(plain)
    if match is not None and len(re.findall("[:：]", plain)) <= 1:
        # A bracket after the label is a count (構成市町村（8市8町）) or the first group's prefecture.
        note = match["note"] or ""
        first = note if _PREFECTURE_GROUP.fullmatch(f"（{note}）") else None
        names = _grouped(match["names"], first)
        return names if len(names) >= 2 else None
    roles = list(_ROLE.finditer(plain.strip()))
    if not roles or "".join(m.group(0) for m in roles) != plain.strip():
        return None
    names = []
    for role in roles:
        central = any(w in role["label"] for w in ("中心", "中枢"))
        named = [n for n in split_names(role["names"]) if not _STATED.match(n)]
        names.extend(f"{n}（中心市）" if central else n for n in named)
    return names if len(names) >= 2 else None


def members_line_count(text: str) -> dict[str, int] | None:
    """The count a members line states beside its label (構成市町村（8市8町）：…), by kind, or None."""
    plain = _BRACKETED.sub(r" \g<label>：", _plain(text)).strip()
    if len(re.findall("[:：]", plain)) > 1:  # roles before the names: each role's count is its own
        return None
    match = _MEMBERS_LINE.match(plain)
    return kinds_count(match["note"]) if match is not None and match["note"] else None


def members_table(rows: Sequence[Sequence[str]]) -> list[str]:
    """The members line (and the central city's line) of a table that lists the sphere's towns (a web page's or
    a Word document's, beside its projects table): one town a row below its header, the row's one cell that is
    a municipality's name (its role in brackets after it allowed, 西脇市（中心市）), the central city's row a cell
    saying so (中心市). None where the table is not such a list: fewer than two towns, a row naming several or
    none."""
    registry = Registry.default()
    names, central = [], None
    for cells in rows[1:]:
        texts = [text.strip() for text in cells if text.strip()]
        towns = [(text, _ROLE_AFTER.sub("", text)) for text in texts]
        towns = [(text, name) for text, name in towns if registry.is_municipality_name(name)]
        if len(towns) != 1:
            return []
        written, name = towns[0]
        names.append(name)
        if _CENTRAL_ROLE.search(written.replace(name, "", 1)) or any(
            _CENTRAL_ROLE.search(text) for text in texts if text != written
        ):
            central = central or name
    if len(names) < 2 or len(set(names)) < len(names):  # a list names each member once (a lead town repeats)
        return []
    return ([f"中心市：{central}"] if central else []) + [f"構成市町村：{'、'.join(names)}"]


# A cell that gives a row's town the central city's role (中心市, 連携中枢都市, 中枢都市), and a bracket after a
# town's name that holds its role (（中心市）).
_CENTRAL_ROLE = re.compile(r"中心市|中枢都市")
_ROLE_AFTER = re.compile(r"\s*[（(][^（()）]*[)）]$")
