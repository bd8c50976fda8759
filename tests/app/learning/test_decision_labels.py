"""Labels in the decision: an editor confirms a finding, marks one wrong or names a missed
category; the labels are stored per tenant with the text as it was, and logged."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.models import ClassifierModel, Decision, DecisionLabel, ModerationLogEntry, utcnow
from app.modlog.completeness import check_tenant

INSULT = "Du är en jävla idiot, Anders."  # harassment and profanity


def flagged_item(world: Any, message: str = INSULT, comment: str = "1") -> dict[str, Any]:
    world.comment(comment=comment, message=message)
    world.process()
    [item] = [i for i in world.items() if i["comment_id"] == max(x["comment_id"] for x in world.items())]
    return world.item(item["id"])


def labels(world: Any) -> list[DecisionLabel]:
    world.session.commit()
    return list(world.session.scalars(select(DecisionLabel).order_by(DecisionLabel.id)))


def test_feedback_and_missed_categories_are_stored_and_logged(world_factory: Any) -> None:
    world = world_factory()
    item = flagged_item(world)
    assert {"harassment", "profanity"} <= {f["category"] for f in item["findings"]}
    r = world.decide(
        item["id"],
        actions=["hide"],
        reason="Personangrepp.",
        finding_feedback=[
            {"category": "harassment", "verdict": "confirmed"},
            {"category": "profanity", "verdict": "wrong"},
        ],
        missed_categories=["threat"],
    )
    assert r.status_code == 200, r.text
    shown = r.json()["decision"]["labels"]
    assert shown == [
        {"category": "harassment", "verdict": "confirmed"},
        {"category": "profanity", "verdict": "wrong"},
        {"category": "threat", "verdict": "missed"},
    ]
    assert world.item(item["id"])["decisions"][0]["labels"] == shown
    stored = labels(world)
    assert [(x.category, x.verdict) for x in stored] == [(s["category"], s["verdict"]) for s in shown]
    decision = world.session.scalars(select(Decision)).one()
    for label in stored:
        assert label.text == INSULT  # the assessed text, kept as it was
        assert label.tenant_id == world.tenant.id
        assert label.actor == "user:red@kommun.example"
        assert label.decision_id == decision.id and label.item_id == item["id"]
        assert label.model_version and label.model_version.startswith("uppsikt-classifiers-")
    [entry] = world.session.scalars(
        select(ModerationLogEntry).where(ModerationLogEntry.action == "learning.labels_recorded")
    ).all()
    assert entry.payload["decision_id"] == decision.id
    assert [x["category"] for x in entry.payload["labels"]] == ["harassment", "profanity", "threat"]
    assert INSULT not in str(entry.payload)  # the log names labels, never the text


@pytest.mark.parametrize(
    ("feedback", "missed", "says"),
    [
        ([{"category": "spam", "verdict": "confirmed"}], [], "no finding in spam"),
        ([], ["harassment"], "already has a finding in harassment"),
        ([{"category": "harassment", "verdict": "wrong"}], ["harassment"], "once per decision"),
    ],
)
def test_feedback_that_cannot_be_so_is_refused_and_nothing_is_decided(
    world_factory: Any, feedback: list[dict[str, str]], missed: list[str], says: str
) -> None:
    world = world_factory()
    item = flagged_item(world)
    r = world.decide(
        item["id"], actions=["hide"], reason="x", finding_feedback=feedback, missed_categories=missed
    )
    assert r.status_code == 422, r.text
    assert says in r.json()["detail"]
    assert labels(world) == []
    assert world.item(item["id"])["status"] == "open"


def test_unknown_category_or_verdict_is_a_422(world_factory: Any) -> None:
    world = world_factory()
    item = flagged_item(world)
    for body in (
        {"finding_feedback": [{"category": "rudeness", "verdict": "confirmed"}]},
        {"finding_feedback": [{"category": "harassment", "verdict": "maybe"}]},
        {"missed_categories": ["rudeness"]},
    ):
        r = world.decide(item["id"], actions=["hide"], reason="x", **body)
        assert r.status_code == 422, r.text
        assert r.json()["error"] == "ValidationError"
    assert labels(world) == []


def test_a_decision_without_feedback_stores_no_labels(world_factory: Any) -> None:
    world = world_factory()
    item = flagged_item(world)
    r = world.decide(item["id"], actions=["hide"], reason="Personangrepp.")
    assert r.status_code == 200, r.text
    assert r.json()["decision"]["labels"] == []
    assert labels(world) == []


def test_labels_and_models_outside_the_log_are_named_by_the_completeness_check(world_factory: Any) -> None:
    world = world_factory()
    item = flagged_item(world)
    r = world.decide(
        item["id"],
        actions=["hide"],
        reason="Personangrepp.",
        finding_feedback=[{"category": "harassment", "verdict": "confirmed"}],
        missed_categories=["threat"],
    )
    assert r.status_code == 200, r.text
    world.session.commit()
    assert check_tenant(world.session, world.tenant.id).complete  # labels made by a decision are logged

    [stored, *_] = labels(world)
    now = utcnow()
    world.session.add(
        DecisionLabel(
            tenant_id=world.tenant.id,
            item_id=stored.item_id,
            comment_id=stored.comment_id,
            decision_id=stored.decision_id,
            text=stored.text,
            category="spam",
            verdict="missed",
            actor="nobody",
            created_at=now,
        )
    )
    model = ClassifierModel(
        tenant_id=world.tenant.id,
        version="slipped-in-1",
        seq=1,
        model_version="uppsikt-classifiers-x",
        sha256="0" * 64,
        artefact=b"",
        figures={},
        created_by="nobody",
        created_at=now,
    )
    world.session.add(model)
    world.session.commit()
    report = check_tenant(world.session, world.tenant.id)
    missing = {(m.record, m.record_id, m.expected_action) for m in report.missing}
    assert missing == {
        ("queue_item_labels", item["id"], "learning.labels_recorded"),
        ("classifier_model", model.id, "model.retrained"),
    }
