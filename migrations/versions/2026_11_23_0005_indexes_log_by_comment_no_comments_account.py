"""indexes: moderation_log by comment; comments without the redundant account index

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 14:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# A plain CREATE INDEX, not a batch operation, which on SQLite may copy the whole log table.
def upgrade() -> None:
    op.create_index("ix_moderation_log_tenant_comment", "moderation_log", ["tenant_id", "comment_id"])
    # (account_id, external_id) is unique and indexed: an index on account_id alone only
    # gave the planner a way to read every comment of an account for one lookup.
    op.drop_index("ix_comments_account_id", table_name="comments")


def downgrade() -> None:
    op.create_index("ix_comments_account_id", "comments", ["account_id"])
    op.drop_index("ix_moderation_log_tenant_comment", table_name="moderation_log")
