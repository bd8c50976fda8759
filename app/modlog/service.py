"""Recording state changes in the moderation log.

Services call ``record`` wherever a state change happens; the entry joins the
unit of work's journal and is chained and written when that unit of work
commits (``app.unit_of_work``), so a rolled-back change never leaves an entry
behind and a committed one never lacks its entry.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.unit_of_work import unit_of_work


def record(
    session: Session,
    *,
    tenant_id: int,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str | int,
    account_id: int | None = None,
    comment_id: int | None = None,
    payload: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    unit_of_work(session).journal.record(
        tenant_id=tenant_id,
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        account_id=account_id,
        comment_id=comment_id,
        payload=payload,
        at=at,
    )
