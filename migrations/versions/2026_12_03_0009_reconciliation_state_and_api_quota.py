"""reconcile: per-account reconciliation state, API quota usage, comment images as evidence

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 07:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reconcile_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("last_started_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_complete_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("resume_after", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_counts", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_reconcile_states_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reconcile_states")),
        sa.UniqueConstraint("account_id", name=op.f("uq_reconcile_states_account_id")),
    )
    op.create_table(
        "api_quota_usage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_quota_usage")),
        sa.UniqueConstraint("platform", "day", name=op.f("uq_api_quota_usage_platform_day")),
    )
    op.create_table(
        "media_blobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_blobs")),
        sa.UniqueConstraint("sha256", name=op.f("uq_media_blobs_sha256")),
    )
    op.create_table(
        "comment_media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("source_url", sa.Text(), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("fetched_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_comment_media_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment_media")),
        sa.UniqueConstraint("comment_id", "sha256", name=op.f("uq_comment_media_comment_id_sha256")),
    )
    op.create_index(op.f("ix_comment_media_comment_id"), "comment_media", ["comment_id"])
    op.create_index(op.f("ix_comment_media_sha256"), "comment_media", ["sha256"])


def downgrade() -> None:
    op.drop_index(op.f("ix_comment_media_sha256"), table_name="comment_media")
    op.drop_index(op.f("ix_comment_media_comment_id"), table_name="comment_media")
    op.drop_table("comment_media")
    op.drop_table("media_blobs")
    op.drop_table("api_quota_usage")
    op.drop_table("reconcile_states")
