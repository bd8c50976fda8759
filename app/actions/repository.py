"""All SQL of the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session, aliased

from app.models import Account, Comment, EvidenceSnapshot, OutboundMessage, PlatformAction
from app.sql import insert_ignore


def enqueue(session: Session, row: dict[str, Any]) -> bool:
    return insert_ignore(session, PlatformAction.__table__, [row], conflict=["idempotency_key"]) > 0


def claim_due(session: Session, *, now: datetime, limit: int) -> Sequence[PlatformAction]:
    """Due actions whose earlier siblings (same decision) are finished, locked for this transaction.

    Replies are sent before a removal of the same decision; a removal waits for
    a registrar message that holds it; an action whose lease ran out (its
    worker died) is due again; nothing of an account that a throttle paused is
    due before the platform's resume time.
    """
    earlier = aliased(PlatformAction)
    unfinished_earlier = exists().where(
        earlier.comment_id == PlatformAction.comment_id,
        earlier.decision_id == PlatformAction.decision_id,
        earlier.id < PlatformAction.id,
        earlier.status.in_(("pending", "running")),
    )
    paused = exists().where(
        Account.id == PlatformAction.account_id,
        Account.actions_paused_until.is_not(None),
        Account.actions_paused_until > now,
    )
    # Evidence to the registrar before deletion (Helsingborg): a delete waits while a message
    # that holds it is unsent; one that failed keeps holding it, visibly, until someone acts.
    held_delete = and_(
        PlatformAction.kind == "delete",
        exists().where(
            OutboundMessage.comment_id == PlatformAction.comment_id,
            OutboundMessage.holds_delete.is_(True),
            OutboundMessage.status != "sent",
        ),
    )
    return session.scalars(
        select(PlatformAction)
        .where(
            or_(
                and_(PlatformAction.status == "pending", PlatformAction.next_attempt_at <= now),
                and_(PlatformAction.status == "running", PlatformAction.lease_until < now),
            ),
            ~unfinished_earlier,
            ~paused,
            ~held_delete,
        )
        .order_by(PlatformAction.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()


def by_id(session: Session, action_id: int) -> PlatformAction | None:
    return session.get(PlatformAction, action_id)


def target(session: Session, action: PlatformAction) -> tuple[Account, Comment]:
    account = session.get(Account, action.account_id)
    comment = session.get(Comment, action.comment_id)
    assert account is not None and comment is not None
    return account, comment


def evidence_exists(session: Session, evidence_id: int | None, comment_id: int) -> bool:
    if evidence_id is None:
        return False
    return (
        session.scalar(
            select(EvidenceSnapshot.id).where(
                EvidenceSnapshot.id == evidence_id, EvidenceSnapshot.comment_id == comment_id
            )
        )
        is not None
    )


def our_delete_exists(session: Session, comment_id: int) -> bool:
    return (
        session.scalar(
            select(PlatformAction.id)
            .where(
                PlatformAction.comment_id == comment_id,
                PlatformAction.kind == "delete",
                PlatformAction.status.in_(("pending", "running", "done")),
            )
            .limit(1)
        )
        is not None
    )


def latest_visibility_action(session: Session, comment_id: int) -> PlatformAction | None:
    """The newest hide or unhide that is not failed: what our side last asked for."""
    return session.scalars(
        select(PlatformAction)
        .where(
            PlatformAction.comment_id == comment_id,
            PlatformAction.kind.in_(("hide", "unhide")),
            PlatformAction.status.in_(("pending", "running", "done")),
        )
        .order_by(PlatformAction.id.desc())
        .limit(1)
    ).first()


def replies_by_result(
    session: Session, keys: Sequence[tuple[int, str]]
) -> dict[tuple[int, str], PlatformAction]:
    """Our finished replies whose platform id is one of ``(account_id, comment external id)``."""
    if not keys:
        return {}
    ids = sorted({external_id for _, external_id in keys})
    accounts = sorted({account_id for account_id, _ in keys})
    found = session.scalars(
        select(PlatformAction).where(
            PlatformAction.kind == "reply",
            PlatformAction.account_id.in_(accounts),
            PlatformAction.result_id.in_(ids),
        )
    ).all()
    return {(a.account_id, a.result_id): a for a in found if a.result_id is not None}
