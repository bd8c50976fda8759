"""All SQL of evidence snapshots.  There is deliberately no update or delete."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from app.models import (
    Account,
    Comment,
    CommentEvent,
    CommentVersion,
    EvidenceSnapshot,
    Tenant,
    WebhookDelivery,
)
from app.sql import insert_returning_ids


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
