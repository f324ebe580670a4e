"""The JSON API's budgets and KPIs: a revision's 事業費 and 成果指標 as tidy rows (``renkei.vision.budgetrows``).

- ``/api/spheres/{key}/budgets``: one row per declared 事業費 (fiscal_year null: the 総事業費 of the whole plan;
  town empty: the project's whole amount, else that town's share);
- ``/api/spheres/{key}/kpis``: one row per KPI result (実績), with its KPI's name, unit, baseline and target; a
  KPI without results has one row whose fiscal_year is null.

Both take ``rev`` (the newest if omitted) and ``year`` (a fiscal year: only its rows; the 総事業費 and KPIs
without results then drop out), and are paginated like every list (``limit``, ``offset``, ``total``). The
``.csv`` twin of each gives every row of the same selection as CSV, with the JSON's keys as its header. Declared
figures only: achievement rates and grades are computed (``renkei.vision.grades``), not served as data here.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, create_model

from renkei.render.neutral import csv_text
from renkei.vision.budgetrows import BudgetRow, KpiRow, budget_rows, kpi_rows, result_rows
from renkei.web.api import ERRORS, Limit, Offset, Rev
from renkei.web.deps import Scope, cacheable, store_of
from renkei.web.files import ascii_filename, content_disposition

router = APIRouter(prefix="/api", tags=["api"])
Year = Annotated[
    int | None, Query(ge=1989, le=2100, description="A fiscal year (the Western year it begins in: 令和7年度 = 2025).")
]


def _rows_model(name: str, row: type, **more: Any) -> type[BaseModel]:
    """An API row made from a tidy row of ``renkei.vision.budgetrows`` (its fields, declared there once), headed by the
    sphere and revision it belongs to, with ``more`` fields after them."""
    hints = typing.get_type_hints(row)
    fields: dict[str, Any] = {"sphere": (str, ...), "revision": (int, ...)}
    fields |= {f.name: (hints[f.name], ...) for f in dataclasses.fields(row)}
    fields |= {k: (v, ...) for k, v in more.items()}
    return create_model(name, **fields)


# mypy sees each row as a BaseModel; FastAPI and pydantic see the made model, with every field.
if TYPE_CHECKING:
    BudgetOut = BaseModel
    KpiOut = BaseModel
else:
    BudgetOut = _rows_model("BudgetOut", BudgetRow)
    KpiOut = _rows_model("KpiOut", KpiRow, fiscal_year=int | None, town=str, value=float | None)


class BudgetPage(BaseModel):
    items: list[BudgetOut]
    total: int
    limit: int
    offset: int
    revision: int


class KpiPage(BaseModel):
    items: list[KpiOut]
    total: int
    limit: int
    offset: int
    revision: int


def budgets_of(request: Request, key: str, rev: int | None, year: int | None) -> tuple[int, list[BudgetOut]]:
    store = store_of(request)
    revision = store.revision(key, rev).number
    rows = [
        BudgetOut(sphere=key, revision=revision, **vars(b))
        for b in budget_rows(store.vision(key, revision))
        if year is None or b.fiscal_year == year
    ]
    return revision, rows


def kpis_of(request: Request, key: str, rev: int | None, year: int | None) -> tuple[int, list[KpiOut]]:
    store = store_of(request)
    revision = store.revision(key, rev).number
    vision = store.vision(key, revision)
    results: dict[tuple[int, int], list[tuple[int | None, str, float | None]]] = {}
    for r in result_rows(vision):
        results.setdefault((r.order, r.kpi), []).append((r.fiscal_year, r.town, r.value))
    rows = [
        KpiOut(sphere=key, revision=revision, **vars(k), fiscal_year=fiscal_year, town=town, value=value)
        for k in kpi_rows(vision)
        for fiscal_year, town, value in results.get((k.order, k.kpi), [(None, "", None)])
        if year is None or fiscal_year == year
    ]
    return revision, rows


def _csv(rows: list[BudgetOut] | list[KpiOut], model: type[BaseModel], name: str) -> Response:
    header = list(model.model_fields)
    text = csv_text([header, *([getattr(r, h) for h in header] for r in rows)])
    headers = {"Content-Disposition": content_disposition(name, f"{ascii_filename(name.removesuffix('.csv'))}.csv")}
    return Response("\ufeff" + text, media_type="text/csv; charset=utf-8", headers=headers)


@router.get(
    "/spheres/{key}/budgets",
    response_model=BudgetPage,
    responses=ERRORS,
    summary="A revision's budgets (事業費) as tidy rows, optionally of one fiscal year",
)
@cacheable(Scope.SPHERE)
def list_budgets(
    request: Request, key: str, rev: Rev = None, year: Year = None, limit: Limit = 100, offset: Offset = 0
) -> BudgetPage:
    revision, rows = budgets_of(request, key, rev, year)
    items = rows[offset : offset + limit]
    return BudgetPage(items=items, total=len(rows), limit=limit, offset=offset, revision=revision)


@router.get(
    "/spheres/{key}/budgets.csv",
    responses=ERRORS,
    summary="The same budget rows, all of them, as CSV",
    response_class=Response,
)
@cacheable(Scope.SPHERE)
def budgets_csv(request: Request, key: str, rev: Rev = None, year: Year = None) -> Response:
    revision, rows = budgets_of(request, key, rev, year)
    suffix = f"-{year}" if year is not None else ""
    return _csv(rows, BudgetOut, f"{key}-r{revision}-budgets{suffix}.csv")


@router.get(
    "/spheres/{key}/kpis",
    response_model=KpiPage,
    responses=ERRORS,
    summary="A revision's KPIs (成果指標) and their results (実績) as tidy rows, optionally of one fiscal year",
)
@cacheable(Scope.SPHERE)
def list_kpis(
    request: Request, key: str, rev: Rev = None, year: Year = None, limit: Limit = 100, offset: Offset = 0
) -> KpiPage:
    revision, rows = kpis_of(request, key, rev, year)
    items = rows[offset : offset + limit]
    return KpiPage(items=items, total=len(rows), limit=limit, offset=offset, revision=revision)


@router.get(
    "/spheres/{key}/kpis.csv",
    responses=ERRORS,
    summary="The same KPI rows, all of them, as CSV",
    response_class=Response,
)
@cacheable(Scope.SPHERE)
def kpis_csv(request: Request, key: str, rev: Rev = None, year: Year = None) -> Response:
    revision, rows = kpis_of(request, key, rev, year)
    suffix = f"-{year}" if year is not None else ""
    return _csv(rows, KpiOut, f"{key}-r{revision}-kpis{suffix}.csv")
