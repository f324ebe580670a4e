"""Budget and KPI columns in the layout reader (``layout.py``): which columns of a header hold them, told by
``ingest/figures.py`` from the header's own cells and the upper header row over them, and the checks that need
the whole table (a budget year outside the plan period)."""

from __future__ import annotations

from renkei.ingest.figures import FigureColumn, classify, era_of, is_figure_group, norm
from renkei.ingest.grid import Row
from renkei.ingest.layout_blocks import Column, LayoutState
from renkei.ingest.members import split_label
from renkei.model import Severity

# Columns the header's words already claim for the layout: never a figure's, whatever else their words say.
_LAYOUT = {Column.NUMBER, Column.NAME, Column.DESCRIPTION, Column.COUNT, Column.PILLAR, Column.FIELD}


def _spans(upper: Row | None, width: int) -> dict[int, str]:
    """The upper header cell over each column: a cell heads the columns from its own up to the next filled one,
    as a cell merged across them does."""
    found: dict[int, str] = {}
    if upper is None:
        return found
    current = ""
    for i in range(width):
        cell = upper.cell(i)
        if cell is not None and cell.text.strip():
            current = cell.text
        if current:
            found[i] = current
    return found


def header_figures(state: LayoutState, lower: Row, upper: Row | None, kinds: list[Column]) -> dict[int, FigureColumn]:
    """The budget and KPI columns of a header (its lower row and the upper row over it, where it has two)."""
    width = max(len(lower.cells), len(upper.cells) if upper else 0)
    over = _spans(upper, width)
    texts = [c.text for c in lower.cells] + ([c.text for c in upper.cells] if upper else [])
    if not any(norm(t) for t in texts):
        return {}
    era = era_of(texts)
    registry, prefecture = state.registry, state.vision.sphere.prefecture

    def town_of(text: str) -> str | None:
        name = split_label(text).name
        for m in state.vision.municipalities:
            if name in (m.name, norm(m.display)):
                return m.name
        entry = registry.resolve(name, prefecture).entry
        return entry.name if entry is not None else None

    found: dict[int, FigureColumn] = {}
    for i in range(width):
        own_cell = lower.cell(i)
        own = own_cell.text if own_cell is not None and own_cell.text.strip() else ""
        group = over.get(i)
        # A column the layout's words claim (名称 is a name's heading) is a figure's only under a figure's group
        # (名称 under 重要業績評価指標 names the indicator).
        if i < len(kinds) and kinds[i] in _LAYOUT and not (own and group and is_figure_group(group)):
            continue
        if not own and group is None:
            continue
        column = classify(own or (group or ""), group if own else None, era, town_of, state.unit_note)
        if column is None:
            continue
        where = (own_cell if own else upper.cell(i) if upper else None) or own_cell
        location = where.location if where is not None else lower.location
        found[i] = column
        if column.what == "budget" and column.unit is None:
            state.once(Severity.WARNING, "budget-unit-missing", location, column=column.header)
        if column.what == "budget" and column.year is not None:
            state.budget_years.append((column.year, location, column.header))
    return found


def check_plan_period(state: LayoutState) -> None:
    """A budget year outside the plan period the table states (計画期間 令和6年度～令和10年度): a warning at the
    header cell, once per column."""
    period = state.plan_period
    if period is None:
        return
    first, last = period
    for year, where, header in state.budget_years:
        if not first <= year <= last:
            state.once(
                Severity.WARNING,
                "budget-year-outside-plan",
                where,
                column=header,
                year=year,
                first=first,
                last=last,
            )


def year_label(year: int) -> str:
    """How renkei writes a fiscal year in a header: 令和6年度 (平成30年度 before 2019), which it reads back."""
    return f"令和{year - 2018}年度" if year >= 2019 else f"平成{year - 1988}年度"
