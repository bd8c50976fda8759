"""Each payload shape in platforms.md parses into our own events (pure, no database)."""

from __future__ import annotations

import json

import pytest

from app.platforms import MalformedDelivery
from app.platforms.linkedin.webhook import LinkedInAdapter, normalise_comment_urn
from app.platforms.meta.webhook import MetaAdapter
from tests.factories import (
    feed_change,
    instagram_delivery,
    linkedin_delivery,
    linkedin_notification,
    meta_json,
    page_delivery,
)

meta = MetaAdapter()


@pytest.mark.parametrize(
    ("verb", "kind"),
    [
        ("add", "added"),
        ("edited", "edited"),
        ("edit", "edited"),
        ("remove", "removed"),
        ("hide", "hidden"),
        ("unhide", "unhidden"),
    ],
)
def test_feed_comment_verbs(verb: str, kind: str) -> None:
    result = meta.parse(
        meta_json(page_delivery(feed_change(verb=verb, message=None if verb == "remove" else "Hej")))
    )
    assert [e.kind for e in result.events] == [kind]
    event = result.events[0]
    assert (event.platform, event.comment_external_id, event.account_external_id) == (
        "facebook",
        "900_1",
        "111111111111111",
    )


def test_reply_photo_and_video_are_kept() -> None:
    change = feed_change(
        comment="2",
        parent="900_1",
        extra={"photo": "https://cdn.example/p.jpg", "video": "https://cdn.example/v.mp4"},
    )
    event = meta.parse(meta_json(page_delivery(change))).events[0]
    assert event.parent_external_id == "900_1"
    assert event.post_external_id == "111111111111111_900"
    assert event.media_urls == ("https://cdn.example/p.jpg", "https://cdn.example/v.mp4")
    top = meta.parse(meta_json(page_delivery(feed_change()))).events[0]
    assert top.parent_external_id is None  # parent_id == post_id means a top-level comment


def test_old_sender_fields_and_swedish_text() -> None:
    value = feed_change(message="Snöröjningen på Ängsvägen är ett skämt").copy()
    del value["value"]["from"]
    value["value"].update({"sender_id": 42, "sender_name": "Åsa Öberg"})
    event = meta.parse(meta_json(page_delivery(value))).events[0]
    assert (event.author_external_id, event.author_name) == ("42", "Åsa Öberg")
    assert event.text == "Snöröjningen på Ängsvägen är ett skämt"


def test_batched_entries_and_changes_are_all_read() -> None:
    payload = page_delivery(feed_change(comment="1"), feed_change(comment="2"))
    payload["entry"].append({"id": "222", "time": 1, "changes": [feed_change(comment="3", page_id="222")]})
    events = meta.parse(meta_json(payload)).events
    assert [(e.account_external_id, e.comment_external_id) for e in events] == [
        ("111111111111111", "900_1"),
        ("111111111111111", "900_2"),
        ("222", "900_3"),
    ]


def test_unknown_objects_fields_items_and_verbs_are_ignored_not_raised() -> None:
    payload = page_delivery(
        {"field": "feed", "value": {"item": "reaction", "verb": "add"}},
        {"field": "mention", "value": {}},
        feed_change(verb="block"),
        feed_change(comment="ok"),
    )
    result = meta.parse(meta_json(payload))
    assert [e.comment_external_id for e in result.events] == ["900_ok"]
    assert len(result.ignored) == 3
    other = meta.parse(json.dumps({"object": "user", "entry": [{"id": "1", "changes": []}]}).encode())
    assert other.events == [] and other.ignored


@pytest.mark.parametrize("id_field", ["id", "comment_id"])
@pytest.mark.parametrize("field", ["comments", "live_comments"])
def test_instagram_comment_shapes(id_field: str, field: str) -> None:
    value = {
        "from": {"id": "232323232", "username": "test"},
        "media": {"id": "123123123", "media_product_type": "FEED"},
        id_field: "17865799348089039",
        "parent_id": "1231231234",
        "text": "Fin bild! 🌲",
    }
    result = meta.parse(meta_json(instagram_delivery(value, field=field)))
    event = result.events[0]
    assert (event.platform, event.comment_external_id, event.text) == (
        "instagram",
        "17865799348089039",
        "Fin bild! 🌲",
    )
    assert (event.author_name, event.post_external_id, event.parent_external_id) == (
        "test",
        "123123123",
        "1231231234",
    )


def test_instagram_list_wrapped_body_is_accepted() -> None:
    value = {"id": "1", "text": "hej", "from": {"id": "2", "username": "u"}, "media": {"id": "3"}}
    body = json.dumps([instagram_delivery(value)]).encode()
    assert len(meta.parse(body).events) == 1


@pytest.mark.parametrize("body", [b"not json", b"\xff\xfe", b"[1, 2]", b'{"object": "page"}', b"null"])
def test_malformed_bodies_raise_malformed(body: bytes) -> None:
    with pytest.raises(MalformedDelivery):
        meta.parse(body)


def test_linkedin_comment_edit_delete_and_others() -> None:
    payload = linkedin_delivery(
        linkedin_notification(action="COMMENT", notification_id=1),
        linkedin_notification(action="COMMENT_EDIT", notification_id=2, text="Bra initiativ! (ändrat)"),
        linkedin_notification(action="COMMENT_DELETE", notification_id=3, text=None),
        linkedin_notification(action="LIKE", notification_id=4),
    )
    result = LinkedInAdapter().parse(json.dumps(payload).encode())
    assert [e.kind for e in result.events] == ["added", "edited", "removed"]
    assert {e.comment_external_id for e in result.events} == {"urn:li:comment:(urn:li:activity:6001,7001)"}
    assert result.events[0].account_external_id == "urn:li:organization:2414183"
    assert len(result.ignored) == 1


def test_linkedin_event_key_is_the_notification_id() -> None:
    a = LinkedInAdapter().parse(
        json.dumps(linkedin_delivery(linkedin_notification(notification_id=9))).encode()
    )
    b = LinkedInAdapter().parse(
        json.dumps(
            linkedin_delivery(
                linkedin_notification(notification_id=9), linkedin_notification(notification_id=10)
            )
        ).encode()
    )
    assert a.events[0].event_key == b.events[0].event_key != b.events[1].event_key


def test_short_and_full_comment_urns_normalise_alike() -> None:
    assert normalise_comment_urn("urn:li:comment:(activity:1,2)") == "urn:li:comment:(urn:li:activity:1,2)"
    assert (
        normalise_comment_urn("urn:li:comment:(urn:li:activity:1,2)")
        == "urn:li:comment:(urn:li:activity:1,2)"
    )
