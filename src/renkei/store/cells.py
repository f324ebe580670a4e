"""Which cells of a draft project a save made against an older version would overwrite.

Each draft project keeps, beside its version, the version that last changed each of its cells (``cells``: a field
such as ``name``, ``mark:鷹栖町``, ``note:鷹栖町``, ``retired``), and under ``*`` the version the row was made
at (opening the draft, adding the project, a rebase). A save names the version it was read at: where none of the
cells it changes has changed since, it is merged into the project as it now stands (a town editor ticking its own
column and the secretariat ticking another town's both save); where one has, that cell conflicts, and the
conflict carries both values. A version older than the row itself (a rebase came in between) or one the project
never had conflicts as a whole. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

FLOOR = "*"


@dataclass(frozen=True)
class Clash:
    """One cell two people changed: its key, the value saved meanwhile (theirs) and the one sent (yours)."""

    cell: str
    theirs: Any
    yours: Any

    def as_dict(self) -> dict[str, Any]:
        return {"cell": self.cell, "theirs": self.theirs, "yours": self.yours}


def changed_since(cells: Mapping[str, int], version: int, expected: int, keys: Iterable[str]) -> list[str] | None:
    """The cells among ``keys`` changed after version ``expected``: none when the save merges, None when the
    version cannot be matched at all. A row without cell records (made before they were kept) merges nothing."""
    if expected == version:
        return []
    floor = cells.get(FLOOR, version)
    if expected > version or expected < floor:
        return None
    return [k for k in keys if cells.get(k, floor) > expected]


def clashes(changed: Iterable[str], theirs: Mapping[str, Any], yours: Mapping[str, Any]) -> list[Clash]:
    """The changed cells where the two values differ (two people making the same change do not conflict)."""
    return [Clash(k, theirs.get(k), yours.get(k)) for k in changed if theirs.get(k) != yours.get(k)]


def touched(cells: Mapping[str, int], keys: Iterable[str], version: int) -> dict[str, int]:
    """The cell records after a save that made ``version`` and changed ``keys``."""
    return {**cells, **dict.fromkeys(keys, version)}


def made_at(version: int) -> dict[str, int]:
    """The cell records of a row made at ``version``."""
    return {FLOOR: version}
