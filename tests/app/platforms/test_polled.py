"""Polled observations parse to the same event keys as the webhooks of the same comments."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from app.platforms import MalformedDelivery
from app.platforms.meta.webhook import MetaAdapter
from app.platforms.polled import SCHEMA, PolledAdapter
from tests.factories import IG_ACCOUNT_ID, PAGE_ID, feed_change, instagram_delivery, meta_json, page_delivery


def polled(
    platform: str, account: str, *items: dict[str, object], observed: str = "2026-12-03T08:00:00+00:00"
) -> bytes:
    return json.dumps(
        {
            "schema": SCHEMA,
            "platform": platform,
            "account": account,
            "observed_at": observed,
            "comments": list(items),
        }
    ).encode()


def test_a_polled_facebook_add_has_the_webhook_add_key() -> None:
    created = 1_764_576_000
    [webhook] = (
        MetaAdapter()
        .parse(meta_json(page_delivery(feed_change(comment="5", message="Hej på er", created=created))))
        .events
    )
    [seen] = (
        PolledAdapter()
        .parse(
            polled(
                "facebook",
                PAGE_ID,
                # Graph lists the creation time as ISO-8601 with +0000.
                {
                    "id": "900_5",
                    "kind": "added",
                    "text": "Hej på er",
                    "created_at": "2025-12-01T08:00:00+0000",
                    "post_id": f"{PAGE_ID}_900",
                },
            )
        )
        .events
    )
    assert datetime.fromtimestamp(created, UTC).isoformat() == "2025-12-01T08:00:00+00:00"
    assert seen.event_key == webhook.event_key
    assert (seen.comment_external_id, seen.occurred_at, seen.kind) == (
        webhook.comment_external_id,
        webhook.occurred_at,
        "added",
    )
    # Another text is another event (an edit before the comment was first seen).
    [other] = (
        PolledAdapter()
        .parse(
            polled(
                "facebook",
                PAGE_ID,
                {"id": "900_5", "kind": "added", "text": "Hej!", "created_at": "2025-12-01T08:00:00+0000"},
            )
        )
        .events
    )
    assert other.event_key != webhook.event_key


def test_a_polled_instagram_add_has_the_webhook_key() -> None:
    value = {
        "id": "17865799348089039",
        "text": "Fin bild!",
        "from": {"id": "1", "username": "testa"},
        "media": {"id": "555"},
    }
    [webhook] = MetaAdapter().parse(meta_json(instagram_delivery(value))).events
    [seen] = (
        PolledAdapter()
        .parse(
            polled(
                "instagram",
                IG_ACCOUNT_ID,
                {
                    "id": "17865799348089039",
                    "kind": "added",
                    "text": "Fin bild!",
                    "created_at": "2026-12-01T08:00:00+0000",
                    "post_id": "555",
                },
            )
        )
        .events
    )
    assert seen.event_key == webhook.event_key


def test_edits_and_removals_seen_twice_are_one_event() -> None:
    item = {
        "id": "Ugx1",
        "kind": "edited",
        "text": "Ny text",
        "version_at": "2026-12-02T10:00:00Z",
        "post_id": "v1",
    }
    first = (
        PolledAdapter().parse(polled("youtube", "UC1", item, observed="2026-12-03T08:00:00+00:00")).events[0]
    )
    second = (
        PolledAdapter().parse(polled("youtube", "UC1", item, observed="2026-12-03T09:00:00+00:00")).events[0]
    )
    assert first.event_key == second.event_key
    assert first.occurred_at == datetime(2026, 12, 2, 10, tzinfo=UTC)
    gone = {"id": "Ugx1", "kind": "removed", "post_id": "v1"}
    a = PolledAdapter().parse(polled("youtube", "UC1", gone, observed="2026-12-03T08:00:00+00:00")).events[0]
    b = PolledAdapter().parse(polled("youtube", "UC1", gone, observed="2026-12-04T08:00:00+00:00")).events[0]
    assert a.event_key == b.event_key and a.text is None


def test_a_body_that_is_not_ours_is_malformed() -> None:
    with pytest.raises(MalformedDelivery):
        PolledAdapter().parse(b'{"object": "page", "entry": []}')
    result = PolledAdapter().parse(polled("facebook", PAGE_ID, {"id": "1", "kind": "liked"}, "not an object"))  # type: ignore[arg-type]
    assert result.events == [] and len(result.ignored) == 2
