"""YouTube as a polling source: the channel's comments flow to the same queue, and the
editor's decisions become YouTube's own moderation calls — within the daily quota."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import SecretStr
from sqlalchemy import select

from app.actions.worker import ActionWorker
from app.crypto import TokenCipher
from app.models import ApiQuotaUsage, PlatformAction
from app.platforms.youtube.client import quota_day
from app.reconcile.runner import ListingClients, reconcile_account
from tests.app.reconcile.conftest import YOUTUBE_TOKEN, World
from tests.factories import auth

CHANNEL = "UCkommun000000000000001"


def _z(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def _arrange(world: World) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    world.account("youtube", CHANNEL, YOUTUBE_TOKEN)
    yt = world.youtube
    yt.add_comment(
        "UgzA",
        channel_id=CHANNEL,
        video_id="vid1",
        text="Mitt personnummer är 19121212-1212, ring mig!",
        published_at=_z(now - timedelta(hours=5)),
    )
    yt.add_comment(
        "UgzB",
        channel_id=CHANNEL,
        video_id="vid1",
        text="Bra film om återvinningen",
        published_at=_z(now - timedelta(hours=4)),
    )
    yt.add_comment(
        "UgzB.r1",
        channel_id=CHANNEL,
        video_id="vid1",
        text="Tack!",
        published_at=_z(now - timedelta(hours=3)),
        parent_id="UgzB",
    )
    yt.add_comment(
        "UgzB.r2",
        channel_id=CHANNEL,
        video_id="vid1",
        text="Håller med",
        published_at=_z(now - timedelta(hours=2)),
        parent_id="UgzB",
    )
    yt.add_comment(
        "UgzC",
        channel_id=CHANNEL,
        video_id="vid2",
        text="När öppnar badhuset?",
        published_at=_z(now - timedelta(hours=1)),
    )


def test_a_channel_comment_reaches_the_queue_and_a_removal_is_one_delete_call(world: World) -> None:
    _arrange(world)
    summary = world.reconcile("youtube")
    assert (summary.listed, summary.added, summary.stopped) == (5, 5, None)
    comments = world.comments("youtube")
    assert sorted(comments) == ["UgzA", "UgzB", "UgzB.r1", "UgzB.r2", "UgzC"]
    assert comments["UgzB.r2"].parent_external_id == "UgzB"  # the reply beyond those the thread carried
    assert comments["UgzA"].post_external_id == "vid1" and comments["UgzA"].author_name == "Testa Testsson"

    items = world.client.get("/v1/queue", headers=auth(world.editor)).json()["items"]
    [item] = [i for i in items if i["comment_id"] == comments["UgzA"].id]
    decided = world.client.post(
        f"/v1/queue/{item['id']}/decision",
        headers=auth(world.editor),
        json={"actions": ["remove"], "reason": "Personnummer ska inte synas."},
    )
    assert decided.status_code == 200, decided.text
    world.actions.run_until_idle()
    world.actions.run_until_idle()

    deletes = [c for c in world.youtube.calls if c.method == "DELETE"]
    assert [(c.path, c.query) for c in deletes] == [("/youtube/v3/comments", {"id": "UgzA"})]
    assert world.youtube.comment("UgzA").deleted
    world.session.rollback()
    [action] = world.session.scalars(select(PlatformAction).where(PlatformAction.kind == "delete")).all()
    assert action.status == "done"
    # Units spent: one per listing call, fifty per moderation call (Google's quota calculator);
    # the policy's automatic hide ("held for review") went first, the editor's delete after it.
    reads = len([c for c in world.youtube.calls if c.method == "GET"])
    writes = [(c.method, c.path) for c in world.youtube.calls if c.method != "GET"]
    assert writes == [
        ("POST", "/youtube/v3/comments/setModerationStatus"),
        ("DELETE", "/youtube/v3/comments"),
    ]
    used = world.session.scalar(
        select(ApiQuotaUsage.units).where(ApiQuotaUsage.day == quota_day(datetime.now(UTC)))
    )
    assert used == reads + 50 * len(writes)

    # The next run does not list it any more; our records already say why (ours, not the author's).
    again = world.reconcile("youtube")
    assert (again.added, again.edited, again.removed) == (0, 0, 0)
    assert world.comments("youtube")["UgzA"].state == "deleted_by_us"


def test_listing_stops_before_the_daily_quota_is_exceeded(world: World) -> None:
    _arrange(world)
    factory = world.client.app.state.session_factory  # type: ignore[attr-defined]
    tight = world.settings.model_copy(update={"youtube_daily_quota": 2})
    clients = ListingClients(tight, factory)
    try:
        summary = reconcile_account(
            factory, tight, clients, account_id=world.accounts["youtube"].id, actor="test"
        )
    finally:
        clients.close()
    assert summary.stopped_code == "quota_exhausted"
    assert len(world.youtube.calls) == 2, "the call that would exceed the quota is never made"
    assert summary.resume_after is not None and summary.resume_after > datetime.now(UTC)
    assert summary.complete_posts == 0 and summary.removed == 0


def test_a_moderation_call_that_would_exceed_the_quota_waits(world: World) -> None:
    _arrange(world)
    world.reconcile("youtube")
    items = world.client.get("/v1/queue", headers=auth(world.editor)).json()["items"]
    assert items
    r = world.client.post(
        f"/v1/queue/{items[0]['id']}/decision",
        headers=auth(world.editor),
        json={"actions": ["hide"], "reason": "Personnummer ska inte synas."},
    )
    assert r.status_code == 200, r.text
    factory = world.client.app.state.session_factory  # type: ignore[attr-defined]
    spent = len(world.youtube.calls)
    tight = world.settings.model_copy(update={"youtube_daily_quota": spent + 49})
    actions = ActionWorker(factory, tight, name="actions:tight")
    try:
        actions.run_until_idle()
    finally:
        actions.close()
    assert len(world.youtube.calls) == spent, "no call beyond the quota"
    world.session.rollback()
    actions_left = world.session.scalars(select(PlatformAction)).all()
    assert actions_left
    assert {(a.status, a.error_code) for a in actions_left} == {("pending", "quota_exhausted")}
    # Retried when the quota day turns (the wait the error gave), not in a loop before.
    assert all(a.next_attempt_at > datetime.now(UTC) + timedelta(minutes=1) for a in actions_left)
    # With the quota there again, the hide is "held for review".
    for a in actions_left:
        a.next_attempt_at = datetime.now(UTC)
    world.session.commit()
    world.actions.run_until_idle()
    posts = [c for c in world.youtube.calls if c.method == "POST"]
    assert posts and {c.path for c in posts} == {"/youtube/v3/comments/setModerationStatus"}
    assert {c.query["moderationStatus"] for c in posts} == {"heldForReview"}
    # A comment held for review is not in the public listing: that is no removal.
    hidden = [a.comment_id for a in actions_left]
    again = world.reconcile("youtube")
    assert again.removed == 0
    assert {c.state for c in world.comments("youtube").values() if c.id in hidden} == {"hidden"}


REFRESH = "1//refresh-token-of-the-channel"


def _with_oauth(world: World, **extra: Any) -> tuple[Any, ListingClients, ActionWorker]:
    """Settings with the installation's Google OAuth client: stored tokens are refresh tokens."""
    token_url = world.settings.youtube_api_url.removesuffix("/youtube/v3") + "/token"
    settings = world.settings.model_copy(
        update={
            "youtube_client_id": "uppsikt.apps.googleusercontent.com",
            "youtube_client_secret": SecretStr("made-up-client-secret"),
            "youtube_token_url": token_url,
            **extra,
        }
    )
    factory = world.client.app.state.session_factory  # type: ignore[attr-defined]
    return settings, ListingClients(settings, factory), ActionWorker(factory, settings, name="actions:oauth")


def test_the_stored_refresh_token_gets_hour_long_access_tokens(world: World) -> None:
    _arrange(world)
    world.session.rollback()
    account = world.accounts["youtube"]
    account.access_token_ciphertext = TokenCipher(world.settings).encrypt(REFRESH)
    world.session.commit()
    world.youtube.refresh_tokens.add(REFRESH)
    settings, clients, actions = _with_oauth(world)
    factory = world.client.app.state.session_factory  # type: ignore[attr-defined]
    try:
        summary = reconcile_account(factory, settings, clients, account_id=account.id, actor="test")
        assert summary.stopped is None and summary.added == 5
        # One refresh for the whole run: the access token is reused until a minute before it ends.
        assert world.youtube.issued == ["ya29.issued-1"]
        world.worker.run_until_idle()
        items = world.client.get("/v1/queue", headers=auth(world.editor)).json()["items"]
        decided = world.client.post(
            f"/v1/queue/{items[0]['id']}/decision",
            headers=auth(world.editor),
            json={"actions": ["remove"], "reason": "Personnummer ska inte synas."},
        )
        assert decided.status_code == 200, decided.text
        actions.run_until_idle()
        actions.run_until_idle()
    finally:
        clients.close()
        actions.close()
    world.session.rollback()
    assert {a.status for a in world.session.scalars(select(PlatformAction))} == {"done"}
    assert len(world.youtube.issued) == 2  # the action worker is its own process: its own access token


def test_a_revoked_refresh_token_stops_with_a_reason_to_renew(world: World) -> None:
    _arrange(world)  # the stored token is not a refresh token Google knows
    settings, clients, actions = _with_oauth(world)
    factory = world.client.app.state.session_factory  # type: ignore[attr-defined]
    try:
        summary = reconcile_account(
            factory, settings, clients, account_id=world.accounts["youtube"].id, actor="t"
        )
    finally:
        clients.close()
        actions.close()
    assert summary.stopped is not None and "förnya" in summary.stopped
    assert world.youtube.issued == [] and not [
        c for c in world.youtube.calls if c.path.startswith("/youtube")
    ]
