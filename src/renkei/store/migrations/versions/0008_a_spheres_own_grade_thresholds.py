"""a sphere's own grade thresholds

``sphere.grades`` holds the lowest achievement (達成率, as a fraction) of grades A, B and C that the sphere's
secretariat set (``{"a": 1.0, "b": 0.8, "c": 0.5}``, checked by ``renkei.vision.grades.Thresholds``); NULL, as every
existing sphere has, means renkei's default (``renkei.vision.grades.DEFAULT``).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch: SQLite adds and drops a column in place, where a batch would copy ``sphere``
# and drop the original (its revisions and drafts refer to it).


def upgrade() -> None:
    op.add_column("sphere", sa.Column("grades", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("sphere", "grades")
