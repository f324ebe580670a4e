"""Amendments (変更内容): what changed between two versions of a vision, as a structured list.

Projects are matched across the two versions before they are compared, because a number is not an identity:
a project renumbered after another was removed is the same project, and a project renamed keeps its number.
Matching goes from the surest evidence to the weakest: the same number and name; the same name under another
number (renumbered); the same number with a similar description or name (renamed); the same description under
another number and name. What is left is added or removed.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from renkei.model import Project, Vision

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


@dataclass(frozen=True)
class Amendments:
    changes: tuple[Change, ...]
    old: Vision
    new: Vision

    def __bool__(self) -> bool:
        return bool(self.changes)

    def affecting(self, municipality: str) -> list[Change]:
        """The changes to one municipality's agreement: its own joins and leaves, and every change to a
        project it takes part in, before or after (its 変更協定)."""
        involved = {p.number for p in self.old.projects_of(municipality)}
        involved |= {p.number for p in self.new.projects_of(municipality)}
        return [
            c
            for c in self.changes
            if c.municipality == municipality or (c.municipality is None and c.number in involved)
        ]

    def by_municipality(self) -> dict[str, list[Change]]:
        names = [m.name for m in self.new.municipalities]
        names += [m.name for m in self.old.municipalities if m.name not in names]
        return {name: changes for name in names if (changes := self.affecting(name))}


_SPACE_RUNS = re.compile(r"\s+")


def key(text: str) -> str:
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
