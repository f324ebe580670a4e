"""The one writer of cells for every CSV and XLSX that renkei gives out: no cell is ever a formula.

A spreadsheet runs a CSV cell that starts with = + - @ (or a tab or carriage return before one) as a formula
("CSV injection", OWASP): every text cell, headers and titles included, is written through ``neutral``, which
puts an apostrophe in front (``renkei.vision.ownformat.neutralise``; renkei's reader takes it away again). In an
XLSX only a text cell that openpyxl takes for a formula is live (one starting with =): ``text_cell`` keeps it a
string cell, and ``sheet_name`` makes a sheet's name one Excel accepts. The vision's table, documents
(amendment lists, annexes, plugins' tables), the comparison and search tables and the audit trail all write
through this module.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

from renkei.vision.ownformat import neutralise

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell


def neutral(cell: object) -> object:
    """A cell as a CSV may hold it: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    return neutralise(cell) if isinstance(cell, str) else cell


class NeutralWriter:
    """A CSV writer whose cells never start a formula."""

    def __init__(self, out: io.StringIO, delimiter: str = ",", lineterminator: str = "\r\n") -> None:
        self._writer = csv.writer(out, delimiter=delimiter, lineterminator=lineterminator)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([neutral(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    NeutralWriter(out).writerows(rows)
    return out.getvalue()


def text_cell(cell: Cell) -> Cell:
    """An XLSX cell whose text stays text: openpyxl would write text that starts with = as a formula."""
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"
    return cell


def sheet_name(title: str, number: int, taken: Iterable[str] = ()) -> str:
    """A worksheet's name from a title: without the characters Excel forbids, at most 31 of them, unique."""
    name = "".join(c for c in title if c not in "[]:*?/\\" and c.isprintable())[:31].strip("'") or f"Sheet{number}"
    return name if name not in set(taken) else f"{name[:28]}_{number}"
