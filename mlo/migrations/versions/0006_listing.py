"""Production: lists read from an index, counts kept per month, and a content version.

`translation.listed_at` says when readers may see a translation; `listing_month` holds the
counts of the listings; `site_state` holds the content version the page caches follow. Its row
and the month counts are made afterwards, in the newsroom's time zone (mlo.content.listing.ensure).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("translation") as batch:
        batch.add_column(sa.Column("listed_at", sa.DateTime(), nullable=True))
        batch.create_index("ix_translation_listing", ["lang", "listed_at", "article_id"])
        batch.create_index("ix_translation_listed_at", ["listed_at"])
    op.execute(
        "UPDATE translation SET listed_at = (SELECT article.published_at FROM article"
        " WHERE article.id = translation.article_id AND article.status = 'published'"
        " AND article.deleted_at IS NULL) WHERE state = 'published'"
    )
    op.create_table(
        "listing_month",
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("lang", "month", name=op.f("pk_listing_month")),
    )
    op.create_table(
        "site_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_state")),
    )


def downgrade() -> None:
    op.drop_table("site_state")
    op.drop_table("listing_month")
    with op.batch_alter_table("translation") as batch:
        batch.drop_index("ix_translation_listed_at")
        batch.drop_index("ix_translation_listing")
        batch.drop_column("listed_at")
