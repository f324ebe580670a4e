"""Project rows (``layout.py``): their identity, headings, marks and counts under the block's layout,
continuations, participants written in one cell, and the totals row."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from renkei.ingest import marks, participants
from renkei.ingest.figure_runs import reflowed
from renkei.ingest.figures import FigureColumn, read_figures
from renkei.ingest.grid import Cell, Row
from renkei.ingest.headings import legend_key, names_a_heading, normalize_mark, parse_headings, parse_pillar
from renkei.ingest.layout_blocks import (
    _CIRCLE,
    _FIGURE,
    _LEADS,
    _MEMBERS_TABLE_WORDS,
    _NO_MARK,
    _NOTE,
    _NUMBER,
    Block,
    Column,
    LayoutState,
    SheetTotal,
    _heading_cell,
    key,
    names_and_descriptions,
    number_label,
)
from renkei.ingest.layout_budgets import town_named
from renkei.ingest.members import split_label
from renkei.ingest.rates import names_rate, read_rates
from renkei.vision.model import Heading, Location, Municipality, Project, Role, Severity
from renkei.vision.reposts import marker as repost_marker
from renkei.vision.reposts import reposts

# A number with a word before it, in a number column: 事業1, 取組 2, 第3号, 施策No.4 is not (No. is read as a number).
_WORDED_NUMBER = re.compile(r"[\s\u3000]*[^\W\d_]{1,4}[\s\u3000]*[0-9０-９]{1,4}[\s\u3000]*[号番]?[\s\u3000]*")

# A number written as a sign of its own in a number column: circled (①), kanji (十二), iroha or a letter (ア, A),
# Roman (Ⅱ, iv); a dot or a closing bracket after it. Not a dash, 新 or ※: those number nothing.
_SIGN_NUMBER = re.compile(
    r"[\s\u3000]*[(（]?(?:[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]|[一二三四五六七八九十〇]{1,3}|[ア-ン]|[あ-ん]"
    r"|[A-Za-zＡ-Ｚａ-ｚ]|[\u2160-\u216b]|[ivxIVX]{1,5})[)）.．、]?[\s\u3000]*"
)

_REPOST_CELL = 16  # the longest number cell read as a repost's (再掲, 1（再掲）, 再掲（No.12）): longer is prose

_WRAPPED = 40  # the longest rest of a wrapped name: a line longer than a name is prose

# A row that gives a town's part of the project above it: うち盛岡市, （うち滝沢市）, 内 雫石町.
_SHARE_ROW = re.compile(
    r"^[(（]?[\s\u3000]*(?:うち|内)[\s\u3000]*(?P<town>[^()（）\s\u3000]+?)[\s\u3000]*(?:分|負担分?)?[)）]?$"
)


class RowStage:
    """The rows under a header: projects, their continuations and the totals. It reads the block the header
    stage left in the reading's ``LayoutState`` and adds the projects and totals to its vision."""

    def __init__(self, state: LayoutState) -> None:
        self.state = state

    def is_project_row(self, row: Row) -> bool:
        if self.state.block is None:
            return False
        if len(row.filled) >= 2:
            return True
        # A lone cell that starts with a number is a row cut short, not a heading.
        return bool(_NUMBER.match(row.filled[0].text)) and parse_pillar(row.filled[0].text) is None

    # Project rows ----------------------------------------------------------------------------------------

    def project(self, row: Row) -> None:
        block = self.state.block
        assert block is not None
        if not block.fits(row):
            self.state.find(
                Severity.ERROR,
                "row-width",
                row.location,
                cells=len(row.cells),
                expected=block.width,
                header_line=block.row.location.line,
            )
        headings = block.heading_cells(row)
        number, name, where = self._identity(row, block, headings)
        label = ""
        if isinstance(number, str):  # a number written as a path (1-1): kept as written, the place numbers it
            label, number = number, len(self.state.vision.projects) + 1
            said = any(f.code == "number-label" for f in self.state.findings)
            if not said and repost_marker(label) is None:  # said once, at the first (a repost's: reposts-read)
                self.state.find(Severity.INFO, "number-label", where, label=label)
        unnumbered = number is None
        if number is None:  # numbered by its place for now: kept only if no row of the table has a number
            number = len(self.state.vision.projects) + 1
        project = Project(number=number, name=name, location=row.location, number_label=label)
        if unnumbered:
            self.state.unnumbered.append((project, where, name))
        if row.cells[0].hidden and all(c.hidden for c in row.cells):  # a hidden row is read, and said
            self.state.find(Severity.INFO, "row-hidden", row.location, number=number)
        project.pillar, project.field = self._row_headings(headings, block)
        if self.state.positional and block.figures and (parted := reflowed(row, block.figures)) is not None:
            row, before = parted
            self.state.find(Severity.INFO, "figures-reparted", row.location, number=number, before=before)
        self._read_cells(project, row, block, skip=headings.keys())
        self.state.vision.projects.append(project)
        self.state.open_project = project

    def _read_cells(self, project: Project, row: Row, block: Block, skip: Iterable[int]) -> None:
        """The description, count, marks and further columns of a project's row."""
        skipped = set(skip)
        cells, located, participants = row.cells, project.cells, project.participants
        figures: list[tuple[FigureColumn, Cell]] = []
        for i, kind in block.read_columns:
            if i >= len(cells) or i in skipped:
                continue
            cell = cells[i]
            text = cell.text.strip()
            if kind is Column.MUNICIPALITY:
                name = block.municipalities[i]
                located[name] = cell.location
                across = self._merged_across(row, block, i) if row.spans else []
                if across and _ALL_PHRASE.fullmatch(key(text)):  # 全市町で実施 merged over the towns: each of them
                    role: Role | None = Role.MEMBER
                else:
                    role = self._mark(text, cell) if text else None
                if role is not None:
                    participants[name] = role
                for other in across:  # one mark merged over several towns' cells: theirs too, and said
                    located[other] = cell.location
                    if role is not None:
                        participants[other] = role
                if across and role is not None:
                    self.state.merged_marks.append((cell.location, text))
            elif kind is Column.DESCRIPTION:
                project.description = text
            elif kind is Column.COUNT:
                project.declared_count = self._count(text, cell, project)
                located["count"] = cell.location
            elif kind is Column.PARTICIPANTS:
                self.state.named.append((project, text, cell))
                located["participants"] = cell.location
            elif kind is Column.FIGURE:
                if text or i in block.blank_figures:
                    figures.append((block.figures[i], cell))
            elif kind is Column.EMPTY:
                if marks.takes_part(text):
                    self.state.find(Severity.ERROR, "mark-without-municipality", cell.location, number=project.number)
            elif text:  # an attribute
                header = block.row.cells[i].text.strip()
                project.attributes[header] = text
                if names_rate(header):  # 参加率 100% beside the count: kept, and checked (ingest/rates.py)
                    self.state.project_rates.append((project, header, cell))
        if figures:
            self._figures(project, figures)
        if not block.in_order:
            project.participants = {
                m.name: participants[m.name] for m in self.state.vision.municipalities if m.name in participants
            }

    def share_row(self, project: Project, row: Row) -> bool:
        """A row under a project that gives a town's part of its amounts (うち盛岡市 in the name's column, the
        amounts under the budget columns, nothing else): each amount is that town's share, of its column's year
        and unit. False (nothing read) for any other row."""
        block = self.state.block
        if block is None or not block.figures:
            return False
        cells = row.cells
        places = {id(c): i for i, c in enumerate(cells)}
        words = [c for c in row.filled if block.figures.get(places[id(c)]) is None]
        if len(words) != 1 or len(words) == len(row.filled):
            return False
        match = _SHARE_ROW.match(words[0].text.strip())
        town = town_named(self.state, split_label(match["town"]).name, lambda: None) if match else None
        amounts = [(block.figures[places[id(c)]], c) for c in row.filled if c is not words[0]]
        if town is None or any(column.what != "budget" for column, _ in amounts):
            return False
        shares = [(dataclasses.replace(column, town=town), cell) for column, cell in amounts]
        self._figures(project, shares)
        self.state.open_project = project
        return True

    def continues(self, row: Row) -> bool:
        """Whether a row is the rest of the project above: it has no number or name of its own (empty, or
        repeated from a merged cell) and adds only text, such as a description that runs onto a second row of
        the sheet or a second line of the PDF copy. A mark or count of its own makes it a row of its own."""
        block = self.state.block
        assert block is not None
        cells = row.cells
        # Under a header cell that heads the names and their descriptions (事業名／事業内容), the name column's
        # cell on the next row is the description.
        dual = self._dual_name_columns(block, row)
        identity = [i for i in block.identity() if i not in dual]
        if any(i < len(cells) and cells[i].text.strip() and not cells[i].merged for i in identity):
            return False
        own = {i: c for i, c in enumerate(cells) if c.text.strip() and not c.merged}
        # A second indicator of the project on a row of its own (成果指標 | 目標値 under the first) continues it.
        text_kinds = (Column.DESCRIPTION, Column.ATTRIBUTE, Column.PARTICIPANTS, Column.FIGURE)
        return all(i < block.width and (block.kinds[i] in text_kinds or i in dual) for i in own)

    @staticmethod
    def _dual_name_columns(block: Block, row: Row) -> set[int]:
        """The name columns whose cell on a project's second row is its description: under a header cell that
        says so (事業名／事業内容), or on a row whose number is the project's above, merged down over it."""
        names = [i for i, kind in enumerate(block.kinds) if kind is Column.NAME]
        numbers = [i for i, kind in enumerate(block.kinds) if kind is Column.NUMBER]
        if any((c := row.cell(i)) is not None and c.merged and c.text.strip() for i in numbers):
            return set(names)
        return {i for i in names if (c := block.row.cell(i)) is not None and names_and_descriptions(c.text)}

    def continue_project(self, project: Project, row: Row) -> None:
        """Add a continuation row's own text to its project's cells, a line break between the parts."""
        block = self.state.block
        assert block is not None
        own = [(i, c) for i, c in enumerate(row.cells) if c.text.strip() and not c.merged]
        figures = [(block.figures[i], c) for i, c in own if block.kinds[i] is Column.FIGURE]
        if figures:
            self._figures(project, figures)
        dual = self._dual_name_columns(block, row)
        for i, cell in own:
            text = cell.text.strip()
            if block.kinds[i] is Column.FIGURE:
                continue
            if block.kinds[i] is Column.DESCRIPTION or i in dual:
                project.description = "\n".join(t for t in (project.description, text) if t)
            elif block.kinds[i] is Column.PARTICIPANTS:  # names wrapped onto the next line of a PDF copy
                self.state.named = [
                    (p, f"{named}\n{text}" if p is project else named, c) for p, named, c in self.state.named
                ]
            else:
                header = block.row.cells[i].text.strip()
                project.attributes[header] = "\n".join(t for t in (project.attributes.get(header, ""), text) if t)
        if own:
            self.state.find(Severity.INFO, "row-continued", own[0][1].location, number=project.number)
        self.state.open_project = project

    def continues_name(self, project: Project, row: Row) -> bool:
        """Whether a line holds only the rest of the name above: a long name wrapped onto the next line of a PDF
        copy (「中濃地域における救急医療体制」 over 「の確保」). Its one cell stands in the name column, right of
        the number's empty cell, in no merged range, under a project the document numbered and marked, and it
        is no number, heading, note, mark or sentence."""
        block = self.state.block
        if block is None or len(row.filled) != 1 or not project.participants:
            return False
        names = [i for i in block.identity() if block.kinds[i] is Column.NAME]
        cell = row.filled[0]
        # Right of an empty first cell (the number's): a line at the first cell reads as a heading or a title.
        at = row.cells.index(cell)
        if not names or cell.merged or at != names[0] or at == 0:
            return False
        text = cell.text.strip()
        if _NUMBER.match(text) or _NOTE.match(text) or marks.takes_part(text) or marks.is_blank(text):
            return False
        if len(text) > _WRAPPED or text.endswith(("。", "．")):  # a sentence under the table is a note of it
            return False
        if parse_headings(text) != (None, None) or names_a_heading(text):
            return False
        return not any(p is project for p, _, _ in self.state.unnumbered)

    def continue_name(self, project: Project, row: Row) -> None:
        """The rest of a wrapped name joined to it as the page broke it, without a space (Japanese has none)."""
        cell = row.filled[0]
        project.name += cell.text.strip()
        self.state.find(Severity.INFO, "row-continued", cell.location, number=project.number)
        self.state.open_project = project

    def _figures(self, project: Project, cells: list[tuple[FigureColumn, Cell]]) -> None:
        """A row's budget and KPI cells (ingest/figures.py), added to its project: a continuation row's second
        indicator beside the first; an amount for a year the project already has is not overwritten."""
        block = self.state.block
        units = block.kpi_units if block is not None else frozenset()
        budgets, kpis = read_figures(cells, project.number, self.state.find, units)
        have = {(b.fiscal_year, b.town) for b in project.budgets}
        for budget in budgets:
            if (budget.fiscal_year, budget.town) in have:
                f, cell = next(
                    (f, c) for f, c in cells if (f.year, f.town) == (budget.fiscal_year, budget.town) and c.text.strip()
                )
                self.state.find(Severity.WARNING, "figure-unreadable", cell.location, column=f.header, value=cell.text)
                continue
            project.budgets.append(budget)
        project.kpis.extend(kpis)

    def _identity(self, row: Row, block: Block, headings: dict[int, Cell]) -> tuple[int | str | None, str, Location]:
        """A row's number and name, from a number column or from the number that starts the name. A number
        written as a path (1-1, ①-2: ``number_label``) comes back as its text."""
        columns = [i for i in block.identity() if i not in headings]
        cells = [c for i in columns if (c := row.cell(i)) is not None and c.text.strip()]
        if not cells:
            cells = list(row.filled[:1])
        where = cells[0].location if cells else row.location
        number_at = block.first(Column.NUMBER)
        if number_at is not None and (cell := row.cell(number_at)) is not None and cell.text.strip():
            match = _NUMBER.match(cell.text)
            rest = [c.text.strip() for c in cells if c is not cell]
            number: int | str | None = int(key(match["digits"])) if match and not match["rest"].strip() else None
            if number is None and (labelled := number_label(cell.text)) is not None and not labelled[1]:
                number = labelled[0]
            # 事業1, 第2号, ①, 一, ア, Ⅱ: numbers that are not whole numbers, kept as written as a path is
            if number is None and (_WORDED_NUMBER.fullmatch(cell.text) or _SIGN_NUMBER.fullmatch(cell.text)):
                number = cell.text.strip()
            # 再掲, 1（再掲）: a project listed again, its number cell kept as written (``vision.reposts``)
            if number is None and len(cell.text.strip()) <= _REPOST_CELL and repost_marker(cell.text) is not None:
                number = cell.text.strip()
            return number, " ".join(rest), where
        labelled = number_label(cells[0].text) if cells else None
        if labelled is not None:
            rest = [labelled[1], *(c.text.strip() for c in cells[1:])]
            return labelled[0], " ".join(r for r in rest if r), where
        match = _NUMBER.match(cells[0].text) if cells else None
        if match is None:
            return None, " ".join(c.text.strip() for c in cells), where
        rest = [match["rest"].strip(), *(c.text.strip() for c in cells[1:])]
        return int(key(match["digits"])), " ".join(r for r in rest if r), where

    def _row_headings(self, cells: dict[int, Cell], block: Block) -> tuple[Heading | None, Heading | None]:
        """Headings given in cells of the row itself override those of the lines above. Unlike a heading line,
        a field given in a cell gets no inferred pillar: the table states its headings row by row, and a
        table with a field column but no pillar column must read back as it was written."""
        pillar, field_heading = self.state.pillar, self.state.field
        given = [_heading_cell(cell.text, block.kinds[i]) for i, cell in cells.items()]
        for (given_pillar, given_field), cell in zip(given, cells.values(), strict=True):
            if given_pillar is not None:
                pillar = given_pillar
                if not any(f is not None for _, f in given):  # a new pillar: the field of the one before ends
                    field_heading = None
            if given_field is not None:
                self.state.report_repair(given_field, cell.location)
                field_heading = given_field.heading
        if given:
            # A heading column's blank cell under a filled one is the same heading (a cell merged down its
            # projects, written once): the rows below keep it until another is given.
            self.state.pillar, self.state.field = pillar, field_heading
        return pillar, field_heading

    def _count(self, text: str, cell: Cell, project: Project | None = None) -> int | None:
        if not text or key(text) in _NO_MARK:
            return None
        figure = _FIGURE.fullmatch(key(text))
        if figure is not None:
            return int(figure["digits"])
        kinds = participants.kinds_count(text)
        if kinds is not None:  # 7市3町: the sum, and the kinds checked against the names once they are known
            if project is not None:
                self.state.kind_counts.append((project, kinds, text, cell))
            return sum(kinds.values())
        if project is not None and _ALL_COUNT.fullmatch(key(text)):  # 全: every member, counted once they are known
            self.state.all_counts.append((project, cell))
            return None
        self.state.find(Severity.ERROR, "count-not-number", cell.location, value=text)
        return None

    def _others(self, named: participants.Named, chosen: set[str], everyone: list[str], cell: Cell) -> set[str]:
        """鳥取市ほか4町: the members left beside the names, of the kinds it says, where exactly so many are left
        (said, ``others-by-count``); none where they are more or fewer (said, ``others-unresolved``: the count
        then tells the project's marks short)."""
        kinds = named.others_kinds
        left = [n for n in everyone if n not in chosen and n[-1] in kinds]
        if len(left) == named.others:
            self.state.find(
                Severity.INFO, "others-by-count", cell.location, text=cell.text.strip(), names="、".join(left)
            )
            return set(left)
        self.state.find(
            Severity.WARNING,
            "others-unresolved",
            cell.location,
            text=cell.text.strip(),
            count=named.others,
            left=len(left),
        )
        return set()

    def _merged_across(self, row: Row, block: Block, i: int) -> list[str]:
        """The towns whose cells the cell at ``i`` is merged across (a workbook's range, a colspan, a gridSpan),
        beyond its own: those of the municipalities' columns it covers, while their cells are empty."""
        covered = row.spans.get(i, 1)
        towns = []
        for j in range(i + 1, min(i + covered, len(row.cells))):
            if j not in block.municipalities or row.cells[j].text.strip():
                break
            towns.append(block.municipalities[j])
        return towns

    def say_merged_marks(self) -> None:
        """Each mark merged across several towns' cells, said once per mark as it was read (``mark-merged``)."""
        said: dict[str, tuple[Location, int]] = {}
        for where, text in self.state.merged_marks:
            first, cells = said.get(text, (where, 0))
            said[text] = (first, cells + 1)
        for text, (where, cells) in said.items():
            self.state.find(Severity.INFO, "mark-merged", where, mark=text, cells=cells)

    def settle_all_counts(self) -> None:
        """A count written 全 (全て, 全市町村): the number of the table's municipalities, less its central cities where
        the count leaves them out (as its header says, or as the other counts showed), said at the cell; the count
        is then checked against the marks as any other."""
        vision = self.state.vision
        label = key(vision.labels.count)
        central = sum(1 for m in vision.municipalities if m.central)
        every = len(vision.municipalities) - (central if "中心市を除" in label or "中心市除" in label else 0)
        for project, cell in self.state.all_counts:
            project.declared_count = every
            self.state.find(Severity.INFO, "count-all", cell.location, value=cell.text.strip(), count=every)

    def _mark(self, text: str, cell: Cell) -> Role | None:
        mark = normalize_mark(text)
        # A mark the legend explains is never a "no" spelling: the legend's marks are those of MARKS, a word in
        # brackets after one among them (○（主）).
        said = legend_key(text)
        role = self.state.vision.legend.get(said)
        if role is not None:
            if said in self.state.central_marks:
                self.state.central_at.add(cell.location)
            return role
        kind = _CIRCLE if mark == _CIRCLE else marks.kind_of(text)  # ○ first: most marks are
        if kind is None:
            noted = marks.with_note(text)
            if noted is not None and (role := self._mark(noted[0], cell)) is not None:
                # ○※1: the mark, and a note the table explains elsewhere (一部事業のみ …), said at its cell; ○（R7～）:
                # the mark, and when the town takes part, which the registry keeps in that finding, not in the mark
                if marks.is_period(noted[1]):
                    self.state.find(Severity.INFO, "mark-with-period", cell.location, mark=noted[0], note=noted[1])
                else:
                    self.state.find(Severity.INFO, "mark-with-note", cell.location, mark=noted[0], note=noted[1])
                return role
            meaning = self.state.legend_out.get(mark)
            if meaning is not None:  # △ where the legend says 今後実施を検討: no taking part, and kept in the finding
                self.state.find(Severity.INFO, "mark-not-taking-part", cell.location, mark=mark, meaning=meaning)
            elif not marks.is_blank(text):
                self.state.find(Severity.ERROR, "unknown-mark", cell.location, mark=text[:10])
                self.state.unknown_marks.append((cell.location, text.strip()))
            return None
        if kind not in self.state.mark_kinds:  # each kind once: where it is first met, and the info of a lead mark
            if kind in _LEADS and not _LEADS & self.state.mark_kinds.keys():
                self.state.find(Severity.INFO, "lead-without-legend", cell.location, mark=kind)
            self.state.mark_kinds[kind] = cell.location
        return Role.MEMBER

    def counted_marks(self) -> None:
        """A word no list knows, written in the towns' cells as a mark (該当, 対象, 実施中), read as taking part
        where the table's own counts prove it: every project it stands in that declares a count (two at least)
        counts it, as the marks it knows (or those less the central city's), and none would agree without it; a
        word the counts prove the other way (いいえ beside はい, N beside Y) read as not taking part. Each such word
        is said once (``mark-by-counts``, ``blank-by-counts``: warnings, a legend makes it certain); the cells of
        any other stay unknown marks."""
        unknown = self.state.unknown_marks
        if not unknown:
            return
        vision = self.state.vision
        at = {where: (p, town) for p in vision.projects for town, where in p.cells.items()}
        order = {m.name: i for i, m in enumerate(vision.municipalities)}
        central = {m.name for m in vision.municipalities if m.central}
        by_word: dict[str, list[Location]] = {}
        for where, text in unknown:
            by_word.setdefault(text, []).append(where)
        adopted: set[Location] = set()
        # The words that take part first, then those that say a town does not (いいえ beside はい), against the
        # marks the first pass made.
        for taking_part in (True, False):
            for word, cells in by_word.items():
                if adopted.issuperset(cells) or not _WORD_MARK.fullmatch(word) or any(w not in at for w in cells):
                    continue
                added: dict[int, tuple[Project, set[str]]] = {}
                for where in cells:
                    project, town = at[where]
                    added.setdefault(id(project), (project, set()))[1].add(town)
                counted = [(p, towns) for p, towns in added.values() if p.declared_count is not None]
                if len(counted) < 2 or 2 * len(counted) < len(added):
                    continue
                if not all(_counts_with(p, towns, central) is taking_part for p, towns in counted):
                    continue
                if taking_part:
                    for project, towns in added.values():
                        roles = {**project.participants, **dict.fromkeys(towns, Role.MEMBER)}
                        project.participants = dict(sorted(roles.items(), key=lambda r: order.get(r[0], len(order))))
                adopted.update(cells)
                said = {"mark": word, "cells": len(cells), "projects": len(counted)}
                if taking_part:
                    self.state.find(Severity.WARNING, "mark-by-counts", cells[0], **said)
                else:
                    self.state.find(Severity.WARNING, "blank-by-counts", cells[0], **said)
        if adopted:
            self.state.findings[:] = [
                f for f in self.state.findings if not (f.code == "unknown-mark" and f.location in adopted)
            ]

    def central_by_legend(self) -> None:
        """The columns whose every mark is one the legend explains as the central city's (◎：中心市) are the
        central city's, as a 中心市 group over them would make them: a count that leaves the central city out is
        then told by the checks; the sphere's central city where the title named none and one column is."""
        at = self.state.central_at
        if not at:
            return
        vision = self.state.vision
        central = []
        for m in vision.municipalities:
            marked = [p.cells.get(m.name) for p in vision.projects if m.name in p.participants]
            if marked and all(where in at for where in marked):
                m.central = True
                central.append(m)
        if len(central) == 1 and vision.sphere.central_city is None and self.state.central_label is None:
            vision.sphere.central_city = central[0]
            vision.sphere.prefecture = vision.sphere.prefecture or central[0].prefecture

    def settle_reposts(self) -> None:
        """A row listed again whose number cell says so (再掲, 1（再掲）: numbered by its place while read) takes the
        number of the project it repeats, which it is: no other project's number (a project's page, an edit's
        check of the numbers) is taken by its place."""
        projects = self.state.vision.projects
        for again, original in reposts(projects).items():
            project = projects[again]
            if project.number_label and repost_marker(project.number_label) is not None:
                project.number = projects[original].number

    def settle_unnumbered(self) -> None:
        """Rows without a number, once the whole table is read. Where no row has one (a table that lists its
        projects by name alone), each is numbered by its place, and that is said once (``numbered-by-place``):
        the numbers are renkei's, the names and marks the document's. Where other rows have numbers, a row
        without one is a row the reading cannot place (``row-unnumbered``) and is left out."""
        unnumbered = self.state.unnumbered
        if not unnumbered:
            return
        vision = self.state.vision
        named = {id(project) for project, text, _ in self.state.named if text.strip()}  # resolved after this
        if len(unnumbered) == len(vision.projects) and any(p.participants or id(p) in named for p, _, _ in unnumbered):
            first, last = unnumbered[0], unnumbered[-1]
            self.state.find(Severity.WARNING, "numbered-by-place", first[1], count=len(unnumbered), last=last[2][:40])
            return
        dropped = {id(project) for project, _, _ in unnumbered}
        vision.projects = [p for p in vision.projects if id(p) not in dropped]
        self.state.named = [n for n in self.state.named if id(n[0]) not in dropped]
        self.state.kind_counts = [k for k in self.state.kind_counts if id(k[0]) not in dropped]
        for _, where, name in unnumbered:
            self.state.find(Severity.ERROR, "row-unnumbered", where, text=name[:40])

    # Participants in one cell -----------------------------------------------------------------------------

    def resolve_named(self) -> None:
        """The columns and marks of a table that names its participants in one cell. The members are those of
        a members line where there is one (a name outside it is reported), otherwise the towns met, in the
        order first met; 全市町 is every member, less those it excludes. The model is the same matrix as a ○
        table's."""
        if not self.state.named or self.state.vision.municipalities:
            return
        parsed = [(project, participants.parse_named(text), cell) for project, text, cell in self.state.named]
        line_names, line_at = self.state.members_line or self.state.members_table or ([], None)
        central = self.state.vision.sphere.central_city
        registry, sphere_prefecture = self.state.registry, self.state.vision.sphere.prefecture

        def resolves(text: str) -> bool:
            return registry.resolve(split_label(text).name, sphere_prefecture).entry is not None

        # 鳥取市と岩美町: two names where the whole is none (ときがわ町 stays whole).
        parsed = [
            (
                p,
                dataclasses.replace(n, names=[x for name in n.names for x in participants.conjoined(name, resolves)]),
                c,
            )
            for p, n, c in parsed
        ]
        met = [(name, cell.location) for _, named, cell in parsed for name in [*named.names, *named.excluded]]
        # 中心市のみ: the sphere's central city, where the title or a members line named it; else the words as
        # written, an unknown name said as such.
        by_role = [(named, cell) for _, named, cell in parsed if named.central]
        met += [(central.name if central is not None else cell.text.strip(), cell.location) for _, cell in by_role]
        prefecture = self.state.vision.sphere.prefecture or self.state.members.common_prefecture(
            [*line_names, *(name for name, _ in met)]
        )
        by_text: dict[str, Municipality] = {}

        def column(text: str, where: Location | None, from_line: bool) -> Municipality:
            found = by_text.get(key(text))
            if found is None:
                found = by_text[key(text)] = self.state.members.municipality(text, where, prefecture)
                found.central = split_label(text).central
                if self.state.vision.municipality(found.name) is None:
                    if central is not None and found.name == central.name and not from_line:
                        # The central city named beside the members a line lists (連携中枢都市：広島市 on its own
                        # line): a member too, its column first.
                        self.state.vision.municipalities.insert(0, found)
                        return found
                    if not from_line and line_names:
                        self.state.find(Severity.WARNING, "participant-not-member", where, name=found.name)
                    self.state.vision.municipalities.append(found)
            return found

        for name in line_names:
            member = column(name, line_at, from_line=True)
            if self.state.members_grouped and member.prefecture and name == f"{member.prefecture}{member.name}":
                member.label = member.name  # written under its prefecture's bracket, without it
            # A cell names the member as the line's group does not (美郷町 under （島根県）): the line's town.
            by_text.setdefault(key(member.name), member)
        for name, where in met:
            column(name, where, from_line=False)
        everyone = [m.name for m in self.state.vision.municipalities]
        for project, named, cell in parsed:
            if named.every:
                excluded = {column(n, cell.location, from_line=False).name for n in named.excluded}
                chosen = {n for n in everyone if n not in excluded and (not named.kinds or n[-1] in named.kinds)}
            else:
                names = named.names
                if named.central:
                    names = [central.name if central is not None else cell.text.strip()]
                chosen = {column(n, cell.location, from_line=False).name for n in names}
                if named.others is not None:
                    chosen |= self._others(named, chosen, everyone, cell)
            project.participants = {n: Role.MEMBER for n in everyone if n in chosen}
            for name in project.participants:
                project.cells[name] = cell.location
            if named.stated is not None:
                self._stated_count(project, named.stated, cell)
        self._mark_central_columns()

    def columns_not_members(self) -> None:
        """A ○ table under a list of the sphere's members (a members line, a table of the members above it): a
        town column the list does not name is said at its header cell (``column-not-member``), whose marks are
        read as written; the list or the column is wrong."""
        listed, _ = self.state.members_line or self.state.members_table or ([], None)
        if not listed:
            return
        registry, prefecture = self.state.registry, self.state.vision.sphere.prefecture
        names = set()
        for text in listed:
            name = split_label(text).name
            found = registry.resolve(name, prefecture).entry
            names.add(found.name if found is not None else name)
        central = self.state.vision.sphere.central_city
        for m in self.state.vision.municipalities:
            if m.name in names or m.central or (central is not None and m.name == central.name):
                continue
            self.state.find(Severity.WARNING, "column-not-member", m.location, name=m.display)

    def _stated_count(self, project: Project, stated: str, cell: Cell) -> None:
        """A count the participants cell states beside the names (1市2町, 3市町): the project's declared count
        where no count column gives one, and checked kind by kind against the names (a count of kinds together,
        3市町, only as a number)."""
        if project.declared_count is None:
            project.declared_count = participants.stated_total(stated)
        kinds = participants.kinds_count(stated)
        if kinds is not None:
            self.state.kind_counts.append((project, kinds, stated, cell))
        elif participants.stated_total(stated) != len(project.participants):
            self.state.find(
                Severity.ERROR,
                "count-kinds-mismatch",
                cell.location,
                number=project.number,
                declared=stated,
                count=str(len(project.participants)),
            )

    def member_row(self, row: Row) -> bool:
        """A row of a table of the members above the project table (市町村名 | 人口 | 面積, then a row per town):
        its names are the sphere's members where the projects name their participants in one cell."""
        first = row.filled[0].text
        if key(first) in _MEMBERS_TABLE_WORDS:
            return True
        name = split_label(first).name
        if not self.state.registry.candidates(name):
            return False
        names, where = self.state.members_table or ([], row.location)
        self.state.members_table = ([*names, first.strip()], where)
        return True

    def _mark_central_columns(self) -> None:
        """The central city's column marked (``Vision.mark_central_column``); the sphere's central city, where
        nothing named one, the first column marked central (中心市 in its cell)."""
        vision = self.state.vision.mark_central_column()
        if vision.sphere.central_city is None:
            vision.sphere.central_city = next((m for m in vision.municipalities if m.central), None)

    def check_kinds(self) -> None:
        """A count written by kind (1市5町1村) against the kinds of the towns named or marked, counted as the
        count's header says (中心市を除く leaves the central cities out)."""
        excluding = "中心市を除" in key(self.state.vision.labels.count)
        central = {m.name for m in self.state.vision.municipalities if m.central}
        for project, kinds, text, cell in self.state.kind_counts:
            names = [n for n in project.participants if not (excluding and n in central)]
            actual = participants.count_by_kind(names)
            if actual != kinds:
                written = "".join(f"{n}{k}" for k, n in actual.items())
                self.state.find(
                    Severity.ERROR,
                    "count-kinds-mismatch",
                    cell.location,
                    number=project.number,
                    declared=text,
                    count=written or "0",
                )

    # Totals ----------------------------------------------------------------------------------------------

    def totals(self, row: Row) -> None:
        block = self.state.block
        assert block is not None
        vision = self.state.vision
        if self.state.several_sheets and self.state.sheet.title is not None:
            # A workbook's totals are settled once every sheet is read (layout_sheets): per sheet or whole.
            cells = self._totals_cells(row, block)
            if cells is not None:
                self.state.sheet_totals.append(
                    SheetTotal(
                        self.state.sheet.title, self.state.sheet.projects, len(vision.projects), row.location, *cells
                    )
                )
            return
        if vision.totals_location is not None:
            self.state.find(Severity.WARNING, "totals-repeated", row.location)
            return
        vision.totals_location = row.location
        cells = self._totals_cells(row, block)
        if cells is None:
            return
        self.assign_totals(*cells)

    def counts_by_town(self, row: Row) -> bool:
        """A totals row told by what it holds, under a label renkei has no word for (事業数, 参加事業数, 取組件数):
        below a project, its first value a label left of the municipalities (not a number: a project's), and for
        the municipalities (under them, or one after another after the label, as ``_totals_cells`` matches them)
        only whole numbers, two or more, one of them above 1 (a table marked with 1 has rows of 1s) and none above
        the projects there are, and for most of them no fewer than the marks counted above (a fragment's totals
        count rows it lacks; a count below the marks is the fault the totals check reports)."""
        block, vision = self.state.block, self.state.vision
        label = self._summary_label(row)
        if block is None or label is None or marks.takes_part(label.text):
            return False
        matched = self._matched_totals(row, block)
        if matched is None:
            return False
        counts: dict[str, int] = {}
        for name, cell in matched[0].items():
            text = key(cell.text)
            if text and not text.isdigit():
                return False
            if text:
                counts[name] = int(text)
        # A count of projects is at most the projects there are: the rows read, or the highest number among them
        # (a fragment's totals count rows it lacks); a row of amounts (負担額) under the towns is no totals row.
        most = max(len(vision.projects), *(p.number for p in vision.projects))
        if len(counts) < 2 or not 2 <= max(counts.values()) <= most:
            return False
        marked = {name: sum(1 for p in vision.projects if name in p.participants) for name in counts}
        return 2 * sum(1 for name, n in counts.items() if n >= marked[name]) >= len(counts)

    def _summary_label(self, row: Row) -> Cell | None:
        """The label of a row that may sum up the projects above it under the towns (a totals row, a row of rates):
        its first cell, left of the municipalities and no project's number, under a block of towns and below a
        project; None where the row can be no such row."""
        block = self.state.block
        if block is None or not block.municipalities or not self.state.vision.projects:
            return None
        label = row.filled[0]
        if row.cells.index(label) >= min(block.municipalities) or _NUMBER.match(label.text):
            return None
        return label

    def rates_row(self, row: Row) -> bool:
        """A row of rates under the towns (参加率 100% 67% …, ingest/rates.py), below a project: its label left of
        the municipalities, its cells matched to them as a totals row's are, every one that is filled a rate.
        Kept for the check at the end of the reading; False (nothing read) otherwise."""
        block, label = self.state.block, self._summary_label(row)
        if block is None or label is None:
            return False
        matched = self._matched_totals(row, block)
        read = read_rates(label, *matched, row.location) if matched is not None else None
        if read is None:
            return False
        self.state.rates.append(read)
        return True

    def assign_totals(self, town_cells: dict[str, Cell], grand: Cell | None) -> None:
        """The totals row of the whole table: the vision's declared totals, as printed."""
        vision = self.state.vision
        for name, cell in town_cells.items():
            vision.totals_cells[name] = cell.location
            value = self.total(cell)
            if value is not None:
                vision.declared_totals[name] = value
        if grand is not None:
            vision.declared_grand_total = self.total(grand)
            vision.grand_total_cell = grand.location

    def _totals_cells(self, row: Row, block: Block) -> tuple[dict[str, Cell], Cell | None] | None:
        """Match the totals row to the municipalities (``_matched_totals``), or say that it does not match."""
        matched = self._matched_totals(row, block)
        if matched is None:
            names = self.state.vision.municipalities
            values = len(self._values_after_label(row, len(names)))
            self.state.find(Severity.ERROR, "totals-misaligned", row.location, values=values, expected=len(names) + 1)
        return matched

    def _matched_totals(self, row: Row, block: Block) -> tuple[dict[str, Cell], Cell | None] | None:
        """The totals row's cell for each municipality, and the grand total's: by position when it spans the
        header exactly, otherwise by count (one figure per municipality, then the grand total); None when
        neither fits."""
        names = [m.name for m in self.state.vision.municipalities]
        if len(row.cells) == block.width and all(key(c.text) == "" for c in self._values_at(row, block)):
            towns = {block.municipalities[i]: row.cells[i] for i in block.municipalities}
            count_at = block.first(Column.COUNT)
            return towns, row.cells[count_at] if count_at is not None else None
        values = self._values_after_label(row, len(names))
        if len(values) in (len(names), len(names) + 1):
            grand = values[len(names)] if len(values) > len(names) else None
            return dict(zip(names, values[: len(names)], strict=True)), grand
        return None

    @staticmethod
    def _values_after_label(row: Row, towns: int) -> list[Cell]:
        """The cells after a totals row's label, without the empty ones that pad it on either side."""
        values = list(row.cells[row.cells.index(row.filled[0]) + 1 :])
        while values and not values[-1].text.strip():
            values.pop()
        while len(values) > towns + 1 and not values[0].text.strip():
            values.pop(0)
        return values

    def _values_at(self, row: Row, block: Block) -> list[Cell]:
        """Cells of a full-width totals row that lie in description columns: empty when it is positional."""
        return [row.cells[i] for i, k in enumerate(block.kinds) if k is Column.DESCRIPTION]

    def total(self, cell: Cell) -> int | None:
        value = key(cell.text)
        if not value:
            return None
        figure = _FIGURE.fullmatch(value)
        if figure is not None:
            return int(figure["digits"])
        self.state.find(Severity.ERROR, "total-not-number", cell.location, value=cell.text.strip())
        return None


# A word written as a mark: one to four characters, no digit, no space, no sign a list reads otherwise.
_WORD_MARK = re.compile(r"[^\s\d０-９]{1,4}")


def _counts_with(project: Project, towns: set[str], central: set[str]) -> bool | None:
    """Whether a project's declared count is its marks with ``towns`` taken as taking part (all, or less the central
    city's) and not without them (True), the other way round (False), or neither or both (None)."""
    names = set(project.participants) | towns
    counts = {len(names), len(names - central)}
    without = {len(set(project.participants)), len(set(project.participants) - central)}
    with_them, without_them = project.declared_count in counts, project.declared_count in without
    return None if with_them == without_them else with_them


# A count that says every member takes part: 全, 全て, すべて, 全部, 全市町村, 全市町, 全団体.
_ALL_COUNT = re.compile(r"全|全て|すべて|全部|全市町村|全市町|全団体")


# A phrase that says every town it stands over takes part, in a cell merged across their columns: 全市町で実施,
# 全市町村参加, 全域, すべての市町村.
_ALL_PHRASE = re.compile(r"(全|すべて|全て)(市町村|市町|町村|団体|域)?(の市町村|の市町)?(で|が)?(実施|参加|対象)?")
