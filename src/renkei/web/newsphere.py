"""A new sphere from its first table, as the administration page and the check page offer it.

One form (``_new_sphere.html``) on both pages: the sphere's particulars, its first revision's 適用日 (proposed
from the table's 「…現在」 where it says one, ``renkei.ingest.asof``; never forced to today), and the file. A file
already read is held on the server by its SHA-256 (``renkei.web.imports.hold``) and named in a hidden field, so a
refused form comes back with everything the person entered, the file included, and an administrator may force a table
whose errors are shown, the findings kept with the revision, as ``renkei import --force`` does.
"""

from __future__ import annotations

import datetime
from typing import Any

from fastapi import Request

from renkei.core.messages import explain
from renkei.core.permissions import Action, allowed
from renkei.ingest import Reading
from renkei.ingest.report import check_reading
from renkei.places.municipalities import Registry
from renkei.vision.model import Finding, Severity, SphereKind
from renkei.web.auth import principal
from renkei.web.imports import hold

FIELDS = ("name", "kind", "central_city", "key", "prefecture", "plan_start", "plan_end", "effective_on", "message")


def entered_from(reading: Reading, as_of: datetime.date | None) -> dict[str, str]:
    """The form filled in from what the table says of itself: its name, kind, central city, prefecture, date."""
    sphere = reading.vision.sphere
    city = sphere.central_city
    return {
        "name": sphere.name or "",
        "kind": sphere.kind.value,
        "central_city": f"{city.name} {city.code}" if city and city.code else (city.name if city else ""),
        "key": reading.vision.edition.sphere_key or "",
        "prefecture": sphere.prefecture or "",
        "effective_on": as_of.isoformat() if as_of else "",
    }


def form(
    entered: dict[str, str],
    held: tuple[str, str] | None = None,
    refused: list[tuple[Finding, Any]] | None = None,
    annex: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """What ``_new_sphere.html`` draws: the values, the file held (SHA-256 and name), the budget annex (別冊) held
    with it, if any, and the error findings that refused it (an administrator may then force it)."""
    return {
        "entered": {name: entered.get(name, "") for name in FIELDS},
        "held": {"sha256": held[0], "filename": held[1]} if held else None,
        "annex": {"sha256": annex[0], "filename": annex[1]} if annex else None,
        "refused": refused or [],
        "kinds": [k.value for k in SphereKind],
        "prefectures": Registry.default().prefectures,
    }


def offer(
    request: Request,
    chosen: str,
    reading: Reading,
    data: bytes,
    filename: str,
    as_of: datetime.date | None,
    annex: tuple[bytes, str] | None = None,
) -> dict[str, Any] | None:
    """The check page's offer to an administrator who chose no sphere to import into: a new sphere from the
    table just read (with the budget annex read with it, held too), its error findings shown with the box that
    forces it."""
    who = principal(request)
    if chosen or who is None or not allowed(who, Action.MANAGE):
        return None
    lang = request.state.lang
    errors = [(f, explain(f, lang)) for f in check_reading(reading).findings if f.severity is Severity.ERROR]
    held_annex = (hold(*annex), annex[1]) if annex else None
    return form(entered_from(reading, as_of), (hold(data, filename), filename), errors, held_annex)
