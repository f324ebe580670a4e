"""Which sphere a file belongs to, and whether it changes anything: the one place where an import decides.

A file's sphere is, in this order: the key the caller names (``--sphere``); the key the file carries in its
metadata row (an export of this registry names the sphere it came from), where that sphere's name agrees; the
sphere of the same name, central city and kind; the sphere whose key the central city and kind give (the key an
import without ``--sphere`` has always derived). A file that matches none makes a new sphere only when the
caller asks (``new_sphere``); otherwise the import is refused with the spheres that look alike, so that the same
sphere is never created twice by accident.

A revision is made only when the content changes: ``meaning_hash`` is the hash of what a vision says (its
municipalities, projects, marks and roles, the declared figures), leaving out how its file wrote it (the
header's wording, the legend's wording, the columns' spelling), so the same table as text, CSV and XLSX is one
revision. ``content_hash`` (writes.py) stays the integrity check of the stored rows that a restore verifies.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from renkei import record
from renkei.model import Finding, Severity, Vision
from renkei.serialize import vision_to_dict
from renkei.store.schema import MunicipalityRow, SphereRow

# How many look-alike spheres a refused import lists.
_CANDIDATES = 10


def meaning_hash(vision: Vision) -> str:
    """The hash of what a vision says, whatever file it was read from."""
    return _meaning_of(vision_to_dict(vision))


def _meaning_of(data: dict[str, Any]) -> str:
    """``meaning_hash`` of a vision's ``vision_to_dict`` (which it changes)."""
    for presentation in ("sphere", "edition", "labels", "legend"):
        data.pop(presentation, None)
    for municipality in data["municipalities"]:
        municipality.pop("label", None)
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def both_hashes(vision: Vision) -> tuple[str, str]:
    """``writes.content_hash`` and ``meaning_hash`` of a vision, from one ``vision_to_dict`` (what an import's
    workers give for each file): the same two hashes the functions give one by one."""
    data = vision_to_dict(vision)
    content = content_of(dict(data))
    return content, _meaning_of(data)


def content_of(data: dict[str, Any]) -> str:
    """``writes.content_hash`` of a vision's ``vision_to_dict`` (whose top-level keys it changes, not the
    objects under them)."""
    data.pop("sphere")
    data.pop("edition")
    data["projects"] = [record.hash_form(p) for p in data["projects"]]
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def find_sphere(session: Session, vision: Vision, key: str | None, kind: str, derived: str | None) -> SphereRow | None:
    """The stored sphere a file belongs to (see the module's docstring), or None. Raises ``SphereAmbiguous``
    when several spheres share the file's name, central city and kind."""
    if key:
        return session.scalar(select(SphereRow).where(SphereRow.key == key))
    name = vision.sphere.name
    carried = vision.edition.sphere_key
    if carried:
        row = session.scalar(select(SphereRow).where(SphereRow.key == carried))
        if row is not None and (not name or row.name == name):
            return row
    if name:
        central = _central_id(session, vision)
        same = select(SphereRow).where(SphereRow.name == name, SphereRow.kind == kind)
        same = same.where(
            SphereRow.central_city_id.is_(None) if central is None else SphereRow.central_city_id == central
        )
        rows = session.scalars(same.order_by(SphereRow.key)).all()
        if len(rows) > 1:
            raise SphereAmbiguous([row.key for row in rows])
        if rows:
            return rows[0]
    if derived:
        return session.scalar(select(SphereRow).where(SphereRow.key == derived))
    return None


def look_alikes(session: Session, vision: Vision) -> list[str]:
    """Spheres of the same name or central city, as ``key（name）``: what a refused import offers."""
    conditions = []
    if vision.sphere.name:
        conditions.append(SphereRow.name == vision.sphere.name)
    central = _central_id(session, vision)
    if central is not None:
        conditions.append(SphereRow.central_city_id == central)
    if not conditions:
        return []
    rows = session.scalars(select(SphereRow).where(or_(*conditions)).order_by(SphereRow.key).limit(_CANDIDATES))
    return [f"{row.key}（{row.name}）" for row in rows]


def _central_id(session: Session, vision: Vision) -> int | None:
    central = vision.sphere.central_city
    if central is None:
        return None
    if central.code is not None:
        return session.scalar(select(MunicipalityRow.id).where(MunicipalityRow.code == central.code))
    unresolved = (MunicipalityRow.code.is_(None), MunicipalityRow.name == central.name)
    return session.scalar(select(MunicipalityRow.id).where(*unresolved))


class SphereAmbiguous(Exception):
    def __init__(self, keys: Sequence[str]) -> None:
        super().__init__(keys)
        self.keys = list(keys)


def effective_date(
    given: datetime.date | None, latest: datetime.date | None, today: datetime.date
) -> tuple[datetime.date, bool]:
    """The date a new revision takes effect, and whether it goes back before the newest revision's. Without a
    date given it is today, or the newest revision's date where that lies ahead (never earlier)."""
    if given is None:
        return (max(today, latest) if latest is not None else today), False
    return given, latest is not None and given < latest


def backdated(effective: datetime.date, latest: datetime.date) -> Finding:
    """The finding kept with a revision forced in with an effective date before the newest revision's."""
    return Finding(
        Severity.WARNING, "effective-backwards", {"effective": effective.isoformat(), "latest": latest.isoformat()}
    )
