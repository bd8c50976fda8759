"""All SQL of the inbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import insert_ignore
from app.models import WebhookDelivery


def store(session: Session, row: dict[str, Any]) -> bool:
    """Idempotent insert: a retried delivery with the same bytes is stored once."""
    return insert_ignore(session, WebhookDelivery.__table__, [row], conflict=["dedupe_key"]) > 0


def id_by_dedupe_key(session: Session, dedupe_key: str) -> int | None:
    return session.scalar(select(WebhookDelivery.id).where(WebhookDelivery.dedupe_key == dedupe_key))


def claim_due(session: Session, *, now: datetime, limit: int) -> Sequence[WebhookDelivery]:
    """Due rows, locked for this transaction; other workers skip them (PostgreSQL).

    A worker that dies mid-batch releases its locks with its connection, so
    the rows are simply due again: no lease or heartbeat is needed.
    """
    return session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()


def backlog(session: Session) -> int:
    return int(
        session.scalar(
            select(func.count()).select_from(WebhookDelivery).where(WebhookDelivery.status == "pending")
        )
        or 0
    )


def failed(session: Session, limit: int = 100) -> Sequence[WebhookDelivery]:
    return session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.status == "failed")
        .order_by(WebhookDelivery.id)
        .limit(limit)
    ).all()


def by_id(session: Session, delivery_id: int) -> WebhookDelivery | None:
    return session.get(WebhookDelivery, delivery_id)
