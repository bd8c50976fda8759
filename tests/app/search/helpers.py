"""Arranging comments through the real event path, at chosen times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.comments.service import apply_event
from app.evidence.service import take_snapshot
from app.models import Account, Assessment, Comment, QueueItem, Registration
from app.modlog.service import record
from app.platforms import CommentEvent, event_key

#: A fixed "now" for arranging and culling; far from the real clock on purpose.
BASE = datetime(2031, 3, 1, 12, 0, tzinfo=UTC)


def add_comment(
    session: Session,
    *,
    account: Account,
    external_id: str,
    texts: tuple[str, ...] = ("Hej kommunen!",),
    author_id: str | None = "5550001",
    author_name: str | None = "Testa Testsson",
    received_at: datetime = BASE,
    then: str | None = None,
    metadata: dict[str, Any] | None = None,
    media: tuple[str, ...] = (),
) -> Comment:
    """A comment whose versions are ``texts`` in order, optionally ``then`` hidden or removed,
    first received at ``received_at``."""
    comment = None
    for i, text in enumerate(texts):
        occurred = received_at + timedelta(minutes=i)
        applied = apply_event(
            session,
            account=account,
            event=CommentEvent(
                platform=account.platform,
                account_external_id=account.external_id,
                comment_external_id=external_id,
                kind="added" if i == 0 else "edited",
                occurred_at=occurred,
                event_key=event_key("test", account.id, external_id, i),
                text=text,
                author_external_id=author_id,
                author_name=author_name,
                platform_created_at=received_at if i == 0 else None,
                media_urls=media,
                metadata=metadata or {},
            ),
            delivery_id=None,
            actor="test",
        )
        assert applied is not None
        comment = applied.comment
    assert comment is not None
    if then is not None:
        applied = apply_event(
            session,
            account=account,
            event=CommentEvent(
                platform=account.platform,
                account_external_id=account.external_id,
                comment_external_id=external_id,
                kind=then,
                occurred_at=received_at + timedelta(hours=1),
                event_key=event_key("test", account.id, external_id, then),
            ),
            delivery_id=None,
            actor="test",
        )
        assert applied is not None
    comment.first_received_at = received_at
    session.commit()
    return comment


def flag(session: Session, comment: Comment, *, categories: tuple[str, ...] = ("harassment",)) -> QueueItem:
    """What the worker leaves for a flagged comment: an assessment, evidence and a queue item."""
    assert comment.current_version_id is not None
    assessment = Assessment(
        tenant_id=comment.tenant_id,
        comment_id=comment.id,
        comment_version_id=comment.current_version_id,
        model_version="test",
        categories=list(categories),
        findings=[],
    )
    session.add(assessment)
    session.flush()
    note(session, comment, "comment.assessed", "comment", comment.id, {"assessment_id": assessment.id})
    snapshot = take_snapshot(session, comment=comment, reason="assessed", assessment=assessment, actor="test")
    item = QueueItem(
        tenant_id=comment.tenant_id,
        account_id=comment.account_id,
        comment_id=comment.id,
        categories=list(categories),
        assessment_id=assessment.id,
        evidence_id=snapshot.id,
    )
    session.add(item)
    session.flush()
    note(session, comment, "queue.item_created", "queue_item", item.id, {"evidence_id": snapshot.id})
    session.commit()
    return item


def note(
    session: Session, comment: Comment, action: str, subject_type: str, subject_id: int, payload: dict
) -> None:
    """The log entry the worker or the registrar would have left for what a helper arranges."""
    record(
        session,
        tenant_id=comment.tenant_id,
        actor="test",
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        account_id=comment.account_id,
        comment_id=comment.id,
        payload=payload,
    )


def register(session: Session, item: QueueItem, *, diarienummer: str | None = "KS 2031/17") -> Registration:
    registration = Registration(
        tenant_id=item.tenant_id,
        item_id=item.id,
        comment_id=item.comment_id,
        evidence_id=item.evidence_id,
        status="registered" if diarienummer else "pending",
        subject_line="Inkommen kommentar",
        diarienummer=diarienummer,
        registered_by="registrator@kommun.example" if diarienummer else None,
        registered_at=BASE if diarienummer else None,
    )
    session.add(registration)
    session.flush()
    comment = session.get(Comment, item.comment_id)
    assert comment is not None
    note(
        session,
        comment,
        "registration.requested",
        "queue_item",
        item.id,
        {"registration_id": registration.id},
    )
    if diarienummer:
        note(session, comment, "registration.registered", "registration", registration.id, {})
    session.commit()
    return registration
