"""The editors' desk: accounts, revisions of translations and settings, conflict counters.

Every existing translation and article gets its current state as revision 1 (by "import",
where all existing content came from).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

from mlo.text.words import folded_words

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("languages", sa.String(length=100), nullable=False),
        sa.Column("interface", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("session_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "role IN ('admin', 'editor', 'translator')", name=op.f("ck_user_account_role")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("username", name=op.f("uq_user_account_username")),
    )
    op.create_table(
        "revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("translation_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("minor", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["translation_id"],
            ["translation.id"],
            name=op.f("fk_revision_translation_id_translation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revision")),
        sa.UniqueConstraint(
            "translation_id", "number", name=op.f("uq_revision_translation_id_number")
        ),
    )
    op.create_table(
        "article_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("source_lang", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_article_revision_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article_revision")),
        sa.UniqueConstraint(
            "article_id", "number", name=op.f("uq_article_revision_article_id_number")
        ),
    )
    with op.batch_alter_table("article") as batch:
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("translation") as batch:
        batch.add_column(
            sa.Column("title_folded", sa.String(length=600), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("changed_revision", sa.Integer(), nullable=False, server_default="1")
        )
    bind = op.get_bind()
    for row in bind.execute(sa.text("SELECT id, title, revision FROM translation")).all():
        bind.execute(
            sa.text(
                "UPDATE translation SET title_folded = :t, changed_revision = :r WHERE id = :i"
            ),
            {"t": folded_words(row.title), "r": row.revision, "i": row.id},
        )
    op.execute(
        "INSERT INTO revision (translation_id, number, author, created_at, title, slug, summary,"
        " body, minor, note) SELECT id, revision, 'import', updated_at, title, slug, summary,"
        " body, false, '' FROM translation"
    )
    op.execute(
        "INSERT INTO article_revision (article_id, number, author, created_at, source_lang,"
        " status, published_at, deleted_at, note) SELECT id, 1, 'import', updated_at,"
        " source_lang, status, published_at, deleted_at, '' FROM article"
    )


def downgrade() -> None:
    with op.batch_alter_table("translation") as batch:
        batch.drop_column("changed_revision")
        batch.drop_column("title_folded")
    with op.batch_alter_table("article") as batch:
        batch.drop_column("revision")
    op.drop_table("article_revision")
    op.drop_table("revision")
    op.drop_table("user_account")
