"""Text copied from a PDF one cell to a line (some viewers copy a table so): rebuilt into rows where the copy kept
every cell, said by a warning; where it lost its blank cells, nothing is guessed (``lost_cells`` names the fault
when no table is found).

The copy is proved by its structure, never by the words of one table. Its header is the run of lines that holds
two municipalities or more one under another, with the lines just before and after it (番号, 事業名, 連携数).
Every project is then as many lines as the header (or one more: its number on a line of its own before its
name), opening with its number, with a mark or a "does not take part" sign (－, ×) on each municipality's line.
Lines between projects that open with no number (a field's heading, a note) stay lines of their own; the header
repeated at a page break is a header again; a label followed by a whole number for each municipality is the
totals row. One project that breaks the pattern (a blank cell dropped, a name over two lines) and the text is not
read this way at all.
"""

from __future__ import annotations

import re

from renkei.ingest.grid import Cell, Row, text_cells, text_location
from renkei.ingest.marks import takes_part, town_cell
from renkei.places.municipalities import Registry

_NUMBER = re.compile(r"^(?:[0-9０-９]{1,3}(?:[-－‐ー][0-9０-９]{1,3})*\.?|[①-⑳])$")
# A project's first cell: its number alone, or its number and its name in one cell (11 創業支援事業).
_OPENING = re.compile(r"^(?:[0-9０-９]{1,3}(?:[-－‐ー][0-9０-９]{1,3})*|[①-⑳])(?:[.．、\s\u3000]|$)")
_DIGITS = re.compile(r"^[0-9０-９]{1,4}$")
_MOST = 0.8  # the share of lines that must hold one value: a table whose cells the copy put on lines of their own
_BEFORE = 4  # header lines looked for above the municipalities' run (番号, 事業名, 事業内容, 担当課)
_AFTER = 3  # and below it (連携数, 計, 備考)


def rows_from_vertical(text: str, registry: Registry) -> tuple[list[Row], int] | None:
    """The rows of a table copied one cell to a line, and its width (the header's lines); None where the text is
    not such a copy or the copy lost cells. Of the headers that fit, the one that reads the most projects."""
    lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if len(lines) < 6:
        return None
    values = [value for _, value in lines]
    if sum(1 for v in values if "\t" not in v and "," not in v) < _MOST * len(values):
        return None
    run = _municipality_run(values, registry)
    if run is None:
        return None
    first, last = run
    best: tuple[int, list[Row], int] | None = None
    for start in range(max(0, first - _BEFORE), first + 1):
        for end in range(last + 1, min(len(values), last + 1 + _AFTER) + 1):
            read = _grid(lines, start, end, first, last)
            if read is not None and (best is None or read[0] > best[0]):
                best = (*read, end - start)
    if best is None:
        return None
    return best[1], best[2]


def _municipality_run(values: list[str], registry: Registry) -> tuple[int, int] | None:
    """The first run of two lines or more that are each a municipality's name: the header's municipalities."""
    begin = None
    for i, value in enumerate(values):
        if len(value) <= 12 and registry.is_municipality_name(value):
            if begin is None:
                begin = i
            continue
        if begin is not None and i - begin >= 2:
            return begin, i - 1
        begin = None
    return (begin, len(values) - 1) if begin is not None and len(values) - begin >= 2 else None


def lost_cells(rows: list[Row], registry: Registry) -> list[str]:
    """The municipalities of a table copied one cell to a line that lost its blank cells (the rows a reading
    found no header in): nearly every line one value, a mark on a line of its own, and two municipalities or
    more on lines one after another, where a header would have them side by side. Which town a mark stands
    under cannot be told; [] for any other text (a list of names, 構成市町村, has no mark)."""
    if len(rows) < 6 or sum(1 for r in rows if len(r.filled) == 1) < _MOST * len(rows):
        return []
    values = [r.filled[0].text.strip() if len(r.filled) == 1 else "" for r in rows]
    if not any(takes_part(v) for v in values if v):
        return []
    run = _municipality_run(values, registry)
    return values[run[0] : run[1] + 1] if run is not None else []


def _grid(lines: list[tuple[int, str]], start: int, end: int, first: int, last: int) -> tuple[int, list[Row]] | None:
    """The rows when the header is lines ``start``..``end - 1`` (its municipalities ``first``..``last``) and every
    project is as many lines, with how many projects were read; None when one project does not fit.

    A project may be one line longer, its number on a line of its own before its name, under a header whose
    first cell heads both (項目 over 「11 創業支援事業」 and 「27」「地域公共交通…」 alike), where another project
    opens with its number and name in one line: its header is then given the blank cell over the number, as a
    tab-separated copy of the same table has it."""
    width = end - start
    header = [v for _, v in lines[start:end]]
    towns = range(first - start, last - start + 1)

    def fits(at: int, extra: int) -> bool:
        record = lines[at : at + width + extra]
        return len(record) == width + extra and all(town_cell(record[k + extra][1]) for k in towns)

    # A number on a line of its own under such a header, only where some project proves that the header's first
    # cell heads the number and the name: it opens with both in one line.
    joined = any(
        _OPENING.match(value) and not _NUMBER.match(value) and fits(i, 0)
        for i, (_, value) in enumerate(lines[end:], start=end)
    )
    rows = [Row(text_cells(number, [value]), text_location(number)) for number, value in lines[:start]]
    rows.append(_row(lines[start:end]))
    heading_at, widened = len(rows) - 1, False
    i, projects = end, 0
    while i < len(lines):
        value = lines[i][1]
        if [v for _, v in lines[i : i + width]] == header:  # the header again (a page break, the next field)
            rows.append(_row(lines[i : i + width]))
            heading_at, widened = len(rows) - 1, False
            i += width
            continue
        extra = 0 if fits(i, 0) else 1 if joined and _NUMBER.match(value) and fits(i, 1) else None
        if _NUMBER.match(value) and extra is None:
            return None  # a project's number whose marks are not where the header has its municipalities
        if extra is None or not _OPENING.match(value):  # a heading or a note between projects: a line of its own
            if town_cell(value):
                return None  # a mark where a project or a heading begins: the copy lost a cell
            counted = _totals(lines, i, len(towns), width - towns.stop)
            if counted:  # a totals row: its label, then a count under each municipality (and the whole)
                label, counts = lines[i], lines[i + 1 : i + 1 + counted]
                blank = Cell("", text_location(label[0]))
                cells = (_cell(label), *[blank] * (towns.start - 1 + widened), *map(_cell, counts))
                rows.append(Row(cells, text_location(label[0])))
                i += 1 + counted
                continue
            rows.append(_row(lines[i : i + 1]))
            i += 1
            continue
        if extra and not widened:  # the header over numbers on lines of their own: the blank cell over them
            top = rows[heading_at]
            rows[heading_at] = Row((Cell("", top.location), *top.cells), top.location)
            widened = True
        rows.append(_row(lines[i : i + width + extra]))
        projects += 1
        i += width + extra
    return (projects, rows) if projects >= 2 else None


def _totals(lines: list[tuple[int, str]], at: int, towns: int, after: int) -> int:
    """How many lines after a label (連携事業数計) are its counts: one whole number under each municipality, and
    under the columns after them where the copy has them; 0 where the label heads no such row."""
    counts = 0
    for _, value in lines[at + 1 : at + 1 + towns + after]:
        if not _DIGITS.match(value):
            break
        counts += 1
    return counts if counts >= towns and not _DIGITS.match(lines[at][1]) else 0


def _cell(line: tuple[int, str]) -> Cell:
    return text_cells(line[0], [line[1]])[0]


def _row(lines: list[tuple[int, str]]) -> Row:
    """One row of the copy's cells, at the line of its first cell; each cell located at its own line."""
    return Row(tuple(map(_cell, lines)), text_location(lines[0][0]))


# A header's names written down, one character to a line (a viewer copies a vertical 稚/内/市 so): the run of such
# lines is at least this long (two names of two characters).
_STACKED_RUN = 4
_HEADER_WORD = re.compile(r"^[^\s0-9０-９]{1,6}$")  # a header's word broken over lines (連携 / 市町村数)


def restacked(text: str, registry: Registry) -> tuple[str, list[str], bool] | None:
    """The text with a header whose municipalities' names were copied one character to a line made one line
    again (番号 連携事業 稚内市 猿払村 … 連携市町村数, its cells one space apart, as the rows under it are), the
    names, and whether their characters part so in one way only; None where the text has no such run.

    The run is proved by its structure: every line one character, and the characters part into municipalities'
    names with nothing left over (the fewest, longest names where several partings would: 熊本市北区 before 熊本市
    and 北区); the line above it (番号 連携事業) and the short words below it (連携 / 市町村数, joined as one) are
    the rest of the header."""
    lines = text.split("\n")
    at = 0
    while at < len(lines):
        if len(lines[at].strip()) != 1:
            at += 1
            continue
        end = at
        while end < len(lines) and len(lines[end].strip()) == 1:
            end += 1
        stacked = "".join(line.strip() for line in lines[at:end])
        parted = _parted(stacked, registry) if end - at >= _STACKED_RUN else None
        if parted is None or len(parted[0]) < 2:
            at = end
            continue
        names, only = parted
        first = at - 1 if at > 0 and lines[at - 1].strip() else at
        after = end
        words: list[str] = []
        while after < len(lines) and _HEADER_WORD.match(lines[after].strip()) and not _NUMBER.match(lines[after]):
            words.append(lines[after].strip())
            after += 1
        header = [*([lines[first].strip()] if first < at else []), *names, *(["".join(words)] if words else [])]
        # On the header's first line, the lines it took left blank: every other line keeps its number.
        return "\n".join([*lines[:first], " ".join(header), *[""] * (after - first - 1), *lines[after:]]), names, only
    return None


def _parted(chars: str, registry: Registry) -> tuple[list[str], bool] | None:
    """The characters parted into municipalities' names with none left over (the fewest names where several
    partings would do), and whether that parting is the only one; None where they do not part so."""
    best: list[list[str] | None] = [None] * (len(chars) + 1)
    ways = [0] * (len(chars) + 1)  # how many partings reach each place (2: more than one)
    best[0], ways[0] = [], 1
    for end in range(1, len(chars) + 1):
        for start in range(max(0, end - _LONGEST_NAME), end):
            before = best[start]
            if before is not None and registry.is_municipality_name(chars[start:end]):
                ways[end] = min(2, ways[end] + ways[start])
                found = [*before, chars[start:end]]
                current = best[end]
                if current is None or len(found) < len(current):
                    best[end] = found
    whole = best[len(chars)]
    return None if whole is None else (whole, ways[len(chars)] == 1)


_LONGEST_NAME = 8  # 南アルプス市, 奥州市 …: no municipality's name is longer (with 市町村)
