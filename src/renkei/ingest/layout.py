"""Rows to a Vision: the layout of a cooperation table, recognised line by line.

A table is a sequence of lines of these kinds, in any number of blocks:

- headings of their own (a title, a legend of marks, a pillar ①, a field ア);
- a header row (項目, 事業内容, one column per municipality, 連携町数), possibly over two rows;
- project rows laid out by the header above them (number in a cell of its own or as the prefix of the name);
- one totals row (連携事業数計), matched to the municipalities by count, not by position;
- noise: blank lines and lines of dashes.

Every header is classified afresh, so blocks with different column layouts read alike. Nothing here fixes a
figure: declared counts and totals are kept as printed, and every repair is returned as a finding.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum, auto

from renkei.guidelines import pillar_for_field
from renkei.ingest.errors import TableReadError
from renkei.ingest.grid import Cell, Row
from renkei.ingest.headings import (
    FieldHeading,
    normalize_mark,
    parse_field,
    parse_legend,
    parse_pillar,
    parse_title,
)
from renkei.model import (
    Finding,
    Heading,
    Location,
    Municipality,
    Project,
    Role,
    Severity,
    Sphere,
    SphereKind,
    Vision,
)
from renkei.municipalities import Registry, Status, is_valid_code


class Column(Enum):
    NUMBER = auto()
    NAME = auto()
    DESCRIPTION = auto()
    COUNT = auto()
    PILLAR = auto()
    FIELD = auto()
    MUNICIPALITY = auto()
    EMPTY = auto()
    ATTRIBUTE = auto()


_HEADER_WORDS = {
    Column.NUMBER: {"番号", "No", "No.", "NO", "NO.", "項番", "事業番号", "通番", "#"},
    Column.NAME: {
        "項目",
        "事業名",
        "取組項目",
        "連携事業",
        "連携事業名",
        "事業",
        "取組",
        "取組名",
        "名称",
        "事業名称",
    },
    Column.DESCRIPTION: {
        "事業内容",
        "取組の内容",
        "取組内容",
        "概要",
        "事業概要",
        "取組概要",
        "内容",
        "具体的な内容",
    },
    Column.PILLAR: {"柱", "政策の柱", "取組の柱", "基本方針"},
    Column.FIELD: {"分野", "政策分野", "取組分野"},
}
_COUNT = re.compile(r"(連携|参加|関係)[市町村区]*数|[市町村]数")
_TOTALS = re.compile(r"(連携)?(事業数)?(合計|総計|計)|連携事業数")
_NAME_LIKE = re.compile(r"^[^\s\d]{1,8}[市町村区]$")
_NUMBER = re.compile(r"^[\s\u3000]*[(（]?(?P<digits>[0-9０-９]+)[)）]?[\s\u3000.．、:：]*(?P<rest>.*)$", re.S)
_DASHES = re.compile(r"^[-－―─━‐ー_=＝~〜\s\u3000]*$")
_NOTE = re.compile(r"^[\s\u3000]*[※*＊注]")
_NO_MARK = {"", "-", "ー", "―", "‐", "—", "×", "✕", "✖", "x", "X", "なし", "無"}
_CIRCLE = "○"
_LEADS = {"◎", "●"}


def key(text: str) -> str:
    """The matching form of a cell: NFKC with no spaces. Only for matching; values keep their spelling."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass
class _Block:
    """The column layout that a header row gives to the rows under it."""

    row: Row
    kinds: list[Column]
    municipalities: dict[int, str] = field(default_factory=dict)

    @property
    def width(self) -> int:
        return len(self.kinds)

    def first(self, kind: Column) -> int | None:
        return next((i for i, k in enumerate(self.kinds) if k is kind), None)

    def identity(self) -> list[int]:
        """Columns that hold a project's number and name: those left of its description and marks."""
        stops = [i for i, k in enumerate(self.kinds) if k in (Column.DESCRIPTION, Column.MUNICIPALITY)]
        end = min(stops, default=self.width)
        return [i for i in range(end) if self.kinds[i] in (Column.NUMBER, Column.NAME, Column.EMPTY)]


def classify_header(text: str, registry: Registry) -> Column:
    k = key(text)
    if not k:
        return Column.EMPTY
    for kind, words in _HEADER_WORDS.items():
        if k in words:
            return kind
    if _COUNT.fullmatch(k):
        return Column.COUNT
    if is_valid_code(k) and registry.by_code(k) is not None:
        return Column.MUNICIPALITY
    if "連携" in k or "参加" in k or "市町村" in k:
        return Column.ATTRIBUTE
    if registry.is_municipality_name(k) or _NAME_LIKE.match(k):
        return Column.MUNICIPALITY
    return Column.ATTRIBUTE


class LayoutReader:
    """Reads the rows of one table into a Vision and the findings met on the way."""

    def __init__(self, registry: Registry, sphere: Sphere | None = None) -> None:
        self.registry = registry
        self.vision = Vision(sphere=sphere or Sphere())
        self.findings: list[Finding] = []
        self.block: _Block | None = None
        self.pillar: Heading | None = None
        self.field: Heading | None = None
        self.previous_was_header = False
        self.seen_header = False

    def read(self, rows: list[Row]) -> Vision:
        rows = [r for r in rows if not r.is_blank() and not all(_DASHES.match(c.text) for c in r.cells)]
        # A legend may stand below the table; it decides the marks above it too.
        for row in rows:
            if len(row.filled) <= 3:
                self.vision.legend.update(parse_legend(" ".join(c.text for c in row.filled)))
        for row in rows:
            self._line(row)
        if not self.seen_header:
            raise TableReadError("no-table")
        if not self.vision.projects:
            self._find(Severity.ERROR, "no-projects", self.block.row.location if self.block else None)
        if self.vision.totals_location is None:
            self._find(Severity.INFO, "no-totals", None)
        return self.vision

    # One line --------------------------------------------------------------------------------------------

    def _line(self, row: Row) -> None:
        filled = row.filled
        text = " ".join(c.text.strip() for c in filled)
        if _TOTALS.fullmatch(key(filled[0].text)) and self.block is not None:
            self._totals(row)
        elif self._is_header(row):
            self._header(row)
            return
        elif len(filled) <= 2 and not self._has_marks(row) and self._heading(text, filled[0].location):
            pass
        elif self._is_project_row(row):
            self._project(row)
        else:
            self._find(Severity.WARNING, "line-unrecognised", filled[0].location, text=text[:40])
        self.previous_was_header = False

    def _find(self, severity: Severity, code: str, location: Location | None, **params: object) -> None:
        self.findings.append(Finding(severity, code, params, location))

    def _is_header(self, row: Row) -> bool:
        kinds = [classify_header(c.text, self.registry) for c in row.cells]
        if kinds.count(Column.MUNICIPALITY) >= 2:
            return True
        return Column.COUNT in kinds and len(row.filled) >= 2 and not self._has_marks(row)

    def _has_marks(self, row: Row) -> bool:
        return any(normalize_mark(c.text.strip()) in {_CIRCLE, *_LEADS} for c in row.cells)

    def _is_project_row(self, row: Row) -> bool:
        if self.block is None:
            return False
        if len(row.filled) >= 2:
            return True
        # A lone cell that starts with a number is a row cut short, not a heading.
        return bool(_NUMBER.match(row.filled[0].text)) and parse_pillar(row.filled[0].text) is None

    # Headings --------------------------------------------------------------------------------------------

    def _heading(self, text: str, where: Location) -> bool:
        """Take a line of its own (pillar, field, legend, title or note); False when it is none of these."""
        pillar = parse_pillar(text)
        if pillar is not None:
            self.pillar, self.field = pillar[0], None
            if pillar[1] is not None:
                self._field(pillar[1], where)
            return True
        field_heading = parse_field(text)
        if field_heading is not None:
            self._field(field_heading, where)
            return True
        if parse_legend(text):
            return True
        title = parse_title(text)
        if title is not None and not self.seen_header:
            self._title(*title, where=where)
            return True
        if _NOTE.match(text):
            self._find(Severity.INFO, "note-skipped", where, text=text[:40])
            return True
        return False

    def _field(self, heading: FieldHeading, where: Location) -> None:
        if heading.repaired_from is not None:
            self._find(
                Severity.INFO,
                "label-repaired",
                where,
                found=heading.repaired_from,
                fixed=heading.heading.label,
                heading=str(heading.heading),
            )
        self.field = heading.heading
        if self.pillar is None:
            self.pillar = pillar_for_field(heading.heading.title, self.vision.sphere.kind)
            if self.pillar is not None:
                self._find(
                    Severity.INFO,
                    "pillar-inferred",
                    where,
                    field=str(heading.heading),
                    pillar=str(self.pillar),
                )
            else:
                self._find(Severity.WARNING, "pillar-missing", where, field=str(heading.heading))

    def _title(self, name: str, kind: SphereKind, central: str | None, where: Location) -> None:
        sphere = self.vision.sphere
        if not sphere.name:
            sphere.name = name
            sphere.kind = kind
        if central is not None and sphere.central_city is None:
            resolved = self.registry.resolve(central, sphere.prefecture)
            entry = resolved.entry
            sphere.central_city = Municipality(
                name=entry.name if entry else central,
                code=entry.code if entry else None,
                prefecture=entry.prefecture if entry else None,
                label=central,
                location=where,
            )
            if entry is not None and sphere.prefecture is None:
                sphere.prefecture = entry.prefecture

    # Header ----------------------------------------------------------------------------------------------

    def _header(self, row: Row) -> None:
        if self.previous_was_header and self.block is not None:
            row = _merge_header(self.block.row, row)
        kinds = [classify_header(c.text, self.registry) for c in row.cells]
        block = _Block(row, kinds)
        labels = [(i, row.cells[i]) for i, k in enumerate(kinds) if k is Column.MUNICIPALITY]
        names = self._municipalities(labels)
        block.municipalities = dict(zip((i for i, _ in labels), names, strict=True))
        self.block = block
        self.previous_was_header = True
        self.seen_header = True
        self._labels(row, kinds)

    def _labels(self, row: Row, kinds: list[Column]) -> None:
        labels = self.vision.labels
        for cell, kind in zip(row.cells, kinds, strict=True):
            if kind is Column.NAME:
                labels.name = cell.text.strip()
            elif kind is Column.DESCRIPTION:
                labels.description = cell.text.strip()
            elif kind is Column.COUNT:
                labels.count = cell.text.strip()

    def _municipalities(self, labels: list[tuple[int, Cell]]) -> list[str]:
        """Resolve the header's municipality columns; the first header fixes the table's columns."""
        texts = [cell.text.strip() for _, cell in labels]
        known = {m.label: m.name for m in self.vision.municipalities}
        if self.vision.municipalities:
            if texts != [m.label for m in self.vision.municipalities]:
                self._find(Severity.ERROR, "header-mismatch", labels[0][1].location if labels else None)
            if all(t in known for t in texts):
                return [known[t] for t in texts]
        prefecture = self.vision.sphere.prefecture or self.registry.common_prefecture(
            t for t in texts if not is_valid_code(key(t))
        )
        names: list[str] = []
        for (_, cell), text in zip(labels, texts, strict=True):
            if text in known:
                names.append(known[text])
                continue
            municipality = self._municipality(text, cell.location, prefecture)
            if self.vision.municipality(municipality.name) is not None:
                self._find(Severity.ERROR, "municipality-duplicate", cell.location, name=municipality.name)
            else:
                self.vision.municipalities.append(municipality)
            names.append(municipality.name)
        if self.vision.sphere.prefecture is None:
            self.vision.sphere.prefecture = prefecture
        return names

    def _municipality(self, text: str, where: Location, prefecture: str | None) -> Municipality:
        code = key(text)
        if is_valid_code(code):
            entry = self.registry.by_code(code)
            if entry is not None:
                return Municipality(entry.name, entry.code, entry.prefecture, entry.name, where)
        resolution = self.registry.resolve(text, prefecture)
        entry = resolution.entry
        if resolution.status is Status.UNKNOWN:
            self._find(Severity.WARNING, "municipality-unknown", where, name=text)
        elif resolution.status is Status.AMBIGUOUS:
            options = "、".join(f"{e.prefecture}{e.name}" for e in resolution.candidates)
            self._find(Severity.WARNING, "municipality-ambiguous", where, name=text, candidates=options)
        elif resolution.status is Status.BY_PREFECTURE and entry is not None:
            self._find(Severity.INFO, "municipality-by-prefecture", where, name=text, prefecture=entry.prefecture)
        if entry is None:
            return Municipality(key(text), None, None, text, where)
        return Municipality(entry.name, entry.code, entry.prefecture, text, where)

    # Project rows ----------------------------------------------------------------------------------------

    def _project(self, row: Row) -> None:
        block = self.block
        assert block is not None
        if len(row.cells) != block.width:
            self._find(
                Severity.ERROR,
                "row-width",
                row.location,
                cells=len(row.cells),
                expected=block.width,
                header_line=block.row.location.line,
            )
        number, name, where = self._identity(row, block)
        if number is None:
            self._find(Severity.ERROR, "row-unnumbered", where, text=name[:40])
            return
        project = Project(number=number, name=name, location=row.location)
        project.pillar, project.field = self._row_headings(row, block)
        for i, kind in enumerate(block.kinds):
            cell = row.cell(i)
            if cell is None:
                continue
            text = cell.text.strip()
            if kind is Column.DESCRIPTION:
                project.description = text
            elif kind is Column.COUNT:
                project.declared_count = self._count(text, cell)
                project.cells["count"] = cell.location
            elif kind is Column.MUNICIPALITY:
                project.cells[block.municipalities[i]] = cell.location
                role = self._mark(text, cell)
                if role is not None:
                    project.participants[block.municipalities[i]] = role
            elif kind is Column.ATTRIBUTE and text:
                project.attributes[block.row.cells[i].text.strip()] = text
        project.participants = {
            m.name: project.participants[m.name] for m in self.vision.municipalities if m.name in project.participants
        }
        self.vision.projects.append(project)

    def _identity(self, row: Row, block: _Block) -> tuple[int | None, str, Location]:
        """A row's number and name, from a number column or from the number that starts the name."""
        cells = [c for i in block.identity() if (c := row.cell(i)) is not None and c.text.strip()]
        if not cells:
            cells = row.filled[:1]
        where = cells[0].location if cells else row.location
        number_at = block.first(Column.NUMBER)
        if number_at is not None and (cell := row.cell(number_at)) is not None and cell.text.strip():
            match = _NUMBER.match(cell.text)
            rest = [c.text.strip() for c in cells if c is not cell]
            number = int(key(match["digits"])) if match and not match["rest"].strip() else None
            return number, " ".join(rest), where
        match = _NUMBER.match(cells[0].text) if cells else None
        if match is None:
            return None, " ".join(c.text.strip() for c in cells), where
        rest = [match["rest"].strip(), *(c.text.strip() for c in cells[1:])]
        return int(key(match["digits"])), " ".join(r for r in rest if r), where

    def _row_headings(self, row: Row, block: _Block) -> tuple[Heading | None, Heading | None]:
        """Headings given in columns of their own (as renkei's CSV writes them) override those above."""
        pillar_at, field_at = block.first(Column.PILLAR), block.first(Column.FIELD)
        pillar, field_heading = self.pillar, self.field
        if pillar_at is not None and (cell := row.cell(pillar_at)) is not None and cell.text.strip():
            parsed = parse_pillar(cell.text)
            pillar = parsed[0] if parsed else Heading("", cell.text.strip())
        if field_at is not None and (cell := row.cell(field_at)) is not None and cell.text.strip():
            parsed_field = parse_field(cell.text)
            field_heading = parsed_field.heading if parsed_field else Heading("", cell.text.strip())
        return pillar, field_heading

    def _count(self, text: str, cell: Cell) -> int | None:
        if not text or key(text) in _NO_MARK:
            return None
        value = key(text)
        if value.isdigit():
            return int(value)
        self._find(Severity.ERROR, "count-not-number", cell.location, value=text)
        return None

    def _mark(self, text: str, cell: Cell) -> Role | None:
        mark = normalize_mark(text)
        if mark in _NO_MARK or key(mark) in _NO_MARK:
            return None
        if mark in self.vision.legend:
            return self.vision.legend[mark]
        if mark == _CIRCLE:
            return Role.MEMBER
        if mark in _LEADS:
            if not any(f.code == "lead-without-legend" for f in self.findings):
                self._find(Severity.INFO, "lead-without-legend", cell.location, mark=mark)
            return Role.MEMBER
        self._find(Severity.ERROR, "unknown-mark", cell.location, mark=text[:10])
        return None

    # Totals ----------------------------------------------------------------------------------------------

    def _totals(self, row: Row) -> None:
        block = self.block
        assert block is not None
        vision = self.vision
        if vision.totals_location is not None:
            self._find(Severity.WARNING, "totals-repeated", row.location)
            return
        vision.totals_location = row.location
        cells = self._totals_cells(row, block)
        if cells is None:
            return
        town_cells, grand = cells
        for name, cell in town_cells.items():
            vision.totals_cells[name] = cell.location
            value = self._total(cell)
            if value is not None:
                vision.declared_totals[name] = value
        if grand is not None:
            vision.declared_grand_total = self._total(grand)
            vision.grand_total_cell = grand.location

    def _totals_cells(self, row: Row, block: _Block) -> tuple[dict[str, Cell], Cell | None] | None:
        """Match the totals row to the municipalities: by position when it spans the header exactly,
        otherwise by count (one figure per municipality, then the grand total)."""
        names = [m.name for m in self.vision.municipalities]
        if len(row.cells) == block.width and all(key(c.text) == "" for c in self._values_at(row, block)):
            towns = {block.municipalities[i]: row.cells[i] for i in block.municipalities}
            count_at = block.first(Column.COUNT)
            return towns, row.cells[count_at] if count_at is not None else None
        label_at = row.cells.index(row.filled[0])
        values = list(row.cells[label_at + 1 :])
        while values and not values[-1].text.strip():
            values.pop()
        while len(values) > len(names) + 1 and not values[0].text.strip():
            values.pop(0)
        if len(values) in (len(names), len(names) + 1):
            grand = values[len(names)] if len(values) > len(names) else None
            return dict(zip(names, values[: len(names)], strict=True)), grand
        self._find(Severity.ERROR, "totals-misaligned", row.location, values=len(values), expected=len(names) + 1)
        return None

    def _values_at(self, row: Row, block: _Block) -> list[Cell]:
        """Cells of a full-width totals row that lie in description columns: empty when it is positional."""
        return [row.cells[i] for i, k in enumerate(block.kinds) if k is Column.DESCRIPTION]

    def _total(self, cell: Cell) -> int | None:
        value = key(cell.text)
        if not value:
            return None
        if value.isdigit():
            return int(value)
        self._find(Severity.ERROR, "total-not-number", cell.location, value=cell.text.strip())
        return None


def _merge_header(upper: Row, lower: Row) -> Row:
    """A header over two rows: the lower row's cell where it has one, the upper row's otherwise."""
    width = max(len(upper.cells), len(lower.cells))
    cells = []
    for i in range(width):
        low, up = lower.cell(i), upper.cell(i)
        cells.append(low if low is not None and low.text.strip() else (up or low))
    return Row(tuple(c for c in cells if c is not None), lower.location)
