"""ODS (an OpenDocument spreadsheet, LibreOffice Calc's own format) to rows, read from ``content.xml``.

As for XLSX: every sheet that is shown is read in order (``--sheet`` picks one by name or number), a sheet the
style hides is reported (``sheet-hidden``), merged cells (``number-columns-spanned`` / ``number-rows-spanned``,
the covered cells under them) keep their text in the first column and are filled down it, marked as merged,
and cells of hidden (collapsed) columns are marked hidden, of hidden rows too. Repeated rows and columns
(``number-rows-repeated``, ``number-columns-repeated``: LibreOffice writes a sheet's empty tail as one cell
repeated a thousand times) are expanded only where they hold text, within the row and column limits.

A cell whose one letter is set in a symbol font (Wingdings' ü, which Calc shows as ✓) is read as the mark the font
draws (``marks.SYMBOL_FONTS``, as the XLSX and DOCX readers read it) and said once per letter
(``symbol-font-mark``): the font is the cell's style's, its span's, or its column's default cell style's, through
the styles' parents and the font faces they name.
"""

from __future__ import annotations

from lxml import etree

from renkei.ingest import drawn
from renkei.ingest.errors import TableReadError
from renkei.ingest.grid import Cell, Row
from renkei.ingest.limits import Limits, refuse
from renkei.ingest.marks import SYMBOL_LETTERS, symbol_mark
from renkei.ingest.reading import Options, Reading, layout_reading
from renkei.ingest.xmlparts import column_letters, pick, read_part
from renkei.vision.model import Finding, Location, Severity

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _t(name: str) -> str:
    return f"{{{_TABLE}}}{name}"


_CELL, _COVERED, _ROW, _COLUMN = _t("table-cell"), _t("covered-table-cell"), _t("table-row"), _t("table-column")
_P, _S, _TAB, _BREAK = f"{{{_TEXT}}}p", f"{{{_TEXT}}}s", f"{{{_TEXT}}}tab", f"{{{_TEXT}}}line-break"
_SPAN, _TEXT_STYLE = f"{{{_TEXT}}}span", f"{{{_TEXT}}}style-name"
_STYLE_NAME, _PARENT = f"{{{_STYLE}}}name", f"{{{_STYLE}}}parent-style-name"
_FONT_NAME, _FONT_FACE = f"{{{_STYLE}}}font-name", f"{{{_STYLE}}}font-face"
_FAMILY = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}font-family"
# (font, letter, mark shown): the cells (sheet, line, column) that wrote it, for the finding said once each
Symbols = dict[tuple[str, str, str], list[tuple[str, int, int]]]


def read_ods(data: bytes, options: Options) -> Reading:
    root = read_part(data, "content.xml", options.limits, "ods")
    sheets = root.findall(f".//{{{_OFFICE}}}spreadsheet/{_t('table')}")
    if not sheets:
        raise TableReadError("ods-unreadable", reason="content.xml: no table:table")
    names = [s.get(_t("name")) or f"Sheet{i}" for i, s in enumerate(sheets, start=1)]
    hidden_styles = _hidden_styles(root)
    fonts = _Fonts(root, _styles_part(data, options.limits))
    findings: list[Finding] = []
    if options.sheet is not None:
        chosen = pick(names, options.sheet)
    else:
        shown = [i for i, s in enumerate(sheets) if s.get(_t("style-name")) not in hidden_styles]
        chosen = shown or [0]
        findings += [
            Finding(Severity.INFO, "sheet-hidden", {"sheet": names[i]}, Location(sheet=names[i]))
            for i in range(len(sheets))
            if i not in chosen
        ]
    rows: list[Row] = []
    symbols: Symbols = {}
    sizes = _sizes(root)
    for index in chosen:
        sheet_rows, drawn_marks = _sheet_rows(names[index], sheets[index], options.limits, fonts, symbols, sizes)
        rows += sheet_rows
        findings += drawn.findings(drawn_marks, names[index])
    for (font, written, mark), cells in symbols.items():  # each letter of a symbol font, said once
        at, line, column = cells[0]
        where = Location(line=line, column=column, sheet=at, cell=f"{column_letters(column)}{line}")
        params = {"written": written, "font": font, "shown": mark, "cells": len(cells)}
        findings.append(Finding(Severity.INFO, "symbol-font-mark", params, where))
    sheet = names[chosen[0]] if len(chosen) == 1 or rows else None
    return layout_reading(rows, options.source("ods", sheet=sheet), findings, options)


def _sizes(root: etree._Element) -> dict[str, float]:
    """The columns' widths and the rows' heights their styles give (EMU), by style name: where a shape drawn in a
    cell stands on the sheet (``ingest.drawn``)."""
    sizes: dict[str, float] = {}
    for style in root.iter(f"{{{_STYLE}}}style"):
        for kind, attribute in (("table-column-properties", "column-width"), ("table-row-properties", "row-height")):
            props = style.find(f"{{{_STYLE}}}{kind}")
            if props is not None and props.get(f"{{{_STYLE}}}{attribute}"):
                sizes[style.get(_STYLE_NAME) or ""] = drawn.length(props.get(f"{{{_STYLE}}}{attribute}"))
    return sizes


def _hidden_styles(root: etree._Element) -> set[str]:
    """The table styles that hide a sheet (``table:display="false"``)."""
    hidden = set()
    for style in root.iter(f"{{{_STYLE}}}style"):
        props = style.find(f"{{{_STYLE}}}table-properties")
        if props is not None and props.get(_t("display")) == "false":
            hidden.add(style.get(f"{{{_STYLE}}}name") or "")
    return hidden


def _styles_part(data: bytes, limits: Limits) -> etree._Element | None:
    """``styles.xml``, where the named cell styles an automatic style inherits from are; None where it is missing
    or unreadable (the table is read all the same, by its automatic styles only)."""
    try:
        return read_part(data, "styles.xml", limits, "ods")
    except TableReadError:
        return None


class _Fonts:
    """The font of a style by its name, through its parents (``style:parent-style-name``) and the font face its
    ``style:font-name`` names (``svg:font-family``, unquoted), over content.xml's and styles.xml's styles."""

    def __init__(self, *roots: etree._Element | None) -> None:
        self.faces: dict[str, str] = {}
        self.styles: dict[str, tuple[str | None, str | None]] = {}  # name → (its own font name, its parent)
        for root in roots:
            if root is None:
                continue
            for face in root.iter(_FONT_FACE):
                family = (face.get(_FAMILY) or "").strip().strip("'\"")
                self.faces[face.get(_STYLE_NAME) or ""] = family or face.get(_STYLE_NAME) or ""
            for style in root.iter(f"{{{_STYLE}}}style", f"{{{_STYLE}}}default-style"):
                props = style.find(f"{{{_STYLE}}}text-properties")
                own = props.get(_FONT_NAME) if props is not None else None
                self.styles.setdefault(style.get(_STYLE_NAME) or "", (own, style.get(_PARENT)))

    def of(self, style: str | None) -> str | None:
        seen: set[str] = set()
        while style and style not in seen:
            seen.add(style)
            own, parent = self.styles.get(style, (None, None))
            if own:
                return self.faces.get(own, own)
            style = parent
        return None


def _repeat(element: etree._Element, attribute: str) -> int:
    value = element.get(_t(attribute)) or "1"
    return int(value) if value.isdigit() else 1


def _hidden_columns(sheet: etree._Element, limits: Limits) -> set[int]:
    hidden: set[int] = set()
    column = 1
    for element in sheet.iter(_COLUMN):
        count = _repeat(element, "number-columns-repeated")
        if element.get(_t("visibility")) in ("collapse", "filter"):
            hidden.update(range(column, min(column + count, limits.max_columns + 1)))
        column += count
    return hidden


def _default_styles(sheet: etree._Element, limits: Limits) -> dict[int, str]:
    """Each column's default cell style (``table:default-cell-style-name``), the style of its cells that name none."""
    styles: dict[int, str] = {}
    column = 1
    for element in sheet.iter(_COLUMN):
        count = _repeat(element, "number-columns-repeated")
        style = element.get(_t("default-cell-style-name"))
        if style and style != "Default":
            styles.update(dict.fromkeys(range(column, min(column + count, limits.max_columns + 1)), style))
        column += count
    return styles


def _symbol_marks(
    row: etree._Element, cells: Cells, fonts: _Fonts, defaults: dict[int, str], sheet: str, line: int, found: Symbols
) -> None:
    """The row's single letters set in a symbol font, replaced in ``cells`` by the mark the font draws."""
    if not any(text.strip() in SYMBOL_LETTERS for text, _ in cells.values()):
        return
    c = 1
    for cell in row:
        repeat = _repeat(cell, "number-columns-repeated")
        text = cells.get(c, _EMPTY)[0].strip()
        if cell.tag == _CELL and text in SYMBOL_LETTERS:
            span = next(cell.iter(_SPAN), None)  # a letter styled on its own, inside the cell's paragraph
            font = fonts.of(span.get(_TEXT_STYLE)) if span is not None else None
            font = font or fonts.of(cell.get(_t("style-name")) or defaults.get(c))
            shown = symbol_mark(font, text) if font else None
            if font and shown is not None:
                for k in range(repeat):
                    cells[c + k] = (shown, cells[c + k][1])
                    found.setdefault((font, text, shown), []).append((sheet, line, c + k))
        c += repeat


def _text(cell: etree._Element) -> str:
    return "\n".join(_inline(p) for p in cell.iterchildren(_P))


def _inline(element: etree._Element) -> str:
    """A paragraph's text in order: spans' text, ``text:s`` as its count of spaces, tabs and line breaks."""
    parts = [element.text or ""]
    for node in element:
        if node.tag == _S:
            parts.append(" " * _count(node.get(f"{{{_TEXT}}}c")))
        elif node.tag == _TAB:
            parts.append("\t")
        elif node.tag == _BREAK:
            parts.append("\n")
        elif isinstance(node.tag, str):
            parts.append(_inline(node))
        parts.append(node.tail or "")
    return "".join(parts)


def _count(value: str | None) -> int:
    return min(int(value), 1000) if value and value.isdigit() else 1


def _sheet_rows(
    name: str, sheet: etree._Element, limits: Limits, fonts: _Fonts, symbols: Symbols, sizes: dict[str, float]
) -> tuple[list[Row], dict[tuple[int, int], str]]:
    """The sheet's rows, and the marks drawn over its cells as shapes (by line and column), set in them."""
    hidden = _hidden_columns(sheet, limits)
    defaults = _default_styles(sheet, limits)
    grid: dict[int, dict[int, tuple[str, bool]]] = {}
    down: dict[int, tuple[int, str]] = {}  # column → (last row a vertical merge covers, its text)
    hidden_rows: set[int] = set()
    wide: dict[int, dict[int, int]] = {}  # by line: the cells merged across columns (0-based column → columns)
    width = 0
    r = 1
    heights: dict[int, float] = {}
    # Shapes drawn in a cell (line, column, mark, box from the cell's corner), or on the sheet (line 0).
    shapes: list[tuple[int, int, str, drawn.Box]] = []
    for outside in sheet.iter(_t("shapes")):
        shapes += [(0, 0, mark, box) for mark, box in drawn.ods_shapes(outside)]
    for row in sheet.iter(_ROW):
        repeat = _repeat(row, "number-rows-repeated")
        height = sizes.get(row.get(_t("style-name")) or "")
        if height:
            heights.update(dict.fromkeys(range(r, min(r + repeat, limits.max_rows + 1)), height))
        cells, spans, covered, across = _row_cells(row, limits)
        shapes += [(r, c, mark, box) for c, mark, box in _row_shapes(row)]
        _symbol_marks(row, cells, fonts, defaults, name, r, symbols)
        spans = {c: (cells[c][0] if c in cells else text, n) for c, (text, n) in spans.items()}  # a merge's mark
        for c in covered:
            last, text = down.get(c, (0, ""))
            if r <= last and c not in cells:
                cells[c] = (text, True)
        for c, n in across.items():  # a cell merged across columns, over the rows it spans down too
            for k in range(spans.get(c, ("", 1))[1]):
                wide.setdefault(r + k, {})[c - 1] = n
        if cells:
            if r + repeat - 1 > limits.max_rows:
                raise refuse("max_rows", r + repeat - 1, limits.max_rows)
            for k in range(repeat):
                grid[r + k] = dict(cells)
            width = max(width, max(cells))
        if row.get(_t("visibility")) in ("collapse", "filter"):
            hidden_rows.update(range(r, min(r + repeat, limits.max_rows + 1)))
        for c, (text, rows_spanned) in spans.items():
            down[c] = (r + rows_spanned - 1, text)
        r += repeat
    marks = _drawn_marks(sheet, shapes, grid, heights, sizes, (max(grid, default=0), width))
    if width > limits.max_columns:
        raise refuse("max_columns", width, limits.max_columns)
    every = frozenset(range(1, width + 1))
    rows = []
    for line in sorted(grid):
        hidden_here = every if line in hidden_rows else hidden
        values = grid[line]
        located = tuple(
            Cell(
                values.get(c, _EMPTY)[0],
                Location(line=line, column=c, sheet=name, cell=f"{column_letters(c)}{line}"),
                merged=values.get(c, _EMPTY)[1],
                hidden=c in hidden_here,
            )
            for c in range(1, width + 1)
        )
        rows.append(Row(located, Location(line=line, sheet=name, cell=f"A{line}"), wide.get(line)))
    return rows, marks


def _row_shapes(row: etree._Element) -> list[tuple[int, str, drawn.Box]]:
    """The shapes drawn in a row's cells, by column (1-based), each with its box from the cell's corner."""
    found: list[tuple[int, str, drawn.Box]] = []
    c = 1
    for cell in row:
        if cell.tag == _CELL and len(cell):
            found += [(c, mark, box) for mark, box in drawn.ods_shapes(cell)]
        c += _repeat(cell, "number-columns-repeated")
    return found


def _drawn_marks(
    sheet: etree._Element,
    shapes: list[tuple[int, int, str, drawn.Box]],
    grid: dict[int, dict[int, tuple[str, bool]]],
    heights: dict[int, float],
    sizes: dict[str, float],
    extent: tuple[int, int],
) -> dict[tuple[int, int], str]:
    """The marks the shapes draw over empty cells (``ingest.drawn``) within the ``extent`` (lines, columns) the
    sheet's cells write (a shape beyond marks no town's column), set in ``grid``."""
    if not shapes:
        return {}
    widths: dict[int, float] = {}
    column = 1
    for element in sheet.iter(_COLUMN):
        count = _repeat(element, "number-columns-repeated")
        width = sizes.get(element.get(_t("style-name")) or "")
        if width and column <= extent[1]:
            widths.update(dict.fromkeys(range(column, min(column + count, extent[1] + 1)), width))
        column += count
    on_grid = drawn.Grid(widths, heights, drawn.ODS_COLUMN, drawn.ODS_ROW)
    placed = []
    for line, c, mark, (x0, y0, x1, y1) in shapes:
        x, y = (on_grid.column_start(c), on_grid.row_start(line)) if line else (0.0, 0.0)
        placed.append(drawn.Shape(x + x0, y + y0, x + x1, y + y1, mark))
    written = ((line, c) for line, cells in grid.items() for c, (text, _) in cells.items() if text.strip())
    marks = {
        (line, c): mark
        for (line, c), mark in drawn.place(placed, on_grid, written).items()
        if line <= extent[0] and c <= extent[1]
    }
    for (line, c), mark in marks.items():
        grid.setdefault(line, {})[c] = (mark, False)
    return marks


_EMPTY = ("", False)
Cells = dict[int, tuple[str, bool]]


def _row_cells(
    row: etree._Element, limits: Limits
) -> tuple[Cells, dict[int, tuple[str, int]], set[int], dict[int, int]]:
    """A row's cells with text by column (a repeated cell with text is repeated, an empty one only counted),
    the cells that start a vertical merge (column → text, rows spanned), the columns covered by a merge, and the
    cells merged across columns (column → columns spanned)."""
    cells: Cells = {}
    spans: dict[int, tuple[str, int]] = {}
    covered: set[int] = set()
    across: dict[int, int] = {}
    c = 1
    for cell in row:
        if cell.tag == _COVERED:
            covered.add(c)
            c += _repeat(cell, "number-columns-repeated")
            continue
        if cell.tag != _CELL:
            continue
        repeat = _repeat(cell, "number-columns-repeated")
        text = _text(cell) if len(cell) else ""
        if text:
            if c + repeat - 1 > limits.max_columns:
                raise refuse("max_columns", c + repeat - 1, limits.max_columns)
            for k in range(repeat):
                cells[c + k] = (text, False)
        rows_spanned = _repeat(cell, "number-rows-spanned")
        if rows_spanned > 1:
            spans[c] = (text, rows_spanned)
        columns_spanned = _repeat(cell, "number-columns-spanned")
        if columns_spanned > 1:
            across[c] = min(columns_spanned, limits.max_columns)
        c += repeat
    return cells, spans, covered, across
