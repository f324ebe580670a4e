"""Which sphere a file belongs to, and whether it changes anything: the one place where an import decides.

A file's sphere is, in this order: the key the caller names (``--sphere``); the key the file carries in its
metadata row (an export of this registry names the sphere it came from), where that sphere's name agrees; the
sphere of the same name, central city and kind (of the same name and kind where the file names no central city
the registry knows: the one such sphere); the sphere whose key the central city and kind give (the key an
import without ``--sphere`` has always derived). A file that matches none makes a new sphere only when the
caller asks (``new_sphere``); otherwise the import is refused with the spheres that look alike, so that the same
sphere is never created twice by accident.

A revision is made only when the content changes: ``meaning_hash`` is the hash of what a vision says (its
municipalities, projects, marks and roles, the declared figures), leaving out how its file wrote it (the
header's wording, the legend's wording, the columns' spelling), so the same table as text, CSV and XLSX is one
revision. ``content_hash`` (writes.py) stays the integrity check of the stored rows that a restore verifies.
``hashes`` gives both from one conversion of the vision, its projects' canonical text written once for both (a
payload field left empty counts as absent in both: the meaning hash is never stored, only compared).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from renkei.store.schema import MunicipalityRow, SphereRow
from renkei.vision import record
from renkei.vision.model import Finding, Project, Severity, Vision
from renkei.vision.plainrecords import canonical_json
from renkei.vision.serialize import vision_to_dict

# How many look-alike spheres a refused import lists.
_CANDIDATES = 10


def meaning_hash(vision: Vision) -> str:
    """The hash of what a vision says, whatever file it was read from."""
    return hashes(vision)[1]


_canonical = canonical_json


def _sha(texts: dict[str, str]) -> str:
    """The hash of the canonical text of an object whose members' canonical texts are given: the very text
    ``json.dumps(…, sort_keys=True, separators=(",", ":"))`` writes for it."""
    text = "{" + ",".join(f"{_canonical(k)}:{texts[k]}" for k in sorted(texts)) + "}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PayloadText(str):
    """A project row's payload object (its ``record.PAYLOAD`` fields) already written as JSON text, which the bulk
    writer stores as it is instead of encoding the object again."""

    __slots__ = ()


_PAYLOAD = tuple(sorted(record.PAYLOAD, key=lambda f: f.name))  # in the order of their sorted keys
_EMPTY_TEXT = {f.name: _canonical(f.kind.empty_json()) for f in _PAYLOAD}
_SLOT = "\x00renkei.payload\x00"  # a payload field's stand-in while the rest of a project's object is written


def _project_texts(p: Project, data: dict[str, Any]) -> tuple[str, PayloadText]:
    """A project's canonical text as the content hash reads it (``record.hash_form``) and its payload's JSON
    text, each payload field written once for both, from the project's values (``Kind.canonical``): the rest of
    the object (``data``, its ``to_json`` without the payload) is written with a stand-in where a payload field
    goes (the keys are sorted, so it stands where the field's text belongs), then the stand-in is replaced;
    should the stand-in's text occur in the document's own text, the object is written whole."""
    texts = {f.name: f.kind.canonical(getattr(p, f.name)) for f in _PAYLOAD}
    payload = PayloadText("{" + ",".join(f"{_canonical(name)}:{text}" for name, text in texts.items()) + "}")
    kept = [f.name for f in _PAYLOAD if texts[f.name] != _EMPTY_TEXT[f.name]]  # an empty field is left out
    if not kept:
        return _canonical(data), payload
    said = {**data, **{name: _SLOT + name for name in kept}}
    text = _canonical(said)
    for name in kept:
        slot = _canonical(_SLOT + name)
        if text.count(slot) != 1:
            return _canonical(record.hash_form(record.to_json(p))), payload
        text = text.replace(slot, texts[name])
    return text, payload


def hashes(vision: Vision) -> tuple[str, str, list[dict[str, Any]], list[PayloadText]]:
    """``writes.content_hash`` and ``meaning_hash`` of a vision from one conversion of it, its projects'
    ``record.to_json`` without their payload fields, and their payloads' JSON text (a bulk import needs both
    hashes and the rows of every revision; with budgets and KPIs the payload is the larger part of a revision's
    cost, so each payload field is written once, as text, for both)."""
    data = vision_to_dict(vision, payload=False)
    projects: list[dict[str, Any]] = data["projects"]
    content = {k: _canonical(v) for k, v in data.items() if k not in ("sphere", "edition", "projects")}
    texts = [_project_texts(p, d) for p, d in zip(vision.projects, projects, strict=True)]
    content["projects"] = "[" + ",".join(text for text, _ in texts) + "]"
    said = {k: v for k, v in content.items() if k not in ("labels", "legend")}
    said["municipalities"] = _canonical([{k: v for k, v in m.items() if k != "label"} for m in data["municipalities"]])
    return _sha(content), _sha(said), projects, [payload for _, payload in texts]


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
        if central is not None:
            same = same.where(SphereRow.central_city_id == central)
        # A file that names no central city the registry knows (十勝定住自立圏 over the towns' columns; 滝川市・
        # 砂川市, two of them) is the one sphere of its name and kind; two such spheres are ambiguous.
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
