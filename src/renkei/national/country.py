"""The country's spheres as a list (国内の圏域一覧): every known sphere with its central city, its members, the
dates of its stages and where each fact was read. Pure: the list as shipped (``data/country.csv``, provenance in
``data/PROVENANCE.md``), a newer list of the same shape read from a file, what changed between two lists, and
the counts of a date. The store keeps the list (``renkei.store.country``).

Dates are kept as precise as the page gave them (``2019``, ``2019-04``, ``2019-04-23``): a stage is reached on
a date only when the whole period it names lies on or before it, so no day is invented.
"""

from __future__ import annotations

import csv
import datetime
import importlib.resources
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from renkei.core.errorkinds import CodedError, Family
from renkei.places.municipalities import Registry, is_valid_code
from renkei.vision.model import Finding, Municipality, Severity, SphereKind

REQUIRED = ("key", "kind", "name", "prefecture", "central_city", "members", "declared", "agreement", "vision")
STAGES = ("declared", "agreement", "vision")
DATES = (*STAGES, "abolished")
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?", re.ASCII)
_ENTRY = re.compile(r"(?P<name>[^:()（）]+)(?:[(（](?P<prefecture>[^)）]+)[)）])?:(?P<code>[0-9]{6})")
_SEPARATOR = re.compile(r"[;；・]")
_KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")
# As the store derives a new sphere's key (``store.writes``): the central city's code and the kind.
_KIND_KEYS = {SphereKind.SETTLEMENT: "teiju", SphereKind.METROPOLITAN: "renkei-chusu", SphereKind.OTHER: "koiki"}


class CountryError(CodedError):
    """A list that cannot be used: a catalogue code (``country.<code>``, declared in ``renkei.core.errorkinds``) and
    where (line, column)."""

    FAMILY = Family.COUNTRY


@dataclass(frozen=True)
class Member:
    """A municipality of a sphere as the list names it (``名前:コード``)."""

    code: str
    name: str


@dataclass(frozen=True)
class ListedSphere:
    """One row of the list: a sphere as public pages show it."""

    key: str
    kind: SphereKind
    name: str
    prefecture: str
    central: tuple[Member, ...]
    members: tuple[Member, ...]
    dates: dict[str, str] = field(default_factory=dict)  # declared/agreement/vision/abolished → partial ISO
    as_seen: dict[str, str] = field(default_factory=dict)  # the same dates as the pages wrote them
    successor: str = ""
    notes: str = ""
    sources: tuple[str, ...] = ()
    seen: str = ""

    @property
    def codes(self) -> set[str]:
        return {m.code for m in self.members}


def period_end(value: str) -> datetime.date:
    """The last day of a partial date's period (``2019`` → 2019-12-31, ``2019-04`` → 2019-04-30)."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return datetime.date(*parts)
    if len(parts) == 2:
        following = datetime.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return following - datetime.timedelta(days=1)
    return datetime.date(parts[0], 12, 31)


def period_start(value: str) -> datetime.date:
    parts = [int(p) for p in value.split("-")]
    return datetime.date(parts[0], *[*parts[1:], 1, 1][:2])


def reached(value: str | None, on: datetime.date | None) -> bool:
    """Whether a stage dated ``value`` had certainly been reached on ``on`` (any date when ``on`` is None)."""
    return bool(value) and (on is None or period_end(value or "") <= on)


def check_date(value: str) -> str:
    """A partial ISO date as given, or ValueError."""
    if not _DATE.fullmatch(value):
        raise ValueError(value)
    period_start(value)  # a month 13 or a 31 February fails here
    if len(value) == 10:
        datetime.date.fromisoformat(value)
    return value


def derived_key(kind: SphereKind, central: Sequence[Member], name: str) -> str:
    """A stable ASCII key for a sphere whose row has none: its first central city's code and its kind, as the
    store derives one (``012041-teiju``); a row without a central city must carry its key."""
    if not central:
        raise ValueError(name)
    return f"{central[0].code}-{_KIND_KEYS[kind]}"


# The list's way of saying that no public page gave a sphere's name: 「(函館市を中心市とする定住自立圏; 名称は
# excerpt になし)」. Shown as the description it is, marked as such, never as if it were the official name.
_UNNAMED = re.compile(r"^[(（]\s*(?P<what>[^;；]+?)\s*[;；]\s*名称(?P<more>・構成)?は\s*excerpt\s*になし\s*[)）]$")


def shown_name(name: str) -> str:
    """A sphere's name as the pages show it: the list's own, or for an unnamed one its description with
    （名称未確認） (（名称・構成未確認） where its members are unknown too)."""
    found = _UNNAMED.match(name.strip())
    if found is None:
        return name
    return f"{found['what']}（名称{'・構成' if found['more'] else ''}未確認）"


def read_list(text: str, source: str = "country.csv") -> list[ListedSphere]:
    """The rows of a list in the shape of ``data/country.csv`` (the gathered ``spheres.csv`` and its added
    columns, which may be absent). Raises ``CountryError`` naming the line and column of the first fault."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise CountryError("columns-missing", source=source, columns=", ".join(missing))
    rows: list[ListedSphere] = []
    seen_keys: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        sphere = _row(row, source, line)
        if sphere.key in seen_keys:
            raise CountryError("key-twice", source=source, line=line, key=sphere.key, first=seen_keys[sphere.key])
        seen_keys[sphere.key] = line
        rows.append(sphere)
    keys = set(seen_keys)
    for sphere in rows:
        if sphere.successor and sphere.successor not in keys:
            raise CountryError("successor-unknown", source=source, key=sphere.key, successor=sphere.successor)
    return rows


def _row(row: dict[str, str | None], source: str, line: int) -> ListedSphere:
    def cell(column: str) -> str:
        return (row.get(column) or "").strip()

    def fault(column: str, value: str) -> CountryError:
        return CountryError("cell-invalid", source=source, line=line, column=column, value=value[:80])

    try:
        kind = SphereKind(cell("kind"))
    except ValueError:
        raise fault("kind", cell("kind")) from None
    central = _members(cell("central_city"), lambda v: fault("central_city", v))
    members = _members(cell("members"), lambda v: fault("members", v))
    try:
        key = cell("key") or derived_key(kind, central, cell("name"))
    except ValueError:
        raise fault("key", "") from None
    if not _KEY.fullmatch(key):
        raise fault("key", key)
    dates = {}
    for column in DATES:
        value = cell(column)
        if value:
            try:
                dates[column] = check_date(value)
            except ValueError:
                raise fault(column, value) from None
    if not cell("name"):
        raise fault("name", "")
    return ListedSphere(
        key=key,
        kind=kind,
        name=shown_name(cell("name")),
        prefecture=cell("prefecture"),
        central=central,
        members=members,
        dates=dates,
        as_seen={c: cell(f"{c}_as_seen") for c in DATES if cell(f"{c}_as_seen")},
        successor=cell("successor"),
        notes=cell("notes"),
        sources=tuple(cell("sources").split()),
        seen=cell("seen"),
    )


def _members(text: str, fault: Callable[[str], CountryError]) -> tuple[Member, ...]:
    """``名前:コード`` entries separated by ``;`` (two central cities also by ``・``), every code checked."""
    registry = Registry.default()
    found = []
    for part in (p.strip() for p in _SEPARATOR.split(text)):
        if not part:
            continue
        match = _ENTRY.fullmatch(part)
        if match is None or not is_valid_code(match["code"]) or registry.by_code(match["code"]) is None:
            raise fault(part)
        found.append(Member(match["code"], match["name"].strip()))
    return tuple(found)


def shipped() -> list[ListedSphere]:
    """The list shipped with renkei (``data/country.csv``)."""
    text = (importlib.resources.files("renkei") / "data" / "country.csv").read_text(encoding="utf-8")
    return read_list(text)


@dataclass(frozen=True)
class OfficialFigure:
    """A national figure as the ministry publishes it: a gross (延べ) count of one kind on a date."""

    kind: SphereKind
    on: str
    spheres: int
    municipalities: int | None
    approximate: bool
    source: str
    url: str


def official_figures() -> list[OfficialFigure]:
    text = (importlib.resources.files("renkei") / "data" / "official.json").read_text(encoding="utf-8")
    return [
        OfficialFigure(
            SphereKind(f["kind"]),
            f["on"],
            f["spheres"],
            f.get("municipalities"),
            f["approximate"],
            f["source"],
            f["url"],
        )
        for f in json.loads(text)["figures"]
    ]


# What changed between two lists ---------------------------------------------------------------------------


@dataclass
class ListChanges:
    """What a newer list changes: spheres added or no longer listed, members joined or left, dates changed."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    joined: list[tuple[str, str]] = field(default_factory=list)  # (sphere key, municipality code)
    left: list[tuple[str, str]] = field(default_factory=list)
    dates: list[tuple[str, str, str, str]] = field(default_factory=list)  # key, stage, before, after
    other: list[tuple[str, str]] = field(default_factory=list)  # key, what (name, kind, successor, sources)

    def __bool__(self) -> bool:
        return any((self.added, self.removed, self.joined, self.left, self.dates, self.other))

    def as_dict(self) -> dict[str, object]:
        return {
            "added": self.added,
            "removed": self.removed,
            "joined": [{"sphere": k, "code": c} for k, c in self.joined],
            "left": [{"sphere": k, "code": c} for k, c in self.left],
            "dates": [{"sphere": k, "stage": s, "before": b, "after": a} for k, s, b, a in self.dates],
            "other": [{"sphere": k, "what": w} for k, w in self.other],
        }


def changes(old: Iterable[ListedSphere], new: Iterable[ListedSphere]) -> ListChanges:
    before = {s.key: s for s in old}
    after = {s.key: s for s in new}
    out = ListChanges(
        added=sorted(after.keys() - before.keys()),
        removed=sorted(before.keys() - after.keys()),
    )
    for key in sorted(before.keys() & after.keys()):
        a, b = before[key], after[key]
        out.joined += [(key, c) for c in sorted(b.codes - a.codes)]
        out.left += [(key, c) for c in sorted(a.codes - b.codes)]
        for stage in DATES:
            if a.dates.get(stage, "") != b.dates.get(stage, "") and (stage != "abolished" or b.dates.get(stage)):
                out.dates.append((key, stage, a.dates.get(stage, ""), b.dates.get(stage, "")))
        for what in ("name", "kind", "successor", "sources", "central"):
            if getattr(a, what) != getattr(b, what) and (what != "successor" or b.successor):
                out.other.append((key, what))
    return out


# Counts on a date -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """A sphere as it stood for counting: its kind, prefecture, dates and the municipalities in it on a date."""

    key: str
    kind: SphereKind
    prefecture: str
    dates: dict[str, str]
    municipalities: frozenset[str]  # codes, the central cities included


@dataclass
class Counts:
    """The registry's counts on a date, as the ministry counts (延べ) and as nobody publishes (distinct)."""

    on: datetime.date | None
    spheres: Counter[str] = field(default_factory=Counter)  # per kind
    stages: dict[str, Counter[str]] = field(default_factory=dict)  # kind → stage → spheres that reached it
    gross: Counter[str] = field(default_factory=Counter)  # kind → municipalities, counted once per sphere
    distinct: dict[str, int] = field(default_factory=dict)  # kind (and "") → municipalities counted once
    prefectures: dict[str, Counter[str]] = field(default_factory=dict)  # prefecture → kind → spheres
    abolished: int = 0
    several: int = 0  # municipalities in two spheres or more at once (counted twice or more in 延べ)
    # prefecture (the town's own) → its municipalities in the spheres counted: 延べ and distinct
    towns: dict[str, tuple[int, int]] = field(default_factory=dict)


def count(spheres: Iterable[Standing], on: datetime.date | None) -> Counts:
    """Current spheres on ``on`` (not abolished by then; ``None``: today's list) by kind and stage, their
    municipalities 延べ (a town in two spheres twice) and distinct, spheres per prefecture (the sphere's), and
    municipalities 延べ and distinct per prefecture (the town's own)."""
    out = Counts(on)
    towns: dict[str, set[str]] = {"": set()}
    times: Counter[str] = Counter()
    for s in spheres:
        if reached(s.dates.get("abolished"), on) or (on is None and s.dates.get("abolished")):
            out.abolished += 1
            continue
        known = [period_start(v) for stage, v in s.dates.items() if stage in STAGES]
        if on is not None and known and min(known) > on:
            continue  # not begun yet on that date
        kind = s.kind.value
        out.spheres[kind] += 1
        stages = out.stages.setdefault(kind, Counter())
        for stage in STAGES:
            stages[stage] += reached(s.dates.get(stage), on)
        out.gross[kind] += len(s.municipalities)
        times.update(s.municipalities)
        towns.setdefault(kind, set()).update(s.municipalities)
        towns[""].update(s.municipalities)
        out.prefectures.setdefault(s.prefecture, Counter())[kind] += 1
    out.distinct = {k: len(v) for k, v in towns.items()}
    out.several = sum(1 for n in times.values() if n > 1)
    registry = Registry.default()
    gross: Counter[str] = Counter()
    distinct: Counter[str] = Counter()
    for code, n in times.items():
        entry = registry.by_code(code)
        prefecture = entry.prefecture if entry else ""
        gross[prefecture] += n
        distinct[prefecture] += 1
    out.towns = {p: (gross[p], distinct[p]) for p in gross}
    return out


# A table against the membership of its date ----------------------------------------------------------------


def members_differ(
    columns: Sequence[Municipality],
    members: dict[str, str],
    central: Iterable[str],
    on: datetime.date,
    unsure: dict[str, str] | None = None,
) -> Finding | None:
    """A warning when a table's member columns are not the sphere's members on its revision's effective date
    (``members``: code → name, as the registry's membership holds them): the towns the table has and the
    membership lacks (joined), the members the table lacks (left), and as unknown the columns whose name has no
    code and the members (``unsure``) whose dates cannot tell whether they were in on that date and that the
    table lacks. The table is kept: either it or the membership may be the newer fact."""
    centres = set(central)
    unsure = unsure or {}
    table = {m.code: m.name for m in columns if m.code and not m.central and m.code not in centres}
    joined = [table[c] for c in sorted(table.keys() - members.keys() - unsure.keys())]
    left = [members[c] for c in sorted(members.keys() - table.keys())]
    unknown = [m.name for m in columns if not m.code] + [unsure[c] for c in sorted(unsure.keys() - table.keys())]
    if not (joined or left or unknown):
        return None
    return Finding(
        Severity.WARNING,
        "members-differ",
        {
            "date": on.isoformat(),
            "joined": "、".join(joined) or "-",
            "left": "、".join(left) or "-",
            "unknown": "、".join(unknown) or "-",
        },
    )
