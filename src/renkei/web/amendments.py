"""A town's part of the amendment list as a download: the annex to its 変更協定 (the list on a page is
``renkei.web.amendmentview``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from renkei.core.messages import t
from renkei.publish.documents import effective_note, town_document
from renkei.store import StoreError
from renkei.web import views
from renkei.web.deps import NUMBER_MAX, Scope, cacheable, store_of
from renkei.web.files import attachment, document_bytes, document_names, renderer_of

router = APIRouter(tags=["downloads"])


@router.get(
    "/spheres/{key}/diff/towns/{municipality}/export/{format}",
    summary="One town's part of the amendment list: the annex to its 変更協定",
)
@cacheable(Scope.SPHERE)
def town_annex(
    request: Request,
    key: str,
    municipality: str,
    format: str,
    old: Annotated[int, Query(alias="from", ge=1, le=NUMBER_MAX)],
    new: Annotated[int, Query(alias="to", ge=1, le=NUMBER_MAX)],
) -> Response:
    store = store_of(request)
    renderer = renderer_of(format, document=True)
    info = store.sphere(key)
    amendments = store.diff(key, old, new)
    member = amendments.new.find_municipality(municipality) or amendments.old.find_municipality(municipality)
    if member is None:
        raise StoreError("not-a-member", municipality=municipality, sphere=key)
    lang = request.state.lang
    title = t("doc.town_annex_title", lang, municipality=member.display, sphere=info.name, old=old, new=new)
    title = " ".join((title, *effective_note(amendments, lang)))  # the date it takes effect, in every format
    document = town_document(amendments, member.name, title, lang)
    date = store.revision(key, new).effective_on.isoformat()
    parts, ascii_parts = [member.display, "変更協定別表", info.name], [key, views.municipality_key(member), "annex"]
    names = document_names(renderer, parts, ascii_parts, old, new, date)
    return attachment(document_bytes(renderer, document), renderer, *names)
