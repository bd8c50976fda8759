"""learning: editors' labels, retrained classifier models, longer model versions

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "decision_labels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("model_version", sa.String(length=200), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_decision_labels_comment_id_comments"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_decision_labels_decision_id_decisions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["queue_items.id"],
            name=op.f("fk_decision_labels_item_id_queue_items"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_decision_labels_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_labels")),
    )
    op.create_index(op.f("ix_decision_labels_tenant_id"), "decision_labels", ["tenant_id"])
    op.create_table(
        "classifier_models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=120), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("model_version", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("artefact", sa.LargeBinary(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("activated_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_classifier_models_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classifier_models")),
        sa.UniqueConstraint("version", name=op.f("uq_classifier_models_version")),
    )
    op.create_index(op.f("ix_classifier_models_active"), "classifier_models", ["active"])
    op.create_index(op.f("ix_classifier_models_tenant_id"), "classifier_models", ["tenant_id"])
    # A retrained model's version names it ("…+model-<tenant>-<n>-<digest>+…").
    with op.batch_alter_table("assessments") as batch:
        batch.alter_column(
            "model_version",
            existing_type=sa.String(length=100),
            type_=sa.String(length=200),
            existing_nullable=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.alter_column(
            "model_version",
            existing_type=sa.String(length=200),
            type_=sa.String(length=100),
            existing_nullable=False,
        )
    op.drop_index(op.f("ix_classifier_models_tenant_id"), table_name="classifier_models")
    op.drop_index(op.f("ix_classifier_models_active"), table_name="classifier_models")
    op.drop_table("classifier_models")
    op.drop_index(op.f("ix_decision_labels_tenant_id"), table_name="decision_labels")
    op.drop_table("decision_labels")
