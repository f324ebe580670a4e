"""The national view of the registry, computed from the store's public reads: the sphere list filtered and
sorted, the prefecture tile map, the comparison tables (fields × spheres, per prefecture, per kind, one
municipality across its spheres) and the facets of a search.

Every table is a ``Table`` (columns and rows of plain values), so that a page, the JSON API and the CSV/XLSX
downloads show the same rows in the same order: what a download holds is what the page showed.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from renkei.store import FieldTotal, FieldUse, Found, SphereInfo, Store
from renkei.vision.budgetfigures import GRADE_KEYS, project_figures, thresholds_of
from renkei.vision.grades import Thresholds
from renkei.vision.guidelines import POLICY_FIELDS, policy_field
from renkei.vision.model import Project, SphereKind, Vision

# The 47 prefectures on a fixed grid (column, row), as newspapers draw Japan without map data: Hokkaido top
# right, Okinawa bottom left, each prefecture beside its neighbours as far as a grid allows.
TILES: dict[str, tuple[int, int]] = {
    "北海道": (12, 0),
    "青森県": (11, 1),
    "秋田県": (10, 2),
    "岩手県": (11, 2),
    "山形県": (10, 3),
    "宮城県": (11, 3),
    "石川県": (8, 4),
    "富山県": (9, 4),
    "新潟県": (10, 4),
    "福島県": (11, 4),
    "島根県": (3, 5),
    "鳥取県": (4, 5),
    "兵庫県": (5, 5),
    "京都府": (6, 5),
    "福井県": (7, 5),
    "岐阜県": (8, 5),
    "長野県": (9, 5),
    "群馬県": (10, 5),
    "栃木県": (11, 5),
    "佐賀県": (0, 6),
    "福岡県": (1, 6),
    "山口県": (2, 6),
    "広島県": (3, 6),
    "岡山県": (4, 6),
    "大阪府": (5, 6),
    "奈良県": (6, 6),
    "滋賀県": (7, 6),
    "愛知県": (8, 6),
    "山梨県": (9, 6),
    "埼玉県": (10, 6),
    "茨城県": (11, 6),
    "長崎県": (0, 7),
    "熊本県": (1, 7),
    "大分県": (2, 7),
    "愛媛県": (3, 7),
    "香川県": (4, 7),
    "和歌山県": (5, 7),
    "三重県": (7, 7),
    "静岡県": (9, 7),
    "東京都": (10, 7),
    "千葉県": (11, 7),
    "鹿児島県": (0, 8),
    "宮崎県": (1, 8),
    "高知県": (3, 8),
    "徳島県": (4, 8),
    "神奈川県": (10, 8),
    "沖縄県": (0, 9),
}
# The prefectures in the national code order (北海道 01 … 沖縄県 47), for lists and choices.
PREFECTURES: tuple[str, ...] = tuple(
    [
        "北海道",
        "青森県",
        "岩手県",
        "宮城県",
        "秋田県",
        "山形県",
        "福島県",
        "茨城県",
        "栃木県",
        "群馬県",
        "埼玉県",
        "千葉県",
        "東京都",
        "神奈川県",
        "新潟県",
        "富山県",
        "石川県",
        "福井県",
        "山梨県",
        "長野県",
        "岐阜県",
        "静岡県",
        "愛知県",
        "三重県",
        "滋賀県",
        "京都府",
        "大阪府",
        "兵庫県",
        "奈良県",
        "和歌山県",
        "鳥取県",
        "島根県",
        "岡山県",
        "広島県",
        "山口県",
        "徳島県",
        "香川県",
        "愛媛県",
        "高知県",
        "福岡県",
        "佐賀県",
        "長崎県",
        "熊本県",
        "大分県",
        "宮崎県",
        "鹿児島県",
        "沖縄県",
    ]
)
# The first is the list's own order: by prefecture from the north (the order of their codes, as the national
# lists of spheres are printed), then by the central city's code, which orders a prefecture's towns the same way.
SPHERE_SORTS = ("place", "name", "members", "projects", "revision")


# The sphere list ------------------------------------------------------------------------------------------


_NORTH_FIRST = {prefecture: i for i, prefecture in enumerate(PREFECTURES)}  # 北海道 0 … 沖縄県 46


@dataclass(frozen=True)
class SphereFilter:
    kind: str = ""
    prefecture: str = ""
    sort: str = "place"

    def apply(self, spheres: Iterable[SphereInfo]) -> list[SphereInfo]:
        """The spheres of this kind and prefecture (either may be empty: all), sorted: by place (prefecture from
        the north, then the central city's code; a sphere without either after those with it), names in order
        of their characters, figures and the last revision's date largest first."""
        chosen = [
            s
            for s in spheres
            if (not self.kind or s.kind.value == self.kind) and (not self.prefecture or s.prefecture == self.prefecture)
        ]
        keys: dict[str, Callable[[SphereInfo], tuple[object, ...]]] = {
            "place": lambda s: (
                _NORTH_FIRST.get(s.prefecture or "", len(_NORTH_FIRST)),
                (s.central_city.code if s.central_city else None) or "~",
                s.name,
                s.key,
            ),
            "name": lambda s: (s.name, s.key),
            "members": lambda s: (-s.members_shown, s.name),
            "projects": lambda s: (-s.projects, s.name),
            "revision": lambda s: (-(s.latest.effective_on.toordinal() if s.latest else 0), s.name),
        }
        return sorted(chosen, key=keys.get(self.sort, keys["place"]))


@dataclass(frozen=True)
class Tile:
    prefecture: str
    column: int
    row: int
    spheres: int
    level: int  # 0 (none) to 4 (the most), for the tile's colour
    with_table: int = 0  # of them, those whose table is registered (the others are known by membership only)


def tiles(spheres: Iterable[SphereInfo], kind: str = "") -> list[Tile]:
    """Every prefecture's tile with its number of spheres (of one kind, if given) and a colour level."""
    chosen = [s for s in spheres if s.prefecture and (not kind or s.kind.value == kind)]
    counts = Counter(s.prefecture for s in chosen)
    tables = Counter(s.prefecture for s in chosen if s.latest)
    most = max(counts.values(), default=0)
    out = []
    for prefecture, (column, row) in TILES.items():
        n = counts.get(prefecture, 0)
        level = 0 if n == 0 or most == 0 else 1 + min(3, (4 * n - 1) // most)
        out.append(Tile(prefecture, column, row, n, level, tables.get(prefecture, 0)))
    return out


def kinds() -> list[str]:
    return [k.value for k in SphereKind]


# Tables ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False


@dataclass
class Table:
    """A comparison as shown: columns, rows of values (str, int, float or None), and a link per row's first
    cell where there is one."""

    title: str
    columns: list[Column]
    rows: list[list[object]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)

    def sort(self, key: str, descending: bool) -> None:
        index = next((i for i, c in enumerate(self.columns) if c.key == key), None)
        if index is None:
            return
        numeric = self.columns[index].numeric

        def value(row: list[object]) -> tuple[int, object]:
            v = row[index]
            if v is None:
                return (1, 0)
            return (0, v if numeric else str(v))

        order = sorted(range(len(self.rows)), key=lambda i: value(self.rows[i]), reverse=descending)
        if descending:  # missing values last either way
            order = [i for i in order if self.rows[i][index] is not None] + [
                i for i in order if self.rows[i][index] is None
            ]
        self.rows = [self.rows[i] for i in order]
        if self.links:
            self.links = [self.links[i] for i in order]

    def as_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "columns": [{"key": c.key, "label": c.label, "numeric": c.numeric} for c in self.columns],
            "rows": [dict(zip((c.key for c in self.columns), row, strict=True)) for row in self.rows],
        }


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def compared_field(title: str) -> tuple[str, bool]:
    """The row a field title is compared in: the guidelines' policy field it belongs to, or the title itself
    (not mapped) where it names none."""
    policy = policy_field(title)
    return (policy.name, True) if policy is not None else (title, False)


def field_uses(vision: Vision) -> dict[str, FieldUse]:
    """Each policy field of a vision (or a field title the guidelines do not name) with its projects, the towns
    taking part in at least one of them and the vision's own titles of those fields."""
    grouped: dict[str, list[Project]] = {}
    for p in vision.projects:
        if p.field is not None:
            grouped.setdefault(compared_field(p.field.title)[0], []).append(p)
    members = len(vision.municipalities)
    return {
        key: FieldUse(
            len(ps),
            len({name for p in ps for name in p.participants}),
            members,
            tuple(dict.fromkeys(p.field.title for p in ps if p.field is not None)),
            compared_field(ps[0].field.title)[1] if ps[0].field is not None else False,
            *_figures(ps, thresholds_of(vision)),
        )
        for key, ps in grouped.items()
    }


def _figures(projects: list[Project], thresholds: Thresholds) -> tuple[float | None, tuple[int, ...]]:
    """The projects' budget over every fiscal year (千円; None where none gives one) and KPIs per grade, graded
    with their sphere's thresholds."""
    figures = [project_figures(p, thresholds) for p in projects]
    budgets = [b for b, _ in figures if b is not None]
    grades = tuple(sum(column) for column in zip(*(g for _, g in figures), strict=True)) if figures else ()
    return (sum(budgets) if budgets else None), grades or (0,) * len(GRADE_KEYS)


# The comparison's budget and KPI-grade columns (computed: labelled so), after a row's own columns.
FIGURE_COLUMNS = ("budget", "grade_a", "grade_b", "grade_c", "grade_d", "ungraded")


def _figure_cells(budget: float | None, grades: Sequence[int], shown: bool = True) -> list[object]:
    return [None if budget is None else round(budget), *grades] if shown else []


def _with_figures(uses: Iterable[FieldUse | FieldTotal]) -> bool:
    """Whether any compared sphere gives budgets or KPIs: the columns are shown only then (a registry without
    them keeps its comparison as it was, with no column of blanks)."""
    return any(use.budget is not None or any(use.grades) for use in uses)


@dataclass(frozen=True)
class Comparison:
    """What the comparison page asks: one field (by title) or the overview of all fields; spheres of a kind
    and prefecture; grouped by sphere, prefecture or kind; or one municipality across its spheres."""

    field: str = ""
    kind: str = ""
    prefecture: str = ""
    group: str = "sphere"
    municipality: str = ""
    sort: str = ""
    descending: bool = True
    abolished: bool = False  # abolished spheres compared too (their newest table), each with its end date


GROUPS = ("sphere", "prefecture", "kind")


class National:
    """The comparison tables over a store's newest revisions; ``t`` translates column labels."""

    def __init__(self, store: Store, t: Callable[..., str]) -> None:
        self.store = store
        self.t = t

    def spheres(self, kind: str = "", prefecture: str = "", abolished: bool = False) -> list[SphereInfo]:
        """The current spheres (abolished ones left out unless asked for) of a kind and prefecture."""
        return SphereFilter(kind, prefecture).apply(s for s in self.store.spheres() if abolished or not s.abolished)

    def field_titles(self) -> list[str]:
        """Every compared field of the registry: the guidelines' policy fields in their order, then the titles
        they do not name, in order of first appearance (kept on write: one indexed query)."""
        order = {policy.name: i for i, policy in enumerate(POLICY_FIELDS)}
        found = self.store.field_titles()
        ranked = sorted(found, key=lambda item: (not item[1], order.get(item[0], len(order))))
        return [title for title, _ in ranked]

    def table(self, ask: Comparison) -> Table:
        if ask.municipality:
            table = self.municipality(ask.municipality)
        elif not ask.field:
            table = self.overview(ask.kind, ask.prefecture, ask.abolished)
        elif ask.group in ("prefecture", "kind"):
            table = self.grouped(ask.field, ask.kind, ask.prefecture, ask.group, ask.abolished)
        else:
            table = self.by_sphere(ask.field, ask.kind, ask.prefecture, ask.abolished)
        if ask.sort:
            table.sort(ask.sort, ask.descending)
        return table

    def overview(self, kind: str, prefecture: str, abolished: bool = False) -> Table:
        """Every field title: how many spheres run projects in it, how many projects, the towns' share."""
        totals = self.store.field_overview(kind, prefecture, abolished)
        shown = _with_figures(totals)
        figure_columns = FIGURE_COLUMNS if shown else ()
        columns = self._columns("field", "spheres_running", "projects", "share", "field_source", *figure_columns)
        table = Table(self.t("ui.compare_overview"), columns)
        for total in totals:
            source = self.t("ui.compare_policy_field" if total.mapped else "ui.compare_unmapped_field")
            share = _share(total.towns, total.members)
            figures = _figure_cells(total.budget, total.grades, shown)
            table.rows.append([total.field, total.spheres, total.projects, share, source, *figures])
            table.links.append(_compare_url(field=total.field, kind=kind, prefecture=prefecture, abolished=abolished))
        return table

    def by_sphere(self, title: str, kind: str, prefecture: str, abolished: bool = False) -> Table:
        """One field across the spheres, each with the titles its own document gives it (and, abolished spheres
        compared too, the day each ended)."""
        title = compared_field(title)[0]
        keys = ("sphere", "prefecture", "kind", "projects", "towns_taking_part", "members", "share", "own_titles")
        uses = self.store.field_uses(title)
        shown = _with_figures(uses.values())
        ended = ("abolished_on",) if abolished else ()
        table = Table(title, self._columns(*keys, *ended, *(FIGURE_COLUMNS if shown else ())))
        grade_zeros = (0,) * len(GRADE_KEYS)
        for info in self.spheres(kind, prefecture, abolished):
            use = uses.get(info.key)
            projects, towns = (use.projects, use.towns) if use else (0, 0)
            own = "、".join(use.titles) if use else ""
            members = info.members_shown
            figures = _figure_cells(use.budget, use.grades, shown) if use else _figure_cells(None, grade_zeros, shown)
            table.rows.append(
                [
                    info.name,
                    info.prefecture,
                    info.kind.value,
                    projects,
                    towns,
                    members,
                    _share(towns, members),
                    own,
                    *([info.abolished] if abolished else []),
                    *figures,
                ]
            )
            table.links.append(f"/spheres/{info.key}")
        return table

    def grouped(self, title: str, kind: str, prefecture: str, group: str, abolished: bool = False) -> Table:
        title = compared_field(title)[0]
        uses = self.store.field_uses(title)
        shown = _with_figures(uses.values())
        columns = self._columns(group, "spheres", "spheres_running", "projects", "towns_taking_part", "members")
        table = Table(title, [*columns, *self._columns("share", *(FIGURE_COLUMNS if shown else ()))])
        sums: dict[str, list[int]] = {}
        budgets: dict[str, list[float]] = {}
        grades: dict[str, list[int]] = {}
        for info in self.spheres(kind, prefecture, abolished):
            name = (info.prefecture or "") if group == "prefecture" else info.kind.value
            use = uses.get(info.key)
            members = info.members_shown
            row = sums.setdefault(name, [0, 0, 0, 0, 0])
            row[0] += 1
            row[1] += 1 if use else 0
            row[2] += use.projects if use else 0
            row[3] += use.towns if use else 0
            row[4] += members
            counted = grades.setdefault(name, [0] * len(GRADE_KEYS))
            if use is not None:
                budgets.setdefault(name, []).extend([use.budget] if use.budget is not None else [])
                grades[name] = [a + b for a, b in zip(counted, use.grades, strict=True)]
        order = PREFECTURES if group == "prefecture" else tuple(kinds())
        for name in sorted(sums, key=lambda n: order.index(n) if n in order else len(order)):
            s = sums[name]
            budget = sum(budgets[name]) if budgets.get(name) else None
            table.rows.append([name, *s, _share(s[3], s[4]), *_figure_cells(budget, grades[name], shown)])
        return table

    def municipality(self, code: str) -> Table:
        """One municipality's projects per field title in every sphere it belongs to (a town can be in two):
        a column per sphere, ``joined / in the field``."""
        memberships = self.store.memberships(code)
        columns = [Column("field", self.t("ui.field"))]
        per_sphere: list[dict[str, tuple[int, int]]] = []
        for info in memberships:
            if info.latest is None:
                continue  # known only by its members: no table to compare
            vision = self.store.vision(info.key)
            member = vision.find_municipality(code)
            counts: dict[str, tuple[int, int]] = {}
            for p in vision.projects:
                if p.field is None:
                    continue
                compared = compared_field(p.field.title)[0]
                joined, total = counts.get(compared, (0, 0))
                inside = member is not None and member.name in p.participants
                counts[compared] = (joined + (1 if inside else 0), total + 1)
            per_sphere.append(counts)
            columns.append(Column(info.key, info.name, numeric=True))
        name = _municipality_name(code)
        table = Table(self.t("ui.compare_municipality", name=name), columns)
        titles = list(dict.fromkeys(title for counts in per_sphere for title in counts))
        for title in titles:
            table.rows.append([title, *(_joined(counts.get(title)) for counts in per_sphere)])
            table.links.append(_compare_url(field=title))
        return table

    def _columns(self, *keys: str) -> list[Column]:
        text = {"field", "sphere", "prefecture", "kind", "field_source", "own_titles", "abolished_on"}
        return [Column(k, self.t(f"ui.col_{k}"), numeric=k not in text) for k in keys]


def _compare_url(**params: str | bool) -> str:
    return "/compare?" + urlencode({k: "1" if v is True else v for k, v in params.items() if v})


def _joined(pair: tuple[int, int] | None) -> int | None:
    """How many of the field's projects the municipality joins (None where the sphere has no such field)."""
    return pair[0] if pair else None


def _municipality_name(code: str) -> str:
    from renkei.places.municipalities import Registry

    entry = Registry.default().by_code(code)
    return entry.name if entry else code


# Search facets --------------------------------------------------------------------------------------------


@dataclass
class Facets:
    """A page of hits (each with its kind, prefecture and field title), how many in all, and the facets'
    counts, in the order the page lists them."""

    hits: list[Found]
    total: int
    kinds: list[tuple[str, int]]
    prefectures: list[tuple[str, int]]
    fields: list[tuple[str, int]]


def facet_search(
    store: Store,
    query: str,
    kind: str = "",
    prefecture: str = "",
    field_title: str = "",
    limit: int | None = None,
    offset: int = 0,
) -> Facets:
    """The hits of a query narrowed to the chosen facets (a page of them, or all), and the counts of each facet
    over the hits narrowed by the other facets: ranked and counted by the store in SQL."""
    found = store.faceted_search(query, kind, prefecture, field_title, limit, offset)

    def ordered(counts: dict[str, int], order: Sequence[str]) -> list[tuple[str, int]]:
        return [(name, counts[name]) for name in order if counts.get(name)]

    return Facets(
        list(found.hits),
        found.total,
        ordered(found.kinds, kinds()),
        ordered(found.prefectures, PREFECTURES),
        sorted(found.fields.items(), key=lambda item: (-item[1], item[0])),
    )


def suggestions(store: Store, query: str, most: int = 6) -> list[tuple[str, str]]:
    """For a search without hits: the field titles and sphere names nearest the query (by shared characters),
    as (text, address), so the reader has something to try: a field title as a new search, a sphere its page."""
    q = query.strip()
    if not q:
        return []
    fields = {title: f"/search?q={quote(title)}" for title in National(store, str).field_titles()}
    spheres = {s.name: f"/spheres/{quote(s.key)}" for s in store.spheres()}
    out = []
    for names in (fields, spheres):
        close = difflib.get_close_matches(q, list(names), n=most, cutoff=0.3)
        sharing = sorted(
            (n for n in names if n not in close and set(q) & set(n)),
            key=lambda n: (-len(set(q) & set(n)), len(n)),
        )
        out += [(n, names[n]) for n in (close + sharing)[: most // 2]]
    return out
