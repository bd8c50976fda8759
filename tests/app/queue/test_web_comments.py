"""Comments from a website: nothing is recommended that the platform registry says it cannot do."""

from __future__ import annotations

from typing import Any

from tests.app.queue.conftest import World
from tests.factories import auth, create_account, create_key


def test_a_web_comment_can_be_decided_as_recommended(world_factory: Any) -> None:
    """The 422 of issue 12: a web comment was recommended ``hide``, which a decision then refused."""
    world: World = world_factory("helsingborg")
    site = create_account(world.session, tenant=world.tenant, platform="web", external_id="site", owner=None)
    ingest_key = create_key(world.session, tenant=world.tenant, role="admin")
    r = world.client.post(
        "/v1/comments",
        headers=auth(ingest_key),
        json={
            "account_id": site.id,
            "comments": [{"external_id": "w1", "text": "Ring Testa Testsson på 070-123 45 67, idiot!"}],
        },
    )
    assert r.status_code in (200, 201, 202), r.text
    world.process()
    [summary] = world.items(ingest_key, account_id=site.id)
    item = world.item(summary["id"], ingest_key)
    recommendation = item["recommendation"]
    assert recommendation["flagged"] is True
    assert not {"hide", "remove", "answer", "refer", "notify_author"} & set(recommendation["actions"])
    assert any("webbplatsen" in note for note in recommendation["notes"])
    decided = world.decide(
        item["id"],
        ingest_key,
        actions=recommendation["actions"] or ["none"],
        reason="Som rekommenderat",
    )
    assert decided.status_code == 200, decided.text
    # And what the platform cannot do is refused with a Swedish reason.
    other = world.decide(item["id"], ingest_key, actions=["hide"], reason="x", reverse_previous=True)
    assert other.status_code == 422 and "saknar dölj-funktion" in other.json()["detail"]
