"""The national comparison: a page (``/compare``), its downloads (CSV, XLSX) and its API (``/api/compare``),
all three from the same ``national.Table`` so that a download holds exactly the rows the page shows; and the
search page's hits, narrowed by its facets, as CSV or JSON."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from renkei.core.messages import t
from renkei.places.municipalities import Registry
from renkei.render.neutral import csv_text, text_cell
from renkei.store import SearchHit, SphereInfo
from renkei.web import overlap
from renkei.web.deps import Scope, cacheable, store_of
from renkei.web.files import ascii_filename, content_disposition
from renkei.web.national import GROUPS, PREFECTURES, Column, Comparison, National, Table, facet_search, kinds
from renkei.web.refusal import refusal
from renkei.web.templating import render

api = APIRouter(prefix="/api", tags=["api"])
pages = APIRouter(tags=["downloads"])

Field = Annotated[str, Query(max_length=200, description="A field's title (labels ア, イ … differ between visions).")]
Kind = Annotated[str, Query(max_length=40, description="定住自立圏 or 連携中枢都市圏 (all if empty).")]
Prefecture = Annotated[str, Query(max_length=10, description="A prefecture, e.g. 北海道 (all if empty).")]
Group = Annotated[str, Query(pattern="^(sphere|prefecture|kind)$", description="Rows per sphere, prefecture or kind.")]
Code = Annotated[str, Query(max_length=10, description="A municipality's code: its fields across its spheres.")]
Sort = Annotated[str, Query(max_length=60, description="The column to sort by (its key).")]
Order = Annotated[str, Query(pattern="^(asc|desc)$", description="asc or desc.")]
Abolished = Annotated[
    bool, Query(description="Compare abolished spheres too (their newest table), each with the day it ended.")
]


class ColumnOut(BaseModel):
    key: str
    label: str
    numeric: bool


class CompareOut(BaseModel):
    title: str
    columns: list[ColumnOut]
    rows: list[dict[str, Any]]
    towns: dict[str, int] | None = None  # the compared spheres' municipalities: 延べ, distinct, in several


def _ask(
    field: Field = "",
    kind: Kind = "",
    prefecture: Prefecture = "",
    group: Group = "sphere",
    municipality: Code = "",
    sort: Sort = "",
    order: Order = "desc",
    abolished: Abolished = False,
) -> Comparison:
    """The comparison's query parameters, declared once for the page, its downloads and the API."""
    return Comparison(field, kind, prefecture, group, municipality, sort, order != "asc", abolished)


Asked = Annotated[Comparison, Depends(_ask)]


def _table(request: Request, ask: Comparison) -> Table:
    return _compared(request, ask)[0]


def _compared(request: Request, ask: Comparison) -> tuple[Table, overlap.Towns]:
    """The table asked for, with what overlapping memberships add to it (``web.overlap``), and the compared
    spheres' towns (延べ and distinct)."""
    lang = request.state.lang
    store = store_of(request)
    national = National(store, lambda key, **params: t(key, lang, **params))
    table = national.table(ask)
    found = overlap.comparison_towns(store, national.spheres(ask.kind, ask.prefecture, ask.abolished))
    if not ask.municipality:
        grouping = _GROUPINGS.get(ask.group) if ask.field else None
        overlap.annotate(table, found, grouping, national.t)
        if ask.sort in overlap.COLUMNS:
            table.sort(ask.sort, ask.descending)
    return table, found


def _town_name(code: str) -> str:
    entry = Registry.default().by_code(code) if code else None
    return entry.name if entry else code


_GROUPINGS: dict[str, Callable[[SphereInfo], str]] = {
    "prefecture": lambda s: s.prefecture or "",
    "kind": lambda s: s.kind.value,
}


@api.get("/compare", response_model=CompareOut, summary="Fields × spheres, per prefecture or kind, or a town's")
@cacheable(Scope.REGISTRY)
def compare_api(
    request: Request,
    ask: Asked,
) -> CompareOut:
    table, found = _compared(request, ask)
    return CompareOut.model_validate({**table.as_dict(), "towns": overlap.summary(found)})


@pages.get("/compare", response_class=HTMLResponse, include_in_schema=False)
@cacheable(Scope.REGISTRY)
def compare_page(
    request: Request,
    ask: Asked,
) -> Response:
    store = store_of(request)
    table, found = _compared(request, ask)
    context = {
        "ask": ask,
        "table": table,
        "towns": overlap.summary(found),
        "town_spheres": store.memberships(ask.municipality) if ask.municipality else [],
        "town_name": _town_name(ask.municipality),
        "fields": National(store, str).field_titles(),
        "kinds": kinds(),
        "prefectures": PREFECTURES,
        "groups": GROUPS,
        "query": str(request.url.query),
    }
    if not table.rows:  # why nothing is compared: no table in force under these filters, and where to bring one
        with_table = [info for info in store.spheres() if info.latest is not None]
        context["tables"] = len(with_table)
        context["abolished_tables"] = sum(1 for info in with_table if info.abolished)
    return render(request, "compare.html", context)


@pages.get("/compare/export/{format}", summary="The comparison as shown, as CSV or XLSX")
@cacheable(Scope.REGISTRY)
def compare_download(
    request: Request,
    format: str,
    ask: Asked,
) -> Response:
    if format not in ("csv", "xlsx"):
        raise refusal("not-found")
    table = _table(request, ask)
    stem = "_".join(part for part in ("比較", ask.kind, ask.prefecture, table.title) if part)
    return table_download(table, format, stem, "compare")


def table_download(table: Table, format: str, stem: str, ascii_stem: str) -> Response:
    """A table as a CSV (UTF-8 with BOM, for Excel) or XLSX file: its title, then its header and rows."""
    if format == "csv":
        data, media = table_csv(table), "text/csv; charset=utf-8"
    else:
        data, media = table_xlsx(table), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = f"{stem}.{format}"
    fallback = f"{ascii_filename(ascii_stem)}.{format}"
    return Response(data, media_type=media, headers={"Content-Disposition": content_disposition(name, fallback)})


def table_csv(table: Table) -> bytes:
    """The header and rows through the shared neutral writer (a sphere's name heads a column)."""
    text = csv_text([[c.label for c in table.columns], *table.rows])
    return ("\ufeff" + text).encode("utf-8")


def table_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.properties import PageSetupProperties

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "比較"
    # Every text cell, the title and the header (sphere names) included, is text, never a formula.
    text_cell(sheet.cell(1, 1, table.title)).font = Font(bold=True)
    for col, column in enumerate(table.columns, start=1):
        cell = text_cell(sheet.cell(2, col, column.label))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(table.rows, start=3):
        for col, value in enumerate(row, start=1):
            text_cell(sheet.cell(r, col, value if isinstance(value, int | float) or value is None else str(value)))
    sheet.freeze_panes = "B3"
    sheet.column_dimensions["A"].width = 36
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "2:2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _project_cells(hit: SearchHit) -> list[object]:
    return [hit.number, hit.name, hit.description]


# Search results as filtered ------------------------------------------------------------------------------

SEARCH_COLUMNS = ("sphere", "sphere_name", "prefecture", "kind", "field", "number", "name", "description")


@pages.get("/search/export/{format}", summary="Search hits as filtered by the facets, as CSV or JSON")
@cacheable(Scope.REGISTRY)
def search_download(
    request: Request,
    format: str,
    q: Annotated[str, Query(min_length=1, max_length=200, description="The words searched.")],
    kind: Kind = "",
    prefecture: Prefecture = "",
    field: Annotated[str, Query(max_length=200, description="A field's title.")] = "",
) -> Response:
    if format not in ("csv", "json"):
        raise refusal("not-found")
    found = facet_search(store_of(request), q, kind, prefecture, field)
    lang = request.state.lang
    table = Table(
        q,
        [Column(c, t(f"ui.col_{c}", lang), c == "number") for c in SEARCH_COLUMNS],
        [
            [
                h.hit.sphere,
                h.hit.sphere_name,
                h.prefecture,
                h.kind,
                h.field,
                h.hit.number,
                h.hit.name,
                h.hit.description,
            ]
            for h in found.hits
        ],
    )
    stem = "_".join(part for part in ("検索", q, kind, prefecture, field) if part)
    if format == "json":
        body = {"query": q, "kind": kind, "prefecture": prefecture, "field": field, "total": len(table.rows)}
        body["hits"] = table.as_dict()["rows"]
        data = json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")
        name = f"{stem}.json"
        disposition = content_disposition(name, "search.json")
        return Response(data, media_type="application/json", headers={"Content-Disposition": disposition})
    return table_download(table, "csv", stem, "search")
