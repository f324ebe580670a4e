"""HTML (a city's web page) to rows: the project table chosen among the page's tables, its ``rowspan`` and
``colspan`` expanded as merged cells are, its ``<caption>`` or the nearest heading before it as the title.

A page holds menus, breadcrumbs and layout tables beside the project table. Tables are scored by how much
they look like a project table, by structure and not by words: rows holding marks (○ ◎ ● …) times columns
holding marks, so a menu (links, no marks) scores nothing; a table that holds other tables (a layout table)
is never chosen, only the tables inside it. The best table is read, with any other table that scores as
well as half of it (a page with one table per pillar), each as a sheet (``表1`` …); without marks anywhere
(participants written in a cell), the largest table is read. ``--sheet N`` reads the page's Nth table.

The encoding is the page's ``<meta charset>`` (or ``http-equiv``) where it names one, else sniffed as text
is (``ingest.decode``): Shift_JIS pages read as CP932. The size is bounded by the reader's byte limit, and the
parser fetches nothing (lxml, no network).
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from renkei.ingest import drawn
from renkei.ingest.decode import decode
from renkei.ingest.errors import TableReadError
from renkei.ingest.grid import Cell, Row
from renkei.ingest.headings import central_line, parse_headings, parse_title
from renkei.ingest.layout_blocks import _BARE_NUMBERED
from renkei.ingest.limits import INVISIBLE, Limits, refuse
from renkei.ingest.marks import SYMBOLS
from renkei.ingest.participants import members_line, members_table
from renkei.ingest.reading import Options, Reading, layout_reading
from renkei.ingest.xmlparts import is_note, pick
from renkei.vision.model import Location, table_cell

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_SPACES = re.compile(r"[ \t\r\n\f]+")
_MARKS = SYMBOLS


def read_html(data: bytes, options: Options) -> Reading:
    encoding = options.encoding or _declared(data)
    try:
        decoded = decode(data, encoding)
    except TableReadError as error:
        if options.encoding is not None or error.code not in ("unknown-encoding", "decode-failed"):
            raise
        decoded = decode(data)  # the page's own declaration was wrong: sniff instead
    parser = lxml.html.HTMLParser(no_network=True, huge_tree=False, remove_comments=True)
    try:
        root = lxml.html.document_fromstring(decoded.text, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise TableReadError("html-unreadable", reason=str(error)) from None
    tables = [t for t in root.iter("table") if not _has_inner_table(t)]
    if not tables:
        raise TableReadError("html-no-table")
    spans: list[dict[tuple[int, int], int]] = [{} for _ in tables]
    grids = [_grid(t, options.limits, spans[i]) for i, t in enumerate(tables)]
    names = [f"表{i}" for i in range(1, len(tables) + 1)]
    chosen = pick(names, options.sheet) if options.sheet is not None else _chosen(grids)
    others = {id(t): grid for i, (t, grid) in enumerate(zip(tables, grids, strict=True)) if i not in chosen}
    titles = _titles(root, [tables[i] for i in chosen], others)
    rows: list[Row] = []
    for index, before, after in zip(chosen, titles[0], titles[1], strict=True):
        rows += _rows(names[index], before, grids[index], after, spans[index])
    sheet = names[chosen[0]] if len(chosen) == 1 else None
    return layout_reading(rows, options.source("html", decoded.encoding, sheet), list(decoded.findings), options)


def _declared(data: bytes) -> str | None:
    match = _CHARSET.search(data[:4096])
    return match[1].decode("ascii") if match else None


def _has_inner_table(table: etree._Element) -> bool:
    return any(True for _ in table.iterdescendants("table"))


Grid = list[list[tuple[str, bool]]]


def _text(cell: etree._Element) -> str:
    """A cell's text as a screen reader says it, laid out as a browser shows it: runs of white space one space,
    ``<br>`` and blocks a line break, a picture its ``alt`` text (a ○ drawn as an icon), a name with its reading in
    ``<ruby>`` the name alone. What the page hides from assistive technology (``aria-hidden="true"``, ``hidden``)
    is left out where the cell says something else (a ○ for the eye beside 参加 for the ear is 参加); a cell with
    nothing else keeps it (an icon's ○ alone is the mark)."""
    said = _joined(cell, skip_hidden=True)
    return said if said or not _hides(cell) else _joined(cell, skip_hidden=False)


def _joined(cell: etree._Element, skip_hidden: bool) -> str:
    parts: list[str] = []
    _walk(cell, parts, skip_hidden)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _hidden(element: etree._Element) -> bool:
    return (element.get("aria-hidden") or "").strip().lower() == "true" or element.get("hidden") is not None


def _hides(cell: etree._Element) -> bool:
    return any(isinstance(e.tag, str) and _hidden(e) for e in cell.iterdescendants())


def _walk(element: etree._Element, parts: list[str], skip_hidden: bool = False) -> None:
    parts.append(element.text or "")
    for child in element:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        if skip_hidden and _hidden(child):
            pass
        elif child.tag == "br":
            parts.append("\n")
        elif child.tag == "img":  # a mark drawn as a picture: its text alternative, as a screen reader says it
            parts.append(child.get("alt") or "")
        elif child.get("role") == "img" and child.get("aria-label") is not None:  # an icon named for the ear
            parts.append(child.get("aria-label") or "")
        elif child.tag == "svg":  # an inline drawing: its name, else the circle it draws (drawn.svg_mark)
            parts.append(drawn.svg_mark(child))
        elif child.tag in ("p", "div", "li"):
            parts.append("\n")
            _walk(child, parts, skip_hidden)
            parts.append("\n")
        elif child.tag not in ("script", "style", "rt", "rp"):  # a ruby's reading (いいたて over 飯舘) is no text
            _walk(child, parts, skip_hidden)
        parts.append(child.tail or "")


def _span(cell: etree._Element, attribute: str, most: int) -> int:
    value = (cell.get(attribute) or "1").strip()
    return max(1, min(int(value), most)) if value.isdigit() else 1


def _grid(table: etree._Element, limits: Limits, spans: dict[tuple[int, int], int] | None = None) -> Grid:
    """The table's cells with rowspan and colspan expanded: a colspan keeps its text in its first column (and is
    kept in ``spans``, by row and column, as the columns it covers), a rowspan is filled down its first column and
    marked as merged (as the XLSX reader does)."""
    spans = {} if spans is None else spans
    grid: Grid = []
    pending: dict[tuple[int, int], tuple[str, bool]] = {}
    rows = [tr for tr in table.iter("tr") if _owner(tr) is table]
    if len(rows) > limits.max_rows:
        raise refuse("max_rows", len(rows), limits.max_rows)
    for r, tr in enumerate(rows):
        cells: list[tuple[str, bool]] = []
        c = 0
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            while (r, c) in pending:
                cells.append(pending.pop((r, c)))
                c += 1
            text = _text(td)
            colspan = _span(td, "colspan", limits.max_columns)
            rowspan = _span(td, "rowspan", len(rows) - r)
            cells.append((text, False))
            cells += [("", False)] * (colspan - 1)
            if colspan > 1:
                spans.update({(r + k, c): colspan for k in range(rowspan)})
            for k in range(1, rowspan):
                pending[(r + k, c)] = (text, True)
                for j in range(1, colspan):
                    pending[(r + k, c + j)] = ("", False)
            c += colspan
            if c > limits.max_columns:
                raise refuse("max_columns", c, limits.max_columns)
        while (r, c) in pending:
            cells.append(pending.pop((r, c)))
            c += 1
        grid.append(cells)
    return grid


def _owner(tr: etree._Element) -> etree._Element | None:
    parent = tr.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _score(grid: Grid) -> int:
    """Rows with a mark times columns with a mark: how much of a project table of marks the grid is."""
    rows, columns = 0, set()
    for cells in grid:
        # A mark with a zero-width space a CMS left after it is a mark here too (check_rows takes such out).
        marked = [c for c, (text, _) in enumerate(cells) if INVISIBLE.sub("", text) in _MARKS]
        rows += bool(marked)
        columns.update(marked)
    return rows * len(columns)


def _chosen(grids: list[Grid]) -> list[int]:
    scores = [_score(g) for g in grids]
    best = max(scores)
    if best == 0:  # participants in a cell, no marks: the largest table
        sizes = [len(g) * max((len(r) for r in g), default=0) for g in grids]
        return [sizes.index(max(sizes))]
    chosen = [i for i, s in enumerate(scores) if s * 2 >= best]
    # A page with one table per field repeats the header over each, however few rows a table has (a field of
    # one project), and may close with a table of the totals under the same town names: those are read too.
    heads = [_head(grids[i]) for i in chosen]
    same = [i for i, g in enumerate(grids) if i not in chosen and any(_under(_head(g), head) for head in heads)]
    return sorted(chosen + same)


def _head(grid: Grid) -> dict[int, str]:
    """A table's first row: its filled cells by column."""
    return {c: text for c, (text, _) in enumerate(grid[0]) if text} if grid else {}


def _under(head: dict[int, str], chosen: dict[int, str]) -> bool:
    """Whether a table's first row is a chosen table's header, whole or with its first cells left blank (a totals
    table under the same town names): every filled cell as the chosen header has it, and most of it there."""
    return len(head) >= 2 and 2 * len(head) >= len(chosen) and all(chosen.get(c) == text for c, text in head.items())


def _titles(
    root: etree._Element, tables: list[etree._Element], others: dict[int, Grid] | None = None
) -> tuple[list[list[str]], list[list[str]]]:
    """For each chosen table, the texts to read before it (its caption, or the nearest heading before it, and
    the legends after that heading, and the members a table of the sphere's towns above it lists: ``others``
    holds the grids of the tables not chosen) and after it (notes, up to the next heading or table); prose is
    left out.
    The headings it stands under that name the sphere (an ``h1`` 〇〇定住自立圏共生ビジョン over an ``h2`` 具体的な
    取組), else the page's ``<title>`` where it names one, come first: the caption or the nearest heading may say
    only what the table is."""
    chosen = {id(t): i for i, t in enumerate(tables)}
    before: list[list[str]] = [[] for _ in tables]
    after: list[list[str]] = [[] for _ in tables]
    current: list[str] = []
    outline: list[tuple[int, str]] = []  # the headings the next table stands under, outermost first
    last: int | None = None
    listed: list[str] = []  # the members a table of towns listed, for the next chosen table
    title = root.find(".//title")
    page_title = _text(title).replace("\n", " ") if title is not None else ""
    for element in root.iter(*_HEADINGS, "p", "table", "caption"):
        if element.tag == "table":
            index = chosen.get(id(element))
            if index is not None:
                caption = element.find("caption")
                own = [_text(caption)] if caption is not None and _text(caption) else current
                above = [t for _, t in outline if parse_title(t) is not None and t not in own]
                # The headings of the levels above the nearest one that number a pillar (an h2 1 生活機能の強化
                # over an h3 (1) 医療 over each table): the table stands under them too.
                above += [t for _, t in outline[:-1] if t not in own and t not in above and _numbers_a_level(t)]
                if not above and not any(parse_title(t) for t in own) and parse_title(page_title) is not None:
                    above = [page_title]
                before[index] = above + listed + own
                last, listed = index, []
            else:
                # A table of the sphere's towns (区分 | 市町名 | 人口: 中心市 西脇市, 連携町 多可町) says its members
                # for the next table, under whatever heading, as a members line above it would.
                grid = (others or {}).get(id(element), [])
                listed = members_table([[text for text, _ in cells] for cells in grid]) or listed
            current = []
            continue
        if element.tag == "caption" or _inside(element, chosen):
            continue
        text = _text(element).replace("\n", " ")
        if not text:
            continue
        if element.tag in _HEADINGS:
            level = int(element.tag[1])
            outline = [(n, t) for n, t in outline if n < level] + [(level, text)]
            current, last = [text], None
        elif is_note(text):
            if last is not None:
                after[last].append(text)
            elif current:
                current.append(text)
        elif members_line(text) is not None or central_line(text) is not None:
            # The sphere's members or its central city in a paragraph above the table (連携市町：呉市、…): read
            # before the table, as the lines above a table in a text are.
            current.append(text)
            last = None
    return before, after


def _numbers_a_level(text: str) -> bool:
    """Whether a heading numbers a level of the table (①, (1), 1., Ⅰ, 第1, ア, or 1 before its title)."""
    return parse_headings(text) != (None, None) or bool(_BARE_NUMBERED.match(text))


def _inside(element: etree._Element, chosen: dict[int, int]) -> bool:
    """Whether the element is part of a chosen table (its cells are read as cells, not as titles); a heading
    inside a layout table's cell is the page's own."""
    return any(id(a) in chosen for a in element.iterancestors("table"))


def _rows(
    name: str, before: list[str], grid: Grid, after: list[str], spans: dict[tuple[int, int], int] | None = None
) -> list[Row]:
    rows = [_text_row(name, i, text) for i, text in enumerate(before, start=1)]
    offset = len(rows)
    width = max((len(r) for r in grid), default=0)
    by_row: dict[int, dict[int, int]] = {}  # each grid row's colspans, by column
    for (row, c), n in (spans or {}).items():
        by_row.setdefault(row, {})[c] = n
    for r, cells in enumerate(grid, start=1):
        line = offset + r
        padded = cells + [("", False)] * (width - len(cells))
        located = tuple(
            Cell(text, Location(line=line, column=c, sheet=name, cell=table_cell(r, c)), merged=merged)
            for c, (text, merged) in enumerate(padded, start=1)
        )
        rows.append(Row(located, Location(line=line, sheet=name, cell=table_cell(r, 1)), by_row.get(r - 1)))
    base = len(rows)
    return rows + [_text_row(name, base + i, text) for i, text in enumerate(after, start=1)]


def _text_row(sheet: str, line: int, text: str) -> Row:
    where = Location(line=line, sheet=sheet)
    return Row((Cell(text, where),), where)
