"""The pure model of a cooperation vision (共生ビジョン / 連携中枢都市圏ビジョン).

Plain dataclasses with no I/O and no framework imports. Two kinds of figures are kept apart on purpose:
*declared* figures are what a document printed (``Project.declared_count``, ``Vision.declared_totals``) and
*computed* figures are what the marks say (``Project.count``, ``Vision.present_totals()``). Nothing ever
overwrites one with the other; the checks compare them.

Locations (where a cell came from) are carried for findings but excluded from equality, so that a vision read
back from a rendered file compares equal to the one it was rendered from.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as _field
from enum import StrEnum
from typing import TypeVar

from renkei.vision.reposts import is_marked, reposts

T = TypeVar("T")


class SphereKind(StrEnum):
    """The two national frameworks of cooperation (圏域の種類), and the other wide-area cooperations that the
    country's list names beside them (水平型の連携都市圏)."""

    SETTLEMENT = "定住自立圏"
    METROPOLITAN = "連携中枢都市圏"
    OTHER = "その他の広域連携"


class Role(StrEnum):
    """How a municipality takes part in a project: 連携 (member) or 主体 (lead, where a legend says so)."""

    MEMBER = "member"
    LEAD = "lead"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# A document's table (Word, a web page) has rows and columns but no column letters: its cells are named in R1C1
# form (R8C9: row 8, column 9), which no workbook's A1 reference can be, and said as such (表1 の 8行目・9列目).
_TABLE_CELL = re.compile(r"R([0-9]+)C([0-9]+)")


def table_cell(row: int, column: int) -> str:
    """The name of a document table's cell: ``R8C9``."""
    return f"R{row}C{column}"


@dataclass(frozen=True)
class Location:
    """Where a value came from: a line and column of a text file, a sheet and cell of a workbook, or a page of a
    PDF with the line of that page's text and the column of the table."""

    line: int | None = None
    column: int | None = None
    sheet: str | None = None
    cell: str | None = None
    page: int | None = None

    def table_position(self) -> tuple[int, int] | None:
        """The row and column of a document's table cell (``table_cell``); None where the location is a
        workbook's cell or no cell."""
        found = _TABLE_CELL.fullmatch(self.cell or "")
        return None if found is None else (int(found[1]), int(found[2]))

    def __str__(self) -> str:
        if self.cell is not None:
            return f"{self.sheet}!{self.cell}" if self.sheet else self.cell
        if self.line is None:
            return f"p{self.page}" if self.page is not None else ""
        where = f"{self.line}:{self.column}" if self.column is not None else str(self.line)
        return f"p{self.page}:{where}" if self.page is not None else where


@dataclass(frozen=True)
class Finding:
    """One result of reading or checking: a stable code, a severity, its parameters and where it points.

    The human message is not stored here: it is rendered from the message catalogue (``renkei.core.messages``)
    in the reader's language, from ``code`` and ``params``.
    """

    severity: Severity
    code: str
    params: dict[str, object] = _field(default_factory=dict)
    location: Location | None = None

    @property
    def line(self) -> int | None:
        return self.location.line if self.location else None


@dataclass(frozen=True)
class Heading:
    """A pillar (政策分野: ①, ②, ③) or field (ア, イ, ウ …) heading: the document's own label and its title.

    Labels are local to one document (産業振興 is エ in one vision and オ in another); match by title.
    """

    label: str
    title: str

    def __str__(self) -> str:
        return f"{self.label} {self.title}".strip()


@dataclass
class Municipality:
    """A municipality (市町村) by its 全国地方公共団体コード and official name.

    ``label`` keeps the spelling of the document's column header; ``name`` is the official name where the
    code resolved, otherwise the normalised label.
    """

    name: str
    code: str | None = None
    prefecture: str | None = None
    label: str | None = _field(default=None, compare=False)
    location: Location | None = _field(default=None, compare=False)
    # A central city (中心市) that has a column of its own, told by its header (旭川市（中心市）) or by a
    # 中心市 group header above it; two of them in a 複眼型 sphere. Counts "中心市を除く" leave these out.
    central: bool = _field(default=False, compare=False)

    @property
    def display(self) -> str:
        return self.label or self.name


class BudgetUnit(StrEnum):
    """The unit a document gives its amounts in (never converted: 1,200 千円 stays 1,200 in 千円)."""

    THOUSAND_YEN = "千円"
    YEN = "円"


@dataclass(frozen=True)
class Budget:
    """事業費: the amount a document gives a project for one fiscal year (年度, named by the Western year it begins
    in: 令和7年度 is 2025), or for the whole plan (総事業費) where ``fiscal_year`` is None. The whole project's
    amount where ``town`` is empty; one town's share (各市町負担) where it names the town's official name."""

    fiscal_year: int | None
    amount: int | float
    unit: str = BudgetUnit.THOUSAND_YEN.value
    town: str = ""


@dataclass(frozen=True)
class KpiResult:
    """実績: an indicator's value measured for one fiscal year, for the whole sphere (``town`` empty) or for one
    town's share. ``value`` None where the year is listed but not yet measured."""

    fiscal_year: int
    value: float | None
    town: str = ""


@dataclass(frozen=True)
class Kpi:
    """成果指標 (KPI): its name and unit, the baseline (基準値, 現状値) and target (目標値) with their fiscal years,
    and the results (実績) per fiscal year. A figure the document leaves blank is None, never guessed."""

    name: str
    unit: str = ""
    baseline: float | None = None
    baseline_year: int | None = None
    target: float | None = None
    target_year: int | None = None
    results: tuple[KpiResult, ...] = ()


@dataclass
class Project:
    """A numbered cooperation project (連携事業) and the municipalities that take part in it.

    ``participants`` maps a municipality's name to its role, in column order. ``attributes`` keeps any
    further columns of the document (甲の役割, 乙の役割 …) by their header; ``budgets`` (事業費 per fiscal year) and
    ``kpis`` (成果指標) are typed, as declared.
    """

    number: int
    name: str
    description: str = ""
    pillar: Heading | None = None
    field: Heading | None = None
    participants: dict[str, Role] = _field(default_factory=dict)
    attributes: dict[str, str] = _field(default_factory=dict)
    declared_count: int | None = None
    budgets: list[Budget] = _field(default_factory=list)
    kpis: list[Kpi] = _field(default_factory=list)
    # The number as the document writes it where it is no whole number (1-1, ①-2, 1-(1)-ア: 柱-分野-事業): the
    # project's ``number`` is then its place in the table, which renkei gives (``number-label``).
    number_label: str = ""
    location: Location | None = _field(default=None, compare=False)
    cells: dict[str, Location] = _field(default_factory=dict, compare=False, repr=False)

    @property
    def count(self) -> int:
        """The number of municipalities taking part, as the marks say (連携町数, computed)."""
        return len(self.participants)

    @property
    def written_number(self) -> int | str:
        """The number as the document writes it: the path where it is one (1-1), else the number."""
        return self.number_label or self.number


@dataclass
class Sphere:
    """A cooperation sphere (圏域): its name, framework and central city (中心市, 甲)."""

    name: str = ""
    kind: SphereKind = SphereKind.SETTLEMENT
    central_city: Municipality | None = None
    prefecture: str | None = None
    # The sphere's own grade thresholds (評価基準: the lowest achievement of A, B and C, as fractions), as the
    # registry keeps them (``sphere.grades``); None for renkei's default (``renkei.vision.grades.DEFAULT``). A
    # setting of the sphere, not content of its document: not compared, not exported
    # (``renkei.vision.budgetfigures.thresholds_of`` reads it).
    grade_thresholds: tuple[float, float, float] | None = _field(default=None, compare=False)


@dataclass(frozen=True)
class Edition:
    """Where a vision stands in the registry: its sphere's key, its revision (版) and the date it takes effect
    (適用日, ISO 8601). Exports carry it so that a file imported back lands in the sphere it came from; it is not
    content (two files of one table compare equal whatever edition they name)."""

    sphere_key: str | None = None
    revision: int | None = None
    effective_on: str | None = None
    # A part of the table (抜粋), as a filtered page shows it: what it was filtered by. Not a revision's worth.
    excerpt: str | None = None


@dataclass
class Labels:
    """The wording of the document's own header cells, kept so that a rendered table reads like the original."""

    name: str = "項目"
    description: str = "事業内容"
    count: str = "連携町数"
    totals: str = "連携事業数計"


# The most missing numbers listed one by one; beyond it they are given as ranges and a count.
MISSING_LISTED = 10_000


@dataclass
class Vision:
    """A vision's table of cooperation projects: columns of municipalities and rows of numbered projects.

    ``municipalities`` are the table's columns in order; the central city appears among them only when the
    document gives it a column (otherwise it takes part in every project and has no column).
    ``declared_totals`` is the 連携事業数計 row as printed: per municipality name, ``None`` where blank.
    """

    sphere: Sphere = _field(default_factory=Sphere)
    municipalities: list[Municipality] = _field(default_factory=list)
    projects: list[Project] = _field(default_factory=list)
    legend: dict[str, Role] = _field(default_factory=dict)
    labels: Labels = _field(default_factory=Labels)
    declared_totals: dict[str, int | None] = _field(default_factory=dict)
    declared_grand_total: int | None = None
    totals_location: Location | None = _field(default=None, compare=False)
    totals_cells: dict[str, Location] = _field(default_factory=dict, compare=False, repr=False)
    grand_total_cell: Location | None = _field(default=None, compare=False, repr=False)
    # Whether the document names its sphere in a title line: a table with its title presents itself whole,
    # so a row missing from its numbering is a mistake rather than the cut of a fragment.
    titled: bool = _field(default=False, compare=False, repr=False)
    edition: Edition = _field(default_factory=Edition, compare=False)
    # The plan period the document states (計画期間 令和6年度～令和10年度) as the fiscal years it begins and ends in:
    # the years its budgets are checked against. Not content: two files of one table compare equal without it.
    plan_period: tuple[int, int] | None = _field(default=None, compare=False)

    # Derived figures -------------------------------------------------------------------------------------

    def municipality(self, name: str) -> Municipality | None:
        return next((m for m in self.municipalities if m.name == name), None)

    def mark_central_column(self) -> Vision:
        """The column of the sphere's central city, where the table gives it one, marked as a central city's
        (``Municipality.central``), as a 中心市 group over it would: a count that leaves the central city out
        (中心市を除く) leaves its marks out. What a reading of the document ends with, and a vision read back
        from a file or the store, whose columns do not carry the mark: the sphere's central city says it."""
        central = self.sphere.central_city
        if central is not None:
            for m in self.municipalities:
                if m.name == central.name and (m.code is None or central.code is None or m.code == central.code):
                    m.central = True
        return self

    def find_municipality(self, wanted: str) -> Municipality | None:
        """A column by what a person or a URL calls it: its code, its official name or the document's label."""
        return next((m for m in self.municipalities if wanted in (m.code, m.name, m.display)), None)

    def counted(self) -> list[Project]:
        """The projects counted once each: every row but a repost (再掲) of a project the table lists
        (``renkei.vision.reposts``), which is that project again."""
        again = reposts(self.projects)
        return [p for i, p in enumerate(self.projects) if i not in again] if again else self.projects

    def present_totals(self) -> dict[str, int]:
        """Projects per municipality over the rows present, in column order (連携事業数, computed): a project
        listed again (再掲) once."""
        counts = Counter(name for p in self.counted() for name in p.participants)
        return {m.name: counts[m.name] for m in self.municipalities}

    def present_links(self) -> int:
        return sum(p.count for p in self.counted())

    def missing_ranges(self) -> list[tuple[int, int]]:
        """Runs of project numbers absent between 1 and the highest number present, as (first, last): the rows
        a fragment lacks. O(rows), whatever the numbers: a project numbered 10,000,000 is one range."""
        ranges: list[tuple[int, int]] = []
        previous = 0
        # A repost (再掲) written with no number of its own (its number cell says 再掲) is numbered by its project's,
        # or by its place where the table lacks that project: no number of the table's own.
        numbers = {p.number for p in self.projects if p.number >= 1 and not (p.number_label and is_marked(p))}
        for number in sorted(numbers):
            if number > previous + 1:
                ranges.append((previous + 1, number - 1))
            previous = number
        return ranges

    def missing_count(self) -> int:
        return sum(last - first + 1 for first, last in self.missing_ranges())

    def missing_numbers(self, limit: int = MISSING_LISTED) -> list[int]:
        """The missing project numbers one by one, the first ``limit`` of them (every one in any real table;
        ``missing_count`` and ``missing_ranges`` say the whole)."""
        numbers: list[int] = []
        for first, last in self.missing_ranges():
            numbers.extend(range(first, min(last, first + limit - len(numbers) - 1) + 1))
            if len(numbers) >= limit:
                break
        return numbers

    def in_missing_rows(self) -> dict[str, int | None]:
        """Links per municipality that the missing rows must hold: declared total minus present."""
        present = self.present_totals()
        return {
            name: (declared - present[name] if declared is not None else None)
            for name, declared in ((m.name, self.declared_totals.get(m.name)) for m in self.municipalities)
        }

    def pillars(self) -> list[Heading]:
        return _unique(p.pillar for p in self.projects if p.pillar is not None)

    def fields(self) -> list[tuple[Heading | None, Heading]]:
        """(pillar, field) pairs in document order."""
        return _unique((p.pillar, p.field) for p in self.projects if p.field is not None)

    def projects_of(self, name: str) -> list[Project]:
        """The projects a municipality takes part in: its agreement schedule (協定の連携事業), each once (a
        repost, 再掲, is its project again)."""
        return [p for p in self.counted() if name in p.participants]

    def attribute_names(self) -> list[str]:
        return _unique(key for p in self.projects for key in p.attributes)

    def content(self) -> Vision:
        """A copy without declared figures: what round trips through any format compare on."""
        projects = [dataclasses.replace(p, declared_count=None) for p in self.projects]
        return dataclasses.replace(
            self, projects=projects, declared_totals={}, declared_grand_total=None, labels=Labels(), legend={}
        )

    def with_computed_figures(self) -> Vision:
        """A copy whose declared figures are the computed ones, as a correct document would print them."""
        projects = [dataclasses.replace(p, declared_count=p.count) for p in self.projects]
        totals: dict[str, int | None] = dict(self.present_totals())
        return dataclasses.replace(
            self, projects=projects, declared_totals=totals, declared_grand_total=self.present_links()
        )


def _unique(items: Iterable[T]) -> list[T]:
    seen: list[T] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def iter_links(vision: Vision) -> Iterator[tuple[Project, Municipality, Role]]:
    """Every project–municipality link in document order."""
    for project in vision.projects:
        for m in vision.municipalities:
            role = project.participants.get(m.name)
            if role is not None:
                yield project, m, role
