"""Webhooks "down": what the Page's posts show is filled in by reconciliation, exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.models import ModerationLogEntry, QueueItem, ReconcileState, WebhookDelivery
from app.modlog.completeness import check_tenant
from tests.app.reconcile.conftest import GRAPH_TOKEN, World
from tests.factories import feed_change, meta_json, page_delivery, sign_meta

PAGE = "5550000000001"


def _iso(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S+0000")


def _arrange(world: World) -> dict[str, datetime]:
    now = datetime.now(UTC).replace(microsecond=0)
    times = {
        "post": now - timedelta(days=2),
        "c1": now - timedelta(hours=30),
        "c2": now - timedelta(hours=29),
    }
    times["c3"] = now - timedelta(hours=28)
    world.account("facebook", PAGE, GRAPH_TOKEN)
    world.graph.add_post(
        f"{PAGE}_777", account_id=PAGE, platform="facebook", created_time=_iso(times["post"])
    )
    # An old post, outside the window: never listed.
    world.graph.add_post(
        f"{PAGE}_100", account_id=PAGE, platform="facebook", created_time=_iso(now - timedelta(days=60))
    )
    world.graph.add_listed_comment(
        "777_1", post_id=f"{PAGE}_777", message="När plogas Storgatan?", created_time=_iso(times["c1"])
    )
    world.graph.add_listed_comment(
        "777_2", post_id=f"{PAGE}_777", message="Bra jobbat med snöröjningen", created_time=_iso(times["c2"])
    )
    world.graph.add_listed_comment(
        "777_3",
        post_id=f"{PAGE}_777",
        message="Håller med!",
        created_time=_iso(times["c3"]),
        parent_id="777_1",
        author_id="5550002",
        author_name="Tess Testdotter",
    )
    return times


def _webhook(world: World, *changes: dict[str, object], sent: datetime) -> None:
    body = meta_json(page_delivery(*changes, page_id=PAGE, time=int(sent.timestamp())))
    assert world.client.post("/webhooks/meta", content=body, headers=sign_meta(body)).status_code == 200
    world.worker.run_until_idle()


def test_a_webhook_gap_is_filled_once_and_late_webhooks_double_nothing(world: World) -> None:
    times = _arrange(world)
    world.graph.edit_comment("777_2", "Bra jobbat med snöröjningen, men cykelbanan glömdes")
    edited_at = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)

    summary = world.reconcile("facebook")

    assert (summary.listed, summary.added, summary.edited, summary.removed) == (3, 3, 0, 0)
    assert summary.stopped is None and summary.complete_posts == 1
    comments = world.comments("facebook")
    assert sorted(comments) == ["777_1", "777_2", "777_3"]
    assert world.current_text(comments["777_2"]) == "Bra jobbat med snöröjningen, men cykelbanan glömdes"
    assert comments["777_3"].parent_external_id == "777_1"
    assert comments["777_3"].author_name == "Tess Testdotter"
    assert comments["777_1"].post_external_id == f"{PAGE}_777"
    assert comments["777_1"].platform_created_at == times["c1"]
    # The old post's comments were not asked for (posts since the window only).
    assert not [c for c in world.graph.calls if f"{PAGE}_100" in c.path]

    # The webhooks arrive after all (Meta retries for 36 hours): the add of 777_1 has the
    # key reconciliation gave it, so it is a no-op; 777_2's add and edit tell its history.
    _webhook(
        world,
        feed_change(
            comment="1",
            message="När plogas Storgatan?",
            created=int(times["c1"].timestamp()),
            post="777",
            page_id=PAGE,
        ),
        sent=times["c1"],
    )
    _webhook(
        world,
        feed_change(
            comment="2",
            message="Bra jobbat med snöröjningen",
            created=int(times["c2"].timestamp()),
            post="777",
            page_id=PAGE,
        ),
        feed_change(
            verb="edited",
            comment="2",
            message="Bra jobbat med snöröjningen, men cykelbanan glömdes",
            created=int(times["c2"].timestamp()),
            post="777",
            page_id=PAGE,
            extra={"edited_time": int(edited_at.timestamp())},
        ),
        sent=edited_at,
    )

    comments = world.comments("facebook")
    assert sorted(comments) == ["777_1", "777_2", "777_3"]
    assert world.events(comments["777_1"]) == 1, "the late add must be the event reconciliation stored"
    assert world.versions(comments["777_1"]) == ["När plogas Storgatan?"]
    assert world.versions(comments["777_2"]) == [
        "Bra jobbat med snöröjningen",
        "Bra jobbat med snöröjningen, men cykelbanan glömdes",
    ]
    assert world.current_text(comments["777_2"]) == "Bra jobbat med snöröjningen, men cykelbanan glömdes"
    items = world.session.scalars(select(QueueItem.comment_id)).all()
    assert len(items) == len(set(items)), "a comment must never have two queue items"

    # Nothing changed on the platform: a second run finds nothing and stores nothing.
    deliveries = world.session.scalar(select(func.count()).select_from(WebhookDelivery))
    again = world.reconcile("facebook")
    assert (again.added, again.edited, again.removed, again.delivery_ids) == (0, 0, 0, [])
    world.session.rollback()
    assert world.session.scalar(select(func.count()).select_from(WebhookDelivery)) == deliveries

    # Edited and deleted on the platform while webhooks are down again.
    world.graph.edit_comment("777_1", "När plogas Storgatan? Det är tredje dagen nu.")
    world.graph.delete_on_platform("777_3")
    third = world.reconcile("facebook")
    assert (third.added, third.edited, third.removed) == (0, 1, 1)
    comments = world.comments("facebook")
    assert comments["777_3"].state == "deleted_by_author"
    assert world.versions(comments["777_3"]) == ["Håller med!"], "a removal keeps the text (allmän handling)"
    assert world.current_text(comments["777_1"]) == "När plogas Storgatan? Det är tredje dagen nu."

    # The late remove webhook of 777_3 changes nothing more.
    _webhook(
        world,
        feed_change(verb="remove", comment="3", message=None, post="777", page_id=PAGE, parent="777_1"),
        sent=datetime.now(UTC) - timedelta(minutes=5),
    )
    assert world.comments("facebook")["777_3"].state == "deleted_by_author"

    # Every run is in the moderation log with what it found, and the log is complete.
    world.session.rollback()
    runs = world.session.scalars(
        select(ModerationLogEntry)
        .where(ModerationLogEntry.action == "reconcile.run")
        .order_by(ModerationLogEntry.seq)
    ).all()
    assert [(r.payload["added"], r.payload["edited"], r.payload["removed"]) for r in runs] == [
        (3, 0, 0),
        (0, 0, 0),
        (0, 1, 1),
    ]
    assert runs[0].subject_type == "account" and runs[0].account_id == world.accounts["facebook"].id
    assert check_tenant(world.session, world.tenant.id).complete


def test_a_throttle_stops_the_run_and_nothing_is_asked_until_the_platform_allows(world: World) -> None:
    _arrange(world)
    # The post list answers; the comments call is throttled (BUC 80001, wait from the headers).
    world.graph.throttle_minutes = 2
    world.graph.fail_next(1, "throttle")
    first = world.reconcile("facebook")
    assert first.stopped_code == "rate_limited"
    assert first.resume_after is not None and first.resume_after > datetime.now(UTC) + timedelta(seconds=60)
    world.session.rollback()
    state = world.session.scalars(select(ReconcileState)).one()
    assert state.resume_after == first.resume_after and state.last_complete_at is None

    calls = len(world.graph.calls)
    paused = world.reconcile("facebook")
    assert paused.stopped_code == "paused" and "vänta till" in paused.line_sv()
    assert len(world.graph.calls) == calls, "a paused account must not be asked anything"

    # When the platform allows it again, the run resumes and fills the gap.
    later = world.reconcile("facebook", now=first.resume_after + timedelta(seconds=1))
    assert later.stopped is None and later.added == 3
    world.graph.throttle_minutes = 0


def test_a_post_listed_only_in_part_is_never_taken_as_removals(world: World) -> None:
    times = _arrange(world)
    # 777_3 came by webhook and is still on the platform, but the listing of the post's
    # comments breaks after its first page (777_1): 777_3 was not seen, and must not be "removed".
    _webhook(
        world,
        feed_change(
            comment="3",
            message="Håller med!",
            created=int(times["c3"].timestamp()),
            post="777",
            page_id=PAGE,
            parent="777_1",
        ),
        sent=times["c3"],
    )
    world.graph.page_size = 1
    world.graph.fail_comments_from = 1
    summary = world.reconcile("facebook")
    assert summary.stopped_code == "platform_unavailable" and summary.resume_after is not None
    assert (summary.listed, summary.added, summary.complete_posts, summary.removed) == (1, 1, 0, 0)
    assert world.comments("facebook")["777_3"].state == "visible"
