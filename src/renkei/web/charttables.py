"""Each chart's text alternative: the numbers it draws as a table, in the page itself, readable without
JavaScript and by a screen reader (the chart picture is only a view of these)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from renkei.publish.charts import shared_projects, strongest_links
from renkei.vision.model import Vision


@dataclass(frozen=True)
class ChartTable:
    head: list[str]
    rows: list[list[object]]

    def body(self) -> Markup:
        """The rows as the page's ``<tbody>`` holds them: the first cell a row header, the others numbers. Made
        here, not by the template's loops: a sphere of 30 towns has a field × town table of hundreds of cells,
        and escaping each number in the template was a fifth of rendering the page (issue 24)."""
        out = []
        for first, *values in self.rows:
            cells = "".join(
                f'<td class="num">{v}</td>' if type(v) is int else f'<td class="num">{escape(v)}</td>' for v in values
            )
            out.append(f'<tr><th scope="row">{escape(first)}</th>{cells}</tr>')
        return Markup("".join(out))


def chart_tables(vision: Vision) -> dict[str, ChartTable]:
    """The table of each chart kind: projects per municipality, field × municipality, the strongest pairs."""
    names = [m.display for m in vision.municipalities]
    present = vision.present_totals()
    projects = ChartTable(["", "#"], [[m.display, present[m.name]] for m in vision.municipalities])
    by_field: dict[str, list[int]] = {}
    for p in vision.projects:
        title = p.field.title if p.field else ""
        row = by_field.setdefault(title, [0] * len(names))
        for i, m in enumerate(vision.municipalities):
            row[i] += 1 if m.name in p.participants else 0
    heatmap = ChartTable(["", *names], [[title, *counts] for title, counts in by_field.items()])
    display = {m.name: m.display for m in vision.municipalities}
    links = strongest_links(shared_projects(vision), len(names))
    pairs = sorted(((n, a, b) for (a, b), n in links.items() if n > 0), key=lambda x: (-x[0], x[1], x[2]))
    network = ChartTable(["", "", "#"], [[display[a], display[b], n] for n, a, b in pairs])
    return {"projects": projects, "heatmap": heatmap, "network": network}
