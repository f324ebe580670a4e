"""Markdown: headings as #-headings and each field's block as a pipe table, for wikis and issue trackers.

It reads back: renkei.ingest reads pipe tables, and the totals row closes the last table.
"""

from __future__ import annotations

from collections.abc import Sequence

from renkei.ingest.text import escape_markdown
from renkei.model import Vision
from renkei.render import Renderer, register
from renkei.render.layout import LEGEND, blocks, has_leads, marks, title, totals
from renkei.render.official import header


def _row(cells: Sequence[object]) -> str:
    return "| " + " | ".join(escape_markdown(str(c)) for c in cells) + " |"


def render_markdown(vision: Vision) -> bytes:
    lines: list[str] = []
    heading = title(vision)
    if heading:
        lines += [f"# {heading}", ""]
    if has_leads(vision):
        lines += [LEGEND, ""]
    head = header(vision)
    attributes = vision.attribute_names()
    align = ["---:", "---", "---", *["---"] * len(attributes), *[":-:"] * len(vision.municipalities), "---:"]
    for block in blocks(vision):
        if block.new_pillar and block.pillar is not None:
            lines += [f"## {block.pillar}", ""]
        if block.field is not None:
            lines += [f"### {block.field}", ""]
        lines += [_row(head), "|" + "|".join(align) + "|"]
        for p in block.projects:
            extra = [p.attributes.get(a, "") for a in attributes]
            lines.append(_row([p.number, p.name, p.description, *extra, *marks(vision, p), p.count]))
        lines.append("")
    if lines and lines[-1] == "":
        lines.pop()
    figures = totals(vision)
    label = f"**{figures[0]}**"
    lines.append(_row([label, "", "", *[""] * len(attributes), *figures[1:]]))
    return ("\n".join(lines) + "\n").encode("utf-8")


register(Renderer("markdown", "md", "text/markdown; charset=utf-8", "format.markdown", render_markdown))
