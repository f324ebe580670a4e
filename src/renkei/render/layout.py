"""How the tabular renderers write what the one table view (``renkei.vision.table``) holds: the legend, the title line,
and a declared figure as the document printed it. The columns and rows themselves are the view's."""

from __future__ import annotations

from renkei.vision.figurecolumns import year_label
from renkei.vision.model import Vision
from renkei.vision.table import Column, ColumnKind, Figure, ProjectRow, TableView

LEGEND = "◎：主体となって実施　○：連携して実施"


def title(vision: Vision) -> str | None:
    """The title line: the sphere's name, and its central city in brackets (中心市：…)."""
    sphere = vision.sphere
    if not sphere.name:
        return None
    central = sphere.central_city
    heading = f"{sphere.name}（中心市：{central.display}）" if central else sphere.name
    return heading + edition_note(vision)


def plan_line(vision: Vision) -> str | None:
    """The plan period as the document states it (計画期間：令和6年度～令和10年度), which the reader reads back; none
    where the document stated none."""
    if vision.plan_period is None:
        return None
    first, last = vision.plan_period
    return f"計画期間：{year_label(first)}～{year_label(last)}"


def edition_note(vision: Vision) -> str:
    """The revision and the date it takes effect, after the title of a table read from the registry
    (「　第3版（2024-04-01 適用）」), so that a printout says which table it is. A file's own table has none; the
    reader takes the name and kind before it, so the note does not change what is read back."""
    edition = vision.edition
    if edition.revision is None:
        return ""
    when = f"（{edition.effective_on} 適用）" if edition.effective_on else ""
    return f"　第{edition.revision}版{when}"


def figure(value: Figure | None) -> str:
    """A declared figure as the document printed it: blank where it printed none."""
    return "" if value is None or value.declared is None else str(value.declared)


# A project's declared 連携町数 where the document declared none: a row without marks, description or count would
# otherwise read as a heading (1 ぁ).
NO_FIGURE = "－"


# The columns of the official layout (and of Markdown and XLSX): the pillar and field stand in heading rows.
OFFICIAL: tuple[ColumnKind, ...] = ("number", "name", "description", "attribute", "municipality", "count", "figure")


def cells(row: ProjectRow, view: TableView, kinds: tuple[ColumnKind, ...], blank: str = NO_FIGURE) -> list[int | str]:
    """A project row's cells under the view's columns of these kinds, its count as the document declared it
    (``blank`` where it declared none)."""
    out: list[int | str] = []
    for value in row.cells(kinds, view.attributes, view.figures):
        if isinstance(value, Figure):
            value = blank if value.declared is None else str(value.declared)
        out.append(value)
    return out


def totals_cells(view: TableView, columns: list[tuple[Column, int]]) -> list[str]:
    """The 連携事業数計 row as the document declared it (a fragment's totals count its missing rows too, so they
    cannot be recomputed): its label under the number, a figure per municipality and the grand total, blank
    where the document printed none. Only where ``view.declares_totals``, so that none is invented."""
    return [view.labels.totals if c.kind == "number" else figure(view.total(c, at)) for c, at in columns]
