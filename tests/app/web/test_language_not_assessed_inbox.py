"""The web inbox names a language mark for what it is ("Språket har inte bedömts – läs texten"),
not "Fråga till kommunen"; its recommendation says the language was not assessed instead of
quoting the guideline on questions; the decision form offers no verdict on it; and no policy
acts on it by itself."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from app.policies import available_presets, load_preset
from app.policies.models import Policy
from app.policies.recommendation import LANGUAGE_NO_AUTO_NOTE, recommend
from classifiers.types import Finding
from tests.app.learning.test_decision_labels import labels
from tests.app.learning.test_language_not_assessed import marked_item
from tests.app.queue.conftest import graph, linkedin_api, world_factory
from tests.web.test_inbox_http import browser_as, csrf

__all__ = ["graph", "linkedin_api", "world_factory"]

LABEL = "Språket har inte bedömts – läs texten"
QUESTION = "Fråga till kommunen"
#: Helsingborg's guideline sentence for questions (its preset's question rule).
QUESTION_QUOTE = "skyndsamt svara på inlägg"


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_list_and_the_item_page_name_the_language_mark(world_factory: Any) -> None:
    world = world_factory()
    item = marked_item(world)
    red = browser_as(world, "red@kommun.example")

    listing = red.get("/inkorg").text
    row = listing[listing.index(f'data-item="{item["id"]}"') :]
    row = row[: row.index("</tr>")]
    assert f'<span class="tag">{LABEL}</span>' in row
    assert QUESTION not in row

    page = red.get(f"/inkorg/{item['id']}").text
    flagged = page[page.index("Varför kommentaren flaggades") : page.index("<h2>Rekommendation")]
    assert f"<strong>{LABEL}</strong>" in flagged and QUESTION not in flagged
    assert "Texten verkar vara skriven på finska" in flagged  # the classifier's own explanation

    advice = text_of(page[page.index("<h2>Rekommendation") : page.index("<h2>Bevis")])
    assert "Svara" in advice  # the recommended action stays: somebody reads and answers
    assert "inte heller om den är en fråga" in advice
    assert QUESTION_QUOTE not in advice  # the guideline on questions is not the reason


def test_the_form_offers_no_verdict_on_the_mark_nor_missed_categories(world_factory: Any) -> None:
    world = world_factory()
    item = marked_item(world)
    red = browser_as(world, "red@kommun.example")
    page = red.get(f"/inkorg/{item['id']}").text
    assert 'name="omdome-question"' not in page
    assert "Stämmer fynden?" not in page
    assert 'name="missade"' not in page
    assert "modellerna läser bara svenska" in text_of(page)

    url = f"/inkorg/{item['id']}/beslut"
    base = {"csrf_token": csrf(page), "atgarder": "none", "motivering": "Läst: en hälsning."}
    confirmed = red.post(url, data={**base, "omdome-question": "confirmed"})
    assert confirmed.status_code == 400
    assert "Språkmarkeringen är ingen bedömning av texten" in confirmed.text
    assert 'href="#omdomen"' in confirmed.text
    missed = red.post(url, data={**base, "missade": ["threat"]})
    assert missed.status_code == 400
    assert "ingen kategori kan anges som saknad" in missed.text
    assert labels(world) == []

    saved = red.post(url, data=base)
    assert saved.status_code == 200, saved.text
    assert labels(world) == []


def test_an_ordinary_question_keeps_its_label_verdict_and_quote(world_factory: Any) -> None:
    world = world_factory()
    world.comment(comment="2", message="Hej! Varför är vägen till skolan fortfarande avstängd?")
    world.process()
    [item] = world.items()
    assert "question" in item["categories"]
    red = browser_as(world, "red@kommun.example")
    page = red.get(f"/inkorg/{item['id']}").text
    assert LABEL not in page and QUESTION in page
    assert 'name="omdome-question"' in page and 'name="missade"' in page
    assert QUESTION_QUOTE in page


def mark() -> Finding:
    return Finding(
        category="question",
        subtype="language_not_assessed",
        score=0.6,
        spans=(),
        explanation="Texten verkar vara skriven på finska.",
        rule_id="language.fi",
        model_version="test",
    )


@pytest.mark.parametrize("name", available_presets())
def test_no_preset_removes_or_acts_on_a_language_mark(name: str) -> None:
    rec = recommend(load_preset(name), [mark()], platform="facebook", received_at=datetime.now(UTC))
    assert rec.auto_actions == ()
    assert not {"hide", "remove"} & set(rec.actions)


def test_a_rule_only_a_language_mark_matches_never_acts_automatically() -> None:
    """An operator's own policy may hide questions automatically: not one nobody has read."""
    base = load_preset("helsingborg")
    rules = [
        r.model_copy(update={"actions": ("hide", "answer"), "auto_actions": ("hide",)})
        if r.category == "question"
        else r
        for r in base.rules
    ]
    policy = Policy.model_validate({**base.model_dump(), "rules": [r.model_dump() for r in rules]})
    rec = recommend(policy, [mark()], platform="facebook", received_at=datetime.now(UTC))
    assert "hide" in rec.actions and rec.auto_actions == ()
    assert LANGUAGE_NO_AUTO_NOTE in rec.notes
    question = Finding(
        category="question",
        subtype="service",
        score=0.9,
        spans=(),
        explanation="Fråga.",
        rule_id="question.x",
        model_version="test",
    )
    assert recommend(policy, [question], platform="facebook", received_at=datetime.now(UTC)).auto_actions == (
        "hide",
    )


def test_the_category_filter_keeps_marked_comments_apart_from_questions(world_factory: Any) -> None:
    """The inbox's "Fråga till kommunen" lists questions somebody can read; a comment only marked
    for its language has a choice of its own, and the API filters on the same."""
    world = world_factory()
    marked = marked_item(world)
    world.comment(comment="2", message="Hej! När öppnar biblioteket igen efter renoveringen?")
    world.process()
    [question] = [i for i in world.items() if i["id"] != marked["id"]]
    assert "question" in world.item(question["id"])["categories"]

    def listed(**params: str) -> set[int]:
        return {i["id"] for i in world.items(**params)}

    assert listed(not_assessed="true") == {marked["id"]}
    assert listed(not_assessed="false", category="question") == {question["id"]}
    assert listed(category="question") == {marked["id"], question["id"]}  # the codes, as stored

    red = browser_as(world, "red@kommun.example")

    def rows(choice: str) -> set[int]:
        page = red.get("/inkorg", params={"kategori": choice}).text
        return {int(n) for n in re.findall(r'data-item="(\d+)"', page)}

    assert rows("question") == {question["id"]}
    assert rows("language_not_assessed") == {marked["id"]}
    assert rows("") == {marked["id"], question["id"]}
    page = red.get("/inkorg", params={"kategori": "language_not_assessed"}).text
    assert f'<option value="language_not_assessed" selected>{LABEL}</option>' in page
