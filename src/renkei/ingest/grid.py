"""Rows of cells, each cell with the place it came from: the common shape of text, CSV and XLSX input.

A national import reads some two million cells, so these are light: a cell is a named tuple, a row computes
its filled cells once, and the locations of delimited text are shared between rows and files (they are
immutable, and a table's lines and columns repeat from file to file).
"""

from __future__ import annotations

from itertools import compress
from operator import itemgetter
from typing import NamedTuple

from renkei.vision.model import Location


class Cell(NamedTuple):
    """One cell's text. ``merged`` marks a cell of a merged range other than its top-left one: it repeats the
    value above it (filled down by the XLSX reader) rather than holding a value of its own."""

    text: str
    location: Location
    merged: bool = False
    hidden: bool = False  # in a column the workbook hides: never a municipality's column


class Row:
    """The cells of one line or sheet row, and the location of the row itself."""

    __slots__ = ("cells", "filled", "location", "spans")

    def __init__(self, cells: tuple[Cell, ...], location: Location, spans: dict[int, int] | None = None) -> None:
        self.cells = cells
        self.location = location
        # The cells merged across the columns after them (a colspan, gridSpan or a workbook's merged range): the
        # first column's index and the number of columns covered. The covered cells are empty.
        self.spans = spans or _NO_SPANS
        # The cells whose text is more than spaces, told without a Python loop: a wide table's rows are mostly
        # empty cells (budget columns, towns' shares), and a national import makes some two million.
        self.filled: tuple[Cell, ...] = tuple(compress(cells, map(str.strip, map(_text, cells))))

    def __repr__(self) -> str:
        return f"Row({self.location}, {[c.text for c in self.cells]!r})"

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    def is_blank(self) -> bool:
        return not self.filled

    def cell(self, index: int) -> Cell | None:
        return self.cells[index] if 0 <= index < len(self.cells) else None


_NO_SPANS: dict[int, int] = {}
_LOCATIONS: dict[tuple[int, int], Location] = {}
_LOCATIONS_KEPT = 1 << 16  # lines × columns: a table of 2,000 lines and 30 columns
_LINES: dict[int, tuple[list[Location], list[Cell]]] = {}
_LINES_KEPT = 1 << 16  # the cells whose locations and empty cells are kept, over all lines: a few MB at most
_kept = 0


def text_location(line: int, column: int = 0) -> Location:
    """The location of a line (column 0) or a cell of delimited text, shared: made once per line and column."""
    where = _LOCATIONS.get((line, column))
    if where is None:
        where = Location(line=line, column=column or None)
        if len(_LOCATIONS) < _LOCATIONS_KEPT:
            _LOCATIONS[line, column] = where
    return where


def text_cells(line: int, texts: list[str]) -> tuple[Cell, ...]:
    """The cells of a line of delimited text, located at columns 1, 2, … An empty cell is shared like its
    location (a cell is immutable): a wide table's rows are mostly empty cells (budget columns, towns' shares).

    A line's locations and empty cells are kept as long as the widest record of that line seen yet, so files of
    different widths (a table has five columns more for each town) share them too."""
    global _kept
    shared = _LINES.get(line)
    if shared is None or len(shared[0]) < len(texts):
        grown = len(texts) - (len(shared[0]) if shared else 0)
        where = [text_location(line, column) for column in range(1, len(texts) + 1)]
        shared = (where, [_new(Cell, ("", at, False, False)) for at in where])
        if _kept + grown <= _LINES_KEPT:
            _LINES[line] = shared
            _kept += grown
    where, blanks = shared
    # The line's shared empty cells, copied whole, with a cell of its own made for each filled one only.
    cells = blanks[: len(texts)]
    for i in compress(range(len(texts)), texts):
        cells[i] = _new(Cell, (texts[i], where[i], False, False))
    return tuple(cells)


_text = itemgetter(0)  # a cell's text (``Cell.text``), for C-level maps over a row's cells
_new = tuple.__new__  # a Cell made without its keyword defaults: a third faster, for two million cells
