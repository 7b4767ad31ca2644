"""Search: an index a language, of the listed translations only, that reads the newest first.

On SQLite the single FTS5 table (keyed by translation id) gives way to one contentless table a
language keyed by publication time, and a list of the indexed words with how many translations
hold each. On PostgreSQL the GIN index on the translation table gives way to a narrow table a
language (the listed translations' vectors, kept by a trigger) with its own GIN index without a
pending list, and a list of the indexed words. The former objects are dropped here;
mlo.search.index creates and fills the new ones at the end of the upgrade.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

LANGUAGES = ("en", "sr")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("translation_fts_ai", "translation_fts_ad", "translation_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS translation_fts_vocab")
        op.execute("DROP TABLE IF EXISTS translation_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_translation_search_vector")


def downgrade() -> None:
    # The former index is made again by the ensure of the code that wants it.
    if op.get_bind().dialect.name == "sqlite":
        for name in ("translation_fts_ai", "translation_fts_ad", "translation_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        for name in (*(f"translation_fts_{lang}" for lang in LANGUAGES), "translation_fts_words"):
            op.execute(f"DROP TABLE IF EXISTS {name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS translation_fts_vector_sync ON translation")
        op.execute("DROP FUNCTION IF EXISTS translation_fts_vector_sync()")
        for name in (
            *(f"translation_fts_vector_{lang}" for lang in LANGUAGES),
            "translation_fts_words",
        ):
            op.execute(f"DROP TABLE IF EXISTS {name}")
