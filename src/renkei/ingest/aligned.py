"""Tables laid out by position: space-aligned text, and the words of a PDF page.

``pdftotext -layout`` and the copy of many PDF viewers give a table as lines whose columns are aligned by runs of
spaces rather than separated by tabs; a PDF page gives words with their x positions. Both are *positioned
lines*: tokens with a start and an end on one axis. This module turns them into the rows of located cells that
the layout reader takes, so that every rule of ``layout.py`` applies to them as to a tab-separated copy:

- the **columns** are the spans that the tokens of the table's lines cover (the numbers, names, descriptions,
  marks and counts of its rows, and the header's words where they stand apart); a heading or a totals label
  that runs across several columns does not join them;
- the **header** may stand over several lines (town names written one character per line, 連携市町 / 村数):
  the lines of the header are joined column by column, top to bottom, into one header row;
- a **row** starts at a line with text in the first column (a number, a heading, the totals label) or, where
  the table is ruled, below a rule; the lines under it (a description or a name wrapped in its cell) are joined
  to it, cell by cell;
- **page furniture**: a page's last line ending with a page number (``3``, ``- 3 -``, ``3 / 10``) is dropped,
  as is a first line repeated at the top of every page.

In text, a full-width character may occupy one column or two, depending on the program that laid it out: both
are tried and the one whose columns line up better (fewer distinct column starts) is kept.

Text that a program laid out on a grid of characters from a PDF (``pdftotext -layout`` of a table printed by
Word, Excel, LibreOffice or a browser) is read a second way too, *anchored*: each character is put at the grid
column nearest to where it was drawn but pushed right by the text before it, so a column's cells start a few
characters apart from line to line and one column's text may run past the next's start. The columns are then the
header's words in order, and each line's pieces are placed on them in order (see ``_anchored_rows``). Pages
before the first page with a table's header (cover, contents, prose) and after the last with a header or a mark
are left out. Of all the readings, the one the layout reader reads best is kept.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from renkei.ingest.grid import Cell, Row
from renkei.places.municipalities import Registry
from renkei.vision.model import Location

_MARK_TOKENS = frozenset("○〇◯●◎✓✔")
# Kangxi radicals (⽣ U+2F63) and CJK radical supplements (⻄ U+2EC4): the text of many PDFs maps a kanji's
# glyph to the radical of the same shape (chromium's and Word's among them). Never meant in a table: folded to
# the kanji (生, 西) as NFKC does, so that names resolve and headings read.
_RADICALS = {c: unicodedata.normalize("NFKC", chr(c)) for c in range(0x2E80, 0x2FE0)}
# The supplements that NFKC leaves alone, those of kanji met in names and headings; ‧ (U+2027) that the same
# PDFs give for the middle dot ・; and old forms that a Japanese font draws with the glyph of the common form, so
# that the PDF's text may name either (八戶 for 八戸).
_SUPPLEMENTS = dict(
    zip(
        "⺟⺠⻁⻄⻆⻑⻘⻝⻟⻣⻤⻨⻩⻫⻭⻯⻲⻳‧戶內吳郞靑淸",
        "母民虎西角長青食食骨鬼麦黄斉歯竜亀亀・戸内呉郎青清",
        strict=True,
    )
)
RADICALS = {c: _SUPPLEMENTS.get(k, k) for c, k in _RADICALS.items() if k != chr(c)} | {
    ord(a): b for a, b in _SUPPLEMENTS.items()
}


def fold_radicals(text: str) -> str:
    """Text with each radical that has a kanji of the same shape replaced by that kanji."""
    return text.translate(RADICALS)


_PAGE_NUMBER = re.compile(r"^[\s\-－‐―−(（]*(?:p\.?\s*)?[0-9０-９]+(?:\s*[/／]\s*[0-9０-９]+)?[\s\-－‐―−)）頁]*$")
_RUN = re.compile(r"\S+(?: \S+)*")  # text split at runs of two spaces or more
_SPACES = re.compile(r"[ \u3000]+")


@dataclass(frozen=True)
class Token:
    """A piece of text on one line, from ``x0`` to ``x1`` (character columns in text, points in a PDF)."""

    text: str
    x0: float
    x1: float
    # The words a narrow space parts within the token, each where it stands (a PDF's characters place them):
    # town names set one space apart over their columns (岩美町 若桜町 智頭町) are parted again by them.
    words: tuple[Token, ...] = ()


@dataclass
class Line:
    """One line of a page: its tokens in order, where it is, and whether a rule stands above it."""

    tokens: list[Token]
    location: Location
    ruled_above: bool = False
    # Above the first rule or below the last of a ruled table: a title, a legend or a note, never a row.
    outside: bool = False

    @property
    def text(self) -> str:
        return " ".join(t.text.strip() for t in self.tokens)


# Space-aligned text -------------------------------------------------------------------------------------------


def looks_aligned(text: str, split_records: int) -> bool:
    """Whether text is a space-aligned table: the delimiters split few records (``split_records`` is how many
    records the best delimiter splits into three cells or more), while many lines hold three runs of text or
    more separated by two spaces or more, or the text has form feeds between pages."""
    lines = [line for line in text.splitlines()[:400] if line.strip()]
    if 2 * split_records >= len(lines):
        return False  # delimited text, the common case: decided without looking at its spaces
    aligned = sum(1 for line in lines if len(_RUN.findall(line)) >= 3)
    return aligned >= 3 and aligned > 2 * split_records


def rows_from_aligned(text: str, registry: Registry) -> list[Row]:
    """The rows of a space-aligned text, pages split at form feeds, located by line (of the whole text) and
    column (of the table).

    Programs lay such text out differently: columns parted by two spaces or more, or by one where the table is
    tight (``pdftotext -layout`` of a narrow table), and full-width characters one column wide or two. Each of
    the four readings is made, and the one the layout reader reads best (most project rows, fewest findings to
    warn of) is kept; a table is small, so this costs a few milliseconds."""
    pages: list[list[tuple[int, str]]] = [[]]
    for number, raw in enumerate(fold_radicals(text).split("\n"), start=1):
        parts = raw.rstrip("\r").split("\f")
        for i, part in enumerate(parts):
            if i:
                pages.append([])
            pages[-1].append((number, part))
    pages = _table_pages(pages, registry)
    best: list[Row] = []
    best_score: tuple[int, int, int, float] | None = None
    for anchored, runs, width in itertools.product((False, True), (_RUN, _WORD), (_narrow, _wide)):
        rows: list[Row] = []
        misfit = 0.0
        for page in pages:
            lines = [_text_line(number, line, width, runs) for number, line in page]
            page_rows, fit = rows_from_lines([x for x in lines if x.tokens], registry, slack=1, anchored=anchored)
            rows += page_rows
            misfit += fit if anchored else 0
        # Between readings that read alike, an anchored one (the header's columns), the one whose marks stand
        # nearest their towns' names; the spans' readings, which ignore the header, last.
        score = (*_reading_score(rows, registry), -misfit if anchored else -math.inf)
        if best_score is None or score > best_score:
            best, best_score = rows, score
    return best


_WORD = re.compile(r"\S+")  # text split at every space


def _table_pages(pages: list[list[tuple[int, str]]], registry: Registry) -> list[list[tuple[int, str]]]:
    """The pages that hold the table: from the first with a table's header to the last with a header or a
    mark. A vision's text holds a cover, contents and prose before its table and prose after it, none of which
    is a row; the PDF reader leaves such pages out alike."""
    if len(pages) < 2:
        return pages
    held: list[int] = []
    for n, page in enumerate(pages):
        lines = [line for number, text in page if (line := _text_line(number, text, _narrow, _WORD)).tokens]
        if _header_bands(lines, registry) or (held and any(_is_data(line) for line in lines)):
            held.append(n)
    return pages[held[0] : held[-1] + 1] if held else pages


def _reading_score(rows: list[Row], registry: Registry) -> tuple[int, int, int]:
    """How well the layout reader reads rows: its project rows, then the fewer errors and warnings the better,
    then the more amounts and indicators read (a figure run into the next column's words is one lost)."""
    from renkei.ingest.errors import TableReadError
    from renkei.ingest.layout import LayoutReader
    from renkei.vision.model import Severity

    reader = LayoutReader(registry)
    try:
        vision = reader.read(rows)
    except TableReadError:
        return (-1, 0, 0)
    noisy = sum(1 for f in reader.findings if f.severity is not Severity.INFO)
    figures = sum(len(p.budgets) + len(p.kpis) for p in vision.projects)
    return (len(vision.projects) - noisy, -noisy, figures)


def _narrow(ch: str) -> int:
    return 1


def _wide(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _text_line(number: int, line: str, width: Callable[[str], int], runs: re.Pattern[str] = _RUN) -> Line:
    tokens = []
    position = 0
    at = 0
    for match in runs.finditer(line.replace("\t", "  ")):
        position += sum(width(ch) for ch in line[at : match.start()])
        length = sum(width(ch) for ch in match[0])
        tokens.append(Token(match[0], position, position + length))
        position += length
        at = match.end()
    return Line(tokens, Location(line=number))


# Positioned lines to rows ------------------------------------------------------------------------------------


def rows_from_lines(
    lines: Sequence[Line],
    registry: Registry,
    verticals: Sequence[float] = (),
    slack: float = 0,
    anchored: bool = False,
) -> tuple[list[Row], float]:
    """The rows of one page's positioned lines, and how many distinct column starts its table has (the lower,
    the better the columns line up: how the two ways of counting full-width characters are told apart).
    ``verticals`` are the x positions of a ruled table's vertical rules: its columns, where given.

    ``anchored`` (text laid out on a grid of characters): the town columns are where the header writes the
    towns' names, and the marks are placed under them in order. A program that lays a page out as text puts a
    character at the grid column nearest to where it was drawn, pushed right by the text before it on the line,
    so that the marks of one column may stand a column or two apart from line to line and never line up by
    themselves; the header's names, drawn one over the other, do. The second value is then how far the marked
    lines' pieces stand from the middles of their columns' headers, in columns (the lower, the better the way
    of counting full-width characters fits)."""
    lines = _without_furniture(list(lines))
    ruled = ruled_columns(verticals, lines) if len(set(verticals)) >= 3 else []
    bands = _header_bands(lines, registry)
    if not bands:
        return [_one_cell(line) for line in lines], 0
    rows: list[Row] = [_one_cell(line) for line in lines[: bands[0][0]]]
    spread = 0.0
    for n, (start, end) in enumerate(bands):
        stop = bands[n + 1][0] if n + 1 < len(bands) else len(lines)
        is_town = functools.partial(_names_town, registry=registry)
        header = [_words_apart(line, registry) for line in lines[start:end]]
        body = lines[end:stop]
        spread += len({round(t.x0) for line in body for t in line.tokens if _spans(line)})
        if anchored and not ruled:
            anchored_rows, misfit = _anchored_rows(header, body, is_town)
            rows += anchored_rows
            spread += misfit
            continue
        columns = ruled or _columns(header, body, slack, is_town)
        rows.append(_header_row(header, columns))
        rows += _body_rows(body, columns)
    return rows, spread


def _words_apart(line: Line, registry: Registry) -> Line:
    """A header line whose tokens hold headings set one narrow space apart (番号 事業名, or 岩美町 若桜町 智頭町
    over a column each, as a browser or a word processor sets a tight header; the count's heading may run on
    after the names) with each word a token of its own, where it stands: where every word of the token is a
    town's name or a column's heading. A token with any other word (事業 内容 の 説明, 鷹栖 町) stays whole; words
    that stand over one column are joined in it again (``_header_row``)."""
    if not any(len(t.words) > 1 for t in line.tokens):
        return line
    from renkei.ingest.layout import Column, classify_header

    def heading(text: str) -> bool:  # a town's name too
        return classify_header(text, registry) not in (Column.ATTRIBUTE, Column.EMPTY)

    tokens: list[Token] = []
    for token in line.tokens:
        apart = len(token.words) > 1 and all(heading(word.text) for word in token.words)
        tokens += token.words if apart else [token]
    return dataclasses.replace(line, tokens=tokens)


def _one_cell(line: Line) -> Row:
    where = line.location
    return Row((Cell(line.text, _cell_location(where, 1)),), where)


def _cell_location(where: Location, column: int) -> Location:
    return Location(line=where.line, column=column, page=where.page)


def _without_furniture(lines: list[Line]) -> list[Line]:
    """Drop the page number at the foot of a page (with what stands beside it, a running title)."""
    last = lines[-1] if lines else None
    # At most a running title beside the number: a table's last row also ends with a figure, its count.
    if last and len(last.tokens) <= 2 and not _is_data(last) and _PAGE_NUMBER.match(last.tokens[-1].text.strip()):
        lines = lines[:-1]
    if lines and lines[0].tokens and len(lines[0].tokens) == 1 and _PAGE_NUMBER.match(lines[0].text):
        lines = lines[1:]
    return lines


def _is_data(line: Line) -> bool:
    """A line with a mark of its own (a token that is a mark and nothing else)."""
    return any(t.text.strip() in _MARK_TOKENS for t in line.tokens)


def _header_words(line: Line, registry: Registry) -> int:
    """How many of a line's tokens name a header column (番号, 事業名, 事業内容, 連携町数 …, or a town)."""
    from renkei.ingest.layout import Column, classify_header

    kinds = [classify_header(t.text, registry) for t in _words_apart(line, registry).tokens]
    layout = sum(1 for k in kinds if k not in (Column.MUNICIPALITY, Column.ATTRIBUTE, Column.EMPTY))
    towns = sum(1 for k in kinds if k is Column.MUNICIPALITY)
    return layout + (towns if towns >= 2 else 0)


def _header_bands(lines: list[Line], registry: Registry) -> list[tuple[int, int]]:
    """Each header of the page as a range of lines: a line naming header columns, with the lines above and below
    it that hold only parts of the header (characters of names written top to bottom, the second line of
    連携市町 / 村数). A line that starts where the table's first column starts (a title, a heading) ends it."""
    bands: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _is_data(line) or not _names_header(lines, i, registry):
            i += 1
            continue
        left = line.tokens[0].x1

        # A rule or a blank line between two lines parts them: the header is one row of the table. The lines
        # below are taken first: a name wrapped in its cell (水戸 over 市) is told by the line under it.
        start, end = i, i + 1
        while end < len(lines) and _header_part(lines[end], left, registry) and not _parted(lines, end):
            end += 1
        floor = bands[-1][1] if bands else 0
        while (
            start - 1 >= floor
            and _header_part(lines[start - 1], left, registry, below=lines[start:end])
            and not _parted(lines, start)
        ):
            start -= 1
        bands.append((start, end))
        i = end
    return bands


def _names_header(lines: list[Line], i: int, registry: Registry) -> bool:
    """Whether a line names two header columns or more: by its own words, or, where the header's cells wrap over
    lines (番 over 号, 延岡 over 市, 連携市町 over 数), by its words read down their cells through the lines under
    it, up to the table's first data line (asked only of a line that names one column by itself)."""
    found = _header_words(lines[i], registry)
    if found != 1:
        return found >= 2
    below = list(itertools.takewhile(lambda line: not _is_data(line), lines[i + 1 : i + 4]))
    if not below:
        return False
    completed = Line([Token(_down(token, below), token.x0, token.x1) for token in lines[i].tokens], lines[i].location)
    return _header_words(completed, registry) >= 2


def _down(token: Token, below: Sequence[Line]) -> str:
    """A header token's text read down its cell: the words of the lines below that stand under it."""
    under = "".join(t.text.strip() for line in below for t in line.tokens if t.x0 < token.x1 and t.x1 > token.x0)
    return token.text.strip() + under


def _names_town(text: str, registry: Registry) -> bool:
    from renkei.ingest.layout import Column, classify_header

    return classify_header(text, registry) is Column.MUNICIPALITY


def _header_part(other: Line, left: float, registry: Registry | None = None, below: Sequence[Line] = ()) -> bool:
    """Whether a line beside a header's words holds only parts of the header: single characters (names written
    top to bottom), words that all stand right of the header's first word (the second line of 連携市町 / 村数),
    or, where header cells wrap over lines (ひた / ちな / か市 in a narrow column), fragments of two characters at
    most beside whole header words (番 | 事業名 | 水 | 笠 | ひた … over 号 | 事業内容 | 戸 | 間 | ちな …), or words
    that the header lines ``below`` them complete into a header word (水戸 over 市, 連携 over 市町村数)."""
    if _is_data(other) or any("、" in t.text or "。" in t.text for t in other.tokens):
        return False  # marks, or prose (a description centred around its row's middle line): the table's body
    from renkei.ingest.headings import names_sphere

    if names_sphere("".join(t.text for t in other.tokens)):
        return False  # the table's title right above its header (利根沼田地域定住自立圏共生ビジョン　連携事業)
    singles = all(len(t.text.strip()) == 1 for t in other.tokens)
    if singles or all(t.x0 >= left for t in other.tokens):
        return True
    if registry is None or len(other.tokens) < 2:
        return False
    from renkei.ingest.layout import Column, classify_header

    whole = (Column.ATTRIBUTE, Column.EMPTY)

    from renkei.ingest.figures import is_sub_label

    def heads(text: str) -> bool:  # a column's heading, a figure's among them (指標名, 基準値, 令和7年度)
        return classify_header(text, registry) not in whole or is_sub_label(text)

    def completed(token: Token) -> bool:  # 水戸 over 市, ひたちなか over 市: the cell's text read down its lines
        text = _down(token, below)
        return text != token.text.strip() and heads(text)

    return all(len(t.text.strip()) <= 2 or heads(t.text) or completed(t) for t in other.tokens)


def _parted(lines: list[Line], i: int) -> bool:
    """Whether a rule or a blank line of text stands between a line and the one above it."""
    if lines[i].ruled_above:
        return True
    above, below = lines[i - 1].location, lines[i].location
    if above.line is None or below.line is None or above.page != below.page:
        return False
    return below.line - above.line > 1 and below.page is None


def _spans(line: Line) -> bool:
    """Whether a body line tells where the columns are: more than one token, and not a totals row (its label
    often runs across the number and name columns) or a legend under the table (●：主体となる市町村　○：連携する
    市町村, written across the columns as a line of text)."""
    if len(line.tokens) < 2 or "計" in line.tokens[0].text:
        return False
    from renkei.ingest.headings import parse_legend

    return not any(c in line.tokens[0].text for c in "：:＝=") or not parse_legend(line.text)


def _columns(
    header: list[Line], body: list[Line], slack: float = 0, is_town: Callable[[str], bool] = lambda _: False
) -> list[tuple[float, float]]:
    """The table's columns as spans, left to right: those the body's tokens cover, merged where they overlap,
    then any header character or town name standing clear of them by more than ``slack`` (a town in whose
    column nobody has a mark on this page; in text laid out by a program, a character may stand one column
    off)."""
    spans = sorted((t.x0, _unhung(t)) for line in body if _spans(line) for t in line.tokens)
    merged: list[list[float]] = []
    for x0, x1 in spans:
        if merged and x0 < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    columns = [(a, b) for a, b in merged]
    for line in header:
        for t in line.tokens:
            # A word of the header over a column of left-aligned text is centred right of the text's start; a
            # character of a name written top to bottom, clear of every column, is a column of its own.
            own = len(t.text.strip()) == 1 or is_town(t.text)
            if own and not any(t.x0 < b + slack and a - slack < t.x1 for a, b in columns):
                columns.append((t.x0, t.x1))
                columns.sort()
    return columns


_HANGING = "、。，．,."


def _unhung(token: Token) -> float:
    """Where a token's text ends, less the punctuation that Japanese layout lets hang past the cell's edge
    (burasage): a description's last 、 must not join its column to the marks' next to it."""
    text = token.text.rstrip()
    hung = len(text) - len(text.rstrip(_HANGING))
    if not hung or hung == len(text):
        return token.x1
    return token.x1 - (token.x1 - token.x0) * hung / len(text)


def ruled_columns(verticals: Sequence[float], lines: Sequence[Line]) -> list[tuple[float, float]]:
    """The columns between a ruled table's vertical rules, those that hold text."""
    edges = sorted(set(verticals))
    spans = list(itertools.pairwise(edges))
    used = {i for line in lines if not line.outside for t in line.tokens if (i := _span_at(t.x0, spans)) is not None}
    return [span for i, span in enumerate(spans) if i in used]


def _span_at(x: float, spans: Sequence[tuple[float, float]]) -> int | None:
    return next((i for i, (a, b) in enumerate(spans) if a <= x < b), None)


def _column_of(token: Token, columns: list[tuple[float, float]], nearest: bool = False) -> int:
    """The column a token stands in: the first where it starts left of the first column's end (a heading or a
    totals label running across columns belongs to the first), else the one it overlaps most, else the nearest
    to its start."""
    if token.x0 < columns[0][1]:
        return 0
    best, overlap = -1, 0.0
    for i, (a, b) in enumerate(columns):
        shared = min(b, token.x1) - max(a, token.x0)
        if shared > overlap:
            best, overlap = i, shared
    if best >= 0:
        return best
    if nearest:
        # A header word clear of every column: the nearest (a word centred over left-aligned text, a character
        # one column off where a program laid the page out with a rounding).
        return min(range(len(columns)), key=lambda i: max(columns[i][0] - token.x1, token.x0 - columns[i][1]))
    # A figure clear of every column: right-aligned in the cell of the column on its left (a total under marks).
    return max((i for i, (a, _) in enumerate(columns) if a <= token.x0), default=0)


def _texts(line: Line, columns: list[tuple[float, float]], nearest: bool = False) -> list[str]:
    texts = [""] * len(columns)
    for token in line.tokens:
        i = _column_of(token, columns, nearest)
        texts[i] = f"{texts[i]} {token.text}" if texts[i] else token.text
    return texts


def _header_row(header: list[Line], columns: list[tuple[float, float]]) -> Row:
    """The lines of a header joined column by column, top to bottom, without a space: 鷹 / 栖 / 町 is 鷹栖町."""
    texts = [""] * len(columns)
    groups = _group_headings(header, columns)
    for n, line in enumerate(header):
        rest = [t for t in line.tokens if id(t) not in groups]
        placed = _texts(Line(rest, line.location), columns, nearest=True)
        if n == len(header) - 1:
            headed = {i for i, text in enumerate(texts) if text} | {i for g in groups.values() for i in g}
            placed = _spread(rest, columns, headed) or placed
        for i, text in enumerate(placed):
            texts[i] += text.strip()
        for token in line.tokens:
            for i in groups.get(id(token), ()):  # 事業費（千円） over R6 | R7 | R8 | 合計: each column's heading
                texts[i] += token.text.strip()
    return _row(texts, header[-1].location if len(header) == 1 else _first_words(header))


def _spread(tokens: list[Token], columns: list[tuple[float, float]], headed: set[int]) -> list[str] | None:
    """The lowest header line's words one to a column where a program's layout pushed them off their columns
    (基準値（R5） R6実績 目標値（R10） one space apart over 84.2 | 85.0 | 88.0): two figure headings land in one
    column while a column beside the run they stand in has no heading at all; the run's headings, as many as
    its columns with that one (every column between holding one), then take them one each, in order. None
    where no column needs it."""
    from renkei.ingest.figures import is_sub_label

    placed = [_column_of(t, columns, nearest=True) for t in tokens]
    moved = False
    for c in sorted(set(placed)):
        here = [k for k, p in enumerate(placed) if p == c]
        heading = all(is_sub_label(tokens[k].text) and not tokens[k].text.startswith(("(", "（")) for k in here)
        if len(here) < 2 or not heading:
            continue
        for step in (1, -1):  # the empty column to the right, else to the left
            e = c + step
            while 0 <= e < len(columns) and placed.count(e) == 1 and e not in headed:
                e += step
            if not 0 <= e < len(columns) or e in headed or e in placed:
                continue
            run = sorted(range(min(c, e), max(c, e) + 1))
            members = sorted(k for k, p in enumerate(placed) if p in run)
            if len(members) != len(run) or not all(is_sub_label(tokens[k].text) for k in members):
                continue
            for k, column in zip(members, run, strict=True):
                placed[k] = column
            moved = True
            break
    if not moved:
        return None
    texts = [""] * len(columns)
    for token, i in zip(tokens, placed, strict=True):
        texts[i] = f"{texts[i]} {token.text}" if texts[i] else token.text
    return texts


def _start_column(token: Token, columns: list[tuple[float, float]]) -> int:
    """The column a token starts in (-1 where it starts between columns)."""
    return next((i for i, (a, b) in enumerate(columns) if a <= token.x0 < b), -1)


def _group_headings(header: list[Line], columns: list[tuple[float, float]]) -> dict[int, list[int]]:
    """The headings of a header's upper lines that stand over a group of figure columns (事業費（千円） centred
    over 令和6年度 | 令和7年度 | 令和8年度 | 合計, 成果指標 over 指標名 | 単位 | 基準値 | 目標値), by token, with the
    columns each heads. A group is the widest run of columns, none under another word of the line, each labelled
    below by what stands under such a group (a year, 合計, a KPI part: ``figures.is_sub_label``), whose middle
    is the heading's middle within a twentieth of its width (a heading is centred over its group), or, for a
    heading aligned left over its first column, the run of such columns from there rightwards. Any other word
    heads the one column it stands over."""
    from renkei.ingest.figures import is_sub_label, may_hold_figures

    if len(header) < 2:
        return {}
    found: dict[int, list[int]] = {}
    for n, line in enumerate(header[:-1]):
        lower = [""] * len(columns)
        for later in header[n + 1 :]:
            for i, text in enumerate(_texts(later, columns, nearest=True)):
                lower[i] += text.strip()
        starts = {id(t): _start_column(t, columns) for t in line.tokens}
        stands = {id(t): {_column_of(t, columns, nearest=True), starts[id(t)]} for t in line.tokens}
        figured = [t for t in line.tokens if may_hold_figures(t.text)]
        for token in figured:  # centred over its group
            taken = {c for t in line.tokens if t is not token for c in stands[id(t)]}  # under another word
            k = _column_of(token, columns, nearest=True)
            middle = (token.x0 + token.x1) / 2
            best: list[int] = []
            for a in range(k, -1, -1):
                if a != k and (a in taken or not is_sub_label(lower[a])):
                    break
                for b in range(k, len(columns)):
                    if b != k and (b in taken or not is_sub_label(lower[b])):
                        break
                    if not all(is_sub_label(lower[i]) for i in range(a, b + 1)):
                        continue
                    width = columns[b][1] - columns[a][0]
                    off = abs((columns[a][0] + columns[b][1]) / 2 - middle)
                    if b > a and off <= width / 20 and b - a + 1 > len(best):
                        best = list(range(a, b + 1))
            if len(best) >= 2:
                found[id(token)] = best
        claimed = {c for group in found.values() for c in group}
        for token in figured:  # aligned left over its first column: the labelled run from there rightwards
            taken = {c for t in line.tokens if t is not token for c in stands[id(t)]}
            first = starts[id(token)]
            if (
                id(token) in found
                or first < 0
                or token.x0 > columns[first][0] + (columns[first][1] - columns[first][0]) / 3
            ):
                continue
            run = [first] if is_sub_label(lower[first]) and first not in claimed else []
            while run and run[-1] + 1 < len(columns):
                after = run[-1] + 1
                if after in taken or after in claimed or not is_sub_label(lower[after]):
                    break
                run.append(after)
            if len(run) >= 2:
                found[id(token)] = run
                claimed |= set(run)
    return found


def _first_words(header: list[Line]) -> Location:
    """Where a header of several lines is: the line with the most tokens (its words, not a name's top)."""
    return max(header, key=lambda line: len(line.tokens)).location


def _row(texts: list[str], where: Location) -> Row:
    cells = tuple(Cell(text, _cell_location(where, i)) for i, text in enumerate(texts, start=1))
    return Row(cells, where)


def _body_rows(
    body: list[Line], columns: list[tuple[float, float]], texts_of: Callable[[Line], list[str]] | None = None
) -> list[Row]:
    """Body lines to rows: a row starts at a line with text in the first column (or under a rule); a line that
    has no text there continues the row above, each cell's text joined to the cell above without a space (a
    wrapped Japanese text has none at the break)."""
    rows: list[Row] = []
    current: list[str] | None = None
    where: Location | None = None
    ruled = any(line.ruled_above for line in body)
    if not ruled and (centred := _centred_rows(body, columns, texts_of)) is not None:
        return centred
    for line in body:
        if line.outside:
            rows.append(_one_cell(line))
            current = None
            continue
        texts = texts_of(line) if texts_of else _texts(line, columns)
        # Unruled, a row starts with text in the first column, or with the totals label wherever it stands
        # (centred across the number, name and description columns).
        starts = line.ruled_above if ruled else bool(texts[0].strip()) or "計" in line.tokens[0].text
        single = len(line.tokens) == 1 and bool(texts[0].strip()) and (starts or not ruled)
        if current is not None and where is not None and not starts and not single:
            current = [_join(a, b) for a, b in zip(current, texts, strict=True)]
            rows[-1] = _row(current, where)
            continue
        if single:
            rows.append(_one_cell(line))
            current = None
            continue
        current, where = texts, line.location
        rows.append(_row(texts, where))
    return rows


def _centred_rows(
    body: list[Line], columns: list[tuple[float, float]], texts_of: Callable[[Line], list[str]] | None
) -> list[Row] | None:
    """The rows of a table whose cells are centred from top to bottom (Word's and Excel's way, kept by
    ``pdftotext -layout``): a project's marks stand on the middle line of its row, its number near it, its
    wrapped name and description on lines above as well as below. Told by lines of text above the first marked
    line under a heading (a top-aligned table has none: its rows start with their number and marks).

    Each marked line's row takes the lines above it up to the heading and the lines below it down to the next
    heading; the lines between two marked lines part where a sentence of the upper row ends (``_split``), else
    at their middle. A line that starts with a whole number and has no mark is that row's number, wherever it
    stands in the row. None where the table is not so laid out."""
    texts = [texts_of(line) if texts_of else _texts(line, columns) for line in body]
    kinds = [_centred_kind(line, cells) for line, cells in zip(body, texts, strict=True)]
    segments: list[list[int]] = [[]]  # the lines between two that stand alone (headings, notes, the totals)
    for i, kind in enumerate(kinds):
        if kind == "alone":
            segments.append([])
        else:
            segments[-1].append(i)
    marked = [seg for seg in segments if any(kinds[i] == "mark" for i in seg)]
    leading = [seg for seg in marked if _leads_in(seg, kinds, texts, body)]
    if not leading or 2 * len(leading) < len(marked):
        return None
    owner: dict[int, int] = {}  # a line → the marked line whose row it is part of
    for seg in marked:
        marks = [i for i in seg if kinds[i] == "mark"]
        owner |= {i: marks[0] for i in seg if i < marks[0]} | {i: marks[-1] for i in seg if i >= marks[-1]}
        for upper, lower in itertools.pairwise(marks):
            split = _split(texts, upper, lower)
            owner |= {i: upper for i in range(upper, split)} | {i: lower for i in range(split, lower)}
    rows: list[Row] = []
    cells_of: dict[int, list[str]] = {}
    place_of: dict[int, int] = {}
    for i, line in enumerate(body):
        anchor = owner.get(i)
        if anchor is None:  # a heading, a note, the totals, or text before the table's first heading
            rows.append(_one_cell(line) if len(line.tokens) == 1 or line.outside else _row(texts[i], line.location))
            continue
        if anchor not in cells_of:
            cells_of[anchor], place_of[anchor] = [""] * len(texts[i]), len(rows)
            rows.append(_row([], line.location))
        cells_of[anchor] = [_join(a, b) for a, b in zip(cells_of[anchor], texts[i], strict=True)]
        rows[place_of[anchor]] = _row(cells_of[anchor], body[anchor].location)
    return rows


def _leads_in(segment: list[int], kinds: list[str], texts: list[list[str]], body: list[Line]) -> bool:
    """Whether a segment's first marked line has a row's upper half above it: lines of text before it, one of
    them of two pieces or more or written right of the name (a description's). One word alone in the number or
    name column is no half row but a heading written there over top-aligned rows (【医療】)."""
    above = [i for i in itertools.takewhile(lambda i: kinds[i] != "mark", segment)]
    return any(len(body[i].tokens) > 1 or any(t.strip() for t in texts[i][2:]) for i in above)


def _split(texts: list[list[str]], upper: int, lower: int) -> int:
    """Where the lines between two marked lines part into the upper row's and the lower's: at a line that
    writes on in a column whose text above ended a sentence (。: the upper row's description is whole, so the
    line opens the lower's), the one nearest the middle; at the middle where none does (an odd line to the
    upper row)."""
    middle = upper + 1 + (lower - upper) // 2
    ends: list[int] = []
    written = list(texts[upper])
    for i in range(upper + 1, lower):
        if any(cell.strip() and written[c].rstrip().endswith("。") for c, cell in enumerate(texts[i])):
            ends.append(i)
        written = [_join(a, b) if b.strip() else a for a, b in zip(written, texts[i], strict=True)]
    return min(ends, key=lambda i: (abs(i - middle), i)) if ends else middle


def _centred_kind(line: Line, cells: list[str]) -> str:
    """How a line stands in a table whose cells are centred: "mark" (a row's marks), "alone" (a heading, a
    note, the totals: a row of its own) or "part" (a piece of a row's name, description or number)."""
    if _is_data(line):
        return "mark"
    first = cells[0].strip()
    if line.outside or "計" in line.tokens[0].text or (first and not first.isdigit()):
        return "alone"
    return "part"


_FIGURE = re.compile(r"^\s*[0-9０-９]+\s*$")


def _join(above: str, below: str) -> str:
    """A cell's text and its continuation on the next line. A figure under a figure is not one number wrapped
    (a count never wraps) but a second figure: renkei's own PDF prints the figure the document declared (in red)
    under the one computed from the marks where the two differ. The declared one is kept, as every reader keeps
    what a document declared; the checks compare it with the marks again."""
    if _FIGURE.match(above) and _FIGURE.match(below):
        return below
    return above + below


# Text laid out on a grid of characters ------------------------------------------------------------------------


def _anchored_rows(header: list[Line], body: list[Line], is_town: Callable[[str], bool]) -> tuple[list[Row], float]:
    """The rows of one header and the body under it, the columns anchored on the header.

    ``pdftotext -layout`` (and viewers that copy alike) puts each piece of text at a character column computed
    from the pieces left of it on the page, so that a column's cells start a few characters apart from line to
    line and the end of one column's text may pass the start of the next's: spans do not part the columns. What
    the grid keeps is the order of the pieces on a line. So the header's words, the parts of each written one
    over the other, give the columns in order (a header is laid out alike on every page); each line with a mark
    places its pieces on them in order, each nearest the middle of its column's header; and the other lines (a
    wrapped name or description, a heading, the totals) place theirs nearest to where the marked lines start
    that column's text. A mark goes to a town's column only; two pieces of text may share a column (a space in
    a cell), two marks or figures never do. Also returns how far the marked lines' pieces stand from the
    middles of their columns' headers, in columns."""
    spans = _overlapping(sorted((t.x0, t.x1) for line in header for t in line.tokens))
    head = _header_row(header, spans)
    towns = [is_town(cell.text) for cell in head.cells]
    middle = [(a + b) / 2 for a, b in spans]

    def to_header(token: Token, j: int) -> float:
        return abs((token.x0 + token.x1) / 2 - middle[j])

    starts: list[list[float]] = [[] for _ in spans]
    placed: dict[int, list[int]] = {}
    misfit = 0.0
    for line in body:
        if _is_data(line):
            placed[id(line)] = _place(line.tokens, to_header, towns)
            for token, j in zip(line.tokens, placed[id(line)], strict=True):
                starts[j].append(token.x0)
                misfit += to_header(token, j)
    pitch = (middle[-1] - middle[0]) / (len(middle) - 1) if len(middle) > 1 else 1.0
    ranges = [(min(s), max(s)) if s else (a, a) for s, (a, _) in zip(starts, spans, strict=True)]

    def to_starts(token: Token, j: int) -> float:
        low, high = ranges[j]
        return max(low - token.x0, token.x0 - high, 0.0)

    def texts_of(line: Line) -> list[str]:
        where = placed.get(id(line)) or _place(line.tokens, to_starts, towns)
        texts = [""] * len(spans)
        for token, j in zip(line.tokens, where, strict=True):
            texts[j] = f"{texts[j]} {token.text}" if texts[j] else token.text
        return texts

    return [head, *_body_rows(body, spans, texts_of)], misfit / (pitch or 1.0)


def _overlapping(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[list[float]] = []
    for x0, x1 in spans:
        if merged and x0 < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [(a, b) for a, b in merged]


def _is_text(token: Token) -> bool:
    text = token.text.strip()
    return text not in _MARK_TOKENS and not _FIGURE.match(text)


# What placing a figure under a town costs beyond its distance, in character columns: the count at the end of a
# line whose marks a layout program pushed right stays the count (a table marking with 1 still places its 1s
# under the towns, every other column being further off).
_FIGURE_UNDER_TOWN = 8.0


def _place(tokens: list[Token], cost: Callable[[Token, int], float], towns: list[bool]) -> list[int]:
    """The column of each of a line's tokens, in order, at the least total cost: a mark only under a town, a
    figure under a town at a cost, and two tokens in one column only when both are text."""
    n, k = len(tokens), len(towns)
    inf = float("inf")

    def own(i: int, j: int) -> float:
        text = tokens[i].text.strip()
        if text in _MARK_TOKENS and not towns[j]:
            return inf
        if towns[j] and _FIGURE.match(text):  # a figure (the count) under a town only where nothing else fits
            return cost(tokens[i], j) + _FIGURE_UNDER_TOWN
        return cost(tokens[i], j)

    # best[i][j]: the least cost of tokens i.. with token i in column j; after[i][j]: the least over columns > j.
    best = [[inf] * k for _ in range(n)]
    after = [[inf] * (k + 1) for _ in range(n + 1)]
    after[n] = [0.0] * (k + 1)
    for i in range(n - 1, -1, -1):
        shares = i + 1 < n and _is_text(tokens[i]) and _is_text(tokens[i + 1])
        for j in range(k - 1, -1, -1):
            rest = after[i + 1][j + 1] if i + 1 < n else 0.0
            if shares:
                rest = min(rest, best[i + 1][j])
            best[i][j] = own(i, j) + rest
            after[i][j] = min(after[i][j + 1], best[i][j])
    where: list[int] = []
    j = min(range(k), key=lambda c: best[0][c]) if n else 0
    for i in range(n):
        where.append(j)
        if i + 1 < n:
            options = [c for c in range(j + 1, k)]
            if _is_text(tokens[i]) and _is_text(tokens[i + 1]):
                options.insert(0, j)
            j = min(options, key=lambda c: best[i + 1][c]) if options else j
    return where
