"""comments: an index by post, for the item page's thread

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 08:05:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_comments_account_post", "comments", ["account_id", "post_external_id"])


def downgrade() -> None:
    op.drop_index("ix_comments_account_post", table_name="comments")
