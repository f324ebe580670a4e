"""The official layout: the table as a vision prints it, as tab-separated text (the seed's own shape).

Headings on lines of their own, a header row opening each field's block (number in a cell of its own), one
row per project with ○ (◎ for a lead) under each municipality, and the 連携事業数計 row matched by count.
Counts and totals are computed from the marks, never copied from declared figures. Cells holding a tab, a
line break or a quote are quoted, so the text reads back exactly.
"""

from __future__ import annotations

import csv
import io

from renkei.model import Vision
from renkei.render import Renderer, register
from renkei.render.layout import LEGEND, blocks, has_leads, marks, title, totals


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
    for line in (title(vision), LEGEND if has_leads(vision) else None):
        if line:
            writer.writerows([[line], []])
    for block in blocks(vision):
        if block.new_pillar and block.pillar is not None:
            writer.writerows([[str(block.pillar)], []])
        if block.field is not None:
            writer.writerows([[str(block.field)], []])
        writer.writerow(header(vision))
        for p in block.projects:
            extra = [p.attributes.get(a, "") for a in attributes]
            writer.writerow([p.number, p.name, p.description, *extra, *marks(vision, p), p.count])
        writer.writerow([])
    writer.writerow(totals(vision))
    return out.getvalue().encode("utf-8")


register(Renderer("official", "txt", "text/plain; charset=utf-8", "format.official", render_official))
