"""Administration in the browser, for administrators: spheres, accounts, roles, passwords and API tokens.

Every action goes through the store's own account and import functions (those ``renkei user``, ``renkei token``
and ``renkei import`` call), so the rules and the audit trail are the same as on the command line. A new sphere
is made by importing its first table with the sphere's particulars (name, kind, central city, prefecture, plan
period). A reset password and a new token are generated here and shown once, never stored in clear.
"""

from __future__ import annotations

import datetime
import functools
import re
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from renkei.core.messages import explain, explain_error, t
from renkei.core.permissions import Action, RoleName, allowed
from renkei.ingest import TableReadError
from renkei.places.municipalities import Registry
from renkei.store import Forbidden, ImportRefused, ImportResult, SphereSpec, StoreError, record
from renkei.vision.model import Municipality, Severity, Sphere, SphereKind
from renkei.web import imports, newsphere
from renkei.web.auth import actor, check_csrf, require_principal
from renkei.web.deps import MAX_UPLOAD, NUMBER_MAX, store_of
from renkei.web.reading import ANNEX_FILE, read_upload, table_date
from renkei.web.templating import render

pages = APIRouter(include_in_schema=False)
_CODE = re.compile(r"\b(\d{6})\b")
_KEY = re.compile(r"[A-Za-z0-9_-]+")  # a sphere's key as the form's pattern says: it goes into every address


def _admin(request: Request, csrf: str | None = None) -> None:
    """Administrators only (403 in the reader's language otherwise); a write also checks the CSRF token."""
    who = require_principal(request)
    if not allowed(who, Action.MANAGE):
        raise Forbidden(Action.MANAGE, "")
    if csrf is not None:
        check_csrf(request, csrf)


@functools.cache
def municipality_choices() -> tuple[tuple[str, str], ...]:
    """The national list as the type-ahead offers it: (value typed, label), e.g. ("旭川市 012041", "北海道")."""
    return tuple((f"{e.name} {e.code}", e.prefecture) for e in Registry.default().entries)


def _central(text: str) -> str | None:
    """A central city as the form sends it: the code the type-ahead put in, else the name typed."""
    found = _CODE.search(text)
    return found.group(1) if found else (text.strip() or None)


def _context(request: Request, **extra: Any) -> dict[str, Any]:
    store = store_of(request)
    accounts = store.accounts
    people = accounts.all()
    spheres = store.spheres()
    return {
        "people": people,
        "tokens": {a.username: accounts.tokens(a.username) for a in people},
        "spheres": spheres,
        "sphere_names": {s.key: s.name for s in spheres},
        "members": {s.key: [m.name for m in store.vision(s.key).municipalities] for s in spheres if s.latest},
        "roles": [r.value for r in RoleName],
        "kinds": [k.value for k in SphereKind],
        "prefectures": Registry.default().prefectures,
        "municipalities": municipality_choices(),
        "shown": None,
        "error": None,
        "done": None,
        "ns": newsphere.form({}),
        "town_names": _town_names(people),
        **extra,
    }


def _town_names(people: list[Any]) -> dict[str, str]:
    """A grant's municipality as people read it: 鷹栖町, not 342050."""
    registry = Registry.default()
    found = {}
    for account in people:
        for grant in account.grants:
            if grant.municipality and (entry := registry.by_code(grant.municipality)) is not None:
                found[grant.municipality] = entry.name
    return found


def _page(request: Request, status: int = 200, **extra: Any) -> Response:
    return render(request, "admin.html", _context(request, **extra), status=status)


def _store_text(error: StoreError, lang: str) -> str:
    """A store error in words, a role by its name in the reader's language (not secretariat)."""
    params = dict(error.params)
    if params.get("role") in {r.value for r in RoleName}:
        params["role"] = t(f"ui.role_name_{params['role']}", lang)
    return t(f"store.{error.code}", lang, **params)


def _store_error(request: Request, error: StoreError) -> Response:
    status = 404 if error.code.endswith("-unknown") else 422
    return _page(request, status, error=_store_text(error, request.state.lang))


@pages.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request) -> Response:
    _admin(request)
    done = request.query_params.get("done")
    return _page(request, done=t(f"ui.admin_done_{done}", request.state.lang) if done in _DONE else None)


_DONE = {"user", "role", "unrole", "disable", "enable", "revoke", "sphere"}


def _back(done: str) -> Response:
    return RedirectResponse(f"/admin?done={done}", status_code=303)


@pages.post("/admin/users", response_class=HTMLResponse)
def add_user(
    request: Request,
    username: Annotated[str, Form(max_length=100)],
    display_name: Annotated[str, Form(max_length=200)] = "",
    admin: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """A new account with a generated password, shown once on the page that answers."""
    _admin(request, csrf)
    password = generated_password()
    try:
        accounts = store_of(request).accounts
        accounts.add(username, password, display_name, is_admin=bool(admin), actor=actor(request), must_change=True)
    except StoreError as error:
        return _store_error(request, error)
    return _page(request, 201, shown={"username": username.strip(), "password": password})


@pages.post("/admin/users/{username}/roles", response_class=HTMLResponse)
def grant(
    request: Request,
    username: str,
    sphere: Annotated[str, Form()],
    role: Annotated[str, Form(pattern="^(secretariat|municipality|viewer)$")],
    municipality: Annotated[str, Form(max_length=200)] = "",
    remove: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    _admin(request, csrf)
    town = municipality.strip() or None if role == RoleName.MUNICIPALITY.value else None
    try:
        store_of(request).accounts.grant(
            username, sphere, RoleName(role), town, remove=bool(remove), actor=actor(request)
        )
    except StoreError as error:
        return _store_error(request, error)
    return _back("unrole" if remove else "role")


@pages.post("/admin/users/{username}/disable", response_class=HTMLResponse)
def disable(
    request: Request, username: str, disabled: Annotated[str, Form()] = "1", csrf: Annotated[str, Form()] = ""
) -> Response:
    _admin(request, csrf)
    try:
        store_of(request).accounts.disable(username, disabled == "1", actor(request))
    except StoreError as error:
        return _store_error(request, error)
    return _back("disable" if disabled == "1" else "enable")


@pages.post("/admin/users/{username}/password", response_class=HTMLResponse)
def reset_password(request: Request, username: str, csrf: Annotated[str, Form()] = "") -> Response:
    """A new generated password, shown once; the account's sessions end."""
    _admin(request, csrf)
    password = generated_password()
    try:
        store_of(request).accounts.set_password(username, password, actor(request), must_change=True)
    except StoreError as error:
        return _store_error(request, error)
    return _page(request, shown={"username": username, "password": password})


@pages.post("/admin/users/{username}/tokens", response_class=HTMLResponse)
def create_token(
    request: Request, username: str, name: Annotated[str, Form(max_length=100)] = "", csrf: Annotated[str, Form()] = ""
) -> Response:
    """A new API token for scripts, shown once."""
    _admin(request, csrf)
    try:
        _, secret = store_of(request).accounts.create_token(username, name.strip() or "web", actor(request))
    except StoreError as error:
        return _store_error(request, error)
    return _page(request, 201, shown={"username": username, "token": secret})


@pages.post("/admin/tokens/{token_id}/revoke", response_class=HTMLResponse)
def revoke_token(request: Request, token_id: int, csrf: Annotated[str, Form()] = "") -> Response:
    _admin(request, csrf)
    if not 0 <= token_id <= NUMBER_MAX:
        return _page(request, 404, error=t("store.token-unknown", request.state.lang, token=token_id))
    try:
        store_of(request).accounts.revoke_token(token_id, actor(request))
    except StoreError as error:
        return _store_error(request, error)
    return _back("revoke")


@pages.post("/admin/spheres", response_class=HTMLResponse)
async def create_sphere(
    request: Request,
    name: Annotated[str, Form(max_length=200)],
    kind: Annotated[str, Form()],
    central_city: Annotated[str, Form(max_length=200)],
    file: Annotated[UploadFile | None, File()] = None,
    key: Annotated[str, Form(max_length=100)] = "",
    prefecture: Annotated[str, Form(max_length=10)] = "",
    plan_start: Annotated[str, Form()] = "",
    plan_end: Annotated[str, Form()] = "",
    effective_on: Annotated[str, Form()] = "",
    message: Annotated[str, Form(max_length=2000)] = "",
    held: Annotated[str, Form(max_length=64)] = "",
    force: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    annex: Annotated[UploadFile | None, File()] = None,
    held_annex: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """A new sphere with its first table as revision 1, through the store's import (as ``renkei import`` with
    --sphere, --name, --kind, --central-city, --prefecture, the plan period, --effective and --force). The file
    is the one sent, else the one held from an earlier attempt or from the check page (``held``); a refusal
    comes back with everything entered and the file held, and its error findings with the box that forces it.
    A budget annex (別冊), sent or held (``held_annex``), is merged into the table as ``renkei import --annex``
    does, and held with it on a refusal."""
    _admin(request, csrf)
    lang = request.state.lang
    entered = {
        "name": name,
        "kind": kind,
        "central_city": central_city,
        "key": key,
        "prefecture": prefecture,
        "plan_start": plan_start,
        "plan_end": plan_end,
        "effective_on": effective_on,
        "message": message,
    }
    data = await file.read(MAX_UPLOAD + 1) if file is not None else b""
    filename = (file.filename or "") if file is not None else ""
    extra = await annex.read(MAX_UPLOAD + 1) if annex is not None else b""
    attached = (extra, annex.filename or "") if annex is not None and extra else None
    if len(data) > MAX_UPLOAD or len(extra) > MAX_UPLOAD:
        return _page(request, 413, error=t("ui.too_large", lang), ns=newsphere.form(entered))
    if not data and (kept := imports.held(held)) is not None:
        data, filename = kept
    if attached is None and held_annex and (attached := imports.held(held_annex)) is None:
        return _page(request, 410, error=t("ui.import_expired", lang), ns=newsphere.form(entered))
    if not data:
        return _page(request, 422, error=t("ui.admin_file_needed", lang), ns=newsphere.form(entered))
    keep = (imports.hold(data, filename), filename)
    keep_annex = (imports.hold(*attached), attached[1]) if attached else None

    def refused(status: int, error: str, findings: list[Any] | None = None) -> Response:
        return _page(request, status, error=error, ns=newsphere.form(entered, keep, findings, keep_annex))

    try:
        spec = SphereSpec(
            key=key.strip() or None,
            name=name.strip(),
            kind=SphereKind(kind),
            central_city=_central(central_city),
            prefecture=prefecture or None,
            plan_start=_date(plan_start),
            plan_end=_date(plan_end),
        )
        chosen = _date(effective_on)
    except ValueError:
        return refused(422, t("ui.admin_sphere_invalid", lang))
    if spec.key and not _KEY.fullmatch(spec.key):
        return refused(422, t("ui.admin_key_invalid", lang, key=spec.key))
    if spec.key and spec.key in {s.key for s in store_of(request).spheres()}:
        return refused(409, t("ui.admin_sphere_exists", lang, key=spec.key))
    try:
        reading = await read_upload(request, data, filename, sphere=_sphere_of(spec), annex=attached)
        # The first revision's 適用日: the one chosen, else the date the table says it stands at, else today.
        effective = chosen or await table_date(data, filename)
        who = require_principal(request)
        text = message.strip() or t("ui.import_default_message", lang, file=filename)
        after: dict[str, Any] = {"name": spec.name, "kind": kind, "central_city": spec.central_city, "file": filename}
        after |= {"effective_on": effective.isoformat() if effective else None, "forced": bool(force)}
        if attached:
            after["annex"] = attached[1]
        who_did = actor(request)

        def audit(session: Session, result: ImportResult) -> None:  # in the import's own transaction
            record(session, who_did, "sphere-create", result.sphere, target=result.sphere, after=after)

        result = store_of(request).import_reading(
            reading, spec, author=who.username, message=text, effective_on=effective, force=bool(force), audit=audit
        )
    except TableReadError as error:
        explained = explain_error(error.code, error.location, error.params, lang)
        file_named = f"{error.params[ANNEX_FILE]}: " if ANNEX_FILE in error.params else ""
        return refused(error.kind.status(), f"{file_named}{explained.message} {explained.where} {explained.hint}")
    except ImportRefused as refusal:
        findings = [(f, explain(f, lang)) for f in refusal.findings if f.severity is Severity.ERROR]
        return refused(refusal.kind.status(), t("store.import-refused", lang, **refusal.params), findings)
    except StoreError as error:
        return refused(404 if error.code.endswith("-unknown") else 422, _store_text(error, lang))
    return RedirectResponse(f"/admin?done=sphere&sphere={result.sphere}", status_code=303)


def _sphere_of(spec: SphereSpec) -> Sphere:
    """What the reader is told of the new sphere: its central city and prefecture decide ambiguous town names."""
    entry = Registry.default().by_code(spec.central_city or "")
    central = Municipality(entry.name, entry.code, entry.prefecture) if entry else None
    prefecture = spec.prefecture or (entry.prefecture if entry else None)
    return Sphere(spec.name or "", spec.kind or SphereKind.SETTLEMENT, central, prefecture)


def _date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value.strip() else None


def generated_password() -> str:
    """Sixteen characters that read aloud and type without confusion (no 0/O, 1/l/I)."""
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))
