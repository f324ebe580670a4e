"""The official layout: the table as a vision prints it, as tab-separated text (the seed's own shape).

The title line, renkei's metadata row (the sphere's key, name, kind, central city, revision and effective date;
``renkei.ingest.meta``), headings on lines of their own, a header row opening each field's block (number in a
cell of its own), one row per project with ○ (◎ for a lead) under each municipality, and the 連携事業数計 row.
連携町数 and 連携事業数計 are the figures the document declared (blank where it declared none): a fragment's
totals count its missing rows, which the marks cannot recompute, and a wrong count must stay visible to the
checks. The totals row spans the header, so a blank figure keeps its column. Cells holding a tab, a line break
or a quote are quoted, so the text reads back exactly.
"""

from __future__ import annotations

import csv
import io

from renkei.ingest.meta import meta_fields
from renkei.model import Vision
from renkei.render.base import Renderer, register
from renkei.render.layout import LEGEND, OFFICIAL, cells, title, totals_cells
from renkei.table import TableView, table_view


def header(view: TableView) -> list[str]:
    """The header row that opens each block: the number's cell blank, the document's own headings."""
    return [column.label for column, _ in view.select(*OFFICIAL)]


def render_official(vision: Vision) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    view = table_view(vision)
    columns = view.select(*OFFICIAL)
    heading = title(vision)
    if heading:
        writer.writerows([[heading], []])
    writer.writerows([meta_fields(vision), []])
    if view.leads:
        writer.writerows([[LEGEND], []])
    for block in view.blocks:
        for row in block.headings:
            writer.writerows([[row.text], []])
        writer.writerow(header(view))
        writer.writerows(cells(row, view, OFFICIAL) for row in block.projects)
        writer.writerow([])
    if view.declares_totals:
        writer.writerow(totals_cells(view, columns))
    return out.getvalue().encode("utf-8")


register(Renderer("official", "txt", "text/plain; charset=utf-8", "format.official", render_official))
