"""Platform adapters: one package per platform behind a small protocol.

An adapter verifies a delivery's signature over the raw bytes and turns a
stored delivery into our own typed ``CommentEvent``s.  Parsing is pure (bytes
in, events out) so that the worker can replay any stored delivery and so that
each payload shape is tested without a server.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

EventKind = Literal["added", "edited", "removed", "hidden", "unhidden"]

#: Tie-break for events with the same time: a removal outranks a hide, which
#: outranks an unhide, which outranks the text events.  Any arrival order of
#: the same events therefore ends in the same state.
EVENT_RANK: dict[str, int] = {"added": 0, "edited": 1, "unhidden": 2, "hidden": 3, "removed": 4}


class MalformedDelivery(Exception):
    """The body is not the JSON shape the platform sends; kept as failed."""


@dataclass(frozen=True, slots=True)
class CommentEvent:
    platform: str
    account_external_id: str
    comment_external_id: str
    kind: EventKind
    occurred_at: datetime
    #: Stable idempotency key: the same platform event always gives the same key.
    event_key: str
    text: str | None = None
    author_external_id: str | None = None
    author_name: str | None = None
    post_external_id: str | None = None
    parent_external_id: str | None = None
    platform_created_at: datetime | None = None
    media_urls: tuple[str, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ParseResult:
    events: list[CommentEvent] = field(default_factory=list)
    #: Why parts of the delivery were ignored (unknown object, field, verb …): logged, not stored.
    ignored: list[str] = field(default_factory=list)


class PlatformAdapter(Protocol):
    name: str

    def parse(self, body: bytes) -> ParseResult: ...


def load_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedDelivery(f"body is not JSON ({type(exc).__name__})") from None
    except RecursionError:
        raise MalformedDelivery("body is nested too deeply to be a platform delivery") from None


def event_key(*parts: object) -> str:
    return hashlib.sha256(
        "\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8", "surrogatepass")
    ).hexdigest()


def text_sha256(text: str | None) -> str:
    return hashlib.sha256((text or "").encode("utf-8", "surrogatepass")).hexdigest()


def from_unix(value: Any) -> datetime | None:
    """Unix seconds (int, float or digit string) or ISO-8601, as Meta sends either."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(float(value), UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        if value.isdigit():
            return from_unix(int(value))
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def clean_text(value: str) -> str:
    """A string every database can hold: no NUL, no unpaired surrogates.

    For ids, names and metadata only; comment text keeps its exact form
    (``app.comments.service.storable_text``).
    """
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace").replace("\x00", "")


def as_str(value: Any, *, limit: int = 300) -> str | None:
    """A scalar as a clean, bounded string (ids and names in columns of that size)."""
    if value is None or isinstance(value, dict | list):
        return None
    return clean_text(str(value))[:limit]


def json_safe(value: Any, depth: int = 0) -> Any:
    """Platform metadata made storable in a JSON column on both databases."""
    if depth > 20:
        return None
    if isinstance(value, str):
        return clean_text(value)[:2000]
    if isinstance(value, dict):
        return {clean_text(str(k))[:200]: json_safe(v, depth + 1) for k, v in list(value.items())[:100]}
    if isinstance(value, list):
        return [json_safe(v, depth + 1) for v in value[:100]]
    if isinstance(value, bool | int | float) or value is None:
        return value if not isinstance(value, int) or abs(value) < 2**53 else str(value)
    return clean_text(str(value))


def adapters() -> dict[str, PlatformAdapter]:
    """The registry: delivery source name → adapter."""
    from app.platforms.linkedin.webhook import LinkedInAdapter
    from app.platforms.meta.webhook import MetaAdapter
    from app.platforms.polled import PolledAdapter
    from app.platforms.web import WebAdapter

    return {
        "meta": MetaAdapter(),
        "linkedin": LinkedInAdapter(),
        "web": WebAdapter(),
        "polled": PolledAdapter(),
    }
