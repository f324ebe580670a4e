"""A sphere with budgets and KPIs for the page, chart and comparison tests: the sample table (上川中部) as read,
its projects given 事業費 per fiscal year, a 総事業費, towns' shares on one project and KPIs with results, built
from model objects; stored as two revisions through the store's API (the second revises figures)."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

import renkei.core.sample
import renkei.ingest
from renkei.store import SphereSpec, Store
from renkei.vision.model import Budget, Kpi, KpiResult, Project, Vision
from renkei.web.app import create_app

KEY = "kamikawa-budgets"
YEARS = (2024, 2025, 2026)


def amount(index: int, year: int) -> int:
    """A distinct amount (千円) per project and year."""
    return 100 * (index + 1) + 10 * (year - 2023)


def with_figures(project: Project, index: int) -> Project:
    budgets = [Budget(year, amount(index, year)) for year in YEARS]
    budgets.append(Budget(None, sum(amount(index, y) for y in YEARS) + (5 if index == 0 else 0)))  # 0: disagrees
    if index == 1:
        towns = list(project.participants)[:2]
        budgets += [Budget(2025, 40 + 10 * i, town=town) for i, town in enumerate(towns)]
    kpis = []
    if index < 4:
        results = (KpiResult(2024, 100.0 + 20 * index), KpiResult(2025, 120.0 + 30 * index))
        if index == 1:  # the towns' shares of the result, as some spheres publish them
            towns = list(project.participants)[:2]
            results += tuple(KpiResult(2025, 60.0 + 10 * i, town=town) for i, town in enumerate(towns))
        kpis.append(Kpi(f"利用者数{index}", "人", 100, 2023, 200, 2027, results))
    if index == 4:  # an indicator to lower
        kpis.append(Kpi("待機時間", "分", 60, 2023, 30, 2027, (KpiResult(2025, 45.0),)))
    if index == 5:  # a KPI without a result yet: ungraded
        kpis.append(Kpi("相談件数", "件", None, None, 50, 2027))
    return dataclasses.replace(project, budgets=budgets, kpis=kpis)


def expected_grade(kpi: Kpi, value: float, a: float = 1.0, b: float = 0.8, c: float = 0.5) -> tuple[float, str]:
    """Achievement and grade by the rules of the guideline, written out here: raised 実績/目標; lowered, the
    share of the planned reduction; A from 100 %, B from 80 %, C from 50 % unless a sphere sets others."""
    assert kpi.target is not None
    if kpi.baseline is not None and kpi.target < kpi.baseline:
        rate = (kpi.baseline - value) / (kpi.baseline - kpi.target)
    else:
        rate = value / kpi.target
    grade = "A" if rate >= a else "B" if rate >= b else "C" if rate >= c else "D"
    return rate, grade


def latest_grade(kpi: Kpi) -> str | None:
    """The grade on the newest measured result, None where none is measured."""
    measured = [r for r in kpi.results if r.value is not None and not r.town]
    if not measured:
        return None
    value = max(measured, key=lambda r: r.fiscal_year).value
    assert value is not None
    return expected_grade(kpi, value)[1]


def sample_vision() -> Vision:
    reading = renkei.ingest.read_bytes(
        renkei.core.sample.sample_bytes(), "sample.txt", sphere=renkei.core.sample.sample_sphere()
    )
    return reading.vision


def first_revision() -> Vision:
    vision = sample_vision()
    return dataclasses.replace(vision, projects=[with_figures(p, i) for i, p in enumerate(vision.projects)])


def second_revision() -> Vision:
    """R7 (2025) of the first project raised by 300; its KPI's target raised to 250."""
    first = first_revision()
    head = first.projects[0]
    budgets = [dataclasses.replace(b, amount=b.amount + 300) if b.fiscal_year == 2025 else b for b in head.budgets]
    kpis = [dataclasses.replace(head.kpis[0], target=250)]
    return dataclasses.replace(
        first, projects=[dataclasses.replace(head, budgets=budgets, kpis=kpis), *first.projects[1:]]
    )


def store_figures(store: Store) -> None:
    spec = SphereSpec(key=KEY)
    store.import_vision(first_revision(), spec, effective_on=datetime.date(2024, 4, 1), message="R6")
    store.import_vision(second_revision(), spec, effective_on=datetime.date(2025, 4, 1), message="R7")


@pytest.fixture
def figures_client(db_url: str) -> Iterator[TestClient]:
    with Store.open(db_url) as store:
        store_figures(store)
        with TestClient(create_app(store)) as client:
            yield client
