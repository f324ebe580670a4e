"""Markdown: headings as #-headings and each field's block as a pipe table, for wikis and issue trackers.

It reads back: renkei.ingest reads pipe tables, and the totals row (the declared figures, as in the official
layout) closes the last table. renkei's metadata row stands in an HTML comment under the title.
"""

from __future__ import annotations

from collections.abc import Sequence

from renkei.render.base import Document, Renderer, register
from renkei.render.layout import LEGEND, OFFICIAL, cells, plan_line, title, totals_cells
from renkei.render.official import header
from renkei.vision.model import Vision
from renkei.vision.ownformat import escape_markdown, meta_fields
from renkei.vision.table import table_view


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
    period = plan_line(vision)
    if period:
        lines += [period, ""]
    # renkei's metadata row (ingest/meta.py) as a comment, which a Markdown viewer does not show.
    lines += ["<!-- " + "\t".join(meta_fields(vision)) + " -->", ""]
    view = table_view(vision)
    if view.leads:
        lines += [LEGEND, ""]
    head = header(view)
    columns = view.select(*OFFICIAL)
    align = [{"number": "---:", "municipality": ":-:", "count": "---:"}.get(c.kind, "---") for c, _ in columns]
    for block in view.blocks:
        for row in block.headings:
            lines += [f"{'##' if row.level == 'pillar' else '###'} {row.text}", ""]
        lines += [_row(head), "|" + "|".join(align) + "|"]
        lines += [_row(cells(row, view, OFFICIAL)) for row in block.projects]
        lines.append("")
    if lines and lines[-1] == "":
        lines.pop()
    if view.declares_totals:
        lines.append(_row(totals_cells(view, columns), bold_first=True))
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
