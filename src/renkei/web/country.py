"""The country's spheres on the web: the counts of a date beside the official figures (``/country``,
``/api/country``, its chart), a sphere known only by its members (「表は未登録」), its lifecycle on its page, and
an administrator's edits of the list (``/admin/country`` and ``/api/country/…``), audited, CSRF-checked.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from renkei.core.errorbody import error_body
from renkei.core.messages import t
from renkei.core.permissions import Action, allowed
from renkei.national.country import Counts, OfficialFigure, count, official_figures
from renkei.places.municipalities import Registry
from renkei.store import Forbidden, Membership, SphereInfo, Store, StoreError
from renkei.vision.model import SphereKind
from renkei.web.api import ERRORS, ErrorBody
from renkei.web.auth import actor, check_csrf, principal, require_principal
from renkei.web.deps import Scope, cacheable, store_of
from renkei.web.national import PREFECTURES
from renkei.web.templating import error_response, render

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["country"])
STAGES = ("declared", "agreement", "vision", "abolished")
_DATE = r"^\d{4}-\d{2}-\d{2}$"


# Counts -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reconciled:
    """The registry's count of one kind beside the official figure, and what the registry lacks."""

    kind: str
    spheres: int
    gross: int
    distinct: int
    official: OfficialFigure | None

    @property
    def missing_spheres(self) -> int | None:
        return self.official.spheres - self.spheres if self.official else None

    @property
    def missing_municipalities(self) -> int | None:
        if self.official is None or self.official.municipalities is None:
            return None
        return self.official.municipalities - self.gross


def counts_of(store: Store, on: datetime.date | None) -> Counts:
    return count(store.country.standing(on), on)


def reconcile(found: Counts) -> list[Reconciled]:
    figures = {f.kind.value: f for f in official_figures()}
    return [
        Reconciled(
            k.value, found.spheres[k.value], found.gross[k.value], found.distinct.get(k.value, 0), figures.get(k.value)
        )
        for k in SphereKind
    ]


def _day(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def as_json(found: Counts) -> dict[str, Any]:
    rows = reconcile(found)
    return {
        "date": found.on.isoformat() if found.on else None,
        "kinds": [
            {
                "kind": r.kind,
                "spheres": r.spheres,
                "stages": dict(found.stages.get(r.kind, {})),
                "municipalities_gross": r.gross,
                "municipalities_distinct": r.distinct,
                "official": None
                if r.official is None
                else {
                    "date": r.official.on or None,
                    "spheres": r.official.spheres,
                    "municipalities": r.official.municipalities,
                    "approximate": r.official.approximate,
                    "source": r.official.source,
                    "url": r.official.url,
                },
                "missing_spheres": r.missing_spheres,
                "missing_municipalities": r.missing_municipalities,
            }
            for r in rows
        ],
        "municipalities_gross": sum(found.gross.values()),
        "municipalities_distinct": found.distinct.get("", 0),
        "municipalities_in_several": found.several,
        "abolished": found.abolished,
        "prefectures": {p: dict(found.prefectures[p]) for p in PREFECTURES if p in found.prefectures},
        "prefecture_municipalities": {
            p: {"gross": found.towns[p][0], "distinct": found.towns[p][1]} for p in PREFECTURES if p in found.towns
        },
    }


@api.get("/country", responses=ERRORS, summary="The country's spheres counted on a date")
@cacheable(Scope.REGISTRY)
def country_api(request: Request, date: Annotated[str, Query(pattern=_DATE)] = "") -> JSONResponse:
    """Spheres by kind and stage (宣言, 協定, ビジョン) on a date (today's list if none), municipalities 延べ
    (a town in two spheres counted twice, as the ministry counts) and distinct, per prefecture, beside the
    official figures and what the registry lacks."""
    return JSONResponse(as_json(counts_of(store_of(request), _parsed(date))))


def _parsed(date: str) -> datetime.date | None:
    try:
        return _day(date)
    except ValueError:  # 2024-02-30: the shape the pattern checks, but no day
        raise StoreError("date-invalid", value=date) from None


@api.get("/country/chart", responses=ERRORS, summary="The country's spheres per kind, as a Vega-Lite chart")
@cacheable(Scope.REGISTRY)
def country_chart(request: Request, date: Annotated[str, Query(pattern=_DATE)] = "") -> JSONResponse:
    """A Vega-Lite bar chart: the registry's spheres per kind beside the official figures."""
    lang = request.state.lang
    values = []
    for r in reconcile(counts_of(store_of(request), _parsed(date))):
        values.append({"kind": r.kind, "what": t("ui.country_registry", lang), "n": r.spheres})
        if r.official is not None:
            values.append({"kind": r.kind, "what": t("ui.country_official", lang), "n": r.official.spheres})
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "y": {"field": "kind", "type": "nominal", "title": None},
            "yOffset": {"field": "what"},
            "x": {"field": "n", "type": "quantitative", "title": t("ui.country_spheres", lang)},
            "color": {"field": "what", "type": "nominal", "title": None},
        },
        "config": {"font": "Noto Sans CJK JP"},
    }
    return JSONResponse(spec)


@pages.get("/country", response_class=HTMLResponse)
@cacheable(Scope.REGISTRY)
def country_page(request: Request, date: Annotated[str, Query(max_length=10)] = "") -> Response:
    try:
        on = _day(date)
    except ValueError:
        return error_response(request, 422, "date-invalid", t("store.date-invalid", request.state.lang, value=date))
    found = counts_of(store_of(request), on)
    context: dict[str, Any] = {
        "on": on,
        "date_value": date,
        "found": found,
        "rows": reconcile(found),
        "prefectures": [
            (p, found.prefectures.get(p, {}), found.towns.get(p, (0, 0)))
            for p in PREFECTURES
            if p in found.prefectures or p in found.towns
        ],
        "kinds": [k.value for k in SphereKind],
        "stages": ("declared", "agreement", "vision"),
    }
    return render(request, "country.html", context)


# A sphere's lifecycle, on its page ------------------------------------------------------------------------


def lifecycle(store: Store, info: SphereInfo) -> dict[str, Any]:
    """What a sphere's page shows of its life: its dates, its predecessors and successors, its members."""
    chain_back: list[SphereInfo] = []
    chain_on: list[SphereInfo] = []
    seen = {info.key}
    before = info.replaces
    while before and before not in seen:
        seen.add(before)
        chain_back.insert(0, store.sphere(before))
        before = chain_back[0].replaces
    after = info.replaced_by
    while after and after not in seen:
        seen.add(after)
        chain_on.append(store.sphere(after))
        after = chain_on[-1].replaced_by
    return {
        "dates": [(stage, info.dates.get(stage)) for stage in STAGES if info.dates.get(stage)],
        "before": chain_back,
        "after": chain_on,
        "members": store.country.memberships(sphere=info.key),
    }


def sphere_without_table(request: Request, info: SphereInfo) -> Response:
    """The page of a sphere known only by its members: 「表は未登録」, with where to import one."""
    store = store_of(request)
    who = principal(request)
    context = {
        "info": info,
        "life": lifecycle(store, info),
        "can_import": who is not None and allowed(who, Action.PUBLISH, info.key),
    }
    return render(request, "country_sphere.html", context)


def memberships_by_sphere(store: Store, code: str) -> dict[str, list[Membership]]:
    found: dict[str, list[Membership]] = {}
    for m in store.country.memberships(code=code):
        found.setdefault(m.sphere, []).append(m)
    return found


# Editing (administrators) -------------------------------------------------------------------------------


def _admin(request: Request, csrf: str | None = None) -> None:
    who = require_principal(request)
    if not allowed(who, Action.MANAGE):
        raise Forbidden(Action.MANAGE, "")
    check_csrf(request, csrf)


def _code(text: str) -> str:
    """A municipality as a form sends it: its code, or a name the national list knows once."""
    text = text.strip()
    for part in text.split():
        if part.isdigit() and len(part) == 6:
            return part
    found = Registry.default().resolve(text)
    if found.entry is None:
        raise StoreError("municipality-unknown", name=text[:40] or "-")
    return found.entry.code


@pages.get("/admin/country", response_class=HTMLResponse)
def admin_country(request: Request, done: Annotated[str, Query(max_length=20)] = "") -> Response:
    require_principal(request)
    if not allowed(principal(request), Action.MANAGE):
        raise Forbidden(Action.MANAGE, "")
    return _admin_page(request, done=t(f"ui.country_done_{done}", request.state.lang) if done in _DONE else None)


_DONE = ("sphere", "dates", "member", "end", "succession")


def _admin_page(request: Request, status: int = 200, **extra: Any) -> Response:
    store = store_of(request)
    context = {
        "spheres": store.spheres(),
        "kinds": [k.value for k in SphereKind],
        "prefectures": PREFECTURES,
        "stages": STAGES,
        "error": None,
        "done": None,
        **extra,
    }
    return render(request, "admin_country.html", context, status=status)


def _edit(request: Request, done: str, change: Any) -> Response:
    try:
        change()
    except StoreError as error:
        status = 404 if error.code.endswith("-unknown") else 422
        return _admin_page(request, status, error=t(f"store.{error.code}", request.state.lang, **error.params))
    return RedirectResponse(f"/admin/country?done={done}", status_code=303)


Text = Annotated[str, Form(max_length=200)]
Day = Annotated[str, Form(max_length=10)]


@pages.post("/admin/country/spheres", response_class=HTMLResponse)
def admin_add_sphere(
    request: Request,
    csrf: Annotated[str, Form()],
    key: Annotated[str, Form(pattern=r"^[a-z0-9][a-z0-9-]{0,99}$")],
    name: Text,
    kind: Annotated[str, Form(max_length=20)],
    central: Text = "",
    prefecture: Annotated[str, Form(max_length=10)] = "",
    declared: Day = "",
    agreement: Day = "",
    vision: Day = "",
) -> Response:
    _admin(request, csrf)
    dates = {"declared": declared, "agreement": agreement, "vision": vision}

    def change() -> None:
        if kind not in SphereKind._value2member_map_:
            raise StoreError("stage-unknown", stage=kind)
        cities = [_code(c) for c in central.replace("、", "・").split("・") if c.strip()]
        store_of(request).country.add_sphere(actor(request), key, name, SphereKind(kind), prefecture, cities, dates)

    return _edit(request, "sphere", change)


@pages.post("/admin/country/dates", response_class=HTMLResponse)
def admin_dates(
    request: Request,
    csrf: Annotated[str, Form()],
    sphere: Text,
    stage: Annotated[str, Form(max_length=20)],
    value: Day = "",
) -> Response:
    _admin(request, csrf)
    return _edit(request, "dates", lambda: store_of(request).country.set_dates(actor(request), sphere, {stage: value}))


@pages.post("/admin/country/members", response_class=HTMLResponse)
def admin_add_member(
    request: Request, csrf: Annotated[str, Form()], sphere: Text, municipality: Text, start: Day = ""
) -> Response:
    _admin(request, csrf)
    return _edit(
        request,
        "member",
        lambda: store_of(request).country.add_member(actor(request), sphere, _code(municipality), start or None),
    )


@pages.post("/admin/country/ends", response_class=HTMLResponse)
def admin_end_member(
    request: Request, csrf: Annotated[str, Form()], sphere: Text, municipality: Text, end: Day = ""
) -> Response:
    _admin(request, csrf)
    return _edit(
        request,
        "end",
        lambda: store_of(request).country.end_membership(actor(request), sphere, _code(municipality), end or None),
    )


@pages.post("/admin/country/successions", response_class=HTMLResponse)
def admin_succession(
    request: Request, csrf: Annotated[str, Form()], predecessor: Text, successor: Text, abolished: Day = ""
) -> Response:
    _admin(request, csrf)
    return _edit(
        request,
        "succession",
        lambda: store_of(request).country.record_succession(actor(request), predecessor, successor, abolished or None),
    )


# The same edits for scripts -----------------------------------------------------------------------------------


class CountryEdit(BaseModel):
    """One edit of the country's list: ``action`` says which, the other fields what it needs."""

    action: str = Field(pattern="^(add-sphere|dates|add-member|end-membership|succession)$")
    sphere: str = Field(max_length=100)
    name: str = Field("", max_length=200)
    kind: str = Field("", max_length=20)
    prefecture: str = Field("", max_length=10)
    central: list[str] = Field(default_factory=list, max_length=4)
    municipality: str = Field("", max_length=100)
    dates: dict[str, str] = Field(default_factory=dict, max_length=4)
    start: str = Field("", max_length=10)
    end: str = Field("", max_length=10)
    successor: str = Field("", max_length=100)


@api.post(
    "/country/edits",
    responses={**ERRORS, 401: {"model": ErrorBody}, 403: {"model": ErrorBody}},
    summary="Edit the country's list of spheres (administrators)",
)
def country_edit(request: Request, edit: CountryEdit) -> JSONResponse:
    """An administrator's edit of the country's list (audited): add a sphere without a table, change its
    dates, add a member or end a membership, record a succession."""
    _admin(request, None)
    store, who = store_of(request), actor(request)
    try:
        if edit.action == "add-sphere":
            if edit.kind not in SphereKind._value2member_map_:
                raise StoreError("stage-unknown", stage=edit.kind)
            cities = [_code(c) for c in edit.central]
            store.country.add_sphere(
                who, edit.sphere, edit.name, SphereKind(edit.kind), edit.prefecture, cities, edit.dates
            )
        elif edit.action == "dates":
            store.country.set_dates(who, edit.sphere, edit.dates)
        elif edit.action == "add-member":
            store.country.add_member(who, edit.sphere, _code(edit.municipality), edit.start or None)
        elif edit.action == "end-membership":
            store.country.end_membership(who, edit.sphere, _code(edit.municipality), edit.end or None)
        else:
            store.country.record_succession(who, edit.sphere, edit.successor, edit.dates.get("abolished") or None)
    except StoreError as error:
        status = 404 if error.code.endswith("-unknown") else 422
        message = t(f"store.{error.code}", request.state.lang, **error.params)
        return JSONResponse(error_body(error.code, message), status_code=status)
    return JSONResponse({"sphere": edit.sphere, "action": edit.action, "done": True})
