"""Shaping queue items for the API (reads only)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.models import Assessment, Comment, CommentVersion, QueueItem, utcnow
from app.queue import repository
from app.queue.schemas import ActionRead, DecisionRead, QueueItemDetail, QueueItemRead
from app.queue.service import evidence_ids


def item_read(item: QueueItem, comment: Comment) -> QueueItemRead:
    now = utcnow()
    return QueueItemRead(
        id=item.id,
        account_id=item.account_id,
        comment_id=item.comment_id,
        status=item.status,
        priority=item.priority,
        due_at=item.due_at,
        overdue=bool(item.status == "open" and item.due_at is not None and item.due_at < now),
        categories=item.categories,
        recommended_actions=list(item.recommendation.get("actions", [])),
        claimed_by=item.claimed_by if item.claimed_until and item.claimed_until > now else None,
        claimed_until=item.claimed_until if item.claimed_until and item.claimed_until > now else None,
        police_review=item.police_review,
        comment_state=comment.state,
        version=item.version,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def item_detail(session: Session, item: QueueItem) -> QueueItemDetail:
    comment = session.get(Comment, item.comment_id)
    assert comment is not None
    current = session.get(CommentVersion, comment.current_version_id) if comment.current_version_id else None
    assessment = session.get(Assessment, item.assessment_id) if item.assessment_id else None
    registration = repository.registration_for_item(session, item.id)
    comment_view: dict[str, Any] = {
        "id": comment.id,
        "external_id": comment.external_id,
        "platform": comment.platform,
        "author_name": comment.author_name,
        "author_external_id": comment.author_external_id,
        "state": comment.state,
        "deleted_by_author": comment.state == "deleted_by_author",
        "text": current.text if current else None,
        "post_external_id": comment.post_external_id,
        "parent_external_id": comment.parent_external_id,
    }
    return QueueItemDetail(
        **item_read(item, comment).model_dump(),
        comment=comment_view,
        findings=assessment.findings if assessment else [],
        recommendation=item.recommendation,
        evidence=[
            {"id": i, "json": f"/v1/evidence/{i}", "pdf": f"/v1/evidence/{i}/pdf"}
            for i in evidence_ids(session, comment.id)
        ],
        decisions=[
            DecisionRead.model_validate(d, from_attributes=True)
            for d in repository.decisions_of(session, item.id)
        ],
        actions=[
            ActionRead.model_validate(a, from_attributes=True)
            for a in repository.actions_of_item(session, item.id)
        ],
        registration=None
        if registration is None
        else {
            "id": registration.id,
            "status": registration.status,
            "diarienummer": registration.diarienummer,
        },
        police_review_reason=item.police_review_reason,
    )


def comments_by_id(session: Session, ids: list[int]) -> dict[int, Comment]:
    return {i: c for i in ids if (c := session.get(Comment, i)) is not None}
