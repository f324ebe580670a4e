"""The database schema (SQLAlchemy 2): spheres, immutable revisions, and their projects and participation.

A revision is a snapshot: its municipalities, projects and marks are rows of its own and are never updated.
A project's identity across revisions is ``project`` (a serial number within its sphere), so its history can
be followed through renumbering and renaming. ``search_doc`` holds the text of the newest revision of
each sphere for Japanese substring search (see ``renkei.store.search``).
"""

from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names, so that Alembic migrations name the same constraints on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The public tables: what a published registry is (spheres, municipalities, revisions and their rows, projects and
# the search text), in an order where every table comes after those it refers to. A snapshot copies these and no
# other (never accounts, sessions, tokens, the audit trail or drafts: ``store.snapshot``), and a bulk import
# takes the planner's statistics of these afresh (``store.bulk.analyze``).
PUBLIC_TABLES = (
    "municipality",
    "sphere",
    "revision",
    "revision_municipality",
    "project",
    "revision_project",
    "participation",
    "search_doc",
)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class MunicipalityRow(Base):
    """A municipality (市区町村) met in any sphere; ``code`` is null only where the name did not resolve."""

    __tablename__ = "municipality"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    prefecture: Mapped[str | None] = mapped_column(String(10))


class SphereRow(Base):
    """A cooperation sphere (圏域); ``key`` is its stable address in URLs and on the command line."""

    __tablename__ = "sphere"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    prefecture: Mapped[str | None] = mapped_column(String(10))
    central_city_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"))
    plan_start: Mapped[datetime.date | None] = mapped_column(Date)
    plan_end: Mapped[datetime.date | None] = mapped_column(Date)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("sphere.id"), index=True)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    # Its lifecycle (migration 0004): dates as precise as the pages gave them (2019, 2019-04, 2019-04-23).
    declared_on: Mapped[str | None] = mapped_column(String(10))
    agreement_on: Mapped[str | None] = mapped_column(String(10))
    vision_on: Mapped[str | None] = mapped_column(String(10))
    abolished_on: Mapped[str | None] = mapped_column(String(10))
    dates_as_seen: Mapped[dict[str, str] | None] = mapped_column(JSON)
    notes: Mapped[str | None] = mapped_column(Text)
    sources: Mapped[list[str] | None] = mapped_column(JSON)
    seen: Mapped[str | None] = mapped_column(String(10))
    listed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Its own grade thresholds (評価基準, migration 0008): {"a", "b", "c"} as fractions; None for renkei's default.
    grades: Mapped[dict[str, float] | None] = mapped_column(JSON)


class RevisionRow(Base):
    """One version of a sphere's vision (ビジョン変更): who, when, why, from which file, effective from when."""

    __tablename__ = "revision"
    __table_args__ = (UniqueConstraint("sphere_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sphere_id: Mapped[int] = mapped_column(ForeignKey("sphere.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    effective_on: Mapped[datetime.date] = mapped_column(Date)
    message: Mapped[str] = mapped_column(Text)
    source_name: Mapped[str | None] = mapped_column(String(500))
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64))
    declared_grand_total: Mapped[int | None] = mapped_column(Integer)
    presentation: Mapped[dict[str, Any]] = mapped_column(JSON)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class RevisionMunicipalityRow(Base):
    """A column of a revision's table, in order, with the document's own spelling and its declared total."""

    __tablename__ = "revision_municipality"
    revision_id: Mapped[int] = mapped_column(ForeignKey("revision.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    declared_total: Mapped[int | None] = mapped_column(Integer)


class ProjectRow(Base):
    """A project's identity across revisions: a serial number within its sphere."""

    __tablename__ = "project"
    __table_args__ = (UniqueConstraint("sphere_id", "serial"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sphere_id: Mapped[int] = mapped_column(ForeignKey("sphere.id"))
    serial: Mapped[int] = mapped_column(Integer)


class RevisionProjectRow(Base):
    """A project as one revision states it."""

    __tablename__ = "revision_project"
    __table_args__ = (UniqueConstraint("revision_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revision.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    pillar_label: Mapped[str | None] = mapped_column(String(20))
    pillar_title: Mapped[str | None] = mapped_column(Text)
    field_label: Mapped[str | None] = mapped_column(String(20))
    field_title: Mapped[str | None] = mapped_column(Text)
    declared_count: Mapped[int | None] = mapped_column(Integer)
    attributes: Mapped[dict[str, str]] = mapped_column(JSON)
    # The fields declared after these columns (renkei.vision.record, Storage.PAYLOAD), by name, as their JSON.
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))


class ParticipationRow(Base):
    """A mark: a municipality takes part in a project at a revision, as member (○) or lead (◎)."""

    __tablename__ = "participation"
    revision_project_id: Mapped[int] = mapped_column(
        ForeignKey("revision_project.id", ondelete="CASCADE"), primary_key=True
    )
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(10))


class RegistryCountRow(Base):
    """How many spheres the registry holds and, on SQLite, how many revisions, in its one row, kept by the
    database's own triggers (migration 0012): every read of published data asks them for its generation
    (``store.reads``), where counting the rows themselves cost a scan per request (0.2 ms of PostgreSQL's time
    for the spheres at 1,700 spheres, 0.57 ms of SQLite's for the registry's 7,000 revisions). Counts, not the
    newest ids: PostgreSQL hands out ids before commit, so a row committed after a newer one would not move a
    maximum. ``revisions`` is NULL on PostgreSQL, which counts its revisions itself (a counter's lock would make
    every publish wait for the others)."""

    __tablename__ = "registry_count"
    id: Mapped[int] = mapped_column(primary_key=True)
    spheres: Mapped[int] = mapped_column(Integer)
    revisions: Mapped[int | None] = mapped_column(Integer)


class ProjectListRow(Base):
    """The project list of a sphere's newest revision as the API answers it (``renkei.store.projectlist``): each
    project's JSON object, one a line, written with the revision (replacing the previous revision's), so that a
    sphere's first answer is one indexed read and a slice, not the revision read whole."""

    __tablename__ = "project_list"
    revision_id: Mapped[int] = mapped_column(ForeignKey("revision.id", ondelete="CASCADE"), primary_key=True)
    total: Mapped[int] = mapped_column(Integer)
    items: Mapped[str] = mapped_column(Text)
    # The revision's rows as ``rows.fetch`` reads them, one JSON document (migration 0013): its vision read back
    # in one indexed read, without a session (``PublishedReads.vision``). None where not kept: the long way.
    rows: Mapped[str | None] = mapped_column(Text, nullable=True)


class SearchDocRow(Base):
    """The searchable text of a project of the newest revision of its sphere, normalised for matching."""

    __tablename__ = "search_doc"
    revision_project_id: Mapped[int] = mapped_column(
        ForeignKey("revision_project.id", ondelete="CASCADE"), primary_key=True
    )
    sphere_id: Mapped[int] = mapped_column(ForeignKey("sphere.id"), index=True)
    name_key: Mapped[str] = mapped_column(Text)
    description_key: Mapped[str] = mapped_column(Text)


class FieldUseRow(Base):
    """One compared field (a guidelines' policy field, or a field title they do not name) of the newest revision
    of a sphere: its projects, the towns taking part in any of them, the revision's members and the titles the
    document gives it. Written with the revision (``renkei.store.aggregates``), read by the national views."""

    __tablename__ = "field_use"
    sphere_id: Mapped[int] = mapped_column(ForeignKey("sphere.id", ondelete="CASCADE"), primary_key=True)
    field: Mapped[str] = mapped_column(Text, primary_key=True, index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revision.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # the position of the field's first project in the revision
    mapped: Mapped[bool] = mapped_column(Boolean)
    projects: Mapped[int] = mapped_column(Integer)
    towns: Mapped[int] = mapped_column(Integer)
    members: Mapped[int] = mapped_column(Integer)
    titles: Mapped[list[str]] = mapped_column(JSON)
    # Computed from the projects' budgets and KPIs (renkei.vision.budgetfigures): the sum of every fiscal year's amount
    # (千円; None where no project of the field gives one) and the KPIs per grade on their latest result.
    budget: Mapped[float | None] = mapped_column(Float, nullable=True)
    grade_a: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    grade_b: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    grade_c: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    grade_d: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    ungraded: Mapped[int] = mapped_column(Integer, server_default=text("0"))


class MembershipRow(Base):
    """A municipality's membership of a sphere (as central city or member), dated where known: ``start_on`` and
    ``end_on`` as precise as known, ``ended`` also when the end's date is not known."""

    __tablename__ = "membership"
    id: Mapped[int] = mapped_column(primary_key=True)
    sphere_id: Mapped[int] = mapped_column(ForeignKey("sphere.id"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    role: Mapped[str] = mapped_column(String(10))
    start_on: Mapped[str | None] = mapped_column(String(10))
    end_on: Mapped[str | None] = mapped_column(String(10))
    ended: Mapped[bool] = mapped_column(Boolean, default=False)


class CountryChangeRow(Base):
    """One change of the country's list (a load, an update, an administrator's edit): its id moves the
    registry's generation, so that answers kept in memory are computed again."""

    __tablename__ = "country_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))


# Accounts, roles, sessions and the audit trail ------------------------------------------------------------


class AccountRow(Base):
    """A person who signs in. The password is kept only as an argon2 hash."""

    __tablename__ = "account"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    # Set when an administrator gives the password: the next sign-in goes to the change-password page.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class GrantRow(Base):
    """A role on a sphere; a municipality editor's grant names the one municipality it may change."""

    __tablename__ = "role_grant"
    __table_args__ = (UniqueConstraint("account_id", "sphere_id", "role", "municipality_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    sphere_id: Mapped[int] = mapped_column(ForeignKey("sphere.id"))
    role: Mapped[str] = mapped_column(String(20))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"))


class TokenRow(Base):
    """An API token for scripts: the account's roles, revocable. Only the SHA-256 of the token is kept."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))


class SessionRow(Base):
    """A signed-in browser: the SHA-256 of its cookie, its CSRF token and when it expires."""

    __tablename__ = "web_session"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))


class AuditRow(Base):
    """One entry of the audit trail: who did what, when, from where, before and after. Append-only: the
    database refuses to update or delete a row (triggers of migration 0002)."""

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    username: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40), index=True)
    sphere_key: Mapped[str | None] = mapped_column(String(100), index=True)
    target: Mapped[str | None] = mapped_column(String(200))
    before: Mapped[Any | None] = mapped_column(JSON)
    after: Mapped[Any | None] = mapped_column(JSON)
    address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))


# Drafts: the working copy of a sphere's next revision ---------------------------------------------------


class DraftRow(Base):
    """A sphere's open draft, based on a published revision; ``version`` counts its structural changes."""

    __tablename__ = "draft"
    sphere_id: Mapped[int] = mapped_column(ForeignKey("sphere.id"), primary_key=True)
    base_revision: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))


class DraftProjectRow(Base):
    """A project of a draft, with its own version so that two people editing different projects never clash
    and a save against a stale version is refused (optimistic concurrency)."""

    __tablename__ = "draft_project"
    __table_args__ = (UniqueConstraint("sphere_id", "serial"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sphere_id: Mapped[int] = mapped_column(ForeignKey("draft.sphere_id", ondelete="CASCADE"), index=True)
    serial: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    pillar_label: Mapped[str | None] = mapped_column(String(20))
    pillar_title: Mapped[str | None] = mapped_column(Text)
    field_label: Mapped[str | None] = mapped_column(String(20))
    field_title: Mapped[str | None] = mapped_column(Text)
    attributes: Mapped[dict[str, str]] = mapped_column(JSON)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    marks: Mapped[dict[str, str]] = mapped_column(JSON)
    notes: Mapped[dict[str, str]] = mapped_column(JSON)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    # The version that last changed each cell (renkei.store.cells), "*" the version the row was made at.
    cells: Mapped[dict[str, int]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
