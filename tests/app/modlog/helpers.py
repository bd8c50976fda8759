"""Arranging moderation log entries for the tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.modlog.service import record


def append(session: Session, tenant_id: int, count: int, *, action: str = "test.note", **fields: Any) -> None:
    """Record ``count`` entries through the real service and commit them."""
    for i in range(count):
        record(
            session,
            tenant_id=tenant_id,
            actor=fields.get("actor", "test"),
            action=action,
            subject_type=fields.get("subject_type", "test"),
            subject_id=fields.get("subject_id", i),
            account_id=fields.get("account_id"),
            comment_id=fields.get("comment_id"),
            payload=fields.get("payload", {"i": i, "note": 'Ärende åäö, "citat"'}),
            at=fields.get("at"),
        )
    session.commit()
