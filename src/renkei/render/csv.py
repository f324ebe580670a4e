"""CSV: one row per project with a column per municipality code (wide), or one row per link (long).

UTF-8 with a byte-order mark by default, because Excel opens a CSV without one as Shift_JIS and garbles it.
The wide form opens with renkei's metadata row (the sphere's identity, ``renkei.ingest.meta``), carries the
pillar and field of each row in columns of their own, the declared 連携町数 and the declared 連携事業数計 row,
and reads back into an equal vision; the long form is for pivot tables and joins, and reads back into the same
municipalities, projects, participants, roles and declared figures (not the descriptions, which it leaves out).

Every cell that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) is
written with a leading apostrophe, as OWASP recommends against CSV injection; renkei's reader removes it again.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from renkei.ingest.meta import links_notice, meta_fields
from renkei.model import Role, Vision, iter_links
from renkei.render.base import Document, Renderer, RenderError, register
from renkei.render.layout import LEGEND, declared_totals, figure, has_leads, marks
from renkei.render.neutral import NeutralWriter

ROLE_NAMES = {Role.MEMBER: "連携", Role.LEAD: "主体"}


def wide_rows(vision: Vision) -> list[list[object]]:
    labels = vision.labels
    attributes = vision.attribute_names()
    head: list[object] = [
        "番号",
        "柱",
        "分野",
        labels.name,
        labels.description,
        *attributes,
        *(m.display for m in vision.municipalities),
        labels.count,
    ]
    # Names first, as the document prints them (Excel would show a code as a bare number: 14524, not 鷹栖町);
    # the codes in a second header row under them, which the reader takes as the header's lower half. It has no
    # label of its own: a label in any column would be merged into that column's header and change its meaning.
    codes: list[object] = [*[""] * (5 + len(attributes)), *(m.code or "" for m in vision.municipalities), ""]
    # A row of one code would read as a project row: the reader takes a row for a header from two towns on.
    heads = [head, codes] if sum(1 for m in vision.municipalities if m.code) >= 2 else [head]
    # Without its legend line a ◎ reads back as an ordinary ○ (the reader must not guess what a mark means).
    rows: list[list[object]] = [[*meta_fields(vision, neutralised=True)]]
    rows += [[LEGEND], *heads] if has_leads(vision) else heads
    for p in vision.projects:
        headings = [str(p.pillar) if p.pillar else "", str(p.field) if p.field else ""]
        extra = [p.attributes.get(a, "") for a in attributes]
        count = figure(p.declared_count)
        rows.append([p.number, *headings, p.name, p.description, *extra, *marks(vision, p), count])
    totals = declared_totals(vision)
    if totals is not None:
        rows.append([totals[0], "", "", "", "", *[""] * len(attributes), *totals[1:]])
    return rows


def long_rows(vision: Vision) -> list[list[object]]:
    """One row per participation; a project nobody takes part in has one row without a municipality, so that
    reading it back (``ingest.long``) gives every project."""
    order = [m.code or m.display for m in vision.municipalities]
    rows: list[list[object]] = [[*links_notice(vision, order)]]
    rows.append(["番号", "事業名", "柱", "分野", "団体コード", "市町村名", "役割"])
    links: dict[int, list[list[object]]] = {}
    for p, m, role in iter_links(vision):
        links.setdefault(id(p), []).append([m.code or "", m.display, ROLE_NAMES[role]])
    for p in vision.projects:
        pillar, field = str(p.pillar) if p.pillar else "", str(p.field) if p.field else ""
        for link in links.get(id(p), [["", "", ""]]):
            rows.append([p.number, p.name, pillar, field, *link])
    return rows


def encode(rows: list[list[object]], encoding: str) -> bytes:
    out = io.StringIO()
    NeutralWriter(out).writerows(rows)
    text = out.getvalue()
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as error:
        character = error.object[error.start : error.end]
        line = text.count("\n", 0, error.start) + 1
        raise RenderError(f"{character!r} (line {line}) cannot be written in {encoding}; use UTF-8") from None


Rows = Callable[[Vision], list[list[object]]]


def _renderer(name: str, encoding: str, rows_of: Rows = wide_rows, readable: bool = True) -> Renderer:
    def render(vision: Vision) -> bytes:
        return encode(rows_of(vision), encoding)

    media = "text/csv; charset=shift_jis" if encoding == "cp932" else "text/csv; charset=utf-8"
    document = _document(encoding) if rows_of is wide_rows else None
    return Renderer(name, "csv", media, f"format.{name}", render, readable, document)


def document_rows(document: Document) -> list[list[object]]:
    """Each sheet's header and rows; several sheets follow one another under their titles."""
    rows: list[list[object]] = []
    for sheet in document.sheets:
        if len(document.sheets) > 1:
            rows += [[sheet.title]] if not rows else [[], [sheet.title]]
        rows += [list(sheet.columns), *(list(r) for r in sheet.rows)]
    return rows


def _document(encoding: str) -> Callable[[Document], bytes]:
    return lambda document: encode(document_rows(document), encoding)


register(_renderer("csv", "utf-8-sig"))
register(_renderer("csv-utf8", "utf-8"))
register(_renderer("csv-cp932", "cp932"))
register(_renderer("csv-long", "utf-8-sig", long_rows, readable=False))  # read back without descriptions
