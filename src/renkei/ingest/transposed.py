"""A table that runs the other way: a row per municipality (上富良野町 | ○ | ○ | …) under a row of project names
(and a row of their numbers, or of their pillars, above it), as a 市町村別 list is drawn. It is turned into the
table the layout reader reads, a row per project, each cell keeping the place it stands in the document, and
that is said (``table-transposed``).

It is told by its structure: two municipalities or more one under another at the start of their rows (or after
their prefecture's cell, a prefecture merged down over its towns), each
such row holding only marks (or a "does not take part" sign) and at its end the count of its projects, under a
row of names across; and no row names two municipalities side by side (a table that runs the usual way). The
row of names, with the rows just above it that hold values across the same columns (numbers, pillars merged
across their projects), make the projects; a row of whole numbers under the municipalities (連携市町村数) is each
project's count, and the column of whole numbers at the end each municipality's total.
"""

from __future__ import annotations

from renkei.ingest import marks
from renkei.ingest.grid import Cell, Row
from renkei.places.municipalities import Registry
from renkei.vision.model import Finding, Severity

_ABOVE = 3  # rows above the names looked at for the projects' numbers and pillars


def transposed(rows: list[Row], registry: Registry) -> tuple[list[Row], Finding] | None:
    """The rows turned so that each project is a row, and the finding that says so; None for any other table."""
    if any(_side_by_side(r, registry) for r in rows[:60]):
        return None  # municipalities side by side: a header of the usual way
    run = _run(rows, registry)
    if run is None:
        return None
    first, last = run
    names = first - 1
    if names < 0:
        return None
    town = _town_column(rows[first], registry)  # the municipalities' column: the first, or after their prefecture
    if town is None or any(_town_column(r, registry) != town for r in rows[first : last + 1]):
        return None
    width = max(len(r.cells) for r in rows[names : last + 1])
    # The projects' columns: named across, not the municipalities' totals at the end (whole numbers down the run).
    across = [i for i in range(town + 1, width) if _text(rows[names], i)]
    while across and _totals_column([_text(r, across[-1]) for r in rows[first : last + 1]]):
        across.pop()
    if len(across) < 2:
        return None
    top = names
    while top - 1 >= 0 and names - (top - 1) <= _ABOVE and sum(1 for i in across if _text(rows[top - 1], i)) >= 2:
        top -= 1
    end = last + 1 if last + 1 < len(rows) and _counts(rows[last + 1], across) else last
    # An upper row with a value over every project (their numbers) is a column of the turned table; one whose
    # values span several projects (pillars merged across them) gives headings, each before its first project.
    spanning = [r for r in rows[top:names] if not all(_text(r, i) for i in across)]
    band = [r for r in rows[top : end + 1] if not any(r is s for s in spanning)]
    turned: list[Row] = []
    for i in [town, *across, *_after(band, across, width)]:
        for heading in spanning:
            cell = heading.cell(i)
            if i in across and cell is not None and cell.text.strip():
                turned.append(Row((cell,), cell.location))
        cells = [c if (c := row.cell(i)) is not None else Cell("", row.location) for row in band]
        at = band.index(rows[names])
        if i == town:  # the corner over the municipalities (市町村) heads them, not the names turned under it
            cells[at] = Cell("", cells[at].location)
        elif i not in across and not cells[at].text.strip():
            # The towns' totals under a header above the names' row (計 in the band of pillars): its label.
            label = next((c for r in rows[top:names] if (c := r.cell(i)) is not None and c.text.strip()), None)
            if label is not None:
                cells[at] = label
        turned.append(Row(tuple(cells), cells[0].location if i != town else band[0].location))
    finding = Finding(
        Severity.INFO, "table-transposed", {"projects": len(across), "municipalities": last - first + 1}, None
    )
    return [*rows[:top], *turned, *rows[end + 1 :]], finding


def _side_by_side(row: Row, registry: Registry) -> bool:
    """Two municipalities in one row: asked no further than the second (every table is asked this)."""
    found = 0
    for cell in row.filled:
        if registry.is_municipality_name(cell.text):
            found += 1
            if found == 2:
                return True
    return False


def _text(row: Row, i: int) -> str:
    cell = row.cell(i)
    return cell.text.strip() if cell is not None else ""


def _run(rows: list[Row], registry: Registry) -> tuple[int, int] | None:
    """The first run of two rows or more that open with a municipality and hold marks after it (and at most
    whole numbers at the end)."""
    begin = None
    for i, row in enumerate(rows):
        if _municipality_row(row, registry):
            begin = i if begin is None else begin
            continue
        if begin is not None and i - begin >= 2:
            return begin, i - 1
        begin = None
    return (begin, len(rows) - 1) if begin is not None and len(rows) - begin >= 2 else None


def _municipality_row(row: Row, registry: Registry) -> bool:
    town = _town_column(row, registry)
    if town is None:
        return False
    rest = [c.text.strip() for c in row.cells[town + 1 :] if c.text.strip()]
    while rest and rest[-1].isdigit():  # the municipality's total at the end
        rest.pop()
    return bool(rest) and all(marks.takes_part(t) or marks.is_blank(t) for t in rest)


def _town_column(row: Row, registry: Registry) -> int | None:
    """Where a row's municipality stands: its first cell, or the cell after its prefecture's (栃木県 | 大田原市, a
    prefecture merged down over its towns); None where the row does not open with a municipality."""
    filled = row.filled
    if not filled:
        return None
    at = row.cells.index(filled[0])
    if at == 0 and filled[0].text.strip() in registry.prefectures and len(filled) > 1:
        at = row.cells.index(filled[1])
        return 1 if at == 1 and registry.is_municipality_name(filled[1].text) else None
    return 0 if at == 0 and registry.is_municipality_name(filled[0].text) else None


def _totals_column(values: list[str]) -> bool:
    """Whole numbers down the municipalities' rows (blank where one has none): their totals, not a project."""
    return any(v.isdigit() for v in values) and all(v.isdigit() or not v for v in values)


def _counts(row: Row, across: list[int]) -> bool:
    """A row of whole numbers under the projects (連携市町村数): their counts."""
    values = [_text(row, i) for i in across]
    return bool(row.filled) and sum(1 for v in values if v.isdigit()) >= len(across) / 2


def _after(band: list[Row], across: list[int], width: int) -> list[int]:
    """The columns right of the projects that hold something (the municipalities' totals)."""
    last = max(across)
    return [i for i in range(last + 1, width) if any(_text(r, i) for r in band)]
