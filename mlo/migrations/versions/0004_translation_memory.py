"""Translation memory: aligned texts of every bilingual article, each direction, and their index.

The units are remembered from the stored translations here; the index (FTS5 on SQLite, a
generated tsvector under GIN on PostgreSQL) is created and filled by mlo.content.memory.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from mlo.content import memory

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "memory_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("source_lang", sa.String(length=2), nullable=False),
        sa.Column("target_lang", sa.String(length=2), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("target_text", sa.Text(), nullable=False),
        sa.Column("source_folded", sa.Text(), nullable=False),
        sa.CheckConstraint("source_lang IN ('en', 'sr')", name=op.f("ck_memory_unit_source_lang")),
        sa.CheckConstraint("target_lang IN ('en', 'sr')", name=op.f("ck_memory_unit_target_lang")),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_memory_unit_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memory_unit")),
    )
    op.create_index(op.f("ix_memory_unit_article_id"), "memory_unit", ["article_id"])
    bind = op.get_bind()
    memory.rebuild_all(bind)
    memory.ensure(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for source, target in memory.DIRECTIONS:
            table = f"translation_fts_memory_{source}_{target}"
            op.execute(f"DROP TABLE IF EXISTS {table}_vocab")
            op.execute(f"DROP TABLE IF EXISTS {table}")
    op.drop_index(op.f("ix_memory_unit_article_id"), table_name="memory_unit")
    op.drop_table("memory_unit")
