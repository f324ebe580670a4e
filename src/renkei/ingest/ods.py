"""ODS (an OpenDocument spreadsheet, LibreOffice Calc's own format) to rows, read from ``content.xml``.

As for XLSX: every sheet that is shown is read in order (``--sheet`` picks one by name or number), a sheet the
style hides is reported (``sheet-hidden``), merged cells (``number-columns-spanned`` / ``number-rows-spanned``,
the covered cells under them) keep their text in the first column and are filled down it, marked as merged,
and cells of hidden (collapsed) columns are marked hidden, of hidden rows too. Repeated rows and columns
(``number-rows-repeated``, ``number-columns-repeated``: LibreOffice writes a sheet's empty tail as one cell
repeated a thousand times) are expanded only where they hold text, within the row and column limits.
"""

from __future__ import annotations

from lxml import etree

from renkei.ingest.errors import TableReadError
from renkei.ingest.grid import Cell, Row
from renkei.ingest.limits import Limits, refuse
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


def read_ods(data: bytes, options: Options) -> Reading:
    root = read_part(data, "content.xml", options.limits, "ods")
    sheets = root.findall(f".//{{{_OFFICE}}}spreadsheet/{_t('table')}")
    if not sheets:
        raise TableReadError("ods-unreadable", reason="content.xml: no table:table")
    names = [s.get(_t("name")) or f"Sheet{i}" for i, s in enumerate(sheets, start=1)]
    hidden_styles = _hidden_styles(root)
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
    for index in chosen:
        rows += _sheet_rows(names[index], sheets[index], options.limits)
    sheet = names[chosen[0]] if len(chosen) == 1 or rows else None
    return layout_reading(rows, options.source("ods", sheet=sheet), findings, options)


def _hidden_styles(root: etree._Element) -> set[str]:
    """The table styles that hide a sheet (``table:display="false"``)."""
    hidden = set()
    for style in root.iter(f"{{{_STYLE}}}style"):
        props = style.find(f"{{{_STYLE}}}table-properties")
        if props is not None and props.get(_t("display")) == "false":
            hidden.add(style.get(f"{{{_STYLE}}}name") or "")
    return hidden


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


def _sheet_rows(name: str, sheet: etree._Element, limits: Limits) -> list[Row]:
    hidden = _hidden_columns(sheet, limits)
    grid: dict[int, dict[int, tuple[str, bool]]] = {}
    down: dict[int, tuple[int, str]] = {}  # column → (last row a vertical merge covers, its text)
    hidden_rows: set[int] = set()
    width = 0
    r = 1
    for row in sheet.iter(_ROW):
        repeat = _repeat(row, "number-rows-repeated")
        cells, spans, covered = _row_cells(row, limits)
        for c in covered:
            last, text = down.get(c, (0, ""))
            if r <= last and c not in cells:
                cells[c] = (text, True)
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
        rows.append(Row(located, Location(line=line, sheet=name, cell=f"A{line}")))
    return rows


_EMPTY = ("", False)
Cells = dict[int, tuple[str, bool]]


def _row_cells(row: etree._Element, limits: Limits) -> tuple[Cells, dict[int, tuple[str, int]], set[int]]:
    """A row's cells with text by column (a repeated cell with text is repeated, an empty one only counted),
    the cells that start a vertical merge (column → text, rows spanned), and the columns covered by a merge."""
    cells: Cells = {}
    spans: dict[int, tuple[str, int]] = {}
    covered: set[int] = set()
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
        c += repeat
    return cells, spans, covered
