"""Municipalities in several spheres at once, for the national pages: a tile of the map marked with how many of
its prefecture's towns sit in two spheres or more (their names on hover, on focus and in the map's text list),
and the comparison's figures counted 延べ (a town once per sphere, as the ministry counts) beside distinct (once).

A sphere's towns are those its current membership (the country's list, central cities included) names; one the
list does not know is taken from its newest table's columns where the caller gives them (``extra``). Only the
spheres passed in count: the current ones, of the kind and prefecture chosen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from renkei.places.municipalities import Registry
from renkei.store import SphereInfo, Store
from renkei.web.national import Column, Table


@dataclass(frozen=True)
class Shared:
    """A municipality in two spheres or more: its code, name, prefecture and the spheres (key, name)."""

    code: str
    name: str
    prefecture: str
    spheres: tuple[tuple[str, str], ...]

    def text(self) -> str:
        return f"{self.name}（{'・'.join(name for _, name in self.spheres)}）"


@dataclass
class Towns:
    """The towns of a set of spheres: per sphere, and counted 延べ and distinct."""

    spheres: dict[str, SphereInfo] = field(default_factory=dict)  # the spheres counted, by key
    of: dict[str, set[str]] = field(default_factory=dict)  # sphere key → municipality codes (those known)
    _shared: list[Shared] | None = field(default=None, repr=False)
    _sharing: dict[str, list[Shared]] | None = field(default=None, repr=False)

    @property
    def names(self) -> dict[str, str]:
        return {k: s.name for k, s in self.spheres.items()}

    @property
    def gross(self) -> int:
        return sum(len(codes) for codes in self.of.values())

    @property
    def distinct(self) -> int:
        return len(set().union(*self.of.values())) if self.of else 0

    def shared(self) -> list[Shared]:
        """Every town in two of these spheres or more, by code (computed once: read it when ``of`` is filled)."""
        if self._shared is None:
            self._shared = self._find_shared()
        return self._shared

    def _find_shared(self) -> list[Shared]:
        where: dict[str, list[str]] = {}
        for key, codes in self.of.items():
            for code in codes:
                where.setdefault(code, []).append(key)
        registry = Registry.default()
        names = self.names
        out = []
        for code, keys in where.items():
            if len(keys) < 2:
                continue
            entry = registry.by_code(code)
            spheres = tuple((k, names[k]) for k in sorted(keys, key=lambda k: (names[k], k)))
            out.append(Shared(code, entry.name if entry else code, entry.prefecture if entry else "", spheres))
        return sorted(out, key=lambda s: s.code)

    def sharing(self, key: str) -> list[Shared]:
        """The towns of one sphere that also sit in another of these spheres (indexed by sphere once: asked
        for every row of a comparison, a scan of every shared town each time grew with the square of the
        registry)."""
        if self._sharing is None:
            index: dict[str, list[Shared]] = {}
            for s in self.shared():
                for k in dict.fromkeys(k for k, _ in s.spheres):
                    index.setdefault(k, []).append(s)
            self._sharing = index
        return self._sharing.get(key, [])


def towns(store: Store, spheres: Iterable[SphereInfo], tables: bool = False) -> Towns:
    """The towns of ``spheres`` by their current membership; with ``tables``, a sphere the list does not know
    by its newest table's columns and central city (those with a code)."""
    chosen = {s.key: s for s in spheres}
    out = Towns(spheres=chosen)
    for m in store.country.memberships():
        if m.sphere in chosen and not m.ended and m.code:
            out.of.setdefault(m.sphere, set()).add(m.code)
    if tables:
        newest = store.table_towns()  # the whole registry's at once, not a vision read per sphere
        for key, info in chosen.items():
            if key not in out.of and info.latest is not None and newest.get(key):
                out.of[key] = set(newest[key])
    return out


@dataclass(frozen=True)
class PrefectureTowns:
    """A prefecture's towns in the chosen spheres: 延べ, distinct, and those in several spheres."""

    gross: int
    distinct: int
    shared: tuple[Shared, ...]

    def detail(self) -> str:
        return "、".join(s.text() for s in self.shared)


def by_prefecture(found: Towns) -> dict[str, PrefectureTowns]:
    """Per prefecture (the town's own, whichever sphere it is in): its towns 延べ and distinct, and the ones in
    two spheres or more."""
    registry = Registry.default()
    gross: dict[str, int] = {}
    distinct: dict[str, set[str]] = {}
    for codes in found.of.values():
        for code in codes:
            entry = registry.by_code(code)
            prefecture = entry.prefecture if entry else ""
            gross[prefecture] = gross.get(prefecture, 0) + 1
            distinct.setdefault(prefecture, set()).add(code)
    shared: dict[str, list[Shared]] = {}
    for s in found.shared():
        shared.setdefault(s.prefecture, []).append(s)
    return {p: PrefectureTowns(gross[p], len(distinct[p]), tuple(shared.get(p, ()))) for p in gross}


def map_context(store: Store, spheres: Iterable[SphereInfo], kind: str = "") -> dict[str, object]:
    """What the home page's tile map adds: per prefecture its towns 延べ and distinct and those in several of
    the map's spheres (of ``kind`` where chosen), and the totals."""
    found = towns(store, (s for s in spheres if not kind or s.kind.value == kind))
    return {
        "towns": by_prefecture(found),
        "shared_total": len(found.shared()),
        "towns_gross": found.gross,
        "towns_distinct": found.distinct,
    }


# The comparison (``web.compare``): columns added to its tables, and the figures above them -----------------


COLUMNS = ("in_several", "shared_with", "towns_gross", "members_distinct")


def comparison_towns(store: Store, spheres: Iterable[SphereInfo]) -> Towns:
    return towns(store, spheres, tables=True)


def annotate(table: Table, found: Towns, group: Callable[[SphereInfo], str] | None, t: Callable[..., str]) -> None:
    """Add to a comparison table what overlapping memberships change. Rows of spheres (linked to their pages):
    how many of a sphere's towns sit in another of the compared spheres, and which (with those spheres). Rows
    per prefecture or kind (``group`` names a sphere's row): the towns, central cities included, counted 延べ
    (once per sphere) and distinct (once). Other tables (the overview, a town's) are left as they are."""
    if table.rows and len(table.links) == len(table.rows) and all(x.startswith("/spheres/") for x in table.links):
        table.columns += [
            Column("in_several", t("ui.col_in_several"), True),
            Column("shared_with", t("ui.col_shared_with")),
        ]
        for row, link in zip(table.rows, table.links, strict=True):
            key = link.removeprefix("/spheres/")
            sharing = found.sharing(key)
            others = [f"{s.name}（{'・'.join(n for k, n in s.spheres if k != key)}）" for s in sharing]
            row += [len(sharing) if key in found.of else None, "、".join(others)]
        return
    if group is not None and any(c.key == "members" for c in table.columns):
        grouped: dict[str, set[str]] = {}
        for key, codes in found.of.items():
            grouped.setdefault(group(found.spheres[key]), set()).update(codes)
        gross: dict[str, int] = {}
        for key, codes in found.of.items():
            name = group(found.spheres[key])
            gross[name] = gross.get(name, 0) + len(codes)
        table.columns += [
            Column("towns_gross", t("ui.col_towns_gross"), True),
            Column("members_distinct", t("ui.col_members_distinct"), True),
        ]
        for row in table.rows:
            name = str(row[0])
            row += [gross.get(name), len(grouped[name]) if name in grouped else None]


def summary(found: Towns) -> dict[str, int]:
    """The compared spheres' towns: 延べ, distinct and in several spheres (the page's line, the API's object)."""
    return {
        "spheres": len(found.spheres),
        "municipalities_gross": found.gross,
        "municipalities_distinct": found.distinct,
        "municipalities_in_several": len(found.shared()),
    }
