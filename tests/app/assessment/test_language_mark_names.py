"""A comment only marked "not assessed in this language" is filed under ``question`` so that a
person reads it, but wherever the item's categories are named to people (the registration's
subject line, alerts and forwards, the evidence PDF, the records archive) it is named for what
it is: "Språket har inte bedömts – läs texten", never "Fråga till kommunen"."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from app.assessment import language
from app.evidence.pdf import render_evidence_pdf
from app.models import Account, QueueItem
from app.notifications import content
from app.policies.loader import load_preset
from app.policies.recommendation import recommend
from app.records import archive
from classifiers import Finding
from tests.app.evidence.test_pdf import make_doc, pdf_text, squash
from tests.app.learning.test_language_not_assessed import marked_item
from tests.app.queue.conftest import graph, linkedin_api, world_factory
from tests.factories import auth

__all__ = ["graph", "linkedin_api", "world_factory"]  # the fixtures the registration test uses

MARK = {"category": "question", "subtype": "language_not_assessed", "score": 0.6, "rule_id": "language.fi"}
QUESTION = {"category": "question", "subtype": "model", "score": 0.9, "rule_id": "question.model"}
THREAT = {"category": "threat", "subtype": "model", "score": 0.9, "rule_id": "threat.model"}
NOT_ASSESSED = "språket har inte bedömts – läs texten"
QUESTION_SV = "fråga till kommunen"


def test_the_recommendation_records_the_categories_only_a_mark_raised() -> None:
    policy = load_preset("finspang")
    at = datetime(2026, 12, 7, 10, tzinfo=UTC)

    def marked(findings: list[dict[str, Any]]) -> list[str]:
        found = [Finding(**f, spans=(), explanation="Testfynd", model_version="test") for f in findings]
        rec = recommend(policy, found, platform="facebook", received_at=at)
        return list(rec.as_dict()["not_assessed"])

    assert marked([MARK]) == ["question"]
    assert marked([MARK, THREAT]) == ["question"]  # the Swedish sentence was read; the question was not
    assert marked([MARK, QUESTION]) == []  # a real question finding besides the mark
    assert marked([QUESTION]) == []


def test_names_follow_the_mark() -> None:
    assert language.categories_sv(["question"], {"question"}, none="-") == NOT_ASSESSED
    assert (
        language.categories_sv(["question", "threat"], {"question"}, none="-")
        == f"{NOT_ASSESSED}, hot och våld"
    )
    assert language.categories_sv(["question"], (), none="-") == QUESTION_SV
    assert language.categories_sv([], {"question"}, none="inget") == "inget"
    assert language.finding_label(MARK) == "Språket har inte bedömts – läs texten"
    assert language.finding_label(QUESTION) == "Fråga till kommunen"
    assert language.category_label("") == "okänd kategori"
    # Items queued before the recommendation recorded it name the category as before.
    assert language.not_assessed({}) == frozenset()


def alert_for(recommendation: dict[str, Any]) -> str:
    item = QueueItem(id=7, priority=1, categories=["question"], recommendation=recommendation, due_at=None)
    account = Account(id=1, display_name="Kommunen")
    alert = content.alert(item=item, account=account, kind="alert")
    return f"{alert.subject}\n{alert.body}"


def test_alerts_name_a_marked_item_for_what_it_is() -> None:
    marked = alert_for({"not_assessed": ["question"]})
    assert NOT_ASSESSED in marked and QUESTION_SV not in marked
    assert QUESTION_SV in alert_for({})


def test_the_evidence_pdf_names_the_mark_and_the_category_it_raised() -> None:
    text = "Hei! Miksi tie on vielä kiinni? Kiitos"
    mark = {
        **MARK,
        "spans": [{"start": 0, "end": 3, "text": "Hei"}],
        "explanation": "Texten verkar vara finska.",
    }
    doc = make_doc(
        text, assessment={"model_version": "sv-test-1", "categories": ["question"], "findings": [mark]}
    )
    flat = squash(pdf_text(render_evidence_pdf(doc))[0])
    assert "Kategorier Språket har inte bedömts – läs texten" in flat
    assert "1. Språket har inte bedömts – läs texten" in flat
    assert "Fråga till kommunen" not in flat


def test_a_registration_of_a_marked_comment_says_it_was_not_assessed(world_factory: Any) -> None:
    world = world_factory("finspang")
    item = marked_item(world)
    assert item["recommendation"]["not_assessed"] == ["question"]
    r = world.decide(item["id"], actions=["register"], reason="Läst: en fråga på finska, ska diarieföras.")
    assert r.status_code == 200, r.text
    [registration] = world.client.get("/v1/registrations", headers=auth(world.registrar)).json()["items"]
    assert registration["subject_line"].endswith(f"– {NOT_ASSESSED}")
    assert QUESTION_SV not in registration["subject_line"]

    # The records archive's overview names the item's category and the finding the same way.
    world.session.commit()
    period = archive.parse_period("2000-01-01", "2099-12-31")
    extract = archive.build_extract(world.session, world.account, period, now=datetime.now(UTC))
    flat = squash(pdf_text(archive.render_extract_pdf(extract))[0])
    assert "Kategorier Språket har inte bedömts – läs texten" in flat
    assert "Språket har inte bedömts – läs texten – language_not_assessed" in flat
    assert "Fråga till kommunen" not in flat
