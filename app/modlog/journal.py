"""The entries a unit of work owes the moderation log, and their writing.

A ``Journal`` belongs to one unit of work (``app.unit_of_work.UnitOfWork``):
services record entries as they change state, the journal keeps them in
memory, and the unit of work writes them, chained, in the same transaction
right before it commits.  Keeping them until the last moment means the
per-tenant head lock — which serialises appends — is held only briefly, and a
change that is rolled back (a whole transaction or one savepoint) takes
exactly its own entries with it: the log is complete and never claims what
did not happen (design invariant 5).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.models import ModerationLogEntry, utcnow
from app.modlog import repository
from app.modlog.chain import entry_hash


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


class Journal:
    """Log entries recorded in a unit of work and not yet written."""

    __slots__ = ("entries",)

    def __init__(self) -> None:
        self.entries: list[PendingEntry] = []

    def record(
        self,
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
        self.entries.append(
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

    def mark(self) -> int:
        """A point to go back to if what follows is rolled back."""
        return len(self.entries)

    def discard_after(self, mark: int) -> None:
        del self.entries[mark:]

    def clear(self) -> None:
        self.entries.clear()

    def write(self, session: Session) -> int:
        """Chain and insert every pending entry in the session's transaction.

        Heads are locked in tenant order so that two writers never wait on each
        other in a cycle; all of a tenant's entries go in one statement.
        """
        if not self.entries:
            return 0
        by_tenant: dict[int, list[PendingEntry]] = {}
        for item in self.entries:
            by_tenant.setdefault(item.tenant_id, []).append(item)
        rows: list[dict[str, Any]] = []
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
                prev = entry_hash(**fields)
                rows.append({**fields, "hash": prev})
            head.seq, head.hash = seq, prev
        session.execute(insert(ModerationLogEntry), rows)
        session.flush()
        written = len(self.entries)
        self.entries.clear()
        return written
