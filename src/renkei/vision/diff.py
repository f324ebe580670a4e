"""Amendments (変更内容): what changed between two versions of a vision, as a structured list.

Projects are matched across the two versions before they are compared, because a number is not an identity:
a project renumbered after another was removed is the same project, and a project renamed keeps its number.
Matching goes from the surest evidence to the weakest: the same number and name; the same name under another
number (renumbered); the same number with a similar description or name (renamed); the same description under
another number and name. What is left is added or removed.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from renkei.vision import record
from renkei.vision.budgetdiff import Figure, figure_changes
from renkei.vision.model import Project, Vision

# Below these, a same-numbered pair is a removal and an addition rather than a rename.
_SIMILAR_DESCRIPTION = 0.6
_SIMILAR_NAME = 0.5


class ChangeKind(StrEnum):
    PROJECT_ADDED = "project-added"
    PROJECT_REMOVED = "project-removed"
    RENUMBERED = "renumbered"
    RENAMED = "renamed"
    DESCRIPTION_CHANGED = "description-changed"
    FIELD_MOVED = "field-moved"
    ATTRIBUTE_CHANGED = "attribute-changed"
    JOINED = "municipality-joined"
    LEFT = "municipality-left"
    ROLE_CHANGED = "role-changed"
    MEMBER_ADDED = "member-added"
    MEMBER_REMOVED = "member-removed"
    BUDGET_CHANGED = "budget-changed"
    KPI_ADDED = "kpi-added"
    KPI_REMOVED = "kpi-removed"
    KPI_CHANGED = "kpi-changed"


@dataclass(frozen=True)
class Change:
    """One amendment. ``number`` is the project's number in the new version (the old one if removed)."""

    kind: ChangeKind
    number: int | None = None
    project: str | None = None
    municipality: str | None = None
    before: str | None = None
    after: str | None = None
    detail: str | None = None
    figure: Figure | None = None


@dataclass(frozen=True)
class Amendments:
    changes: tuple[Change, ...]
    old: Vision
    new: Vision

    def __bool__(self) -> bool:
        return bool(self.changes)

    @functools.cached_property
    def _labels(self) -> tuple[dict[int, str], dict[int, str]]:
        old = {p.number: p.number_label for p in self.old.projects if p.number_label}
        return old, {p.number: p.number_label for p in self.new.projects if p.number_label}

    def written(self, number: int | None, *, old: bool = False) -> int | str | None:
        """A project's number as its document writes it (1-1 where ``number_label`` keeps a path), in the new
        revision, or in the old one (``old``) for a retired project's or a former number."""
        if number is None:
            return None
        return self._labels[0 if old else 1].get(number, number)

    def affecting(self, municipality: str) -> list[Change]:
        """The changes to one municipality's agreement (its 変更協定), and only those: its own joins, leaves and
        changes of role, the projects added or retired that it takes part in, and the rewording of its projects;
        of its projects' budgets and KPIs, its own share's changes where the project gives shares, the whole
        project's otherwise. A renumbering alone does not change what a town agreed to, so it is not listed here."""
        # A retired project's number is its old one; every other change carries the new number.
        before = {p.number for p in self.old.projects_of(municipality)}
        after = {p.number for p in self.new.projects_of(municipality)}
        return [
            c
            for c in self.changes
            if c.municipality == municipality
            or (c.municipality is None and c.kind is ChangeKind.PROJECT_REMOVED and c.number in before)
            or (c.municipality is None and c.kind in _TOWN_KINDS and c.number in after)
            or (c.municipality is None and c.figure is not None and not c.figure.shared and c.number in after)
        ]

    def by_municipality(self) -> dict[str, list[Change]]:
        names = [m.name for m in self.new.municipalities]
        names += [m.name for m in self.old.municipalities if m.name not in names]
        return {name: changes for name in names if (changes := self.affecting(name))}

    def summary(self) -> Summary:
        """The counts an amendment list opens with."""

        def projects(*kinds: ChangeKind) -> int:
            return len({(c.number, c.project) for c in self.changes if c.kind in kinds})

        def count(kind: ChangeKind) -> int:
            return sum(1 for c in self.changes if c.kind is kind)

        return Summary(
            added=count(ChangeKind.PROJECT_ADDED),
            retired=count(ChangeKind.PROJECT_REMOVED),
            joined=count(ChangeKind.JOINED),
            left=count(ChangeKind.LEFT),
            reworded=projects(ChangeKind.RENAMED, ChangeKind.DESCRIPTION_CHANGED),
            renumbered=count(ChangeKind.RENUMBERED),
            figures=projects(*_FIGURE_KINDS),
        )

    def entries(self) -> tuple[list[Change], list[Entry], list[Shift]]:
        """The amendment list as officials write it: changes to the members, then one entry per project with a
        substantive change (its renumbering, if any, folded into it), then the runs of projects that were only
        renumbered, each run shifted by one amount collapsed into one ``Shift``."""
        members = [c for c in self.changes if c.number is None]
        grouped: dict[tuple[int | None, str | None, bool], list[Change]] = {}
        for c in self.changes:
            if c.number is not None:
                grouped.setdefault((c.number, c.project, c.kind is ChangeKind.PROJECT_REMOVED), []).append(c)
        entries: list[Entry] = []
        moved: list[tuple[int, int]] = []
        for (number, project, _), changes in grouped.items():
            renumbered = next((c for c in changes if c.kind is ChangeKind.RENUMBERED), None)
            rest = tuple(c for c in changes if c.kind is not ChangeKind.RENUMBERED)
            old_number = int(renumbered.before) if renumbered and renumbered.before else None
            if rest:
                entries.append(Entry(number, old_number, project, rest))
            elif renumbered is not None and old_number is not None and number is not None:
                moved.append((old_number, number))
        return members, entries, _runs(moved)


@dataclass(frozen=True)
class Summary:
    """How many projects were added and retired, towns joined and left, projects reworded and renumbered."""

    added: int
    retired: int
    joined: int
    left: int
    reworded: int
    renumbered: int
    figures: int = 0  # projects whose budgets or KPIs changed

    def items(self) -> list[tuple[str, int]]:
        """The counts as listed; the budgets' and KPIs' only where some changed (a list without them stays as
        it was)."""
        names = ("added", "retired", "joined", "left", "reworded", "renumbered")
        return [(name, getattr(self, name)) for name in names] + ([("figures", self.figures)] if self.figures else [])


@dataclass(frozen=True)
class Entry:
    """One project's substantive changes; ``old_number`` where it was also renumbered."""

    number: int | None
    old_number: int | None
    project: str | None
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Shift:
    """Projects ``first``–``last`` (old numbers) renumbered by ``by`` (positive: moved down, 繰り下げ)."""

    first: int
    last: int
    by: int


def _runs(moved: list[tuple[int, int]]) -> list[Shift]:
    """Consecutive old numbers moved by the same amount, as runs."""
    runs: list[Shift] = []
    for old, new in sorted(moved):
        last = runs[-1] if runs else None
        if last is not None and old == last.last + 1 and new - old == last.by:
            runs[-1] = Shift(last.first, old, last.by)
        else:
            runs.append(Shift(old, old, new - old))
    return runs


_FIGURE_KINDS = (ChangeKind.BUDGET_CHANGED, ChangeKind.KPI_ADDED, ChangeKind.KPI_REMOVED, ChangeKind.KPI_CHANGED)

# The changes of a project that concern each town taking part in it.
_TOWN_KINDS = frozenset({ChangeKind.PROJECT_ADDED, ChangeKind.RENAMED, ChangeKind.DESCRIPTION_CHANGED})

# Compared figure by figure (``renkei.vision.budgetdiff``) rather than as one attribute.
_FIGURE_FIELDS = frozenset({"budgets", "kpis"})

_SPACE_RUNS = re.compile(r"\s+")


@functools.lru_cache(maxsize=1 << 12)
def key(text: str) -> str:
    """The matching form of a name or description (kept: matching a revision's projects asks it of each
    unmatched pair, and an import matches thousands of revisions)."""
    return _SPACE_RUNS.sub("", unicodedata.normalize("NFKC", text))


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, key(a), key(b), autojunk=False).ratio()


Pair = tuple[Project | None, Project | None]
Rule = Callable[[Project, Project], bool]

_RULES: tuple[Rule, ...] = (
    lambda o, n: o.number == n.number and key(o.name) == key(n.name),
    lambda o, n: key(o.name) == key(n.name),
    lambda o, n: (
        o.number == n.number
        and (_ratio(o.description, n.description) >= _SIMILAR_DESCRIPTION or _ratio(o.name, n.name) >= _SIMILAR_NAME)
    ),
    lambda o, n: bool(o.description) and key(o.description) == key(n.description),
)


# The first two rules are equalities of a key: matched through a dictionary, not by comparing every pair.
_KEYED_RULES: tuple[Callable[[Project], object], ...] = (
    lambda p: (p.number, key(p.name)),
    lambda p: key(p.name),
)


def match_projects(old: Vision, new: Vision) -> list[Pair]:
    """Pairs (old, new) of the same project, then (old, None) removed and (None, new) added; in new order.

    The rules are tried in turn, strictest first; under each, every project of the new revision still unmatched
    takes the first unmatched project of the old one that the rule pairs it with."""
    left, right = list(old.projects), list(new.projects)
    partner: dict[int, Project] = {}
    for rule_key in _KEYED_RULES:
        index: dict[object, list[Project]] = {}
        for before in left:
            index.setdefault(rule_key(before), []).append(before)
        taken: set[int] = set()
        for n in right:
            candidates = index.get(rule_key(n))
            if candidates:
                first = candidates.pop(0)
                partner[id(n)] = first
                taken.add(id(first))
        left = [before for before in left if id(before) not in taken]
        right = [n for n in right if id(n) not in partner]
    for rule in _RULES[len(_KEYED_RULES) :]:
        for n in list(right):
            o = next((o for o in left if rule(o, n)), None)
            if o is not None:
                partner[id(n)] = o
                left.remove(o)
                right.remove(n)
    pairs: list[Pair] = [(partner.get(id(n)), n) for n in new.projects]
    return pairs + [(o, None) for o in left]


def diff(old: Vision, new: Vision, pairs: list[Pair] | None = None) -> Amendments:
    """The amendments from ``old`` to ``new``; ``pairs`` where the projects' identities are known already."""
    changes = list(_members(old, new))
    for before, after in pairs if pairs is not None else match_projects(old, new):
        changes.extend(_project_changes(before, after, new))
    return Amendments(tuple(changes), old, new)


def _members(old: Vision, new: Vision) -> Iterator[Change]:
    before = {m.name for m in old.municipalities}
    after = {m.name for m in new.municipalities}
    for m in new.municipalities:
        if m.name not in before:
            yield Change(ChangeKind.MEMBER_ADDED, municipality=m.name)
    for m in old.municipalities:
        if m.name not in after:
            yield Change(ChangeKind.MEMBER_REMOVED, municipality=m.name)


def _heading_text(p: Project) -> str:
    return " / ".join(str(h) for h in (p.pillar, p.field) if h is not None)


def _project_changes(old: Project | None, new: Project | None, vision: Vision) -> Iterator[Change]:
    if old is None and new is not None:
        yield Change(ChangeKind.PROJECT_ADDED, new.number, new.name, after="、".join(new.participants))
        return
    if new is None and old is not None:
        yield Change(ChangeKind.PROJECT_REMOVED, old.number, old.name, before="、".join(old.participants))
        return
    assert old is not None and new is not None
    at = (new.number, new.name)
    if old.number != new.number:
        yield Change(ChangeKind.RENUMBERED, *at, before=str(old.number), after=str(new.number))
    if old.name != new.name:
        yield Change(ChangeKind.RENAMED, *at, before=old.name, after=new.name)
    if old.description != new.description:
        yield Change(ChangeKind.DESCRIPTION_CHANGED, *at, before=old.description, after=new.description)
    if (old.pillar, old.field) != (new.pillar, new.field):
        yield Change(ChangeKind.FIELD_MOVED, *at, before=_heading_text(old), after=_heading_text(new))
    for name in sorted(set(old.attributes) | set(new.attributes)):
        if old.attributes.get(name) != new.attributes.get(name):
            before, after = old.attributes.get(name), new.attributes.get(name)
            yield Change(ChangeKind.ATTRIBUTE_CHANGED, *at, before=before, after=after, detail=name)
    for f in record.PAYLOAD:  # the fields declared since the first schema, each an entry by its name
        if f.name in _FIGURE_FIELDS:
            continue
        if f.value(old) != f.value(new):
            before, after = f.kind.text(f.value(old)), f.kind.text(f.value(new))
            yield Change(ChangeKind.ATTRIBUTE_CHANGED, *at, before=before, after=after, detail=f.name)
    for fc in figure_changes(old, new):  # budgets and KPIs, figure by figure
        yield Change(ChangeKind(fc.kind), *at, fc.municipality, fc.before, fc.after, fc.detail, fc.figure)
    yield from _participation(old, new, vision)


def _participation(old: Project, new: Project, vision: Vision) -> Iterator[Change]:
    at = (new.number, new.name)
    order = [m.name for m in vision.municipalities]
    order += [name for name in old.participants if name not in order]
    for name in order:
        before, after = old.participants.get(name), new.participants.get(name)
        if before is None and after is not None:
            yield Change(ChangeKind.JOINED, *at, municipality=name, after=after.value)
        elif before is not None and after is None:
            yield Change(ChangeKind.LEFT, *at, municipality=name, before=before.value)
        elif before is not None and after is not None and before != after:
            yield Change(ChangeKind.ROLE_CHANGED, *at, municipality=name, before=before.value, after=after.value)
