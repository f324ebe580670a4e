"""Columns told by what they hold (``layout_header.py``): structure before vocabulary.

A header's words classify most columns (``classify_header``), but secretariats head their name column in many
ways (取組名, 事業の名称, 主な取組, 連携する取組, or nothing at all). Where no cell of a header names the name
column, the rows under the header decide: the name column is the text column whose cells are short, distinct
titles; a description column holds sentences; a number column holds numbers. Known words stay hints: a column
they name is never re-read. When no column holds names, the reading says so as an error naming the candidate
columns (``name-column-missing``) rather than giving projects without names; ``--name-column`` (a column's
position or its header) chooses one.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass

from renkei.ingest import marks, participants
from renkei.ingest.grid import Cell, Row
from renkei.ingest.headings import parse_headings
from renkei.ingest.layout_blocks import _NUMBER, _TAKING_PART, _TOTALS, Column, LayoutState, _is_number, key
from renkei.ingest.understood import BY_CHOICE, BY_CONTENT
from renkei.vision.model import Severity

_SAMPLE_ROWS = 80  # rows under a header looked at to tell what its columns hold
_TITLE_LENGTH = 40  # a name longer than this (in characters, median) is a sentence
_SENTENCE_END = re.compile(r"[。．.]$|(する|します|ます|です|こと|図る|行う)[。．.]?$")
_BLANKS = frozenset({"", "-", "－", "―", "ー", "×"})


@dataclass(frozen=True)
class _Content:
    """What the cells of one column under a header hold."""

    filled: float  # share of the rows with text in this column
    numbers: bool  # every filled cell a bare number
    marks: bool  # every filled cell a mark or a blank spelling
    titles: bool  # short, distinct texts: names
    sentences: bool  # long texts or sentences: descriptions
    named_rows: int  # rows whose cell holds text beyond a leading number


def column_label(position: int, header: str) -> str:
    """How a finding names a column: its position from 1 and its header as written (「」 when it has none)."""
    return f"{position}:「{header.strip()}」"


def _content(texts: list[str]) -> _Content:
    filled = [t for t in texts if key(t) not in _BLANKS]
    if not filled:
        return _Content(0.0, False, False, False, False, 0)
    rests = []
    for text in filled:
        match = _NUMBER.match(text)
        rests.append(match["rest"].strip() if match else text.strip())
    named = [r for r in rests if r]
    lengths = [len(r) for r in named] or [0]
    ends = sum(1 for r in named if _SENTENCE_END.search(r))
    long_or_sentence = statistics.median(lengths) > _TITLE_LENGTH or ends * 2 > len(named)
    distinct = len({key(r) for r in named}) >= 0.8 * len(named) if named else False
    return _Content(
        filled=len(filled) / len(texts),
        numbers=all(_is_number(t) for t in filled),
        marks=all(t.strip() in _TAKING_PART or marks.takes_part(t) for t in filled),
        titles=bool(named) and distinct and not long_or_sentence,
        sentences=bool(named) and long_or_sentence,
        named_rows=len(named),
    )


def _marked(cell: Cell | None) -> bool:
    return cell is not None and (cell.text.strip() in _TAKING_PART or marks.takes_part(cell.text))


def _body(rows: list[Row]) -> list[Row]:
    """The project-like rows under a header: several filled cells, not a totals row, up to the next header
    (a row that repeats a cell of the header's is one)."""
    body: list[Row] = []
    for row in rows:
        if len(body) >= _SAMPLE_ROWS:
            break
        if len(row.filled) < 3:
            continue
        if _TOTALS.fullmatch(key(row.filled[0].text)):
            break
        body.append(row)
    return body


class ColumnChoice:
    """The columns a header's words leave open, decided by what the rows under it hold."""

    def __init__(
        self,
        header: Row,
        kinds: list[Column],
        rows: list[Row],
        stem_of: Callable[[str], bool] = lambda _: False,
        regroup: bool = True,
        names_a_town: Callable[[str], bool] = lambda _: False,
        headed: tuple[bool, bool] = (False, False),
    ) -> None:
        self.header = header
        self._headed = headed  # whether a pillar and a field heading line stand over this header already
        self._names_a_town = names_a_town  # whether a text is a municipality's name (full, or without 市 町 村)
        self._regroup = regroup  # not in renkei's own exports: their name column is the names' whatever they repeat
        self._stem_of = stem_of  # whether a header text is a municipality's name without its 市, 町 or 村
        self.kinds = list(kinds)
        self._rows = rows
        self._body: list[Row] | None = None
        self._contents: dict[int, _Content] = {}  # told lazily: most headers name every column they need
        self.inferred: list[tuple[Column, int]] = []  # (what, column) decided by content
        self.chosen_at: int | None = None  # the column a person chose as the names'
        self.regrouped: tuple[int, int] | None = None  # (the words' name column found to group, the names')

    def how(self) -> dict[int, str]:
        """How each column decided here was decided: by the cells' content, or by the person's choice."""
        decided = {i: BY_CONTENT for _, i in self.inferred}
        if self.chosen_at is not None:
            decided[self.chosen_at] = BY_CHOICE
        return decided

    @property
    def body(self) -> list[Row]:
        if self._body is None:
            self._body = _body(self._rows)
        return self._body

    @property
    def has_rows(self) -> bool:
        return bool(self.body)

    def content(self, i: int) -> _Content:
        found = self._contents.get(i)
        if found is None:
            found = self._contents[i] = _content([c.text if (c := r.cell(i)) else "" for r in self.body])
        return found

    def header_text(self, i: int) -> str:
        cell = self.header.cell(i)
        return cell.text.strip() if cell is not None else ""

    def _open(self, i: int) -> bool:
        """A column the header's words did not claim: an attribute or an empty header cell (never hidden)."""
        cell = self.header.cell(i)
        return self.kinds[i] in (Column.ATTRIBUTE, Column.EMPTY) and not (cell is not None and cell.hidden)

    def _stop(self) -> int:
        """Names and descriptions stand left of the marks and counts."""
        stops = [i for i, k in enumerate(self.kinds) if k in (Column.MUNICIPALITY, Column.COUNT, Column.PARTICIPANTS)]
        return min(stops, default=len(self.kinds))

    def choose(self, chosen: str | None) -> bool | None:
        """Apply a person's choice of the name column: True when it names a column of this header, False when
        it names none, None when there is no choice."""
        if not chosen:
            return None
        wanted = key(chosen)
        at = int(wanted) - 1 if wanted.isdigit() else None
        index = next(
            (i for i in range(len(self.kinds)) if i == at or (at is None and key(self.header_text(i)) == wanted)),
            None,
        )
        if index is None or index >= len(self.kinds):
            return False
        self.kinds = [Column.ATTRIBUTE if k is Column.NAME else k for k in self.kinds]
        self.kinds[index] = Column.NAME
        self.chosen_at = index
        return True

    def infer(self) -> None:
        """Number, name, description and count columns the header's words did not name, from the rows' cells."""
        if not self.has_rows:
            return
        self._infer_headings()
        self._infer_grouping()
        self._infer_participants()
        self._infer_towns()
        needs_count = Column.COUNT not in self.kinds and Column.MUNICIPALITY in self.kinds
        if Column.NAME in self.kinds and not needs_count:
            return
        self._infer_count()
        if Column.NAME in self.kinds:
            return
        stop = self._stop()
        open_columns = [i for i in range(stop) if self._open(i) and self.content(i).filled > 0]
        if Column.NUMBER not in self.kinds:
            numbers = next((i for i in open_columns if self.content(i).numbers), None)
            if numbers is not None and self.kinds[numbers] is Column.ATTRIBUTE:
                self._set(numbers, Column.NUMBER)
        titles = [i for i in open_columns if self.content(i).titles and self.kinds[i] is not Column.NUMBER]
        if titles:
            self._set(titles[0], Column.NAME)
        if Column.DESCRIPTION not in self.kinds:
            sentences = [i for i in open_columns if self.content(i).sentences and self.kinds[i] is not Column.NAME]
            if sentences:
                self._set(sentences[0], Column.DESCRIPTION)

    def _infer_headings(self) -> None:
        """A column headed in other words (施策, 区分) whose every cell is a pillar heading (1. 生活機能の強化), or
        every one a field heading (ア 医療), each standing over several projects (written again or merged down),
        gives the rows their headings: it is the pillar's or the field's column. Not where the table states that
        level's headings on lines of their own, over the header or between its rows (ア 医療 over its projects):
        a column of such words beside them is the document's own (an attribute), not the headings again; nor
        where the header's words name that level's column already."""
        lines: list[tuple[object, object]] | None = None  # the heading lines under the header, read once if asked

        def given(level: int, column: Column) -> bool:
            """Whether the table gives that level's headings already: over the header, in a column its words
            name (施策 over 1. 生活機能の強化 is that column), or on lines between its rows."""
            nonlocal lines
            if self._headed[level] or column in self.kinds:
                return True
            if lines is None:
                rows = self._rows[:_SAMPLE_ROWS]
                lines = [parse_headings(r.filled[0].text) for r in rows if 1 <= len(r.filled) <= 2]
            return any(found[level] is not None for found in lines)

        for i in range(self._stop()):
            if self.kinds[i] is not Column.ATTRIBUTE or not self._open(i):
                continue
            texts = [t for r in self.body if (c := r.cell(i)) is not None and (t := c.text.strip())]
            if len(texts) < 2 or len(set(texts)) == len(texts):
                continue
            parsed = [parse_headings(t) for t in texts]
            if all(pillar is not None and field is None for pillar, field in parsed):
                if not given(0, Column.PILLAR):
                    self._set(i, Column.PILLAR)
            elif all(pillar is None and field is not None for pillar, field in parsed) and not given(1, Column.FIELD):
                self._set(i, Column.FIELD)

    def _infer_grouping(self) -> None:
        """A column the header's words make the names' (取組項目) whose cells repeat over several projects (merged
        down or written again: fewer than four in five of them distinct, where names are distinct) while another
        open column left of the marks holds short, distinct titles: the repeating column groups the projects
        (their field; a heading column left of it is then their pillar) and the other names them."""
        named = [i for i, k in enumerate(self.kinds) if k is Column.NAME]
        if len(named) != 1 or self.chosen_at is not None or not self._regroup:
            return
        at = named[0]
        texts = [t for r in self.body if (c := r.cell(at)) is not None and (t := key(c.text))]
        # Groups, two at least, each in one run down the rows (a group's projects stand together).
        runs = [t for n, t in enumerate(texts) if n == 0 or texts[n - 1] != t]
        if len(texts) < 3 or len(set(texts)) >= 0.8 * len(texts) or len(set(texts)) < 2 or len(runs) != len(set(runs)):
            return
        titles = (
            i
            for i in range(self._stop())
            if i != at
            and self._open(i)
            and (content := self.content(i)).titles
            and content.filled >= 0.8
            and not content.numbers
        )
        other = next(titles, None)
        if other is None:
            return
        if Column.PILLAR not in self.kinds:
            for i in range(at):
                if self.kinds[i] is Column.FIELD:
                    self._set(i, Column.PILLAR)
        self._set(at, Column.FIELD)
        self._set(other, Column.NAME)
        self.regrouped = (at, other)

    def _infer_participants(self) -> None:
        """In a table with no column of a town and none of participants, the column whose cells list the towns
        that take part (鳥取市、岩美町 / 全市町), under a header the words read otherwise (実施主体, or 取組市町 taken
        for a town's name that is none), is the participants' column: most of its filled cells, two at least,
        are names of municipalities or every member's words, and one names two or more."""
        names = self._names_a_town
        towns = [i for i, k in enumerate(self.kinds) if k is Column.MUNICIPALITY and names(self.header_text(i))]
        if towns or Column.PARTICIPANTS in self.kinds or not self.has_rows:
            return
        for i, kind in enumerate(self.kinds):
            if kind not in (Column.ATTRIBUTE, Column.MUNICIPALITY) or not (
                kind is Column.MUNICIPALITY or self._open(i)
            ):
                continue
            texts = [t for r in self.body if (c := r.cell(i)) is not None and (t := c.text.strip())]
            named = [participants.parse_named(t) for t in texts]
            lists = [n for n in named if n.every or (n.names and all(names(x) for x in n.names))]
            if len(texts) >= 2 and 2 * len(lists) > len(texts) and any(n.every or len(n.names) >= 2 for n in lists):
                self._set(i, Column.PARTICIPANTS)
                return

    def _infer_towns(self) -> None:
        """A column that holds only marks, under a municipality's name written without its 市, 町 or 村 (大仙), is
        that municipality's column (a column of marks under any other word, 新規 or 重点, stays the document's)."""
        for i, kind in enumerate(self.kinds):
            if kind is not Column.ATTRIBUTE or not self._open(i) or not self._stem_of(self.header_text(i)):
                continue
            content = self.content(i)
            if content.filled > 0 and content.marks:
                self._set(i, Column.MUNICIPALITY)

    def _infer_count(self) -> None:
        """A column of numbers right of the towns that agree with each row's marks (or with one more, where the
        central city is counted) is the count, whatever its header says (参加数, 団体数)."""
        towns = [i for i, k in enumerate(self.kinds) if k is Column.MUNICIPALITY]
        if not towns or Column.COUNT in self.kinds:
            return
        for i in range(towns[-1] + 1, len(self.kinds)):
            if not (self._open(i) and self.content(i).numbers and self.content(i).filled >= 0.5):
                continue
            pairs = [(key(c.text), sum(1 for j in towns if _marked(r.cell(j)))) for r in self.body if (c := r.cell(i))]
            figures = [(int(t), n) for t, n in pairs if t.isdigit()]
            agreeing = sum(1 for figure, marked in figures if figure in (marked, marked + 1))
            if figures and agreeing >= 0.8 * len(figures):
                self._set(i, Column.COUNT)
                return

    def _set(self, i: int, kind: Column) -> None:
        self.kinds[i] = kind
        self.inferred.append((kind, i))

    def names_missing(self) -> bool:
        """Whether projects under this header would have no names: no name column, and no text beside the
        numbers of the columns read as a project's identity."""
        if Column.NAME in self.kinds or not self.has_rows:
            return False
        stops = [i for i, k in enumerate(self.kinds) if k in (Column.DESCRIPTION, Column.MUNICIPALITY)]
        end = min(stops, default=len(self.kinds))
        identity = [i for i in range(end) if self.kinds[i] in (Column.NUMBER, Column.EMPTY)]
        return not any(self.content(i).named_rows for i in identity)

    def candidates(self) -> str:
        """The columns a person may choose as the name column: those with text that is not a number or a mark."""
        found = [
            column_label(i + 1, self.header_text(i))
            for i in range(len(self.kinds))
            if self.kinds[i] not in (Column.MUNICIPALITY, Column.COUNT)
            and (content := self.content(i)).filled
            and not content.numbers
            and not content.marks
        ]
        return "、".join(found) or "—"


def report_choice(state: LayoutState, choice: ColumnChoice, chosen: str | None, applied: bool | None) -> None:
    """The findings of a header's column choice: what the content decided (info, once per column), a choice
    that names no column, and a table whose names cannot be found (errors)."""
    where = choice.header.location
    if applied is False:
        state.once(Severity.ERROR, "name-column-unknown", where, chosen=chosen, candidates=choice.candidates())
    if choice.regrouped is not None:
        grouping, names = choice.regrouped
        cell = choice.header.cell(names)
        state.once(
            Severity.INFO,
            "name-column-regrouped",
            cell.location if cell else where,
            grouping=column_label(grouping + 1, choice.header_text(grouping)),
            column=column_label(names + 1, choice.header_text(names)),
        )
    for kind, i in choice.inferred:
        cell = choice.header.cell(i)
        at, column = cell.location if cell else where, column_label(i + 1, choice.header_text(i))
        if choice.regrouped is not None and i in choice.regrouped and kind in (Column.NAME, Column.FIELD):
            continue  # said above, together
        if kind is Column.NAME:
            state.once(Severity.INFO, "name-column-inferred", at, column=column)
        elif kind is Column.DESCRIPTION:
            state.once(Severity.INFO, "description-column-inferred", at, column=column)
        elif kind is Column.COUNT:
            state.once(Severity.INFO, "count-column-inferred", at, column=column)
        elif kind in (Column.PILLAR, Column.FIELD):
            state.once(Severity.INFO, "heading-column-inferred", at, column=column)
        elif kind is Column.MUNICIPALITY:
            pass  # each such town is said as its name is read (``municipality-stem``)
        elif kind is Column.PARTICIPANTS:
            state.once(Severity.INFO, "participants-column-inferred", at, column=column)
        else:
            state.once(Severity.INFO, "number-column-inferred", at, column=column)
    if choice.names_missing():
        state.once(Severity.ERROR, "name-column-missing", where, candidates=choice.candidates())


def group_labels(upper: Row, kinds: list[Column], lower: list[Column], resolves: Callable[[str], bool]) -> list[Column]:
    """The upper row of a two-row header: a cell over municipality columns of the row below (merged across
    them, or standing over the first) that is not itself a municipality is the label of their group (中心市,
    連携町村, 周辺の町, 参加団体, a prefecture ... in any wording), never a town. A municipality written over an
    empty cell below (旭川市 merged down two rows) stays a town."""
    found = list(kinds)
    filled = [i for i, c in enumerate(upper.cells) if c.text.strip()]
    for n, i in enumerate(filled):
        end = filled[n + 1] if n + 1 < len(filled) else max(len(lower), len(kinds))
        over_towns = any(j < len(lower) and lower[j] is Column.MUNICIPALITY for j in range(i, end))
        if not over_towns or kinds[i] not in (Column.MUNICIPALITY, Column.ATTRIBUTE, Column.PARTICIPANTS):
            continue
        text = upper.cells[i].text
        below_empty = i >= len(lower) or lower[i] is Column.EMPTY
        if kinds[i] is Column.MUNICIPALITY and (below_empty or resolves(text)) and end - i == 1:
            continue
        found[i] = Column.GROUP
    return found
