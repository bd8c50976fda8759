"""The worker turns stored deliveries into comments, exactly once in effect."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Comment, CommentEvent, CommentVersion, ModerationLogEntry, WebhookDelivery
from app.settings import Settings
from app.worker.inbox import InboxWorker
from tests.factories import (
    IG_ACCOUNT_ID,
    LI_ORG,
    create_account,
    create_tenant,
    feed_change,
    instagram_delivery,
    linkedin_delivery,
    linkedin_notification,
    meta_json,
    page_delivery,
    sign_linkedin,
    sign_meta,
)


@pytest.fixture
def page(session: Session) -> Any:
    tenant = create_tenant(session)
    return create_account(session, tenant=tenant)


def deliver(client: TestClient, payload: Any) -> None:
    body = meta_json(payload)
    assert client.post("/webhooks/meta", content=body, headers=sign_meta(body)).status_code == 200


def count(session: Session, model: Any) -> int:
    session.commit()
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def snapshot(session: Session) -> list[tuple[Any, ...]]:
    """The observable final state of every comment."""
    session.commit()
    out = []
    for c in session.scalars(select(Comment).order_by(Comment.external_id)):
        versions = session.scalars(
            select(CommentVersion).where(CommentVersion.comment_id == c.id).order_by(CommentVersion.seq)
        ).all()
        current = next((v.text for v in versions if v.id == c.current_version_id), None)
        out.append(
            (
                c.external_id,
                c.state,
                current,
                tuple((v.seq, v.text) for v in versions),
                c.author_name,
                c.parent_external_id,
            )
        )
    return out


def test_delivery_becomes_comment_with_version_and_log(
    client: TestClient, session: Session, worker: InboxWorker, page: Any
) -> None:
    deliver(client, page_delivery(feed_change(message="När töms soptunnorna på Ekvägen?")))
    assert worker.run_until_idle() == 1
    [(external_id, state, text, versions, author, parent)] = snapshot(session)
    assert (external_id, state, text, author, parent) == (
        "900_1",
        "visible",
        "När töms soptunnorna på Ekvägen?",
        "Testa Testsson",
        None,
    )
    assert len(versions) == 1
    row = session.scalars(select(WebhookDelivery)).one()
    assert (row.status, row.events_count, row.attempts) == ("done", 1, 0)
    actions = [e.action for e in session.scalars(select(ModerationLogEntry).order_by(ModerationLogEntry.seq))]
    assert actions[-2:] == ["delivery.received", "comment.stored"]
    assert all("När" not in json.dumps(e.payload) for e in session.scalars(select(ModerationLogEntry)))


def test_replaying_any_delivery_changes_nothing(
    client: TestClient, session: Session, worker: InboxWorker, page: Any
) -> None:
    deliver(client, page_delivery(feed_change()))
    deliver(client, page_delivery(feed_change(verb="edited", message="Hej igen"), time=1_700_000_200))
    worker.run_until_idle()
    before = (snapshot(session), count(session, CommentEvent), count(session, ModerationLogEntry))
    # The same events in new deliveries (a different batch, so different bytes):
    deliver(
        client,
        page_delivery(feed_change(), feed_change(verb="edited", message="Hej igen"), time=1_700_000_200),
    )
    deliver(
        client,
        page_delivery(
            feed_change(verb="edited", message="Hej igen"), time=1_700_000_200, page_id="111111111111111"
        )
        | {"extra": 1},
    )
    worker.run_until_idle()
    session.commit()
    log_after = count(session, ModerationLogEntry)
    assert snapshot(session) == before[0]
    assert count(session, CommentEvent) == before[1]
    # Only the two "delivery.received" entries are new; no comment entries repeat.
    assert log_after - before[2] == 2


EVENTS = [
    page_delivery(feed_change(verb="add", message="Först"), time=1_700_000_010),
    page_delivery(
        feed_change(verb="edited", message="Ändrad text", extra={"edited_time": 1_700_000_050}),
        time=1_700_000_050,
    ),
    page_delivery(feed_change(verb="hide", message="Ändrad text"), time=1_700_000_060),
    page_delivery(feed_change(verb="remove", message=None), time=1_700_000_090),
]


@pytest.mark.parametrize("order", [p for i, p in enumerate(itertools.permutations(range(4))) if i % 5 == 0])
def test_out_of_order_events_converge(
    client: TestClient, session: Session, worker: InboxWorker, page: Any, order: tuple[int, ...]
) -> None:
    for i in order:
        deliver(client, EVENTS[i])
        worker.run_until_idle()  # one at a time, so the order really is this order
    [(_, state, text, versions, author, _)] = snapshot(session)
    assert state == "deleted_by_author"
    assert text == "Ändrad text"
    assert versions == ((1, "Först"), (2, "Ändrad text"))
    assert author == "Testa Testsson"


def test_hide_then_unhide_ends_visible(
    client: TestClient, session: Session, worker: InboxWorker, page: Any
) -> None:
    deliver(client, page_delivery(feed_change(verb="unhide"), time=1_700_000_300))
    deliver(client, page_delivery(feed_change(verb="hide"), time=1_700_000_200))
    deliver(client, page_delivery(feed_change()))
    worker.run_until_idle()
    assert snapshot(session)[0][1] == "visible"


def test_unknown_account_is_kept_and_ignored(
    client: TestClient, session: Session, worker: InboxWorker, page: Any
) -> None:
    deliver(client, page_delivery(feed_change(page_id="999"), page_id="999"))
    worker.run_until_idle()
    row = session.scalars(select(WebhookDelivery)).one()
    assert (row.status, row.events_count, row.ignored_count) == ("done", 0, 1)
    assert count(session, Comment) == 0


def test_non_json_is_failed_visibly_not_dropped(
    client: TestClient, session: Session, worker: InboxWorker
) -> None:
    body = b"<html>not json</html>"
    assert client.post("/webhooks/meta", content=body, headers=sign_meta(body)).status_code == 200
    worker.run_until_idle()
    session.commit()
    row = session.scalars(select(WebhookDelivery)).one()
    assert row.status == "failed"
    assert "not JSON" in (row.last_error or "")
    assert row.body == body


def test_failing_processing_is_retried_then_failed(
    client: TestClient, session: Session, settings: Settings, app: Any, page: Any
) -> None:
    calls = []

    def broken_assess(*_: Any) -> None:
        calls.append(1)
        raise RuntimeError("classifier exploded")

    worker = InboxWorker(
        app.state.session_factory,
        settings.model_copy(update={"worker_max_attempts": 3}),
        classify=broken_assess,
    )
    deliver(client, page_delivery(feed_change()))
    deliver(client, page_delivery(feed_change(comment="2")))
    for _ in range(10):
        worker.run_once()
    session.commit()
    rows = session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()
    assert [(r.status, r.attempts) for r in rows] == [("failed", 3), ("failed", 3)]
    assert "RuntimeError" in (rows[0].last_error or "")
    # At least three attempts per row (a round may also try them as a batch, and SQLite's
    # worker classifies ahead of its write transaction).
    assert len(calls) >= 6
    # Nothing of a failed attempt stays behind: no comments, no comment log entries.
    assert count(session, Comment) == 0
    actions = {e.action for e in session.scalars(select(ModerationLogEntry))}
    assert "comment.stored" not in actions and "delivery.received" not in actions


def test_instagram_and_linkedin_deliveries(client: TestClient, session: Session, worker: InboxWorker) -> None:
    tenant = create_tenant(session)
    create_account(session, tenant=tenant, platform="instagram", external_id=IG_ACCOUNT_ID)
    create_account(session, tenant=tenant, platform="linkedin", external_id=LI_ORG)
    deliver(
        client,
        instagram_delivery(
            {"id": "178", "text": "Härligt!", "from": {"id": "1", "username": "anna"}, "media": {"id": "55"}}
        ),
    )
    li = json.dumps(
        linkedin_delivery(
            linkedin_notification(notification_id=1),
            linkedin_notification(
                action="COMMENT_EDIT", notification_id=2, text="Bra!", at_ms=1_700_000_500_000
            ),
        )
    ).encode()
    assert client.post("/webhooks/linkedin", content=li, headers=sign_linkedin(li)).status_code == 200
    # LinkedIn re-sends notification 2 inside another batch: deduplicated on notificationId.
    li2 = json.dumps(
        linkedin_delivery(
            linkedin_notification(
                action="COMMENT_EDIT", notification_id=2, text="Bra!", at_ms=1_700_000_500_000
            ),
            linkedin_notification(
                action="COMMENT_DELETE", notification_id=3, text=None, at_ms=1_700_000_900_000
            ),
        )
    ).encode()
    assert client.post("/webhooks/linkedin", content=li2, headers=sign_linkedin(li2)).status_code == 200
    worker.run_until_idle()
    state = {s[0]: s for s in snapshot(session)}
    assert state["178"][1:3] == ("visible", "Härligt!")
    li_comment = state["urn:li:comment:(urn:li:activity:6001,7001)"]
    assert li_comment[1:3] == ("deleted_by_author", "Bra!")
    assert count(session, CommentEvent) == 4


def test_a_facebook_page_id_does_not_match_an_instagram_delivery(
    client: TestClient, session: Session, worker: InboxWorker, page: Any
) -> None:
    deliver(client, instagram_delivery({"id": "5", "text": "x"}, account=page.external_id))
    worker.run_until_idle()
    assert count(session, Comment) == 0
