"""All SQL of the message outbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.models import (
    Account,
    AccountMember,
    Comment,
    CommentVersion,
    Destination,
    EvidenceSnapshot,
    OutboundMessage,
    QueueItem,
    Tenant,
)
from app.sql import insert_ignore


def enqueue(session: Session, row: dict[str, Any]) -> bool:
    return insert_ignore(session, OutboundMessage.__table__, [row], conflict=["idempotency_key"]) > 0


def claim_due(session: Session, *, now: datetime, limit: int) -> Sequence[OutboundMessage]:
    """Due messages, and ones whose sender's lease ran out (it died mid-send), locked for this transaction."""
    return session.scalars(
        select(OutboundMessage)
        .where(
            or_(
                and_(OutboundMessage.status == "pending", OutboundMessage.next_attempt_at <= now),
                and_(OutboundMessage.status == "sending", OutboundMessage.lease_until < now),
            )
        )
        .order_by(OutboundMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()


def by_id(session: Session, message_id: int) -> OutboundMessage | None:
    return session.get(OutboundMessage, message_id)


def destination(session: Session, destination_id: int | None) -> Destination | None:
    return None if destination_id is None else session.get(Destination, destination_id)


def evidence(session: Session, evidence_id: int | None) -> EvidenceSnapshot | None:
    return None if evidence_id is None else session.get(EvidenceSnapshot, evidence_id)


def tenant(session: Session, tenant_id: int) -> Tenant | None:
    return session.get(Tenant, tenant_id)


def account(session: Session, account_id: int) -> Account | None:
    return session.get(Account, account_id)


def current_text(session: Session, comment: Comment) -> str | None:
    if comment.current_version_id is None:
        return None
    version = session.get(CommentVersion, comment.current_version_id)
    return version.text if version is not None else None


def member_addresses(session: Session, account_id: int, role: str) -> list[str]:
    """The people on an account's list in ``role`` who can be reached by e-mail."""
    subjects = session.scalars(
        select(AccountMember.subject)
        .where(AccountMember.account_id == account_id, AccountMember.role == role)
        .order_by(AccountMember.id)
    ).all()
    return [s for s in subjects if "@" in s]


def open_overdue(session: Session, *, now: datetime, limit: int = 500) -> Sequence[QueueItem]:
    return session.scalars(
        select(QueueItem)
        .where(QueueItem.status == "open", QueueItem.due_at.is_not(None), QueueItem.due_at < now)
        .order_by(QueueItem.due_at)
        .limit(limit)
    ).all()


def accounts_with_tenants(session: Session) -> Sequence[tuple[Account, Tenant]]:
    rows = session.execute(
        select(Account, Tenant).join(Tenant, Tenant.id == Account.tenant_id).order_by(Account.id)
    ).all()
    return [(a, t) for a, t in rows]


def queue_counts(session: Session, *, account_id: int, now: datetime, since: datetime) -> dict[str, int]:
    open_ = QueueItem.status == "open"
    base = select(func.count()).select_from(QueueItem).where(QueueItem.account_id == account_id)
    return {
        "open": int(session.scalar(base.where(open_)) or 0),
        "overdue": int(session.scalar(base.where(open_, QueueItem.due_at < now)) or 0),
        "new": int(session.scalar(base.where(QueueItem.created_at >= since)) or 0),
    }


def status_counts(session: Session) -> Sequence[tuple[str, str, str, int]]:
    """Messages per tenant, destination (or ``people``) and status, for ``/metrics``."""
    rows = session.execute(
        select(
            Tenant.name,
            func.coalesce(OutboundMessage.destination_name, "people"),
            OutboundMessage.status,
            func.count(),
        )
        .join(Tenant, Tenant.id == OutboundMessage.tenant_id)
        .group_by(Tenant.name, OutboundMessage.destination_name, OutboundMessage.status)
    ).all()
    return [(str(t), str(d), str(s), int(n)) for t, d, s, n in rows]
