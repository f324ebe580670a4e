"""A person's own account: where sign-in lands (their sphere's draft, or a list of their spheres), the list of
their spheres, and the change of their own password (the current one first; required at the first sign-in after
an administrator set it)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from renkei.core.messages import t
from renkei.core.permissions import Action, Principal, RoleName, allowed
from renkei.places.municipalities import Registry
from renkei.store import MIN_PASSWORD, StoreError
from renkei.web.auth import actor, check_csrf, require_principal
from renkei.web.deps import store_of
from renkei.web.templating import render

router = APIRouter(include_in_schema=False)
PASSWORD_PAGE = "/account/password"
_EDITING = (RoleName.SECRETARIAT, RoleName.MUNICIPALITY)


def landing(who: Principal) -> str:
    """Where a sign-in without a page to return to lands: the draft of the one sphere the person edits, the list
    of their spheres where they have several (or only read), the administration for an administrator with no
    sphere of their own, else the national list."""
    editing = list(dict.fromkeys(g.sphere for g in who.grants if g.role in _EDITING))
    if len(editing) == 1:
        return f"/spheres/{quote(editing[0])}/draft"
    if who.grants:
        return "/mine"
    return "/admin" if who.is_admin else "/"


def after_sign_in(request: Request, who: Principal, next_page: str) -> str:
    """The change-password page first where an administrator asked for it, then the page asked for."""
    target = next_page or landing(who)
    if store_of(request).accounts.must_change_password(who.username):
        return f"{PASSWORD_PAGE}?next={quote(target)}"
    return target


@router.get("/mine", response_class=HTMLResponse)
def my_spheres(request: Request) -> Response:
    who = require_principal(request)
    store = store_of(request)
    lang = request.state.lang
    names = {s.key: s.name for s in store.spheres()}
    mine: dict[str, dict[str, Any]] = {}
    for grant in who.grants:
        entry = mine.setdefault(grant.sphere, {"key": grant.sphere, "name": names.get(grant.sphere), "roles": []})
        entry["roles"].append(_role(grant.role, grant.municipality, lang))
        entry["draft"] = allowed(who, Action.READ_DRAFT, grant.sphere)
    return render(request, "mine.html", {"mine": list(mine.values())})


def _role(role: RoleName, municipality: str | None, lang: str) -> str:
    if role is RoleName.MUNICIPALITY and municipality:
        entry = Registry.default().by_code(municipality)
        return t("audit.town_role", lang, municipality=entry.name if entry else municipality)
    return t(f"ui.role_name_{role.value}", lang)


@router.get(PASSWORD_PAGE, response_class=HTMLResponse)
def password_form(request: Request, next: str = "") -> Response:
    who = require_principal(request)
    return _password_page(request, who, next)


def _password_page(request: Request, who: Principal, next_page: str, error: str | None = None) -> Response:
    context = {
        "next": _safe(next_page),
        "error": error,
        "minimum": MIN_PASSWORD,
        "required": store_of(request).accounts.must_change_password(who.username),
    }
    return render(request, "password.html", context, status=422 if error else 200)


@router.post(PASSWORD_PAGE, response_class=HTMLResponse)
def change_password(
    request: Request,
    current: Annotated[str, Form(max_length=1000)],
    new: Annotated[str, Form(max_length=1000)],
    confirm: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """The new password's length is checked before its confirmation: a person learns it is too short before
    anything else."""
    who = require_principal(request)
    check_csrf(request, csrf)
    lang = request.state.lang
    if len(new) < MIN_PASSWORD:
        return _password_page(request, who, next, t("store.password-short", lang, minimum=MIN_PASSWORD))
    if new != confirm:
        return _password_page(request, who, next, t("ui.password_mismatch", lang))
    try:
        store_of(request).accounts.change_password(who.username, current, new, actor(request))
    except StoreError as error:
        return _password_page(request, who, next, t(f"store.{error.code}", lang, **error.params))
    return RedirectResponse(f"{_safe(next) or landing(who)}", status_code=303)


def _safe(target: str) -> str:
    """Only addresses on this site."""
    return target if target.startswith("/") and not target.startswith("//") else ""
