"""All SQL of the registration queue."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import (
    Account,
    Comment,
    CommentVersion,
    Decision,
    EvidenceSnapshot,
    QueueItem,
    Registration,
    Tenant,
)


def in_tenant(session: Session, tenant_id: int, registration_id: int) -> Registration | None:
    return session.scalars(
        select(Registration).where(Registration.id == registration_id, Registration.tenant_id == tenant_id)
    ).one_or_none()


def page(
    session: Session,
    *,
    tenant_id: int,
    account_ids: frozenset[int] | None,
    status: str | None,
    after_id: int | None,
    limit: int,
) -> Sequence[Registration]:
    """Oldest first: the order requests were made, which is the order a registrar works in."""
    stmt = select(Registration).where(Registration.tenant_id == tenant_id)
    if account_ids is not None:
        visible = select(Comment.id).where(
            Comment.tenant_id == tenant_id, Comment.account_id.in_(account_ids)
        )
        stmt = stmt.where(Registration.comment_id.in_(visible))
    if status is not None:
        stmt = stmt.where(Registration.status == status)
    if after_id is not None:
        stmt = stmt.where(Registration.id > after_id)
    return session.scalars(stmt.order_by(Registration.id).limit(limit)).all()


def mark_registered(
    session: Session, registration_id: int, *, diarienummer: str, registered_by: str, registered_at: datetime
) -> bool:
    """Compare-and-set from ``pending``: False when someone registered it first."""
    result = session.execute(
        update(Registration)
        .where(Registration.id == registration_id, Registration.status == "pending")
        .values(
            status="registered",
            diarienummer=diarienummer,
            registered_by=registered_by,
            registered_at=registered_at,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def tenant(session: Session, tenant_id: int) -> Tenant | None:
    return session.get(Tenant, tenant_id)


def comments(session: Session, ids: Iterable[int]) -> dict[int, Comment]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {c.id: c for c in session.scalars(select(Comment).where(Comment.id.in_(wanted)))}


def accounts(session: Session, ids: Iterable[int]) -> dict[int, Account]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {a.id: a for a in session.scalars(select(Account).where(Account.id.in_(wanted)))}


def items(session: Session, ids: Iterable[int]) -> dict[int, QueueItem]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {i.id: i for i in session.scalars(select(QueueItem).where(QueueItem.id.in_(wanted)))}


def versions(session: Session, comment_ids: Iterable[int]) -> dict[int, list[CommentVersion]]:
    out: dict[int, list[CommentVersion]] = {}
    wanted = set(comment_ids)
    if wanted:
        rows = session.scalars(
            select(CommentVersion)
            .where(CommentVersion.comment_id.in_(wanted))
            .order_by(CommentVersion.comment_id, CommentVersion.seq)
        )
        for row in rows:
            out.setdefault(row.comment_id, []).append(row)
    return out


def evidence(session: Session, comment_ids: Iterable[int]) -> dict[int, list[EvidenceSnapshot]]:
    out: dict[int, list[EvidenceSnapshot]] = {}
    wanted = set(comment_ids)
    if wanted:
        rows = session.scalars(
            select(EvidenceSnapshot)
            .where(EvidenceSnapshot.comment_id.in_(wanted))
            .order_by(EvidenceSnapshot.comment_id, EvidenceSnapshot.id)
        )
        for row in rows:
            out.setdefault(row.comment_id, []).append(row)
    return out


def decisions(session: Session, item_ids: Iterable[int]) -> dict[int, list[Decision]]:
    out: dict[int, list[Decision]] = {}
    wanted = set(item_ids)
    if wanted:
        rows = session.scalars(
            select(Decision).where(Decision.item_id.in_(wanted)).order_by(Decision.item_id, Decision.id)
        )
        for row in rows:
            out.setdefault(row.item_id, []).append(row)
    return out
