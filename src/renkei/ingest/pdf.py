"""PDF: the project table read out of a document's text layer with pdfplumber (on pdfminer.six).

A vision is published as a long PDF: a cover, contents and prose first, then the project table over many
landscape pages with its header repeated on each. The characters of each page are gathered into lines (by their
vertical middle) and tokens (split where the gap between two characters is wider than about half a character),
and ``aligned.rows_from_lines`` makes the rows: the columns from the spans the tokens cover, the header's lines
joined (town names written one character per line), wrapped cells joined to their row. Where the table is ruled,
a horizontal rule above a line starts a row, so a cell merged down its rows (a field column) does not join them.

The pages holding the table are those from the first page with a header row to the last page with a header or a
mark; ``pages`` (``--pages 31-40``) restricts the search. Locations are a page, the line of that page's text
and the column of the table. A PDF without text (a scan) and one without a project table are read errors with
their own messages. pdfplumber is imported here only, when a PDF is read.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterable, Sequence
from typing import Any

from renkei.ingest import drawn
from renkei.ingest.aligned import Line, Token, fold_radicals, rows_from_lines
from renkei.ingest.errors import TableReadError
from renkei.ingest.grid import Row
from renkei.ingest.limits import DEFAULT, Limits, _Timeout, holds, refuse
from renkei.ingest.marks import SYMBOL_LETTERS, symbol_mark
from renkei.ingest.pdfguard import Budget, guard
from renkei.places.municipalities import Registry
from renkei.vision.model import Finding, Location, Severity

_MARKS = frozenset("○〇◯●◎")
_RANGE = re.compile(r"^\s*(\d+)\s*(?:[-–〜~]\s*(\d+)\s*)?$")


def page_numbers(pages: str | None, count: int) -> list[int]:
    """The pages a ``--pages`` option names (``31-40``, ``5``, ``1-3,7``), 1-based, checked against the count."""
    if not pages:
        return list(range(1, count + 1))
    chosen: list[int] = []
    for part in pages.split(","):
        match = _RANGE.match(part)
        if match is None:
            raise TableReadError("pdf-pages-invalid", pages=pages, count=count)
        first = int(match[1])
        last = int(match[2] or match[1])
        if not 1 <= first <= last <= count:
            raise TableReadError("pdf-pages-invalid", pages=pages, count=count)
        chosen += [n for n in range(first, last + 1) if n not in chosen]
    return chosen


def rows_from_pdf(
    data: bytes, pages: str | None, registry: Registry, limits: Limits = DEFAULT
) -> tuple[list[Row], list[Finding]]:
    """The rows of the project table of a PDF, and an info finding naming the pages it was read from. The
    reading runs under the limits' PDF bounds (``renkei.ingest.pdfguard``), checked while pdfminer reads."""
    try:
        import pdfplumber
    except ImportError:  # pragma: no cover - a runtime dependency; only a broken installation lacks it
        raise TableReadError("pdf-unsupported") from None
    # pdfminer logs a warning for every character of a font without a bounding box (LibreOffice writes such
    # fonts): noise on a user's terminal, not a finding.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    with guard(limits) as budget:
        try:
            lines, verticals, count, turned, drawn_on, symbols = _read_pages(pdfplumber, data, pages, limits, budget)
        except Exception as error:  # pdfminer and pdfplumber raise, and wrap, many kinds
            raise _refusal(error, budget) from None
        budget.check()  # a bound met inside a library that swallowed the exception
    if not any(lines.values()):
        raise TableReadError("pdf-no-text", pages=count)
    # Which pages hold the table is told by their text alone: a map's circles after the table extend it nowhere.
    plain = {n: drawn_on[n][1] if n in drawn_on else page for n, page in lines.items()}
    table = _table_pages(plain, registry)
    if not table:
        raise TableReadError("pdf-no-table", pages=count)
    rows: list[Row] = _title_before(lines, table[0])
    for n in table:
        rows += rows_from_lines(lines[n], registry, verticals[n])[0]
    finding = Finding(Severity.INFO, "pdf-pages", {"pages": _ranges(table), "count": count}, Location(page=table[0]))
    findings = [finding]
    said = [n for n in turned if n in table]
    if said:  # a page turned in a viewer and saved so: read as its text stands
        params: dict[str, object] = {"pages": _ranges(said)}
        findings.append(Finding(Severity.INFO, "pdf-pages-turned", params, Location(page=said[0])))
    by_mark: dict[str, list[Location]] = {}
    for n in table:
        for mark in drawn_on.get(n, ([], []))[0]:
            by_mark.setdefault(mark, []).append(Location(page=n))
    for (font, letter, mark), on in symbols.items():
        if on_table := [n for n in on if n in table]:
            params = {"written": letter, "font": font, "shown": mark, "cells": len(on_table)}
            findings.append(Finding(Severity.INFO, "symbol-font-mark", params, Location(page=on_table[0])))
    findings += drawn.said(by_mark)  # circles drawn as paths, read as the marks of the cells they stand in
    return rows, findings


def _read_pages(
    pdfplumber: Any, data: bytes, pages: str | None, limits: Limits, budget: Budget
) -> tuple[
    dict[int, list[Line]],
    dict[int, list[float]],
    int,
    list[int],
    dict[int, tuple[list[str], list[Line]]],
    dict[tuple[str, str, str], list[int]],
]:
    """Each chosen page's lines and vertical rules, how many pages were read, the pages read turned, the pages
    with marks drawn as circles (``drawn.pdf_marks``: the marks, and the page's lines without them), and the
    pages where each letter of a symbol font was read as the mark it draws (``_shown``). A
    page someone turned in a viewer and saved so, whose text runs down, up or leftwards as shown (``_turn``), is
    read again shown where its text reads left to right. The page count is checked while the page tree is
    walked, before any page is read."""
    from pdfminer.pdfpage import PDFPage

    with pdfplumber.open(io.BytesIO(data)) as document:
        for total, _ in enumerate(PDFPage.create_pages(document.doc), start=1):
            if total > limits.max_pages:
                raise budget.refuse("max_pages", f"> {limits.max_pages}", limits.max_pages)
        numbers = page_numbers(pages, len(document.pages))
        lines: dict[int, list[Line]] = {}
        verticals: dict[int, list[float]] = {}
        turned: list[int] = []
        drawn_on: dict[int, tuple[list[str], list[Line]]] = {}
        symbols: dict[tuple[str, str, str], list[int]] = {}
        for n in numbers:
            page = document.pages[n - 1]
            turn = _turn(page.chars)
            if turn:  # the same page object shown at another rotation, read afresh (pdfminer reads /Rotate)
                rotation = (int(page.rotation or 0) + turn) % 360
                page.close()
                page.page_obj.attrs["Rotate"] = page.page_obj.rotate = rotation
                page = pdfplumber.page.Page(document, page.page_obj, page_number=n, initial_doctop=page.initial_doctop)
                turned.append(n)
            chars = [_shown(c) for c in page.chars if c["text"] not in ("\n", "\r", "")]
            for c in chars:  # the letters of a symbol font read as the marks they draw, said once each
                if "symbol" in c:
                    symbols.setdefault((*c["symbol"], c["text"]), []).append(n)
            circles = drawn.pdf_marks(page.curves, page.chars, float(page.height)) if page.curves else []
            lines[n] = page_lines(page, n, chars, circles)
            if circles:
                drawn_on[n] = ([c["text"] for c in circles], page_lines(page, n, chars, (), circles))
            verticals[n] = vertical_rules(page, circles)
            budget.check()
            page.close()  # the page's objects, once its lines are taken: memory stays one page's
    return lines, verticals, len(numbers), turned, drawn_on, symbols


def _turn(chars: list[dict[str, Any]]) -> int:
    """The turn (90, 180 or 270 degrees clockwise) that makes most of a page's text read left to right, by the
    direction its characters run in as shown (their matrix: down, up or leftwards); 0 where it reads so already,
    or the page holds no text."""
    directions: dict[int, int] = {}
    for c in chars:
        if not c["text"].strip():
            continue
        a, b = c["matrix"][0], c["matrix"][1]
        turn = 0 if abs(a) >= abs(b) and a > 0 else 180 if abs(a) >= abs(b) else 270 if b < 0 else 90
        directions[turn] = directions.get(turn, 0) + 1
    if not directions:
        return 0
    most = max(directions, key=lambda t: directions[t])
    return most if 2 * directions[most] > sum(directions.values()) else 0


def _refusal(error: Exception, budget: Budget) -> TableReadError:
    """The read error a failed PDF reading ends in: the bound it met or the time limit, wherever a library
    wrapped it; otherwise "cannot be opened"."""
    if budget.refused is not None:
        return budget.refused
    if holds(error, _Timeout):
        seconds = budget.limits.max_seconds
        return refuse("max_seconds", f"> {seconds:g}", seconds)
    if isinstance(error, TableReadError):
        return error
    if holds(error, MemoryError):
        memory = budget.limits.max_memory // 2**20
        return refuse("max_memory", f"> {memory} MB", f"{memory} MB")
    return TableReadError("pdf-unreadable", reason=f"{type(error).__name__}: {error}")


def _title_before(lines: dict[int, list[Line]], first: int) -> list[Row]:
    """The title a vision prints on a page before its table (its cover: 瀬戸内中讃定住自立圏共生ビジョン), as a row
    of its own, where the table's first page names no sphere: the first short line naming one, not a sentence."""
    from renkei.ingest.aligned import _one_cell
    from renkei.ingest.headings import names_sphere

    if any(names_sphere(line.text.strip()) for line in lines[first]):
        return []
    earlier = (line for n in sorted(lines) if n < first for line in lines[n])
    title = next((line for line in earlier if names_sphere(line.text.strip())), None)
    return [_one_cell(title)] if title is not None else []


def _table_pages(lines: dict[int, list[Line]], registry: Registry) -> list[int]:
    """The pages from the first with a header row to the last with a header row or a mark."""
    from renkei.ingest.aligned import _header_bands, _is_data

    numbers = sorted(lines)
    headed = [n for n in numbers if _header_bands(lines[n], registry)]
    if not headed:
        return []
    marked = [n for n in numbers if n >= headed[0] and any(_is_data(line) for line in lines[n])]
    last = max(headed[-1], *marked) if marked else headed[-1]
    return [n for n in numbers if headed[0] <= n <= last]


def _ranges(numbers: Sequence[int]) -> str:
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)


def page_lines(
    page: Any,
    number: int,
    shown: Sequence[dict[str, Any]],
    drawn_marks: Sequence[dict[str, Any]] = (),
    circles: Sequence[dict[str, Any]] = (),
) -> list[Line]:
    """A page's characters as shown (``_shown``; and the marks it draws as circles, as characters) as lines of
    tokens, top to bottom, each marked where a horizontal rule stands above it. The edges of the circles drawn as
    marks (``drawn_marks``, or ``circles`` where they are left out) are no rules."""
    chars = [*shown, *drawn_marks]
    edges = _edges(page, [*drawn_marks, *circles])
    rules = [e for e in edges if _horizontal(e)]
    sides = [e for e in edges if _vertical(e) and e["height"] > 4]
    lines: list[Line] = []
    groups: list[list[dict[str, Any]]] = []
    bottom_before = None
    for index, group in enumerate(_line_groups(chars), start=1):
        middle = sum(c["top"] + c["bottom"] for c in group) / (2 * len(group))
        cuts = sorted(e["x0"] for e in sides if e["top"] <= middle <= e["bottom"])
        tokens = _tokens(group, cuts)
        if not tokens:
            continue
        groups.append(group)
        top = min(c["top"] for c in group)
        right = (tokens[-1].x0 + tokens[-1].x1) / 2
        ruled = bottom_before is not None and any(
            bottom_before - 1 <= e["top"] <= top + 1 and e["x0"] <= right <= e["x1"] for e in rules
        )
        lines.append(Line(tokens, Location(line=index, page=number), ruled))
        bottom_before = max(c["bottom"] for c in group)
    if lines and rules:
        first_top = min(c["top"] for c in chars)
        lines[0].ruled_above = any(e["top"] <= first_top + 1 for e in rules)
        highest, lowest = min(e["top"] for e in rules), max(e["top"] for e in rules)
        for line, group in zip(lines, groups, strict=True):
            line.outside = max(c["bottom"] for c in group) < highest or min(c["top"] for c in group) > lowest
    return lines


# A PDF font's name as a document's symbol font (a subset's prefix and a style after it: ABCDEF+Wingdings-Regular);
# LibreOffice prints Wingdings in OpenSymbol, keeping Wingdings' codes.
_SYMBOL_FONT = re.compile(r"(?:^|\+)(?P<name>wingdings\s*-?\s*2|wingdings|webdings|opensymbol)", re.I)


def symbol_font(fontname: str) -> str | None:
    """The symbol font (as ``marks.SYMBOL_FONTS`` names it) a PDF's font is, or None."""
    found = _SYMBOL_FONT.search(fontname or "")
    if found is None:
        return None
    name = re.sub(r"[\s-]+", "", found["name"].lower())
    return {"wingdings2": "Wingdings 2", "webdings": "Webdings"}.get(name, "Wingdings")


def _shown(char: dict[str, Any]) -> dict[str, Any]:
    """A character as the page shows it: a letter of a symbol font (Word's Wingdings ● is l, or U+F06C where the
    font keeps its codes in the private area) is the mark drawn; any other character itself."""
    text = char["text"]
    if len(text) != 1 or not (text in SYMBOL_LETTERS or 0xF020 <= ord(text) <= 0xF0FF):
        return char
    font = symbol_font(char.get("fontname", ""))
    letter = chr(ord(text) - 0xF000) if ord(text) >= 0xF000 else text
    mark = symbol_mark(font, letter) if font is not None else None
    return char if mark is None else {**char, "text": mark, "symbol": (font, letter)}


def vertical_rules(page: Any, circles: Sequence[dict[str, Any]] = ()) -> list[float]:
    """The x positions of a page's vertical rules (lines, and the sides of rectangles drawn as cell borders),
    rounded to half a point so that the two sides of a thin border count once; not the circles drawn as marks."""
    return sorted({round(e["x0"] * 2) / 2 for e in _edges(page, circles) if _vertical(e) and e["height"] > 4})


_BAND = 20.0  # points: the width of the bands of a page the circles drawn as marks are filed under


def _edges(page: Any, circles: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The page's edges, but those of the circles it draws as marks (pdfplumber parts every curve into edges)."""
    if not circles:
        return list(page.edges)
    # Each circle filed under the band of the page its left side stands in: an edge inside one starts at most the
    # widest circle read as a mark right of it, so a few bands hold every candidate.
    by_band: dict[int, list[dict[str, Any]]] = {}
    for c in circles:
        by_band.setdefault(int(c["x0"] // _BAND), []).append(c)

    def inside(e: dict[str, Any]) -> bool:
        bands = range(int((e["x0"] - drawn.WIDEST_CIRCLE - 0.5) // _BAND), int((e["x0"] + 0.5) // _BAND) + 1)
        near = (c for b in bands for c in by_band.get(b, ()))
        return any(
            c["x0"] - 0.5 <= e["x0"] and e["x1"] <= c["x1"] + 0.5 and c["top"] - 0.5 <= e["top"]
            and e["bottom"] <= c["bottom"] + 0.5
            for c in near
        )  # fmt: skip

    return [e for e in page.edges if e.get("object_type") != "curve_edge" or not inside(e)]


# A rule's direction from its geometry, not pdfplumber's ``orientation``: on a page turned by /Rotate, that key
# names most horizontal rules vertical, and the rows of a landscape table would run together.
def _horizontal(edge: dict[str, Any]) -> bool:
    return bool(abs(edge["bottom"] - edge["top"]) < 1 and edge["x1"] - edge["x0"] >= 1)


def _vertical(edge: dict[str, Any]) -> bool:
    return bool(abs(edge["x1"] - edge["x0"]) < 1 and edge["bottom"] - edge["top"] >= 1)


def _line_groups(chars: Iterable[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Characters gathered into lines by their baseline: a character joins the line whose baseline is within
    about a third of its size (characters of a name written top to bottom stay on lines of their own). The
    baseline, not the box: a glyph of a fallback font (an emoji, a rare kanji) has a box of another height."""
    groups: list[list[dict[str, Any]]] = []
    baselines: list[float] = []
    for c in sorted(chars, key=_baseline):
        baseline = _baseline(c)
        size = c["size"] or 1.0
        if baselines and abs(baseline - baselines[-1]) <= 0.35 * size:
            groups[-1].append(c)
        else:
            groups.append([c])
            baselines.append(baseline)
    return [sorted(g, key=lambda c: c["x0"]) for g in groups]


def _baseline(c: dict[str, Any]) -> float:
    """How far down the page a character's baseline stands (the text matrix's f, from the page's top)."""
    matrix = c.get("matrix")
    return -float(matrix[5]) if matrix else float(c["bottom"])


# Word and LibreOffice set a quarter of an em between Latin letters or digits and Japanese (autospace, 和欧間隔)
# without a space character: ICTインフラ is drawn ICT インフラ. Only a wider gap there is a space.
_AUTOSPACE = 0.3


def _space_gap(before: str, after: str) -> float:
    """The gap, in the font's size, above which two characters have a space between them: wider between a Latin
    letter or digit and a Japanese character (in either order), where word processors set one of their own."""
    latin = before.isascii() and before.isalnum(), after.isascii() and after.isalnum()
    japanese = not before.isascii(), not after.isascii()
    return _AUTOSPACE if (latin[0] and japanese[1]) or (japanese[0] and latin[1]) else 0.15


def _tokens(chars: list[dict[str, Any]], cuts: Sequence[float] = ()) -> list[Token]:
    """A line's characters split into tokens where the gap is wider than about half a character, or where a
    vertical rule crossing the line stands between two characters (a number right-aligned against the name in
    the next cell); a narrower gap without a space character of its own reads as a space. A space hanging past
    the rule at the end of a wrapped line stays with the text before it."""
    tokens: list[Token] = []
    text: list[str] = []
    words: list[Token] = []  # the token's words a space parted, before the one being read
    word: list[str] = []  # the word being read, and where it starts and ends
    x0 = x1 = word_x0 = word_x1 = 0.0
    solid = 0.0  # the middle of the last character that is not a space

    def part() -> None:
        if word:
            words.append(Token("".join(word), word_x0, word_x1))
            word.clear()

    def close() -> None:
        part()
        tokens.append(Token("".join(text), x0, x1, tuple(words) if len(words) > 1 else ()))

    for c in chars:
        size = c["size"] or 1.0
        gap = c["x0"] - x1
        middle = (c["x0"] + c["x1"]) / 2
        ruled = bool(c["text"].strip()) and any(solid < cut < middle for cut in cuts)
        # A mark is a cell of its own wherever a space stands beside it, even a narrow one.
        marked = gap > 0.15 * size and (c["text"] in _MARKS or (bool(text) and text[-1] in _MARKS))
        if text and (gap > 0.45 * size or ruled or marked):
            close()
            text, words = [], []
        if not text:
            if not c["text"].strip():
                continue  # a token does not start with a space
            x0 = c["x0"]
        elif text[-1].strip() and c["text"].strip() and gap > _space_gap(text[-1], c["text"]) * size:
            text.append(" ")
            part()
        text.append(c["text"])
        x1 = max(x1, c["x1"]) if text[:-1] else c["x1"]
        if c["text"].strip():
            solid = middle
            if not word:
                word_x0 = c["x0"]
            word.append(c["text"])
            word_x1 = c["x1"]
        else:  # a space character of its own parts words too
            part()
    if text:
        close()
    return [
        Token(fold_radicals(t.text), t.x0, t.x1, tuple(Token(fold_radicals(w.text), w.x0, w.x1) for w in t.words))
        for t in tokens
        if t.text.strip()
    ]
