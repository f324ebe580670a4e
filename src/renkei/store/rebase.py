"""Rebasing a draft: its changes applied onto the newest revision, cell by cell, when an import (or another
publish) made a revision after the one the draft started from.

A three-way merge per project (matched by serial, its identity) and per cell: number, name, description,
pillar, field, each attribute, each municipality's mark. Where only the draft changed a cell, the draft's value
stays; where only the newest revision changed it, that value comes in; where both changed it differently, the
draft's value stays and the cell is listed as a conflict (base, newest, draft) for the secretariat to check
before publishing. A project the newest revision removed stays only if the draft changed it (a conflict); a
project the draft retired stays retired (a conflict if the newest revision changed it). Pure: no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from renkei.vision import record
from renkei.vision.model import Project, Role, Vision


@dataclass(frozen=True)
class CellConflict:
    """One cell both sides changed differently; the draft's value was kept."""

    serial: int
    number: int
    name: str
    cell: str  # "name", "description", "number", "pillar", "field", "attribute:<key>", "mark:<municipality>",
    # or "project" (removed on one side, changed on the other)
    base: Any
    latest: Any
    draft: Any

    def as_dict(self) -> dict[str, Any]:
        return {
            "serial": self.serial,
            "number": self.number,
            "name": self.name,
            "cell": self.cell,
            "base": self.base,
            "latest": self.latest,
            "draft": self.draft,
        }


@dataclass
class Merged:
    """A project of the rebased draft."""

    serial: int
    project: Project
    retired: bool
    notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DraftSide:
    """A draft's project as the merge sees it."""

    serial: int
    project: Project
    retired: bool
    notes: dict[str, str]


def cells(p: Project) -> dict[str, Any]:
    """A project as named cells, the units a conflict is listed in: each field a draft keeps as
    ``renkei.vision.record`` declares it (each attribute a cell of its own), and each municipality's mark."""
    out = record.cells(p)
    out.update({f"mark:{k}": v.value for k, v in p.participants.items()})
    return out


def _project(values: dict[str, Any], members: list[str]) -> Project:
    marks = {m: Role(values[f"mark:{m}"]) for m in members if values.get(f"mark:{m}") is not None}
    return Project(**record.from_cells(values), participants=marks)


def merge(
    base: dict[int, Project], latest: Vision, latest_serials: list[int], draft: list[DraftSide], next_serial: int
) -> tuple[list[Merged], list[CellConflict]]:
    """The rebased draft's projects in order, and the conflicts. ``next_serial`` is the first free identity, for a
    project the draft added whose serial the newest revision gave to another project meanwhile."""
    members = [m.name for m in latest.municipalities]
    newest = dict(zip(latest_serials, latest.projects, strict=True))
    conflicts: list[CellConflict] = []
    merged: dict[int, Merged] = {}
    ordered: list[int] = list(latest_serials)
    order = [d.serial for d in draft]
    for d in draft:
        serial, b, n = d.serial, base.get(d.serial), newest.get(d.serial)
        if b is None and n is not None:  # both added a project under the same new serial: the draft's moves
            serial, next_serial = next_serial, next_serial + 1
            n = None
        if b is None:  # added by the draft: kept, after the project it followed in the draft
            merged[serial] = Merged(serial, d.project, d.retired, _notes(d.notes, members))
            _insert_after(ordered, serial, _before(order, d.serial))
            continue
        changed = cells(d.project) != cells(b)
        if n is None:  # removed by the newest revision
            if changed and not d.retired:
                conflicts.append(_conflict(d, "project", "present", None, "changed"))
                merged[serial] = Merged(serial, _restrict(d.project, members), False, _notes(d.notes, members))
                _insert_after(ordered, serial, _before(order, d.serial))
            continue
        if d.retired and cells(n) != cells(b):
            conflicts.append(_conflict(d, "project", "present", "changed", "retired"))
        project = _merge_cells(d, b, n, members, conflicts)
        merged[serial] = Merged(serial, project, d.retired, _notes(d.notes, members))
    for serial in latest_serials:  # new in the newest revision, or untouched
        if serial not in merged:
            merged[serial] = Merged(serial, newest[serial], False)
    return [merged[s] for s in ordered if s in merged], conflicts


def _merge_cells(d: DraftSide, b: Project, n: Project, members: list[str], conflicts: list[CellConflict]) -> Project:
    base, newest, mine = cells(b), cells(n), cells(d.project)
    result: dict[str, Any] = {}
    for key in dict.fromkeys([*newest, *base, *mine]):
        bv, nv, dv = base.get(key), newest.get(key), mine.get(key)
        if dv == bv:
            value = nv
        elif nv in (bv, dv):
            value = dv
        else:
            conflicts.append(_conflict(d, key, bv, nv, dv))
            value = dv
        if key.startswith("mark:") and key[5:] not in members:
            if dv != bv:  # the draft changed a mark of a municipality the newest revision no longer has
                conflicts.append(_conflict(d, key, bv, None, dv))
            continue
        result[key] = value
    return _project(result, members)


def _conflict(d: DraftSide, cell: str, base: Any, latest: Any, draft: Any) -> CellConflict:
    return CellConflict(d.serial, d.project.number, d.project.name, cell, base, latest, draft)


def _restrict(p: Project, members: list[str]) -> Project:
    return _project({k: v for k, v in cells(p).items() if not k.startswith("mark:") or k[5:] in members}, members)


def _notes(notes: dict[str, str], members: list[str]) -> dict[str, str]:
    return {k: v for k, v in notes.items() if k in members}


def _before(order: list[int], serial: int) -> int | None:
    """The serial of the project that precedes ``serial`` in the draft's order, if any."""
    index = order.index(serial)
    return order[index - 1] if index > 0 else None


def _insert_after(ordered: list[int], serial: int, after: int | None) -> None:
    if after is not None and after in ordered:
        ordered.insert(ordered.index(after) + 1, serial)
    elif after is None:
        ordered.insert(0, serial)
    else:
        ordered.append(serial)
