"""Budget and KPI columns in the layout reader (``layout.py``): which columns of a header hold them, told by
``ingest/figures.py`` from the header's own cells and the upper header row over them, and the checks that need
the whole table (a budget year outside the plan period)."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable

from renkei.ingest.figures import (
    _TOTAL_WORDS,
    FigureColumn,
    classify,
    era_of,
    is_dash,
    is_figure_group,
    may_hold_figures,
    names_indicator_part,
    norm,
    paired,
    read_number,
    unit_of,
)
from renkei.ingest.grid import Row
from renkei.ingest.layout_blocks import Column, LayoutState
from renkei.ingest.members import split_label
from renkei.vision.model import Severity

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
    found = figure_columns(state, lower, upper, kinds)
    note_figures(state, found, lower, upper)
    return kept_figures(found)


def figure_columns(state: LayoutState, lower: Row, upper: Row | None, kinds: list[Column]) -> dict[int, FigureColumn]:
    """The columns a header's words and the rows under it make figures, before ``note_figures`` says anything
    of them (nothing is found, nothing recorded)."""
    texts = [c.text for c in lower.cells] + ([c.text for c in upper.cells] if upper else [])
    # Most headers: nothing to classify (a national import reads many); under a note of the amounts' unit
    # (（単位：千円）), bare years (R6, 令和6年度) are amounts too.
    if not may_hold_figures("".join(texts)) and state.unit_note is None:
        return {}
    # Everything the words' reading depends on: the same header over the next block, or over the next revision
    # of the sphere in a national import, is read once.
    key = (
        state.registry,
        tuple(texts),
        len(lower.cells),
        tuple(kinds),
        state.unit_note,
        state.vision.sphere.prefecture,
        tuple((m.name, m.display) for m in state.vision.municipalities),
    )
    told = _TOLD.get(key)
    if told is None:
        if len(_TOLD) >= _TOLD_KEPT:
            _TOLD.clear()
        told = _TOLD[key] = _by_words(state, lower, upper, kinds, texts)
    return _by_content(state, dict(told), lower)


# The figure columns a header's words tell, by everything they depend on (``figure_columns``), for the headers
# read last in this process.
_TOLD: dict[tuple[object, ...], dict[int, FigureColumn]] = {}
_TOLD_KEPT = 256


def kept_figures(found: dict[int, FigureColumn]) -> dict[int, FigureColumn]:
    """The figure columns kept: an amount without its unit is no amount (the column stays the document's own, its
    text kept whole; ``note_figures`` says so)."""
    return {i: c for i, c in found.items() if not (c.what == "budget" and c.unit is None)}


def note_figures(state: LayoutState, found: dict[int, FigureColumn], lower: Row, upper: Row | None) -> None:
    """What a header's figure columns tell the reading: a budget column without a unit is a warning at its cell,
    and each budget year is kept for the plan period's check (``check_plan_period``)."""
    for i, column in found.items():
        if column.what != "budget" or (column.unit is not None and column.year is None):
            continue
        own_cell = lower.cell(i)
        where = own_cell if own_cell is not None and own_cell.text.strip() else (upper.cell(i) if upper else None)
        location = where.location if where is not None else lower.location
        if column.unit is None:
            state.once(Severity.WARNING, "budget-unit-missing", location, column=column.header)
        elif column.year is not None:
            state.budget_years.append((column.year, location, column.header))


def _by_words(
    state: LayoutState, lower: Row, upper: Row | None, kinds: list[Column], texts: list[str]
) -> dict[int, FigureColumn]:
    """The columns whose header words (their own, or the upper header cell over them) name a budget or a KPI."""
    width = max(len(lower.cells), len(upper.cells) if upper else 0)
    over = _spans(upper, width)
    era = era_of(texts)
    towns: dict[str, str | None] = {}  # a town's five share columns (one a year) name it five times

    @functools.cache
    def header_prefecture() -> str | None:  # the prefecture the header's municipalities share, asked for once
        at = [i for i, k in enumerate(kinds) if k is Column.MUNICIPALITY]
        return state.registry.common_prefecture(texts[i] for i in at if i < len(lower.cells))

    def town_of(text: str) -> str | None:
        if text not in towns:
            towns[text] = town_named(state, split_label(text).name, header_prefecture)
        return towns[text]

    found: dict[int, FigureColumn] = {}
    inherited: set[int] = set()  # name columns only because their group names an indicator (評価 under 成果指標)
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
            column = _breakdown(own, found.get(i - 1), town_of)
        if column is None:
            continue
        found[i] = column
        if column.what == "kpi" and column.part == "name" and own and group and not names_indicator_part(own):
            inherited.add(i)
    # Under an indicator's group, a column whose own words name no part of it (評価, 達成度, 備考) is the
    # document's own where another column of the group names the indicator (指標名): never its name.
    named = {c.index for i, c in found.items() if c.what == "kpi" and c.part == "name" and i not in inherited}
    found = {i: c for i, c in found.items() if not (i in inherited and c.index in named)}
    return _shares_of_one_year(found)


def town_named(state: LayoutState, name: str, prefecture: Callable[[], str | None]) -> str | None:
    """The municipality a figure's heading or a share row names (旭川市 of 旭川市負担, うち盛岡市): one of the
    table's, by its name or as displayed, else the one the registry resolves in the sphere's prefecture or,
    where the sphere states none, in ``prefecture()`` (a name several prefectures have: 高森町)."""
    found = next((m.name for m in state.vision.municipalities if name in (m.name, norm(m.display))), None)
    if found is not None:
        return found
    stated = state.vision.sphere.prefecture
    entry = state.registry.resolve(name, stated).entry
    if entry is None and stated is None and (other := prefecture()) is not None:
        entry = state.registry.resolve(name, other).entry
    return entry.name if entry is not None else None


def _shares_of_one_year(found: dict[int, FigureColumn]) -> dict[int, FigureColumn]:
    """Where the amounts are of one fiscal year and no 合計, a town's share without a year (洲本市負担額 beside
    令和6年度事業費) is its share of that year's amount, not of a total the table does not give."""
    whole = [c for c in found.values() if c.what == "budget" and not c.town]
    years = {c.year for c in whole}
    if len(years) != 1 or None in years:
        return found
    year = next(iter(years))
    return {
        i: dataclasses.replace(c, year=year, total=False) if c.what == "budget" and c.town and c.year is None else c
        for i, c in found.items()
    }


_BRACKETED = re.compile(r"[(（][^)）]*[)）]")


def _breakdown(own: str, before: FigureColumn | None, town_of: Callable[[str], str | None]) -> FigureColumn | None:
    """A town's part of the amount in the column before (うち洲本市 after 令和6年度事業費（千円）, or after another
    such part): its share, of the same year and unit; a bare 合計 after a year's amounts: their total."""
    if before is None or before.what != "budget":
        return None
    if _BRACKETED.sub("", norm(own)) in _TOTAL_WORDS and before.year is not None and not before.total:
        # A bare 合計 after a year's amounts: their total, in its unit or theirs (R6（千円） | R7（千円） | 合計).
        unit = unit_of(own) or before.unit
        return dataclasses.replace(before, year=None, unit=unit, header=own.strip(), total=True)
    rest = own.strip().removeprefix("うち").removeprefix("内").strip()
    if rest == own.strip():
        return None
    town = town_of(rest)
    if town is None:
        return None
    return dataclasses.replace(before, town=town, header=own.strip(), total=False)


_SAMPLE = 80  # rows under a header looked at to tell whether a figure column holds figures
_NAMING = ("name", "unit", "baseline_year", "target_year")  # KPI parts that hold words, not figures


def _by_content(state: LayoutState, found: dict[int, FigureColumn], header: Row) -> dict[int, FigureColumn]:
    """The indicator columns whose words name a figure but whose cells are mostly not numbers (現状と課題, 目標
    written as sentences) are not figures: they stay the document's own columns. An indicator's name and unit
    columns are an indicator's only beside one of its figures."""
    body = [row for row in state.rows[state.at + 1 : state.at + 1 + _SAMPLE] if len(row.filled) >= 3]
    kept: dict[int, FigureColumn] = {}
    for i, column in found.items():
        # An amount's header says enough (an amount word with a year, 合計 or a town); an indicator's words also
        # head columns of prose (現状と課題, 目標), so its figure columns must hold figures.
        if column.what == "budget" or column.part in _NAMING:
            kept[i] = column
            continue
        # A header repeated for the next block is no cell of the column.
        heading = norm(cell.text) if (cell := header.cell(i)) is not None else ""
        # A dash (－) is no figure and no prose either: the indicator's "none" for that cell.
        texts = numbers = 0
        unseen = len(body)
        for row in body:
            if numbers * 2 >= texts + unseen:  # figures however many sentences the rows not seen hold: kept
                break
            unseen -= 1
            if i >= len(row.cells) or not (text := row.cells[i].text):
                continue
            if text.isascii() and text.isdigit():  # plain digits: a number, unless the heading repeated
                if text != heading:
                    texts += 1
                    numbers += 1
                continue
            if not text.strip() or norm(text) == heading or is_dash(text):
                continue
            texts += 1
            if read_number(text).value is not None:
                numbers += 1
            elif state.positional and all(read_number(word).value is not None for word in text.split()):
                numbers += 1  # figures a positional reading ran together (84.2 85.0): parted by the rows' stage
        if numbers * 2 >= texts:
            kept[i] = column
    return paired(kept)


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
