"""Parse what the reconciler (or a polled platform such as YouTube) saw into comment events.

The reconciler lists comments through a platform's API and stores what differs
from our records as one delivery in the same inbox the webhooks use, with
``source = "polled"``; the worker runs it through the same pipeline.  The body
is our own JSON (``uppsikt.polled/1``), not a platform's, so the stored bytes
never pretend to be something Meta or LinkedIn signed.

The point of this module is the event keys.  A comment the reconciler found
first and whose webhook arrives late must be one event, not two: so an
``added`` event gets exactly the key the webhook's parser gives the same
comment (``app.platforms.meta.webhook``: Facebook keys the add by creation
time and text, Instagram by text), and a test holds the two formulas together.
LinkedIn keys its webhook events by ``notificationId``, which no listing
returns; there the late webhook adds an event row but finds the text already
stored, so it makes no new version, assessment or queue item.  Edits and
removals seen by polling are keyed so that a second run that sees the same
thing adds nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from app.platforms import (
    CommentEvent,
    EventKind,
    MalformedDelivery,
    ParseResult,
    as_str,
    event_key,
    from_unix,
    load_json,
    text_sha256,
)

SCHEMA = "uppsikt.polled/1"
POLLED_KINDS: tuple[EventKind, ...] = ("added", "edited", "removed")


def utc_time(value: Any) -> datetime | None:
    """A platform time (ISO-8601 with ``+0000``, ``Z`` or an offset, or Unix seconds) in UTC."""
    parsed = from_unix(value)
    return parsed.astimezone(UTC) if parsed is not None else None


def polled_event_key(
    platform: str,
    comment_id: str,
    kind: str,
    *,
    text: str | None,
    occurred_at: datetime,
    version_at: str | None,
) -> str:
    """The idempotency key of a polled observation (see the module docstring).

    ``version_at`` is the platform's own time of the text where it gives one
    (YouTube ``updatedAt``, LinkedIn ``lastModified``): then two runs that see
    the same edit give the same key.  Otherwise an edit is keyed by when it
    was seen, and a removal by the comment alone (a comment is removed once).
    """
    if kind == "added" and platform == "facebook":
        return event_key("facebook", comment_id, "added", occurred_at.isoformat(), text_sha256(text))
    if kind == "added" and platform == "instagram":
        return event_key("instagram", comment_id, "added", text_sha256(text))
    if kind == "removed":
        return event_key(platform, "polled", comment_id, "removed")
    return event_key(
        platform, "polled", comment_id, kind, version_at or occurred_at.isoformat(), text_sha256(text)
    )


class PolledAdapter:
    name = "polled"

    def parse(self, body: bytes) -> ParseResult:
        payload = load_json(body)
        if not isinstance(payload, dict) or payload.get("schema") != SCHEMA:
            raise MalformedDelivery(f"not a {SCHEMA} body")
        platform = as_str(payload.get("platform"), limit=20)
        account = as_str(payload.get("account"))
        observed = utc_time(payload.get("observed_at"))
        comments = payload.get("comments")
        if not platform or not account or observed is None or not isinstance(comments, list):
            raise MalformedDelivery("polled body without platform, account, observed_at or comments")
        result = ParseResult()
        for item in comments:
            if not isinstance(item, dict):
                result.ignored.append("polled comment is not an object")
                continue
            event = _event(platform, account, observed, item)
            if event is None:
                result.ignored.append("polled comment without id, kind or time")
                continue
            result.events.append(event)
        return result


def _event(platform: str, account: str, observed: datetime, item: dict[str, Any]) -> CommentEvent | None:
    comment_id = as_str(item.get("id"))
    kind = item.get("kind")
    if not comment_id or kind not in POLLED_KINDS:
        return None
    created = utc_time(item.get("created_at"))
    # An add happened when the comment was created; an edit or a removal when the platform
    # says (``version_at``) or, failing that, when it was seen.
    occurred = (created if kind == "added" else utc_time(item.get("version_at"))) or observed
    text = item.get("text") if isinstance(item.get("text"), str) and kind != "removed" else None
    version_at = as_str(item.get("version_at"), limit=40)
    media: list[Any] = item["media_urls"] if isinstance(item.get("media_urls"), list) else []
    return CommentEvent(
        platform=platform,
        account_external_id=account,
        comment_external_id=comment_id,
        kind=kind,
        occurred_at=occurred,
        event_key=polled_event_key(
            platform, comment_id, kind, text=text, occurred_at=occurred, version_at=version_at
        ),
        text=text,
        author_external_id=as_str(item.get("author_id")),
        author_name=as_str(item.get("author_name")),
        post_external_id=as_str(item.get("post_id")),
        parent_external_id=as_str(item.get("parent_id")),
        platform_created_at=created,
        media_urls=tuple(u for u in (as_str(m, limit=2000) for m in media[:10]) if u),
        metadata={"polled": True},
    )
