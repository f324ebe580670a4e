"""A sphere's lifecycle and dated membership as the published reads give them (migration 0004): what the
reads (``store.reads``) add to a ``SphereInfo`` and what the country's room (``store.country``) shares.
Each function works in the caller's transaction."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from renkei.country import members_differ, period_end, period_start
from renkei.model import Finding, Vision
from renkei.store.schema import MembershipRow, MunicipalityRow, SphereRow

STAGE_COLUMNS = {
    "declared": "declared_on",
    "agreement": "agreement_on",
    "vision": "vision_on",
    "abolished": "abolished_on",
}


@dataclass(frozen=True)
class Lifecycle:
    """A sphere's dates (as precise as known), whether the country's list names it, and how many
    members (central cities left out, as a table's columns leave them out) it has now."""

    dates: dict[str, str]
    listed: bool
    members_now: int


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
    return {row.id: Lifecycle(dates_of(row), bool(row.listed), counts.get(row.id, 0)) for row in rows}


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
    """A table checked against its sphere's membership on the revision's effective date (none known: no
    check)."""
    query = (
        select(MembershipRow, MunicipalityRow)
        .join(MunicipalityRow, MunicipalityRow.id == MembershipRow.municipality_id)
        .where(MembershipRow.sphere_id == sphere.id)
    )
    found = session.execute(query).all()
    if not found:
        return []
    members, central = {}, set()
    for membership, town in found:
        if not _held(membership, on) or town.code is None:
            continue
        if membership.role == "central":
            central.add(town.code)
        else:
            members[town.code] = town.name
    finding = members_differ(vision.municipalities, members, central, on)
    return [finding] if finding else []


def _held(membership: MembershipRow, on: datetime.date) -> bool:
    """Whether a membership held on a day: begun by then (or start unknown) and not ended before it."""
    if membership.start_on and period_start(membership.start_on) > on:
        return False
    if membership.end_on:
        return period_end(membership.end_on) >= on
    return not membership.ended
