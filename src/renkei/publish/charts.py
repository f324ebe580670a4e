"""Charts of a vision as Vega-Lite v5 specifications: plain dicts, values computed here, data inline, no I/O.

Three kinds, listed in ``CHARTS`` with a catalogue key for their title: projects per municipality (bars, the
document's declared 連携事業数計 beside the computed figures where they differ), field × municipality (a heatmap
with the count on each cell) and the co-participation network (municipalities on a circle, linked by the number
of projects they share). The same spec is drawn by vega-embed in the web pages and by vl-convert on the command
line (``renkei.publish.chartfile``). Every spec carries a ``description`` in the reader's language that states the
figures, so a screen reader has the chart's content, and names a CJK font so Japanese is not drawn as boxes.

The central city of a sphere has no column in most tables: it takes part in every project. The charts show the
table's columns; the network says in its subtitle why the central city is not drawn.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from renkei.core.messages import DEFAULT, t
from renkei.vision.model import Heading, Vision
from renkei.vision.table import format_ranges

Spec = dict[str, Any]

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
FONT = "Noto Sans CJK JP"
_PRESENT_COLOR = "#1f5fa8"
_DECLARED_COLOR = "#c0392b"


@dataclass(frozen=True)
class Chart:
    """One kind of chart: its stable name (the CLI's KIND, a URL segment), a catalogue key, its builder."""

    kind: str
    title: str
    build: Callable[[Vision, str], Spec]


def _config() -> Spec:
    labels = {"labelFont": FONT, "titleFont": FONT}
    return {
        "font": FONT,
        "axis": {**labels, "labelFontSize": 12, "titleFontSize": 12},
        "legend": {**labels, "labelFontSize": 12, "titleFontSize": 12, "labelLimit": 400},
        "header": dict(labels),
        "title": {"font": FONT, "subtitleFont": FONT, "fontSize": 15, "anchor": "start"},
        "text": {"font": FONT},
    }


def _spec(vision: Vision, kind: str, lang: str, description: str, subtitle: list[str], body: Spec) -> Spec:
    title: Spec = {"text": t(f"chart.{kind}", lang)}
    lines = [line for line in (vision.sphere.name, *subtitle) if line]
    if lines:
        title["subtitle"] = lines
    return {"$schema": SCHEMA, "description": description, "title": title, **body, "config": _config()}


def _sphere(vision: Vision, lang: str) -> str:
    return vision.sphere.name or t("chart.this_vision", lang)


def _listing(pairs: Sequence[tuple[str, object]], lang: str) -> str:
    return t("chart.list_separator", lang).join(t("chart.pair_value", lang, name=n, value=v) for n, v in pairs)


# Projects per municipality ------------------------------------------------------------------------------------


def projects_per_municipality(vision: Vision, lang: str = DEFAULT) -> Spec:
    """Horizontal bars of the projects each municipality takes part in, in column order.

    Where any declared total (連携事業数計) differs from the marks, e.g. in a fragment whose totals count rows that
    are not there, both figures are drawn side by side and told apart by colour and legend.
    """
    names = [m.display for m in vision.municipalities]
    present = vision.present_totals()
    declared = {m.name: vision.declared_totals.get(m.name) for m in vision.municipalities}
    differs = any(d is not None and d != present[name] for name, d in declared.items())
    series_present = t("chart.series.present", lang)
    series_declared = t("chart.series.declared", lang)
    rows: list[Spec] = []
    for m in vision.municipalities:
        rows.append({"municipality": m.display, "series": series_present, "projects": present[m.name]})
        if differs and declared[m.name] is not None:
            rows.append({"municipality": m.display, "series": series_declared, "projects": declared[m.name]})
    axis_m, axis_p = t("chart.axis.municipality", lang), t("chart.axis.projects", lang)
    encoding: Spec = {
        "y": {"field": "municipality", "type": "nominal", "sort": names, "title": axis_m},
        "x": {"field": "projects", "type": "quantitative", "title": axis_p, "axis": {"tickMinStep": 1}},
        "tooltip": [
            {"field": "municipality", "type": "nominal", "title": axis_m},
            {"field": "series", "type": "nominal", "title": t("chart.series", lang)},
            {"field": "projects", "type": "quantitative", "title": axis_p},
        ],
    }
    subtitle: list[str] = []
    values = _listing([(m.display, present[m.name]) for m in vision.municipalities], lang)
    description = t(
        "chart.desc.projects", lang, sphere=_sphere(vision, lang), projects=len(vision.projects), values=values
    )
    if differs:
        encoding["yOffset"] = {"field": "series", "sort": [series_present, series_declared]}
        encoding["color"] = {
            "field": "series",
            "type": "nominal",
            "title": t("chart.series", lang),
            "scale": {"domain": [series_present, series_declared], "range": [_PRESENT_COLOR, _DECLARED_COLOR]},
            "legend": {"orient": "bottom", "direction": "vertical"},
        }
        missing = vision.missing_ranges()
        subtitle.append(t("chart.note.declared_differs", lang))
        if missing:
            count = vision.missing_count()
            subtitle.append(t("chart.note.missing", lang, numbers=format_ranges(missing), count=count))
        shown = [(m.display, d) for m in vision.municipalities if (d := declared[m.name]) is not None]
        description += t("chart.desc.declared", lang, values=_listing(shown, lang))
    else:
        encoding["color"] = {"value": _PRESENT_COLOR}
    band = 15 if differs else 22
    body: Spec = {
        "width": 460,
        "height": {"step": band},
        "data": {"values": rows},
        "encoding": encoding,
        "layer": [
            {"mark": {"type": "bar", "tooltip": True}},
            {
                "mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 11},
                "encoding": {"text": {"field": "projects", "type": "quantitative"}, "color": {"value": "#222222"}},
            },
        ],
    }
    return _spec(vision, "projects", lang, description, subtitle, body)


# Field × municipality --------------------------------------------------------------------------------------------


def _field_label(pillar: Heading | None, field: Heading | None, lang: str) -> str:
    if field is None:
        return t("chart.no_field", lang)
    return f"{pillar.label} {field}" if pillar is not None and pillar.label else str(field)


def field_heatmap(vision: Vision, lang: str = DEFAULT) -> Spec:
    """Fields (rows, document order) × municipalities (columns, column order); a cell counts the projects of that
    field the municipality takes part in, and shows the count as text."""
    groups: dict[str, list[int]] = {}
    for i, p in enumerate(vision.projects):
        groups.setdefault(_field_label(p.pillar, p.field, lang), []).append(i)
    names = [m.display for m in vision.municipalities]
    rows: list[Spec] = []
    for label, indexes in groups.items():
        projects = [vision.projects[i] for i in indexes]
        for m in vision.municipalities:
            count = sum(1 for p in projects if m.name in p.participants)
            rows.append({"field": label, "municipality": m.display, "projects": count, "in_field": len(projects)})
    top = max((r["projects"] for r in rows), default=0)
    axis_f, axis_m, axis_p = (t(f"chart.axis.{k}", lang) for k in ("field", "municipality", "projects"))
    description = t(
        "chart.desc.heatmap",
        lang,
        sphere=_sphere(vision, lang),
        fields=t("chart.list_separator", lang).join(groups),
        municipalities=t("chart.list_separator", lang).join(names),
    )
    # Names stand upright while they fit; at a dozen towns and more they turn and the columns narrow, so that
    # 20–30 towns stay readable without clipping (labelLimit 0: never cut a name).
    many = len(names) > 10
    body: Spec = {
        "width": {"step": 30 if many else 52},
        "height": {"step": 30 if many else 34},
        "data": {"values": rows},
        "encoding": {
            "x": {
                "field": "municipality",
                "type": "nominal",
                "sort": names,
                "title": axis_m,
                "axis": {"orient": "top", "labelAngle": -60 if many else 0, "labelLimit": 0, "labelAlign": "left"}
                if many
                else {"orient": "top", "labelAngle": 0},
            },
            "y": {
                "field": "field",
                "type": "nominal",
                "sort": list(groups),
                "title": axis_f,
                # Above the labels, not beside them: long Japanese field names leave no room at the side.
                "axis": {
                    "labelLimit": 360,
                    "titleAngle": 0,
                    "titleAlign": "right",
                    "titleBaseline": "bottom",
                    "titleX": -6,
                    "titleY": -6,
                },
            },
        },
        "layer": [
            {
                "mark": {"type": "rect", "stroke": "#ffffff", "strokeWidth": 1},
                "encoding": {
                    "color": {
                        "field": "projects",
                        "type": "quantitative",
                        "title": axis_p,
                        "scale": {"scheme": "blues", "domain": [0, max(top, 1)]},
                        "legend": {"tickMinStep": 1},
                    },
                    "tooltip": [
                        {"field": "field", "type": "nominal", "title": axis_f},
                        {"field": "municipality", "type": "nominal", "title": axis_m},
                        {"field": "projects", "type": "quantitative", "title": axis_p},
                        {"field": "in_field", "type": "quantitative", "title": t("chart.in_field", lang)},
                    ],
                },
            },
            {
                "mark": {"type": "text", "fontSize": 11 if many else 13},
                "encoding": {
                    "text": {"field": "projects", "type": "quantitative"},
                    "color": {
                        "condition": {"test": f"datum.projects > {top / 2}", "value": "#ffffff"},
                        "value": "#111111",
                    },
                },
            },
        ],
    }
    return _spec(vision, "heatmap", lang, description, [], body)


# Co-participation network ------------------------------------------------------------------------------------


def shared_projects(vision: Vision) -> dict[tuple[str, str], int]:
    """For every pair of columns (in column order), the number of projects both take part in: counted pair by pair
    from each town's projects held as the bits of one integer, not project by project over every pair (at
    national scale a sphere's page draws this for each of its 30 towns' 435 pairs over a hundred projects)."""
    names = [m.name for m in vision.municipalities]
    # Each town's projects as the bits of one integer: a pair's shared projects are the bits both have.
    taking = dict.fromkeys(names, 0)
    for bit, p in enumerate(vision.projects):
        for name in p.participants:
            if name in taking:
                taking[name] |= 1 << bit
    return {(a, b): (taking[a] & taking[b]).bit_count() for a, b in itertools.combinations(names, 2)}


def circle(count: int) -> list[tuple[float, float]]:
    """Points on the unit circle, the first at the top, going clockwise (y upwards)."""
    points = []
    for i in range(count):
        angle = math.pi / 2 - 2 * math.pi * i / max(count, 1)
        points.append((round(math.cos(angle), 4), round(math.sin(angle), 4)))
    return points


# Above this many towns every pair's line turns the circle into a solid disc: only each town's strongest links
# are drawn (the full counts stay in the page's table).
DENSE = 12
STRONGEST = 3


def strongest_links(shared: dict[tuple[str, str], int], towns: int) -> dict[tuple[str, str], int]:
    """All links up to ``DENSE`` towns; above, the pairs that are among the ``STRONGEST`` of either town."""
    if towns <= DENSE:
        return shared
    kept: set[tuple[str, str]] = set()
    by_town: dict[str, list[tuple[int, tuple[str, str]]]] = {}  # each town's links, in the pairs' order
    for pair, n in shared.items():
        if n > 0:
            for name in pair:
                by_town.setdefault(name, []).append((n, pair))
    for mine in by_town.values():
        mine.sort(key=lambda x: -x[0])
        kept.update(pair for _, pair in mine[:STRONGEST])
    return {pair: n for pair, n in shared.items() if pair in kept}


def network(vision: Vision, lang: str = DEFAULT) -> Spec:
    """Municipalities on a circle; a line between two of them for the projects they share, wider and darker the
    more they share (pairs sharing none have no line). Nodes are sized by their number of projects."""
    members = vision.municipalities
    points = dict(zip((m.name for m in members), circle(len(members)), strict=True))
    present = vision.present_totals()
    nodes: list[Spec] = []
    for m in members:
        x, y = points[m.name]
        align = "center" if abs(x) < 0.05 else ("left" if x > 0 else "right")
        label_x, label_y = round(x * 1.12, 4), round(y * 1.12 - (0.06 if abs(x) < 0.05 and y < 0 else 0), 4)
        nodes.append(
            {
                "municipality": m.display,
                "x": x,
                "y": y,
                "label_x": label_x,
                "label_y": label_y,
                "align": align,
                "projects": present[m.name],
            }
        )
    shared = strongest_links(shared_projects(vision), len(members))
    display = {m.name: m.display for m in members}
    edges: list[Spec] = [
        {
            "pair": t("chart.pair_names", lang, a=display[a], b=display[b]),
            "x": points[a][0],
            "y": points[a][1],
            "x2": points[b][0],
            "y2": points[b][1],
            "shared": n,
        }
        for (a, b), n in sorted(shared.items(), key=lambda item: item[1])
        if n > 0
    ]
    top = max((e["shared"] for e in edges), default=1)
    weights = [1, max(top, 2)]
    axis_m, axis_p, shared_title = (
        t("chart.axis.municipality", lang),
        t("chart.axis.projects", lang),
        t("chart.shared", lang),
    )
    scale = {"domain": [-1.5, 1.5]}
    position: Spec = {
        "x": {"field": "x", "type": "quantitative", "scale": scale, "axis": None},
        "y": {"field": "y", "type": "quantitative", "scale": scale, "axis": None},
    }
    layers: list[Spec] = [
        {
            "data": {"values": edges},
            "mark": {"type": "rule", "strokeCap": "round", "color": "#1f5fa8"},
            "encoding": {
                **position,
                "x2": {"field": "x2"},
                "y2": {"field": "y2"},
                "strokeWidth": {
                    "field": "shared",
                    "type": "quantitative",
                    "title": shared_title,
                    "scale": {"domain": weights, "range": [1, 9]},
                    "legend": {"tickMinStep": 1, "orient": "bottom"},
                },
                "opacity": {
                    "field": "shared",
                    "type": "quantitative",
                    "title": shared_title,
                    "scale": {"domain": weights, "range": [0.2, 0.85]},
                    "legend": {"tickMinStep": 1, "orient": "bottom"},
                },
                "tooltip": [
                    {"field": "pair", "type": "nominal", "title": t("chart.pair", lang)},
                    {"field": "shared", "type": "quantitative", "title": shared_title},
                ],
            },
        },
        {
            "data": {"values": nodes},
            "mark": {"type": "circle", "color": "#0b3d75", "opacity": 1, "stroke": "#ffffff", "strokeWidth": 1.5},
            "encoding": {
                **position,
                "size": {
                    "field": "projects",
                    "type": "quantitative",
                    "title": axis_p,
                    "scale": {"zero": True, "range": [60, 600]},
                    "legend": None,
                },
                "tooltip": [
                    {"field": "municipality", "type": "nominal", "title": axis_m},
                    {"field": "projects", "type": "quantitative", "title": axis_p},
                ],
            },
        },
    ]
    for align in ("left", "right", "center"):
        if any(n["align"] == align for n in nodes):
            layers.append(
                {
                    "data": {"values": nodes},
                    "transform": [{"filter": {"field": "align", "equal": align}}],
                    "mark": {"type": "text", "align": align, "baseline": "middle", "fontSize": 13},
                    "encoding": {
                        "x": {"field": "label_x", "type": "quantitative", "scale": scale, "axis": None},
                        "y": {"field": "label_y", "type": "quantitative", "scale": scale, "axis": None},
                        "text": {"field": "municipality", "type": "nominal"},
                    },
                }
            )
    subtitle: list[str] = []
    central = vision.sphere.central_city
    if central is not None and vision.municipality(central.name) is None:
        subtitle.append(t("chart.note.central_city", lang, city=central.display))
    strongest = [e for e in edges if e["shared"] == top] if edges else []
    description = t(
        "chart.desc.network",
        lang,
        sphere=_sphere(vision, lang),
        count=len(members),
        pairs=len(edges),
        top=t("chart.list_separator", lang).join(str(e["pair"]) for e in reversed(strongest)) or "—",
        shared=top if edges else 0,
    )
    body: Spec = {"width": 440, "height": 440, "layer": layers, "resolve": {"scale": {"size": "independent"}}}
    spec = _spec(vision, "network", lang, description, subtitle, body)
    spec["config"]["view"] = {"stroke": None}
    return spec


CHARTS: dict[str, Chart] = {
    chart.kind: chart
    for chart in (
        Chart("projects", "chart.projects", projects_per_municipality),
        Chart("heatmap", "chart.heatmap", field_heatmap),
        Chart("network", "chart.network", network),
    )
}


def build(vision: Vision, kind: str, lang: str = DEFAULT) -> Spec:
    """The spec of one kind of chart; KeyError for a kind not in ``CHARTS``."""
    return CHARTS[kind].build(vision, lang)
