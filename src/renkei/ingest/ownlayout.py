"""renkei's own official layout read fast: the layout reader with a direct path for the rows it wrote itself.

A national import reads thousands of files that renkei wrote (``render/official.py``: a metadata row, heading
lines, a header row per block, one row per project with ○ or ◎ under each municipality, the 連携事業数計 row).
The general reader (``layout.LayoutReader``) tells every line's kind by trying each reading in turn and reads
a project row cell by cell through its stages, about 9 ms a file. ``OwnLayoutReader`` is that reader, with one
difference: a line that is certainly a plain project row of a plain block is read directly, as the row stage
would read it. Every other line (title, metadata, legend, headings, headers, totals, anything unusual) goes
through the general reader's own dispatch, so headers, municipalities, headings and their findings are the
general reader's by construction.

A plain block is one whose header the header stage read as exactly the official layout's: an empty cell over
the numbers, the name, the description, the municipalities (in the table's order, none hidden) and the count,
then only the budget and KPI columns renkei writes after the count (``vision.figurecolumns``), if any
(attributes, pillar or field columns go the general way). A plain project row spans the header exactly, opens
with a project number in digits, has a name that is not a number, at least three filled cells, and ○, ◎ or
nothing under each municipality (any other mark goes through the row stage's own reading of marks); its figure
cells go to the row stage's own reading of figures. A header repeated over the next block is read as the header
stage would read it again; its figure columns are told again as that stage tells them (by the same words and by
the rows under it) and, where they differ from the block before, the header goes the general way.
``layout_reading`` (``ingest.reading``) chooses this reader when the table carries renkei's metadata row
(``ingest.meta``); tables of other origins keep the general reader.
``tests/test_ownlayout.py`` compares both readers' visions, cells and findings on every file of a synthetic
registry and on the corpus's own-format files.
"""

from __future__ import annotations

import copy

from renkei.ingest.figures import FigureColumn
from renkei.ingest.grid import Cell, Row
from renkei.ingest.headings import names_a_heading
from renkei.ingest.layout import LayoutReader
from renkei.ingest.layout_blocks import (
    _CIRCLE,
    _SPACE_RUNS,
    Block,
    Column,
    _is_number,
    _legend_of,
    _one_description,
    _starts_with_number,
    key,
)
from renkei.ingest.layout_budgets import figure_columns, kept_figures
from renkei.vision.model import Project, Role
from renkei.vision.ownformat import LINKS_MARKER, MARKER

_MAX_DIGITS = 4  # a project number; more is a municipality code or something else (``_starts_with_number``)


def carries_meta(rows: list[Row]) -> bool:
    """Whether a table opens with renkei's metadata row (within the rows ``ingest.meta`` searches)."""
    for row in rows[:6]:
        first = row.filled[0].text.strip() if row.filled else ""
        if first == MARKER or (first.startswith("<!--") and MARKER in first):
            return True
        if first == LINKS_MARKER:
            return False
    return False


class _Plain:
    """What a plain block's rows need, worked out once per block: the municipality, count and figure columns."""

    __slots__ = ("block", "count", "figures", "texts", "towns", "width", "words")

    def __init__(
        self,
        block: Block,
        towns: list[tuple[int, str]],
        count: int,
        figures: list[tuple[int, FigureColumn]],
        words: list[Column] | None = None,
    ) -> None:
        self.block = block
        self.towns = towns
        self.count = count
        self.figures = figures
        self.width = block.width
        self.texts = block.row.texts
        # The columns its header's words give, figures not yet told, where a header row of the same cells, met
        # again, is read as this one was (see ``_repeated_header``); None where it is not.
        self.words = words


def _plain(block: Block) -> _Plain | None:
    kinds = block.kinds
    width = len(kinds)
    if width < 5 or not block.in_order or block.heading_columns or block.first(Column.NUMBER) is not None:
        return None
    # The budget and KPI columns renkei writes follow the count (``vision.figurecolumns``).
    plain = width
    while plain and kinds[plain - 1] is Column.FIGURE:
        plain -= 1
    expected = [Column.EMPTY, Column.NAME, Column.DESCRIPTION, *[Column.MUNICIPALITY] * (plain - 4), Column.COUNT]
    if kinds[:plain] != expected or block.identity() != [0, 1] or any(c.hidden for c in block.row.cells):
        return None
    if sorted(block.figures) != list(range(plain, width)):
        return None
    towns = [(i, block.municipalities[i]) for i in range(3, plain - 1)]
    return _Plain(block, towns, plain - 1, sorted(block.figures.items()))


class OwnLayoutReader(LayoutReader):
    """The layout reader with a direct path for the plain project rows of renkei's official layout."""

    _plain_block: Block | None = None
    _plain_layout: _Plain | None = None
    _number_not_heading: dict[str, bool]

    def _line(self, row: Row, is_legend: bool) -> None:
        if not is_legend and (self._plain_project(row) or self._repeated_header(row)):
            return
        super()._line(row, is_legend)

    def _layout(self) -> _Plain | None:
        block = self.state.block
        if block is None:
            return None
        if block is not self._plain_block:
            layout = _plain(block)
            if layout is not None:
                layout.words = self._words(block)
            self._plain_block, self._plain_layout = block, layout
        return self._plain_layout

    def _words(self, block: Block) -> list[Column] | None:
        """The columns the header stage's words gave this header before its figure columns were told, when it
        would read this header again, met alone under the table's first header, as it read it: its words (and
        its figure columns) alone decide every column (nothing told by the rows under it, no name column
        chosen), its municipalities are those the stage keeps resolved (``_header_texts``), its first cell is
        not a totals label, and it is no legend. None when it would not."""
        state, row = self.state, block.row
        if state.name_column or not row.filled or self.header_stage._upper_half:
            return None
        by_words = _one_description([state.kind(c.text) for c in row.cells])
        told = [Column.FIGURE if i in block.figures else kind for i, kind in enumerate(by_words)]
        towns = tuple(row.cells[i].text for i in block.municipalities)
        first = _SPACE_RUNS.sub("", row.filled[0].text)
        totals_like = "計" in first or "計" in key(first) or "事業数" in key(first)
        repeatable = (
            told == block.kinds
            and towns == self.header_stage._header_texts
            and not totals_like
            and not _legend_of(row)
            and not state.has_marks(row)
        )
        return by_words if repeatable else None

    def _repeated_header(self, row: Row) -> bool:
        """A header row that repeats the plain block's header cell for cell (the official layout opens each
        field's block with it), with a project row under it: read as the header stage would read it again,
        which gives the same columns and municipalities, a new block and no finding; False otherwise."""
        layout = self._layout()
        state = self.state
        following = state.next_row
        if (
            layout is None
            or layout.words is None
            or state.previous_was_header
            or following is None
            or not _starts_with_number(following)
            or row.texts != layout.texts
        ):
            return False
        previous = layout.block
        # The figure columns are told again, as the header stage tells them: by the same words, and by the rows
        # under this header (an indicator's column of prose is no figure's). What the stage would say of them
        # (``note_figures``) it said of the same columns over the block before, once.
        if previous.figures and kept_figures(figure_columns(state, row, None, layout.words)) != previous.figures:
            return False
        state.lone_cell = len(row.filled) == 1
        state.open_project = None
        state.header_count += 1
        # The same kinds and figure columns as the block before: what ``Block`` works out of them is the same too.
        block = copy.copy(previous)
        block.row, block.kinds = row, list(previous.kinds)
        block.municipalities = dict(previous.municipalities)
        state.block = block
        state.previous_was_header = True
        state.seen_header = True
        repeated = _Plain(block, layout.towns, layout.count, layout.figures, layout.words)
        self._plain_block, self._plain_layout = block, repeated
        return True

    def _plain_project(self, row: Row) -> bool:
        """Read ``row`` as the general reader would when it is certainly a plain project row; False (nothing
        read) otherwise."""
        layout = self._layout()
        cells = row.cells
        if layout is None or len(cells) != layout.width or len(row.filled) < 3 or row.spans:
            return False  # a mark merged over several towns (an edited workbook): read by the general reader
        first, second = cells[0], cells[1]
        digits = first.text
        if not (digits.isascii() and digits.isdigit() and len(digits) <= _MAX_DIGITS) or first.hidden:
            return False
        name = second.text.strip()
        if not name or _is_number(second.text) or first.merged or second.merged or self._heading_number(digits):
            return False
        state = self.state
        state.lone_cell = False
        state.previous_was_header = False
        project = Project(number=int(digits), name=name, location=row.location)
        project.pillar, project.field = state.pillar, state.field
        project.description = cells[2].text.strip()
        located, taking_part = project.cells, project.participants
        legend = state.vision.legend
        circle = legend.get(_CIRCLE)
        if circle is None and _CIRCLE in state.mark_kinds:
            circle = Role.MEMBER
        marks = self.row_stage._mark
        for i, town in layout.towns:
            cell = cells[i]
            located[town] = cell.location
            text = cell.text
            if not text:
                continue
            if text == _CIRCLE and circle is not None:
                taking_part[town] = circle
                continue
            text = text.strip()
            role = marks(text, cell) if text else None
            if role is not None:
                taking_part[town] = role
            if text == _CIRCLE and circle is None:  # the first ○ met: recorded by the row stage's own reading
                circle = legend.get(_CIRCLE) or (Role.MEMBER if _CIRCLE in state.mark_kinds else None)
        project.declared_count = self._count(cells[layout.count], project)
        located["count"] = cells[layout.count].location
        if layout.figures:
            blank_read = layout.block.blank_figures
            figures = [(column, cells[i]) for i, column in layout.figures if cells[i].text or i in blank_read]
            self.row_stage._figures(project, figures)
        state.vision.projects.append(project)
        state.open_project = project
        return True

    def _count(self, cell: Cell, project: Project) -> int | None:
        text = cell.text.strip()
        if text.isascii() and text.isdigit():
            return int(text)
        return self.row_stage._count(text, cell, project)

    def _heading_number(self, digits: str) -> bool:
        """Whether a number cell would read as a heading beside the name (never, for digits; asked once each)."""
        try:
            known = self._number_not_heading
        except AttributeError:
            known = self._number_not_heading = {}
        found = known.get(digits)
        if found is None:
            found = known[digits] = names_a_heading(digits)
        return found
