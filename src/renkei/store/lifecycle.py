"""A sphere's lifecycle and dated membership as the published reads give them (migration 0004): what the
reads (``store.reads``) add to a ``SphereInfo`` and what the country's room (``store.country``) shares.
Each function works in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

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
