"""Instagram and LinkedIn gaps are filled the same way; LinkedIn's late webhooks add no version."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from tests.app.reconcile.conftest import GRAPH_TOKEN, LINKEDIN_TOKEN, World
from tests.factories import (
    LI_ORG,
    instagram_delivery,
    linkedin_delivery,
    linkedin_notification,
    meta_json,
    sign_linkedin,
    sign_meta,
)

IG = "17841400000000009"


def test_instagram_comments_and_replies_are_filled_in_once(world: World) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    world.account("instagram", IG, GRAPH_TOKEN)
    iso = "%Y-%m-%dT%H:%M:%S+0000"
    world.graph.add_post(
        "180001", account_id=IG, platform="instagram", created_time=(now - timedelta(days=1)).strftime(iso)
    )
    world.graph.add_post(
        "180000", account_id=IG, platform="instagram", created_time=(now - timedelta(days=40)).strftime(iso)
    )
    for n, text in ((1, "Vilken fin bild!"), (2, "Var ligger det här?"), (3, "Vid hamnen")):
        world.graph.add_listed_comment(
            f"1790000000000000{n}",
            post_id="180001",
            message=text,
            created_time=(now - timedelta(hours=10 - n)).strftime(iso),
            parent_id="17900000000000002" if n == 3 else None,
            author_name="testa.testsson",
        )
    summary = world.reconcile("instagram")
    assert (summary.listed, summary.added, summary.complete_posts) == (3, 3, 1)
    comments = world.comments("instagram")
    assert comments["17900000000000003"].parent_external_id == "17900000000000002"
    assert comments["17900000000000001"].post_external_id == "180001"

    # The late webhook has the key reconciliation gave the comment: no second event.
    value = {
        "id": "17900000000000001",
        "text": "Vilken fin bild!",
        "from": {"id": "5550001", "username": "testa.testsson"},
        "media": {"id": "180001"},
    }
    body = meta_json(instagram_delivery(value, account=IG))
    assert world.client.post("/webhooks/meta", content=body, headers=sign_meta(body)).status_code == 200
    world.worker.run_until_idle()
    assert world.events(world.comments("instagram")["17900000000000001"]) == 1

    world.graph.delete_on_platform("17900000000000003")
    assert world.reconcile("instagram").removed == 1
    assert world.comments("instagram")["17900000000000003"].state == "deleted_by_author"


def test_linkedin_gap_edits_and_deletions(world: World) -> None:
    now_ms = int(datetime.now(UTC).timestamp() * 1000)
    world.account("linkedin", LI_ORG, LINKEDIN_TOKEN)
    post = "urn:li:activity:6001"
    first = f"urn:li:comment:({post},7001)"
    second = f"urn:li:comment:({post},7002)"
    reply = f"urn:li:comment:({post},7003)"
    world.linkedin.add_post(post, organization_urn=LI_ORG, created_ms=now_ms - 86_400_000)
    world.linkedin.add_post(
        "urn:li:activity:5000", organization_urn=LI_ORG, created_ms=now_ms - 90 * 86_400_000
    )
    world.linkedin.add_listed_comment(
        first, organization_urn=LI_ORG, text="Bra initiativ!", created_ms=now_ms - 7_200_000
    )
    world.linkedin.add_listed_comment(
        second, organization_urn=LI_ORG, text="När börjar det?", created_ms=now_ms - 3_600_000
    )
    world.linkedin.add_listed_comment(
        reply, organization_urn=LI_ORG, text="I vår", created_ms=now_ms - 1_800_000, parent_urn=second
    )
    world.linkedin.edit_comment(first, "Bra initiativ! Mer sånt.", at_ms=now_ms - 600_000)

    summary = world.reconcile("linkedin")
    assert (summary.listed, summary.added, summary.edited, summary.removed) == (3, 3, 0, 0)
    comments = world.comments("linkedin")
    assert sorted(comments) == sorted([first, second, reply])
    assert comments[reply].parent_external_id == second
    assert world.current_text(comments[first]) == "Bra initiativ! Mer sånt."
    # Every listing call carried LinkedIn's headers and percent-encoded URNs.
    gets = [c for c in world.linkedin.calls if c.method == "GET"]
    assert gets and all(c.headers.get("x-restli-protocol-version") == "2.0.0" for c in gets)
    assert all("urn:li:" not in c.raw_path.split("?")[0] for c in gets)

    # The late notification: LinkedIn keys it by notificationId, which no listing gives, so it
    # is an event of its own — but the text is the one stored: no new version.
    note = linkedin_notification(
        comment="7002", text="När börjar det?", activity="6001", at_ms=now_ms - 3_600_000, notification_id=99
    )
    body = json.dumps(linkedin_delivery(note)).encode()
    assert (
        world.client.post("/webhooks/linkedin", content=body, headers=sign_linkedin(body)).status_code == 200
    )
    world.worker.run_until_idle()
    assert world.versions(world.comments("linkedin")[second]) == ["När börjar det?"]

    world.linkedin.edit_comment(second, "När börjar det? Och var?", at_ms=now_ms - 60_000)
    world.linkedin.delete_on_platform(reply)
    again = world.reconcile("linkedin")
    assert (again.added, again.edited, again.removed) == (0, 1, 1)
    comments = world.comments("linkedin")
    assert world.current_text(comments[second]) == "När börjar det? Och var?"
    assert comments[reply].state == "deleted_by_author"
    # A run that sees the same edit again (same lastModified) stores nothing new.
    assert world.reconcile("linkedin").delivery_ids == []
