"""Search: exact words beside the folded ones; one word split and no stemming on both backends.

PostgreSQL's index stemmed the already stemmed query again (so "sastanak" also found "sastav");
it now indexes the folded words as they are, with the exact words weighted above them, and
SQLite's FTS5 table gains the exact words as a second column. Both indexes are dropped here and
recreated from mlo.search.index by the upgrade; the stored texts are recomputed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

from mlo.text.html import plain_text
from mlo.text.words import exact_words, folded_words

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in ("translation_fts_ai", "translation_fts_ad", "translation_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS translation_fts")
    elif bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE translation DROP COLUMN IF EXISTS search_vector")
    with op.batch_alter_table("translation") as batch:
        batch.add_column(sa.Column("search_exact", sa.Text(), nullable=False, server_default=""))
    rows = bind.execute(sa.text("SELECT id, title, summary, body FROM translation")).all()
    for row in rows:
        text = f"{row.title} {row.summary} {plain_text(row.body)}"
        bind.execute(
            sa.text("UPDATE translation SET search_text = :t, search_exact = :e WHERE id = :id"),
            {"t": folded_words(text), "e": exact_words(text), "id": row.id},
        )


def downgrade() -> None:
    with op.batch_alter_table("translation") as batch:
        batch.drop_column("search_exact")
