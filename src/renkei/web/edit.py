"""Editing: the draft pages for people and the draft API for scripts, over ``renkei.store.drafts``.

Every editable project carries a version. Forms send it back in a hidden field; the API takes it as
``If-Match`` and answers with an ``ETag``. A save against a stale version is refused (409 on a page, with the
current value shown; 412 on the API, with the current value in the body); nothing is overwritten silently.
Permissions are checked by the store on every write, so a crafted request gets 403 and changes nothing.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Form, Header, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from renkei.core.messages import t
from renkei.core.permissions import Action, allowed, own_municipalities
from renkei.store import Conflict, DraftProject, Forbidden, Invalid, StoreError
from renkei.vision import editrules as rules
from renkei.vision.diff import ChangeKind
from renkei.vision.model import Heading, Role
from renkei.vision.table import table_view
from renkei.vision.textrules import Problem
from renkei.web import views
from renkei.web.amendmentview import view as amendment_view
from renkei.web.auditview import audit_csv, readable
from renkei.web.auth import actor, check_csrf, require_principal
from renkei.web.conflicts import clash_lines, conflict_message, conflict_text
from renkei.web.deps import NUMBER_MAX, store_of
from renkei.web.hints import page_hint
from renkei.web.projectforms import FORM_FIELDS, ProjectEditForm, ProjectForm
from renkei.web.projectmodels import DraftProjectOut, Input, ProjectIn, ProjectPatch
from renkei.web.rebase import rebase_page
from renkei.web.refusal import refusal
from renkei.web.shapes import change_out
from renkei.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["editing"])


# Shared ------------------------------------------------------------------------------------------------

# A draft project's serial in a path; beyond the database's integers it is invalid (422), not a server error.
Serial = Annotated[int, Path(ge=0, le=NUMBER_MAX)]


def _require(request: Request, action: Action, sphere: str) -> None:
    who = require_principal(request)
    if not allowed(who, action, sphere):
        raise Forbidden(action, sphere)


def _etag(project: DraftProject) -> str:
    return f'"{project.version}"'


def _expected(if_match: str | None) -> int:
    """The version an API write was made against, from If-Match; 428 when it is missing."""
    if if_match is None:
        raise refusal("if-match-needed")
    value = if_match.strip().removeprefix("W/").strip('"')
    # Beyond the database's integers no version can match: 412 like any other stale one, never a server error.
    if not value.isdigit() or len(value) > 10 or int(value) > NUMBER_MAX:
        raise refusal("if-match-unknown")
    return int(value)


# The API -----------------------------------------------------------------------------------------------


class MarkIn(Input):
    role: Role | None = Field(description="member, lead, or null to remove the mark")


class NoteIn(Input):
    note: str = Field(max_length=rules.NOTE_MAX)


class PublishIn(Input):
    message: str = Field(min_length=1, max_length=rules.MESSAGE_MAX)
    effective_on: datetime.date | None = None
    version: int | None = Field(
        None, ge=0, le=NUMBER_MAX, description="The draft's version you reviewed: refused (412) if it changed since"
    )


class DraftOut(BaseModel):
    sphere: str
    base_revision: int
    version: int
    open: bool
    projects: list[DraftProjectOut]


def _project_response(project: DraftProject, status: int = 200) -> JSONResponse:
    return JSONResponse(project.as_dict(), status_code=status, headers={"ETag": _etag(project)})


@api.get("/spheres/{key}/draft", response_model=DraftOut, summary="The sphere's draft (viewer, secretariat)")
def get_draft(request: Request, key: str) -> DraftOut:
    _require(request, Action.READ_DRAFT, key)
    draft = store_of(request).drafts.get(key)
    projects = [DraftProjectOut(**p.as_dict()) for p in draft.projects]
    return DraftOut(
        sphere=key, base_revision=draft.base_revision, version=draft.version, open=draft.exists, projects=projects
    )


@api.get(
    "/spheres/{key}/draft/projects/{serial}", response_model=DraftProjectOut, summary="A draft project; ETag = version"
)
def get_draft_project(request: Request, key: str, serial: Serial) -> JSONResponse:
    _require(request, Action.READ_DRAFT, key)
    return _project_response(store_of(request).drafts.project(key, serial))


@api.post("/spheres/{key}/draft/projects", status_code=201, response_model=DraftProjectOut, summary="Add a project")
def add_project(request: Request, key: str, body: ProjectIn) -> JSONResponse:
    require_principal(request)
    check_csrf(request, None)
    data = body.model_dump(exclude_none=True)
    project = store_of(request).drafts.add_project(key, data, actor(request))
    return _project_response(project, 201)


@api.patch(
    "/spheres/{key}/draft/projects/{serial}",
    response_model=DraftProjectOut,
    summary="Edit, renumber or move a project; needs If-Match",
)
def patch_project(
    request: Request, key: str, serial: Serial, body: ProjectPatch, if_match: Annotated[str | None, Header()] = None
) -> JSONResponse:
    require_principal(request)
    check_csrf(request, None)
    changes = body.model_dump(exclude_unset=True)
    if not changes:
        raise Invalid({"body": Problem("nothing-to-change")})
    project = store_of(request).drafts.update_project(key, serial, changes, _expected(if_match), actor(request))
    return _project_response(project)


@api.delete("/spheres/{key}/draft/projects/{serial}", response_model=DraftProjectOut, summary="Retire a project")
def retire_project(
    request: Request, key: str, serial: Serial, if_match: Annotated[str | None, Header()] = None
) -> JSONResponse:
    require_principal(request)
    check_csrf(request, None)
    return _project_response(store_of(request).drafts.retire_project(key, serial, _expected(if_match), actor(request)))


@api.put(
    "/spheres/{key}/draft/projects/{serial}/marks/{municipality}",
    response_model=DraftProjectOut,
    summary="Set or clear one municipality's mark (secretariat, or that municipality's editor)",
)
def put_mark(
    request: Request,
    key: str,
    serial: Serial,
    municipality: str,
    body: MarkIn,
    if_match: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    require_principal(request)
    check_csrf(request, None)
    drafts = store_of(request).drafts
    return _project_response(drafts.set_mark(key, serial, municipality, body.role, _expected(if_match), actor(request)))


@api.put(
    "/spheres/{key}/draft/projects/{serial}/notes/{municipality}",
    response_model=DraftProjectOut,
    summary="A note on one municipality's participation",
)
def put_note(
    request: Request,
    key: str,
    serial: Serial,
    municipality: str,
    body: NoteIn,
    if_match: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    require_principal(request)
    check_csrf(request, None)
    drafts = store_of(request).drafts
    return _project_response(drafts.set_note(key, serial, municipality, body.note, _expected(if_match), actor(request)))


@api.get("/spheres/{key}/draft/amendments", summary="What publishing the draft would change")
def draft_amendments(request: Request, key: str) -> dict[str, Any]:
    _require(request, Action.READ_DRAFT, key)
    changes = store_of(request).drafts.amendments(key).changes
    return {"sphere": key, "changes": [change_out(c).model_dump() for c in changes]}


@api.post("/spheres/{key}/draft/publish", status_code=201, summary="Publish the draft as a new revision")
def publish(request: Request, key: str, body: Annotated[PublishIn, Body()]) -> dict[str, Any]:
    require_principal(request)
    check_csrf(request, None)
    drafts = store_of(request).drafts
    revision = drafts.publish(key, body.message, actor(request), body.effective_on, reviewed=body.version)
    return {"sphere": key, "revision": revision.number, "effective_on": revision.effective_on.isoformat()}


@api.get("/spheres/{key}/audit", summary="The sphere's audit trail (secretariat), JSON or CSV")
def audit(
    request: Request,
    key: str,
    format: Annotated[str, Query(pattern="^(json|csv)$")] = "json",
    limit: Annotated[int, Query(ge=1, le=10_000)] = 200,
    offset: Annotated[int, Query(ge=0, le=NUMBER_MAX)] = 0,
) -> Response:
    _require(request, Action.READ_AUDIT, key)
    entries, total = store_of(request).accounts.audit(key, limit, offset)
    if format == "csv":
        return audit_csv(entries, key)
    rows = [{**vars(e), "at": e.at.isoformat()} for e in entries]
    return JSONResponse({"sphere": key, "total": total, "limit": limit, "offset": offset, "entries": rows})


@api.get("/me", summary="Who the request is signed in as, and their roles")
def me(request: Request) -> dict[str, Any]:
    who = require_principal(request)
    grants = [{"sphere": g.sphere, "role": g.role.value, "municipality": g.municipality} for g in who.grants]
    return {"username": who.username, "admin": who.is_admin, "grants": grants}


# The pages ---------------------------------------------------------------------------------------------


def _draft_context(request: Request, key: str, message: str | None = None) -> dict[str, Any]:
    store = store_of(request)
    who = require_principal(request)
    if not allowed(who, Action.READ_DRAFT, key):
        raise Forbidden(Action.READ_DRAFT, key)
    draft = store.drafts.get(key)
    own = own_municipalities(who, key)
    vision = store.vision(key, draft.base_revision)
    return {
        "info": store.sphere(key),
        "draft": draft,
        "vision": vision,
        # The one table view, of the draft's rows (retired ones too) under the revision's columns: the page
        # presents its rows and marks as edit controls.
        "view": table_view(vision, projects=[row.project for row in draft.projects]),
        "can_edit": allowed(who, Action.EDIT_PROJECT, key),
        "can_publish": allowed(who, Action.PUBLISH, key),
        "can_audit": allowed(who, Action.READ_AUDIT, key),
        "editable": {
            m.name for m in vision.municipalities if allowed(who, Action.MARK, key, filter(None, (m.code, m.name)))
        },
        # The columns the person may change, by the names the table shows (a grant names a code).
        "own": [m.display for m in vision.municipalities if own & {m.code, m.name}],
        "message": message,
        "key_of": views.municipality_key,
        "headings": headings(draft),
        "uses_lead": uses_lead(vision),
        "form_fields": FORM_FIELDS,
        **_changed(store, key, draft.exists),
    }


def uses_lead(vision: Any) -> bool:
    """Whether the vision tells a lead (◎) from a member (○): by its legend, or by a lead already marked."""
    return Role.LEAD in vision.legend.values() or any(Role.LEAD in p.participants.values() for p in vision.projects)


_CELL_KINDS = {ChangeKind.JOINED, ChangeKind.LEFT, ChangeKind.ROLE_CHANGED}


def _changed(store: Any, key: str, exists: bool) -> dict[str, Any]:
    """What the draft changes against its published revision, for the page to highlight: the cells (number,
    municipality) whose mark changed, the rows otherwise changed, and how many changes there are."""
    if not exists:
        return {"changed_cells": set(), "changed_rows": set(), "change_count": 0}
    changes = store.drafts.amendments(key).changes
    return {
        "changed_cells": {(c.number, c.municipality) for c in changes if c.kind in _CELL_KINDS},
        "changed_rows": {c.number for c in changes if c.kind not in _CELL_KINDS and c.number is not None},
        "change_count": len(changes),
    }


def _editor_context(request: Request, key: str) -> dict[str, Any]:
    """The draft's context for a form only an editor of projects may submit: nobody else is shown it (403)."""
    context = _draft_context(request, key)
    if not context["can_edit"]:
        raise Forbidden(Action.EDIT_PROJECT, key)
    return context


@pages.get("/spheres/{key}/draft", response_class=HTMLResponse)
def draft_page(request: Request, key: str) -> Response:
    return render(request, "draft.html", _draft_context(request, key))


@pages.post("/spheres/{key}/draft/projects/{serial}/marks/{municipality}", response_class=HTMLResponse)
def toggle_mark(
    request: Request,
    key: str,
    serial: Serial,
    municipality: str,
    version: Annotated[int, Form()],
    role: Annotated[str, Form(pattern="^(member|lead|none)$")],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """One cell of the draft matrix. htmx gets the project's row, redrawn as it now is, and swaps it in place; a
    refusal (409 stale, 403 not this person's column) comes back the same way, its message in the row. Without
    JavaScript the form posts and the whole draft page comes back, the message in the row."""
    require_principal(request)
    check_csrf(request, csrf)
    drafts = store_of(request).drafts
    status, message = 200, None
    try:
        drafts.set_mark(key, serial, municipality, None if role == "none" else Role(role), version, actor(request))
    except Conflict as conflict:
        status, message = 409, conflict_text(conflict, request.state.lang)
    except Forbidden:
        status, message = 403, t("store.forbidden", request.state.lang)
    context = _draft_context(request, key)
    context["row_messages"] = {serial: message} if message else {}
    if not request.headers.get("HX-Request"):
        return render(request, "draft.html", context, status=status)
    projects = context["draft"].projects
    context["view_row"] = next(r for r in context["view"].project_rows if projects[r.index].serial == serial)
    return render(request, "_draft_row.html", context, status=status)


@pages.get("/spheres/{key}/draft/projects/{serial}", response_class=HTMLResponse)
def edit_form(request: Request, key: str, serial: Serial) -> Response:
    context = _editor_context(request, key)
    context["project"] = store_of(request).drafts.project(key, serial)
    context["errors"] = {}
    return render(request, "project_form.html", context)


def headings(draft: Any) -> dict[str, list[Any]]:
    """The pillars and fields the draft's projects stand under, each once, in order: what the forms offer."""
    found: dict[str, list[Any]] = {"pillar": [], "field": []}
    for row in draft.projects:
        for level in ("pillar", "field"):
            heading = getattr(row.project, level)
            if heading is not None and heading not in found[level]:
                found[level].append(heading)
    return found


@pages.post("/spheres/{key}/draft/projects/{serial}", response_class=HTMLResponse)
def save_form(request: Request, key: str, serial: Serial, form: Annotated[ProjectEditForm, Form()]) -> Response:
    require_principal(request)
    check_csrf(request, form.csrf)
    drafts = store_of(request).drafts
    submitted = form.changes()
    changes = form.changed(submitted)
    try:
        if changes:
            drafts.update_project(key, serial, changes, form.version, actor(request))
    except Conflict as conflict:
        lang = request.state.lang
        context = _draft_context(request, key, conflict_message(conflict, lang))
        context.update(project=conflict.current, errors={}, submitted=submitted, clashes=clash_lines(conflict, lang))
        return render(request, "project_form.html", context, status=409)
    except Invalid as invalid:
        context = _draft_context(request, key)
        context.update(project=drafts.project(key, serial), errors=invalid.errors, submitted=submitted)
        return render(request, "project_form.html", context, status=422)
    return RedirectResponse(f"/spheres/{key}/draft#project-{serial}", status_code=303)


@pages.post("/spheres/{key}/draft/projects/{serial}/retire")
def retire_form(
    request: Request, key: str, serial: Serial, version: Annotated[int, Form()], csrf: Annotated[str, Form()] = ""
) -> Response:
    require_principal(request)
    check_csrf(request, csrf)
    store_of(request).drafts.retire_project(key, serial, version, actor(request))
    return RedirectResponse(f"/spheres/{key}/draft", status_code=303)


@pages.get("/spheres/{key}/draft/projects/{serial}/retire", response_class=HTMLResponse)
def retire_confirm(request: Request, key: str, serial: Serial) -> Response:
    """Retiring asks first: this page names the project, and its form posts the retirement."""
    context = _draft_context(request, key)
    if not context["can_edit"]:
        raise Forbidden(Action.EDIT_PROJECT, key)
    context["project"] = store_of(request).drafts.project(key, serial)
    return render(request, "retire.html", context)


@pages.get("/spheres/{key}/draft/new", response_class=HTMLResponse)
def new_form(request: Request, key: str) -> Response:
    context = _editor_context(request, key)
    context.update(project=None, errors={})
    return render(request, "project_form.html", context)


@pages.post("/spheres/{key}/draft/new", response_class=HTMLResponse)
def add_form(request: Request, key: str, form: Annotated[ProjectForm, Form()]) -> Response:
    require_principal(request)
    check_csrf(request, form.csrf)
    data = form.changes()
    drafts = store_of(request).drafts
    try:
        # The towns ticked on the form take part from the start (○), written with the project in one transaction.
        added = drafts.add_project(key, data, actor(request), members=form.towns)
    except Invalid as invalid:
        context = _draft_context(request, key)
        context.update(project=None, errors=invalid.errors, submitted=data)
        return render(request, "project_form.html", context, status=422)
    return RedirectResponse(f"/spheres/{key}/draft#project-{added.serial}", status_code=303)


@pages.post("/spheres/{key}/draft/headings", response_class=HTMLResponse)
def relabel_form(
    request: Request,
    key: str,
    level: Annotated[str, Form(pattern="^(pillar|field)$")],
    old: Annotated[str, Form()],
    label: Annotated[str, Form()],
    title: Annotated[str, Form()],
    version: Annotated[int, Form()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    require_principal(request)
    check_csrf(request, csrf)
    old_label, _, old_title = old.partition("\t")
    store_of(request).drafts.relabel(
        key, level, Heading(old_label, old_title), Heading(label.strip(), title.strip()), version, actor(request)
    )
    return RedirectResponse(f"/spheres/{key}/draft", status_code=303)


@pages.get("/spheres/{key}/draft/publish", response_class=HTMLResponse)
def publish_form(request: Request, key: str) -> Response:
    context = _draft_context(request, key)
    context["amendments"] = store_of(request).drafts.amendments(key)
    context["av"] = amendment_view(context["amendments"], request.state.lang)
    # Said before the person writes a message: an import came in since the draft began (rebase first).
    latest = context["info"].latest
    stale = context["draft"].exists and latest is not None and latest.number != context["draft"].base_revision
    context["stale_base"] = latest.number if stale else None
    return render(request, "publish.html", context)


@pages.post("/spheres/{key}/draft/publish", response_class=HTMLResponse)
def publish_submit(
    request: Request,
    key: str,
    message: Annotated[str, Form(max_length=rules.MESSAGE_MAX)],
    effective_on: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    version: Annotated[int | None, Form(ge=0, le=NUMBER_MAX)] = None,
) -> Response:
    require_principal(request)
    check_csrf(request, csrf)
    lang = request.state.lang
    try:
        date = datetime.date.fromisoformat(effective_on) if effective_on else None
    except ValueError:
        return _publish_refused(request, key, t("store.effective-date-invalid", lang, value=effective_on), "")
    try:
        revision = store_of(request).drafts.publish(key, message, actor(request), date, reviewed=version)
    except StoreError as error:
        if error.code == "effective-backwards":
            text = t(
                "store.effective-backwards", lang, **{**error.params, "sphere": store_of(request).sphere(key).name}
            )
            return _publish_refused(request, key, text, page_hint("store.effective-backwards", lang, **error.params))
        if error.code != "stale-base":
            raise
        return rebase_page(request, key, status=409)
    # The revisions page says it was published, with its number and a link to its amendment list.
    return RedirectResponse(f"/spheres/{key}/revisions?published={revision.number}", status_code=303)


def _publish_refused(request: Request, key: str, message: str, hint: str) -> Response:
    """The review page again, the reason the publication was refused at its top; nothing was written."""
    context = _draft_context(request, key)
    context["amendments"] = store_of(request).drafts.amendments(key)
    context["av"] = amendment_view(context["amendments"], request.state.lang)
    context["publish_error"] = f"{message} {hint}".strip()
    return render(request, "publish.html", context, status=422)


@pages.get("/spheres/{key}/audit", response_class=HTMLResponse)
def audit_page(request: Request, key: str, page: Annotated[int, Query(ge=1, le=NUMBER_MAX // 100)] = 1) -> Response:
    _require(request, Action.READ_AUDIT, key)
    per_page = 100
    entries, total = store_of(request).accounts.audit(key, per_page, (page - 1) * per_page)
    context = {
        "info": store_of(request).sphere(key),
        "entries": entries,
        "rows": readable(store_of(request), key, entries, request.state.lang),
        "total": total,
        "page": page,
        "pages": (total + per_page - 1) // per_page,
    }
    return render(request, "audit.html", context)
