"""An editor's "missed" label can be withdrawn: a later decision on the same text marks the
category wrong, in the REST API and in the web inbox, and the latest label is the one trained on."""

from __future__ import annotations

import re
from typing import Any

from app.learning import repository, service
from app.models import DecisionLabel
from tests.app.learning.test_decision_labels import INSULT, flagged_item, labels
from tests.factories import create_tenant
from tests.web.test_inbox_http import browser_as, csrf


def trained_on(world: Any) -> dict[str, bool]:
    world.session.commit()
    return {
        label.category: label.positive
        for label in service.training_labels(repository.labels_of_tenant(world.session, world.tenant.id))
    }


def test_a_missed_category_is_withdrawn_by_marking_it_wrong_later(world_factory: Any) -> None:
    world = world_factory()
    item = flagged_item(world)
    assert "threat" not in {f["category"] for f in item["findings"]}
    first = world.decide(item["id"], actions=["hide"], reason="Hot.", missed_categories=["threat"])
    assert first.status_code == 200, first.text
    assert trained_on(world)["threat"] is True

    # Only withdrawing is new: confirming it again without a finding is still refused.
    confirmed = world.decide(
        item["id"],
        actions=["hide"],
        reason="Ändrat.",
        reverse_previous=True,
        finding_feedback=[{"category": "threat", "verdict": "confirmed"}],
    )
    assert confirmed.status_code == 422, confirmed.text
    assert "no finding in threat" in confirmed.json()["detail"]

    second = world.decide(
        item["id"],
        actions=["hide"],
        reason="Det var inget hot.",
        reverse_previous=True,
        finding_feedback=[{"category": "threat", "verdict": "wrong"}],
    )
    assert second.status_code == 200, second.text
    assert second.json()["decision"]["labels"] == [{"category": "threat", "verdict": "wrong"}]
    assert [(x.category, x.verdict) for x in labels(world)] == [("threat", "missed"), ("threat", "wrong")]
    assert trained_on(world)["threat"] is False  # the latest label wins

    # A category never named missed for this text still cannot be marked wrong.
    never = world.decide(
        item["id"],
        actions=["hide"],
        reason="Ändrat igen.",
        reverse_previous=True,
        finding_feedback=[{"category": "spam", "verdict": "wrong"}],
    )
    assert never.status_code == 422, never.text
    assert "no finding in spam" in never.json()["detail"]


def test_a_missed_label_on_another_text_cannot_be_withdrawn_here(world_factory: Any) -> None:
    world = world_factory()
    other = flagged_item(world, "Du är en jävla idiot, Bertil.", comment="1")
    r = world.decide(other["id"], actions=["hide"], reason="Hot.", missed_categories=["threat"])
    assert r.status_code == 200, r.text
    item = flagged_item(world, comment="2")
    assert "threat" not in {f["category"] for f in item["findings"]}
    refused = world.decide(
        item["id"],
        actions=["hide"],
        reason="x",
        finding_feedback=[{"category": "threat", "verdict": "wrong"}],
    )
    assert refused.status_code == 422, refused.text
    assert world.item(item["id"])["status"] == "open"


def test_another_tenants_missed_label_on_the_same_text_cannot_be_withdrawn_here(world_factory: Any) -> None:
    world = world_factory()
    item = flagged_item(world)
    other = create_tenant(world.session, name="finspang", preset="finspang")
    world.session.commit()
    first = world.decide(item["id"], actions=["hide"], reason="x")
    assert first.status_code == 200, first.text
    # Arranged: the same words judged in another municipality (a row, as its decision left it).
    world.session.add(
        DecisionLabel(
            tenant_id=other.id,
            item_id=item["id"],
            comment_id=item["comment_id"],
            decision_id=first.json()["decision"]["id"],
            text=INSULT,
            category="threat",
            verdict="missed",
            actor="user:red@finspang.example",
        )
    )
    world.session.commit()
    refused = world.decide(
        item["id"],
        actions=["hide"],
        reason="Ändrat.",
        reverse_previous=True,
        finding_feedback=[{"category": "threat", "verdict": "wrong"}],
    )
    assert refused.status_code == 422, refused.text


def test_the_web_form_offers_to_withdraw_a_missed_category(world_factory: Any) -> None:
    world = world_factory()
    item = flagged_item(world)
    red = browser_as(world, "red@kommun.example")
    page = red.get(f"/inkorg/{item['id']}").text
    assert 'name="omdome-threat"' not in page  # nothing to withdraw yet

    saved = red.post(
        f"/inkorg/{item['id']}/beslut",
        data={"csrf_token": csrf(page), "atgarder": "hide", "motivering": "Hot.", "missade": ["threat"]},
    )
    assert saved.status_code == 200, saved.text
    page = red.get(f"/inkorg/{item['id']}").text
    assert 'name="omdome-threat"' in page and "angiven som saknad i ett tidigare beslut" in page
    offered = re.findall(r'name="omdome-threat" value="([a-z]*)"', page)
    assert offered == ["wrong", ""]  # withdraw or say nothing; confirming it is the missed box
    url = f"/inkorg/{item['id']}/beslut"
    base = {"csrf_token": csrf(page), "atgarder": "hide", "motivering": "Inget hot.", "andra": "1"}

    both = red.post(url, data={**base, "omdome-threat": "wrong", "missade": ["threat"]})
    assert both.status_code == 400 and 'href="#missade"' in both.text
    assert "både vara fel och saknas" in both.text

    withdrawn = red.post(url, data={**base, "omdome-threat": "wrong"})
    assert withdrawn.status_code == 200, withdrawn.text
    assert [(x.category, x.verdict) for x in labels(world)] == [("threat", "missed"), ("threat", "wrong")]
    assert trained_on(world)["threat"] is False
    assert "Hot och våld – fel" in withdrawn.text
    # Withdrawn, it is no longer offered; it can be named missed again like any missing category.
    assert 'name="omdome-threat"' not in red.get(f"/inkorg/{item['id']}").text
