"""The store's rows as its rooms read them: the named internal API that imports, reads, drafts, accounts and
backup share instead of one another's private methods.

Every function takes the caller's session (or connection), so it runs inside the caller's transaction.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from sqlalchemy import JSON, BindParameter, Connection, Row, Text, bindparam, cast, select
from sqlalchemy.orm import Session

from renkei.store.clock import utc
from renkei.store.errors import StoreError
from renkei.store.records import RevisionInfo
from renkei.store.schema import (
    MunicipalityRow,
    ParticipationRow,
    ProjectRow,
    RevisionMunicipalityRow,
    RevisionProjectRow,
    RevisionRow,
    SphereRow,
)
from renkei.vision import record
from renkei.vision.model import Edition, Labels, Municipality, Project, Role, Sphere, SphereKind, Vision

_SPHERE_BY_KEY = select(SphereRow).where(SphereRow.key == bindparam("sphere"))
_SPHERE_BY_NAME = select(SphereRow).where(SphereRow.name == bindparam("sphere"))


def sphere_row(session: Session, sphere: str) -> SphereRow:
    """A sphere by key, or by its Japanese name."""
    row = session.scalar(_SPHERE_BY_KEY, {"sphere": sphere})
    row = row or session.scalar(_SPHERE_BY_NAME, {"sphere": sphere})
    if row is None:
        raise StoreError("sphere-unknown", sphere=sphere)
    return row


def latest_revision(session: Session, sphere_id: int) -> RevisionRow | None:
    """The sphere's newest revision, or None before its first."""
    query = select(RevisionRow).where(RevisionRow.sphere_id == sphere_id).order_by(RevisionRow.number.desc())
    return session.scalars(query.limit(1)).first()


def revision_row(
    session: Session, sphere: SphereRow, number: int | None = None, as_of: datetime.date | None = None
) -> RevisionRow:
    """A sphere's revision: a numbered one, or the newest (on or before ``as_of`` where given)."""
    query = select(RevisionRow).where(RevisionRow.sphere_id == sphere.id)
    if number is not None:
        query = query.where(RevisionRow.number == number)
    if as_of is not None:
        query = query.where(RevisionRow.effective_on <= as_of)
    row = session.scalars(query.order_by(RevisionRow.number.desc()).limit(1)).first()
    if row is None:
        raise StoreError("revision-unknown", sphere=sphere.key, revision=number or as_of or "")
    return row


def revision_info(sphere: SphereRow | str, row: RevisionRow | Row[Any]) -> RevisionInfo:
    """A revision row (or a row of ``REVISION_COLUMNS``) of a sphere (its row or its key) as the store answers
    it."""
    return RevisionInfo(
        sphere=sphere if isinstance(sphere, str) else sphere.key,
        number=row.number,
        author=row.author,
        created_at=utc(row.created_at),
        effective_on=row.effective_on,
        message=row.message,
        source_name=row.source_name,
        source_sha256=row.source_sha256,
        content_hash=row.content_hash,
        findings=list(row.findings),
    )


# What ``revision_info`` reads of a revision, for a read of plain rows.
REVISION_COLUMNS = (
    RevisionRow.number,
    RevisionRow.author,
    RevisionRow.created_at,
    RevisionRow.effective_on,
    RevisionRow.message,
    RevisionRow.source_name,
    RevisionRow.source_sha256,
    RevisionRow.content_hash,
    RevisionRow.findings,
)

# A revision's read back, three statements made once (with the revision as a parameter), not at every read:
# building a statement was a fifth of the read.
_REVISION: BindParameter[int] = bindparam("revision")
_COLUMNS = (
    select(
        MunicipalityRow.id,
        MunicipalityRow.name,
        MunicipalityRow.code,
        MunicipalityRow.prefecture,
        RevisionMunicipalityRow.label,
        RevisionMunicipalityRow.declared_total,
    )
    .join(MunicipalityRow, MunicipalityRow.id == RevisionMunicipalityRow.municipality_id)
    .where(RevisionMunicipalityRow.revision_id == _REVISION)
    .order_by(RevisionMunicipalityRow.position)
)
_PROJECTS = (
    select(*RevisionProjectRow.__table__.columns, ProjectRow.serial)
    .join(ProjectRow, ProjectRow.id == RevisionProjectRow.project_id)
    .where(RevisionProjectRow.revision_id == _REVISION)
    .order_by(RevisionProjectRow.position)
)
_PROJECT_KEYS = tuple(_PROJECTS.selected_columns.keys())
# The same rows with their JSON columns as the text the database holds (``document``).
_JSON_TEXT = tuple(c.name for c in RevisionProjectRow.__table__.columns if isinstance(c.type, JSON))
_PROJECTS_TEXT = _PROJECTS.with_only_columns(
    *(cast(c, Text).label(c.name) if c.name in _JSON_TEXT else c for c in _PROJECTS.selected_columns),
    maintain_column_froms=True,
)
_MARKS = (
    select(ParticipationRow.revision_project_id, ParticipationRow.municipality_id, ParticipationRow.role)
    .join(RevisionProjectRow, RevisionProjectRow.id == ParticipationRow.revision_project_id)
    .where(RevisionProjectRow.revision_id == _REVISION)
)
_CENTRAL = select(MunicipalityRow.name, MunicipalityRow.code, MunicipalityRow.prefecture).where(
    MunicipalityRow.id == bindparam("town")
)
_ROLES = {role.value: role for role in Role}


def load(session: Session, sphere: SphereRow, revision: RevisionRow) -> tuple[Vision, list[int]]:
    """A revision read back whole, and the serial (identity) of each of its projects.

    Read as plain rows, not ORM objects: a sphere's first answer (its page, its JSON) is mostly this, and building
    an object per mark was most of its cost (issue 24: a revision of 40 projects has some 500 marks). They are
    asked of the session's connection (the ORM's handling of a statement was a third of a sphere's read back),
    after the session has written what it holds: a write reads back the revision it has just added."""
    session.flush()
    return assemble(fetch(session.connection(), revision), sphere_model(session, sphere), sphere.key)


def fetch(connection: Connection, revision: RevisionRow | Mapping[str, Any]) -> dict[str, Any]:
    """What ``load`` reads of a revision (its row, or the bulk import's dict of its columns), as plain JSON-ready
    data: its own columns (number, date, presentation, declared grand total), its columns' towns, its project rows
    (each a dict of its columns) and its marks. The newest revision's is kept as it is
    (``renkei.store.projectlist``: one indexed read instead of three, and no session), and both become a vision
    through ``assemble`` alone, so that the two agree by construction."""
    fetched = _fetch_own(connection, revision)
    asked = {"revision": fetched.pop("id")}
    fetched["projects"] = [dict(zip(_PROJECT_KEYS, r, strict=True)) for r in connection.execute(_PROJECTS, asked).all()]
    return fetched


def document(connection: Connection, revision: RevisionRow | Mapping[str, Any]) -> str:
    """What ``fetch`` reads, as compact JSON text (the document ``renkei.store.projectlist`` keeps), read with
    each project row's JSON columns (its budgets and KPIs, its attributes) as the text the database holds, set
    into the document as it is: decoding and encoding them again was most of what budgets added to keeping a
    revision's rows (issue 26). ``json.loads`` of it equals ``fetch`` through JSON."""
    fetched = _fetch_own(connection, revision)
    asked = {"revision": fetched.pop("id")}
    projects = []
    for r in connection.execute(_PROJECTS_TEXT, asked).all():
        row = dict(zip(_PROJECT_KEYS, r, strict=True))
        held = [(name, row.pop(name)) for name in _JSON_TEXT]
        text = _dumps(row)
        projects.append(text[:-1] + "".join(f',"{name}":{value or "null"}' for name, value in held) + "}")
    return _dumps(fetched)[:-1] + ',"projects":[' + ",".join(projects) + "]}"


def _fetch_own(connection: Connection, revision: RevisionRow | Mapping[str, Any]) -> dict[str, Any]:
    """``fetch`` but its project rows, with the revision's id (to be taken out)."""
    own = revision if isinstance(revision, Mapping) else {name: getattr(revision, name) for name in _OWN}
    asked = {"revision": own["id"]}
    return {
        "id": own["id"],
        "number": own["number"],
        "effective_on": own["effective_on"].isoformat(),
        "presentation": own["presentation"],
        "grand_total": own["declared_grand_total"],
        "columns": [list(r) for r in connection.execute(_COLUMNS, asked).all()],
        "marks": [list(r) for r in connection.execute(_MARKS, asked).all()],
    }


_OWN = ("id", "number", "effective_on", "presentation", "declared_grand_total")
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def assemble(fetched: dict[str, Any], sphere: Sphere, key: str) -> tuple[Vision, list[int]]:
    """A revision's vision from what ``fetch`` read (or the document it was kept as), with its sphere as the
    sphere's row says now, and its projects' serials."""
    municipalities, names = [], {}
    totals: dict[str, int | None] = {}
    for town_id, name, code, prefecture, label, declared_total in fetched["columns"]:
        municipalities.append(Municipality(name, code, prefecture, label))
        names[town_id] = name
        if declared_total is not None:
            totals[name] = declared_total
    order = {m.name: i for i, m in enumerate(municipalities)}
    marks: dict[int, dict[str, Role]] = {}
    for project_id, town_id, role in fetched["marks"]:
        marks.setdefault(project_id, {})[names[town_id]] = _ROLES[role]
    rows = fetched["projects"]
    projects = [_project(row, marks.get(row["id"], {}), order) for row in rows]
    presentation = fetched["presentation"] or {}
    vision = Vision(
        sphere=sphere,
        municipalities=municipalities,
        projects=projects,
        legend={k: Role(v) for k, v in presentation.get("legend", {}).items()},
        labels=Labels(**presentation.get("labels", {})),
        plan_period=_period(presentation.get("plan_period")),
        declared_totals=totals,
        declared_grand_total=fetched["grand_total"],
        # What an export of it carries, so that the file imported back lands in this sphere.
        edition=Edition(key, fetched["number"], fetched["effective_on"]),
    ).mark_central_column()
    return vision, [row["serial"] for row in rows]


def _period(stored: object) -> tuple[int, int] | None:
    """The plan period a revision's presentation keeps, as (first, last) fiscal year; None where none."""
    if isinstance(stored, list) and len(stored) == 2:
        return int(stored[0]), int(stored[1])
    return None


def sphere_model(session: Session, row: SphereRow) -> Sphere:
    """A sphere row as the model's ``Sphere``: name, kind, central city, prefecture, and its own grade
    thresholds (a setting it carries for grading, not content)."""
    city = None
    if row.central_city_id:  # three columns, not the row as an object (``load`` has flushed the session)
        found = session.connection().execute(_CENTRAL, {"town": row.central_city_id}).one()
        city = Municipality(found.name, found.code, found.prefecture)
    return Sphere(row.name, SphereKind(row.kind), city, row.prefecture, grade_thresholds(row.grades))


def grade_thresholds(stored: dict[str, float] | None) -> tuple[float, float, float] | None:
    """A sphere's thresholds as ``sphere.grades`` keeps them ({"a", "b", "c"}), as the model carries them (A, B,
    C); None where it keeps renkei's default."""
    if not stored:
        return None
    return float(stored["a"]), float(stored["b"]), float(stored["c"])


def identities(session: Session, revision: RevisionRow) -> tuple[list[Project], list[int]]:
    """A revision's projects as matching needs them (number, name and description, not the whole revision),
    and the serial (identity) of each."""
    rows = session.execute(
        select(RevisionProjectRow.number, RevisionProjectRow.name, RevisionProjectRow.description, ProjectRow.serial)
        .join(ProjectRow, ProjectRow.id == RevisionProjectRow.project_id)
        .where(RevisionProjectRow.revision_id == revision.id)
        .order_by(RevisionProjectRow.position)
    ).all()
    return [Project(number, name, description) for number, name, description, _ in rows], [r[3] for r in rows]


def project_ids(connection: Connection, sphere_id: int) -> dict[int, int]:
    """The sphere's project rows by serial (identity)."""
    query = select(ProjectRow.serial, ProjectRow.id).where(ProjectRow.sphere_id == sphere_id)
    return {serial: row_id for serial, row_id in connection.execute(query).all()}


def _project(row: dict[str, Any], marks: dict[str, Role], order: dict[str, int]) -> Project:
    participants = dict(sorted(marks.items(), key=lambda item: order[item[0]]))
    return Project(**record.from_row(SimpleNamespace(**row)), participants=participants)
