"""model versions: room for a tenant's retrained model and a municipality's own model

A tenant's model adds its name (up to 100 characters) to the version, and an own model
its name (up to 64) after ``+remote:``; 200 characters were not always enough, and on
PostgreSQL an assessment that did not fit was never stored.  The moderation log names a
retrained model by ``<tenant>-<n>`` in ``subject_id``, which held 100.

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

#: (table, column, nullable, width before, width after)
_COLUMNS = (
    ("assessments", "model_version", False, 200, 400),
    ("decision_labels", "model_version", True, 200, 400),
    ("classifier_models", "model_version", False, 200, 400),
    ("moderation_log", "subject_id", False, 100, 200),
)


def _resize(*, up: bool) -> None:
    for table, column, nullable, before, after in _COLUMNS:
        old, new = (before, after) if up else (after, before)
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column(
                column, existing_type=sa.String(old), type_=sa.String(new), existing_nullable=nullable
            )


def upgrade() -> None:
    _resize(up=True)


def downgrade() -> None:
    _resize(up=False)
