"""a revision's rows kept with its project list

``project_list.rows`` keeps, beside the newest revision's project list, the revision's rows as the store reads
them back (its own columns, its columns' towns, its project rows and its marks: ``renkei.store.rows.fetch``) as
one JSON document, so that a sphere's newest vision is one indexed read without a session instead of a session
and three reads (issue 24: a sphere's page, the first answer of reads rotating over every sphere, spent half its
time reading its revision). The lists already kept get their documents, read back from their rows.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 16:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from renkei.store import projectlist

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("project_list", sa.Column("rows", sa.Text(), nullable=True))
    projectlist.backfill_rows(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("project_list") as batch:
        batch.drop_column("rows")
