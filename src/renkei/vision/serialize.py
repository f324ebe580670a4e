"""A Vision as plain JSON-ready data, and back: the one vocabulary of ``check --json``, the JSON export and
the API.

The shape is the contract of ``renkei check --json`` (docs/architecture.md, Contracts): ``municipalities`` in
column order, ``projects`` with ``pillar``/``field`` as heading strings and ``participants`` as names in column
order, and ``totals`` with the declared and the computed figures side by side. A few more keys (``sphere``,
``headings``, ``roles``, ``attributes``, ``legend``, ``labels``, ``edition``) make the export lossless, so that the JSON
export reads back into an equal Vision.
"""

from __future__ import annotations

from typing import Any

from renkei.vision import record
from renkei.vision.model import Edition, Heading, Labels, Municipality, Project, Role, Sphere, SphereKind, Vision
from renkei.vision.record import optional_int

FORMAT = "renkei.vision/1"


def vision_to_dict(vision: Vision, payload: bool = True) -> dict[str, Any]:
    """A vision in renkei's JSON vocabulary (``payload`` False: its projects without their payload fields, which
    a content hash writes by ``Kind.canonical``)."""
    headings = {str(h): {"label": h.label, "title": h.title} for h in _headings(vision)}
    # The plan period only where the document states one: a vision without it is written as before.
    period = {"plan_period": list(vision.plan_period)} if vision.plan_period else {}
    return {
        "format": FORMAT,
        "sphere": _sphere(vision.sphere),
        "municipalities": [_municipality(m) for m in vision.municipalities],
        "headings": headings,
        "projects": [record.to_json(p, payload) for p in vision.projects],
        "totals": _totals(vision),
        "legend": {mark: role.value for mark, role in vision.legend.items()},
        "labels": vars(vision.labels).copy(),
        "edition": _edition(vision.edition),
        **period,
    }


def _edition(edition: Edition) -> dict[str, Any]:
    """Where the vision stands in the registry (not content: ``content_hash`` leaves it out)."""
    return {
        "sphere": edition.sphere_key,
        "revision": edition.revision,
        "effective_on": edition.effective_on,
        "excerpt": edition.excerpt,
    }


def _headings(vision: Vision) -> list[Heading]:
    found: dict[Heading, None] = {}  # in document order, each once
    for p in vision.projects:
        for h in (p.pillar, p.field):
            if h is not None:
                found[h] = None
    return list(found)


def _sphere(sphere: Sphere) -> dict[str, Any]:
    central = sphere.central_city
    return {
        "name": sphere.name,
        "kind": sphere.kind.value,
        "prefecture": sphere.prefecture,
        "central_city": _municipality(central) if central else None,
    }


def _municipality(m: Municipality) -> dict[str, Any]:
    return {"name": m.name, "code": m.code, "prefecture": m.prefecture, "label": m.display}


def _totals(vision: Vision) -> dict[str, Any]:
    return {
        "declared": {m.name: vision.declared_totals.get(m.name) for m in vision.municipalities},
        "declared_grand_total": vision.declared_grand_total,
        "present": vision.present_totals(),
        "present_grand_total": vision.present_links(),
        # Listed one by one up to MISSING_LISTED; the count and the ranges always say the whole.
        "missing_numbers": vision.missing_numbers(),
        "missing_count": vision.missing_count(),
        "missing_ranges": [list(r) for r in vision.missing_ranges()],
        "in_missing_rows": vision.in_missing_rows(),
    }


# Back from a dict -----------------------------------------------------------------------------------------


def vision_from_dict(data: dict[str, Any]) -> Vision:
    """The inverse of ``vision_to_dict``; raises KeyError, TypeError or ValueError on a malformed document."""
    headings = {text: Heading(h["label"], h["title"]) for text, h in data.get("headings", {}).items()}
    municipalities = [_municipality_from(m) for m in data["municipalities"]]
    totals = data.get("totals", {})
    return Vision(
        sphere=_sphere_from(data.get("sphere") or {}),
        municipalities=municipalities,
        projects=[_project_from(p, headings) for p in data["projects"]],
        legend={mark: Role(role) for mark, role in data.get("legend", {}).items()},
        labels=Labels(**data.get("labels", {})),
        declared_totals={name: optional_int(v) for name, v in totals.get("declared", {}).items() if v is not None},
        declared_grand_total=optional_int(totals.get("declared_grand_total")),
        edition=_edition_from(data.get("edition") or {}),
        plan_period=_period_from(data.get("plan_period")),
    ).mark_central_column()


def _period_from(value: Any) -> tuple[int, int] | None:
    """The plan period of a document: two fiscal years, first ≤ last, or none."""
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 2:
        raise TypeError(f"expected [first, last], got {value!r}")
    first, last = (optional_int(v) for v in value)
    if first is None or last is None or first > last:
        raise ValueError(f"expected two fiscal years in order, got {value!r}")
    return first, last


def _edition_from(data: dict[str, Any]) -> Edition:
    key, effective, excerpt = data.get("sphere"), data.get("effective_on"), data.get("excerpt")
    return Edition(
        str(key) if key is not None else None,
        optional_int(data.get("revision")),
        str(effective) if effective is not None else None,
        str(excerpt) if excerpt is not None else None,
    )


def _sphere_from(data: dict[str, Any]) -> Sphere:
    central = data.get("central_city")
    return Sphere(
        name=str(data.get("name", "")),
        kind=SphereKind(data.get("kind", SphereKind.SETTLEMENT.value)),
        central_city=_municipality_from(central) if central else None,
        prefecture=data.get("prefecture"),
    )


def _municipality_from(data: dict[str, Any]) -> Municipality:
    return Municipality(
        name=str(data["name"]),
        code=data.get("code"),
        prefecture=data.get("prefecture"),
        label=data.get("label"),
    )


def _project_from(data: dict[str, Any], headings: dict[str, Heading]) -> Project:
    return record.from_json(data, headings)
