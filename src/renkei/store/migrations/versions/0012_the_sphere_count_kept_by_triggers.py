"""the number of spheres kept by triggers

``sphere_count`` holds, in its one row, how many spheres the registry holds, kept by triggers on ``sphere`` (one
after each insert and after each delete, on SQLite and PostgreSQL alike), so that the generation every published
read asks for (``renkei.store.reads``) reads one row instead of counting the spheres (a scan per request, which
grew with the registry: issue 24). It starts at the spheres already there.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 22:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_SQLITE = (
    "CREATE TRIGGER sphere_counted_in AFTER INSERT ON sphere"
    " BEGIN UPDATE sphere_count SET spheres = spheres + 1 WHERE id = 1; END",
    "CREATE TRIGGER sphere_counted_out AFTER DELETE ON sphere"
    " BEGIN UPDATE sphere_count SET spheres = spheres - 1 WHERE id = 1; END",
)
# PostgreSQL's: one function, in the schema the registry is in (its search path), fired once per statement with
# the rows it inserted or deleted (a bulk import inserts hundreds at once).
_POSTGRES = (
    "CREATE FUNCTION sphere_counted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " UPDATE sphere_count SET spheres = spheres"
    " + CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END * (SELECT count(*) FROM changed) WHERE id = 1;"
    " RETURN NULL; END $$",
    "CREATE TRIGGER sphere_counted_in AFTER INSERT ON sphere REFERENCING NEW TABLE AS changed"
    " FOR EACH STATEMENT EXECUTE FUNCTION sphere_counted()",
    "CREATE TRIGGER sphere_counted_out AFTER DELETE ON sphere REFERENCING OLD TABLE AS changed"
    " FOR EACH STATEMENT EXECUTE FUNCTION sphere_counted()",
)


def upgrade() -> None:
    op.create_table(
        "sphere_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("spheres", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sphere_count")),
    )
    op.execute("INSERT INTO sphere_count (id, spheres) SELECT 1, count(*) FROM sphere")
    for statement in _POSTGRES if op.get_bind().dialect.name == "postgresql" else _SQLITE:
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for trigger in ("sphere_counted_in", "sphere_counted_out"):
        op.execute(f"DROP TRIGGER {trigger} ON sphere" if postgres else f"DROP TRIGGER {trigger}")
    if postgres:
        op.execute("DROP FUNCTION sphere_counted()")
    op.drop_table("sphere_count")
