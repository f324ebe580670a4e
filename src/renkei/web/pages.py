"""The HTML pages, each at a stable address a person can bookmark and share."""

from __future__ import annotations

import itertools
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from renkei.core.errorkinds import Family, kind_of
from renkei.core.permissions import Action, allowed
from renkei.ingest import TableReadError
from renkei.ingest.report import check_reading
from renkei.ingest.understanding import understood_lines
from renkei.places.municipalities import Registry
from renkei.render import usable
from renkei.store import highlight, today_jst
from renkei.vision import record
from renkei.vision.model import Severity
from renkei.web import country, national, newsphere, overlap, views
from renkei.web.amendmentview import view as amendment_view
from renkei.web.auth import principal
from renkei.web.budgetpages import figures_context, project_context, town_context
from renkei.web.charttables import chart_tables
from renkei.web.deps import MAX_UPLOAD, NUMBER_MAX, Scope, cacheable, store_of
from renkei.web.hints import page_explain, page_explain_error
from renkei.web.imports import check_extras, offer
from renkei.web.opendata import sphere_jsonld
from renkei.web.reading import ANNEX_FILE, read_upload, table_date
from renkei.web.templating import error_response, render

router = APIRouter(include_in_schema=False)
_FIGURE_LABELS = frozenset(record.FIELDS[name].label_key for name in ("budgets", "kpis"))
# Spheres listed per page of the home page: the whole country (about 170) on one.
HOME_PAGE = 200


def _charts() -> list[tuple[str, str]]:
    from renkei.publish.charts import CHARTS

    return [(kind, chart.title) for kind, chart in CHARTS.items()]


@router.get("/", response_class=HTMLResponse)
@cacheable(Scope.REGISTRY)
def index(
    request: Request,
    kind: Annotated[str, Query(max_length=40)] = "",
    prefecture: Annotated[str, Query(max_length=10)] = "",
    sort: Annotated[str, Query(pattern="^(place|name|members|projects|revision)$")] = "place",
    abolished: Annotated[str, Query(max_length=1)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    # Abolished spheres stay readable but are left out of the map and the counts unless asked for. In the list,
    # one known only by its members is left out too, while one whose tables the registry keeps stays, marked 廃止
    # (its revisions are the registry's own record), as the sample 上川中部 does.
    spheres = store_of(request).spheres()
    everything = [s for s in spheres if abolished or not s.abolished]
    listed = [s for s in spheres if abolished or not s.abolished or s.latest is not None]
    chosen = national.SphereFilter(kind, prefecture, sort).apply(listed)
    # A page of the list at a time (the map and the counts cover them all), so that the page stays light at
    # ten times the country's size.
    pages = max(1, (len(chosen) + HOME_PAGE - 1) // HOME_PAGE)
    context = {
        "spheres": chosen[(page - 1) * HOME_PAGE : page * HOME_PAGE],
        "chosen": len(chosen),
        "page": page,
        "pages": pages,
        "total": len(listed),
        "abolished": bool(abolished),
        "with_table": sum(1 for s in listed if s.latest),
        "abolished_kept": 0 if abolished else sum(1 for s in listed if s.abolished),
        "kind": kind,
        "prefecture": prefecture,
        "sort": sort,
        "kinds": national.kinds(),
        "prefectures": national.PREFECTURES,
        "sorts": national.SPHERE_SORTS,
        "tiles": national.tiles(everything, kind),
        "counts": {k: sum(1 for s in everything if s.kind.value == k) for k in national.kinds()},
    }
    context.update(overlap.map_context(store_of(request), everything, kind))  # towns in several spheres
    return render(request, "index.html", context)


@router.get("/spheres/{key}", response_class=HTMLResponse)
@cacheable(Scope.SPHERE)
def sphere(
    request: Request,
    key: str,
    rev: Annotated[int | None, Query(ge=1, le=NUMBER_MAX)] = None,
    field: str | None = None,
    municipality: str | None = None,
    description: Annotated[str, Query(max_length=1)] = "",
) -> Response:
    store = store_of(request)
    info = store.sphere(key)
    if info.latest is None:
        return country.sphere_without_table(request, info)
    latest_number = info.latest.number if info.latest else None
    # The newest revision is the sphere's own (its info names it): asked for only when another one is wanted.
    revision = info.latest if rev is None else store.revision(key, rev)
    vision = store.vision(key, revision.number)
    context = {
        "info": info,
        "revision": revision,
        "latest": info.latest,
        "vision": vision,
        "matrix": views.matrix(vision, field or None, municipality or None),
        "fields": views.fields(vision),
        "field": field or "",
        "municipality": municipality or "",
        "selected": vision.find_municipality(municipality) if municipality else None,
        "history": store.history(key),
        "formats": usable(),
        "charts": _charts(),
        "findings": revision.findings,
        "key_of": views.municipality_key,
        "can_read_draft": allowed(principal(request), Action.READ_DRAFT, key),
        "today": today_jst(),
        # The 取組状況 report of the fiscal year under way, offered where the vision has KPIs (web/results.py).
        "report_year": _fiscal_year() if any(p.kpis for p in vision.projects) else None,
        "with_description": bool(description),
        "chart_tables": chart_tables(vision),
        "figures": figures_context(vision, request.state.lang),  # budgets and KPIs, where the projects give them
        "download_query": _download_query(revision.number, latest_number, field, municipality),
        "life": country.lifecycle(store, info),
        "dataset_jsonld": sphere_jsonld(request, key),  # the sphere's DCAT Dataset (web/opendata.py)
    }
    # htmx asks for the matrix alone when a filter changes; the address stays the page's own.
    template = "_matrix.html" if request.headers.get("HX-Request") else "sphere.html"
    return render(request, template, context)


def _fiscal_year() -> int:
    day = today_jst()
    return day.year if day.month >= 4 else day.year - 1


def _download_query(number: int, latest: int | None, field: str | None, municipality: str | None) -> str:
    """The downloads' query: the revision shown (when not the newest) and the filters on screen."""
    params = {"rev": str(number) if number != latest else "", "field": field or "", "municipality": municipality or ""}
    return urlencode({k: v for k, v in params.items() if v})


@router.get("/spheres/{key}/projects/{number}", response_class=HTMLResponse)
@cacheable(Scope.SPHERE)
def project(
    request: Request,
    key: str,
    number: Annotated[int, Path(ge=0, le=NUMBER_MAX)],
    rev: Annotated[int | None, Query(ge=1, le=NUMBER_MAX)] = None,
) -> Response:
    store = store_of(request)
    revision = store.revision(key, rev)
    vision = store.vision(key, revision.number)
    history = store.project_history(key, number, revision.number)
    current = next(p for info, p in history if info.number == revision.number)
    context = {
        "info": store.sphere(key),
        "revision": revision,
        "vision": vision,
        "project": current,
        # The fields declared since the first schema (renkei.vision.record); budgets and KPIs have tables of their own.
        "declared": [(label, text) for label, text in record.shown(current) if label not in _FIGURE_LABELS],
        "figures": project_context(vision, current, request.state.lang),  # its budgets and KPIs as tables
        "history": history,
        "key_of": views.municipality_key,
    }
    return render(request, "project.html", context)


@router.get("/spheres/{key}/revisions", response_class=HTMLResponse)
@cacheable(Scope.SPHERE)
def revisions(request: Request, key: str) -> Response:
    store = store_of(request)
    return render(request, "revisions.html", {"info": store.sphere(key), "history": store.history(key)})


@router.get("/spheres/{key}/diff", response_class=HTMLResponse)
@cacheable(Scope.SPHERE)
def amendments(
    request: Request,
    key: str,
    old: Annotated[int, Query(alias="from", ge=1, le=NUMBER_MAX)],
    new: Annotated[int, Query(alias="to", ge=1, le=NUMBER_MAX)],
) -> Response:
    store = store_of(request)
    context = {
        "info": store.sphere(key),
        "history": store.history(key),
        "old": old,
        "new": new,
        "amendments": store.diff(key, old, new),
        "formats": [r for r in usable() if r.document is not None],
    }
    context["av"] = amendment_view(store.diff(key, old, new), request.state.lang)
    context["annex_formats"] = context["formats"]
    return render(request, "diff.html", context)


@router.get("/municipalities/{code}", response_class=HTMLResponse)
@cacheable(Scope.REGISTRY)
def municipality(request: Request, code: str) -> Response:
    store = store_of(request)
    entry = Registry.default().by_code(code)
    memberships = store.memberships(code)
    if entry is None and not memberships:
        kind = kind_of(Family.WEB, "not-found")
        return error_response(request, kind.status(), kind.code, _t(request, "ui.municipality_unknown", code=code))
    spheres: list[dict[str, object]] = []
    dated = country.memberships_by_sphere(store, code)
    for info in memberships:
        if info.latest is None:  # known only by its members: no table to show
            spheres.append({"info": info, "member": None, "projects": [], "changes": [], "dated": dated.get(info.key)})
            continue
        vision = store.vision(info.key)
        member = vision.find_municipality(code)
        projects = vision.projects_of(member.name) if member else []
        changes = []
        history = store.history(info.key)
        for before, after in itertools.pairwise(history):
            affecting = store.diff(info.key, before.number, after.number).affecting(member.name) if member else []
            if affecting:
                changes.append((before, after, affecting))
        budgets = town_context(vision, member.name, request.state.lang) if member else None
        spheres.append(
            {
                "info": info,
                "member": member,
                "projects": projects,
                "changes": changes,
                "dated": dated.get(info.key),
                "budgets": budgets,
                # The document's own total for the town, where it differs from the marks of the table (a part of
                # the document, or a wrong total): said beside the schedule, never shown as its count.
                "declared": vision.declared_totals.get(member.name) if member else None,
            }
        )
    context = {"entry": entry, "code": code, "spheres": spheres}
    return render(request, "municipality.html", context)


@router.get("/search", response_class=HTMLResponse)
@cacheable(Scope.REGISTRY)
def search(
    request: Request,
    q: Annotated[str, Query(max_length=200)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    kind: Annotated[str, Query(max_length=40)] = "",
    prefecture: Annotated[str, Query(max_length=10)] = "",
    field: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """Hits with facets (kind, prefecture, field) beside them; the facets narrow the hits and the downloads."""
    per_page = 20
    store = store_of(request)
    asked = (q, kind, prefecture, field, per_page, (page - 1) * per_page)
    found = national.facet_search(store, *asked) if q.strip() else None
    shown = found.hits if found else []
    total = found.total if found else 0
    marked = [(h.hit, highlight(h.hit.name, q), _excerpt(h.hit.description, q), h) for h in shown]
    context = {
        "q": q,
        "hits": marked,
        "total": total,
        "page": page,
        "pages": (total + per_page - 1) // per_page,
        "facets": found,
        "chosen": {"kind": kind, "prefecture": prefecture, "field": field},
        "suggestions": national.suggestions(store, q) if q.strip() and not total else [],
        "query": str(request.url.remove_query_params("page").query),
    }
    return render(request, "search.html", context)


def _excerpt(text: str, query: str, width: int = 60) -> list[tuple[str, bool]]:
    """The part of a description around its first match, marked for display."""
    pieces = highlight(text, query)
    position, start = 0, 0
    for piece, hit in pieces:
        if hit:
            start = max(0, position - width // 2)
            break
        position += len(piece)
    window = text[start : start + width * 2]
    marked = highlight(window, query)
    prefix = [("…", False)] if start else []
    suffix = [("…", False)] if start + width * 2 < len(text) else []
    return prefix + marked + suffix


@router.get("/check", response_class=HTMLResponse)
def check_form(request: Request, sphere: str = "") -> Response:
    return render(request, "check.html", {"report": None, **check_extras(request, sphere)})


@router.post("/check", response_class=HTMLResponse)
async def check_upload(
    request: Request,
    file: Annotated[UploadFile, File()],
    encoding: Annotated[str, Form()] = "",
    sheet: Annotated[str, Form()] = "",
    sphere: Annotated[str, Form()] = "",
    pages: Annotated[str, Form(max_length=100)] = "",
    name_column: Annotated[str, Form(max_length=200)] = "",
    annex: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Read an uploaded table and show its findings; nothing is stored. A budget annex (別冊), when one is sent
    too, is read and merged into the table's projects as ``renkei check --annex`` does, its findings shown with
    the table's. A sphere's secretariat who named the sphere is offered to import it (``renkei.web.imports``)."""
    lang = request.state.lang
    data = await file.read(MAX_UPLOAD + 1)
    extra = await annex.read(MAX_UPLOAD + 1) if annex is not None else b""
    if len(data) > MAX_UPLOAD or len(extra) > MAX_UPLOAD:
        return render(request, "check.html", {"report": None, "error": _t(request, "ui.too_large")}, status=413)
    attached = (extra, annex.filename or "") if annex is not None and extra else None
    try:
        reading = await read_upload(
            request,
            data,
            file.filename or "",
            encoding=encoding or None,
            sheet=sheet or None,
            pages=pages or None,
            name_column=name_column or None,
            annex=attached,
        )
    except TableReadError as error:
        explained = page_explain_error(error.code, error.location, error.params, lang)
        shown = {"report": None, "read_error": explained, "filename": error.params.get(ANNEX_FILE, file.filename)}
        return render(request, "check.html", shown, error.kind.status())
    report = check_reading(reading)
    findings = [(f, page_explain(f, lang)) for f in report.sorted_findings()]
    context = {
        "report": report,
        "counts": {s.value: report.count(s) for s in Severity},
        "findings": findings,
        "filename": file.filename,
        "annex_filename": attached[1] if attached else None,
        "matrix": views.matrix(reading.vision),
        "vision": reading.vision,
        "key_of": views.municipality_key,
        **check_extras(request, sphere),
        "encoding": encoding,
        "sheet": sheet,
        "pages": pages,
        "name_column": name_column,
        "understood": understood_lines(reading.understood, lang),
    }
    as_of = await table_date(data, file.filename or "")
    chosen = context["import_sphere"]
    context["offer"] = offer(request, chosen, reading, data, file.filename or "", as_of, annex=attached)
    context["ns"] = newsphere.offer(request, chosen, reading, data, file.filename or "", as_of, annex=attached)
    return render(request, "check.html", context, status=200)


def _t(request: Request, key: str, **params: object) -> str:
    from renkei.core.messages import t

    return t(key, request.state.lang, **params)
