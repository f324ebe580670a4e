"""cell versions of draft projects, and a password change asked at the next sign-in

``draft_project.cells`` records, for each cell of a draft project (a field, a municipality's mark or note), the
project version that last changed it, and under ``*`` the version the row was made at: a save made against an
older version of the project is merged when the cells it changes have not changed since, and refused only when
they have (see renkei.store.cells). ``account.must_change_password`` sends a person whose password an
administrator set to the change-password page at sign-in.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("draft_project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cells", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
    with op.batch_alter_table("draft_project", schema=None) as batch_op:
        batch_op.drop_column("cells")
