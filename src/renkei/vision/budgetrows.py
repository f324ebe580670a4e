"""A vision's budgets (事業費) and KPIs (成果指標) as tidy rows: one row per observation, as open data wants them.

- ``budget_rows``: one row per budget entry of a project: its fiscal year (None: 総事業費 for the whole plan),
  the town whose share it is ("" : the project's whole amount), the amount and its unit, as declared;
- ``kpi_rows``: one row per KPI of a project: its name, unit, baseline and target with their fiscal years;
- ``result_rows``: one row per result (実績) of a KPI: the fiscal year, the town ("" : the whole sphere) and
  the value (None: the year is listed but not measured).

A project is named by ``order``, its place in the table (1 up: a document's numbers may repeat), and by its
number; a KPI by ``kpi``, its place among the project's KPIs (1 up). These rows are declared figures only: no
achievement rate or grade (``renkei.vision.grades`` computes those, never stored as declared). The data package
(``render.datapackage``) writes them as ``budgets.csv``, ``kpis.csv`` and ``kpi_results.csv``, and the JSON
API (``web.budgetapi``) serves them. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from renkei.vision.model import Vision


@dataclass(frozen=True)
class BudgetRow:
    order: int
    number: int
    project: str
    fiscal_year: int | None
    town: str
    amount: int | float
    unit: str


@dataclass(frozen=True)
class KpiRow:
    order: int
    number: int
    project: str
    kpi: int
    name: str
    unit: str
    baseline: float | None
    baseline_year: int | None
    target: float | None
    target_year: int | None


@dataclass(frozen=True)
class ResultRow:
    order: int
    number: int
    kpi: int
    name: str
    fiscal_year: int
    town: str
    value: float | None


def budget_rows(vision: Vision) -> list[BudgetRow]:
    return [
        BudgetRow(order, p.number, p.name, b.fiscal_year, b.town, b.amount, b.unit)
        for order, p in enumerate(vision.projects, start=1)
        for b in p.budgets
    ]


def kpi_rows(vision: Vision) -> list[KpiRow]:
    return [
        KpiRow(order, p.number, p.name, i, k.name, k.unit, k.baseline, k.baseline_year, k.target, k.target_year)
        for order, p in enumerate(vision.projects, start=1)
        for i, k in enumerate(p.kpis, start=1)
    ]


def result_rows(vision: Vision) -> list[ResultRow]:
    return [
        ResultRow(order, p.number, i, k.name, r.fiscal_year, r.town, r.value)
        for order, p in enumerate(vision.projects, start=1)
        for i, k in enumerate(p.kpis, start=1)
        for r in k.results
    ]
