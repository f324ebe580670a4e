"""renkei's tidy CSV read back: one header row, one row per project, and one named record.

The CSV renkei writes (``render/csv.py``) is tidy, as pandas, Excel's filters and the open-data guidance want
it: row 1 is the header, a municipality's column is headed by its name and code together (「鷹栖町 (014524)」,
text that no spreadsheet turns into a number), and each project is one row. One record closes the table, with
its number empty so that it stays a row of the same table for pandas and csv readers: 「連携事業数計（記載値）」,
holding the declared 連携事業数計 per municipality and the grand total (blank where the document declared
none), and in its description cell renkei's metadata fields one per line (``renkei.vision.ownformat``: the sphere's key,
name, kind, central city, revision, 適用日, the filter of an excerpt). It is read as the totals row and the
metadata row. A tidy CSV whose record was deleted loses only what the record held, and says so with a
``tidy-no-identity`` info.

Cells were written with a leading apostrophe where a spreadsheet would run them as a formula; reading removes it
again. ◎ is a lead role by the format's definition (the legend renkei writes into its other formats).
"""

from __future__ import annotations

from renkei.ingest.errors import TableReadError
from renkei.ingest.grid import Cell, Row
from renkei.ingest.members import split_code
from renkei.ingest.meta import Meta, read_meta
from renkei.vision.model import Finding, Severity
from renkei.vision.ownformat import LONG_HEADER, MARKER, NUMBER, TOTALS_RECORD, unneutralise

LEGEND = "◎：主体となって実施　○：連携して実施"
_TOTALS_LABEL = "連携事業数計"


def is_tidy(rows: list[Row]) -> bool:
    """Whether the rows are renkei's tidy CSV: the header first, opening with 番号, 柱, 分野, and one or more
    of its cells a name with its code in brackets."""
    if not rows or [c.text.strip() for c in rows[0].cells[:3]] != [NUMBER, "柱", "分野"]:
        return False
    return any(split_code(c.text)[1] is not None for c in rows[0].cells)


def read_tidy(rows: list[Row]) -> tuple[list[Row], Meta | None]:
    """The rows as the layout reads them, and what the named record says (None when not renkei's tidy CSV)."""
    if rows and [c.text.strip() for c in rows[0].cells] == LONG_HEADER:
        # renkei's long form (one row per link) is not this table; its own reader takes it where there is one.
        raise TableReadError("long-form-not-table", rows[0].location)
    if not is_tidy(rows):
        return rows, None
    rows = [_unneutralised(r) for r in rows]
    meta: Meta | None = None
    kept: list[Row] = []
    for row in rows:
        label = row.filled[0] if row.filled and not row.cells[0].text.strip() else None
        if label is None or label.text.strip() != TOTALS_RECORD:
            kept.append(row)
            continue
        described = [c for c in row.filled if c is not label and MARKER in c.text]
        if described:
            meta = _meta(described[0])
        figures = [c for c in row.filled if c is not label and c not in described]
        if figures:  # the declared totals, read as the document's totals row
            blank = set(described)
            cells = tuple(c._replace(text="") if c in blank else c for c in row.cells)
            kept.append(_relabelled(Row(cells, row.location), label, _TOTALS_LABEL))
    if meta is None:  # the record was deleted (or filtered away): what it held is not in the file
        meta = Meta()
        meta.notes.append(Finding(Severity.INFO, "tidy-no-identity", {}, rows[0].location))
    if any(c.text.strip() == "◎" for r in kept[1:] for c in r.cells):
        kept.insert(0, Row((Cell(LEGEND, rows[0].location),), rows[0].location))
    return kept, meta


def _meta(cell: Cell) -> Meta | None:
    """The metadata fields of the record's description cell, read as ``ingest.meta`` reads its row."""
    lines = [line.strip() for line in cell.text.splitlines() if line.strip()]
    row = Row(tuple(Cell(line, cell.location) for line in lines), cell.location)
    return read_meta([row])[1]


def _relabelled(row: Row, label: Cell, text: str) -> Row:
    cells = tuple(c._replace(text=text) if c is label else c for c in row.cells)
    return Row(cells, row.location)


def _unneutralised(row: Row) -> Row:
    cells = tuple(c._replace(text=unneutralise(c.text)) for c in row.cells)
    return Row(cells, row.location, row.spans) if cells != row.cells else row
