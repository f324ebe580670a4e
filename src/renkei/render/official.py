"""The official layout: the table as a vision prints it, as tab-separated text (the seed's own shape).

The title line, renkei's metadata row (the sphere's key, name, kind, central city, revision and effective date;
``renkei.ownformat``), headings on lines of their own, a header row opening each field's block (number in a
cell of its own), one row per project with ○ (◎ for a lead) under each municipality, and the 連携事業数計 row.
連携町数 and 連携事業数計 are the figures the document declared (blank where it declared none): a fragment's
totals count its missing rows, which the marks cannot recompute, and a wrong count must stay visible to the
checks. The totals row spans the header, so a blank figure keeps its column. Cells holding a tab, a line break
or a quote are quoted, so the text reads back exactly.
"""

from __future__ import annotations

import csv
import io

from renkei.model import Vision
from renkei.ownformat import meta_fields
from renkei.render.base import Renderer, register
from renkei.render.layout import LEGEND, blocks, declared_count, declared_totals, has_leads, marks, title


def header(vision: Vision) -> list[str]:
    labels = vision.labels
    return [
        "",
        labels.name,
        labels.description,
        *vision.attribute_names(),
        *(m.display for m in vision.municipalities),
        labels.count,
    ]


def render_official(vision: Vision) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    attributes = vision.attribute_names()
    heading = title(vision)
    if heading:
        writer.writerows([[heading], []])
    writer.writerows([meta_fields(vision), []])
    if has_leads(vision):
        writer.writerows([[LEGEND], []])
    for block in blocks(vision):
        if block.new_pillar and block.pillar is not None:
            writer.writerows([[str(block.pillar)], []])
        if block.field is not None:
            writer.writerows([[str(block.field)], []])
        writer.writerow(header(vision))
        for p in block.projects:
            extra = [p.attributes.get(a, "") for a in attributes]
            writer.writerow([p.number, p.name, p.description, *extra, *marks(vision, p), declared_count(p)])
        writer.writerow([])
    row = declared_totals(vision)
    if row is not None:
        writer.writerow([row[0], "", "", *[""] * len(attributes), *row[1:]])
    return out.getvalue().encode("utf-8")


register(Renderer("official", "txt", "text/plain; charset=utf-8", "format.official", render_official))
