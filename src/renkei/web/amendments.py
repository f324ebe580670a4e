"""The amendment list on a page (変更内容一覧): summary counts, the changed projects, the collapsed renumbering, and
a section per town that doubles as its 変更協定 annex, with a download per town."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from renkei.diff import Amendments
from renkei.documents import number_text, shift_text, summary_rows, town_document, unchanged_towns
from renkei.messages import t
from renkei.web import views
from renkei.web.app import NUMBER_MAX, store_of
from renkei.web.downloads import _document, _renderer, attachment

router = APIRouter(tags=["downloads"])


def view(amendments: Amendments, lang: str) -> dict[str, Any]:
    """What ``_amendments.html`` shows, worked out once."""
    members, entries, shifts = amendments.entries()
    unchanged = unchanged_towns(amendments)
    return {
        "summary": summary_rows(amendments, lang),
        "members": members,
        "entries": [(number_text(e, lang), e) for e in entries],
        "shifts": [shift_text(s, lang) for s in shifts],
        "towns": list(amendments.by_municipality().items()),
        "unchanged": unchanged,
        "total": len(amendments.changes),
        "town_keys": {
            m.name: views.municipality_key(m) for m in (*amendments.old.municipalities, *amendments.new.municipalities)
        },
    }


@router.get(
    "/spheres/{key}/diff/towns/{municipality}/export/{format}",
    summary="One town's part of the amendment list: the annex to its 変更協定",
)
def town_annex(
    request: Request,
    key: str,
    municipality: str,
    format: str,
    old: Annotated[int, Query(alias="from", ge=1, le=NUMBER_MAX)],
    new: Annotated[int, Query(alias="to", ge=1, le=NUMBER_MAX)],
) -> Response:
    store = store_of(request)
    renderer = _renderer(format, document=True)
    info = store.sphere(key)
    amendments = store.diff(key, old, new)
    member = amendments.new.find_municipality(municipality) or amendments.old.find_municipality(municipality)
    if member is None:
        from renkei.store import StoreError

        raise StoreError("not-a-member", municipality=municipality, sphere=key)
    lang = request.state.lang
    title = t("doc.town_annex_title", lang, municipality=member.display, sphere=info.name, old=old, new=new)
    document = town_document(amendments, member.name, title, lang)
    stem = f"{member.display}_変更協定別表_{info.name}_第{old}版-第{new}版"
    ascii_stem = f"{key}-{views.municipality_key(member)}-amendments-r{old}-r{new}"
    return attachment(_document(renderer, document), renderer, stem, ascii_stem)
