"""A row of rates under the towns (参加率 100% 67% …, 構成比, 参加割合): each town's share of the projects (or of
every mark), which a workbook computes beside its totals. It is read as what it is, not as a project, and each rate
is checked against the marks as the totals are: a rate that disagrees is an error at its cell.

The rates are not kept as data of their own: the table's projects and marks give them again (and its totals row,
where it has one, is kept as declared). What the row said and how it was checked stays in the reading's findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from renkei.ingest.grid import Cell
from renkei.ingest.layout_blocks import LayoutState, key
from renkei.vision.model import Location, Project, Severity

# A rate as a workbook shows it: 67%, 66.7％, or (under a label that says it is a rate) a fraction 0.67.
_PERCENT = re.compile(r"(?P<value>\d{1,3}(?:\.(?P<decimals>\d{1,4}))?)\s*%")
_FRACTION = re.compile(r"(?P<value>[01](?:\.(?P<decimals>\d{1,4}))?)")
# A label that names a rate of taking part: 参加率, 連携率, 構成比, 参加割合, 比率; never one of what a project
# achieves, spends or shares (達成率, 執行率, 負担割合, 補助率), which are no count of marks.
_RATE_LABEL = re.compile(r"率|割合|構成比")
_OTHER_RATE = re.compile(r"達成|執行|進捗|成果|目標|実績|予算|負担|補助|利用|充足|増加|減少|指標|KPI", re.IGNORECASE)


@dataclass(frozen=True)
class Rate:
    """A rate as written: its value in percent and how far a rounded figure may stand from the exact one (one unit
    of its last digit shown: 67% of two projects in three, 66.7% too, whether rounded or cut)."""

    percent: float
    slack: float


def rate_of(text: str, label_names_rate: bool) -> Rate | None:
    """A cell's rate, or None where it holds none (an empty cell is no rate either)."""
    value = key(text)
    percent = _PERCENT.fullmatch(value)
    if percent is not None:
        decimals = len(percent["decimals"] or "")
        return Rate(float(percent["value"]), 10.0**-decimals)
    fraction = _FRACTION.fullmatch(value) if label_names_rate else None
    if fraction is not None and fraction["decimals"] and float(fraction["value"]) <= 1:
        decimals = len(fraction["decimals"])
        return Rate(float(fraction["value"]) * 100, 100 * 10.0**-decimals)
    return None


def names_rate(label: str) -> bool:
    """Whether a label names a rate of taking part (参加率), not of what a project achieves or spends (達成率)."""
    folded = key(label)
    return _RATE_LABEL.search(folded) is not None and _OTHER_RATE.search(folded) is None


@dataclass
class RatesRow:
    """A row of rates read under the towns: its label, each town's cell, and the cell under the count column."""

    label: str
    location: Location
    towns: dict[str, tuple[Cell, Rate]]
    whole: tuple[Cell, Rate] | None


def read_rates(label: Cell, towns: dict[str, Cell], whole: Cell | None, location: Location) -> RatesRow | None:
    """The row as rates where every town's cell that is not empty holds one (two at least, a percent sign among
    them or a label that says rate); None otherwise."""
    says_rate = names_rate(label.text)
    if not says_rate and _OTHER_RATE.search(key(label.text)):
        return None  # 達成率 under the towns: no share of the marks
    read: dict[str, tuple[Cell, Rate]] = {}
    for name, cell in towns.items():
        if not cell.text.strip():
            continue
        rate = rate_of(cell.text, says_rate)
        if rate is None:
            return None
        read[name] = (cell, rate)
    if len(read) < 2 or not (says_rate or any("%" in key(c.text) for c, _ in read.values())):
        return None
    overall = rate_of(whole.text, True) if whole is not None and whole.text.strip() else None
    return RatesRow(label.text.strip(), location, read, (whole, overall) if whole is not None and overall else None)


def check_rates(state: LayoutState) -> None:
    """The rates rows (``check_rate_rows``) and the columns of each project's rate (``check_rate_columns``)."""
    check_rate_rows(state)
    check_rate_columns(state)


def check_rate_columns(state: LayoutState) -> None:
    """A column of each project's rate beside its count (参加率 100% 60% …), kept as the document's own column: where
    its every cell holds a rate, each is checked against the project's marks over the towns' columns (or over them
    less the central city's, whichever the column agrees with more). A column whose cells are no rates is not."""
    vision = state.vision
    columns: dict[str, list[tuple[Project, Cell, Rate]]] = {}
    unreadable: set[str] = set()
    for project, header, cell in state.project_rates:
        rate = rate_of(cell.text, True)
        if rate is None:
            unreadable.add(header)
        else:
            columns.setdefault(header, []).append((project, cell, rate))
    central = {m.name for m in vision.municipalities if m.central}
    for header, cells in columns.items():
        if header in unreadable or len(cells) < 2:
            continue
        towns = len(vision.municipalities)
        # Each project's marks over every town's column, or over them less the central city's.
        counted = {
            n: [
                (p, cell, rate, len(set(p.participants) - (central if n < towns else set()))) for p, cell, rate in cells
            ]
            for n in {towns, towns - len(central)}
            if n > 0
        }
        if not counted:
            continue
        basis = min(sorted(counted, reverse=True), key=lambda n: len(_wrong_projects(counted[n], n)))
        for project, cell, count, computed in _wrong_projects(counted[basis], basis):
            state.find(
                Severity.ERROR,
                "rate-mismatch",
                cell.location,
                label=header,
                name=f"{project.number} {project.name}",
                declared=cell.text.strip(),
                computed=f"{computed:.1f}%",
                count=count,
                total=basis,
            )
        state.find(Severity.INFO, "rates-column", cells[0][1].location, label=header, total=basis)


def check_rate_rows(state: LayoutState) -> None:
    """Each rates row against the marks: each town's projects over the projects read (参加率), or its marks over
    every mark (構成比), whichever the row's rates agree with more; the cell under the count column against every
    mark over the matrix's cells. A fragment (projects missing between those read) cannot be checked: said."""
    vision = state.vision
    for row in state.rates:
        if vision.missing_ranges():
            state.find(Severity.WARNING, "rates-unchecked", row.location, label=row.label)
            continue
        # A workbook's sheets read together: a sheet's rates are of its own projects (as its 計 row is).
        projects = [
            p
            for p in vision.projects
            if not state.several_sheets or (p.location is not None and p.location.sheet == row.location.sheet)
        ]
        counts = {m.name: sum(1 for p in projects if m.name in p.participants) for m in vision.municipalities}
        links = sum(counts.values())
        over = {"projects": len(projects), "marks": links}
        basis = min(over, key=lambda b: len(_wrong(row, counts, over[b])))  # 参加率 first where both fit as well
        for name, cell, computed in _wrong(row, counts, over[basis]):
            state.find(
                Severity.ERROR,
                "rate-mismatch",
                cell.location,
                label=row.label,
                name=name,
                declared=cell.text.strip(),
                computed=f"{computed:.1f}%",
                count=counts.get(name, 0),
                total=over[basis],
            )
        if row.whole is not None:
            cell, rate = row.whole
            cells = len(projects) * len(vision.municipalities)
            computed = 100 * links / cells if cells else 0.0
            if abs(rate.percent - computed) >= rate.slack:
                state.find(
                    Severity.ERROR,
                    "rate-mismatch",
                    cell.location,
                    label=row.label,
                    name=vision.labels.count or "計",
                    declared=cell.text.strip(),
                    computed=f"{computed:.1f}%",
                    count=links,
                    total=cells,
                )
        state.find(Severity.INFO, "rates-row", row.location, label=row.label, total=over[basis])


def _wrong(row: RatesRow, counts: dict[str, int], denominator: int) -> list[tuple[str, Cell, float]]:
    """The towns whose rate stands a unit of its last digit or more from their marks over ``denominator``, with
    their cell and the rate the marks give."""
    found = []
    for name, (cell, rate) in row.towns.items():
        computed = 100 * counts.get(name, 0) / denominator if denominator else 0.0
        if abs(rate.percent - computed) >= rate.slack:
            found.append((name, cell, computed))
    return found


def _wrong_projects(
    counted: list[tuple[Project, Cell, Rate, int]], denominator: int
) -> list[tuple[Project, Cell, int, float]]:
    """The projects whose rate stands a unit of its last digit or more from their marks over ``denominator``."""
    found = []
    for project, cell, rate, count in counted:
        computed = 100 * count / denominator
        if abs(rate.percent - computed) >= rate.slack:
            found.append((project, cell, count, computed))
    return found
