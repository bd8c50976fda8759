"""All SQL of the inbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.db import insert_ignore
from app.models import WebhookDelivery


def store(session: Session, row: dict[str, Any]) -> bool:
    """Idempotent insert: a retried delivery with the same bytes is stored once."""
    return insert_ignore(session, WebhookDelivery.__table__, [row], conflict=["dedupe_key"]) > 0


def store_many(session: Session, rows: Sequence[dict[str, Any]]) -> set[str]:
    """Idempotent insert of a batch; returns the dedupe keys that were new.

    Rows go in sorted by key, so two processes inserting overlapping batches
    take the unique-index locks in the same order and cannot deadlock; a key
    twice in one batch is inserted once.
    """
    unique = sorted({row["dedupe_key"]: row for row in reversed(rows)}.items())
    if not unique:
        return set()
    table = WebhookDelivery.__table__
    insert: Any = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(table).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(table.c.dedupe_key)
    # One executemany: SQLAlchemy sends it as multi-row INSERTs ("insertmanyvalues").
    return set(session.scalars(stmt, [row for _, row in unique]).all())


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
