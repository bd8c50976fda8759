"""model versions: room for a tenant's retrained model and a municipality's own model

A tenant's model adds its name (up to 100 characters) to the version, and an own model
its name (up to 64) after ``+remote:``; 200 characters were not always enough, and on
PostgreSQL an assessment that did not fit was never stored.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (("assessments", False), ("decision_labels", True), ("classifier_models", False))


def _resize(old: int, new: int) -> None:
    for table, nullable in _COLUMNS:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column(
                "model_version",
                existing_type=sa.String(old),
                type_=sa.String(new),
                existing_nullable=nullable,
            )


def upgrade() -> None:
    _resize(200, 400)


def downgrade() -> None:
    _resize(400, 200)
