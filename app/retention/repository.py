"""All SQL of culling.

A comment is *examined* when it is not culled yet and older than its
platform's cut-off.  Each examined comment falls in exactly one bucket, first
match wins: ``registered`` (a registration request exists, pending or done),
``flagged`` (a queue item, evidence, or an assessment that found a category),
``hold`` (a legal hold on the comment or its account), else ``cull``.  The
same expression counts a dry run and selects what a real run culls, which is
why their counts agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session

from app.models import (
    Account,
    Assessment,
    Comment,
    CommentEvent,
    CommentMedia,
    CommentVersion,
    EvidenceSnapshot,
    MediaBlob,
    QueueItem,
    Registration,
    Tenant,
    WebhookDelivery,
)

BUCKETS = ("registered", "flagged", "hold", "cull")


def tenants(session: Session, tenant_id: int | None) -> Sequence[Tenant]:
    stmt = select(Tenant).order_by(Tenant.id)
    if tenant_id is not None:
        stmt = stmt.where(Tenant.id == tenant_id)
    return session.scalars(stmt).all()


def tenant_by_name(session: Session, name: str) -> Tenant | None:
    return session.scalars(select(Tenant).where(Tenant.name == name)).one_or_none()


def _older_than_cutoff(cutoffs: Mapping[str, datetime], default_cutoff: datetime) -> ColumnElement[bool]:
    named = [
        and_(Comment.platform == platform, Comment.first_received_at < cutoff)
        for platform, cutoff in sorted(cutoffs.items())
    ]
    other = and_(Comment.platform.not_in(sorted(cutoffs)), Comment.first_received_at < default_cutoff)
    return or_(*named, other)


def _bucket() -> ColumnElement[str]:
    registered = exists(select(Registration.id).where(Registration.comment_id == Comment.id))
    flagged = or_(
        exists(select(QueueItem.id).where(QueueItem.comment_id == Comment.id)),
        exists(select(EvidenceSnapshot.id).where(EvidenceSnapshot.comment_id == Comment.id)),
        exists(
            select(Assessment.id).where(
                Assessment.comment_id == Comment.id, func.json_array_length(Assessment.categories) > 0
            )
        ),
    )
    held = or_(Comment.legal_hold.is_(True), Account.legal_hold.is_(True))
    return case((registered, "registered"), (flagged, "flagged"), (held, "hold"), else_="cull")


def _examined(
    tenant_id: int, cutoffs: Mapping[str, datetime], default_cutoff: datetime, *columns: Any
) -> Any:
    return (
        select(*columns)
        .select_from(Comment)
        .join(Account, Account.id == Comment.account_id)
        .where(
            Comment.tenant_id == tenant_id,
            Comment.culled_at.is_(None),
            _older_than_cutoff(cutoffs, default_cutoff),
        )
    )


def count_buckets(
    session: Session, tenant_id: int, cutoffs: Mapping[str, datetime], default_cutoff: datetime
) -> dict[tuple[str, str], int]:
    """``(platform, bucket) -> count`` over the examined comments."""
    inner = _examined(
        tenant_id, cutoffs, default_cutoff, Comment.platform.label("platform"), _bucket().label("bucket")
    ).subquery()
    rows = session.execute(
        select(inner.c.platform, inner.c.bucket, func.count()).group_by(inner.c.platform, inner.c.bucket)
    ).all()
    return {(str(r[0]), str(r[1])): int(r[2]) for r in rows}


def cullable_ids(
    session: Session,
    tenant_id: int,
    cutoffs: Mapping[str, datetime],
    default_cutoff: datetime,
    *,
    after_id: int,
    limit: int,
    among: Sequence[int] | None = None,
) -> list[int]:
    stmt = _examined(tenant_id, cutoffs, default_cutoff, Comment.id).where(
        _bucket() == "cull", Comment.id > after_id
    )
    if among is not None:
        stmt = stmt.where(Comment.id.in_(among))
    return [int(i) for i in session.scalars(stmt.order_by(Comment.id).limit(limit))]


def lock_comments(session: Session, ids: Sequence[int]) -> Sequence[Comment]:
    """Lock the candidates, in id order as the worker's single-row locks cannot cycle with it."""
    if not ids:
        return []
    return session.scalars(
        select(Comment)
        .where(Comment.id.in_(ids))
        .order_by(Comment.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()


def clear_version_texts(session: Session, comment_ids: Sequence[int]) -> int:
    if not comment_ids:
        return 0
    result = session.execute(
        update(CommentVersion)
        .where(CommentVersion.comment_id.in_(comment_ids))
        .values(text="", text_exact=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def deliveries_only_of_culled(session: Session, comment_ids: Sequence[int]) -> list[int]:
    """Deliveries that carried these comments and no comment that is still kept.

    A delivery may batch comments of several accounts and tenants; its raw body
    is only emptied when every comment it carried has been culled.
    """
    if not comment_ids:
        return []
    touched = {
        *session.scalars(
            select(CommentVersion.delivery_id).where(CommentVersion.comment_id.in_(comment_ids))
        ),
        *session.scalars(select(CommentEvent.delivery_id).where(CommentEvent.comment_id.in_(comment_ids))),
    } - {None}
    if not touched:
        return []
    kept = {
        *session.scalars(
            select(CommentVersion.delivery_id)
            .join(Comment, Comment.id == CommentVersion.comment_id)
            .where(CommentVersion.delivery_id.in_(touched), Comment.culled_at.is_(None))
        ),
        *session.scalars(
            select(CommentEvent.delivery_id)
            .join(Comment, Comment.id == CommentEvent.comment_id)
            .where(CommentEvent.delivery_id.in_(touched), Comment.culled_at.is_(None))
        ),
    }
    return sorted(d for d in touched - kept if d is not None)


def clear_delivery_bodies(session: Session, delivery_ids: Sequence[int], now: datetime) -> int:
    if not delivery_ids:
        return 0
    result = session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id.in_(delivery_ids), WebhookDelivery.status != "pending")
        .values(body=b"", headers={}, body_culled_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def remove_media(session: Session, comment_ids: Sequence[int]) -> int:
    """Culled comments' images: their links, and every image no other comment links to.
    Returns how many images were deleted."""
    if not comment_ids:
        return 0
    shas = set(
        session.scalars(select(CommentMedia.sha256).where(CommentMedia.comment_id.in_(comment_ids))).all()
    )
    if not shas:
        return 0
    session.execute(
        delete(CommentMedia)
        .where(CommentMedia.comment_id.in_(comment_ids))
        .execution_options(synchronize_session=False)
    )
    still_linked = exists().where(CommentMedia.sha256 == MediaBlob.sha256)
    result = session.execute(
        delete(MediaBlob)
        .where(MediaBlob.sha256.in_(shas), ~still_linked)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
