"""All SQL of reconciliation: run state per account, what we know of the listed
comments, and the daily API quota."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from app.models import Account, ApiQuotaUsage, Comment, CommentVersion, ReconcileState, Tenant
from app.sql import insert_ignore

#: Ids per ``IN (…)``: well below every database's parameter limit.
CHUNK = 500


@dataclass(frozen=True, slots=True)
class Known:
    """What we have stored of a comment, as far as a comparison needs it."""

    external_id: str
    post_id: str | None
    parent_id: str | None
    state: str
    created_at: datetime | None
    text_sha256: str | None


def state_for(session: Session, account_id: int) -> ReconcileState:
    """The account's run state, created on first use (lock-free: an idempotent insert)."""
    insert_ignore(
        session,
        ReconcileState.__table__,
        [{"account_id": account_id, "last_counts": {}}],
        conflict=["account_id"],
    )
    state = session.scalars(select(ReconcileState).where(ReconcileState.account_id == account_id)).one()
    return state


def claim_due(session: Session, account_id: int, *, now: datetime, started_before: datetime) -> bool:
    """Mark a scheduled run as started unless another worker started one since ``started_before``
    or the platform asked for a pause; True to the one caller that may run it."""
    insert_ignore(
        session,
        ReconcileState.__table__,
        [{"account_id": account_id, "last_counts": {}}],
        conflict=["account_id"],
    )
    result = session.execute(
        update(ReconcileState)
        .where(
            ReconcileState.account_id == account_id,
            or_(ReconcileState.last_started_at.is_(None), ReconcileState.last_started_at <= started_before),
            or_(ReconcileState.resume_after.is_(None), ReconcileState.resume_after <= now),
        )
        .values(last_started_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def pollable_accounts(session: Session, platforms: Sequence[str]) -> Sequence[Account]:
    return session.scalars(
        select(Account)
        .where(Account.platform.in_(platforms), Account.access_token_ciphertext.is_not(None))
        .order_by(Account.id)
    ).all()


def tenant_by_name(session: Session, name: str) -> Tenant | None:
    return session.scalars(select(Tenant).where(Tenant.name == name)).one_or_none()


def accounts_of_tenant(session: Session, tenant_id: int, platforms: Sequence[str]) -> Sequence[Account]:
    return session.scalars(
        select(Account)
        .where(Account.tenant_id == tenant_id, Account.platform.in_(platforms))
        .order_by(Account.id)
    ).all()


def known_comments(
    session: Session, account_id: int, *, post_ids: Iterable[str], external_ids: Iterable[str]
) -> dict[str, Known]:
    """Our comments on the listed posts, and any listed comment we have elsewhere."""
    found: dict[str, Known] = {}
    base = (
        select(
            Comment.external_id,
            Comment.post_external_id,
            Comment.parent_external_id,
            Comment.state,
            Comment.platform_created_at,
            Comment.first_received_at,
            CommentVersion.text_sha256,
        )
        .outerjoin(CommentVersion, CommentVersion.id == Comment.current_version_id)
        .where(Comment.account_id == account_id)
    )
    for column, values in (
        (Comment.post_external_id, list(post_ids)),
        (Comment.external_id, list(external_ids)),
    ):
        for start in range(0, len(values), CHUNK):
            for row in session.execute(base.where(column.in_(values[start : start + CHUNK]))).all():
                found[row[0]] = Known(
                    external_id=row[0],
                    post_id=row[1],
                    parent_id=row[2],
                    state=row[3],
                    created_at=row[4] or row[5],
                    text_sha256=row[6],
                )
    return found


def spend_quota(session: Session, *, platform: str, day: str, units: int, limit: int) -> bool:
    """Add ``units`` to the day's count if it stays within ``limit``; False (nothing spent) if not.

    One conditional ``UPDATE``: two processes spending at once cannot both pass the limit.
    """
    insert_ignore(
        session,
        ApiQuotaUsage.__table__,
        [{"platform": platform, "day": day, "units": 0}],
        conflict=["platform", "day"],
    )
    result = session.execute(
        update(ApiQuotaUsage)
        .where(
            ApiQuotaUsage.platform == platform,
            ApiQuotaUsage.day == day,
            ApiQuotaUsage.units + units <= limit,
        )
        .values(units=ApiQuotaUsage.units + units)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def quota_used(session: Session, *, platform: str, day: str) -> int:
    return int(
        session.scalar(
            select(ApiQuotaUsage.units).where(ApiQuotaUsage.platform == platform, ApiQuotaUsage.day == day)
        )
        or 0
    )
