"""the project list's JSON kept per revision

``project_list`` keeps, for every revision, its projects as ``GET /api/spheres/{key}/projects`` answers them
(each project's JSON object, one a line, and their count: ``renkei.store.projectlist``), written with the revision,
so that a sphere's unfiltered list is one indexed read and a slice (issue 24: reads rotating over every sphere).
Existing revisions are read back whole and their lists written.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from renkei.store import projectlist

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "project_list",
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("items", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["revision_id"], ["revision.id"], name=op.f("fk_project_list_revision_id_revision"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("revision_id", name=op.f("pk_project_list")),
    )
    projectlist.backfill(op.get_bind())


def downgrade() -> None:
    op.drop_table("project_list")
