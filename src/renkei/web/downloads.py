"""Downloads: every table a page shows, in every format of the renderer registry.

The file name says what the file is (sphere, revision, format) in Japanese, sent both as ASCII and as UTF-8
(RFC 6266 ``filename*``) so every browser saves it under a readable name.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from renkei import render as registry
from renkei.core.messages import t
from renkei.publish.documents import agreement_document, amendments_document
from renkei.web import views
from renkei.web.deps import NUMBER_MAX, Scope, cacheable, store_of
from renkei.web.files import ASCII_VARIANTS, VARIANTS, attachment, document_bytes, document_names, renderer_of, stem
from renkei.web.refusal import refusal

router = APIRouter(tags=["downloads"])
_GROUPED = {"project": "事業別", "municipality": "市町村別"}


@router.get("/spheres/{key}/export/{format}", summary="A revision's table in one format of the registry")
@cacheable(Scope.SPHERE)
def vision_download(
    request: Request,
    key: str,
    format: str,
    rev: Annotated[int | None, Query(ge=1, le=NUMBER_MAX)] = None,
    field: Annotated[str, Query(max_length=200, description="Only this field's projects (as on the page).")] = "",
    municipality: Annotated[str, Query(max_length=60, description="Only this town's projects (code or name).")] = "",
) -> Response:
    """The table as the page shows it: the field and town filters apply, and a filtered table carries no
    declared totals (they are the whole document's). The file is named after the sphere, the revision and the
    date it takes effect: 上川中部定住自立圏_第3版_2024-04-01.xlsx."""
    store = store_of(request)
    renderer = renderer_of(format)
    revision = store.revision(key, rev)
    vision = store.vision(key, revision.number)
    if field or municipality:
        vision = views.filtered(vision, field or None, municipality or None)
    try:
        data = renderer.render(vision)
    except registry.RenderError as error:
        raise refusal("invalid-request", str(error)) from None
    date = revision.effective_on.isoformat()
    parts = [vision.sphere.name, f"第{revision.number}版", date, field, municipality, VARIANTS.get(renderer.name, "")]
    ascii_parts = [key, f"r{revision.number}", date, ASCII_VARIANTS.get(renderer.name, "")]
    return attachment(data, renderer, stem(parts), "-".join(p for p in ascii_parts if p))


@router.get("/spheres/{key}/diff/export/{format}", summary="The amendment list between two revisions")
@cacheable(Scope.SPHERE)
def amendments_download(
    request: Request,
    key: str,
    format: str,
    old: Annotated[int, Query(alias="from", ge=1, le=NUMBER_MAX)],
    new: Annotated[int, Query(alias="to", ge=1, le=NUMBER_MAX)],
    by: Annotated[str, Query(pattern="^(project|municipality)$")] = "project",
) -> Response:
    store = store_of(request)
    renderer = renderer_of(format, document=True)
    info = store.sphere(key)
    lang = request.state.lang
    title = t("doc.amendments_title", lang, sphere=info.name, old=old, new=new)
    document = amendments_document(store.diff(key, old, new), title, by, lang)
    assert renderer.document is not None
    date = store.revision(key, new).effective_on.isoformat()
    # By project and by municipality are two lists: two files.
    parts = [info.name, "変更内容一覧", _GROUPED[by]]
    names = document_names(renderer, parts, [key, "amendments", f"by-{by}"], old, new, date)
    return attachment(document_bytes(renderer, document), renderer, *names)


@router.get("/spheres/{key}/agreements/{municipality}/export/{format}", summary="A municipality's agreement schedule")
@cacheable(Scope.SPHERE)
def agreement_download(
    request: Request,
    key: str,
    municipality: str,
    format: str,
    rev: Annotated[int | None, Query(ge=1, le=NUMBER_MAX)] = None,
) -> Response:
    store = store_of(request)
    renderer = renderer_of(format, document=True)
    revision = store.revision(key, rev)
    vision, member = store.agreement(key, municipality, revision.number)
    lang = request.state.lang
    sphere_name = vision.sphere.name
    title = t("doc.agreement_title", lang, municipality=member.display, sphere=sphere_name, revision=revision.number)
    document = agreement_document(vision, member.name, title, lang)
    assert renderer.document is not None
    date = revision.effective_on.isoformat()
    variant = renderer.name
    parts = [member.display, "連携事業", sphere_name, f"第{revision.number}版", date, VARIANTS.get(variant, "")]
    ascii_parts = [key, views.municipality_key(member), f"r{revision.number}", date, ASCII_VARIANTS.get(variant, "")]
    return attachment(document_bytes(renderer, document), renderer, stem(parts), "-".join(p for p in ascii_parts if p))
