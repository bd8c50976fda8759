"""All SQL for comments, their versions and events."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from app.models import Assessment, Comment, CommentEvent, CommentVersion, utcnow
from app.sql import insert_ignore, inserted


def lock_or_create_comment(
    session: Session,
    *,
    tenant_id: int,
    account_id: int,
    platform: str,
    external_id: str,
    received_at: datetime,
    metadata: Mapping[str, object],
) -> tuple[Comment, bool]:
    """Insert the comment if it is new (with ``metadata``), then lock it for this transaction.

    The idempotent insert lets two workers meet the same new comment at once;
    the row lock then orders their changes to it.
    """
    created = insert_ignore(
        session,
        Comment.__table__,
        [
            {
                "tenant_id": tenant_id,
                "account_id": account_id,
                "platform": platform,
                "external_id": external_id,
                "state": "visible",
                "state_rank": -1,
                "first_received_at": received_at,
                "updated_at": received_at,
                "media_urls": [],
                "platform_metadata": {},
                **metadata,
            }
        ],
        conflict=["account_id", "external_id"],
    )
    comment = session.scalars(
        select(Comment)
        .where(Comment.account_id == account_id, Comment.external_id == external_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    return comment, created > 0


def lock_or_create_comments(
    session: Session, rows: Sequence[dict[str, object]]
) -> tuple[dict[tuple[int, str], Comment], set[tuple[int, str]]]:
    """A batch's comments: the new ones inserted whole, then all of them locked for
    this transaction.  Returns them by ``(account_id, external_id)`` and the keys
    that were created.

    Rows go in, and locks are taken, in key order, so that two workers meeting
    the same comments never wait on each other in a cycle.
    """
    ordered = sorted(rows, key=lambda r: (r["account_id"], r["external_id"]))
    created = {
        (int(account_id), str(external_id))
        for account_id, external_id in inserted(
            session,
            Comment.__table__,
            ordered,
            conflict=["account_id", "external_id"],
            returning=["account_id", "external_id"],
        )
    }
    keys = [(r["account_id"], r["external_id"]) for r in ordered]
    comments = session.scalars(
        select(Comment)
        .where(tuple_(Comment.account_id, Comment.external_id).in_(keys))
        .order_by(Comment.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    return {(c.account_id, c.external_id): c for c in comments}, created


def insert_events(session: Session, rows: Sequence[dict[str, object]]) -> set[str]:
    """Store a batch's events; returns the keys of those not stored before."""
    ordered = sorted(rows, key=lambda r: str(r["event_key"]))
    return {
        str(key)
        for (key,) in inserted(
            session, CommentEvent.__table__, ordered, conflict=["event_key"], returning=["event_key"]
        )
    }


def insert_event(
    session: Session,
    *,
    comment_id: int,
    event_key: str,
    kind: str,
    occurred_at: datetime,
    delivery_id: int | None,
) -> bool:
    return (
        insert_ignore(
            session,
            CommentEvent.__table__,
            [
                {
                    "comment_id": comment_id,
                    "event_key": event_key,
                    "kind": kind,
                    "occurred_at": occurred_at,
                    "received_at": utcnow(),
                    "delivery_id": delivery_id,
                }
            ],
            conflict=["event_key"],
        )
        > 0
    )


def version_by_hash(session: Session, comment_id: int, digest: str) -> CommentVersion | None:
    return session.scalars(
        select(CommentVersion).where(
            CommentVersion.comment_id == comment_id, CommentVersion.text_sha256 == digest
        )
    ).one_or_none()


def next_version_seq(session: Session, comment_id: int) -> int:
    current = session.scalar(
        select(func.max(CommentVersion.seq)).where(CommentVersion.comment_id == comment_id)
    )
    return int(current or 0) + 1


def renumber_versions(session: Session, comment_id: int) -> None:
    """Number versions in the order they happened, not the order they arrived,
    so that every arrival order of the same events gives the same numbering."""
    versions = session.scalars(
        select(CommentVersion)
        .where(CommentVersion.comment_id == comment_id)
        .order_by(CommentVersion.occurred_at, CommentVersion.text_sha256)
    ).all()
    for seq, version in enumerate(versions, start=1):
        if version.seq != seq:
            version.seq = seq


def version_count(session: Session, comment_id: int) -> int:
    return int(
        session.scalar(
            select(func.count()).select_from(CommentVersion).where(CommentVersion.comment_id == comment_id)
        )
        or 0
    )


def add(session: Session, obj: object) -> None:
    session.add(obj)
    session.flush()


def comment_in_tenant(session: Session, tenant_id: int, comment_id: int) -> Comment | None:
    return session.scalars(
        select(Comment).where(Comment.id == comment_id, Comment.tenant_id == tenant_id)
    ).one_or_none()


def thread_of(session: Session, comment: Comment, *, limit: int) -> Sequence[tuple[Comment, str | None]]:
    """The comments we hold under the same post (``comment`` among them), oldest first, each
    with its current text (none once culled) — the thread as far as it reached us."""
    if comment.post_external_id is None:
        return [(comment, None)]
    current = CommentVersion
    rows = session.execute(
        select(Comment, current.text)
        .outerjoin(current, (current.id == Comment.current_version_id) & Comment.culled_at.is_(None))
        .where(Comment.account_id == comment.account_id, Comment.post_external_id == comment.post_external_id)
        .order_by(func.coalesce(Comment.platform_created_at, Comment.first_received_at), Comment.id)
        .limit(limit)
    ).all()
    return [(row[0], row[1]) for row in rows]


def versions_of(session: Session, comment_ids: Sequence[int]) -> Sequence[CommentVersion]:
    if not comment_ids:
        return []
    return session.scalars(
        select(CommentVersion).where(CommentVersion.comment_id.in_(comment_ids)).order_by(CommentVersion.seq)
    ).all()


def events_of(session: Session, comment_id: int) -> Sequence[CommentEvent]:
    return session.scalars(
        select(CommentEvent)
        .where(CommentEvent.comment_id == comment_id)
        .order_by(CommentEvent.occurred_at, CommentEvent.id)
    ).all()


def assessments_of(session: Session, comment_id: int) -> Sequence[Assessment]:
    return session.scalars(
        select(Assessment).where(Assessment.comment_id == comment_id).order_by(Assessment.id)
    ).all()


def list_comments(
    session: Session,
    *,
    tenant_id: int,
    account_ids: frozenset[int] | None,
    account_id: int | None,
    author: str | None,
    since: datetime | None,
    until: datetime | None,
    state: str | None,
    before_id: int | None,
    limit: int,
) -> Sequence[Comment]:
    stmt = select(Comment).where(Comment.tenant_id == tenant_id)
    if account_ids is not None:
        stmt = stmt.where(Comment.account_id.in_(account_ids))
    if account_id is not None:
        stmt = stmt.where(Comment.account_id == account_id)
    if author is not None:
        stmt = stmt.where((Comment.author_external_id == author) | (Comment.author_name == author))
    if since is not None:
        stmt = stmt.where(Comment.first_received_at >= since)
    if until is not None:
        stmt = stmt.where(Comment.first_received_at < until)
    if state is not None:
        stmt = stmt.where(Comment.state == state)
    if before_id is not None:
        stmt = stmt.where(Comment.id < before_id)
    return session.scalars(stmt.order_by(Comment.id.desc()).limit(limit)).all()
