"""Header rows (``layout.py``): told from other lines, classified cell by cell, merged over two rows, and
their municipality columns resolved and compared with the first header's."""

from __future__ import annotations

import dataclasses

from renkei.ingest import marks
from renkei.ingest.figures import is_figure_group, is_sub_label, unit_note
from renkei.ingest.grid import Cell, Row
from renkei.ingest.layout_blocks import (
    _LAYOUT_WORDS,
    Block,
    Column,
    LayoutState,
    _groups_above,
    _is_central_group,
    _merge_header,
    _one_description,
    _prefecture_of,
    _starts_with_number,
    key,
)
from renkei.ingest.layout_budgets import header_figures
from renkei.ingest.layout_columns import ColumnChoice, group_labels, report_choice
from renkei.ingest.members import split_label
from renkei.ingest.understood import BY_HEADER, BlockReading, ColumnReading
from renkei.places.municipalities import Status
from renkei.vision.model import Municipality, Severity

_ROLE_SAMPLE = 40  # rows under a header looked at for marks under a column headed by a role or a prefecture


class HeaderStage:
    """The header rows of a table: its blocks and its municipality columns. It reads and writes the reading's
    ``LayoutState`` (its output, the ``Block`` the rows under a header are read by, is ``state.block``) and
    keeps what only the headers need."""

    def __init__(self, state: LayoutState) -> None:
        self.state = state
        # The municipality cells of the header that fixed the columns, and their names: a block's header that
        # repeats them exactly (as a PDF repeats the header on every page) needs no resolving or comparing.
        self._header_texts: tuple[str, ...] | None = None
        self._header_names: list[str] = []
        self._how: dict[int, str] = {}  # how the last header's columns were decided, where not by its words
        self._upper_half = False  # the header being read is the upper row of two
        # Columns headed by a role (中心市) that stand for the central city, by position: ``_role_columns``.
        self._by_role: dict[int, Municipality] = {}

    def is_header(self, row: Row, below_header: bool = False) -> bool:
        # The lower row of a header whose upper row names a budget or indicator group holds only their years and
        # parts (6年度 | 7年度 | 指標名 | 目標値（R9）), even where the first of them starts with a digit.
        if below_header and len(row.filled) >= 2 and all(is_sub_label(c.text) for c in row.filled):
            return True
        # Marks, or a project number first under a header, make a project row even where two of its cells look
        # like municipality names (甲の役割 旭川市, 乙の役割 各町).
        if (self.state.block is not None and _starts_with_number(row)) or self.state.has_marks(row):
            return False
        kinds = [self.state.kind(c.text) for c in row.cells]
        if kinds.count(Column.MUNICIPALITY) >= 2 or kinds.count(Column.GROUP) >= 2:
            return True
        if len(row.filled) < 2:
            return False
        layout_words = sum(1 for k in kinds if k in _LAYOUT_WORDS)
        # The lower row of a header whose upper row names a budget or indicator group: its years and parts only.
        if layout_words == 0 and len(row.filled) >= 2 and all(is_sub_label(c.text) for c in row.filled):
            return True
        # A participants column (連携市町村) beside a layout word heads a table, whatever its name column says.
        return Column.COUNT in kinds or layout_words >= 2 or (layout_words >= 1 and Column.PARTICIPANTS in kinds)

    def notes_row(self, row: Row) -> bool:
        """A row right under a header that annotates its towns' columns instead of marking them (人口18.8万,
        (10,788人), 面積 …): no project number first, a figure under most of the towns (each cell holding a
        digit) and none of them a mark or a sign of not taking part. Part of the header: said (``header-notes``)
        and not read as a project."""
        block = self.state.block
        if block is None or not block.municipalities or not row.filled:
            return False
        # A number first is a project's, unless it stands under a town (18.8万人 with the number cells empty).
        first = next(i for i, c in enumerate(row.cells) if c is row.filled[0])
        if _starts_with_number(row) and first not in block.municipalities:
            return False
        texts = [c.text.strip() for i in block.municipalities if (c := row.cell(i)) is not None and c.text.strip()]
        if len(texts) * 2 <= len(block.municipalities):
            return False
        if any(marks.takes_part(t) or marks.is_blank(t) or t in marks.SYMBOLS for t in texts):
            return False
        if not all(any(ch.isdigit() for ch in t) for t in texts):
            return False
        where = row.filled[0].location
        self.state.find(Severity.INFO, "header-notes", where, text=" ".join(texts)[:40], cells=len(texts))
        return True

    def resolve_central(self, final: bool) -> None:
        """The central city the title names. A name that only the prefecture can decide (伊達市) waits for the
        prefecture the members share, and is reported only if that does not decide it either."""
        label, sphere = self.state.central_label, self.state.vision.sphere
        if label is None or sphere.central_city is not None:
            return
        if not final and self.state.registry.resolve(label.text, sphere.prefecture).entry is None:
            return
        sphere.central_city = self.state.members.municipality(label.text, label.location, sphere.prefecture)
        sphere.prefecture = sphere.prefecture or sphere.central_city.prefecture
        self.state.central_label = None

    def header(self, row: Row, merge: bool) -> None:
        groups: dict[int, str] = {}
        lower, upper = row, None
        if merge and self.state.block is not None:
            upper = self.state.block.row
            groups = _groups_above(upper, self.state.block.kinds)
            row = _merge_header(upper, row)
        # A column the workbook hides is never a municipality's (a town that left, a working column).
        kinds = _one_description(
            [
                Column.ATTRIBUTE if c.hidden and k is Column.MUNICIPALITY else k
                for c, k in zip(row.cells, map(self.state.kind, row.texts), strict=True)
            ]
        )
        # Whether the next row is this header's lower half: a project row (a number first, or marks) never is.
        following = self.state.next_row
        self._upper_half = (
            following is not None
            and (not _starts_with_number(following) or self.is_header(following, below_header=True))
            and not self.state.has_marks(following)
            and self.is_header(following, below_header=True)
        )
        kinds = self._over_groups(row, kinds)
        if upper is None and not self._upper_half:
            upper = self._figure_group_above(row, kinds)
        figures = {} if self._upper_half else header_figures(self.state, lower, upper, kinds)
        kinds = self._by_content(row, [Column.FIGURE if i in figures else k for i, k in enumerate(kinds)])
        kinds = self._role_columns(row, kinds)
        labels = [(i, row.cells[i]) for i, k in enumerate(kinds) if k is Column.MUNICIPALITY]
        if self._another_table(labels):
            self.state.sheet.other = True
            return
        self.state.header_count += 1
        block = Block(row, kinds, figures=figures)
        names = self._municipalities(labels, groups)
        block.municipalities = dict(zip((i for i, _ in labels), names, strict=True))
        block.in_order = names == [m.name for m in self.state.vision.municipalities if m.name in set(names)]
        self.state.block = block
        self._say_understood(block)
        self.state.previous_was_header = True
        self.state.seen_header = True
        self._labels(row, kinds)

    def _role_columns(self, row: Row, kinds: list[Column]) -> list[Column]:
        """A column of the header row itself headed by a role or a prefecture, not a name (中心市, 鳥取県), with
        marks under it: the central city's column where the title names it (its marks counted, its label kept as
        written); the column kept as the document's own where it is a prefecture's (the prefecture is no member:
        its marks are kept as written and never counted) or the central city is named nowhere (said, so that the
        counts' errors have their cause)."""
        if self._upper_half:
            return kinds
        below = self.state.rows[self.state.at + 1 : self.state.at + 1 + _ROLE_SAMPLE]
        state, sphere = self.state, self.state.vision.sphere
        kinds = list(kinds)
        for i, kind in enumerate(kinds):
            if kind is not Column.GROUP:
                continue
            cell = row.cells[i]
            if not any(i < len(r.cells) and marks.takes_part(r.cells[i].text) for r in below):
                continue  # a group label with no marks under it: the upper half of a header, as before
            word = key(split_label(cell.text).name)
            if _is_central_group(word):
                self.resolve_central(final=False)
                if sphere.central_city is not None:
                    kinds[i] = Column.MUNICIPALITY
                    self._by_role[i] = dataclasses.replace(
                        sphere.central_city, label=cell.text.strip(), location=cell.location, central=True
                    )
                    state.once(Severity.INFO, "central-column-by-role", cell.location, label=cell.text.strip(),
                               name=sphere.central_city.name)  # fmt: skip
                    continue
                state.once(Severity.WARNING, "central-column-unnamed", cell.location, label=cell.text.strip())
            else:
                state.once(Severity.INFO, "group-column-kept", cell.location, label=cell.text.strip())
            kinds[i] = Column.ATTRIBUTE
        return kinds

    def _figure_group_above(self, row: Row, kinds: list[Column]) -> Row | None:
        """The line right above a one-row header when it only names figure groups over columns the header's own
        words leave open (事業費（千円） merged over R6 | R7 | R8 | 総事業費): the upper row of the figures' header,
        as a two-row header's would be. Its note that a line stood before the table is taken back."""
        at = self.state.at
        above = self.state.rows[at - 1] if at > 0 else None
        if above is None or not above.filled or self.state.seen_header:
            return None
        open_columns = (Column.ATTRIBUTE, Column.EMPTY)
        for cell in above.filled:
            i = above.cells.index(cell)
            if i >= len(kinds) or kinds[i] not in open_columns or not is_figure_group(cell.text):
                return None
            if unit_note(cell.text) is not None:  # （単位：千円）: the table's note of its unit, read as such
                return None
        where = above.filled[0].location
        self.state.findings[:] = [
            f for f in self.state.findings if not (f.code == "line-before-table" and f.location == where)
        ]
        return above

    def _over_groups(self, row: Row, kinds: list[Column]) -> list[Column]:
        """The cells of an upper header row over the towns of the row below are their groups' labels."""
        lower = self.state.next_row
        if lower is None or not self._upper_half:
            return kinds
        lower_kinds = [self.state.kind(c.text) for c in lower.cells]
        return group_labels(row, kinds, lower_kinds, lambda text: self.state.registry.is_municipality_name(key(text)))

    def _by_content(self, row: Row, kinds: list[Column]) -> list[Column]:
        """The columns the header's words leave open, told by the rows under it (``layout_columns``); the
        person's choice of the name column applied. The upper row of a two-row header waits for its lower
        half, which is decided merged."""
        if self._upper_half:
            return kinds
        registry = self.state.registry
        choice = ColumnChoice(
            row,
            kinds,
            self.state.rows[self.state.at + 1 :],
            lambda text: registry.resolve_stem(split_label(text).name).status is not Status.UNKNOWN,
            regroup=not self.state.own_export,
            names_a_town=lambda text: (
                registry.is_municipality_name(split_label(text).name)
                or registry.resolve_stem(split_label(text).name).status is not Status.UNKNOWN
            ),
            headed=(self.state.pillar is not None, self.state.field is not None),
        )
        applied = choice.choose(self.state.name_column)
        choice.infer()
        report_choice(self.state, choice, self.state.name_column, applied)
        self._how = choice.how()
        return choice.kinds

    def _say_understood(self, block: Block) -> None:
        """The block's columns as ``understood`` says them back (ingest/understood.py)."""
        how, self._how = self._how, {}
        if self._upper_half:
            return  # the upper row of a two-row header: said once merged with its lower half
        columns = []
        for i, (cell, kind) in enumerate(zip(block.row.cells, block.kinds, strict=True)):
            if kind is Column.EMPTY:
                continue
            name = block.municipalities.get(i)
            found = self.state.vision.municipality(name) if name is not None else None
            columns.append(
                ColumnReading(
                    i + 1,
                    cell.text.strip(),
                    kind.name.lower(),
                    how.get(i, BY_HEADER),
                    name,
                    found.code if found is not None else None,
                )
            )
        where = block.row.location
        self.state.understood.add(BlockReading(where.line, where.sheet, where.cell, where.page, tuple(columns)))

    def _labels(self, row: Row, kinds: list[Column]) -> None:
        labels = self.state.vision.labels
        for cell, kind in zip(row.cells, kinds, strict=True):
            if kind is Column.NAME:
                labels.name = cell.text.strip()
            elif kind is Column.DESCRIPTION:
                labels.description = cell.text.strip()
            elif kind is Column.COUNT:
                labels.count = cell.text.strip()

    def _municipalities(self, labels: list[tuple[int, Cell]], groups: dict[int, str] | None = None) -> list[str]:
        """Resolve a header's municipality columns. The first header fixes the table's columns; a later one
        must name the same municipalities in the same order, in whatever spelling (北海道鷹栖町 is 鷹栖町).
        A header row without municipality columns (the upper row of two) neither fixes nor compares."""
        if not labels:
            return []
        texts = tuple(cell.text for _, cell in labels)
        if texts == self._header_texts:
            return self._header_names
        columns = self.state.vision.municipalities
        sphere = self.state.vision.sphere
        known = {m.label: m for m in columns}
        prefecture = sphere.prefecture or self.state.members.common_prefecture(cell.text for _, cell in labels)
        groups = groups or {}
        # A prefecture over a group of towns decides the names it heads (府中市 under 広島県).
        found = [
            self._by_role.get(i)
            or known.get(cell.text.strip())
            or self.state.members.municipality(cell.text, cell.location, _prefecture_of(groups.get(i), prefecture))
            for i, cell in labels
        ]
        for (i, cell), municipality in zip(labels, found, strict=True):
            if _is_central_group(groups.get(i)) or split_label(cell.text).central:
                municipality.central = True
        if columns:
            self._compare_header(labels, found)
        seen: set[str] = set()
        for (_, cell), municipality in zip(labels, found, strict=True):
            if municipality.name in seen:
                self.state.find(Severity.ERROR, "municipality-duplicate", cell.location, name=municipality.name)
            seen.add(municipality.name)
            if self.state.vision.municipality(municipality.name) is None:
                columns.append(municipality)
            if municipality.central and sphere.central_city is None:
                sphere.central_city = municipality
        sphere.prefecture = sphere.prefecture or prefecture
        names = [m.name for m in found]
        if self._header_texts is None and len(seen) == len(names):
            self._header_texts, self._header_names = texts, names
        return names

    def _compare_header(self, labels: list[tuple[int, Cell]], found: list[Municipality]) -> None:
        """A later header that names other municipalities, or the same in another order, is an error even
        though renkei follows the names: a reader of the printed table lines the columns up by position.
        The finding points at the first cell that differs."""
        expected = [m.name for m in self.state.vision.municipalities]
        names = [m.name for m in found]
        if names == expected:
            return
        differs = next(i for i in range(max(len(names), len(expected))) if names[i : i + 1] != expected[i : i + 1])
        self.state.find(Severity.ERROR, "header-mismatch", labels[min(differs, len(labels) - 1)][1].location)

    def _another_table(self, labels: list[tuple[int, Cell]]) -> bool:
        """Whether a later sheet's header names none of the table's towns: the workbook keeps another sphere's
        table there (read it with --sheet), not a part of this one. Some towns in common make it a part, and
        its differences a header mismatch."""
        columns = self.state.vision.municipalities
        first = columns[0].location if columns else None
        if self.state.sheet.title is None or first is None or not labels or self.state.sheet.title == first.sheet:
            return False
        known = {m.name for m in columns} | {m.display for m in columns}
        for _, cell in labels:
            name = split_label(cell.text).name
            if name in known or any(e.name in known for e in self.state.registry.candidates(name)):
                return False
        return True
