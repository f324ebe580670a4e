"""budget and KPI grades per compared field, kept on write

``field_use`` gains, per compared field of a sphere's newest revision, the sum of its projects' budgets over
every fiscal year (千円, computed; NULL where no project of the field gives one) and its KPIs counted per grade
(A–D, and not yet graded) on their latest result (``renkei.store.aggregates``, ``renkei.vision.budgetfigures``), so
that the national comparison shows them with the same indexed query. Existing rows are recomputed.

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-06 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from renkei.store import aggregates

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None

_GRADES = ("grade_a", "grade_b", "grade_c", "grade_d", "ungraded")


# Plain ALTER TABLE, as 0006: SQLite adds and drops a column in place.


def upgrade() -> None:
    op.add_column("field_use", sa.Column("budget", sa.Float(), nullable=True))
    for name in _GRADES:
        op.add_column("field_use", sa.Column(name, sa.Integer(), nullable=False, server_default=sa.text("0")))
    aggregates.backfill(op.get_bind())


def downgrade() -> None:
    for name in reversed(_GRADES):
        op.drop_column("field_use", name)
    op.drop_column("field_use", "budget")
