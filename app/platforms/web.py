"""Authenticated ingest from any other source (a website's comment field, an import).

``POST /v1/comments`` validates the request strictly and stores this
canonical JSON in the inbox; from there it takes the same path as a platform
delivery.  The account is resolved at ingest (the caller's tenant is known),
so the body names the account's external id.
"""

from __future__ import annotations

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

KINDS: tuple[EventKind, ...] = ("added", "edited", "removed", "hidden", "unhidden")


class WebAdapter:
    name = "web"

    def parse(self, body: bytes) -> ParseResult:
        payload = load_json(body)
        if not isinstance(payload, dict) or not isinstance(payload.get("comments"), list):
            raise MalformedDelivery("not a web ingest document")
        platform = str(payload.get("platform") or "web")
        account = str(payload.get("account_external_id") or "")
        received = from_unix(payload.get("received_at"))
        result = ParseResult()
        for item in payload["comments"]:
            kind = item.get("kind", "added")
            occurred = from_unix(item.get("created_at")) or received
            if kind not in KINDS or occurred is None or not item.get("external_id"):
                result.ignored.append("web comment without kind, time or id")
                continue
            text = item.get("text")
            result.events.append(
                CommentEvent(
                    platform=platform,
                    account_external_id=account,
                    comment_external_id=as_str(item["external_id"]) or "",
                    kind=kind,
                    occurred_at=occurred,
                    event_key=event_key(
                        platform, account, item["external_id"], kind, occurred.isoformat(), text_sha256(text)
                    ),
                    text=text,
                    author_external_id=as_str(item.get("author_external_id")),
                    author_name=as_str(item.get("author_name")),
                    post_external_id=as_str(item.get("post_external_id")),
                    parent_external_id=as_str(item.get("parent_external_id")),
                    platform_created_at=from_unix(item.get("created_at")),
                )
            )
        return result
