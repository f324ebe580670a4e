"""renkei's tidy CSV read back: one header row, one row per project, and the records the header names.

The CSV renkei writes (``render/csv.py``) is tidy, as pandas, Excel's filters and the open-data guidance want
it: row 1 is the header, a municipality's column is headed by its name and code together (「鷹栖町 (014524)」,
text that no spreadsheet turns into a number), and each project is one row. Two named records may follow the
projects, with the number column empty so that they stay rows of the same table:

- 「連携事業数計（宣言値）」: the declared 連携事業数計 per municipality and the grand total, read as the totals row;
- 「抜粋：…」: the file is part of a revision (a page's filters), so that an import refuses it.

What a tidy CSV cannot carry (the sphere's key, name, kind, central city, revision and 適用日) is said by a
``tidy-no-identity`` info finding: the data package and the XLSX carry it. Cells were written with a leading
apostrophe where a spreadsheet would run them as a formula; reading removes it again, and ◎ is a lead role by
the format's definition (the legend renkei writes into its other formats).
"""

from __future__ import annotations

from renkei.ingest.grid import Cell, Row
from renkei.ingest.members import split_code
from renkei.ingest.meta import EXCERPT, Meta, unneutralise
from renkei.model import Finding, Severity

TOTALS_RECORD = "連携事業数計（宣言値）"
EXCERPT_RECORD = "抜粋："
NUMBER = "番号"
LEGEND = "◎：主体となって実施　○：連携して実施"
_TOTALS_LABEL = "連携事業数計"


def is_tidy(rows: list[Row]) -> bool:
    """Whether the rows are renkei's tidy CSV: the header first, opening with 番号, 柱, 分野, and one or more
    of its cells a name with its code in brackets."""
    if not rows or [c.text.strip() for c in rows[0].cells[:3]] != [NUMBER, "柱", "分野"]:
        return False
    return any(split_code(c.text)[1] is not None for c in rows[0].cells)


def read_tidy(rows: list[Row]) -> tuple[list[Row], Meta | None]:
    """The rows as the layout reads them, and what the named records say (None when not renkei's tidy CSV)."""
    if not is_tidy(rows):
        return rows, None
    meta = Meta()
    rows = [_unneutralised(r) for r in rows]
    kept: list[Row] = []
    for row in rows:
        first = row.filled[0].text.strip() if row.filled and row.cells[0].text.strip() == "" else ""
        if first == TOTALS_RECORD:
            kept.append(_relabelled(row, row.filled[0], _TOTALS_LABEL))
        elif first.startswith(EXCERPT_RECORD):
            meta.fields[EXCERPT] = first.removeprefix(EXCERPT_RECORD).strip()
        else:
            kept.append(row)
    if any(c.text.strip() == "◎" for r in kept[1:] for c in r.cells):
        kept.insert(0, Row((Cell(LEGEND, rows[0].location),), rows[0].location))
    meta.notes.append(Finding(Severity.INFO, "tidy-no-identity", {}, rows[0].location))
    return kept, meta


def _relabelled(row: Row, label: Cell, text: str) -> Row:
    cells = tuple(c._replace(text=text) if c is label else c for c in row.cells)
    return Row(cells, row.location)


def _unneutralised(row: Row) -> Row:
    cells = tuple(c._replace(text=unneutralise(c.text)) for c in row.cells)
    return Row(cells, row.location) if cells != row.cells else row
