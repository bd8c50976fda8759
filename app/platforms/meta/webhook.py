"""Parse Meta webhook deliveries into comment events.

Facebook Pages deliver comments inside the ``feed`` field (``item: comment``,
verbs add/edited/remove/hide/unhide); Instagram delivers ``comments`` and
``live_comments`` (the docs show the comment id as ``id`` or ``comment_id``).
A delivery may batch many entries and changes; every one is read.  Anything we
do not understand is reported in ``ignored`` rather than raised, because a
platform retries a failed delivery for 36 hours and must not be made to.
"""

from __future__ import annotations

from typing import Any

from app.platforms import (
    CommentEvent,
    EventKind,
    MalformedDelivery,
    ParseResult,
    as_str,
    event_key,
    from_unix,
    json_safe,
    load_json,
    text_sha256,
)

FEED_VERBS: dict[str, EventKind] = {
    "add": "added",
    "edited": "edited",
    "edit": "edited",  # visitor posts have used "edit" (platforms.md §1.4)
    "remove": "removed",
    "delete": "removed",
    "hide": "hidden",
    "unhide": "unhidden",
}
INSTAGRAM_FIELDS = ("comments", "live_comments")


class MetaAdapter:
    name = "meta"

    def parse(self, body: bytes) -> ParseResult:
        payload = load_json(body)
        # The docs print Instagram examples wrapped in a list; accept both shapes.
        envelopes = payload if isinstance(payload, list) else [payload]
        result = ParseResult()
        for envelope in envelopes:
            if not isinstance(envelope, dict) or not isinstance(envelope.get("entry"), list):
                raise MalformedDelivery("not a Meta webhook envelope (no entry list)")
            obj = envelope.get("object")
            for entry in envelope["entry"]:
                if not isinstance(entry, dict):
                    result.ignored.append("entry is not an object")
                    continue
                if obj == "page":
                    _parse_page_entry(entry, result)
                elif obj == "instagram":
                    _parse_instagram_entry(entry, result)
                else:
                    result.ignored.append(f"object {str(obj)[:40]!r} is not handled")
        return result


def _changes(entry: dict[str, Any], result: ParseResult) -> list[dict[str, Any]]:
    changes = entry.get("changes")
    if not isinstance(changes, list):
        result.ignored.append("entry without changes (Include Values disabled?)")
        return []
    return [c for c in changes if isinstance(c, dict)]


def _parse_page_entry(entry: dict[str, Any], result: ParseResult) -> None:
    page_id = as_str(entry.get("id"))
    sent_at = from_unix(entry.get("time"))
    for change in _changes(entry, result):
        value = change.get("value")
        if change.get("field") != "feed" or not isinstance(value, dict):
            result.ignored.append(f"page field {str(change.get('field'))[:40]!r} is not handled")
            continue
        if value.get("item") != "comment":
            result.ignored.append(f"feed item {str(value.get('item'))[:40]!r} is not a comment")
            continue
        kind = FEED_VERBS.get(str(value.get("verb")))
        comment_id = as_str(value.get("comment_id"))
        if kind is None or not comment_id or not page_id:
            result.ignored.append(f"feed comment verb {str(value.get('verb'))[:20]!r} or ids missing")
            continue
        created = from_unix(value.get("created_time"))
        edited = from_unix(value.get("edited_time"))
        # An add happened when the comment was created; other events when Meta says
        # (edited_time) or, failing that, when the notification was sent.
        if kind == "added":
            occurred = created or sent_at
        elif kind == "edited":
            occurred = edited or sent_at or created
        else:
            occurred = sent_at or created
        if occurred is None:
            result.ignored.append("feed comment without any time")
            continue
        sender: Any = value.get("from")
        author_id = as_str(sender.get("id")) if isinstance(sender, dict) else as_str(value.get("sender_id"))
        author_name = (
            as_str(sender.get("name")) if isinstance(sender, dict) else as_str(value.get("sender_name"))
        )
        post_id = as_str(value.get("post_id"))
        parent_id = as_str(value.get("parent_id"))
        text = value.get("message") if isinstance(value.get("message"), str) else None
        media = tuple(u for u in (as_str(value.get("photo")), as_str(value.get("video"))) if u)
        metadata = {k: value[k] for k in ("post", "is_hidden", "photo", "video") if k in value}
        result.events.append(
            CommentEvent(
                platform="facebook",
                account_external_id=page_id,
                comment_external_id=comment_id,
                kind=kind,
                occurred_at=occurred,
                event_key=event_key("facebook", comment_id, kind, occurred.isoformat(), text_sha256(text)),
                text=text if kind in ("added", "edited", "hidden", "unhidden") else None,
                author_external_id=author_id,
                author_name=author_name,
                post_external_id=post_id,
                parent_external_id=parent_id if parent_id and parent_id != post_id else None,
                platform_created_at=created,
                media_urls=media,
                metadata=json_safe(metadata),
            )
        )


def _parse_instagram_entry(entry: dict[str, Any], result: ParseResult) -> None:
    account_id = as_str(entry.get("id"))
    sent_at = from_unix(entry.get("time"))
    for change in _changes(entry, result):
        value = change.get("value")
        field = change.get("field")
        if field not in INSTAGRAM_FIELDS or not isinstance(value, dict):
            result.ignored.append(f"instagram field {str(field)[:40]!r} is not handled")
            continue
        comment_id = as_str(value.get("id")) or as_str(value.get("comment_id"))
        if not comment_id or not account_id:
            result.ignored.append("instagram comment without id")
            continue
        occurred = from_unix(value.get("timestamp")) or sent_at
        if occurred is None:
            result.ignored.append("instagram comment without any time")
            continue
        sender: dict[str, Any] = value["from"] if isinstance(value.get("from"), dict) else {}
        media: dict[str, Any] = value["media"] if isinstance(value.get("media"), dict) else {}
        text = value.get("text") if isinstance(value.get("text"), str) else None
        result.events.append(
            CommentEvent(
                platform="instagram",
                account_external_id=account_id,
                comment_external_id=comment_id,
                kind="added",
                occurred_at=occurred,
                event_key=event_key("instagram", comment_id, "added", text_sha256(text)),
                text=text,
                author_external_id=as_str(sender.get("id")),
                author_name=as_str(sender.get("username")),
                post_external_id=as_str(media.get("id")),
                parent_external_id=as_str(value.get("parent_id")),
                platform_created_at=occurred,
                metadata=json_safe({"field": field, "media": media}),
            )
        )
