"""the registry's counts kept by triggers

``registry_count`` holds, in its one row, how many spheres the registry holds and, on SQLite, how many revisions,
each kept by triggers (one after each insert and after each delete), so that the generation every published read
asks for (``renkei.store.reads``) reads one row instead of counting rows (a scan per request, which grew with the
registry: issue 24). Both start at the rows already there.

PostgreSQL keeps the spheres' count alone (``revisions`` stays NULL there and the generation counts the revisions
itself): a trigger's update of the one row holds its lock until the transaction commits, so a counter of
revisions would make every publish wait for any other publish, and for a bulk import, to commit. Spheres are made
rarely. SQLite has one writer at a time anyway.

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


def _sqlite_triggers(table: str, column: str) -> tuple[str, str]:
    return (
        f"CREATE TRIGGER {table}_counted_in AFTER INSERT ON {table}"
        f" BEGIN UPDATE registry_count SET {column} = {column} + 1 WHERE id = 1; END",
        f"CREATE TRIGGER {table}_counted_out AFTER DELETE ON {table}"
        f" BEGIN UPDATE registry_count SET {column} = {column} - 1 WHERE id = 1; END",
    )


_SQLITE = (*_sqlite_triggers("sphere", "spheres"), *_sqlite_triggers("revision", "revisions"))
# PostgreSQL's: one function, in the schema the registry is in (its search path), fired once per statement with
# the rows it inserted or deleted (a bulk import inserts hundreds at once).
_POSTGRES = (
    "CREATE FUNCTION sphere_counted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " UPDATE registry_count SET spheres = spheres"
    " + CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END * (SELECT count(*) FROM changed) WHERE id = 1;"
    " RETURN NULL; END $$",
    "CREATE TRIGGER sphere_counted_in AFTER INSERT ON sphere REFERENCING NEW TABLE AS changed"
    " FOR EACH STATEMENT EXECUTE FUNCTION sphere_counted()",
    "CREATE TRIGGER sphere_counted_out AFTER DELETE ON sphere REFERENCING OLD TABLE AS changed"
    " FOR EACH STATEMENT EXECUTE FUNCTION sphere_counted()",
)


def upgrade() -> None:
    statements: tuple[str, ...]
    op.create_table(
        "registry_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("spheres", sa.Integer(), nullable=False),
        sa.Column("revisions", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_count")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("INSERT INTO registry_count (id, spheres) SELECT 1, count(*) FROM sphere")
        statements = _POSTGRES
    else:
        op.execute(
            "INSERT INTO registry_count (id, spheres, revisions)"
            " SELECT 1, (SELECT count(*) FROM sphere), (SELECT count(*) FROM revision)"
        )
        statements = _SQLITE
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        for trigger in ("sphere_counted_in", "sphere_counted_out"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON sphere")
        op.execute("DROP FUNCTION IF EXISTS sphere_counted()")
    else:
        for table in ("sphere", "revision"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_counted_in")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_counted_out")
    op.drop_table("registry_count")
