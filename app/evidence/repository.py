"""All SQL of evidence snapshots.  There is deliberately no update or delete."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
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
