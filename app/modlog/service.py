"""Recording state changes in the moderation log.

Services call ``record`` wherever a state change happens; the entries wait in
the session and are chained and written right before the transaction
commits (a ``before_commit`` hook).  That keeps the per-tenant head lock —
which serialises appends — held only for the last moment of a transaction,
and means a rolled-back change never leaves a log entry behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.models import ModerationLogEntry, utcnow
from app.modlog import repository
from app.modlog.chain import entry_hash

_PENDING = "uppsikt.modlog.pending"


@dataclass(frozen=True, slots=True)
class PendingEntry:
    tenant_id: int
    actor: str
    action: str
    subject_type: str
    subject_id: str
    at: datetime
    account_id: int | None = None
    comment_id: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)


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
    pending(session).append(
        PendingEntry(
            tenant_id=tenant_id,
            actor=actor,
            action=action,
            subject_type=subject_type,
            subject_id=str(subject_id),
            at=at or utcnow(),
            account_id=account_id,
            comment_id=comment_id,
            payload=payload or {},
        )
    )


def pending(session: Session) -> list[PendingEntry]:
    entries: list[PendingEntry] = session.info.setdefault(_PENDING, [])
    return entries


def discard_after(session: Session, mark: int) -> None:
    """Forget entries recorded after ``mark`` (their savepoint was rolled back)."""
    del pending(session)[mark:]


def write_pending(session: Session) -> int:
    entries = session.info.pop(_PENDING, [])
    if not entries:
        return 0
    # Lock heads in tenant order so two writers never wait on each other in a cycle.
    by_tenant: dict[int, list[PendingEntry]] = {}
    for item in entries:
        by_tenant.setdefault(item.tenant_id, []).append(item)
    for tenant_id in sorted(by_tenant):
        head = repository.lock_head(session, tenant_id)
        seq, prev = head.seq, head.hash
        for item in by_tenant[tenant_id]:
            seq += 1
            fields = {
                "tenant_id": tenant_id,
                "seq": seq,
                "at": item.at,
                "actor": item.actor,
                "action": item.action,
                "subject_type": item.subject_type,
                "subject_id": item.subject_id,
                "account_id": item.account_id,
                "comment_id": item.comment_id,
                "payload": item.payload,
                "prev_hash": prev,
            }
            digest = entry_hash(**fields)
            repository.add_entry(session, ModerationLogEntry(**fields, hash=digest))
            prev = digest
        head.seq, head.hash = seq, prev
    session.flush()
    return len(entries)


@event.listens_for(Session, "before_commit")
def _write_before_commit(session: Session) -> None:
    # SQLAlchemy fires this for savepoints too; writing there would take the tenant's
    # head lock at the first row of a worker's batch and hold it through the rest.
    if session.in_nested_transaction():
        return
    if session.info.get(_PENDING):
        write_pending(session)


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)
