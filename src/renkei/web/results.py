"""Results (実績), grades and the 取組状況 report: the page where a sphere's secretariat (and each town, for its own
share) enters a fiscal year's results into the draft, its JSON API, the sphere's grade thresholds, and the
report as a download, over ``Store.results`` and ``renkei.publish.progress``.

Results are saved into the draft (``Store.results.enter``: the drafts' versions, audit and all-or-nothing), so
they are published with the next revision. The achievement and grade the page shows are computed by
``renkei.vision.grades`` and labelled as computed; the report is made from a published revision.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Body, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from renkei.core.messages import t
from renkei.core.permissions import Action, allowed, own_municipalities
from renkei.publish import progress
from renkei.store import Conflict, DraftProject, Forbidden, Invalid, ResultEntry, today_jst
from renkei.vision import grades
from renkei.vision.model import Kpi, Project
from renkei.vision.record import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN
from renkei.vision.textrules import Problem
from renkei.web.auth import actor, check_csrf, require_principal
from renkei.web.conflicts import conflict_message
from renkei.web.deps import NUMBER_MAX, store_of
from renkei.web.files import attachment, document_bytes, renderer_of, stem
from renkei.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["results"])
downloads = APIRouter(tags=["downloads"])

Year = Annotated[int, Query(ge=FISCAL_YEAR_MIN, le=FISCAL_YEAR_MAX, description="Fiscal year (令和7年度 = 2025)")]
REPORT_FORMATS = ("pdf", "xlsx")


def default_year() -> int:
    """The fiscal year a page opens at: the one that began last (April) in Japan."""
    day = today_jst()
    return day.year if day.month >= 4 else day.year - 1


# What a person may enter ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One figure of the page: a KPI's whole result, or one town's share, for the chosen year."""

    serial: int
    version: int
    project: Project
    index: int
    kpi: Kpi
    town: str  # "" for the whole KPI
    value: float | None
    standing: grades.Graded
    editable: bool

    @property
    def field(self) -> str:
        return f"r|{self.serial}|{self.index}|{self.town}"


def lines(request: Request, key: str, year: int) -> tuple[list[Line], grades.Thresholds]:
    """Every KPI figure of the draft for the year that the person may see, and whether each may be changed: the
    secretariat the whole and every share, a town its own share where the KPI has shares."""
    store = store_of(request)
    who = require_principal(request)
    if not allowed(who, Action.READ_DRAFT, key):
        raise Forbidden(Action.READ_DRAFT, key)
    vision = store.vision(key)
    own = own_municipalities(who, key)
    mine = {m.name for m in vision.municipalities if own & {m.code, m.name}}
    wide = allowed(who, Action.RESULT, key)
    thresholds = store.results.thresholds(key)
    found: list[Line] = []
    for dp in store.drafts.get(key).projects:
        if dp.retired:
            continue
        p = dp.project
        for i, kpi in enumerate(p.kpis):
            towns = [""] + (list(p.participants) if progress.has_shares(p, kpi) else [])
            for town in towns:
                editable = wide or (bool(town) and town in mine)
                if town and not editable and not any(r.town == town for r in kpi.results):
                    continue
                standing = grades.graded(kpi, year, thresholds, town)
                found.append(Line(dp.serial, dp.version, p, i, kpi, town, standing.value, standing, editable))
    return found, thresholds


def _number(text: str) -> float | None:
    """A typed figure: blank for none, full-width digits and thousands' commas allowed; ValueError otherwise."""
    cleaned = text.strip().translate(str.maketrans("０１２３４５６７８９．－，", "0123456789.-,")).replace(",", "")
    if not cleaned:
        return None
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _percent(text: str) -> float:
    """A threshold typed as a percentage (80, ８０) as a fraction; ValueError where it is blank or no number."""
    value = _number(text)
    if value is None:
        raise ValueError(text)
    return value / 100


def _shown(value: float | None) -> str:
    """A figure as typed: 17500, 12.5 (never 1.75e+04)."""
    if value is None:
        return ""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:f}".rstrip("0").rstrip(".")


# The page ----------------------------------------------------------------------------------------------------


def _context(request: Request, key: str, year: int, **extra: Any) -> dict[str, Any]:
    store = store_of(request)
    found, thresholds = lines(request, key, year)
    who = require_principal(request)
    return {
        "info": store.sphere(key),
        "year": year,
        "reiwa": year - 2018,
        "lines": found,
        "thresholds": thresholds,
        "thresholds_text": progress.thresholds_text(thresholds, request.state.lang),
        "percent": progress.percent,
        "shown": _shown,
        "can_enter": any(line.editable for line in found),
        "can_grades": allowed(who, Action.GRADES, key),
        "formats": REPORT_FORMATS,
        "errors": {},
        "typed": {},
        "message": None,
        **extra,
    }


@pages.get("/spheres/{key}/results", response_class=HTMLResponse)
def results_page(
    request: Request,
    key: str,
    year: Annotated[int | None, Query(ge=FISCAL_YEAR_MIN, le=FISCAL_YEAR_MAX)] = None,
    saved: Annotated[int, Query(ge=0, le=NUMBER_MAX)] = 0,
) -> Response:
    chosen = year or default_year()
    done = t("ui.results_saved", request.state.lang, n=saved) if saved else None
    return render(request, "results.html", _context(request, key, chosen, done=done))


@pages.post("/spheres/{key}/results", response_class=HTMLResponse)
async def results_submit(request: Request, key: str) -> Response:
    """The form: each figure changed since it was read (its ``was`` field) is entered, all or nothing."""
    require_principal(request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf") or ""))
    lang = request.state.lang
    try:
        year = int(str(form.get("year") or ""))
    except ValueError:
        year = 0
    if not FISCAL_YEAR_MIN <= year <= FISCAL_YEAR_MAX:
        problem = Problem("fiscal-year", {"min": FISCAL_YEAR_MIN, "max": FISCAL_YEAR_MAX})
        raise Invalid({"year": problem})
    entries: list[ResultEntry] = []
    errors: dict[str, Problem] = {}
    typed: dict[str, str] = {}
    for name, raw in form.multi_items():
        if not name.startswith("r|") or not isinstance(raw, str):
            continue
        typed[name] = raw
        was = str(form.get("was" + name[1:]) or "")
        if raw.strip() == was.strip():
            continue
        _, serial, index, town = name.split("|", 3)
        try:
            value = _number(raw)
            version = int(str(form.get(f"version|{serial}") or ""))
            entries.append(ResultEntry(int(serial), version, int(index), year, value, town))
        except ValueError:
            errors[name] = Problem("result-number")
    if errors:
        context = _context(request, key, year, errors=errors, typed=typed)
        return render(request, "results.html", context, status=422)
    if not entries:
        return RedirectResponse(f"/spheres/{key}/results?year={year}", status_code=303)
    try:
        store_of(request).results.enter(key, entries, actor(request))
    except Conflict as conflict:
        context = _context(request, key, year, typed=typed, message=conflict_message(conflict, lang))
        return render(request, "results.html", context, status=409)
    except Invalid as invalid:
        context = _context(request, key, year, typed=typed, errors=invalid.errors)
        context["message"] = "；".join(t(f"invalid.{p.code}", lang, **p.params) for p in invalid.errors.values())
        return render(request, "results.html", context, status=422)
    return RedirectResponse(f"/spheres/{key}/results?year={year}&saved={len(entries)}", status_code=303)


@pages.post("/spheres/{key}/grades", response_class=HTMLResponse)
def grades_submit(
    request: Request,
    key: str,
    a: Annotated[str, Form(max_length=20)],
    b: Annotated[str, Form(max_length=20)],
    c: Annotated[str, Form(max_length=20)],
    year: Annotated[int, Form(ge=FISCAL_YEAR_MIN, le=FISCAL_YEAR_MAX)],
    csrf: Annotated[str, Form()] = "",
    reset: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """The sphere's thresholds, typed as percentages (100, 80, 50); ``reset`` goes back to renkei's default."""
    require_principal(request)
    check_csrf(request, csrf)
    try:
        chosen = None if reset else {k: _percent(v) for k, v in (("a", a), ("b", b), ("c", c))}
        store_of(request).results.set_thresholds(key, chosen, actor(request))
    except (ValueError, Invalid) as error:
        problem = error.errors["grades"] if isinstance(error, Invalid) else Problem("grade-thresholds", {"max": 1000})
        text = t(f"invalid.{problem.code}", request.state.lang, **problem.params)
        return render(request, "results.html", _context(request, key, year, message=text), status=422)
    return RedirectResponse(f"/spheres/{key}/results?year={year}", status_code=303)


# The report ----------------------------------------------------------------------------------------------------


@downloads.get("/spheres/{key}/report/export/{format}", summary="The 取組状況 report of a fiscal year")
def report_download(
    request: Request,
    key: str,
    format: str,
    year: Year,
    rev: Annotated[int | None, Query(ge=1, le=NUMBER_MAX)] = None,
) -> Response:
    """The 懇談会 packet of a fiscal year from a published revision (the newest unless ``rev``): the table, the
    budgets, the KPIs with their computed achievement and grade, the grades per town and the amendments since
    the previous fiscal year's revision. 圏域名_取組状況_2025年度_第3版_2026-03-31.pdf."""
    renderer = renderer_of(format, document=True)
    store = store_of(request)
    basis = store.results.basis(key, year, rev)
    lang = request.state.lang
    document = progress.report_document(
        basis.vision,
        year,
        basis.thresholds,
        progress.report_title(basis.vision.sphere.name, year, lang),
        basis.amendments,
        progress.basis_notes(_dated(basis.revision), _dated(basis.previous) if basis.previous else None, lang),
        lang,
    )
    revision = basis.revision
    date = revision.effective_on.isoformat()
    parts = [basis.vision.sphere.name, "取組状況", f"{year}年度", f"第{revision.number}版", date]
    ascii_parts = [key, "progress", f"fy{year}", f"r{revision.number}", date]
    return attachment(document_bytes(renderer, document), renderer, stem(parts), "-".join(ascii_parts))


def _dated(revision: Any) -> tuple[int, str]:
    return revision.number, revision.effective_on.isoformat()


# The API -------------------------------------------------------------------------------------------------------


class ResultIn(BaseModel):
    serial: int = Field(ge=0, le=NUMBER_MAX, description="The draft project's serial")
    version: int = Field(ge=0, le=NUMBER_MAX, description="The project's version as read (its ETag)")
    kpi: int = Field(ge=0, le=1000, description="The KPI's place in the project's list, from 0")
    fiscal_year: int = Field(ge=FISCAL_YEAR_MIN, le=FISCAL_YEAR_MAX)
    value: float | None = Field(description="The result; null for a year listed but not measured")
    town: str = Field("", max_length=100, description="A member's name or code for its share; empty for the whole")


class ResultsIn(BaseModel):
    entries: list[ResultIn] = Field(min_length=1, max_length=10_000)


class ThresholdsIn(BaseModel):
    a: float | None = Field(None, ge=0, le=10, description="Lowest achievement of A, as a fraction (1.0 = 100 %)")
    b: float | None = Field(None, ge=0, le=10)
    c: float | None = Field(None, ge=0, le=10)


def _thresholds_out(thresholds: grades.Thresholds) -> dict[str, float]:
    return {"a": thresholds.a, "b": thresholds.b, "c": thresholds.c}


@api.get("/spheres/{key}/results", summary="The draft's KPIs with their results of a year, graded (computed)")
def results_api(request: Request, key: str, year: Year) -> JSONResponse:
    found, thresholds = lines(request, key, year)
    projects: dict[int, dict[str, Any]] = {}
    for line in found:
        entry = projects.setdefault(
            line.serial,
            {"serial": line.serial, "version": line.version, "number": line.project.number, "kpis": {}},
        )
        kpi = entry["kpis"].setdefault(line.index, {"index": line.index, "name": line.kpi.name, "figures": []})
        kpi["figures"].append(
            {
                "town": line.town,
                "value": line.value,
                "editable": line.editable,
                "computed": {"rate": line.standing.rate, "grade": line.standing.grade},
            }
        )
    out = [{**p, "kpis": list(p["kpis"].values())} for p in projects.values()]
    body = {"sphere": key, "fiscal_year": year, "thresholds": _thresholds_out(thresholds), "projects": out}
    return JSONResponse(body)


@api.post("/spheres/{key}/draft/results", summary="Enter results (実績) into the draft, all or nothing")
def enter_results(request: Request, key: str, body: Annotated[ResultsIn, Body()]) -> JSONResponse:
    """Each entry names the project's version it was read at (412 where it changed since); a town's editor may
    enter its own share only (403 otherwise, nothing written)."""
    require_principal(request)
    check_csrf(request, None)
    entries = [ResultEntry(e.serial, e.version, e.kpi, e.fiscal_year, e.value, e.town) for e in body.entries]
    projects: list[DraftProject] = store_of(request).results.enter(key, entries, actor(request))
    return JSONResponse({"sphere": key, "projects": [p.as_dict() for p in projects]})


@api.get("/spheres/{key}/grades", summary="The sphere's grade thresholds")
def get_thresholds(request: Request, key: str) -> JSONResponse:
    return JSONResponse({"sphere": key, **_thresholds_out(store_of(request).results.thresholds(key))})


@api.put("/spheres/{key}/grades", summary="Set the sphere's grade thresholds (secretariat); all null for the default")
def put_thresholds(request: Request, key: str, body: Annotated[ThresholdsIn, Body()]) -> JSONResponse:
    require_principal(request)
    check_csrf(request, None)
    values = body.model_dump()
    chosen = None if all(v is None for v in values.values()) else values
    thresholds = store_of(request).results.set_thresholds(key, chosen, actor(request))
    return JSONResponse({"sphere": key, **_thresholds_out(thresholds)})
