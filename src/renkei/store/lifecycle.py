"""A sphere's lifecycle and dated membership as the published reads give them (migration 0004): what the
reads (``store.reads``) add to a ``SphereInfo`` and what the country's room (``store.country``) shares.
Each function works in the caller's transaction."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from renkei.national.country import members_differ, period_end, period_start
from renkei.places.municipalities import Registry
from renkei.store.schema import MembershipRow, MunicipalityRow, SphereRow
from renkei.vision.model import Finding, Municipality, Severity, Vision

STAGE_COLUMNS = {
    "declared": "declared_on",
    "agreement": "agreement_on",
    "vision": "vision_on",
    "abolished": "abolished_on",
}


@dataclass(frozen=True)
class Lifecycle:
    """A sphere's dates (as precise as known), whether the country's list names it, how many members (central
    cities left out, as a table's columns leave them out) it has now, and its central cities beside the one its
    row names (a 複眼型 sphere's second: 滝川市・砂川市), by code."""

    dates: dict[str, str]
    listed: bool
    members_now: int
    other_centrals: tuple[Municipality, ...] = ()


def dates_of(row: SphereRow) -> dict[str, str]:
    return {stage: value for stage, column in STAGE_COLUMNS.items() if (value := getattr(row, column))}


def lifecycles(session: Session, rows: Sequence[SphereRow]) -> dict[int, Lifecycle]:
    ids = [row.id for row in rows]
    if not ids:
        return {}
    current = (
        select(MembershipRow.sphere_id, func.count(func.distinct(MembershipRow.municipality_id)))
        .where(MembershipRow.sphere_id.in_(ids), MembershipRow.ended.is_(False), MembershipRow.role == "member")
        .group_by(MembershipRow.sphere_id)
    )
    counts = {sphere_id: n for sphere_id, n in session.execute(current).all()}
    others = _other_centrals(session, rows)
    return {
        row.id: Lifecycle(dates_of(row), bool(row.listed), counts.get(row.id, 0), others.get(row.id, ()))
        for row in rows
    }


def _other_centrals(session: Session, rows: Sequence[SphereRow]) -> dict[int, tuple[Municipality, ...]]:
    """The central cities of each sphere by its membership other than the one its row names, by code: those
    still central, or, where none is (an abolished sphere's memberships ended), those that were. A sphere with
    one central city has none; most have one, so the query asks for the spheres with a second only."""
    query = (
        select(MembershipRow.sphere_id, MembershipRow.ended, MunicipalityRow)
        .join(MunicipalityRow, MunicipalityRow.id == MembershipRow.municipality_id)
        .where(MembershipRow.sphere_id.in_([row.id for row in rows]), MembershipRow.role == "central")
        .order_by(MembershipRow.sphere_id, MunicipalityRow.code)
    )
    named = {row.id: row.central_city_id for row in rows}
    found: dict[int, list[tuple[bool, MunicipalityRow]]] = {}
    for sphere_id, ended, town in session.execute(query).all():
        if town.id != named[sphere_id]:
            found.setdefault(sphere_id, []).append((bool(ended), town))
    out = {}
    for sphere_id, towns in found.items():
        current = [town for ended, town in towns if not ended] or [town for _, town in towns]
        out[sphere_id] = tuple(Municipality(t.name, t.code, t.prefecture) for t in current)
    return out


def spheres_of(session: Session, code: str) -> list[SphereRow]:
    """The spheres a municipality belongs or belonged to by the country's membership."""
    query = (
        select(SphereRow)
        .join(MembershipRow, MembershipRow.sphere_id == SphereRow.id)
        .join(MunicipalityRow, MunicipalityRow.id == MembershipRow.municipality_id)
        .where(MunicipalityRow.code == code)
    )
    return list(session.scalars(query).unique())


def membership_findings(session: Session, sphere: SphereRow, vision: Vision, on: datetime.date) -> list[Finding]:
    """A table checked against its sphere's membership on the revision's effective date (no member known on
    that date: no check). A member whose dates cannot tell whether it was in on that date (a start or end
    known only to the month or year around it, or an end with no date) is neither joined nor left: if the
    table lacks it, it is named as unknown. A date after the sphere's abolition is said instead: the table
    cannot be in force then (it was recorded later, or its date is wrong)."""
    if sphere.abolished_on and period_end(sphere.abolished_on) < on:
        return [after_abolition(on, sphere.abolished_on)]
    query = (
        select(MembershipRow, MunicipalityRow)
        .join(MunicipalityRow, MunicipalityRow.id == MembershipRow.municipality_id)
        .where(MembershipRow.sphere_id == sphere.id)
    )
    found = session.execute(query).all()
    if not found:
        return []
    members: dict[str, str] = {}
    unsure: dict[str, str] = {}
    central: set[str] = set()
    for membership, town in found:
        state = held_on(membership.start_on, membership.end_on, membership.ended, on)
        if state is False or town.code is None:
            continue
        if membership.role == "central":
            central.add(town.code)
        elif state is None:
            unsure[town.code] = town.name
        else:
            members[town.code] = town.name
    unsure = {c: n for c, n in unsure.items() if c not in members}
    if not members and not unsure:
        return []  # no member held on that date (abolished before it, or not begun): nothing to compare with
    finding = members_differ(vision.municipalities, members, central, on, unsure)
    return [finding] if finding else []


def after_abolition(on: datetime.date, abolished: str) -> Finding:
    """The finding kept with a revision whose effective date lies after its sphere's abolition."""
    return Finding(Severity.WARNING, "effective-after-abolition", {"effective": on.isoformat(), "abolished": abolished})


def held_on(start: str | None, end: str | None, ended: bool, on: datetime.date) -> bool | None:
    """Whether a membership held on a day: True, False, or None where its dates cannot tell (a start or end
    whose month or year contains the day, or an end whose date is unknown). An unknown start counts as begun:
    the list names its members as it found them."""
    if start and period_start(start) > on:
        return False
    unsure = bool(start) and period_end(start or "") > on
    if end:
        if period_end(end) < on:
            return False
        unsure = unsure or period_start(end) < on
    elif ended:
        return None
    return None if unsure else True


# In the dump (``store.backup``): a sphere's lifecycle and memberships by natural keys, only where it has any --


def life_record(session: Session, sphere: SphereRow) -> dict[str, Any]:
    members = session.execute(
        select(MembershipRow, MunicipalityRow)
        .join(MunicipalityRow, MunicipalityRow.id == MembershipRow.municipality_id)
        .where(MembershipRow.sphere_id == sphere.id)
    ).all()
    fields: dict[str, Any] = {
        "dates": dates_of(sphere),
        "dates_as_seen": sphere.dates_as_seen or {},
        "notes": sphere.notes,
        "sources": sphere.sources or [],
        "seen": sphere.seen,
        "listed": bool(sphere.listed),
    }
    if not members and not any(fields.values()):
        return {}
    rows: list[dict[str, Any]] = [
        {"code": town.code, "name": town.name, "role": m.role, "start": m.start_on, "end": m.end_on, "ended": m.ended}
        for m, town in members
    ]
    fields["members"] = sorted(rows, key=lambda m: (m["role"], m["code"] or "", m["start"] or "", m["end"] or ""))
    return {"life": fields}


def restore_life(session: Session, sphere: SphereRow, record: dict[str, Any]) -> None:
    life = record.get("life")
    if not life:
        return
    for stage, value in life["dates"].items():
        setattr(sphere, STAGE_COLUMNS[stage], value)
    sphere.dates_as_seen = life["dates_as_seen"] or None
    sphere.notes, sphere.sources, sphere.seen = life["notes"], life["sources"] or None, life["seen"]
    sphere.listed = life["listed"]
    for m in life["members"]:
        town = session.scalar(select(MunicipalityRow).where(MunicipalityRow.code == m["code"]))
        if town is None:
            entry = Registry.default().by_code(m["code"] or "")
            town = MunicipalityRow(code=m["code"], name=m["name"], prefecture=entry.prefecture if entry else None)
            session.add(town)
            session.flush()
        session.add(
            MembershipRow(
                sphere_id=sphere.id,
                municipality_id=town.id,
                role=m["role"],
                start_on=m["start"],
                end_on=m["end"],
                ended=m["ended"],
            )
        )
    session.flush()
