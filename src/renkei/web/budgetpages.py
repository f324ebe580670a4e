"""Budgets and KPIs on the pages: what the sphere page's section (stacked bars, bullet charts, each with its
numbers as a table), the project page's tables and a town's page show, worked out once here from
``renkei.vision.budgetfigures``; and each figure as a download, as shown: its numbers as CSV and the chart as SVG or PNG
(``/spheres/{key}/charts/{kind}/export/{format}``)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from renkei.core.messages import t
from renkei.publish import budgetcharts
from renkei.publish.fiscal import BLANK, number_text, with_unit, year_text
from renkei.render import RenderUnavailable
from renkei.render.neutral import csv_text
from renkei.vision import grades
from renkei.vision.budgetfigures import has_figures, kpi_rows, project_budget, thousands, thresholds_of, town_budgets
from renkei.vision.model import Budget, Project, Vision
from renkei.web.deps import NUMBER_MAX, Scope, cacheable, store_of
from renkei.web.files import content_disposition, stem
from renkei.web.refusal import refusal

router = APIRouter(tags=["downloads"])
FORMATS = {"csv": "text/csv; charset=utf-8", "svg": "image/svg+xml", "png": "image/png"}


def shown(value: object) -> str:
    """A table cell as the page shows it: figures with thousands separators, — for a blank."""
    if value is None or value == "":
        return BLANK
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number_text(value)
    return str(value)


@dataclass(frozen=True)
class FigureTable:
    kind: str
    title: str
    head: list[str]
    rows: list[list[str]]
    numeric: list[bool]  # per column: figures, aligned right and kept on one line


def figures_context(vision: Vision, lang: str) -> dict[str, Any] | None:
    """The sphere page's budgets and KPIs section, or None where no project has either."""
    if not has_figures(vision):
        return None
    tables = []
    for kind, chart in budgetcharts.FIGURES.items():
        head, rows = budgetcharts.table(vision, kind, lang)
        if rows:
            numeric = [all(isinstance(row[i], int | float | None) for row in rows) for i in range(len(head))]
            numeric[0] = False  # the row's heading
            tables.append(FigureTable(kind, chart.title, head, [[shown(v) for v in row] for row in rows], numeric))
    thresholds = thresholds_of(vision)
    percent = {k: number_text(round(getattr(thresholds, k) * 100, 1)) for k in ("a", "b", "c")}
    graded = any(table.kind == "kpis" for table in tables)
    return {"tables": tables, "grading": t("ui.kpi_grading", lang, **percent) if graded else ""}


def _budget_cell(budget: Budget | None) -> str:
    return with_unit(budget.amount, budget.unit) if budget is not None else BLANK


def project_context(vision: Vision, project: Project, lang: str) -> dict[str, Any]:
    """The project page's budget table (years × the whole amount and each town's share, the declared 総事業費
    beside the computed sum) and KPI table (baseline, target, the results per year, the rate and grade)."""
    budget = project_budget(project)
    budget_rows = [
        [
            year_text(y, lang),
            _budget_cell(budget.whole.get(y)),
            *(_budget_cell(budget.shares.get((town, y))) for town in budget.towns),
        ]
        for y in budget.years
    ]
    rows = kpi_rows(dataclasses.replace(vision, projects=[project]))  # graded with the sphere's thresholds
    years = sorted({r.fiscal_year for row in rows for r in row.kpi.results})
    thresholds = thresholds_of(vision)
    kpis = []
    for row in rows:
        k = row.kpi
        # The whole sphere's results, then each town's share where the document gives them, each graded alone.
        for town in ("", *dict.fromkeys(r.town for r in k.results if r.town)):
            results = {r.fiscal_year: r.value for r in k.results if r.town == town}
            last = grades.latest(k, town=town)
            g = grades.graded(k, last.fiscal_year, thresholds, town) if last is not None else None
            rate = f"{number_text(round(g.rate * 100, 1))}%" if g is not None and g.rate is not None else BLANK
            kpis.append(
                [
                    t("ui.kpi_town", lang, name=k.name, town=town) if town else k.name,
                    k.unit or BLANK,
                    _at(k.baseline, k.baseline_year, lang),
                    _at(k.target, k.target_year, lang),
                    *(shown(results.get(y)) for y in years),
                    rate,
                    g.grade if g is not None and g.grade else "-",
                ]
            )
    percent = {k: number_text(round(getattr(thresholds, k) * 100, 1)) for k in ("a", "b", "c")}
    return {
        "budget": budget,
        "budget_rows": budget_rows,
        "declared_total": _budget_cell(budget.declared_total) if budget.declared_total else None,
        "computed_total": with_unit(budget.computed_total, "千円") if budget.years else None,
        # A declared 総事業費 (in 千円 or 円) that is not the sum of the years is marked, both figures shown.
        "totals_differ": bool(
            budget.declared_total
            and budget.years
            and abs(thousands(budget.declared_total) - budget.computed_total) > 1e-6
        ),
        "kpi_years": [year_text(y, lang) for y in years],
        "kpis": kpis,
        "grading": t("ui.kpi_grading", lang, **percent),
    }


def _at(value: float | None, year: int | None, lang: str) -> str:
    text = shown(value)
    return (
        t("fig.at_year", lang, value=text, year=year_text(year, lang))
        if year is not None and value is not None
        else text
    )


def town_context(vision: Vision, town: str, lang: str) -> dict[str, Any] | None:
    """A town's page: its budget per project and year (its own share where the project gives shares)."""
    found = town_budgets(vision, town)
    if not found:
        return None
    years = sorted({y for row in found for y in row.amounts})
    rows = [
        [
            str(row.project.number),
            row.project.name,
            t("ui.town_share", lang) if row.own else t("ui.budget_whole", lang),
            *(shown(row.amounts.get(y)) for y in years),
        ]
        for row in found
    ]
    return {"years": [year_text(y, lang) for y in years], "rows": rows}


@router.get("/spheres/{key}/charts/{kind}/export/{format}", summary="A budget or KPI chart: its numbers or picture")
@cacheable(Scope.SPHERE)
def figure_download(
    request: Request,
    key: str,
    kind: str,
    format: str,
    rev: Annotated[int | None, Query(ge=1, le=NUMBER_MAX)] = None,
) -> Response:
    """The chart's numbers as CSV (UTF-8 with BOM, the table the page shows, figures written plainly) or the
    chart as SVG or PNG, drawn from the same spec the page draws."""
    if kind not in budgetcharts.FIGURES or format not in FORMATS:
        raise refusal("not-found")
    store = store_of(request)
    revision = store.revision(key, rev)
    vision = store.vision(key, revision.number)
    lang = request.state.lang
    if format == "csv":
        head, rows = budgetcharts.table(vision, kind, lang)
        plain = [["" if v is None else v for v in row] for row in rows]
        data = ("\ufeff" + csv_text([head, *plain])).encode("utf-8")
    else:
        from renkei.publish.chartfile import ChartError, convert

        try:
            data = convert(budgetcharts.draw(vision, kind, lang), format)
        except ChartError as error:
            raise RenderUnavailable("chart-unavailable", reason=str(error)) from None
    title = t(budgetcharts.FIGURES[kind].title, lang)
    name = f"{stem([vision.sphere.name, title, f'第{revision.number}版'])}.{format}"
    fallback = f"{key}-{kind}-r{revision.number}.{format}"
    return Response(
        data, media_type=FORMATS[format], headers={"Content-Disposition": content_disposition(name, fallback)}
    )
