"""Charts of a vision's budgets and KPIs as Vega-Lite v5 specs, made as ``renkei.publish.charts`` makes its own (values
inline, a ``description`` stating the figures, the CJK font), with the tables and CSV of the numbers they draw.

- ``budgets``: 事業費 per fiscal year, one bar per year stacked by field (sums in 千円, computed);
- ``kpis``: a bullet chart per KPI with a target: the target as the long pale bar, the latest result as the
  short dark one, the baseline as a tick; each KPI on its own scale (its rate and grade in the table).

``FIGURES`` lists them like ``charts.CHARTS`` (kind, catalogue key, builder); ``table`` gives the numbers each
draws, which the page shows as the chart's text alternative and the CSV download holds, as shown.
"""

from __future__ import annotations

from renkei.core.messages import DEFAULT, t
from renkei.publish.charts import CHARTS, SCHEMA, Chart, Spec, _config, _listing, _sphere, build
from renkei.publish.fiscal import number_text, year_text
from renkei.vision import grades
from renkei.vision.budgetfigures import budget_grid, kpi_rows
from renkei.vision.model import Vision

_TARGET_COLOR = "#c9d6e8"
_RESULT_COLOR = "#0b3d75"
_BASELINE_COLOR = "#c0392b"


def _field(name: str, lang: str) -> str:
    return name or t("chart.no_field", lang)


def _spec(vision: Vision, kind: str, lang: str, description: str, body: Spec) -> Spec:
    title: Spec = {"text": t(f"chart.{kind}", lang)}
    if vision.sphere.name:
        title["subtitle"] = [vision.sphere.name, t(f"chart.note.{kind}", lang)]
    return {"$schema": SCHEMA, "description": description, "title": title, **body, "config": _config()}


def budgets_by_year(vision: Vision, lang: str = DEFAULT) -> Spec:
    """One bar per fiscal year, its segments the fields' sums (千円), stacked in document order of the fields
    (the colour scale's order)."""
    grid = budget_grid(vision)
    years = [year_text(y, lang) for y in grid.years]
    fields = [_field(f, lang) for f in grid.fields]
    rows: list[Spec] = [
        {"year": year_text(y, lang), "field": _field(f, lang), "amount": grid.amounts[f, y]}
        for y in grid.years
        for f in grid.fields
        if (f, y) in grid.amounts
    ]
    axis_y, axis_a, axis_f = (t(f"chart.axis.{k}", lang) for k in ("fiscal_year", "budget", "field"))
    totals = [(year_text(y, lang), number_text(grid.total(y))) for y in grid.years]
    description = t("chart.desc.budgets", lang, sphere=_sphere(vision, lang), values=_listing(totals, lang) or "—")
    body: Spec = {
        "width": {"step": 56},
        "height": 300,
        "data": {"values": rows},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "sort": years, "title": axis_y, "axis": {"labelAngle": 0}},
            "y": {"field": "amount", "type": "quantitative", "title": axis_a, "stack": "zero"},
            "color": {
                "field": "field",
                "type": "nominal",
                "sort": fields,
                "title": axis_f,
                "scale": {"scheme": "tableau10"},
                "legend": {"orient": "bottom", "direction": "vertical"},
            },
            "tooltip": [
                {"field": "year", "type": "ordinal", "title": axis_y},
                {"field": "field", "type": "nominal", "title": axis_f},
                {"field": "amount", "type": "quantitative", "title": axis_a, "format": ","},
            ],
        },
    }
    return _spec(vision, "budgets", lang, description, body)


def kpi_label(number: int, name: str, lang: str) -> str:
    return t("chart.kpi_label", lang, number=number, name=name)


def kpi_bullets(vision: Vision, lang: str = DEFAULT) -> Spec:
    """A bullet chart per KPI with a target (not 0), one row each, on the scale of achievement: the target is the
    pale bar to 100 %, the latest result's rate the dark bar, the baseline's a red tick."""
    rows: list[Spec] = []
    for row in kpi_rows(vision):
        k = row.kpi
        if not k.target:
            continue
        value = row.graded.value if row.graded is not None else None
        rows.append(
            {
                "kpi": kpi_label(row.project.number, k.name, lang),
                "target": k.target,
                "result": value,
                "baseline": k.baseline,
                "unit": k.unit,
                "target_share": 1.0,
                # Achievement as renkei.vision.grades computes it (an indicator to lower: the share of the planned
                # reduction, its baseline at 0 %), so that the bar and the table's rate agree.
                "result_share": row.graded.rate if row.graded is not None else None,
                "baseline_share": grades.rate(k, k.baseline),
            }
        )
    described = [(r["kpi"], f"{number_text(r['result'])} / {number_text(r['target'])}{r['unit']}") for r in rows]
    description = t("chart.desc.kpis", lang, sphere=_sphere(vision, lang), values=_listing(described, lang) or "—")
    names = [r["kpi"] for r in rows]
    top = max([1.2, *(r[k] or 0 for r in rows for k in ("result_share", "baseline_share"))])
    tooltip = [
        {"field": "kpi", "type": "nominal", "title": t("chart.axis.kpi", lang)},
        {"field": "baseline", "type": "quantitative", "title": t("ui.kpi_baseline", lang)},
        {"field": "target", "type": "quantitative", "title": t("ui.kpi_target", lang)},
        {"field": "result", "type": "quantitative", "title": t("ui.kpi_latest", lang)},
        {"field": "unit", "type": "nominal", "title": t("ui.unit", lang)},
    ]
    x_axis = {
        "type": "quantitative",
        "stack": None,
        "title": t("chart.axis.kpi_scale", lang),
        "scale": {"domain": [0, round(top, 2)]},
        "axis": {"format": "%", "tickCount": 4},
    }
    y = {"field": "kpi", "type": "nominal", "sort": names, "title": None, "axis": {"labelLimit": 320}}
    body: Spec = {
        "data": {"values": rows},
        "width": 280,
        "height": {"step": 34},
        "encoding": {"y": y, "tooltip": tooltip},
        # Every layer on the one x scale, each with the full encoding (a bare field would get an axis of its own).
        "layer": [
            {
                "mark": {"type": "bar", "color": _TARGET_COLOR, "size": 22},
                "encoding": {"x": {"field": "target_share", **x_axis}},
            },
            {
                "mark": {"type": "bar", "color": _RESULT_COLOR, "size": 8},
                "encoding": {"x": {"field": "result_share", **x_axis}},
            },
            {
                "mark": {"type": "tick", "color": _BASELINE_COLOR, "thickness": 3, "size": 24},
                "encoding": {"x": {"field": "baseline_share", **x_axis}},
            },
        ],
    }
    return _spec(vision, "kpis", lang, description, body)


FIGURES: dict[str, Chart] = {
    chart.kind: chart
    for chart in (
        Chart("budgets", "chart.budgets", budgets_by_year),
        Chart("kpis", "chart.kpis", kpi_bullets),
    )
}


def any_chart(kind: str) -> Chart | None:
    """A chart of any kind: the vision's (``charts.CHARTS``) or its budgets' and KPIs' (``FIGURES``)."""
    return CHARTS.get(kind) or FIGURES.get(kind)


def draw(vision: Vision, kind: str, lang: str = DEFAULT) -> Spec:
    """The spec of any kind; KeyError for an unknown one."""
    return FIGURES[kind].build(vision, lang) if kind in FIGURES else build(vision, kind, lang)


# The numbers each chart draws, as shown: the page's text alternative and the CSV download. ------------------------


def table(vision: Vision, kind: str, lang: str = DEFAULT) -> tuple[list[str], list[list[object]]]:
    """(header, rows) of the budgets (fields × fiscal years, with the totals) or the KPIs (one row each)."""
    if kind == "budgets":
        grid = budget_grid(vision)
        head = [t("chart.axis.field", lang), *(year_text(y, lang) for y in grid.years), t("ui.budget_sum", lang)]
        if not grid.fields:  # no project gives a yearly amount: no table (and no chart on the page)
            return head, []
        body: list[list[object]] = [
            [_field(f, lang), *(grid.amounts.get((f, y)) for y in grid.years), grid.field_total(f)] for f in grid.fields
        ]
        totals = [grid.total(y) for y in grid.years]
        return head, [*body, [t("ui.budget_total_row", lang), *totals, sum(totals)]]
    keys = ("number", "project", "kpi", "unit", "kpi_baseline", "kpi_target", "kpi_latest_year", "kpi_latest")
    head = [t(f"ui.{k}", lang) for k in (*keys, "kpi_rate", "kpi_grade")]
    rows: list[list[object]] = []
    for row in kpi_rows(vision):
        k, g = row.kpi, row.graded
        year = year_text(g.fiscal_year, lang) if g is not None else None
        rate = round(g.rate * 100, 1) if g is not None and g.rate is not None else None
        rows.append(
            [
                row.project.number,
                row.project.name,
                k.name,
                k.unit,
                k.baseline,
                k.target,
                year,
                g and g.value,
                rate,
                row.grade,
            ]
        )
    return head, rows
