"""All SQL of the archive extract.

Every query selects the comments of one account first received in a period
through the same subquery, so the extract needs one statement per table and
no parameter lists that grow with the number of comments.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.models import (
    Account,
    Assessment,
    Comment,
    CommentEvent,
    CommentVersion,
    Decision,
    EvidenceSnapshot,
    ModerationLogEntry,
    PlatformAction,
    QueueItem,
    Registration,
    Tenant,
)

T = TypeVar("T")


def accounts_matching(session: Session, reference: str, platform: str | None) -> Sequence[Account]:
    """Accounts whose external id is ``reference``, or whose own id it is."""
    condition = Account.external_id == reference
    # Ids are 32-bit on PostgreSQL; a longer number can only be an external id (a Page id, say).
    if reference.isascii() and reference.isdigit() and len(reference) <= 10 and int(reference) < 2**31:
        condition = condition | (Account.id == int(reference))
    stmt = select(Account).where(condition)
    if platform is not None:
        stmt = stmt.where(Account.platform == platform)
    return session.scalars(stmt.order_by(Account.id)).all()


def tenant(session: Session, tenant_id: int) -> Tenant | None:
    return session.get(Tenant, tenant_id)


def _period_ids(account_id: int, start: datetime, end: datetime) -> Select[Any]:
    return select(Comment.id).where(
        Comment.account_id == account_id, Comment.first_received_at >= start, Comment.first_received_at < end
    )


def comments(session: Session, account_id: int, start: datetime, end: datetime) -> Sequence[Comment]:
    return session.scalars(
        select(Comment)
        .where(Comment.id.in_(_period_ids(account_id, start, end)))
        .order_by(Comment.first_received_at, Comment.id)
    ).all()


def _of_period(
    session: Session,
    model: type[T],
    column: Any,
    order: Sequence[Any],
    period: tuple[int, datetime, datetime],
) -> Sequence[T]:
    return session.scalars(select(model).where(column.in_(_period_ids(*period))).order_by(*order)).all()


def related(session: Session, account_id: int, start: datetime, end: datetime) -> dict[str, Sequence[Any]]:
    """Everything recorded about the period's comments, each list in a stable order."""
    period = (account_id, start, end)
    items = _of_period(session, QueueItem, QueueItem.comment_id, [QueueItem.id], period)
    item_ids = [i.id for i in items]
    return {
        "versions": _of_period(
            session,
            CommentVersion,
            CommentVersion.comment_id,
            [CommentVersion.seq, CommentVersion.id],
            period,
        ),
        "events": _of_period(
            session,
            CommentEvent,
            CommentEvent.comment_id,
            [CommentEvent.occurred_at, CommentEvent.id],
            period,
        ),
        "assessments": _of_period(session, Assessment, Assessment.comment_id, [Assessment.id], period),
        "items": items,
        "decisions": session.scalars(
            select(Decision)
            .where(
                Decision.item_id.in_(
                    select(QueueItem.id).where(QueueItem.comment_id.in_(_period_ids(*period)))
                )
            )
            .order_by(Decision.id)
        ).all()
        if item_ids
        else [],
        "actions": _of_period(
            session, PlatformAction, PlatformAction.comment_id, [PlatformAction.id], period
        ),
        "registrations": _of_period(
            session, Registration, Registration.comment_id, [Registration.id], period
        ),
        "evidence": session.execute(
            select(
                EvidenceSnapshot.id,
                EvidenceSnapshot.comment_id,
                EvidenceSnapshot.comment_version_id,
                EvidenceSnapshot.assessment_id,
                EvidenceSnapshot.reason,
                EvidenceSnapshot.taken_at,
                EvidenceSnapshot.sha256,
            )
            .where(EvidenceSnapshot.comment_id.in_(_period_ids(*period)))
            .order_by(EvidenceSnapshot.id)
        ).all(),
        "log": _of_period(
            session, ModerationLogEntry, ModerationLogEntry.comment_id, [ModerationLogEntry.seq], period
        ),
    }
