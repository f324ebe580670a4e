"""Rows of cells, each cell with the place it came from: the common shape of text, CSV and XLSX input."""

from __future__ import annotations

from dataclasses import dataclass

from renkei.model import Location


@dataclass(frozen=True)
class Cell:
    text: str
    location: Location


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
