"""The rates a table gives beside its counts (``ingest/rates.py``), checked against its marks at the end of the layout
reader's reading: a row of each town's rate under the towns, and a column of each project's rate beside its count."""

from __future__ import annotations

from typing import TypeVar

from renkei.ingest.grid import Cell
from renkei.ingest.layout_blocks import LayoutState
from renkei.ingest.rates import Rate, disagrees, rate_of
from renkei.vision.model import Project, Severity

T = TypeVar("T")  # what a rate is of: a project (a column's rates) or a town (a row's)


def _disagreeing(rated: list[tuple[T, Cell, Rate, int]], denominator: int) -> list[tuple[T, Cell, int, float]]:
    """Of each (what, cell, rate, marks), those whose rate disagrees with the marks over ``denominator``, with the
    marks and the rate they give."""
    return [
        (what, cell, count, computed)
        for what, cell, rate, count in rated
        if (computed := disagrees(rate, count, denominator)) is not None
    ]


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
        basis = min(sorted(counted, reverse=True), key=lambda n: len(_disagreeing(counted[n], n)))
        for project, cell, count, computed in _disagreeing(counted[basis], basis):
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
        rated = [(name, cell, rate, counts.get(name, 0)) for name, (cell, rate) in row.towns.items()]
        basis = min(over, key=lambda b: len(_disagreeing(rated, over[b])))  # 参加率 first where both fit as well
        wrong = [
            (name, cell, count, computed, over[basis])
            for name, cell, count, computed in _disagreeing(rated, over[basis])
        ]
        if row.whole is not None:  # every mark over the matrix's cells
            cells = len(projects) * len(vision.municipalities)
            whole = [(vision.labels.count or "計", row.whole[0], row.whole[1], links)]
            wrong += [
                (name, cell, count, computed, cells) for name, cell, count, computed in _disagreeing(whole, cells)
            ]
        for name, cell, count, computed, total in wrong:
            state.find(
                Severity.ERROR,
                "rate-mismatch",
                cell.location,
                label=row.label,
                name=name,
                declared=cell.text.strip(),
                computed=f"{computed:.1f}%",
                count=count,
                total=total,
            )
        state.find(Severity.INFO, "rates-row", row.location, label=row.label, total=over[basis])
