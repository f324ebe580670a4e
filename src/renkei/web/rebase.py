"""Rebasing a stale draft in the browser and through the API: the three-way difference (base → newest revision,
base → draft) and the action that moves the draft onto the newest revision (``Drafts.rebase``), with the cells
both sides changed listed for the secretariat to check before publishing."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from renkei.core.permissions import Action, allowed
from renkei.store import CellConflict, Forbidden
from renkei.web.auth import actor, check_csrf, require_principal
from renkei.web.deps import NUMBER_MAX, store_of
from renkei.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["editing"])


class RebaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int | None = Field(
        None, ge=0, le=NUMBER_MAX, description="The draft's version you looked at: refused (412) if it changed since"
    )


def rebase_page(request: Request, key: str, status: int = 200, conflicts: list[CellConflict] | None = None) -> Response:
    """The three-way difference of a draft and the rebase form; after a rebase, the conflicts it kept."""
    who = require_principal(request)
    if not allowed(who, Action.READ_DRAFT, key):
        raise Forbidden(Action.READ_DRAFT, key)
    store = store_of(request)
    draft = store.drafts.get(key)
    base, latest, upstream, mine = store.drafts.three_way(key)
    context: dict[str, Any] = {
        "info": store.sphere(key),
        "draft": draft,
        "base": base,
        "latest": latest,
        "upstream": [("", c) for c in upstream.changes],
        "mine": [("", c) for c in mine.changes],
        "conflicts": conflicts,
        "can_edit": allowed(who, Action.EDIT_PROJECT, key),
    }
    return render(request, "rebase.html", context, status=status)


@pages.get("/spheres/{key}/draft/rebase", response_class=HTMLResponse)
def rebase_form(request: Request, key: str) -> Response:
    return rebase_page(request, key)


@pages.post("/spheres/{key}/draft/rebase", response_class=HTMLResponse)
def rebase_submit(
    request: Request,
    key: str,
    version: Annotated[int | None, Form(ge=0, le=NUMBER_MAX)] = None,
    csrf: Annotated[str, Form()] = "",
) -> Response:
    require_principal(request)
    check_csrf(request, csrf)
    conflicts = store_of(request).drafts.rebase(key, actor(request), reviewed=version)
    return rebase_page(request, key, conflicts=conflicts)


@api.post("/spheres/{key}/draft/rebase", summary="Move the draft onto the newest revision; conflicts per cell")
def rebase(request: Request, key: str, body: Annotated[RebaseIn, Body()]) -> dict[str, Any]:
    require_principal(request)
    check_csrf(request, None)
    drafts = store_of(request).drafts
    conflicts = drafts.rebase(key, actor(request), reviewed=body.version)
    draft = drafts.get(key)
    return {
        "sphere": key,
        "base_revision": draft.base_revision,
        "version": draft.version,
        "conflicts": [c.as_dict() for c in conflicts],
    }
