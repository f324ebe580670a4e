"""Downloads: every table a page shows, in every format of the renderer registry.

The file name says what the file is (sphere, revision, format) in Japanese, sent both as ASCII and as UTF-8
(RFC 6266 ``filename*``) so every browser saves it under a readable name.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from renkei import render as registry
from renkei.documents import agreement_document, amendments_document
from renkei.messages import t
from renkei.web import views
from renkei.web.deps import NUMBER_MAX, Scope, cacheable, store_of
from renkei.web.files import attachment, document_bytes, renderer_of

router = APIRouter(tags=["downloads"])


# Each CSV variant's own name, so that two downloads of one table in two encodings do not overwrite each other.
VARIANTS = {"csv-utf8": "UTF-8", "csv-cp932": "Shift_JIS", "csv-long": "縦長"}


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
        raise HTTPException(422, str(error)) from None
    date = revision.effective_on.isoformat()
    parts = [vision.sphere.name, f"第{revision.number}版", date, field, municipality, VARIANTS.get(renderer.name, "")]
    ascii_parts = [key, f"r{revision.number}", date, VARIANTS.get(renderer.name, "")]
    return attachment(data, renderer, _stem(parts), "-".join(p for p in ascii_parts if p))


def _stem(parts: list[str]) -> str:
    """Parts of a file name joined by _, each without characters a file system refuses."""
    return "_".join(re.sub(r'[\\/:*?"<>|\s]+', "-", p).strip("-") for p in parts if p)


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
    stem = f"{info.name}_変更内容一覧_第{old}版-第{new}版_{store.revision(key, new).effective_on.isoformat()}"
    return attachment(document_bytes(renderer, document), renderer, stem, f"{key}-amendments-r{old}-r{new}")


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
    stem = f"{member.display}_連携事業_{sphere_name}_第{revision.number}版_{revision.effective_on.isoformat()}"
    ascii_stem = f"{key}-{views.municipality_key(member)}-r{revision.number}"
    return attachment(document_bytes(renderer, document), renderer, stem, ascii_stem)
