"""Markdown: headings as #-headings and each field's block as a pipe table, for wikis and issue trackers.

It reads back: renkei.ingest reads pipe tables, and the totals row (the declared figures, as in the official
layout) closes the last table. renkei's metadata row stands in an HTML comment under the title.
"""

from __future__ import annotations

from collections.abc import Sequence

from renkei.model import Vision
from renkei.ownformat import escape_markdown, meta_fields
from renkei.render.base import Document, Renderer, register
from renkei.render.layout import LEGEND, blocks, declared_count, declared_totals, has_leads, marks, title
from renkei.render.official import header


def _row(cells: Sequence[object], bold_first: bool = False) -> str:
    texts = [escape_markdown(str(c)) for c in cells]
    if bold_first and texts:
        texts[0] = f"**{texts[0]}**"
    return "| " + " | ".join(texts) + " |"


def render_markdown(vision: Vision) -> bytes:
    lines: list[str] = []
    heading = title(vision)
    if heading:
        lines += [f"# {heading}", ""]
    # renkei's metadata row (ingest/meta.py) as a comment, which a Markdown viewer does not show.
    lines += ["<!-- " + "\t".join(meta_fields(vision)) + " -->", ""]
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
            lines.append(_row([p.number, p.name, p.description, *extra, *marks(vision, p), declared_count(p)]))
        lines.append("")
    if lines and lines[-1] == "":
        lines.pop()
    figures = declared_totals(vision)
    if figures is not None:
        lines.append(_row([figures[0], "", "", *[""] * len(attributes), *figures[1:]], bold_first=True))
    return ("\n".join(lines) + "\n").encode("utf-8")


def document_markdown(document: Document) -> bytes:
    lines = [f"# {document.title}", ""]
    lines += [*(note for note in document.notes), ""] if document.notes else []
    for sheet in document.sheets:
        if len(document.sheets) > 1 or sheet.title != document.title:
            lines += [f"## {sheet.title}", ""]
        lines += [_row(sheet.columns), "|" + "|".join("---" for _ in sheet.columns) + "|"]
        lines += [_row(["" if v is None else v for v in row]) for row in sheet.rows]
        lines.append("")
    return "\n".join(lines).encode("utf-8")


register(
    Renderer(
        "markdown",
        "md",
        "text/markdown; charset=utf-8",
        "format.markdown",
        render_markdown,
        document=document_markdown,
    )
)
