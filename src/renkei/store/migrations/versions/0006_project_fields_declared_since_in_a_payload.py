"""a project's fields declared after the first schema, in one JSON column

``revision_project.payload`` and ``draft_project.payload`` hold, by name, the project's fields that
``renkei.vision.record`` declares as ``Storage.PAYLOAD`` (every per-project field added since the first schema: a legal
basis, budgets per fiscal year, KPIs), so that declaring a new field needs no schema change. Rows written before
hold ``{}``: every such field at its empty value, which is what the code that wrote them knew.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch: SQLite (3.35 and later) adds and drops a column in place, where a batch would
# copy ``revision_project`` and drop the original, and that drop cascades to its marks and search rows.


def upgrade() -> None:
    for table in ("revision_project", "draft_project"):
        op.add_column(table, sa.Column("payload", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))


def downgrade() -> None:
    for table in ("draft_project", "revision_project"):
        op.drop_column(table, "payload")
