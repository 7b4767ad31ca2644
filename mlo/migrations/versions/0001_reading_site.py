"""The reading site: articles, translations, old slugs and the search index.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SQLITE_SEARCH = (
    "CREATE VIRTUAL TABLE translation_fts USING fts5("
    "search_text, content='translation', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER translation_fts_ai AFTER INSERT ON translation BEGIN "
    "INSERT INTO translation_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER translation_fts_ad AFTER DELETE ON translation BEGIN "
    "INSERT INTO translation_fts(translation_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER translation_fts_au AFTER UPDATE OF search_text ON translation BEGIN "
    "INSERT INTO translation_fts(translation_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO translation_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
)
POSTGRES_SEARCH = (
    "ALTER TABLE translation ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector(CASE lang WHEN 'sr' THEN 'serbian'::regconfig ELSE 'english'::regconfig END,"
    " search_text)) STORED",
    "CREATE INDEX ix_translation_search_vector ON translation USING gin (search_vector)",
)


def upgrade() -> None:
    op.create_table(
        "article",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("source_lang", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("status IN ('published', 'draft')", name=op.f("ck_article_status")),
        sa.CheckConstraint("source_lang IN ('en', 'sr')", name=op.f("ck_article_source_lang")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article")),
        sa.UniqueConstraint("key", name=op.f("uq_article_key")),
    )
    op.create_index("ix_article_status_published_at", "article", ["status", "published_at"])
    op.create_table(
        "translation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("source_revision", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("lang IN ('en', 'sr')", name=op.f("ck_translation_lang")),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_translation_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_translation")),
        sa.UniqueConstraint("article_id", "lang", name=op.f("uq_translation_article_id_lang")),
        sa.UniqueConstraint("lang", "slug", name=op.f("uq_translation_lang_slug")),
    )
    op.create_table(
        "old_slug",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("translation_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["translation_id"],
            ["translation.id"],
            name=op.f("fk_old_slug_translation_id_translation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_old_slug")),
        sa.UniqueConstraint("lang", "slug", name=op.f("uq_old_slug_lang_slug")),
    )
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_SEARCH, "postgresql": POSTGRES_SEARCH}.get(dialect, ()):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS translation_fts")
    op.drop_table("old_slug")
    op.drop_table("translation")
    op.drop_index("ix_article_status_published_at", table_name="article")
    op.drop_table("article")
