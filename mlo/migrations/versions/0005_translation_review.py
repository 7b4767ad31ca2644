"""The translators' desk: each translation's own state (in progress, review, published).

Every existing translation was published, at its current revision.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("translation") as batch:
        batch.add_column(
            sa.Column("state", sa.String(length=16), nullable=False, server_default="published")
        )
        batch.add_column(sa.Column("published_revision", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("review_comment", sa.Text(), nullable=False, server_default=""))
        batch.create_check_constraint("state", "state IN ('in_progress', 'review', 'published')")
    op.execute("UPDATE translation SET published_revision = revision")


def downgrade() -> None:
    with op.batch_alter_table("translation") as batch:
        batch.drop_constraint("ck_translation_state", type_="check")
        batch.drop_column("review_comment")
        batch.drop_column("published_revision")
        batch.drop_column("state")
