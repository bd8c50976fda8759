"""The queue's world (fake Graph API, real classifiers) and a way to get pending registrations."""

from __future__ import annotations

from typing import Any

from tests.app.queue.conftest import graph, linkedin_api, world_factory
from tests.factories import auth

__all__ = ["PNR_TEXT", "graph", "linkedin_api", "pending_registrations", "world_factory"]

#: Skatteverket's test personnummer: Finspång removes and registers a post that holds one.
PNR_TEXT = "Ring mig, mitt personnummer är 19850101-2390 om ni behöver det för ärendet."


def pending_registrations(world: Any, count: int = 1) -> list[dict[str, Any]]:
    """``count`` flagged comments, each decided as the policy recommends (which includes register)."""
    for n in range(1, count + 1):
        world.comment(comment=str(n), message=PNR_TEXT.replace("ärendet", f"ärende nummer {n}"))
    world.process()
    for item in sorted(world.items(), key=lambda i: i["id"]):
        rec = world.item(item["id"])["recommendation"]
        assert "register" in rec["actions"], rec
        # Whether the text also reads as the writer's own case (refer, answer) is the
        # model's call; such a decision needs a reply, which is given when asked for.
        reply = {"reply_text": "Tack, vi återkommer."} if {"refer", "answer"} & set(rec["actions"]) else {}
        r = world.decide(item["id"], actions=rec["actions"], reason="Personnummer ska diarieföras.", **reply)
        assert r.status_code == 200, r.text
    r = world.client.get("/v1/registrations", params={"status": "pending"}, headers=auth(world.registrar))
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    assert len(items) == count
    return items
