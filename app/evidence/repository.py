"""All SQL of evidence snapshots and the images kept with them.  There is deliberately no
update or delete of a snapshot (culling removes images: ``app.retention.repository``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from app.models import (
    Account,
    Comment,
    CommentEvent,
    CommentMedia,
    CommentVersion,
    EvidenceSnapshot,
    MediaBlob,
    Tenant,
    WebhookDelivery,
)
from app.sql import insert_ignore, insert_returning_ids


def add(session: Session, snapshot: EvidenceSnapshot) -> None:
    session.add(snapshot)
    session.flush()


def in_tenant(session: Session, tenant_id: int, evidence_id: int) -> EvidenceSnapshot | None:
    return session.scalars(
        select(EvidenceSnapshot).where(
            EvidenceSnapshot.id == evidence_id, EvidenceSnapshot.tenant_id == tenant_id
        )
    ).one_or_none()


def for_comment(session: Session, comment_id: int) -> Sequence[EvidenceSnapshot]:
    return session.scalars(
        select(EvidenceSnapshot)
        .where(EvidenceSnapshot.comment_id == comment_id)
        .order_by(EvidenceSnapshot.id)
    ).all()


def latest_for_version(session: Session, comment_id: int, version_id: int | None) -> EvidenceSnapshot | None:
    return session.scalars(
        select(EvidenceSnapshot)
        .where(EvidenceSnapshot.comment_id == comment_id, EvidenceSnapshot.comment_version_id == version_id)
        .order_by(EvidenceSnapshot.id.desc())
        .limit(1)
    ).first()


def context(session: Session, comment: Comment) -> tuple[Tenant, Account]:
    tenant = session.get(Tenant, comment.tenant_id)
    account = session.get(Account, comment.account_id)
    assert tenant is not None and account is not None
    return tenant, account


def versions(session: Session, comment_id: int) -> Sequence[CommentVersion]:
    return session.scalars(
        select(CommentVersion).where(CommentVersion.comment_id == comment_id).order_by(CommentVersion.seq)
    ).all()


def events(session: Session, comment_id: int) -> Sequence[CommentEvent]:
    return session.scalars(
        select(CommentEvent)
        .where(CommentEvent.comment_id == comment_id)
        .order_by(CommentEvent.occurred_at, CommentEvent.id)
    ).all()


def versions_of_comments(session: Session, comment_ids: Sequence[int]) -> Sequence[CommentVersion]:
    if not comment_ids:
        return []
    return session.scalars(
        select(CommentVersion)
        .where(CommentVersion.comment_id.in_(comment_ids))
        .order_by(CommentVersion.comment_id, CommentVersion.seq)
    ).all()


def events_of_comments(session: Session, comment_ids: Sequence[int]) -> Sequence[CommentEvent]:
    if not comment_ids:
        return []
    return session.scalars(
        select(CommentEvent)
        .where(CommentEvent.comment_id.in_(comment_ids))
        .order_by(CommentEvent.comment_id, CommentEvent.occurred_at, CommentEvent.id)
    ).all()


def parents_of(session: Session, comments: Sequence[Comment]) -> dict[tuple[int, str], Comment]:
    """The comments that ``comments`` reply to, by ``(account_id, external_id)``."""
    keys = {(c.account_id, c.parent_external_id) for c in comments if c.parent_external_id}
    if not keys:
        return {}
    found = session.scalars(
        select(Comment).where(tuple_(Comment.account_id, Comment.external_id).in_(keys))
    ).all()
    return {(c.account_id, c.external_id): c for c in found}


def versions_by_id(session: Session, version_ids: set[int]) -> dict[int, CommentVersion]:
    if not version_ids:
        return {}
    found = session.scalars(select(CommentVersion).where(CommentVersion.id.in_(version_ids))).all()
    return {v.id: v for v in found}


def insert_all(session: Session, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Snapshots in one statement; their ids in order (nothing ever updates a snapshot)."""
    return insert_returning_ids(session, EvidenceSnapshot, rows)


def deliveries(session: Session, delivery_ids: set[int]) -> Sequence[WebhookDelivery]:
    if not delivery_ids:
        return []
    return session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.id.in_(delivery_ids)).order_by(WebhookDelivery.id)
    ).all()


def parent_comment(session: Session, comment: Comment) -> Comment | None:
    if not comment.parent_external_id:
        return None
    return session.scalars(
        select(Comment).where(
            Comment.account_id == comment.account_id, Comment.external_id == comment.parent_external_id
        )
    ).one_or_none()


def version_by_id(session: Session, version_id: int | None) -> CommentVersion | None:
    return session.get(CommentVersion, version_id) if version_id is not None else None


# -- images kept as evidence (app.evidence.media) -------------------------------------------


def store_media(session: Session, comment_id: int, fetched: Sequence[Any], now: Any) -> None:
    """Bytes once per SHA-256, and the comment's link to them (both idempotent inserts)."""
    blobs = {
        f.sha256: {
            "sha256": f.sha256,
            "content_type": f.content_type or "application/octet-stream",
            "size": len(f.data),
            "data": f.data,
            "created_at": now,
        }
        for f in fetched
        if f.data is not None
    }
    for row in blobs.values():
        insert_ignore(session, MediaBlob.__table__, [row], conflict=["sha256"])
    for f in fetched:
        if f.data is None:
            continue
        insert_ignore(
            session,
            CommentMedia.__table__,
            [
                {
                    "comment_id": comment_id,
                    "sha256": f.sha256,
                    "source_url": f.url,
                    "content_type": f.content_type or "application/octet-stream",
                    "size": len(f.data),
                    "fetched_at": now,
                }
            ],
            conflict=["comment_id", "sha256"],
        )


def media_of_comments(session: Session, comment_ids: Sequence[int]) -> Sequence[CommentMedia]:
    if not comment_ids:
        return []
    return session.scalars(
        select(CommentMedia).where(CommentMedia.comment_id.in_(comment_ids)).order_by(CommentMedia.id)
    ).all()


def media_blobs(session: Session, shas: Sequence[str]) -> dict[str, MediaBlob]:
    if not shas:
        return {}
    return {b.sha256: b for b in session.scalars(select(MediaBlob).where(MediaBlob.sha256.in_(list(shas))))}
