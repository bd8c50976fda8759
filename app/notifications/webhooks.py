"""Outbound webhooks: Standard Webhooks for case systems, cards for Teams and Slack.

A signed webhook carries ``webhook-id`` (the outbox's stable id, the same on
every retry so the receiver can drop duplicates), ``webhook-timestamp`` (Unix
seconds, so the receiver can refuse replays) and ``webhook-signature``:
``v1,<base64 HMAC-SHA256 of "id.timestamp.body">`` keyed with the bytes behind
``whsec_``, one per secret, space-separated, while a secret is being rotated.

Teams and Slack incoming webhooks verify nothing and take their own JSON: a
``message`` with an Adaptive Card for Teams, ``text`` plus Block Kit blocks for
Slack.  Neither gets the comment text, only what the people need to open the
item: the channel may be read by more people than the mailbox.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Sequence
from typing import Any

import httpx

from app.notifications.errors import PermanentSendError, TransientSendError

REASON_STATUS = "Mottagaren svarade {status}; nytt försök görs."
REASON_REFUSED = "Mottagaren vägrade ta emot meddelandet ({status}) – kontrollera adress och hemlighet."
REASON_UNREACHABLE = "Mottagaren svarade inte ({detail}); nytt försök görs."


def sign(keys: Sequence[bytes], *, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    return " ".join(
        "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode("ascii")
        for key in keys
    )


def standard_body(*, event_type: str, created_at: str, data: dict[str, Any]) -> bytes:
    return json.dumps(
        {"type": event_type, "timestamp": created_at, "data": data}, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def teams_card(*, title: str, text: str, link: str | None) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": title, "weight": "Bolder", "size": "Medium", "wrap": True},
        {"type": "TextBlock", "text": text, "wrap": True},
    ]
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    if link:
        card["actions"] = [{"type": "Action.OpenUrl", "title": "Öppna i Uppsikt", "url": link}]
    return {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}
        ],
    }


def slack_message(*, title: str, text: str, link: str | None) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
        {"type": "section", "text": {"type": "plain_text", "text": text[:3000]}},
    ]
    if link:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"<{link}|Öppna i Uppsikt>"}})
    return {"text": title, "blocks": blocks}


def post(
    client: httpx.Client,
    url: str,
    body: bytes,
    *,
    message_id: str | None = None,
    keys: Sequence[bytes] = (),
    now: float | None = None,
) -> None:
    headers = {"content-type": "application/json", "user-agent": "Uppsikt"}
    if message_id is not None:
        timestamp = int(now if now is not None else time.time())
        headers.update(
            {
                "webhook-id": message_id,
                "webhook-timestamp": str(timestamp),
                "webhook-signature": sign(keys, message_id=message_id, timestamp=timestamp, body=body),
            }
        )
    # Only the status line and headers are read: the receiver's body says nothing we act
    # on, and reading it would let a receiver hold the worker (a body that never ends,
    # one byte now and then, is never timed out by httpx's per-read timeout) or fill
    # its memory.  Leaving the stream unread closes the connection.
    try:
        with client.stream("POST", url, content=body, headers=headers) as response:
            status = response.status_code
            retry_after = response.headers.get("retry-after")
    except httpx.HTTPError as exc:
        raise TransientSendError(
            REASON_UNREACHABLE.format(detail=type(exc).__name__), code="webhook_unreachable"
        ) from None
    if 200 <= status < 300:
        return
    if status in (408, 409, 425, 429) or status >= 500:
        raise TransientSendError(
            REASON_STATUS.format(status=status),
            code=f"webhook_{status}",
            retry_after=float(retry_after) if retry_after and retry_after.isdigit() else None,
        )
    raise PermanentSendError(REASON_REFUSED.format(status=status), code=f"webhook_{status}")
