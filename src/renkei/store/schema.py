"""The database schema (SQLAlchemy 2): spheres, immutable revisions, and their projects and participation.

A revision is a snapshot: its municipalities, projects and marks are rows of its own and are never updated.
A project's identity across revisions is ``project`` (a serial number within its sphere), so its history can
be followed through renumbering and renaming. ``search_doc`` and ``search_gram`` index the newest revision of
each sphere for Japanese substring search (see ``renkei.store.search``).
"""

from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
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
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("sphere.id"))
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))


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


class ParticipationRow(Base):
    """A mark: a municipality takes part in a project at a revision, as member (○) or lead (◎)."""

    __tablename__ = "participation"
    revision_project_id: Mapped[int] = mapped_column(
        ForeignKey("revision_project.id", ondelete="CASCADE"), primary_key=True
    )
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(10))


class SearchDocRow(Base):
    """The searchable text of a project of the newest revision of its sphere, normalised for matching."""

    __tablename__ = "search_doc"
    revision_project_id: Mapped[int] = mapped_column(
        ForeignKey("revision_project.id", ondelete="CASCADE"), primary_key=True
    )
    sphere_id: Mapped[int] = mapped_column(ForeignKey("sphere.id"), index=True)
    name_key: Mapped[str] = mapped_column(Text)
    description_key: Mapped[str] = mapped_column(Text)


class SearchGramRow(Base):
    """A posting of the bigram index: every two-character substring of a project's searchable text."""

    __tablename__ = "search_gram"
    gram: Mapped[str] = mapped_column(String(2), primary_key=True)
    revision_project_id: Mapped[int] = mapped_column(
        ForeignKey("search_doc.revision_project_id", ondelete="CASCADE"), primary_key=True, index=True
    )
