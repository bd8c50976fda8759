"""accounts: per-account API base, throttle pause, token health and platform alerts

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("api_base", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("actions_paused_until", app.models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("token_checked_at", app.models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("token_expires_at", app.models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("token_missing_scopes", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.add_column(sa.Column("token_problem", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("platform_alert", sa.String(length=40), nullable=True))
        batch_op.add_column(
            sa.Column("platform_alert_at", app.models.base.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        for column in (
            "platform_alert_at",
            "platform_alert",
            "token_problem",
            "token_missing_scopes",
            "token_expires_at",
            "token_checked_at",
            "actions_paused_until",
            "api_base",
        ):
            batch_op.drop_column(column)
