"""A language mark (the classifier's "not in Swedish, nobody has read it", filed under question)
is no judgement: it cannot be confirmed or marked wrong, a text no model read in Swedish takes
no missed categories, and however a label on it was stored, it is never trained on."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.errors import Unprocessable
from app.learning import service
from app.models import Assessment, Comment, Decision, DecisionLabel, QueueItem
from tests.app.learning.test_decision_labels import flagged_item, labels

FINNISH = "Hei! Miksi tie on vielä kiinni? Kiitos"
ENGLISH_SPAM = "Click here to win a free iPhone now www.win-free-iphone.com"
SWEDISH_QUESTION = "Hej! Varför är vägen till skolan fortfarande avstängd?"
MARK_REFUSED = "Språkmarkeringen är ingen bedömning av texten och kan inte bekräftas eller avvisas"


def marked_item(world: Any, message: str = FINNISH, comment: str = "1") -> dict[str, Any]:
    item = flagged_item(world, message, comment=comment)
    found = [(f["category"], f["subtype"]) for f in item["findings"]]
    assert found == [("question", "language_not_assessed")]
    return item


@pytest.mark.parametrize("verdict", ["confirmed", "wrong"])
def test_a_verdict_on_a_language_mark_is_refused_in_swedish(world_factory: Any, verdict: str) -> None:
    world = world_factory()
    item = marked_item(world)
    r = world.decide(
        item["id"],
        actions=["none"],
        reason="Läst, ingen fråga.",
        finding_feedback=[{"category": "question", "verdict": verdict}],
    )
    assert r.status_code == 422, r.text
    assert MARK_REFUSED in r.json()["detail"]
    assert labels(world) == []
    assert world.item(item["id"])["status"] == "open"


def test_no_category_can_be_named_missed_on_a_text_not_read_in_swedish(world_factory: Any) -> None:
    world = world_factory()
    item = marked_item(world)
    r = world.decide(item["id"], actions=["none"], reason="Läst.", missed_categories=["harassment"])
    assert r.status_code == 422, r.text
    assert "modellerna läser bara svenska" in r.json()["detail"]
    assert labels(world) == []


def test_a_decision_without_labels_on_a_marked_comment_is_taken(world_factory: Any) -> None:
    world = world_factory()
    item = marked_item(world)
    r = world.decide(item["id"], actions=["none"], reason="Läst: en hälsning.")
    assert r.status_code == 200, r.text
    assert labels(world) == []


def test_a_real_finding_next_to_a_mark_can_still_be_judged(world_factory: Any) -> None:
    """Spam is checked in every language: a verdict on it judges a check that did run."""
    world = world_factory()
    item = flagged_item(world, ENGLISH_SPAM)
    # The spam check alone may or may not add a mark to English spam: judge what is there.
    assert "spam" in {f["category"] for f in item["findings"]}
    r = world.decide(
        item["id"],
        actions=["none"],
        reason="Spam.",
        finding_feedback=[{"category": "spam", "verdict": "confirmed"}],
    )
    assert r.status_code == 200, r.text
    assert [(x.category, x.verdict) for x in labels(world)] == [("spam", "confirmed")]


def test_record_labels_refuses_a_mark_even_when_called_without_the_check(world_factory: Any) -> None:
    world = world_factory()
    item = marked_item(world)
    r = world.decide(item["id"], actions=["none"], reason="Läst.")
    assert r.status_code == 200, r.text
    world.session.commit()
    queue_item = world.session.get(QueueItem, item["id"])
    assessment = world.session.get(Assessment, queue_item.assessment_id)
    comment = world.session.get(Comment, queue_item.comment_id)
    decision = world.session.scalars(select(Decision)).one()
    for feedback, missed in (([("question", "confirmed")], []), ([], ["threat"])):
        with pytest.raises(Unprocessable):
            service.record_labels(
                world.session,
                item=queue_item,
                comment=comment,
                decision=decision,
                assessment=assessment,
                feedback=feedback,
                missed=missed,
                actor="user:red@kommun.example",
            )
    world.session.rollback()
    assert labels(world) == []


def label(text: str, category: str, verdict: str) -> DecisionLabel:
    return DecisionLabel(tenant_id=1, text=text, category=category, verdict=verdict)


def test_labels_stored_on_a_language_mark_are_not_trained_on() -> None:
    """Labels made before the guard (or put in the table by hand) never reach the fit."""
    trained = service.training_labels(
        [
            label(FINNISH, "question", "confirmed"),
            label(FINNISH, "threat", "missed"),
            label(FINNISH, "harassment", "wrong"),
            label(SWEDISH_QUESTION, "question", "confirmed"),
        ]
    )
    assert [(x.text, x.category, x.positive) for x in trained] == [(SWEDISH_QUESTION, "question", True)]


def test_partly_swedish_findings_make_a_marked_comment_judgeable() -> None:
    """A mark next to a finding only Swedish makes: the Swedish sentences were read."""
    mark = {"category": "question", "subtype": "language_not_assessed", "score": 0.6}
    threat = {"category": "threat", "subtype": "model", "score": 0.9}
    spam = {"category": "spam", "subtype": "link", "score": 0.9}
    only = service.label_scope([mark])
    assert (only.found, only.marked, only.read) == (frozenset(), frozenset({"question"}), False)
    with_spam = service.label_scope([mark, spam])
    assert (with_spam.found, with_spam.read) == (frozenset({"spam"}), False)
    partly = service.label_scope([mark, threat])
    assert (partly.found, partly.marked) == (frozenset({"threat"}), frozenset({"question"}))
    assert partly.read
    # On a partly Swedish comment a question the Swedish sentences hold may be named missed,
    # and the threat judged; confirming the mark is still refused.
    service.refuse_unassessed([mark, threat], feedback=[("threat", "confirmed")], missed=["question"])
    with pytest.raises(Unprocessable, match=MARK_REFUSED):
        service.refuse_unassessed([mark, threat], feedback=[("question", "confirmed")], missed=[])
    assert not service.made_on_language_mark("question", "missed", [mark, threat])
    assert service.made_on_language_mark("question", "confirmed", [mark, threat])
    assert service.made_on_language_mark("threat", "missed", [mark])
    assert not service.made_on_language_mark("spam", "confirmed", [mark, spam])
