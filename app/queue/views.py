"""Shaping queue items for the API and the web inbox (reads only)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.assessment import language
from app.comments import repository as comments_repository
from app.errors import BadRequest
from app.evidence.service import get_snapshot
from app.learning import repository as learning_repository
from app.models import (
    Account,
    Assessment,
    Comment,
    CommentVersion,
    Decision,
    EvidenceSnapshot,
    QueueItem,
    utcnow,
)
from app.principal import Principal
from app.queue import repository
from app.queue.schemas import ActionRead, DecisionRead, LabelRead, QueueItemDetail, QueueItemRead, TextSpan
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
        decisions=decisions_read(session, item),
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


def decisions_read(session: Session, item: QueueItem) -> list[DecisionRead]:
    """The item's decisions, each with the labels the editor gave with it."""
    labels: dict[int, list[LabelRead]] = {}
    for label in learning_repository.labels_of_item(session, item.id):
        labels.setdefault(label.decision_id, []).append(
            LabelRead(category=label.category, verdict=label.verdict)
        )
    return [
        DecisionRead.model_validate(d, from_attributes=True).model_copy(
            update={"labels": labels.get(d.id, [])}
        )
        for d in repository.decisions_of(session, item.id)
    ]


def decision_read(session: Session, decision: Decision) -> DecisionRead:
    read = DecisionRead.model_validate(decision, from_attributes=True)
    labels = learning_repository.labels_of_decision(session, decision.id)
    return read.model_copy(
        update={"labels": [LabelRead(category=x.category, verdict=x.verdict) for x in labels]}
    )


def parse_cursor(value: str | None) -> tuple[int, datetime | None, int] | None:
    if value is None:
        return None
    try:
        p, d, i = value.split("~")
        due = datetime.fromtimestamp(int(d) / 1_000_000, UTC) if d else None
        return int(p), due, int(i)
    except ValueError:
        raise BadRequest("The cursor is not valid.") from None


def encode_cursor(item: Any) -> str:
    due = str(int(item.due_at.timestamp() * 1_000_000)) if item.due_at else ""
    return f"{item.priority}~{due}~{item.id}"


# -- the web inbox ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InboxRow:
    """One queue row as the inbox shows it: the item, where the comment is, and its text
    (the assessed version) with the spans that triggered a finding."""

    item: QueueItemRead
    account_name: str
    platform: str
    author: str | None
    text: str
    spans: list[tuple[int, int]]
    #: Categories whose only findings are language marks (``app.assessment.language``): the
    #: inbox names them "Språket har inte bedömts", not by the category they are filed under.
    marked_only: frozenset[str] = frozenset()


def finding_spans(findings: Sequence[dict[str, Any]]) -> list[tuple[int, int]]:
    return sorted(
        (int(s["start"]), int(s["end"]))
        for f in findings
        for s in f.get("spans", [])
        if isinstance(s, dict) and "start" in s and "end" in s
    )


def inbox_rows(session: Session, items: Sequence[QueueItem]) -> list[InboxRow]:
    rows = []
    for item in items:
        comment = session.get(Comment, item.comment_id)
        account = session.get(Account, item.account_id)
        assert comment is not None and account is not None
        assessment = session.get(Assessment, item.assessment_id) if item.assessment_id else None
        version_id = assessment.comment_version_id if assessment else comment.current_version_id
        version = session.get(CommentVersion, version_id) if version_id else None
        rows.append(
            InboxRow(
                item=item_read(item, comment),
                account_name=account.display_name,
                platform=comment.platform,
                author=comment.author_name,
                text=version.text if version else "",
                spans=finding_spans(assessment.findings) if assessment else [],
                marked_only=frozenset(language.marked_only(assessment.findings) if assessment else ()),
            )
        )
    return rows


#: How much of a comment a queue listing carries.
EXCERPT_CHARS = 280


def listing(session: Session, items: Sequence[QueueItem]) -> list[QueueItemRead]:
    """Queue items as the API lists them: each with the comment's excerpt, author and the
    words that triggered its findings (what the web inbox's rows show)."""
    return [
        row.item.model_copy(
            update={
                "platform": row.platform,
                "author_name": row.author,
                "text_excerpt": row.text[:EXCERPT_CHARS],
                "highlights": [
                    TextSpan(start=start, end=min(end, EXCERPT_CHARS))
                    for start, end in row.spans
                    if start < EXCERPT_CHARS
                ],
            }
        )
        for row in inbox_rows(session, items)
    ]


def visible_accounts(session: Session, principal: Principal) -> list[Account]:
    """The accounts whose items this person may see, for the inbox's filter."""
    return [
        a
        for a in repository.accounts_of_tenant(session, principal.tenant_id)
        if principal.may_see_account(a.id)
    ]


def assessed_text(session: Session, item: QueueItem) -> str:
    """The text the item's findings point into (the assessed version's)."""
    assessment = session.get(Assessment, item.assessment_id) if item.assessment_id else None
    version = session.get(CommentVersion, assessment.comment_version_id) if assessment else None
    return version.text if version else ""


def versions(session: Session, item: QueueItem) -> list[CommentVersion]:
    return list(comments_repository.versions_of(session, [item.comment_id]))


@dataclass(frozen=True, slots=True)
class ThreadEntry:
    """One comment of the thread around an item, as the item page lists it."""

    comment: Comment
    #: The current text; ``None`` once the comment is culled.
    text: str | None
    #: The comment's own queue item, if it has one.
    item_id: int | None
    is_this: bool
    #: The comment the item's comment answers.
    is_parent: bool


#: The most comments of one thread an item page lists.
THREAD_LIMIT = 50


def thread(session: Session, item: QueueItem) -> list[ThreadEntry]:
    """The post's comments that reached us, oldest first, with the item's comment and its parent marked."""
    comment = session.get(Comment, item.comment_id)
    assert comment is not None  # an item always has its comment
    found = comments_repository.thread_of(session, comment, limit=THREAD_LIMIT)
    items = repository.items_for_comments(session, [c.id for c, _ in found])
    return [
        ThreadEntry(
            comment=c,
            text=text,
            item_id=items[c.id].id if c.id in items else None,
            is_this=c.id == comment.id,
            is_parent=comment.parent_external_id is not None and c.external_id == comment.parent_external_id,
        )
        for c, text in found
    ]


def evidence_snapshots(session: Session, principal: Principal, item: QueueItem) -> list[EvidenceSnapshot]:
    return [get_snapshot(session, principal, i) for i in evidence_ids(session, item.comment_id)]
