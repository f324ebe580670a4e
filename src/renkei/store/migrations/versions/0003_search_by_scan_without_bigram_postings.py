"""search by scan, without bigram postings

The bigram posting table ``search_gram`` is dropped: search scans ``search_doc`` (the newest revision's text of
each sphere), which at national scale is as fast as the index was and spares every import its postings
(see renkei.store.search and docs/benchmarks.md). A downgrade rebuilds the postings from ``search_doc``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 15:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("search_gram", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_gram_revision_project_id"))
    op.drop_table("search_gram")


def downgrade() -> None:
    gram = op.create_table(
        "search_gram",
        sa.Column("gram", sa.String(length=2), nullable=False),
        sa.Column("revision_project_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["revision_project_id"],
            ["search_doc.revision_project_id"],
            name=op.f("fk_search_gram_revision_project_id_search_doc"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("gram", "revision_project_id", name=op.f("pk_search_gram")),
    )
    with op.batch_alter_table("search_gram", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_gram_revision_project_id"), ["revision_project_id"], unique=False)
    docs = op.get_bind().execute(sa.text("SELECT revision_project_id, name_key, description_key FROM search_doc"))
    postings = [
        {"gram": g, "revision_project_id": row_id}
        for row_id, name, description in docs
        for g in sorted(_grams(name) | _grams(description))
    ]
    if postings:
        op.bulk_insert(gram, postings)


def _grams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1) if not text[i : i + 2].isspace()}
