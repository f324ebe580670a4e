"""The columns a wide table gives a project's structured fields (``renkei.vision.record.PROJECT_FIELDS`` kept in the
payload: 事業費 per fiscal year, 成果指標), for ``renkei.vision.table``'s one view of the table.

Each column is a header and a way to take its cell from a project. The headers are written in the grammar the
layout reader reads (``ingest/figures.py``): 事業費（千円）令和6年度, 事業費（千円）合計, 旭川市負担（千円）令和6年度;
成果指標, 単位, 基準値, 基準年度, 目標値, 目標年度, 実績（令和6年度）, and 成果指標2 … for a project's second
indicator. Under a 実績 year, a blank cell is the year listed but not yet measured and a dash (－) no result for
that year at all. So a table renkei writes reads back with its figures intact. A payload field added later with no
grammar of its own shows as one column of its values. A table without such values has no such columns.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from renkei.vision import record
from renkei.vision.model import Budget, Kpi, Project, Vision

Cell = Callable[[Project], str]
# An indicator's cell under a 実績 year it has no result for: a dash, as the reader reads it (ingest/figures.py),
# where a blank cell is the year listed but not yet measured (a result whose value is None).
NO_RESULT = "－"
_DIGITS = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")  # a figure as ``number_text`` writes it


@dataclass(frozen=True)
class FigureColumn:
    """One column: its header and the project's cell under it."""

    label: str
    cell: Cell
    field: str

    def shown(self, p: Project) -> str:
        """The cell as a page or a printout shows it: figures with thousands separators (1,200), words as they are.
        The files renkei reads back keep ``cell``."""
        text = self.cell(p)
        if not _DIGITS.fullmatch(text):
            return text
        number = float(text)
        return f"{number:,.0f}" if number.is_integer() else f"{number:,}"


def year_label(year: int) -> str:
    """A fiscal year as a header writes it: 令和6年度, 令和元年度 (平成30年度 before 2019)."""
    if year >= 2019:
        return "令和元年度" if year == 2019 else f"令和{year - 2018}年度"
    return "平成元年度" if year == 1989 else f"平成{year - 1988}年度"


def number_text(value: float | None) -> str:
    """A figure as a cell writes it: digits, a decimal point where it has a fraction, blank for none."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


BudgetKey = tuple[str, str, int | None]  # town ("" for the whole project), unit, fiscal year (None: 合計)


def budget_order(vision: Vision) -> Callable[[BudgetKey], tuple[int, int, str, str, int]]:
    """The order of the budget columns: the whole project's first, then each town's share in the members' order;
    within each, by unit, the fiscal years ascending and the 合計 last."""
    order = {m.name: i for i, m in enumerate(vision.municipalities)}

    def key(k: BudgetKey) -> tuple[int, int, str, str, int]:
        town, unit, year = k
        return (town != "", order.get(town, len(order)), town, unit, year if year is not None else 10_000)

    return key


def result_order(k: tuple[str, int]) -> tuple[bool, str, int]:
    """The order of a KPI's result columns (town, fiscal year): the whole sphere's first, then by town."""
    return (k[0] != "", k[0], k[1])


def in_column_order(vision: Vision) -> Vision:
    """Each project's budgets and each KPI's results in the order the wide formats write their columns, so that a
    table reads back equal from every format (a JSON file or a data package keeps any order it was given; a
    wide table's columns give theirs): what every reading and the synthetic registry end with. The order is no
    fact of the document's: the amendments and the pages key budgets by year and town."""
    by_column = budget_order(vision)

    def budget_key(b: Budget) -> tuple[int, int, str, str, int]:
        return by_column((b.town, b.unit, b.fiscal_year))

    for p in vision.projects:
        if len(p.budgets) > 1:
            p.budgets = sorted(p.budgets, key=budget_key)
        if any(len(k.results) > 1 for k in p.kpis):
            p.kpis = [_results_in_order(k) for k in p.kpis]
    return vision


def _results_in_order(k: Kpi) -> Kpi:
    """A KPI with its results in column order: itself where they are in that order already (as a file renkei wrote
    gives them), else a copy."""
    ordered = sorted(k.results, key=lambda r: result_order((r.town, r.fiscal_year)))
    if type(k.results) is tuple and all(a is b for a, b in zip(ordered, k.results, strict=True)):
        return k
    return dataclasses.replace(k, results=tuple(ordered))


def _budget_columns(vision: Vision, field: record.Field) -> list[FigureColumn]:
    name = field.name
    keys = {(b.town, b.unit, b.fiscal_year) for p in vision.projects for b in field.value(p)}
    displays = {m.name: m.display for m in vision.municipalities}
    columns = []
    for town, unit, year in sorted(keys, key=budget_order(vision)):
        who = f"{displays.get(town, town)}負担" if town else "事業費"
        label = f"{who}（{unit}）{year_label(year) if year is not None else '合計'}"

        def cell(p: Project, k: tuple[str, str, int | None] = (town, unit, year)) -> str:
            found: Sequence[Budget] = field.value(p)
            return next((number_text(b.amount) for b in found if (b.town, b.unit, b.fiscal_year) == k), "")

        columns.append(FigureColumn(label, cell, name))
    return columns


def _kpi(p: Project, field: record.Field, index: int) -> Kpi | None:
    kpis: Sequence[Kpi] = field.value(p)
    return kpis[index] if index < len(kpis) else None


def _part(field: record.Field, index: int, get: Callable[[Kpi], str]) -> Cell:
    """The cell of one part of a project's ``index``-th indicator: blank where it has none."""

    def cell(p: Project) -> str:
        k = _kpi(p, field, index)
        return "" if k is None else get(k)

    return cell


def _kpi_columns(vision: Vision, field: record.Field) -> list[FigureColumn]:
    name = field.name
    most = max((len(field.value(p)) for p in vision.projects), default=0)
    columns: list[FigureColumn] = []
    displays = {m.name: m.display for m in vision.municipalities}
    for index in range(most):
        n = "" if index == 0 else str(index + 1)

        def part(get: Callable[[Kpi], str], i: int = index) -> Cell:
            return _part(field, i, get)

        columns += [
            FigureColumn(f"成果指標{n}", part(lambda k: k.name), name),
            FigureColumn(f"単位{n}", part(lambda k: k.unit), name),
            FigureColumn(f"基準値{n}", part(lambda k: number_text(k.baseline)), name),
            FigureColumn(f"基準年度{n}", part(lambda k: year_label(k.baseline_year) if k.baseline_year else ""), name),
            FigureColumn(f"目標値{n}", part(lambda k: number_text(k.target)), name),
            FigureColumn(f"目標年度{n}", part(lambda k: year_label(k.target_year) if k.target_year else ""), name),
        ]
        results = {
            (r.town, r.fiscal_year)
            for p in vision.projects
            if (k := _kpi(p, field, index)) is not None
            for r in k.results
        }
        for town, year in sorted(results, key=result_order):
            who = displays.get(town, town)

            def result(k: Kpi, key: tuple[str, int] = (town, year)) -> str:
                return next((number_text(r.value) for r in k.results if (r.town, r.fiscal_year) == key), NO_RESULT)

            columns.append(FigureColumn(f"{who}実績{n}（{year_label(year)}）", part(result), name))
    return columns


def _plain_columns(vision: Vision, field: record.Field) -> list[FigureColumn]:
    """A payload field with no grammar of its own: one column of its values (as JSON where they are not text),
    where any project has one."""
    if not any(field.value(p) for p in vision.projects):
        return []

    def cell(p: Project) -> str:
        value = field.value(p)
        shown = field.kind.json(value) if value else ""
        return shown if isinstance(shown, str) else json.dumps(shown, ensure_ascii=False)

    return [FigureColumn(field.name, cell, field.name)]


_GRAMMARS: dict[type, Callable[[Vision, record.Field], list[FigureColumn]]] = {
    record.Budgets: _budget_columns,
    record.Kpis: _kpi_columns,
}


def figure_columns(vision: Vision) -> list[FigureColumn]:
    """Every figure column of the table, field by field in the order of ``PROJECT_FIELDS``: the payload fields
    other than the free attributes, which have columns of their own."""
    columns: list[FigureColumn] = []
    for field in record.PROJECT_FIELDS:
        # The number as written (1-1) stands in the number column itself (``table.ProjectRow.number``).
        if field.storage is not record.Storage.PAYLOAD or field.name == "number_label":
            continue
        grammar = _GRAMMARS.get(type(field.kind))
        columns += grammar(vision, field) if grammar else _plain_columns(vision, field)
    return columns
