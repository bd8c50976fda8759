"""Recommendations: the same comment gets each municipality's own answer, with its source."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app.policies import available_presets, load_preset
from app.policies.recommendation import LINKEDIN_NO_AUTO_HIDE_NOTE, LINKEDIN_NO_HIDE_NOTE, recommend
from classifiers.types import Finding

MakeFinding = Callable[..., Finding]

STOCKHOLM = ZoneInfo("Europe/Stockholm")
#: A Friday afternoon in Stockholm, the classic case for working-hours due times.
FRIDAY_15 = datetime(2025, 3, 14, 15, 0, tzinfo=STOCKHOLM)


def test_a_valid_personnummer_gets_five_different_recommendations(make_finding: MakeFinding) -> None:
    finding = make_finding("personal_data", "personnummer", 1.0)
    outcomes = {}
    for name in available_presets():
        rec = recommend(load_preset(name), [finding], platform="facebook", received_at=FRIDAY_15)
        assert rec.flagged
        assert "remove" in rec.actions
        # Every recommendation traces to a sentence of this municipality's own guideline.
        assert rec.rules
        assert all(r.source == load_preset(name).source and r.quote for r in rec.rules)
        outcomes[name] = (rec.actions, rec.auto_actions, rec.priority, rec.due_at)
    assert len(set(outcomes.values())) == 5, outcomes

    assert outcomes["finspang"][:3] == (("remove", "register"), ("remove", "register"), 1)
    assert outcomes["helsingborg"][:3] == (("hide", "remove", "register"), ("hide",), 1)
    assert outcomes["harjedalen"][:3] == (("hide", "remove", "register", "police_review"), (), 1)
    assert outcomes["malmo"][:3] == (("remove", "notify_author"), (), 1)
    assert outcomes["haparanda"][:3] == (("remove", "notify_author"), (), 2)


def test_the_personnummer_rule_quotes_the_sentence_it_implements(make_finding: MakeFinding) -> None:
    rec = recommend(
        load_preset("finspang"),
        [make_finding("personal_data", "personnummer")],
        platform="facebook",
        received_at=FRIDAY_15,
    )
    by_id = {r.id: r for r in rec.rules}
    rule = by_id["finspang.personnummer"]
    assert rule.source == "finspang-riktlinjer.txt"
    assert rule.source_line == 349
    assert "diarieföras och därefter omedelbart tas bort" in rule.quote
    assert rec.as_dict()["rules"][0] == {
        "id": "finspang.personnummer",
        "category": "personal_data",
        "subtype": ["personnummer", "samordningsnummer"],
        "actions": ["remove", "register"],
        "quote": rule.quote,
        "source": "finspang-riktlinjer.txt",
        "source_line": 349,
        "note": rule.note,
    }


def test_a_low_score_does_not_trigger_a_rule_with_min_score(make_finding: MakeFinding) -> None:
    policy = load_preset("finspang")
    weak = recommend(
        policy,
        [make_finding("personal_data", "personnummer", 0.5)],
        platform="facebook",
        received_at=FRIDAY_15,
    )
    assert [r.id for r in weak.rules] == ["finspang.personal_data"]
    assert weak.auto_actions == ()
    assert weak.priority == 3


def test_a_subtype_rule_ignores_other_subtypes(make_finding: MakeFinding) -> None:
    rec = recommend(
        load_preset("helsingborg"),
        [make_finding("personal_data", "phone")],
        platform="facebook",
        received_at=FRIDAY_15,
    )
    assert [r.id for r in rec.rules] == ["helsingborg.personal_data"]
    assert rec.auto_actions == ()
    assert "hide" not in rec.actions


def test_party_political_differs_between_municipalities(make_finding: MakeFinding) -> None:
    finding = make_finding("party_political", "", 0.9)
    recs = {
        name: recommend(load_preset(name), [finding], platform="facebook", received_at=FRIDAY_15)
        for name in ("finspang", "harjedalen", "malmo")
    }
    assert recs["finspang"].actions == ("remove", "register")
    assert recs["finspang"].rules[0].quote == "Partipolitiskt budskap."

    harjedalen = recs["harjedalen"]
    assert harjedalen.actions == ("refer",)
    assert "remove" not in harjedalen.actions and "hide" not in harjedalen.actions
    assert "politiska forum" in harjedalen.texts["reply"]
    assert "hänvisas till politiska forum" in harjedalen.rules[0].quote

    malmo = recs["malmo"]
    assert not malmo.flagged
    assert malmo.actions == ("none",)
    assert malmo.priority is None and malmo.due_at is None
    assert malmo.rules[0].id == "malmo.party_political"
    assert malmo.rules[0].note is not None and "Tillåtet" in malmo.rules[0].note


@pytest.mark.parametrize(
    "category",
    ["harassment", "threat", "confidential", "hate_speech", "sexual_content", "copyright", "incitement"],
)
def test_harjedalen_sends_law_breaking_content_to_police_review(
    make_finding: MakeFinding, category: str
) -> None:
    rec = recommend(
        load_preset("harjedalen"), [make_finding(category)], platform="facebook", received_at=FRIDAY_15
    )
    assert {"remove", "register", "police_review"} <= set(rec.actions)
    assert "police_review" not in rec.auto_actions


def test_only_harjedalen_asks_for_police_review() -> None:
    for name in available_presets():
        has_police = any("police_review" in r.actions for r in load_preset(name).rules)
        assert has_police == (name == "harjedalen"), name


@pytest.mark.parametrize("name", ["malmo", "haparanda"])
def test_malmo_and_haparanda_tell_the_author_about_every_removal(
    name: str, make_finding: MakeFinding
) -> None:
    policy = load_preset(name)
    removing = [r for r in policy.rules if "remove" in r.actions]
    assert removing
    for rule in removing:
        assert "notify_author" in rule.actions, rule.id
        assert rule.texts.notify_author and "bort" in rule.texts.notify_author, rule.id
    rec = recommend(policy, [make_finding("hate_speech")], platform="instagram", received_at=FRIDAY_15)
    assert "notify_author" in rec.actions
    assert rec.texts["notify_author"].startswith("Hej!")


@pytest.mark.parametrize("name", ["finspang", "harjedalen", "helsingborg"])
def test_other_municipalities_do_not_notify_the_author(name: str) -> None:
    assert not any("notify_author" in r.actions for r in load_preset(name).rules)


def test_helsingborg_registers_before_every_removal() -> None:
    for rule in load_preset("helsingborg").rules:
        if "remove" in rule.actions:
            assert "register" in rule.actions, rule.id


def test_haparanda_forwards_a_fault_report(make_finding: MakeFinding) -> None:
    rec = recommend(
        load_preset("haparanda"),
        [make_finding("individual_case", "fault_report", 0.8)],
        platform="facebook",
        received_at=FRIDAY_15,
    )
    assert rec.actions == ("refer", "forward")
    assert rec.forward_to == ("Samhällsbyggnad/felanmälan",)
    # The fault-report reply wins over the general individual-case reply.
    assert "felanmalan" in rec.texts["reply"]
    assert {r.id for r in rec.rules} == {"haparanda.individual_case", "haparanda.fault_report"}
    assert rec.priority == 3


def test_haparanda_forwards_social_neglect_and_then_removes_it(make_finding: MakeFinding) -> None:
    rec = recommend(
        load_preset("haparanda"),
        [make_finding("individual_case", "social_neglect", 0.8)],
        platform="facebook",
        received_at=FRIDAY_15,
    )
    assert rec.actions == ("remove", "refer", "notify_author", "forward")
    assert rec.forward_to == ("Socialtjänsten",)
    assert "socialtjänsten" in rec.texts["reply"]
    assert "tagit bort" in rec.texts["notify_author"]


@pytest.mark.parametrize("name", ["finspang", "harjedalen", "helsingborg", "malmo"])
def test_only_haparanda_forwards_fault_reports(name: str, make_finding: MakeFinding) -> None:
    rec = recommend(
        load_preset(name),
        [make_finding("individual_case", "fault_report")],
        platform="facebook",
        received_at=FRIDAY_15,
    )
    assert "forward" not in rec.actions
    assert rec.forward_to == ()


def test_finspang_answers_questions_within_48_working_hours(make_finding: MakeFinding) -> None:
    rec = recommend(
        load_preset("finspang"), [make_finding("question")], platform="facebook", received_at=FRIDAY_15
    )
    assert rec.actions == ("answer",)
    assert rec.due_at == datetime(2025, 3, 18, 15, 0, tzinfo=STOCKHOLM)
    assert rec.due_at is not None and rec.due_at.tzinfo is UTC
    other = recommend(
        load_preset("malmo"), [make_finding("question")], platform="facebook", received_at=FRIDAY_15
    )
    assert other.due_at == datetime(2025, 3, 17, 15, 0, tzinfo=STOCKHOLM)


def test_findings_merge_into_one_recommendation(make_finding: MakeFinding) -> None:
    findings = [make_finding("question"), make_finding("threat"), make_finding("party_political")]
    rec = recommend(load_preset("harjedalen"), findings, platform="facebook", received_at=FRIDAY_15)
    assert rec.actions == ("remove", "register", "refer", "police_review", "answer")
    assert rec.priority == 1
    # The earliest due time wins: the threat's 4 working hours, not the question's 24.
    assert rec.due_at == datetime(2025, 3, 14, 19, 0, tzinfo=STOCKHOLM)
    assert [r.id for r in rec.rules] == [
        "harjedalen.threat",
        "harjedalen.party_political",
        "harjedalen.question",
    ]


def test_none_is_dropped_when_another_rule_acts(make_finding: MakeFinding) -> None:
    rec = recommend(
        load_preset("malmo"),
        [make_finding("party_political"), make_finding("harassment")],
        platform="facebook",
        received_at=FRIDAY_15,
    )
    assert rec.flagged
    assert "none" not in rec.actions
    assert {r.id for r in rec.rules} == {"malmo.party_political", "malmo.harassment"}


def test_no_findings_means_nothing_to_do() -> None:
    rec = recommend(load_preset("finspang"), [], platform="facebook", received_at=FRIDAY_15)
    assert not rec.flagged
    assert rec.actions == () and rec.rules == () and rec.due_at is None and rec.priority is None


def test_linkedin_replaces_hide_with_remove_when_the_rule_removes(make_finding: MakeFinding) -> None:
    finding = make_finding("personal_data", "phone")
    policy = load_preset("harjedalen")
    on_facebook = recommend(policy, [finding], platform="facebook", received_at=FRIDAY_15)
    assert on_facebook.actions == ("hide", "remove")
    on_linkedin = recommend(policy, [finding], platform="linkedin", received_at=FRIDAY_15)
    assert on_linkedin.actions == ("remove",)
    assert on_linkedin.notes == ()


def test_linkedin_keeps_hide_out_and_says_why_when_the_rule_only_hides(make_finding: MakeFinding) -> None:
    policy = load_preset("harjedalen")
    rec = recommend(policy, [make_finding("advertising")], platform="LinkedIn", received_at=FRIDAY_15)
    assert rec.platform == "linkedin"
    assert rec.flagged
    assert rec.actions == ()
    assert rec.notes == (LINKEDIN_NO_HIDE_NOTE,)
    assert LINKEDIN_NO_HIDE_NOTE == "LinkedIn saknar dölj-funktion; kommentaren kan bara tas bort."


def test_linkedin_never_turns_an_automatic_hide_into_an_automatic_removal(make_finding: MakeFinding) -> None:
    policy = load_preset("helsingborg")
    finding = make_finding("personal_data", "personnummer")
    assert recommend(policy, [finding], platform="facebook", received_at=FRIDAY_15).auto_actions == ("hide",)
    rec = recommend(policy, [finding], platform="linkedin", received_at=FRIDAY_15)
    assert rec.actions == ("remove", "register")
    assert rec.auto_actions == ()
    assert rec.notes == (LINKEDIN_NO_AUTO_HIDE_NOTE,)


def test_as_dict_is_json_serialisable(make_finding: MakeFinding) -> None:
    rec = recommend(
        load_preset("haparanda"),
        [make_finding("individual_case", "social_neglect"), make_finding("question")],
        platform="facebook",
        received_at=FRIDAY_15,
    )
    data = json.loads(json.dumps(rec.as_dict(), ensure_ascii=False))
    assert data["policy"] == "haparanda"
    assert data["flagged"] is True
    assert data["forward_to"] == ["Socialtjänsten"]
    assert datetime.fromisoformat(data["due_at"]) == rec.due_at
    assert {r["id"] for r in data["rules"]} >= {"haparanda.social_neglect", "haparanda.question"}


def test_recommendation_is_frozen(make_finding: MakeFinding) -> None:
    rec = recommend(load_preset("malmo"), [make_finding("spam")], platform="facebook", received_at=FRIDAY_15)
    with pytest.raises(AttributeError):
        rec.flagged = False  # type: ignore[misc]


def test_received_at_must_be_aware(make_finding: MakeFinding) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        recommend(
            load_preset("malmo"),
            [make_finding("spam")],
            platform="facebook",
            received_at=datetime(2025, 3, 14, 15, 0),
        )
