"""CSV: one row per project with a column per municipality code (wide), or one row per link (long).

UTF-8 with a byte-order mark by default, because Excel opens a CSV without one as Shift_JIS and garbles it.
The wide form is tidy (``renkei.ingest.tidy``): the header in row 1 with each municipality as 「鷹栖町 (014524)」,
one row per project with its pillar and field in columns of their own and the declared 連携町数, then one
named record, 「連携事業数計（記載値）」, with the declared totals and, in its description cell, the sphere's
identity and edition; it reads back into the same table. The long form is for pivot tables and joins.

Every cell that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) is
written with a leading apostrophe, as OWASP recommends against CSV injection; renkei's reader removes it again.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from renkei.render.base import Document, Renderer, RenderError, register
from renkei.render.layout import cells, figure
from renkei.render.neutral import NeutralWriter
from renkei.vision.model import Municipality, Role, Vision
from renkei.vision.ownformat import LONG_HEADER, NUMBER, TOTALS_RECORD, links_notice, meta_fields
from renkei.vision.table import Column, ColumnKind, table_view

ROLE_NAMES = {Role.MEMBER: "連携", Role.LEAD: "主体"}
# The tidy table's columns: every column of the view, the pillar and field in columns of their own.
WIDE: tuple[ColumnKind, ...] = ("number", "pillar", "field", "name", "description", "attribute", "municipality")
WIDE += ("count", "figure")


def column_name(municipality: Municipality) -> str:
    """A municipality's column header: its name and code together, 「鷹栖町 (014524)」 (text that no spreadsheet
    turns into a number, and that the reader resolves by its code: ``ingest.members.split_code``)."""
    code = municipality.code
    return f"{municipality.display} ({code})" if code else municipality.display


def _wide_label(column: Column) -> str:
    """A column's header in the tidy table: 番号, 柱 and 分野 by name, a municipality with its code."""
    if column.municipality is not None:
        return column_name(column.municipality)
    return NUMBER if column.kind == "number" else column.label


def wide_rows(vision: Vision) -> list[list[object]]:
    """The tidy table: the header in row 1, one row per project, then the one named record of ``ingest.tidy``."""
    view = table_view(vision)
    columns = view.select(*WIDE)
    rows: list[list[object]] = [[_wide_label(c) for c, _ in columns]]
    rows += [list[object](cells(row, view, WIDE, blank="")) for row in view.project_rows]
    # One named record closes the table: the declared 連携事業数計 (blank where the document declared none) and,
    # in its description cell, the sphere's identity and edition (``ingest.meta``'s fields, one per line).
    identity = "\n".join(meta_fields(vision, neutralised=True))
    record = {"name": TOTALS_RECORD, "description": identity}
    rows.append([record.get(c.kind, figure(view.total(c, at))) for c, at in columns])
    return rows


def long_rows(vision: Vision) -> list[list[object]]:
    """The header in row 1, one row per participation (a project nobody takes part in has one row without a
    municipality, so that reading it back, ``ingest.long``, gives every project), then one record that says
    what the file is: the sphere, the declared figures and the columns' order, packed in three cells so that
    a tidy reader (pandas, Excel's filters) still sees seven columns."""
    view = table_view(vision)
    order = [m.code or m.display for m in view.columns]
    rows: list[list[object]] = [list(LONG_HEADER)]
    for row in view.project_rows:
        p = row.project
        pillar, field = str(p.pillar) if p.pillar else "", str(p.field) if p.field else ""
        links = [[m.code or "", m.display, ROLE_NAMES[r]] for m, r in zip(view.columns, row.roles, strict=True) if r]
        for link in links or [["", "", ""]]:
            rows.append([p.number, p.name, pillar, field, *link])
    marker, what, *fields = links_notice(vision, order)
    rows.append([marker, what, "\n".join(fields)])
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
