"""Rows of cells, each cell with the place it came from: the common shape of text, CSV and XLSX input."""

from __future__ import annotations

from dataclasses import dataclass

from renkei.model import Location


@dataclass(frozen=True)
class Cell:
    """One cell's text. ``merged`` marks a cell of a merged range other than its top-left one: it repeats the
    value above it (filled down by the XLSX reader) rather than holding a value of its own."""

    text: str
    location: Location
    merged: bool = False


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    location: Location

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    @property
    def filled(self) -> list[Cell]:
        return [c for c in self.cells if c.text.strip()]

    def is_blank(self) -> bool:
        return not self.filled

    def cell(self, index: int) -> Cell | None:
        return self.cells[index] if 0 <= index < len(self.cells) else None
