"""What the reader understood of a table's layout, said back so that a person can confirm it at a glance: which
column it took for the number, the name, the description, each member, the counts and the rest (roles,
indicators), how it decided each (by the header's words, by the cells' content, or by the person's choice), and
which notes changed the arithmetic. ``renkei check`` prints it, ``--json`` and ``/api/check`` give it as
``understood``, and the check page shows it above the findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# How a column's meaning was decided.
BY_HEADER, BY_CONTENT, BY_CHOICE = "header", "content", "choice"


@dataclass(frozen=True)
class ColumnReading:
    """One column of a header: its position from 1, its header as written, what it was taken for (``number``,
    ``name``, ``description``, ``municipality``, ``count``, ``participants``, ``pillar``, ``field``,
    ``attribute``, ``group``), how that was decided, and the municipality it holds."""

    position: int
    header: str
    taken_as: str
    how: str = BY_HEADER
    municipality: str | None = None
    code: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"position": self.position, "header": self.header, "as": self.taken_as, "how": self.how}
        if self.taken_as == "municipality":
            data["municipality"], data["code"] = self.municipality, self.code
        return data


@dataclass(frozen=True)
class BlockReading:
    """A header row and the columns it gives the rows under it (where: its line, or sheet and cell)."""

    line: int | None
    sheet: str | None
    cell: str | None
    page: int | None
    columns: tuple[ColumnReading, ...]

    def to_dict(self) -> dict[str, Any]:
        where = {"line": self.line, "sheet": self.sheet, "cell": self.cell, "page": self.page}
        return {**{k: v for k, v in where.items() if v is not None}, "columns": [c.to_dict() for c in self.columns]}


@dataclass
class Understood:
    """Every distinct header layout of a table, in order, and the notes that changed the arithmetic."""

    blocks: list[BlockReading] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)

    def add(self, block: BlockReading) -> None:
        """A header repeated on every page or sheet is said once."""
        layout = [(c.position, c.header, c.taken_as, c.municipality) for c in block.columns]
        if all([(c.position, c.header, c.taken_as, c.municipality) for c in b.columns] != layout for b in self.blocks):
            self.blocks.append(block)

    def to_dict(self) -> dict[str, Any]:
        return {"blocks": [b.to_dict() for b in self.blocks], "notes": list(self.notes)}
