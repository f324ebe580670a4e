"""A sphere's project list kept as the API's JSON (issue 24): each project of its newest revision as its JSON
object, one a line, written in the transaction that writes the revision (``writes.add_revision``, the bulk
import) in place of the previous revision's, as ``field_use`` and ``search_doc`` are. ``GET
/api/spheres/{key}/projects`` without a filter answers from it with one indexed read and a slice, instead of
reading the revision whole and building a model per project (a sphere's first answer, which reads rotating over
every sphere always ask for). An older revision, or a filtered list, is answered the long way.

The objects are those of the API's ``ProjectOut`` (the same model, made from ``renkei.vision.record``'s
declaration), of the project as the store reads it back: its stored fields through their columns and payload,
its marks in the order of the revision's columns. Migration 0011 fills the table for databases written before.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import Any

from pydantic import BaseModel, create_model
from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.orm import Session

from renkei.store.rows import assemble, document, grade_thresholds, load
from renkei.store.schema import ProjectListRow, RevisionRow, SphereRow
from renkei.vision import record
from renkei.vision.model import Municipality, Project, Sphere, SphereKind, Vision

# The API's project object, made as ``renkei.web.projectmodels`` makes its ``ProjectOut``: the same fields and
# types, so the same JSON (an int in a float field written 5.0, as the API writes it).
_FIELDS: dict[str, Any] = {name: (kind, ...) for name, kind in record.output_types().items()}
_OUT: type[BaseModel] = create_model("ProjectOut", **_FIELDS)


def item(p: Project) -> str:
    """A project's JSON object as the API answers it: compact, UTF-8, on one line (a newline in a text is
    written ``\\n``)."""
    return _OUT(**record.to_json(p)).model_dump_json()


def lines(projects: Sequence[Project], municipalities: Sequence[Municipality]) -> str:
    """A revision's projects as the list keeps them: each as the store reads it back (its column fields through
    the row they are written as, its marks in column order), one object a line. The payload fields (budgets,
    KPIs) are given to the output model as they are: its validation reads them as the store's does (an int in a
    field of numbers as a number), so the round trip through their JSON, most of this with budgets, is not made."""
    order = {m.name: i for i, m in enumerate(municipalities)}
    out = []
    for p in projects:
        stored = record.from_row(SimpleNamespace(**record.row_values(p, record.COLUMNS)), record.COLUMNS)
        payload = {f.name: getattr(p, f.name) for f in record.PAYLOAD}
        marks = dict(sorted(p.participants.items(), key=lambda mark: order.get(mark[0], len(order))))
        out.append(item(Project(**stored, **payload, participants=marks)))
    return "\n".join(out)


def write(session: Session, sphere_id: int, revision: RevisionRow, vision: Vision) -> None:
    """Keep the list of a sphere's revision just written, its newest, in place of the one kept before, and its
    rows as they read back (``rows_document``), in the caller's transaction."""
    forget(session, [sphere_id])
    session.flush()
    session.execute(
        insert(ProjectListRow).values(
            revision_id=revision.id,
            total=len(vision.projects),
            items=lines(vision.projects, vision.municipalities),
            rows=rows_document(session.connection(), revision),
        )
    )


def rows_document(connection: Connection, revision: RevisionRow | Mapping[str, Any]) -> str:
    """A revision's rows as ``rows.fetch`` reads them back, as the JSON text kept beside its list
    (``rows.document``): its vision in one indexed read (``read_rows``). Read back from what was written, not made
    from the vision written, so that the vision kept is the one the long way reads."""
    return document(connection, revision)


def forget(connection: Connection | Session, sphere_ids: Sequence[int]) -> None:
    """Drop the lists kept of these spheres' revisions (before their newest's is written)."""
    revisions = select(RevisionRow.id).where(RevisionRow.sphere_id.in_(sphere_ids))
    connection.execute(delete(ProjectListRow).where(ProjectListRow.revision_id.in_(revisions)))


def backfill(connection: Connection) -> None:
    """The list of every sphere's newest revision, for a database written before the table existed (migration
    0011): each revision read back whole."""
    session = Session(bind=connection)
    numbers = (
        select(RevisionRow.sphere_id, func.max(RevisionRow.number).label("number"))
        .group_by(RevisionRow.sphere_id)
        .subquery()
    )
    kept = select(ProjectListRow.revision_id)
    missing = (
        select(RevisionRow)
        .join(numbers, (numbers.c.sphere_id == RevisionRow.sphere_id) & (numbers.c.number == RevisionRow.number))
        .where(RevisionRow.id.not_in(kept))
    )
    for revision in session.scalars(missing.order_by(RevisionRow.id)).all():
        sphere = session.get(SphereRow, revision.sphere_id)
        assert sphere is not None  # a revision's sphere
        vision = load(session, sphere, revision)[0]
        connection.execute(
            insert(ProjectListRow).values(
                revision_id=revision.id,
                total=len(vision.projects),
                items="\n".join(item(p) for p in vision.projects),
            )
        )
    session.close()


def backfill_rows(connection: Connection) -> None:
    """The rows document of every list kept without one (migration 0013: lists written before it)."""
    missing = select(RevisionRow).join(ProjectListRow, ProjectListRow.revision_id == RevisionRow.id)
    session = Session(bind=connection)
    for revision in session.scalars(missing.where(ProjectListRow.rows.is_(None)).order_by(RevisionRow.id)).all():
        connection.execute(
            update(ProjectListRow)
            .where(ProjectListRow.revision_id == revision.id)
            .values(rows=rows_document(connection, revision))
        )
    session.close()


Found = tuple[int, int, str]  # the revision's number, its projects' count, their objects one a line


Statements = dict[bool, str]


def _by_key(columns: str, joins: str = "") -> tuple[Statements, Statements]:
    """A read of what is kept of a sphere's revision (the newest, or a numbered one) found by the sphere's key, as
    text: not built and compiled at each asking (every sphere's first answer asks it). By whether a revision's
    number is given; in SQLite's placeholders, and in PostgreSQL's driver's."""
    sql = (
        f"SELECT {columns} FROM revision JOIN sphere ON sphere.id = revision.sphere_id"
        f" LEFT OUTER JOIN project_list ON project_list.revision_id = revision.id{joins}"
        " WHERE sphere.key = ?{} ORDER BY revision.number DESC LIMIT 1"
    )
    sqlite = {False: sql.format(""), True: sql.format(" AND revision.number = ?")}
    return sqlite, {numbered: text.replace("?", "%s") for numbered, text in sqlite.items()}


# The list's one read.
_SQLITE, _POSTGRES = _by_key("revision.number, project_list.total, project_list.items")


def read(connection: Connection | sqlite3.Connection, sphere: str, number: int | None) -> Found | None:
    """The list of a sphere's revision (the newest, or a numbered one), found by the sphere's key; None where the
    sphere is not found by its key, the revision does not exist or has no list kept (not its sphere's newest):
    the caller answers the long way, with the errors of the long way."""
    return _found(_one(connection, _SQLITE, _POSTGRES, sphere, number))


def _one(
    connection: Connection | sqlite3.Connection,
    sqlite: Statements,
    postgres: Statements,
    sphere: str,
    number: int | None,
) -> Any:
    """The one row a read of ``_by_key`` finds, on SQLite's own driver's connection (which ``PublishedReads``
    keeps for such reads) or an engine's, in the statement of its placeholders; None where none is found."""
    if isinstance(connection, sqlite3.Connection):
        return connection.execute(sqlite[number is not None], _params(sphere, number)).fetchone()
    sql = (postgres if connection.dialect.name == "postgresql" else sqlite)[number is not None]
    return connection.exec_driver_sql(sql, _params(sphere, number)).first()


# A revision's rows document and its sphere's row as it stands (name, kind, prefecture, grade thresholds, central
# city), in one read: the vision of the newest revision (or a numbered one still kept) without a session.
_ROWS_SQLITE, _ROWS_POSTGRES = _by_key(
    "project_list.rows, sphere.name, sphere.kind, sphere.prefecture, sphere.grades,"
    " municipality.name, municipality.code, municipality.prefecture",
    " LEFT OUTER JOIN municipality ON municipality.id = sphere.central_city_id",
)


def rows_found(connection: Connection | sqlite3.Connection, sphere: str, number: int | None) -> Any:
    """The rows document of a sphere's revision (the newest, or a numbered one) and its sphere's row as it
    stands, as one database row for ``vision_of``; None where the sphere or revision is not found by these."""
    return _one(connection, _ROWS_SQLITE, _ROWS_POSTGRES, sphere, number)


def vision_of(found: Any, sphere: str) -> Vision | None:
    """The vision of what ``rows_found`` found, with its sphere as the sphere's row says now; None where nothing
    was found or no rows are kept (an older revision): the caller reads it the long way, with its errors."""
    if found is None or found[0] is None:
        return None
    document, name, kind, prefecture, grades, city, code, city_prefecture = found
    if isinstance(grades, str):  # SQLite's JSON is text; PostgreSQL's driver decodes it
        grades = json.loads(grades)
    central = Municipality(city, code, city_prefecture) if city is not None else None
    model = Sphere(name, SphereKind(kind), central, prefecture, grade_thresholds(grades))
    return assemble(json.loads(document), model, sphere)[0]


def read_rows(connection: Connection | sqlite3.Connection, sphere: str, number: int | None) -> Vision | None:
    """The vision of a sphere's revision from its rows kept (``rows_document``): ``rows_found``, then
    ``vision_of``."""
    return vision_of(rows_found(connection, sphere, number), sphere)


def _params(sphere: str, number: int | None) -> tuple[object, ...]:
    return (sphere,) if number is None else (sphere, number)


def _found(row: Any) -> Found | None:
    if row is None or row[2] is None:
        return None
    return int(row[0]), int(row[1]), str(row[2])
