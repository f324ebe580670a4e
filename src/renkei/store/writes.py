"""Writing revisions: the rows of one revision (columns, projects, marks, search), the sphere and the
municipalities it needs, the identity of each project, and the content hash. Imports, bulk imports, publishing
and restore all write through these functions, inside the caller's transaction.
"""

from __future__ import annotations

import datetime
import getpass
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.orm import Session

from renkei.places.municipalities import Registry, is_valid_code
from renkei.store import aggregates, identity, projectlist, search
from renkei.store.clock import UTC
from renkei.store.errors import StoreError
from renkei.store.faults import checkpoint
from renkei.store.records import SphereSpec
from renkei.store.rows import identities, load, project_ids, sphere_row
from renkei.store.schema import (
    MunicipalityRow,
    ParticipationRow,
    ProjectRow,
    RevisionMunicipalityRow,
    RevisionProjectRow,
    RevisionRow,
    SphereRow,
)
from renkei.vision import record, textrules
from renkei.vision.diff import match_projects
from renkei.vision.model import Municipality, Project, Sphere, SphereKind, Vision

KIND_KEYS = {SphereKind.SETTLEMENT: "teiju", SphereKind.METROPOLITAN: "renkei-chusu", SphereKind.OTHER: "koiki"}


def content_hash(vision: Vision) -> str:
    """The identity of a vision's content, sphere metadata aside: the same file imported twice hashes alike."""
    return identity.hashes(vision)[0]


def prepared(vision: Vision) -> tuple[str, str, list[dict[str, Any]]]:
    """What a bulk import's workers compute of a vision for the store (``manifest.readings``): its content hash,
    its meaning hash (``identity.hashes``, one conversion) and its projects' rows (``project_values``, their
    payloads as JSON text), so that the process that writes has only the rows to write."""
    content, meaning, projects, payloads = identity.hashes(vision)
    return content, meaning, [project_values(i, p, projects[i], payloads[i]) for i, p in enumerate(vision.projects)]


def insert_marks(connection: Connection, marks: list[tuple[int, int, str]]) -> None:
    """Marks (project row, municipality row, role): the most numerous rows (a national import writes 300,000),
    as plain tuples to the driver's executemany."""
    if marks:
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        connection.exec_driver_sql(
            f"INSERT INTO {ParticipationRow.__tablename__} (revision_project_id, municipality_id, role) "
            f"VALUES ({mark}, {mark}, {mark})",
            marks,
        )


def project_values(
    position: int, p: Project, data: dict[str, Any] | None = None, payload: identity.PayloadText | None = None
) -> dict[str, Any]:
    """A project's row in a revision (``revision_project``), short of the revision and project it belongs to:
    its stored fields as ``renkei.vision.record`` declares them (``data``: its ``record.to_json``, where made already;
    ``payload``: its payload already written as JSON text, ``identity.hashes``, which only the bulk writer takes)."""
    if payload is not None:  # the payload written already: the row's own columns only
        return {"position": position, **record.row_values(p, record.COLUMNS, data), "payload": payload}
    return {"position": position, **record.row_values(p, data=data)}


def presentation(vision: Vision) -> dict[str, Any]:
    """What a revision keeps of how its table was written: the header's wording, the legend of marks, and the
    plan period (計画期間) where the document states one (no migration: a key of this JSON column)."""
    return {
        "labels": vars(vision.labels).copy(),
        "legend": {mark: role.value for mark, role in vision.legend.items()},
        **({"plan_period": list(vision.plan_period)} if vision.plan_period else {}),
    }


def carry_serials(previous: Sequence[Project], serials: Sequence[int], largest: int, vision: Vision) -> list[int]:
    """The identity (serial) of each of a new revision's projects: that of the previous revision's project it
    matches, or the next unused one (after ``largest``, the sphere's largest so far) for a project added."""
    by_id = {id(p): serial for p, serial in zip(previous, serials, strict=True)}
    serial_of: dict[int, int] = {}
    for old, new in match_projects(Vision(projects=list(previous)), vision):
        if new is None:
            continue
        if old is not None:
            serial_of[id(new)] = by_id[id(old)]
        else:
            largest += 1
            serial_of[id(new)] = largest
    return [serial_of[id(p)] for p in vision.projects]


def add_revision(session: Session, sphere: SphereRow, row: RevisionRow, vision: Vision, serials: Sequence[int]) -> None:
    """Write a revision whole and make it the one searched; the caller's transaction commits it."""
    row.sphere_id = sphere.id
    row.declared_grand_total = vision.declared_grand_total
    row.presentation = presentation(vision)
    session.add(row)
    session.flush()
    checkpoint("revision")
    projects = write_content(session, sphere, row, vision, serials)
    checkpoint("projects")
    search.reindex(session, sphere.id, projects)
    projectlist.write(session, sphere.id, row, vision)
    aggregates.refresh(session, [sphere.id], written={row.id: vision.projects})
    checkpoint("search")


def unchanged(session: Session, sphere: SphereRow, latest: RevisionRow, vision: Vision, digest: str) -> bool:
    """Whether a vision says what the sphere's newest revision says: the same rows, or the same meaning."""
    if latest.content_hash == digest:
        return True
    return identity.meaning_hash(load(session, sphere, latest)[0]) == identity.meaning_hash(vision)


def sphere_for(session: Session, vision: Vision, spec: SphereSpec, new_sphere: bool = True) -> SphereRow:
    """The sphere a vision belongs to (``store.identity``), made when there is none and ``new_sphere``."""
    sphere_meta = vision.sphere
    kind = spec.kind or sphere_meta.kind
    given = spec.central_city
    given_row = central_city(session, given, sphere_meta) if given else None  # looked up once: it costs
    city = given_row if given else sphere_meta.central_city
    derived = f"{city.code}-{KIND_KEYS[kind]}" if city is not None and city.code else None
    try:
        row = identity.find_sphere(session, vision, spec.key, kind.value, derived)
    except identity.SphereAmbiguous as ambiguous:
        raise StoreError("sphere-ambiguous", name=sphere_meta.name, candidates="、".join(ambiguous.keys)) from None
    if row is not None:
        return row
    # A new sphere keeps the key its file carries (exported from another registry), unless that is taken.
    keys = [spec.key] if spec.key else [vision.edition.sphere_key, derived]
    free = [k for k in keys if k and session.scalar(select(SphereRow.id).where(SphereRow.key == k)) is None]
    key = free[0] if free else None
    if not new_sphere:
        candidates = "、".join(identity.look_alikes(session, vision)) or "-"
        raise StoreError("sphere-unmatched", sphere=key or sphere_meta.name or "?", candidates=candidates)
    if key is None:
        raise StoreError("sphere-key-needed")
    central = given_row if given else central_city(session, None, sphere_meta)
    name = spec.name or sphere_meta.name
    if not name:
        raise StoreError("sphere-name-needed", sphere=key)
    if textrules.problem("name", name) is not None or textrules.problem("name", key) is not None:
        # A line feed in a name would end up in file names, CSV rows and page titles.
        raise StoreError("sphere-name-invalid", sphere=repr(key), name=repr(name[:80]))
    replaces = sphere_row(session, spec.replaces).id if spec.replaces else None
    row = SphereRow(
        key=key,
        name=name,
        kind=kind.value,
        prefecture=spec.prefecture or sphere_meta.prefecture or (central.prefecture if central else None),
        central_city_id=central.id if central else None,
        plan_start=spec.plan_start,
        plan_end=spec.plan_end,
        replaces_id=replaces,
        created_at=datetime.datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    return row


def central_city(session: Session, given: str | None, sphere: Sphere) -> MunicipalityRow | None:
    """The central city's row: the one given (by code or name), else the one the table names; None if neither."""
    if given:
        entry = Registry.default().by_code(given) if is_valid_code(given) else None
        entry = entry or Registry.default().resolve(given, sphere.prefecture).entry
        if entry is None:
            raise StoreError("municipality-unknown", name=given)
        return municipality(session, Municipality(entry.name, entry.code, entry.prefecture))
    if sphere.central_city is not None:
        return municipality(session, sphere.central_city)
    return None


def municipality(session: Session, m: Municipality) -> MunicipalityRow:
    """A municipality's row by code (by name where it has none), made when it is met for the first time."""
    if m.code is not None:
        row = session.scalar(select(MunicipalityRow).where(MunicipalityRow.code == m.code))
    else:
        unresolved = (MunicipalityRow.code.is_(None), MunicipalityRow.name == m.name)
        row = session.scalar(select(MunicipalityRow).where(*unresolved))
    if row is None:
        row = MunicipalityRow(code=m.code, name=m.name, prefecture=m.prefecture)
        session.add(row)
        session.flush()
    return row


def serials_for(session: Session, sphere: SphereRow, latest: RevisionRow | None, vision: Vision) -> list[int]:
    """Each project's identity: carried over from the newest revision where matched, new otherwise."""
    if latest is None:
        return list(range(1, len(vision.projects) + 1))
    previous, serials = identities(session, latest)
    next_serial = session.scalar(select(func.max(ProjectRow.serial)).where(ProjectRow.sphere_id == sphere.id)) or 0
    return carry_serials(previous, serials, next_serial, vision)


def write_content(
    session: Session, sphere: SphereRow, revision: RevisionRow, vision: Vision, serials: Sequence[int]
) -> list[search.Doc]:
    """A revision's columns, projects and marks, each table in one multi-row statement (no object per row:
    a national import writes hundreds of thousands of marks)."""
    connection = session.connection()
    ids = municipality_ids(session, vision.municipalities)
    columns = [
        {
            "revision_id": revision.id,
            "position": position,
            "municipality_id": ids[m.name],
            "label": m.display,
            "declared_total": vision.declared_totals.get(m.name),
        }
        for position, m in enumerate(vision.municipalities)
    ]
    if columns:
        connection.execute(insert(RevisionMunicipalityRow), columns)
    existing = project_ids(connection, sphere.id)
    missing = sorted(set(serials) - existing.keys())
    if missing:
        connection.execute(insert(ProjectRow), [{"sphere_id": sphere.id, "serial": s} for s in missing])
        existing = project_ids(connection, sphere.id)
    if not vision.projects:
        return []
    connection.execute(
        insert(RevisionProjectRow),
        [
            {"revision_id": revision.id, "project_id": existing[serial], **project_values(position, p)}
            for position, (p, serial) in enumerate(zip(vision.projects, serials, strict=True))
        ],
    )
    by_position = dict(
        connection.execute(
            select(RevisionProjectRow.position, RevisionProjectRow.id).where(
                RevisionProjectRow.revision_id == revision.id
            )
        ).all()
    )
    marks = [
        (by_position[position], ids[name], str(role))
        for position, p in enumerate(vision.projects)
        for name, role in p.participants.items()
    ]
    insert_marks(connection, marks)
    return [search.Doc(by_position[position], p.name, p.description) for position, p in enumerate(vision.projects)]


def municipality_ids(session: Session, municipalities: Sequence[Municipality]) -> dict[str, int]:
    """Row ids of a table's columns by name, creating the municipalities met for the first time."""
    codes = [m.code for m in municipalities if m.code is not None]
    known: dict[str, int] = {}
    if codes:
        query = select(MunicipalityRow.code, MunicipalityRow.id).where(MunicipalityRow.code.in_(codes))
        known = {code: row_id for code, row_id in session.execute(query).all() if code is not None}
    new = {m.code: m for m in municipalities if m.code is not None and m.code not in known}
    if new:
        rows = [{"code": code, "name": m.name, "prefecture": m.prefecture} for code, m in new.items()]
        session.connection().execute(insert(MunicipalityRow), rows)
        query = select(MunicipalityRow.code, MunicipalityRow.id).where(MunicipalityRow.code.in_(list(new)))
        known |= {code: row_id for code, row_id in session.execute(query).all() if code is not None}
    ids: dict[str, int] = {}
    for m in municipalities:
        ids[m.name] = known[m.code] if m.code is not None else municipality(session, m).id
    return ids


def user() -> str:
    """Who runs this process: a revision's author where the caller names none."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
