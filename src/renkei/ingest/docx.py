"""DOCX (a Word document) to rows: every table of the body, each read as a sheet is (``表1``, ``表2`` …), with
the headings just before it (by their style: the title, a pillar or field), legends and notes (※, 注, ◎ …);
prose around the tables is skipped. Merged cells are expanded as the XLSX reader
expands them: a horizontal span (``gridSpan``) keeps its text in its first column, a vertical one (``vMerge``)
is filled down and marked as merged. ``--sheet N`` reads the Nth table only.

The XML is read directly (lxml, no entities, no network) rather than through python-docx's objects: a table's
cells are then walked once, which keeps a large table's reading fast (bench/bench_read.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from renkei.ingest import drawn
from renkei.ingest.errors import TableReadError
from renkei.ingest.grid import Cell, Row
from renkei.ingest.headings import names_sphere
from renkei.ingest.limits import refuse
from renkei.ingest.marks import symbol_mark
from renkei.ingest.participants import members_table
from renkei.ingest.reading import Options, Reading, layout_reading
from renkei.ingest.xmlparts import is_note, pick, read_part
from renkei.vision.model import Finding, Location, Severity, table_cell

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_P, _TBL, _TR, _TC = f"{{{_W}}}p", f"{{{_W}}}tbl", f"{{{_W}}}tr", f"{{{_W}}}tc"
_T, _TAB, _BR, _CR = f"{{{_W}}}t", f"{{{_W}}}tab", f"{{{_W}}}br", f"{{{_W}}}cr"
_SYM, _FONT, _CHAR = f"{{{_W}}}sym", f"{{{_W}}}font", f"{{{_W}}}char"
_VAL = f"{{{_W}}}val"
# A mark Word inserts as a symbol (挿入 > 記号と特殊文字) is no text but a font's character (<w:sym
# w:font="Wingdings" w:char="F0A1"/>, the font's letter ¡ addressed from F000): read as the mark the font draws
# (``marks.SYMBOL_FONTS``, as the XLSX reader reads a cell's letter in that font), and said once per mark. Any
# other character of a symbol font stays in the text as its own private character, so that its cell is no
# blank one: the reader says it is a mark it does not know.
_SYMBOL_FONT_NAMES = ("wingdings", "webdings", "symbol")  # how a symbol font's name begins
Symbols = dict[tuple[str, str, str], list[Location]]  # (font, letter, mark shown): the cells, for the finding


def read_docx(data: bytes, options: Options) -> Reading:
    body = read_part(data, "word/document.xml", options.limits, "docx").find(f"{{{_W}}}body")
    if body is None:
        raise TableReadError("docx-no-table")
    tables: list[tuple[list[str], etree._Element]] = []
    before: list[str] = []
    for child in _children(body, _P, _TBL):
        if child.tag == _P:
            text = _paragraph(child)
            if text and (is_note(text) or _is_heading(child) or names_sphere(text)):
                before.append(text)
        elif child.tag == _TBL:
            tables.append((before, child))
            before = []
    if not tables:
        raise TableReadError("docx-no-table")
    names = [f"表{i}" for i in range(1, len(tables) + 1)]
    chosen = pick(names, options.sheet)
    # A table of the sphere's towns (区分 | 市町名 | 人口 …) before the others is their members list: read as
    # its lines before the next table, not as a table of its own.
    listed: dict[int, list[str]] = {}
    for index in list(chosen) if options.sheet is None else []:
        lines = members_table(_texts(tables[index][1]))
        # Only where the next table names its towns (a column or a cell each): a table of projects that gives one
        # town a row (担当市町) is no list of members, and is read as the table it is.
        following = "".join(t for row in _texts(tables[index + 1][1]) for t in row) if index + 1 < len(tables) else ""
        if lines and any(name in following for name in lines[-1].split("：", 1)[1].split("、")):
            listed[index + 1] = [*listed.pop(index, []), *tables[index][0], *lines]
            chosen.remove(index)
    rows: list[Row] = []
    symbols: Symbols = {}
    shapes: dict[str, list[Location]] = {}  # the marks drawn as shapes over cells (ingest.drawn), where
    for index in chosen:
        paragraphs, table = tables[index]
        paragraphs = [*listed.get(index, []), *paragraphs]
        after = before if index == len(tables) - 1 else []
        rows += _table_rows(names[index], paragraphs, table, after, options.limits.max_columns, symbols, shapes)
    sheet = names[chosen[0]] if len(chosen) == 1 else None
    found = [  # each mark a symbol font drew, said once (as the XLSX reader says a letter in such a font)
        Finding(Severity.INFO, "symbol-font-mark", {"written": w, "font": f, "shown": m, "cells": len(at)}, at[0])
        for (f, w, m), at in symbols.items()
    ]
    found += drawn.said(shapes)
    return layout_reading(rows, options.source("docx", sheet=sheet), found, options)


def _is_heading(p: etree._Element) -> bool:
    """A heading by its style (Heading 1, 見出し 1, Title) or its outline level, as Word's navigation shows it."""
    pr = p.find(f"{{{_W}}}pPr")
    if pr is None:
        return False
    style = pr.find(f"{{{_W}}}pStyle")
    name = (style.get(_VAL) or "") if style is not None else ""
    return name.lower().startswith(("heading", "title", "見出し")) or pr.find(f"{{{_W}}}outlineLvl") is not None


# Word's content controls (a template's fields, check boxes, repeating sections) and custom XML wrap paragraphs,
# tables, rows and cells: what they hold is read where they stand, as Word shows it.
_WRAPPERS = frozenset(f"{{{_W}}}{name}" for name in ("sdt", "sdtContent", "customXml", "smartTag"))


def _children(element: etree._Element, *tags: str) -> Iterator[etree._Element]:
    """The children of ``element`` with one of ``tags``, those inside content controls and custom XML included."""
    for child in element.iterchildren():
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, *tags)


def _paragraph(p: etree._Element, shown: list[tuple[str, str, str]] | None = None) -> str:
    """A paragraph's text; the symbols read as marks are added to ``shown`` (font, letter, mark)."""
    parts: list[str] = []
    for node in p.iter(_T, _TAB, _BR, _CR, _SYM):
        if node.tag == _T:
            parts.append(node.text or "")
        elif node.tag == _SYM:
            parts.append(_symbol(node.get(_FONT, ""), node.get(_CHAR, ""), shown))
        else:
            parts.append("\t" if node.tag == _TAB else "\n")
    return "".join(parts).strip()


def _symbol(font: str, char: str, shown: list[tuple[str, str, str]] | None) -> str:
    """The text of a symbol Word inserted: the mark a symbol font draws for it (Wingdings' F0A1 is ¡, drawn ○),
    any other character of a symbol font as its private character, a character of a text font as itself;
    nothing where the code is no code."""
    try:
        code = int(char, 16)
    except ValueError:
        return ""
    if not font.lower().startswith(_SYMBOL_FONT_NAMES):
        return chr(code) if 0 < code < 0x110000 else ""
    low = code - 0xF000 if code >= 0xF000 else code
    if not 0 <= low < 0x100:
        return ""
    mark = symbol_mark(font, chr(low))
    if mark is None:
        return chr(0xF000 + low)
    if shown is not None:
        shown.append((font, chr(low), mark))
    return mark


def _texts(table: etree._Element) -> list[list[str]]:
    """A table's cells' texts, row by row (spans and merges as they are written: enough to tell a list)."""
    return [[_cell_text(tc) for tc in _children(tr, _TC)] for tr in _children(table, _TR)]


def _cell_text(tc: etree._Element, shown: list[tuple[str, str, str]] | None = None) -> str:
    return "\n".join(t for p in _children(tc, _P) if (t := _paragraph(p, shown)))


def _props(tc: etree._Element) -> tuple[int, str | None]:
    """A cell's span across grid columns, and its vertical merge (``restart``, ``continue`` or None)."""
    span, merge = 1, None
    pr = tc.find(f"{{{_W}}}tcPr")
    if pr is not None:
        grid = pr.find(f"{{{_W}}}gridSpan")
        if grid is not None and (grid.get(_VAL) or "").isdigit():
            span = max(1, int(grid.get(_VAL) or 1))
        vmerge = pr.find(f"{{{_W}}}vMerge")
        if vmerge is not None:
            merge = vmerge.get(_VAL) or "continue"
    return span, merge


def _table_rows(
    name: str,
    paragraphs: list[str],
    table: etree._Element,
    after: list[str],
    max_columns: int,
    symbols: Symbols,
    shapes: dict[str, list[Location]],
) -> list[Row]:
    rows = [_text_row(name, line, text) for line, text in enumerate(paragraphs, start=1)]
    offset = len(rows)
    above: dict[int, str] = {}  # the text of the cell that a vertical merge repeats, by grid column
    grid: list[list[tuple[str, bool]]] = []
    spans: list[dict[int, int]] = []  # each row's cells spanning grid columns: first column → columns covered
    for r, tr in enumerate(_children(table, _TR), start=1):
        cells: list[tuple[str, bool]] = []
        spans.append({})
        for tc in _children(tr, _TC):
            span, merge = _props(tc)
            column = len(cells)
            if span > 1:
                spans[-1][column] = min(span, max_columns)
            if merge == "continue":
                cells.append((above.get(column, ""), True))
            else:
                shown: list[tuple[str, str, str]] = []
                text = _cell_text(tc, shown)
                where = Location(line=offset + r, column=column + 1, sheet=name, cell=table_cell(r, column + 1))
                if not text and (mark := drawn.docx_mark(tc)) is not None:  # a circle drawn over the cell
                    text = mark
                    shapes.setdefault(mark, []).append(where)
                cells.append((text, False))
                above[column] = text
                for found in shown:
                    symbols.setdefault(found, []).append(where)
            cells += [("", False)] * min(span - 1, max_columns)
            if len(cells) > max_columns:
                raise refuse("max_columns", len(cells), max_columns)
        grid.append(cells)
    width = max((len(c) for c in grid), default=0)
    for r, cells in enumerate(grid, start=1):
        line = offset + r
        located = tuple(
            Cell(text, Location(line=line, column=c, sheet=name, cell=table_cell(r, c)), merged=merged)
            for c, (text, merged) in enumerate(cells + [("", False)] * (width - len(cells)), start=1)
        )
        rows.append(Row(located, Location(line=line, sheet=name, cell=table_cell(r, 1)), spans[r - 1]))
    base = len(rows)
    rows += [_text_row(name, base + i, text) for i, text in enumerate(after, start=1)]
    return rows


def _text_row(sheet: str, line: int, text: str) -> Row:
    where = Location(line=line, sheet=sheet)
    return Row((Cell(text, where),), where)
