"""The country's spheres in the registry (a room of ``Store``): the list loaded and merged (``renkei country
update``), each sphere's lifecycle and dated membership, the counts of a date, and an administrator's edits.

Every change is one transaction with its audit entry and a ``country_change`` row (which moves the registry's
generation, so answers kept in memory are computed again): a list that fails anywhere writes nothing.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from renkei.national.country import (
    DATES,
    ListChanges,
    ListedSphere,
    Member,
    Standing,
    changes,
    check_date,
    period_end,
    period_start,
)
from renkei.places.municipalities import Registry
from renkei.store.accounts import Actor, record
from renkei.store.clock import now
from renkei.store.core import Database
from renkei.store.errors import StoreError
from renkei.store.lifecycle import STAGE_COLUMNS, dates_of
from renkei.store.rows import sphere_row
from renkei.store.schema import CountryChangeRow, MembershipRow, MunicipalityRow, SphereRow
from renkei.store.writes import municipality
from renkei.vision.model import Municipality, SphereKind
from renkei.vision.textrules import problem

CENTRAL, MEMBER = "central", "member"
_KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")
SYSTEM = Actor(None)


@dataclass(frozen=True)
class Membership:
    """A municipality in a sphere: its role (central city or member) and dates, as precise as known."""

    sphere: str
    sphere_name: str
    kind: SphereKind
    code: str
    name: str
    role: str
    start: str | None
    end: str | None
    ended: bool

    def on(self, day: datetime.date | None) -> bool:
        """Whether the membership held on ``day`` (None: now): begun by then and not ended."""
        if day is None:
            return not self.ended
        if self.start and period_start(self.start) > day:
            return False
        if self.end:
            return period_end(self.end) >= day
        return not self.ended


# Memberships as plain rows, the statements made once (building one was most of a sphere's members' read).
_MEMBERSHIPS = (
    select(
        SphereRow.key,
        SphereRow.name,
        SphereRow.kind,
        MunicipalityRow.code,
        MunicipalityRow.name,
        MembershipRow.role,
        MembershipRow.start_on,
        MembershipRow.end_on,
        MembershipRow.ended,
    )
    .select_from(MembershipRow)
    .join(SphereRow, SphereRow.id == MembershipRow.sphere_id)
    .join(MunicipalityRow, MunicipalityRow.id == MembershipRow.municipality_id)
)
_MEMBERSHIPS_OF_SPHERE = _MEMBERSHIPS.where(SphereRow.key == bindparam("sphere"))
_MEMBERSHIPS_OF_TOWN = _MEMBERSHIPS.where(MunicipalityRow.code == bindparam("code"))
_MEMBERSHIPS_OF_BOTH = _MEMBERSHIPS_OF_SPHERE.where(MunicipalityRow.code == bindparam("code"))


class Country:
    """The country's list in a store: loads, reads and edits."""

    def __init__(self, database: Database) -> None:
        self.database = database

    # The list -------------------------------------------------------------------------------------------

    def loaded(self) -> bool:
        with self.database.read() as session:
            return session.scalar(select(SphereRow.id).where(SphereRow.listed.is_(True)).limit(1)) is not None

    def listed(self) -> list[ListedSphere]:
        """The list as the registry holds it now, in the shape of a list file (for comparing with a newer one)."""
        with self.database.read() as session:
            return _listed(session)

    def merge(self, rows: Sequence[ListedSphere], actor: Actor = SYSTEM, source: str = "") -> ListChanges:
        """Merge a list into the registry in one transaction: new spheres made, known ones given the list's
        dates, members joined (start unknown) or ended (end unknown), successions recorded; a sphere the list
        no longer names keeps everything and is marked as not listed. Returns what changed."""
        with self.database.write() as session:
            before = _listed(session)
            found = changes(before, rows)
            spheres = {row.key: _merge_sphere(session, row) for row in rows}
            for row in rows:
                _merge_members(session, spheres[row.key], row)
            for row in rows:
                if row.successor:
                    spheres[row.successor].replaces_id = spheres[row.key].id
            for key in found.removed:
                sphere_row(session, key).listed = False
            if found or not before:
                session.add(CountryChangeRow(at=now()))
                record(session, actor, "country-update", target=source or None, after=_summary(found))
            return found

    # Reads ----------------------------------------------------------------------------------------------

    def memberships(self, sphere: str | None = None, code: str | None = None) -> list[Membership]:
        """Every membership (ended ones too), of one sphere or one municipality or all, by sphere then role."""
        with self.database.read() as session:
            if sphere is not None and code is not None:
                query, asked = _MEMBERSHIPS_OF_BOTH, {"sphere": sphere, "code": code}
            elif sphere is not None:
                query, asked = _MEMBERSHIPS_OF_SPHERE, {"sphere": sphere}
            elif code is not None:
                query, asked = _MEMBERSHIPS_OF_TOWN, {"code": code}
            else:
                query, asked = _MEMBERSHIPS, {}
            # Columns as plain rows, not three objects a row: a sphere's first page asks its members (issue 24).
            found = [
                Membership(key, name, SphereKind(kind), code or "", town, role, start, end, bool(ended))
                for key, name, kind, code, town, role, start, end, ended in session.connection().execute(query, asked)
            ]
        return sorted(found, key=lambda m: (m.sphere, m.role != CENTRAL, m.code, m.start or ""))

    def standing(self, on: datetime.date | None) -> list[Standing]:
        """Every sphere with the municipalities in it on ``on`` (None: now), for ``renkei.national.country.count``."""
        members: dict[str, set[str]] = {}
        for m in self.memberships():
            if m.on(on):
                members.setdefault(m.sphere, set()).add(m.code)
        with self.database.read() as session:
            rows = session.scalars(select(SphereRow).order_by(SphereRow.key)).all()
            return [
                Standing(r.key, SphereKind(r.kind), r.prefecture or "", dates_of(r), frozenset(members.get(r.key, ())))
                for r in rows
            ]

    def members_on(self, sphere: str, day: datetime.date) -> list[Membership] | None:
        """The sphere's members (not its central cities) on a day, or None when the registry knows none."""
        found = [m for m in self.memberships(sphere=sphere)]
        if not found:
            return None
        return [m for m in found if m.role == MEMBER and m.on(day)]

    # Edits (administrators; the caller checks the permission) -----------------------------------------

    def add_sphere(
        self,
        actor: Actor,
        key: str,
        name: str,
        kind: SphereKind,
        prefecture: str,
        central: Sequence[str],
        dates: dict[str, str],
    ) -> None:
        """A sphere without a table: its key, name, kind, prefecture, central cities and dates."""
        if not _KEY.fullmatch(key):
            raise StoreError("sphere-key-invalid", key=key[:100])
        if not name.strip() or problem("name", name) is not None:
            raise StoreError("sphere-name-invalid", sphere=repr(key), name=repr(name[:80]))
        if prefecture and prefecture not in Registry.default().prefectures:
            raise StoreError("stage-unknown", stage=prefecture[:40])
        with self.database.write() as session:
            if session.scalar(select(SphereRow.id).where(SphereRow.key == key)) is not None:
                raise StoreError("sphere-exists", sphere=key)
            cities = [_municipality(session, code) for code in central]
            row = SphereRow(
                key=key,
                name=name,
                kind=kind.value,
                prefecture=prefecture or (cities[0].prefecture if cities else None),
                central_city_id=cities[0].id if cities else None,
                created_at=now(),
                listed=False,
            )
            _set_dates(row, {stage: _date(value) for stage, value in dates.items() if value})
            session.add(row)
            session.flush()
            for city in cities:
                session.add(MembershipRow(sphere_id=row.id, municipality_id=city.id, role=CENTRAL, ended=False))
            self._changed(session, actor, "country-sphere-add", key, None, {"name": name, "kind": kind.value})

    def set_dates(self, actor: Actor, key: str, dates: dict[str, str]) -> None:
        """Change a sphere's dates (宣言, 協定, ビジョン, 廃止); an empty value clears one."""
        with self.database.write() as session:
            row = sphere_row(session, key)
            before = dates_of(row)
            _set_dates(row, {stage: _date(value) if value else None for stage, value in dates.items()})
            self._changed(session, actor, "country-dates", key, before, dates_of(row))

    def add_member(self, actor: Actor, key: str, code: str, start: str | None) -> None:
        with self.database.write() as session:
            row = sphere_row(session, key)
            town = _municipality(session, code)
            current = session.scalar(
                select(MembershipRow.id).where(
                    MembershipRow.sphere_id == row.id,
                    MembershipRow.municipality_id == town.id,
                    MembershipRow.ended.is_(False),
                )
            )
            if current is not None:
                raise StoreError("member-already", sphere=key, name=town.name)
            start = _date(start) if start else None
            joined = MembershipRow(sphere_id=row.id, municipality_id=town.id, role=MEMBER, start_on=start, ended=False)
            session.add(joined)
            after = {"code": code, "start": start}
            self._changed(session, actor, "country-member-add", key, None, after, town.name)

    def end_membership(self, actor: Actor, key: str, code: str, end: str | None) -> None:
        """End a municipality's current membership of a sphere, on a date where known."""
        with self.database.write() as session:
            row = sphere_row(session, key)
            town = _municipality(session, code)
            current = session.scalars(
                select(MembershipRow).where(
                    MembershipRow.sphere_id == row.id,
                    MembershipRow.municipality_id == town.id,
                    MembershipRow.ended.is_(False),
                )
            ).all()
            if not current:
                raise StoreError("member-not-current", sphere=key, name=town.name)
            end = _date(end) if end else None
            for membership in current:
                membership.ended, membership.end_on = True, end
            after = {"code": code, "end": end}
            self._changed(session, actor, "country-member-end", key, {"code": code}, after, town.name)

    def record_succession(self, actor: Actor, predecessor: str, successor: str, abolished: str | None) -> None:
        """``successor`` continues ``predecessor`` (of the same kind or another), which ends on ``abolished``."""
        if predecessor == successor:
            raise StoreError("succession-self", sphere=predecessor)
        with self.database.write() as session:
            old, new = sphere_row(session, predecessor), sphere_row(session, successor)
            chain, seen = old, set()
            while chain.replaces_id is not None and chain.id not in seen:  # no circle of successions
                seen.add(chain.id)
                if chain.replaces_id == new.id:
                    raise StoreError("succession-circle", sphere=successor)
                chain = session.get_one(SphereRow, chain.replaces_id)
            before = {"successor_of": new.replaces_id, "abolished": old.abolished_on}
            new.replaces_id = old.id
            if abolished:
                old.abolished_on = _date(abolished)
            after = {"successor": successor, "abolished": old.abolished_on}
            self._changed(session, actor, "country-succession", predecessor, before, after, successor)

    def _changed(
        self, session: Session, actor: Actor, action: str, key: str, before: object, after: object, target: str = ""
    ) -> None:
        session.add(CountryChangeRow(at=now()))
        record(session, actor, action, sphere=key, target=target or None, before=before, after=after)


# In the caller's transaction ---------------------------------------------------------------------------------


def _date(value: str) -> str:
    try:
        return check_date(value.strip())
    except ValueError:
        raise StoreError("date-invalid", value=value[:40]) from None


def _set_dates(row: SphereRow, dates: dict[str, str | None]) -> None:
    for stage, value in dates.items():
        if stage not in STAGE_COLUMNS:
            raise StoreError("stage-unknown", stage=stage[:40])
        setattr(row, STAGE_COLUMNS[stage], value)


def _municipality(session: Session, code: str) -> MunicipalityRow:
    entry = Registry.default().by_code(code.strip())
    if entry is None:
        raise StoreError("municipality-unknown", name=code[:40])
    return municipality(session, Municipality(entry.name, entry.code, entry.prefecture))


def _listed(session: Session) -> list[ListedSphere]:
    spheres = session.scalars(select(SphereRow).where(SphereRow.listed.is_(True)).order_by(SphereRow.key)).all()
    ids = {s.id: s.key for s in spheres}
    successors = {
        r.replaces_id: r.key for r in session.scalars(select(SphereRow).where(SphereRow.replaces_id.is_not(None)))
    }
    members: dict[str, tuple[list[Member], list[Member]]] = {s.key: ([], []) for s in spheres}
    query = (
        select(MembershipRow, MunicipalityRow)
        .join(MunicipalityRow, MunicipalityRow.id == MembershipRow.municipality_id)
        .where(MembershipRow.sphere_id.in_(ids))
        .order_by(MembershipRow.id)
    )
    by_id = {s.id: s for s in spheres}
    for membership, town in session.execute(query).all():
        if not _as_listed(membership, by_id[membership.sphere_id]):
            continue
        central, others = members[ids[membership.sphere_id]]
        (central if membership.role == CENTRAL else others).append(Member(town.code or "", town.name))
    return [
        ListedSphere(
            key=s.key,
            kind=SphereKind(s.kind),
            name=s.name,
            prefecture=s.prefecture or "",
            central=tuple(members[s.key][0]),
            members=tuple(members[s.key][1]),
            dates=dates_of(s),
            as_seen=dict(s.dates_as_seen or {}),
            successor=successors.get(s.id, ""),
            notes=s.notes or "",
            sources=tuple(s.sources or ()),
            seen=s.seen or "",
        )
        for s in spheres
    ]


def _as_listed(membership: MembershipRow, sphere: SphereRow) -> bool:
    """Whether the list names this membership: a current one, or one that ended with its sphere's abolition."""
    return not membership.ended or (sphere.abolished_on is not None and membership.end_on == sphere.abolished_on)


def _merge_sphere(session: Session, listed: ListedSphere) -> SphereRow:
    row = session.scalar(select(SphereRow).where(SphereRow.key == listed.key))
    cities = [_municipality(session, m.code) for m in listed.central]
    if row is None:
        row = SphereRow(key=listed.key, name=listed.name, kind=listed.kind.value, created_at=now())
        session.add(row)
    row.name, row.kind = listed.name, listed.kind.value
    row.prefecture = listed.prefecture or row.prefecture
    row.central_city_id = cities[0].id if cities else row.central_city_id
    # The list's dates replace the stages it gives; an abolition recorded by hand stays unless the list has one.
    for stage in DATES:
        if listed.dates.get(stage) or stage != "abolished":
            setattr(row, STAGE_COLUMNS[stage], listed.dates.get(stage))
    row.dates_as_seen = dict(listed.as_seen)
    row.notes, row.sources, row.seen = listed.notes, list(listed.sources), listed.seen or None
    row.listed = True
    session.flush()
    return row


def _merge_members(session: Session, sphere: SphereRow, listed: ListedSphere) -> None:
    current = {
        (m.municipality_id, m.role): m
        for m in session.scalars(select(MembershipRow).where(MembershipRow.sphere_id == sphere.id))
        if _as_listed(m, sphere)
    }
    wanted = {(_municipality(session, m.code).id, CENTRAL) for m in listed.central}
    wanted |= {(_municipality(session, m.code).id, MEMBER) for m in listed.members}
    for town_id, role in sorted(wanted - current.keys()):
        session.add(MembershipRow(sphere_id=sphere.id, municipality_id=town_id, role=role, ended=False))
    for gone in current.keys() - wanted:
        current[gone].ended = True  # left the list; when is not known
    session.flush()
    if listed.dates.get("abolished"):  # an abolished sphere's memberships ended with it
        for membership in session.scalars(
            select(MembershipRow).where(MembershipRow.sphere_id == sphere.id, MembershipRow.ended.is_(False))
        ):
            membership.ended, membership.end_on = True, listed.dates["abolished"]
        session.flush()


def _summary(found: ListChanges) -> dict[str, int]:
    return {
        "added": len(found.added),
        "removed": len(found.removed),
        "joined": len(found.joined),
        "left": len(found.left),
        "dates": len(found.dates),
        "other": len(found.other),
    }
