"""Webhook → classifiers → queue → decision → culling → search, with the real pieces."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app.models import utcnow
from app.retention.service import run_retention
from tests.factories import auth

PNR_TEXT = "Ring mig, mitt personnummer är 19850101-2390 om ni behöver det för ärendet."


def test_flagged_and_removed_comment_survives_culling_and_is_found(world_factory: Any) -> None:
    world = world_factory("helsingborg")
    world.comment(comment="1", message=PNR_TEXT)
    world.comment(comment="2", message="Vilken fin park ni har byggt!")
    world.process()
    [item] = world.items()
    r = world.decide(
        item["id"], actions=["hide", "remove", "register"], reason="Personnummer ska inte synas."
    )
    assert r.status_code == 200, r.text
    world.process()

    # Both are public records; a month and a half later only the unflagged one is culled.
    later = utcnow() + timedelta(days=45)
    report = run_retention(world.session, now=later, dry_run=False, tenant_id=world.tenant.id)
    world.session.commit()
    assert report.totals.as_dict() == {
        "examined": 2,
        "culled": 1,
        "kept_hold": 0,
        "kept_flagged": 0,
        "kept_registered": 1,
    }
    hits = world.client.get("/v1/search", headers=auth(world.registrar)).json()["items"]
    flagged, benign = hits
    assert flagged["text"] == PNR_TEXT and flagged["state"] == "deleted_by_us"
    assert flagged["queue_item"]["id"] == item["id"] and flagged["queue_item"]["status"] == "decided"
    assert "personal_data" in flagged["queue_item"]["categories"]
    assert flagged["registration"]["status"] == "pending" and flagged["registration"]["diarienummer"] is None
    assert flagged["evidence"], "evidence is taken before any hide or removal"
    for evidence in flagged["evidence"]:
        snap = world.client.get(evidence["url"], headers=auth(world.registrar)).json()
        assert snap["sha256"] == evidence["sha256"]
        assert snap["document"]["comment"]["versions"][0]["text"] == PNR_TEXT
    assert benign["text"] is None and benign["culled_at"] is not None and benign["evidence"] == []
    found = world.client.get("/v1/search", params={"text": "19850101"}, headers=auth(world.registrar))
    assert [h["id"] for h in found.json()["items"]] == [flagged["id"]]
    assert (
        world.client.get("/v1/search", params={"text": "fin park"}, headers=auth(world.registrar)).json()[
            "items"
        ]
        == []
    )
    assert world.client.get("/v1/log/verify", headers=auth(world.registrar)).json()["ok"] is True
