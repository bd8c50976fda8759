"""What the web inbox needs from the API: listings an editor can read, decisions and claims
recorded by person, and claims that are respected."""

from __future__ import annotations

from typing import Any

from tests.app.queue.conftest import World
from tests.factories import auth, create_key

TEXT = "Ring Testa Testsson på 070-123 45 67 om bygglovet, idiot"


def _one_item(world: World) -> dict[str, Any]:
    world.comment(message=TEXT, extra={"from": {"id": "77", "name": "Kalle Test"}})
    world.process()
    [item] = world.items()
    return item


def test_the_listing_carries_the_text_author_and_the_triggering_words(world_factory: Any) -> None:
    world: World = world_factory("helsingborg")
    item = _one_item(world)
    assert item["text_excerpt"] == TEXT and item["author_name"] == "Kalle Test"
    assert item["platform"] == "facebook"
    marked = [item["text_excerpt"][h["start"] : h["end"]] for h in item["highlights"]]
    assert any("070-123 45 67" in m for m in marked), marked


def test_claims_and_decisions_record_the_person_and_a_claim_is_respected(world_factory: Any) -> None:
    world: World = world_factory("helsingborg")
    other = create_key(world.session, tenant=world.tenant, role="editor", subject="red2@kommun.example")
    item = _one_item(world)
    claimed = world.client.post(f"/v1/queue/{item['id']}/claim", headers=auth(world.editor))
    assert claimed.status_code == 200 and claimed.json()["claimed_by"] == "user:red@kommun.example"

    # Someone else may neither claim nor decide it without taking it over.
    refused = world.client.post(f"/v1/queue/{item['id']}/claim", headers=auth(other))
    assert refused.status_code == 409 and "red@kommun.example" in refused.json()["detail"]
    blocked = world.decide(item["id"], other, actions=["none"], reason="Inget att göra")
    assert blocked.status_code == 409 and "take_over" in blocked.json()["detail"]

    taken = world.decide(item["id"], other, actions=["none"], reason="Inget att göra", take_over=True)
    assert taken.status_code == 200, taken.text
    assert taken.json()["decision"]["actor"] == "user:red2@kommun.example"
    log = world.client.get(
        "/v1/log", params={"action": "queue.claim_taken_over"}, headers=auth(world.registrar)
    )
    [entry] = log.json()["entries"]
    assert entry["actor"] == "user:red2@kommun.example"
    assert entry["payload"] == {"from": "user:red@kommun.example"}

    # A decided item cannot be claimed.
    again = world.client.post(f"/v1/queue/{item['id']}/claim", headers=auth(world.editor))
    assert again.status_code == 409 and "decided" in again.json()["detail"]
