"""A project's budgets and KPIs compared across two revisions, figure by figure, for the amendment list.

事業費 are compared per (fiscal year, town): a year's amount changed, added or dropped, 総事業費 (no year) last.
KPIs are matched by name (spaces and width aside): one added or removed is one change; of a KPI kept, its unit,
its baseline and target (value and year) and each result (実績) per (year, town). The values stay as figures
(``before``/``after`` are numbers written plainly, ``1200``, ``12.5``): their wording, 「事業費 R7: 1,200 →
1,500千円」, is the documents' (``renkei.publish.fiscal``). A town's share is a change of that town's
(``municipality``); a project that gives shares marks its whole-project changes ``shared``, so that each town's part
lists its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from renkei.vision.model import Budget, Kpi, KpiResult, Project

_SPACE_RUNS = re.compile(r"\s+")


@dataclass(frozen=True)
class Figure:
    """What a budget or KPI change is about, language-neutral (``Change.figure``): ``aspect`` is budget
    (事業費 of ``fiscal_year``, 総事業費 where None), baseline, target, unit or result of the KPI ``kpi``, or kpi
    (one added or removed). ``before_year``/``before_unit`` where they differ from the new ones. ``shared``: the
    project gives towns' shares of this figure, so a change of the whole project's is no town's own."""

    aspect: str
    fiscal_year: int | None = None
    unit: str = ""
    kpi: str = ""
    before_year: int | None = None
    before_unit: str = ""
    shared: bool = False


class FigureChange(NamedTuple):
    """One change of a figure, which ``renkei.vision.diff`` makes a ``Change`` of the project: ``kind`` is a
    ``ChangeKind`` value, ``municipality`` the town whose share it is (None: the whole project's)."""

    kind: str
    municipality: str | None
    before: str | None
    after: str | None
    detail: str | None
    figure: Figure


def key(name: str) -> str:
    """A KPI's name as matched across revisions: width and spaces aside."""
    return _SPACE_RUNS.sub("", unicodedata.normalize("NFKC", name))


def plain(value: float | None) -> str | None:
    """A figure written plainly, the same on every reading: 1200, 12.5 (an integral float as an integer)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def figure_changes(old: Project, new: Project) -> Iterator[FigureChange]:
    """Every change of the project's budgets, then of its KPIs."""
    yield from _budgets(old, new)
    yield from _kpis(old, new)


def _budget_order(item: tuple[int | None, str]) -> tuple[str, bool, int]:
    year, town = item
    return (town, year is None, year or 0)


def _budgets(old: Project, new: Project) -> Iterator[FigureChange]:
    shared = any(b.town for b in (*old.budgets, *new.budgets))
    before: dict[tuple[int | None, str], Budget] = {(b.fiscal_year, b.town): b for b in old.budgets}
    after: dict[tuple[int | None, str], Budget] = {(b.fiscal_year, b.town): b for b in new.budgets}
    for year, town in sorted(set(before) | set(after), key=_budget_order):
        b0, b1 = before.get((year, town)), after.get((year, town))
        if b0 is not None and b1 is not None and (b0.amount, b0.unit) == (b1.amount, b1.unit):
            continue
        unit = b1.unit if b1 is not None else b0.unit if b0 is not None else ""
        figure = Figure("budget", year, unit, before_unit=b0.unit if b0 else unit, shared=shared and not town)
        before_amount, after_amount = plain(b0.amount) if b0 else None, plain(b1.amount) if b1 else None
        yield FigureChange("budget-changed", town or None, before_amount, after_amount, None, figure)


def _kpis(old: Project, new: Project) -> Iterator[FigureChange]:
    shared = any(r.town for k in (*old.kpis, *new.kpis) for r in k.results)
    before = {key(k.name): k for k in old.kpis}
    matched = {key(k.name) for k in new.kpis} & set(before)
    for k in new.kpis:
        if key(k.name) not in before:
            figure = Figure("kpi", k.target_year, k.unit, k.name, shared=shared)
            yield FigureChange("kpi-added", None, None, plain(k.target), k.name, figure)
        else:
            yield from _kpi(before[key(k.name)], k, shared)
    for k in old.kpis:
        if key(k.name) not in matched:
            figure = Figure("kpi", k.target_year, k.unit, k.name, shared=shared)
            yield FigureChange("kpi-removed", None, plain(k.target), None, k.name, figure)


def _kpi(old: Kpi, new: Kpi, shared: bool) -> Iterator[FigureChange]:
    def change(
        aspect: str,
        before: str | None,
        after: str | None,
        years: tuple[int | None, int | None] = (None, None),
        town: str = "",
    ) -> FigureChange:
        figure = Figure(aspect, years[1], new.unit, new.name, years[0], old.unit, shared and not town)
        return FigureChange("kpi-changed", town or None, before, after, new.name, figure)

    if old.unit != new.unit:
        yield change("unit", old.unit, new.unit)
    for aspect, (v0, y0), (v1, y1) in (
        ("baseline", (old.baseline, old.baseline_year), (new.baseline, new.baseline_year)),
        ("target", (old.target, old.target_year), (new.target, new.target_year)),
    ):
        if (v0, y0) != (v1, y1):
            yield change(aspect, plain(v0), plain(v1), (y0, y1))
    results0: dict[tuple[int, str], KpiResult] = {(r.fiscal_year, r.town): r for r in old.results}
    results1: dict[tuple[int, str], KpiResult] = {(r.fiscal_year, r.town): r for r in new.results}
    for year, town in sorted(set(results0) | set(results1), key=lambda item: (item[1], item[0])):
        r0, r1 = results0.get((year, town)), results1.get((year, town))
        v0, v1 = (r0.value if r0 else None), (r1.value if r1 else None)
        if v0 != v1:
            yield change("result", plain(v0), plain(v1), (year, year), town)
