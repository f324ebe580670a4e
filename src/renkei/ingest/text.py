"""Text to rows: tab-separated text copied from a PDF, and CSV with its delimiter sniffed."""

from __future__ import annotations

import csv
import io
import re

from renkei.ingest.errors import TableReadError
from renkei.ingest.grid import Cell, Row, text_cells, text_location
from renkei.ingest.marks import town_cell
from renkei.vision.model import Location
from renkei.vision.ownformat import unescape_markdown

_DELIMITERS = ("\t", ",", ";")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")  # in order of preference when they split the text equally well


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the most records into three cells or more, quotes respected.

    A table's rows have many cells under any layout, while a stray tab or comma inside a quoted cell (a
    description) splits a record at most once or twice: a comma CSV whose description holds a tab stays
    comma-separated, and the tab-separated PDF copy with 、 and , in its text stays tab-separated.
    """
    sample = "\n".join(text.splitlines()[:200])
    # A comma between a digit and three more (12,000) groups a figure's thousands, in text copied out of a PDF
    # as in a CSV's quoted amount: it parts no cells, so it is not counted as the delimiter.
    unquoted = _THOUSANDS.sub("", sample) if "," in sample else sample

    def rows_split(delimiter: str) -> int:
        given = unquoted if delimiter == "," else sample
        if delimiter not in given:  # splits nothing: not read through (most texts hold one delimiter of three)
            return 0
        try:
            records = csv.reader(io.StringIO(given, newline=""), delimiter=delimiter)
            return sum(1 for record in records if len(record) >= 3)
        except csv.Error:
            return 0

    return max(_DELIMITERS, key=rows_split)


def rows_from_text(text: str, delimiter: str | None = None) -> list[Row]:
    """Every record of the text as a row of cells located by line and column (1-based).

    A quoted cell may span lines (Excel quotes cells with line breaks); its row is located at its first line.
    """
    delimiter = delimiter or sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    line = 1
    try:
        for record in reader:
            rows.append(Row(text_cells(line, record), text_location(line)))
            line = reader.line_num + 1
    except csv.Error as error:
        raise TableReadError("malformed-text", Location(line=line), reason=str(error)) from None
    return rows


_SPACES = re.compile(r"[ \u3000]+")


def looks_spaced(text: str, split_records: int) -> bool:
    """Whether text is a table whose cells a copy parted by single spaces (some PDF viewers copy a table so):
    the delimiters split few records (``split_records``, as ``looks_aligned`` takes it) while many lines hold
    three words or more."""
    lines = [line for line in text.splitlines()[:400] if line.strip()]
    if 2 * split_records >= len(lines):
        return False  # delimited text, the common case: decided without splitting its lines at spaces
    spaced = sum(1 for line in lines if len(_SPACES.split(line.strip())) >= 3)
    return spaced >= 3 and spaced > 2 * split_records


def rows_from_spaced(text: str) -> list[Row]:
    """Each line's words as its cells, located by line and word. A blank cell leaves no word, so a row shorter
    than its header cannot say which columns its marks stand in: the layout reader says so (``row-width``)."""
    rows: list[Row] = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = _SPACES.split(line.strip()) if line.strip() else []
        if 1 < len(words) <= 2 and not any(town_cell(w) for w in words):
            # A line of two words and no mark is a heading or a title (1 生活機能の強化に係る政策分野), read whole as
            # the lines of any text are: a project's row holds a mark or a sign in each town's place.
            words = [line.strip()]
        rows.append(Row(text_cells(number, words), text_location(number)))
    return rows


_MD_SEPARATOR = re.compile(r"^\|[\s:|-]*-[\s:|-]*$")
_MD_SPLIT = re.compile(r"(?<!\\)\|")


def looks_like_markdown(text: str) -> bool:
    """A pipe table with its separator line, as renkei's Markdown export and most Markdown editors write."""
    return any(_MD_SEPARATOR.match(line.strip()) for line in text.splitlines()[:200])


def rows_from_markdown(text: str) -> list[Row]:
    """Pipe-table lines become rows; headings (# …) and other lines become rows of one cell."""
    rows: list[Row] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if _MD_SEPARATOR.match(stripped):
            continue
        if stripped.startswith("|"):
            body = stripped[1:]
            if body.endswith("|") and not body.endswith("\\|"):
                body = body[:-1]
            values = _MD_SPLIT.split(body)
            texts = [unescape_markdown(v.strip()) for v in values]
        else:
            texts = [stripped.lstrip("#").strip()]
        cells = tuple(Cell(t, text_location(number, i)) for i, t in enumerate(texts, start=1))
        rows.append(Row(cells, text_location(number)))
    return rows
