"""Parse LinkedIn organization social-action notifications into comment events.

Only ``COMMENT``, ``ADMIN_COMMENT``, ``COMMENT_EDIT`` and ``COMMENT_DELETE``
concern us; likes and shares are ignored.  LinkedIn may deliver the same
notification more than once, so the event key is the ``notificationId``.
Comment URNs come in a short (``urn:li:comment:(activity:1,2)``) and a full
(``urn:li:comment:(urn:li:activity:1,2)``) form; we store the full one.
"""

from __future__ import annotations

import re
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
)

ACTIONS: dict[str, EventKind] = {
    "COMMENT": "added",
    "ADMIN_COMMENT": "added",
    "COMMENT_EDIT": "edited",
    "COMMENT_DELETE": "removed",
}
_SHORT_URN = re.compile(r"^urn:li:comment:\((activity|share|ugcPost):")


def normalise_comment_urn(urn: str) -> str:
    return _SHORT_URN.sub(lambda m: f"urn:li:comment:(urn:li:{m.group(1)}:", urn)


class LinkedInAdapter:
    name = "linkedin"

    def parse(self, body: bytes) -> ParseResult:
        payload = load_json(body)
        if not isinstance(payload, dict) or not isinstance(payload.get("notifications"), list):
            raise MalformedDelivery("not a LinkedIn notification envelope (no notifications list)")
        result = ParseResult()
        for note in payload["notifications"]:
            if not isinstance(note, dict):
                result.ignored.append("notification is not an object")
                continue
            self._parse_notification(note, result)
        return result

    def _parse_notification(self, note: dict[str, Any], result: ParseResult) -> None:
        action = str(note.get("action"))
        kind = ACTIONS.get(action)
        if kind is None:
            result.ignored.append(f"action {action[:30]!r} is not a comment")
            return
        decorated = note.get("decoratedGeneratedActivity")
        comment: dict[str, Any] = {}
        if isinstance(decorated, dict) and isinstance(decorated.get("comment"), dict):
            comment = decorated["comment"]
        urn = as_str(comment.get("entity")) or as_str(note.get("generatedActivity"))
        org = as_str(note.get("organizationalEntity"))
        occurred = from_unix(_millis(note.get("lastModifiedAt")))
        notification_id = as_str(note.get("notificationId"))
        if not urn or not org or occurred is None or not notification_id:
            result.ignored.append("comment notification without comment URN, organization, time or id")
            return
        text = comment.get("text") if isinstance(comment.get("text"), str) else None
        parent = as_str(comment.get("object"))
        source_post = as_str(note.get("sourcePost"))
        post_decoration = (
            note.get("decoratedSourcePost") if isinstance(note.get("decoratedSourcePost"), dict) else {}
        )
        result.events.append(
            CommentEvent(
                platform="linkedin",
                account_external_id=org,
                comment_external_id=normalise_comment_urn(urn),
                kind=kind,
                occurred_at=occurred,
                event_key=event_key("linkedin", "notification", notification_id),
                text=text if kind != "removed" else None,
                author_external_id=as_str(comment.get("owner")) or as_str(note.get("actor")),
                author_name=None,  # LinkedIn gives a person URN, no name (platforms.md §4.5)
                post_external_id=source_post,
                parent_external_id=normalise_comment_urn(parent)
                if parent and parent.startswith("urn:li:comment:")
                else None,
                platform_created_at=occurred if kind == "added" else None,
                metadata=json_safe(
                    {"action": action, "notification_id": notification_id, "post": post_decoration}
                ),
            )
        )


def _millis(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value / 1000.0
    if isinstance(value, str) and value.isdigit():
        return int(value) / 1000.0
    return None
