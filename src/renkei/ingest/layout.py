"""Rows to a Vision: the layout of a cooperation table, recognised line by line.

A table is a sequence of lines of these kinds, in any number of blocks:

- headings of their own (a title, a legend of marks, a pillar ①, a field ア, or both on one line);
- a header row (項目, 事業内容, one column per municipality, 連携町数), possibly over two rows;
- project rows laid out by the header above them (number in a cell of its own or as the prefix of the name;
  headings in cells of their own where the table has a 柱/分野 column or a field column merged down);
- continuation rows: the rest of the project above, with text but no number or name of its own;
- one totals row (連携事業数計), matched to the municipalities by count, not by position; subtotals (小計);
- noise: blank lines and lines of dashes.

Every header is classified afresh, so blocks with different column layouts read alike. Nothing here fixes a
figure: declared counts and totals are kept as printed, and every repair is returned as a finding.

This module reads the lines, headings and sheets, and holds the reader's stages, each an object of its own
module given the one ``LayoutState`` (``layout_blocks``) it reads and writes: ``layout_header.HeaderStage``
the header rows (its output, the ``Block`` of the rows under a header), ``layout_rows.RowStage`` the project
rows and the totals, ``layout_sheets.SheetStage`` a workbook's totals.
"""

from __future__ import annotations

import re

from renkei.ingest import participants
from renkei.ingest.errors import TableReadError
from renkei.ingest.figures import plan_period, unit_note
from renkei.ingest.grid import Cell, Row
from renkei.ingest.headings import (
    FieldHeading,
    central_line,
    label_style,
    legend_central,
    parse_bracketed,
    parse_field,
    parse_headings,
    parse_pillar,
    parse_title,
)
from renkei.ingest.layout_blocks import (
    _BARE_NUMBERED,
    _DASHES,
    _NOTE,
    _SPACE_RUNS,
    _SUBTOTAL,
    _TOTALS,
    Column,
    LayoutState,
    _legend_of,
    _line_text,
    _Sheet,
    classify_header,
    key,
    legend_out_of,
)
from renkei.ingest.layout_budgets import check_plan_period
from renkei.ingest.layout_header import HeaderStage
from renkei.ingest.layout_rates import check_rates
from renkei.ingest.layout_rows import RowStage
from renkei.ingest.layout_sheets import SheetStage
from renkei.ingest.members import split_label
from renkei.ingest.meta import read_meta
from renkei.ingest.notes import central_note
from renkei.ingest.tidy import read_tidy
from renkei.ingest.understood import Understood
from renkei.ingest.vertical import lost_cells
from renkei.places.municipalities import Registry
from renkei.vision.guidelines import is_pillar_title, kind_of_pillar, names_policy_field, pillar_for_field
from renkei.vision.model import Finding, Heading, Location, Severity, Sphere, SphereKind, Vision

# A page number as a PDF copy keeps it between a table's pages: － 23 －, - 23 -, P.23, 23ページ, 23/40.
_PAGE_NUMBER = re.compile(
    r"^[\s\u3000]*(?:[-－―‐ー—–][\s\u3000]*[0-9０-９]{1,4}[\s\u3000]*[-－―‐ー—–]|[PpＰｐ][.．]?[\s\u3000]*[0-9０-９]{1,4}"
    r"|[0-9０-９]{1,4}[\s\u3000]*(?:ページ|頁)|[0-9０-９]{1,4}[\s\u3000]*[/／][\s\u3000]*[0-9０-９]{1,4})[\s\u3000]*$"
)

# The longest unnumbered line taken as a pillar for its wording (生活機能の強化に係る政策分野 is 14 characters):
# a longer line that holds a pillar's words is a sentence about it.
_PILLAR_LONGEST = 30

# Column and classify_header are read by ingest/aligned.py from here, with the reader.
__all__ = ["Column", "LayoutReader", "classify_header", "key"]


class LayoutReader:
    """Reads the rows of one table into a Vision and the findings met on the way: the lines, headings and
    sheets here, the header rows, the project rows and a workbook's totals by the stages it holds, all over
    one ``LayoutState`` that each stage is given."""

    def __init__(self, registry: Registry, sphere: Sphere | None = None, name_column: str | None = None) -> None:
        self.state = LayoutState(registry, sphere, name_column)
        self.header_stage = HeaderStage(self.state)
        self.row_stage = RowStage(self.state)
        self.sheet_stage = SheetStage(self.state, self.row_stage)
        # The last pillar heading read: how many projects stood above it, and the style of its label.
        self._pillar_read: tuple[int, str] | None = None
        # The label styles read as fields under a pillar of another style ((1) under １): fields wherever met.
        self._field_styles: set[str] = set()

    @property
    def findings(self) -> list[Finding]:
        return self.state.findings

    @property
    def understood(self) -> Understood:
        return self.state.understood

    def read(self, rows: list[Row]) -> Vision:
        rows = [r for r in rows if not r.is_blank() and not all(_DASHES.match(c.text) for c in r.cells)]
        rows, meta = read_meta(rows)  # renkei's own exports: the sphere and the declared figures (ingest/meta.py)
        if meta is None:
            rows, meta = read_tidy(rows)  # renkei's tidy CSV: its named records (ingest/tidy.py)
        if meta is not None:
            self.state.own_export = True
            self.state.vision.sphere = meta.begin(self.state.vision.sphere, self.state.registry)
            self.state.findings.extend(meta.notes)
        # A legend may stand below the table; it decides the marks above it too.
        legends: list[bool] = []
        for row in rows:
            legend = _legend_of(row)
            self.state.vision.legend.update(legend)
            if legend:
                self.state.central_marks |= legend_central(" ".join(c.text.strip() for c in row.filled))
            out = legend_out_of(row, legend)  # marks it explains as not taking part (△：検討中): a legend too
            self.state.legend_out.update(out)
            legends.append(bool(legend or out))
        several_sheets = self.state.several_sheets = len({row.location.sheet for row in rows}) > 1
        self.state.rows = rows
        self._figure_notes(rows)
        for i, (row, is_legend) in enumerate(zip(rows, legends, strict=True)):
            self.state.at = i
            if several_sheets and row.location.sheet != self.state.sheet.title:
                self._end_sheet()
                self._begin_sheet(row.location.sheet)
            self.state.next_row = rows[i + 1] if i + 1 < len(rows) else None
            if not self.state.sheet.other:
                self._line(row, is_legend=is_legend)
        if several_sheets:
            self._end_sheet()
            self.sheet_stage.settle()
        if not self.state.seen_header:
            towns = lost_cells(rows, self.state.registry)
            if towns:
                raise TableReadError(
                    "one-cell-per-line", towns="、".join(towns[:3]) + ("、…" if len(towns) > 3 else "")
                )
            raise TableReadError("no-table")
        self.row_stage.settle_unnumbered()
        self.row_stage.settle_reposts()
        self.row_stage.central_by_legend()
        named = bool(self.state.named)
        self.row_stage.resolve_named()
        if not named:
            self.row_stage.columns_not_members()
        self.header_stage.resolve_central(final=True)
        self.state.vision.mark_central_column()
        self.row_stage.counted_marks()
        self._apply_central_notes()
        self._counts_leave_out_central()
        self.row_stage.settle_all_counts()
        self.row_stage.say_merged_marks()
        self.row_stage.check_kinds()
        check_plan_period(self.state)
        check_rates(self.state)
        self._check_mark_kinds()
        self._settle_kind()
        if not self.state.vision.projects:
            self.state.find(Severity.ERROR, "no-projects", self.state.block.row.location if self.state.block else None)
        if self.state.vision.totals_location is None:
            self.state.find(Severity.INFO, "no-totals", None)
        if meta is not None:
            meta.finish(self.state.vision)
        self.state.vision.plan_period = self.state.plan_period
        return self.state.vision

    # One line --------------------------------------------------------------------------------------------

    def _line(self, row: Row, is_legend: bool) -> None:
        filled = row.filled
        self.state.lone_cell = len(filled) == 1
        # What the line before was decides two readings: a header row under a header is its lower half, and
        # a row without an identity of its own under a project row is the rest of that project.
        after_header, self.state.previous_was_header = self.state.previous_was_header, False
        open_project, self.state.open_project = self.state.open_project, None
        # The subtotal's label as written (①小計 is not 1小計, a project's name) and the totals' label matched.
        bare = _SPACE_RUNS.sub("", filled[0].text)
        first = key(bare)
        # Both patterns need 計 or 事業数: most lines (project rows) are told apart without a regex.
        totals_like = self.state.block is not None and ("計" in bare or "計" in first or "事業数" in first)
        if totals_like and _SUBTOTAL.match(bare):
            self.state.find(Severity.INFO, "subtotal-skipped", row.location, text=_line_text(row)[:40])
        elif totals_like and _TOTALS.fullmatch(first) and len(filled) == 1:
            # The label alone on its line (a web page's heading over a table of the totals): no totals row
            self.state.find(Severity.INFO, "note-skipped", row.location, text=bare[:40])
        elif totals_like and _TOTALS.fullmatch(first):
            self.row_stage.totals(row)
        elif not is_legend and self.row_stage.counts_by_town(row):
            self.state.find(Severity.INFO, "totals-by-content", row.location, label=bare[:20])
            self.row_stage.totals(row)
        elif not is_legend and self.row_stage.rates_row(row):
            pass  # 参加率 100% 67% …: checked against the marks at the end (ingest/rates.py)
        elif is_legend:
            pass  # read before the lines, since it may stand below the marks it explains
        elif self.header_stage.is_header(row, below_header=after_header):
            self.header_stage.header(row, merge=after_header)
        elif after_header and self.header_stage.notes_row(row):
            pass  # 人口18.8万 under each town's name: the header's notes, not a project
        elif open_project is not None and self.row_stage.share_row(open_project, row):
            pass  # うち盛岡市 under a project, an amount beside it: the town's share
        elif open_project is not None and self.row_stage.continues(row):
            self.row_stage.continue_project(open_project, row)
        elif open_project is not None and self.row_stage.continues_name(open_project, row):
            self.row_stage.continue_name(open_project, row)
        elif len(filled) <= 2 and not self.state.has_marks(row) and self._heading(_line_text(row), filled[0].location):
            pass
        elif self.row_stage.is_project_row(row):
            self.row_stage.project(row)
        elif self.state.block is None and self.row_stage.member_row(row):
            pass
        elif not self.state.seen_header:  # above the table: its caption or a page's heading (具体的な取組)
            self.state.find(Severity.INFO, "line-before-table", filled[0].location, text=_line_text(row)[:40])
        else:
            self.state.find(Severity.WARNING, "line-unrecognised", filled[0].location, text=_line_text(row)[:40])

    # Headings --------------------------------------------------------------------------------------------

    def _heading(self, text: str, where: Location) -> bool:
        """Take a line of its own (pillar, field, title or note); False when it is none of these."""
        city = central_line(text) if not self.state.seen_header else None
        if city is not None and self.state.vision.sphere.central_city is None and self.state.central_label is None:
            # （中心市：弘前市） on a line of its own under the title
            self.state.central_label = Cell(city, where)
            self.header_stage.resolve_central(final=False)
        note = central_note(text)
        if note is not None:  # the central city takes part in every project (ingest/notes.py)
            self.state.central_notes.append((note, where))
            return True
        if city is not None:
            return True
        pillar = parse_pillar(text) or self._bare_pillar(text)
        style = label_style(pillar[0].label) if pillar is not None else ""
        if (
            pillar is not None
            and pillar[1] is None
            and (style in self._field_styles or self._right_under_pillar(style))
        ):
            # （１）医療 right under １　生活機能の強化: numbered in another style, the level below it, and so
            # wherever a heading of its style stands after (（２）福祉 under the same pillar)
            self._field_styles.add(style)
            self._field(FieldHeading(pillar[0]), where)
            return True
        if pillar is not None and pillar[1] is None and self._names_a_field(pillar[0].title):
            self._lone_field(pillar[0], where)  # (1) 医療 over its projects, no level above or below it
            return True
        if pillar is not None:
            self._pillar(pillar[0], style)
            if pillar[1] is not None:
                self._field(pillar[1], where)
            return True
        field_heading = parse_field(text)
        if field_heading is not None:
            self._field(field_heading, where)
            return True
        title = parse_title(text)
        bracketed = parse_bracketed(text) if title is None else None
        if bracketed is not None:
            self._bracketed(*bracketed, where=where)
            return True
        if self.state.seen_header and self.state.lone_cell and is_pillar_title(text) and len(text) <= _PILLAR_LONGEST:
            # 生活機能の強化 unnumbered in a cell of its own among the projects (a pillar merged across a turned
            # table's projects, a band over them): worded as a national pillar, it is one.
            self._pillar(Heading("", text.strip()), "")
            return True
        if title is not None and not self.state.seen_header:
            self._title(*title, where=where)
            return True
        if title is not None and not self.state.vision.sphere.name:  # a running title, met first on a later page
            self._title(*title, where=where)
        if _PAGE_NUMBER.match(text) or (title is not None and title[0] == self.state.vision.sphere.name):
            # Page furniture a PDF copy repeats on each page: the page number, the vision's running title; said
            # once, at the first.
            if not any(f.code == "page-furniture-skipped" for f in self.state.findings):
                self.state.find(Severity.INFO, "page-furniture-skipped", where, text=text[:40])
            return True
        members = participants.members_line(text)
        if members is not None and all(self.state.registry.candidates(split_label(n).name) for n in members):
            self.state.members_line = (members, where)
            self.state.members_grouped = participants.grouped_by_prefecture(text)
            central = next((n for n in members if split_label(n).central), None)
            if (
                central is not None
                and self.state.vision.sphere.central_city is None
                and self.state.central_label is None
            ):
                self.state.central_label = Cell(split_label(central).name, where)  # 中心市：旭川市 before the towns
                self.header_stage.resolve_central(final=False)
            stated = participants.members_line_count(text)
            actual = participants.count_by_kind([split_label(n).name for n in members])
            if stated is not None and stated != actual:
                written = "".join(f"{n}{k}" for k, n in actual.items())
                self.state.find(
                    Severity.ERROR, "members-count-mismatch", where, declared=text.split("：")[0], count=written
                )
            return True
        if _NOTE.match(text):
            self.state.find(Severity.INFO, "note-skipped", where, text=text[:40])
            return True
        # The amounts' unit (（単位：千円）) and the plan period (計画期間 令和6年度～令和10年度), read beforehand.
        return unit_note(text) is not None or (plan_period(text) is not None and not self.state.seen_header)

    def _figure_notes(self, rows: list[Row]) -> None:
        """The unit of the amounts a note line declares and the plan period a title or note states, wherever
        they stand: the budget columns and the check of their years need them."""
        for row in rows:  # a national import reads millions of cells: the words looked for before any pattern
            if self.state.unit_note is None:
                notes = (unit_note(c.text) for c in row.filled if "単位" in c.text)
                self.state.unit_note = next((u for u in notes if u is not None), None)
            if self.state.plan_period is None and len(row.filled) <= 2 and "計画期間" in (line := _line_text(row)):
                self.state.plan_period = plan_period(line)

    def _apply_central_notes(self) -> None:
        """A note that the central city, which has no column, takes part in every project: the counts include
        it where the note says so (連携町数には中心市を含む) or, where it only says that it takes part, where the
        declared counts agree with the marks and one more rather than with the marks alone. The count's label
        then says so, as a header that includes it would (連携町数（中心市を含む）): the checks, the exports and
        a re-read of them count it alike."""
        vision = self.state.vision
        label = key(vision.labels.count)
        if any(m.central for m in vision.municipalities) or "中心市を含" in label or "中心市を除" in label:
            return
        for note, where in self.state.central_notes:
            if note.named is not None and any(note.named in (m.name, m.label) for m in vision.municipalities):
                continue  # a town with a column is not the central city
            if note.named is not None and vision.sphere.central_city is None:
                self.state.central_label = Cell(note.named, where)
                self.header_stage.resolve_central(final=True)
            if not (note.counted or self._counts_include_central()):
                continue
            vision.labels.count = f"{vision.labels.count}（中心市を含む）"
            self.state.find(Severity.INFO, "central-note-applied", where, note=note.text[:80])
            self.state.understood.notes.append({"code": "central-note-applied", "text": note.text})
            return

    def _counts_leave_out_central(self) -> None:
        """Declared counts that leave the central city's column out where their header does not say so (連携市町村数
        beside a column the legend's ◎：中心市 marks): every declared count agrees with the marks less the central
        cities' and not every one with the marks alone. The count's label then says so, as a header that
        excludes them would (連携市町村数（中心市を除く）): the checks, the exports and a re-read of them count
        alike, and the reading says why."""
        vision = self.state.vision
        label = key(vision.labels.count)
        central = [m.name for m in vision.municipalities if m.central]
        if not central or "中心市を含" in label or "中心市を除" in label:
            return
        declared = [
            (p.declared_count, p.count, sum(1 for name in central if name in p.participants))
            for p in vision.projects
            if p.declared_count is not None
        ]
        if not declared or any(d != c - k for d, c, k in declared) or all(d == c for d, c, _ in declared):
            return
        vision.labels.count = f"{vision.labels.count}（中心市を除く）"
        block = self.state.block
        at = block.first(Column.COUNT) if block is not None else None
        where = block.row.cells[at].location if block is not None and at is not None else None
        self.state.find(Severity.INFO, "count-excludes-central", where, central="、".join(central))

    def _counts_include_central(self) -> bool:
        declared = [(p.declared_count, p.count) for p in self.state.vision.projects if p.declared_count is not None]
        plus_one = sum(1 for d, c in declared if d == c + 1)
        return plus_one > sum(1 for d, c in declared if d == c)

    def _bare_pillar(self, text: str) -> tuple[Heading, FieldHeading | None] | None:
        """A heading numbered without a dot or bracket (1 生活機能の強化) reads like a project cut short, so it is
        a heading only where more than its form says so: its words are a pillar's of the national guidelines, a
        field heading follows it, or it stands where a field would (``_heading`` then reads it as one)."""
        match = _BARE_NUMBERED.match(text)
        if match is None or not self.state.lone_cell:  # 1 | 事業名 in two cells is a project row's start
            return None
        following = self.state.next_row.filled if self.state.next_row is not None else ()
        below = parse_pillar(following[0].text) if len(following) == 1 else None
        field_follows = len(following) == 1 and (
            parse_field(following[0].text) is not None  # ア 医療
            or (below is not None and label_style(below[0].label) != label_style(match["label"]))  # （１）医療
        )
        # Or it stands where a field would, numbered in another style than the pillar above it (1　医療 right under
        # Ⅰ　生活機能の強化, or 2　福祉 after it once 1　医療 was read so): the level below, read as a field.
        style = label_style(match["label"])
        under = self._right_under_pillar(style) or style in self._field_styles
        if not (field_follows or is_pillar_title(match["title"]) or under):
            return None
        return Heading(match["label"], match["title"]), None

    def _pillar(self, heading: Heading, style: str) -> None:
        self.state.pillar, self.state.field = heading, None
        self._pillar_read = (len(self.state.vision.projects), style)

    def _right_under_pillar(self, style: str | None) -> bool:
        """Whether a heading stands right under a pillar heading (no project between them) numbered in another
        style than ``style`` (any, for None): it is then the level below, a field."""
        read = self._pillar_read
        return (
            read is not None
            and self.state.pillar is not None
            and read[0] == len(self.state.vision.projects)
            and read[1] != style
        )

    def _bracketed(self, opening: str, title: str, where: Location) -> None:
        """A heading in brackets without a label (【医療】): renkei's own export writes a pillar so (【】) and a
        field in square brackets (［］); in another document it is a field right under a pillar heading or
        under labelled pillars (① 生活機能の強化, then 【医療】), otherwise the top level, a pillar."""
        heading = Heading("", title)
        pillar = self.state.pillar
        if self.state.own_export:
            field = opening != "【"
        else:  # right under a pillar heading of any kind, or with labelled pillars above
            field = self._right_under_pillar(None) or (pillar is not None and bool(pillar.label))
        if field:
            self._field(FieldHeading(heading), where)
        elif self._names_a_field(title):
            self._lone_field(heading, where)
        else:
            self._pillar(heading, "【】")

    def _names_a_field(self, title: str) -> bool:
        """Whether a heading of the top level is a field all the same: its title is the name of a policy field
        of the guidelines (医療, 観光, 地域公共交通), not a pillar's wording, and no heading stands under it."""
        if is_pillar_title(title) or not names_policy_field(title):
            return False
        following = self.state.next_row.filled if self.state.next_row is not None else ()
        return not (len(following) == 1 and parse_headings(following[0].text) != (None, None))

    def _lone_field(self, heading: Heading, where: Location) -> None:
        """A field without a pillar heading: its pillar inferred from the national wording where it tells one
        (said once), none otherwise (the table has one level of headings: nothing is missing)."""
        pillar = pillar_for_field(heading.title, self.state.vision.sphere.kind)
        if pillar is not None:
            self.state.once(Severity.INFO, "pillar-inferred", where, field=str(heading), pillar=str(pillar))
        self.state.pillar, self.state.field = pillar, heading

    def _field(self, heading: FieldHeading, where: Location) -> None:
        self.state.pillar, self.state.field = self._settle(self.state.pillar, heading, where)

    def _settle(self, pillar: Heading | None, heading: FieldHeading, where: Location) -> tuple[Heading | None, Heading]:
        """A field and the pillar it stands under: the repair of its label reported, and the pillar inferred
        from the national wording where none is given (a fragment that starts below its pillar heading)."""
        self.state.report_repair(heading, where)
        if pillar is not None:
            return pillar, heading.heading
        pillar = pillar_for_field(heading.heading.title, self.state.vision.sphere.kind)
        if pillar is not None:
            self.state.once(Severity.INFO, "pillar-inferred", where, field=str(heading.heading), pillar=str(pillar))
        else:
            self.state.once(Severity.WARNING, "pillar-missing", where, field=str(heading.heading))
        return pillar, heading.heading

    def _title(self, name: str, kind: SphereKind, central: str | None, guessed: bool, where: Location) -> None:
        sphere = self.state.vision.sphere
        if not sphere.name:
            sphere.name = name
            sphere.kind = kind
            self.state.vision.titled = True
            self.state.kind_guessed = where if guessed else None
        if central is not None and sphere.central_city is None:
            self.state.central_label = Cell(central, where)
            self.header_stage.resolve_central(final=False)

    # Sheets of a workbook ---------------------------------------------------------------------------------

    def _begin_sheet(self, title: str | None) -> None:
        """A sheet boundary is a heading boundary: a vision kept as one sheet per pillar or field names the
        pillar or field in the sheet's name (① 生活機能の強化, ア 医療), and a new sheet starts without them."""
        self.state.sheet = _Sheet(
            title, len(self.state.findings), len(self.state.vision.projects), self.state.header_count
        )
        self.state.pillar = self.state.field = None
        self.state.open_project = None
        self.state.previous_was_header = False
        pillar, field_heading = parse_headings(title or "")
        where = Location(sheet=title)
        if pillar is not None:
            self.state.pillar = pillar
        if field_heading is not None:
            self._field(field_heading, where)

    def _end_sheet(self) -> None:
        """A sheet with no header, project or totals of its own (a cover, notes) is not part of the table: what
        its lines said is dropped, and that it was skipped is reported. Its title line still names the sphere."""
        sheet = self.state.sheet
        if sheet.title is None:
            return
        if sheet.other:
            del self.state.findings[sheet.findings :]
            self.state.sheet_totals = [r for r in self.state.sheet_totals if r.sheet != sheet.title]
            self.state.find(Severity.INFO, "sheet-other-table", Location(sheet=sheet.title), sheet=sheet.title)
            return
        totals = self.state.vision.totals_location
        own_totals = totals is not None and totals.sheet == sheet.title
        own_totals = own_totals or any(r.sheet == sheet.title for r in self.state.sheet_totals)
        if (
            self.state.header_count == sheet.headers
            and len(self.state.vision.projects) == sheet.projects
            and not own_totals
        ):
            del self.state.findings[sheet.findings :]
            self.state.find(Severity.INFO, "sheet-skipped", Location(sheet=sheet.title), sheet=sheet.title)

    def _settle_kind(self) -> None:
        """A title that does not say its framework (播磨圏域): the pillars' wording tells it, since each framework
        has its own national pillars ((1) 圏域全体の経済成長のけん引 is a 連携中枢都市圏's)."""
        if self.state.kind_guessed is None:
            return
        sphere = self.state.vision.sphere
        kinds = {kind_of_pillar(p.pillar.title) for p in self.state.vision.projects if p.pillar is not None}
        kinds.discard(None)
        if len(kinds) == 1:
            sphere.kind = kinds.pop()  # type: ignore[assignment]
        self.state.find(
            Severity.INFO, "sphere-kind-guessed", self.state.kind_guessed, name=sphere.name, kind=str(sphere.kind)
        )

    def _check_mark_kinds(self) -> None:
        """Two kinds of marks (○ and ◎, ○ and ✓) with no legend saying what they mean: both are read as taking
        part, and the reader is warned, since one of them may have been meant as a role or be a typo."""
        kinds = self.state.mark_kinds
        if len(kinds) >= 2 and not self.state.vision.legend:
            second = list(kinds.values())[1]
            self.state.find(Severity.WARNING, "mark-legend-missing", second, marks="、".join(kinds))
