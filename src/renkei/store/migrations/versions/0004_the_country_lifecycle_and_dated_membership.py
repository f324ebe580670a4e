"""the country: a sphere's lifecycle and dated membership

Spheres gain the dates of their stages (宣言, 協定/協約, ビジョン, 廃止; as precise as the pages gave them),
the dates as the pages wrote them, notes, sources, when they were seen and whether the country's list names
them. ``membership`` holds each municipality's membership of a sphere with its start and end;
``country_change`` counts the list's changes for the registry's generation.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_DATES = ("declared_on", "agreement_on", "vision_on", "abolished_on")


def upgrade() -> None:
    with op.batch_alter_table("sphere", schema=None) as batch_op:
        for name in _DATES:
            batch_op.add_column(sa.Column(name, sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("dates_as_seen", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("notes", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("sources", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("seen", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("listed", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sphere_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("start_on", sa.String(length=10), nullable=True),
        sa.Column("end_on", sa.String(length=10), nullable=True),
        sa.Column("ended", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"], ["municipality.id"], name=op.f("fk_membership_municipality_id_municipality")
        ),
        sa.ForeignKeyConstraint(["sphere_id"], ["sphere.id"], name=op.f("fk_membership_sphere_id_sphere")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership")),
    )
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_membership_municipality_id"), ["municipality_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_membership_sphere_id"), ["sphere_id"], unique=False)
    op.create_table(
        "country_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_country_change")),
    )


def downgrade() -> None:
    op.drop_table("country_change")
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_membership_sphere_id"))
        batch_op.drop_index(batch_op.f("ix_membership_municipality_id"))
    op.drop_table("membership")
    with op.batch_alter_table("sphere", schema=None) as batch_op:
        for name in ("listed", "seen", "sources", "notes", "dates_as_seen", *reversed(_DATES)):
            batch_op.drop_column(name)
