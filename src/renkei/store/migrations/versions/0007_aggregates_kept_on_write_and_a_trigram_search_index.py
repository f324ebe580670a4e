"""aggregates kept on write and a trigram search index

``field_use`` keeps, for the newest revision of every sphere, its compared fields with their projects, towns
taking part, members and the document's own titles (``renkei.store.aggregates``), written with each revision, so
that the comparison, the field list and the search suggestions read the country with indexed SQL. Existing
databases are backfilled from their revisions. ``sphere.replaces_id`` is indexed (every sphere's read asks for
its successor).

``search_doc`` gains a trigram index: on SQLite an external-content FTS5 table (``search_fts``, tokenizer
``trigram``) kept by triggers; on PostgreSQL GIN indexes with ``pg_trgm`` (``CREATE EXTENSION`` where the server
has it, in the schema ``public``; without it the search scans, as before). Queries of one or two characters,
which trigrams cannot serve, scan (``renkei.store.search``).

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-06 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from renkei.store import aggregates, search

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "field_use",
        sa.Column("sphere_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("mapped", sa.Boolean(), nullable=False),
        sa.Column("projects", sa.Integer(), nullable=False),
        sa.Column("towns", sa.Integer(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("titles", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["revision_id"], ["revision.id"], name=op.f("fk_field_use_revision_id_revision"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["sphere_id"], ["sphere.id"], name=op.f("fk_field_use_sphere_id_sphere"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("sphere_id", "field", name=op.f("pk_field_use")),
    )
    with op.batch_alter_table("field_use", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_field_use_field"), ["field"], unique=False)
        batch_op.create_index(batch_op.f("ix_field_use_revision_id"), ["revision_id"], unique=False)
    with op.batch_alter_table("sphere", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sphere_replaces_id"), ["replaces_id"], unique=False)
    bind = op.get_bind()
    aggregates.backfill(bind)
    search.create_index(bind)


def downgrade() -> None:
    bind = op.get_bind()
    search.drop_index(bind)
    with op.batch_alter_table("field_use", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_field_use_revision_id"))
        batch_op.drop_index(batch_op.f("ix_field_use_field"))
    op.drop_table("field_use")
    with op.batch_alter_table("sphere", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sphere_replaces_id"))
