"""Applying platform events to comments so that any replay or arrival order
converges on one state.

* Replays: every event has a key; an event already applied is a no-op.
* Order: the text shown is the version with the newest event time, and the
  state is set by the newest state event (ties broken by ``EVENT_RANK``); an
  edit or removal that arrives before its add therefore ends the same way as
  one that arrives after it.
* Nothing is overwritten: a new text becomes a new version; a removal changes
  the state and keeps every version (the comment is a public record).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from app.actions.repository import our_delete_exists
from app.comments import repository
from app.comments.schemas import (
    AssessmentRead,
    CommentDetail,
    CommentEventRead,
    CommentPage,
    CommentRead,
    CommentVersionRead,
)
from app.models import Account, Comment, CommentVersion, utcnow
from app.modlog.service import record
from app.platforms import EVENT_RANK, CommentEvent, text_sha256
from app.principal import Principal

#: The state each event kind leads to; an edit leaves the state as it is.
STATE_OF_KIND: dict[str, str | None] = {
    "added": "visible",
    "edited": None,
    "removed": "deleted_by_author",
    "hidden": "hidden",
    "unhidden": "visible",
}
LOG_ACTION_OF_STATE = {
    "deleted_by_author": "comment.deleted_by_author",
    "deleted_by_us": "comment.removal_confirmed",
    "hidden": "comment.hidden_on_platform",
    "visible": "comment.visible_on_platform",
}


@dataclass(frozen=True, slots=True)
class Applied:
    comment: Comment
    new_version: CommentVersion | None
    state_changed: bool


def storable_text(text: str) -> tuple[str, bytes | None]:
    """Split a platform text into what every database can hold and search, and,
    only when that differs, the exact original (NUL bytes, unpaired surrogates)."""
    exact = text.encode("utf-8", "surrogatepass")
    safe = exact.decode("utf-8", "replace").replace("\x00", "")
    return safe, (exact if safe != text else None)


@dataclass(frozen=True, slots=True)
class EventToApply:
    account: Account
    event: CommentEvent
    delivery_id: int | None


def apply_event(
    session: Session,
    *,
    account: Account,
    event: CommentEvent,
    delivery_id: int | None,
    actor: str = "worker",
) -> Applied | None:
    """Apply one event; ``None`` when it was applied before (a replay)."""
    return apply_events(session, [EventToApply(account, event, delivery_id)], actor=actor)[0]


def apply_events(
    session: Session, batch: Sequence[EventToApply], *, actor: str = "worker"
) -> list[Applied | None]:
    """Apply a batch of events in arrival order; for each, what it did (``None``: a replay).

    The batch's comments are created and locked in one statement each, its
    events stored in one.  The common case — a comment first seen in this
    batch with one text — then needs no further reads: its version is the
    first, flushed with the others at the end.  Anything else (an edit, a
    removal, several events of one comment) goes through the general path,
    which reads what the comment already has.  A new text is stored as a
    version; assessing it is the pipeline's next stage (``app.pipeline``).
    """
    if not batch:
        return []
    now = utcnow()
    comment_rows: dict[tuple[int, str], dict[str, object]] = {}
    for item in batch:
        key = (item.account.id, item.event.comment_external_id)
        comment_rows.setdefault(
            key,
            {
                "tenant_id": item.account.tenant_id,
                "account_id": item.account.id,
                "platform": item.account.platform,
                "external_id": item.event.comment_external_id,
                "state": "visible",
                "state_rank": -1,
                "first_received_at": now,
                "updated_at": now,
                "media_urls": [],
                "platform_metadata": {},
                **_first_metadata(item.event),
            },
        )
    comments, created = repository.lock_or_create_comments(session, list(comment_rows.values()))
    event_rows: dict[str, dict[str, object]] = {}
    for item in batch:
        event_rows.setdefault(
            item.event.event_key,
            {
                "comment_id": comments[(item.account.id, item.event.comment_external_id)].id,
                "event_key": item.event.event_key,
                "kind": item.event.kind,
                "occurred_at": item.event.occurred_at,
                "received_at": now,
                "delivery_id": item.delivery_id,
            },
        )
    fresh = repository.insert_events(session, list(event_rows.values()))

    events_per_comment: dict[tuple[int, str], int] = {}
    for item in batch:
        if item.event.event_key in fresh:
            key = (item.account.id, item.event.comment_external_id)
            events_per_comment[key] = events_per_comment.get(key, 0) + 1
    applied: list[Applied | None] = [None] * len(batch)
    unflushed: list[tuple[Comment, CommentVersion, CommentEvent, bool]] = []
    seen: set[tuple[int, str]] = set()
    for index, item in enumerate(batch):
        event = item.event
        if event.event_key not in fresh:
            continue
        fresh.discard(event.event_key)  # the same event twice in one batch is applied once
        key = (item.account.id, event.comment_external_id)
        comment = comments[key]
        first_event = key in created and key not in seen
        seen.add(key)
        if first_event and events_per_comment[key] == 1 and event.text is not None:
            version = _first_version(comment, event, item.delivery_id, now)
            session.add(version)
            state_changed = _apply_state(session, comment, event)
            unflushed.append((comment, version, event, state_changed))
            comment.updated_at = now
            applied[index] = Applied(comment=comment, new_version=version, state_changed=state_changed)
            continue
        applied[index] = _apply_one(session, comment, event, item.delivery_id, now, first_event, actor)
    if unflushed:
        session.flush()
        for comment, version, event, state_changed in unflushed:
            comment.current_version_id, comment.current_version_at = version.id, event.occurred_at
            _log_comment(
                session,
                comment,
                event,
                item_delivery_id=version.delivery_id,
                actor=actor,
                action="comment.stored",
                payload={"version": version.seq, "text_sha256": version.text_sha256},
            )
            if state_changed and comment.state != "visible":
                _log_comment(
                    session,
                    comment,
                    event,
                    item_delivery_id=version.delivery_id,
                    actor=actor,
                    action=LOG_ACTION_OF_STATE[comment.state],
                    payload={"event": event.kind},
                )
    return applied


def _first_version(
    comment: Comment, event: CommentEvent, delivery_id: int | None, now: datetime
) -> CommentVersion:
    assert event.text is not None
    safe, exact = storable_text(event.text)
    return CommentVersion(
        comment_id=comment.id,
        seq=1,
        text=safe,
        text_exact=exact,
        text_sha256=text_sha256(event.text),
        occurred_at=event.occurred_at,
        received_at=now,
        delivery_id=delivery_id,
    )


def _log_comment(
    session: Session,
    comment: Comment,
    event: CommentEvent,
    *,
    item_delivery_id: int | None,
    actor: str,
    action: str,
    payload: dict[str, object],
) -> None:
    record(
        session,
        tenant_id=comment.tenant_id,
        actor=actor,
        action=action,
        subject_type="comment",
        subject_id=comment.id,
        account_id=comment.account_id,
        comment_id=comment.id,
        payload={**payload, "occurred_at": event.occurred_at.isoformat(), "delivery_id": item_delivery_id},
    )


def _apply_one(
    session: Session,
    comment: Comment,
    event: CommentEvent,
    delivery_id: int | None,
    now: datetime,
    created: bool,
    actor: str,
) -> Applied:
    """The general path: whatever the comment already has, any kind of event."""
    _fill_metadata(comment, event)
    new_version = None
    if event.text is not None:
        new_version = _store_text(session, comment, event, delivery_id, now, first_event=created)
    state_changed = _apply_state(session, comment, event)
    comment.updated_at = now
    session.flush()

    def log(action: str, payload: dict[str, object]) -> None:
        _log_comment(
            session, comment, event, item_delivery_id=delivery_id, actor=actor, action=action, payload=payload
        )

    if new_version is not None:
        first = created or repository.version_count(session, comment.id) == 1
        log(
            "comment.stored" if first else "comment.edited",
            {"version": new_version.seq, "text_sha256": new_version.text_sha256},
        )
    elif created:
        # A comment first seen without text (an image, or a removal before its add) is a record too.
        log("comment.stored", {"version": None, "text_sha256": None})
    if state_changed and not (created and comment.state == "visible"):
        log(LOG_ACTION_OF_STATE[comment.state], {"event": event.kind})
    return Applied(comment=comment, new_version=new_version, state_changed=state_changed)


def _first_metadata(event: CommentEvent) -> dict[str, object]:
    """What ``_fill_metadata`` would set on a new comment, so a new one is inserted whole."""
    return {
        "post_external_id": event.post_external_id,
        "parent_external_id": event.parent_external_id,
        "author_external_id": event.author_external_id,
        "author_name": event.author_name,
        "platform_created_at": event.platform_created_at,
        "media_urls": list(dict.fromkeys(event.media_urls)),
        "platform_metadata": dict(event.metadata),
    }


def _fill_metadata(comment: Comment, event: CommentEvent) -> None:
    comment.post_external_id = comment.post_external_id or event.post_external_id
    comment.parent_external_id = comment.parent_external_id or event.parent_external_id
    comment.author_external_id = comment.author_external_id or event.author_external_id
    comment.author_name = comment.author_name or event.author_name
    if comment.platform_created_at is None and event.platform_created_at is not None:
        comment.platform_created_at = event.platform_created_at
    if event.media_urls:
        comment.media_urls = list(dict.fromkeys([*comment.media_urls, *event.media_urls]))
    if event.metadata:
        comment.platform_metadata = {**comment.platform_metadata, **dict(event.metadata)}


def _store_text(
    session: Session,
    comment: Comment,
    event: CommentEvent,
    delivery_id: int | None,
    now: datetime,
    *,
    first_event: bool,
) -> CommentVersion | None:
    """Store the event's text as a version unless the comment already has it.

    ``first_event``: the comment was created by this event, so it has no
    versions yet and none needs looking up or renumbering (most deliveries).
    """
    assert event.text is not None
    digest = text_sha256(event.text)
    version = None if first_event else repository.version_by_hash(session, comment.id, digest)
    created = None
    if version is None:
        safe, exact = storable_text(event.text)
        version = CommentVersion(
            comment_id=comment.id,
            seq=1 if first_event else repository.next_version_seq(session, comment.id),
            text=safe,
            text_exact=exact,
            text_sha256=digest,
            occurred_at=event.occurred_at,
            received_at=now,
            delivery_id=delivery_id,
        )
        repository.add(session, version)
        if not first_event:
            repository.renumber_versions(session, comment.id)
        created = version
    elif event.occurred_at < version.occurred_at:
        # The same text seen earlier than we first thought (an add arriving after its edit back).
        version.occurred_at = event.occurred_at
        session.flush()
        repository.renumber_versions(session, comment.id)
    if comment.current_version_at is None or event.occurred_at >= comment.current_version_at:
        comment.current_version_id = version.id
        comment.current_version_at = event.occurred_at
    return created


def _apply_state(session: Session, comment: Comment, event: CommentEvent) -> bool:
    target = STATE_OF_KIND[event.kind]
    if target is None:
        return False
    if target == "deleted_by_author" and our_delete_exists(session, comment.id):
        # Our own removal echoing back as a webhook: it is ours, and it is no new work.
        target = "deleted_by_us"
    rank = EVENT_RANK[event.kind]
    current = (comment.state_at, comment.state_rank)
    if current[0] is not None and (event.occurred_at, rank) <= (current[0], current[1]):
        return False
    changed = comment.state != target
    comment.state, comment.state_at, comment.state_rank = target, event.occurred_at, rank
    return changed


# -- reading ------------------------------------------------------------------------------


def _read(comment: Comment, versions: list[CommentVersion]) -> dict[str, object]:
    current = next((v for v in versions if v.id == comment.current_version_id), None)
    return {
        "id": comment.id,
        "account_id": comment.account_id,
        "platform": comment.platform,
        "external_id": comment.external_id,
        "post_external_id": comment.post_external_id,
        "parent_external_id": comment.parent_external_id,
        "author_external_id": comment.author_external_id,
        "author_name": comment.author_name,
        "state": comment.state,
        "text": current.text if current else None,
        "version_count": len(versions),
        "platform_created_at": comment.platform_created_at,
        "first_received_at": comment.first_received_at,
        "updated_at": comment.updated_at,
        "media_urls": comment.media_urls,
    }


def _decode_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    from app.errors import BadRequest

    if not cursor.isdigit() or len(cursor) > 18:
        raise BadRequest("The cursor is not valid.")
    return int(cursor)


def list_comments(
    session: Session,
    *,
    principal: Principal,
    account_id: int | None,
    author: str | None,
    since: datetime | None,
    until: datetime | None,
    state: str | None,
    cursor: str | None,
    limit: int,
) -> CommentPage:
    rows = repository.list_comments(
        session,
        tenant_id=principal.tenant_id,
        account_ids=principal.account_ids,
        account_id=account_id,
        author=author,
        since=since,
        until=until,
        state=state,
        before_id=_decode_cursor(cursor),
        limit=limit + 1,
    )
    page = list(rows[:limit])
    versions = repository.versions_of(session, [c.id for c in page])
    by_comment: dict[int, list[CommentVersion]] = {}
    for v in versions:
        by_comment.setdefault(v.comment_id, []).append(v)
    items = [CommentRead.model_validate(_read(c, by_comment.get(c.id, []))) for c in page]
    return CommentPage(items=items, next_cursor=str(page[-1].id) if len(rows) > limit else None)


def comment_detail(session: Session, *, principal: Principal, comment_id: int) -> CommentDetail:
    from app.errors import NotFound

    comment = repository.comment_in_tenant(session, principal.tenant_id, comment_id)
    if comment is None or not principal.may_see_account(comment.account_id):
        raise NotFound("No such comment.")
    versions = list(repository.versions_of(session, [comment.id]))
    seq_of = {v.id: v.seq for v in versions}
    return CommentDetail.model_validate(
        {
            **_read(comment, versions),
            "versions": [CommentVersionRead.model_validate(v, from_attributes=True) for v in versions],
            "events": [
                CommentEventRead.model_validate(e, from_attributes=True)
                for e in repository.events_of(session, comment.id)
            ],
            "assessments": [
                AssessmentRead(
                    id=a.id,
                    version_seq=seq_of.get(a.comment_version_id),
                    model_version=a.model_version,
                    categories=a.categories,
                    findings=a.findings,
                    created_at=a.created_at,
                )
                for a in repository.assessments_of(session, comment.id)
            ],
            "platform_metadata": comment.platform_metadata,
        }
    )
