"""XLSX to rows with openpyxl: one sheet, merged cells resolved, formulas read through their cached values.

Merged cells hold their value in the top-left cell only. A vertical merge (a field label spanning its projects,
or a project spanning two rows) is filled down so every row carries it, and the copies are marked as merged so
that the layout can tell them from values of their own; a horizontal merge (a header over two columns) stays in
its first column. A formula is read as the value Excel last calculated; a workbook that was never calculated (as written
by a program) has none, and those cells read as blank with one info finding.
"""

from __future__ import annotations

import datetime
import io
import re
import warnings
from collections.abc import Set as AbstractSet

from lxml import etree
from openpyxl import Workbook, load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from renkei.ingest import drawn
from renkei.ingest.errors import TableReadError
from renkei.ingest.grid import Cell, Row
from renkei.ingest.marks import SYMBOL_LETTERS, symbol_mark
from renkei.ingest.zipped import ZIP_ERRORS
from renkei.vision.model import Finding, Location, Severity


def sheet_names(data: bytes) -> list[str]:
    return list(_load(data, data_only=True).sheetnames)


def rows_from_xlsx(data: bytes, sheet: str | None = None) -> tuple[list[Row], list[Finding]]:
    """The rows of every visible sheet in order (a vision kept as one sheet per pillar, with a cover and notes,
    is read whole; the layout tells the table's sheets from the others), or of the one sheet asked for."""
    formulas_book, values_book = _load(data, data_only=False), _load(data, data_only=True)
    if sheet is not None:
        pairs = [(_pick(formulas_book, sheet), _pick(values_book, sheet))]
    else:
        visible = [s for s in formulas_book.worksheets if isinstance(s, Worksheet) and s.sheet_state == "visible"]
        pairs = [(s, values_book[s.title]) for s in visible or formulas_book.worksheets[:1]]
    anchors = drawn.xlsx_anchors(data)  # shapes drawn over the cells (openpyxl drops them)
    rows: list[Row] = []
    # A hidden sheet (a lookup list, an old copy of the table) is not read, and that is said.
    findings = [
        Finding(Severity.INFO, "sheet-hidden", {"sheet": s.title}, Location(sheet=s.title))
        for s in formulas_book.worksheets
        if sheet is None and s.sheet_state != "visible" and all(s is not f for f, _ in pairs)
    ]
    for formulas, values in pairs:
        sheet_rows, sheet_findings = _sheet_rows(formulas, values, anchors.get(values.title, []))
        rows.extend(sheet_rows)
        findings.extend(sheet_findings)
    return rows, findings


def _sheet_rows(
    formulas: Worksheet, values: Worksheet, anchors: list[etree._Element]
) -> tuple[list[Row], list[Finding]]:
    grid = _values(formulas, values)
    uncalculated = [(r, c) for (r, c), v in grid.items() if v is None and _is_formula(formulas.cell(r, c).value)]
    symbols = _symbol_marks(values, grid)
    shapes = _drawn_marks(formulas, grid, anchors)
    copies = _fill_merged(formulas, grid)
    hidden = _hidden_columns(formulas)
    every = frozenset(range(1, formulas.max_column + 1))
    hidden_rows = {r for r, dimension in formulas.row_dimensions.items() if dimension.hidden}
    spans: dict[int, dict[int, int]] = {}  # a range merged across columns, in each of its rows: column → columns
    for merged in formulas.merged_cells.ranges:
        if merged.max_col > merged.min_col:
            for r in range(merged.min_row, merged.max_row + 1):
                spans.setdefault(r, {})[merged.min_col - 1] = merged.max_col - merged.min_col + 1
    rows = [
        _row(values.title, r, formulas.max_column, grid, copies, every if r in hidden_rows else hidden, spans.get(r))
        for r in range(1, formulas.max_row + 1)
    ]
    findings = drawn.findings(shapes, values.title)
    for (font, written, shown), cells in symbols.items():  # each letter of a symbol font, said once
        r, c = cells[0]
        where = Location(line=r, column=c, sheet=values.title, cell=f"{get_column_letter(c)}{r}")
        params = {"written": written, "font": font, "shown": shown, "cells": len(cells)}
        findings.append(Finding(Severity.INFO, "symbol-font-mark", params, where))
    if uncalculated:
        r, c = min(uncalculated)
        where = Location(line=r, column=c, sheet=values.title, cell=f"{get_column_letter(c)}{r}")
        findings.append(Finding(Severity.INFO, "formula-uncalculated", {"cells": len(uncalculated)}, where))
    return rows, findings


def _load(data: bytes, data_only: bool) -> Workbook:
    try:
        with warnings.catch_warnings():  # openpyxl warns that it drops shapes: renkei reads them (ingest.drawn)
            warnings.filterwarnings("ignore", message="DrawingML support is incomplete", category=UserWarning)
            return load_workbook(io.BytesIO(data), data_only=data_only)
    except ZIP_ERRORS as error:
        raise TableReadError("xlsx-unreadable", reason=str(error)) from None


def _pick(workbook: Workbook, sheet: str | None) -> Worksheet:
    names = list(workbook.sheetnames)
    if sheet is None:
        return workbook.worksheets[0]
    if sheet in names:
        return workbook[sheet]
    if sheet.isdigit() and 1 <= int(sheet) <= len(names):
        return workbook.worksheets[int(sheet) - 1]
    raise TableReadError("sheet-missing", sheet=sheet, available="、".join(names))


def _is_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith("=")


def _values(formulas: Worksheet, values: Worksheet) -> dict[tuple[int, int], object]:
    grid: dict[tuple[int, int], object] = {}
    for r, row in enumerate(values.iter_rows(values_only=True), start=1):
        for c, value in enumerate(row, start=1):
            if value is not None or _is_formula(formulas.cell(r, c).value):
                if isinstance(value, int | float) and not isinstance(value, bool):
                    value = _as_percent(value, values.cell(r, c).number_format) or value
                grid[(r, c)] = value
    return grid


_PERCENT_FORMAT = re.compile(r"^[#,0]*0(?:\.(0+))?%$")


def _as_percent(value: float, number_format: str | None) -> str | None:
    """A number in a percent format as Excel shows it (0.6667 under 0% is 67%, under 0.0% 66.7%), so that a rate
    reads as the rate written; None for any other format (the number stays as it is)."""
    if not number_format or "%" not in number_format:
        return None
    shown = _PERCENT_FORMAT.match(number_format.split(";")[0].strip())
    if shown is None:
        return None
    decimals = len(shown[1] or "")
    return f"{value * 100:.{decimals}f}%"


def _symbol_marks(
    values: Worksheet, grid: dict[tuple[int, int], object]
) -> dict[tuple[str, str, str], list[tuple[int, int]]]:
    """Single letters in a symbol font (Wingdings, Wingdings 2, Webdings), replaced in ``grid`` by the mark the
    font draws; the cells of each (font, letter, mark), for the finding that says so."""
    found: dict[tuple[str, str, str], list[tuple[int, int]]] = {}
    for (r, c), value in grid.items():
        if not (isinstance(value, str) and value.strip() in SYMBOL_LETTERS):
            continue
        font = (values.cell(r, c).font.name or "").strip()
        shown = symbol_mark(font, value.strip())
        if shown is not None:
            grid[(r, c)] = shown
            found.setdefault((font, value.strip(), shown), []).append((r, c))
    return found


def _drawn_marks(
    sheet: Worksheet, grid: dict[tuple[int, int], object], anchors: list[etree._Element]
) -> dict[tuple[int, int], str]:
    """The marks drawn as shapes over the sheet's empty cells (``ingest.drawn``), set in ``grid``."""
    if not anchors:
        return {}
    widths: dict[int, float] = {}
    for letter, dimension in sheet.column_dimensions.items():
        if dimension.width:
            first = column_index_from_string(letter)
            last = min(max(first, dimension.max or first), sheet.max_column + 1)  # not the 16,384 a range may name
            for c in range(min(first, dimension.min or first), last + 1):
                widths[c] = dimension.width
    heights = {r: d.ht for r, d in sheet.row_dimensions.items() if d.ht}
    form = sheet.sheet_format
    on_grid = drawn.xlsx_grid(widths, heights, form.defaultColWidth, form.defaultRowHeight)
    written = (where for where, value in grid.items() if _text(value).strip())
    placed = drawn.place(drawn.xlsx_place(anchors, on_grid), on_grid, written)
    # Within the cells the sheet writes: a shape beyond them marks no town's column (nor makes a row that wide).
    marks = {(r, c): m for (r, c), m in placed.items() if r <= sheet.max_row and c <= sheet.max_column}
    grid.update(marks)
    return marks


def _fill_merged(sheet: Worksheet, grid: dict[tuple[int, int], object]) -> set[tuple[int, int]]:
    """Fill each vertical merge down its first column; the cells filled are returned."""
    copies: set[tuple[int, int]] = set()
    for merged in sheet.merged_cells.ranges:
        top = grid.get((merged.min_row, merged.min_col))
        for r in range(merged.min_row + 1, merged.max_row + 1):
            grid[(r, merged.min_col)] = top
            copies.add((r, merged.min_col))
    return copies


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def _hidden_columns(sheet: Worksheet) -> set[int]:
    """The columns an office hid (a town that left, a working column): read as attributes, never as towns."""
    hidden: set[int] = set()
    for letter, dimension in sheet.column_dimensions.items():
        if dimension.hidden:
            first = column_index_from_string(letter)
            hidden.update(range(min(first, dimension.min or first), max(first, dimension.max or first) + 1))
    return hidden


def _row(
    title: str,
    r: int,
    width: int,
    grid: dict[tuple[int, int], object],
    copies: set[tuple[int, int]],
    hidden: AbstractSet[int] = frozenset(),
    spans: dict[int, int] | None = None,
) -> Row:
    cells = tuple(
        Cell(
            _text(grid.get((r, c))),
            Location(line=r, column=c, sheet=title, cell=f"{get_column_letter(c)}{r}"),
            merged=(r, c) in copies,
            hidden=c in hidden,
        )
        for c in range(1, width + 1)
    )
    return Row(cells, Location(line=r, sheet=title, cell=f"A{r}"), spans)
