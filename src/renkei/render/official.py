"""The official layout: the table as a vision prints it, as tab-separated text (the seed's own shape).

The title line, renkei's metadata row (the sphere's key, name, kind, central city, revision and effective date;
``renkei.vision.ownformat``), headings on lines of their own, a header row opening each field's block (number in a
cell of its own), one row per project with ○ (◎ for a lead) under each municipality, and the 連携事業数計 row.
連携町数 and 連携事業数計 are the figures the document declared (blank where it declared none): a fragment's
totals count its missing rows, which the marks cannot recompute, and a wrong count must stay visible to the
checks. The totals row spans the header, so a blank figure keeps its column. Cells holding a tab, a line break
(a lone CR too) or a quote are quoted, so the text reads back exactly. When a text cell would start a formula in
a spreadsheet (= + - @, a tab or CR first), every text cell is written neutral (``render.neutral``) and the
metadata row says so; the reader takes the apostrophes away.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from renkei.render.base import Renderer, register
from renkei.render.layout import LEGEND, OFFICIAL, cells, plan_line, title, totals_cells
from renkei.render.neutral import NeutralWriter, neutral
from renkei.vision.model import Vision
from renkei.vision.ownformat import MARKER, meta_fields
from renkei.vision.table import TableView, table_view


def header(view: TableView) -> list[str]:
    """The header row that opens each block: the number's cell blank, the document's own headings."""
    return [column.label for column, _ in view.select(*OFFICIAL)]


def render_official(vision: Vision) -> bytes:
    rows = _rows(vision)
    line = io.StringIO()
    # "\r\n" as the writer's line end, so that a cell holding a lone CR is quoted too (csv quotes only the line
    # end's characters); each line then ends in "\n", as the document's own text does.
    writer: Any = csv.writer(line, delimiter="\t", lineterminator="\r\n")
    if any(neutral(cell) != cell for row in rows for cell in row):
        # A cell a spreadsheet would run as a formula: every text cell written neutral, which the metadata row says
        # (its 数式無効化 field), so the reader takes the apostrophes away. Other tables are written as they are.
        rows = [meta_fields(vision, neutralised=True) if row and row[0] == MARKER else row for row in rows]
        writer = NeutralWriter(line, delimiter="\t", lineterminator="\r\n")
    out = io.StringIO()
    for row in rows:
        line.seek(0)
        line.truncate()
        writer.writerow(row)
        out.write(line.getvalue()[:-2] + "\n")
    return out.getvalue().encode("utf-8")


def _rows(vision: Vision) -> list[Sequence[object]]:
    rows: list[Sequence[object]] = []
    view = table_view(vision)
    columns = view.select(*OFFICIAL)
    heading = title(vision)
    if heading:
        rows += [[heading], []]
    period = plan_line(vision)
    if period:
        rows += [[period], []]
    rows += [meta_fields(vision), []]
    if view.leads:
        rows += [[LEGEND], []]
    for block in view.blocks:
        for row in block.headings:
            rows += [[row.text], []]
        rows.append(header(view))
        rows += [cells(row, view, OFFICIAL) for row in block.projects]
        rows.append([])
    if view.declares_totals:
        rows.append(totals_cells(view, columns))
    return rows


register(Renderer("official", "txt", "text/plain; charset=utf-8", "format.official", render_official))
