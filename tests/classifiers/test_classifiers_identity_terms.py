"""Identity terms: the same sentence about different groups is judged alike.

Issue 15: neutral mentions of groups ("invandrare", "judar", "kvinnor",
"svenskar") were flagged as hate speech because the model had learnt the
group word itself.  Training now adds counterfactual group swaps
(``classifiers.text.counterfactual``); rules cover contempt without a slur
("göra sig av med …"), insults aimed at a person without a listed insult
("jävla kärring") and denials ("… är inte kriminella").  The sentences here
are not in the corpus.
"""

from __future__ import annotations

import pytest

from classifiers import classify
from classifiers.normalize import normalize
from classifiers.text import TextDetector
from classifiers.text.counterfactual import GROUPS_PLURAL, counterfactual_variants
from classifiers.train import with_variants

GROUPS = (
    "invandrare",
    "judar",
    "kvinnor",
    "svenskar",
    "muslimer",
    "romer",
    "samer",
    "homosexuella",
    "kristna",
    "män",
    "flyktingar",
    "somalier",
)

NEUTRAL = (
    "Många {g} bor i vår kommun.",
    "{G} är välkomna på mötet i biblioteket på torsdag.",
    "Hur stöttar kommunen {g} som söker jobb?",
    "Föreningen för {g} ordnar en träff i parken.",
    "Jag har många vänner som är {g}.",
    "Kommunen borde lyssna mer på {g}.",
    "Det finns {g} i alla yrken, även i kommunens förvaltning.",
    "Utställningen på museet handlar om hur {g} har levt här under hundra år.",
)

CONTEMPT = (
    "Det bästa vore att göra sig av med alla {g} i kommunen.",
    "{G} är inte riktiga människor.",
    "{G} är ohyra och borde utvisas.",
    "{G} är lägre stående än vi andra.",
    "Rensa bort {g} från centrum.",
)

#: Largest allowed spread of the hate-speech model probability over the groups
#: for one sentence (before counterfactual training: up to 0.92).
TOLERANCE = 0.25


def _sentence(template: str, group: str) -> str:
    return template.format(g=group, G=group[:1].upper() + group[1:])


@pytest.mark.parametrize("template", NEUTRAL + CONTEMPT)
def test_the_same_sentence_about_different_groups_scores_alike(detector: TextDetector, template: str) -> None:
    assert detector.model is not None
    scores = {
        g: detector.model.score(normalize(_sentence(template, g)).text).probabilities["hate_speech"]
        for g in GROUPS
    }
    assert max(scores.values()) - min(scores.values()) <= TOLERANCE, scores
    decisions = {g: "hate_speech" in classify(_sentence(template, g)).categories for g in GROUPS}
    assert len(set(decisions.values())) == 1, decisions


@pytest.mark.parametrize("template", NEUTRAL)
def test_neutral_mentions_of_groups_are_not_hate_speech(template: str) -> None:
    flagged = [g for g in GROUPS if "hate_speech" in classify(_sentence(template, g)).categories]
    assert not flagged


@pytest.mark.parametrize("template", CONTEMPT)
def test_contempt_for_a_group_without_a_slur_is_hate_speech(template: str) -> None:
    for g in GROUPS:
        text = _sentence(template, g)
        findings = [f for f in classify(text).findings if f.category == "hate_speech"]
        assert findings, text
        assert all(f.spans and f.explanation for f in findings)


@pytest.mark.parametrize(
    "text",
    [
        "Vi borde göra oss av med alla judar",
        "Kommunen borde göra sig av med svenskarna",
        "Samer är lägre stående",
        "Kvinnor är för dumma för att sitta i nämnden",
        "Kasta ut alla kurder ur stan",
        "Inga fler somalier i vårt kvarter",
        "Vi vill inte ha judar i föreningen",
        "Kurder är lata allihop",
        "Katoliker är pedofiler",
        "Muslimer är ett problem som vi måste lösa",
        "Alla invandrare är ett stort problem för Sverige",
        "Somalierna är problemet i den här stan",
    ],
)
def test_group_contempt_rules_need_no_model(text: str) -> None:
    rules_only = TextDetector(use_model=False)
    finding = next(f for f in rules_only.detect(text) if f.category == "hate_speech")
    assert finding.rule_id == "hate_speech.group_dehumanising"
    assert len(finding.spans) == 2


@pytest.mark.parametrize(
    "text",
    [
        "Invandrare är inte kriminella",
        "Muslimer är inte terrorister, sluta sprida sånt",
        "Vi måste bli av med alla sopor i parken",
        "Kommunen borde rensa bort slyet längs cykelvägen",
        "Vi vill inte ha fler hål i vägen, laga dem nu",
        "Inga fler höjda avgifter för pensionärer",
        "Diskriminering av muslimer är ett problem",
        "Bostadsbristen för invandrare är ett problem",
        "Arbetslösheten bland kvinnor är ett problem",
        "Rasism mot judar är ett problem",
        "Hatet mot muslimer är ett hot",
        "Invandrare är inte ett problem, de är en tillgång",
    ],
)
def test_denials_and_contempt_words_without_a_group_are_not_hate_speech(text: str) -> None:
    assert "hate_speech" not in classify(text).categories


def test_a_denial_does_not_hide_dehumanisation() -> None:
    assert "hate_speech" in classify("Invandrare är inte människor").categories


def test_counterfactual_variants_swap_groups_of_the_same_form() -> None:
    text = "Många invandrare och judarna i stan"
    variants = counterfactual_variants(text)
    assert variants == counterfactual_variants(text)  # deterministic
    # Every other group of the form once: the original group gains nothing by being written about.
    assert len(variants) == len(GROUPS_PLURAL) - 1
    assert len({v.split()[1] for v in variants}) == len(GROUPS_PLURAL) - 1
    for v in variants:
        assert v.startswith("Många ") and v.endswith(" i stan")
        words = v.split()
        assert words[1] in GROUPS_PLURAL and words[1] != "invandrare"
        assert words[3].endswith(("na", "en")) and words[3] != "judarna"
    assert counterfactual_variants("Invandrare") != []
    assert counterfactual_variants("Invandrare")[0][0].isupper()
    assert counterfactual_variants("Snöröjningen är dålig") == []


def test_training_adds_the_swaps_with_the_same_labels() -> None:
    rows = [
        {"text": "Judar är ohyra", "labels": ["hate_speech"]},
        {"text": "Tack för snabb plogning", "labels": []},
    ]
    texts, labels = with_variants(rows)
    assert texts[0] == "Judar är ohyra" and "Tack för snabb plogning" in texts
    assert len(texts) > 2
    for text, label in zip(texts, labels, strict=True):
        assert label == ({"hate_speech"} if text.endswith("är ohyra") else set())


def test_training_adds_each_question_without_its_mark_with_the_same_labels() -> None:
    rows = [
        {"text": "När öppnar badhuset igen? Undrar", "labels": ["question"]},
        {"text": "Tack för snabb plogning!", "labels": []},
    ]
    texts, labels = with_variants(rows)
    assert list(zip(texts, labels, strict=True)) == [
        ("När öppnar badhuset igen? Undrar", {"question"}),
        ("När öppnar badhuset igen Undrar", {"question"}),
        ("Tack för snabb plogning!", set()),
    ]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Min granne är en jävla kärring som spionerar", "jävla kärring"),
        ("Din dumma kärring, sluta ringa kommunen", "Din dumma kärring"[4:]),
        ("Den där feta gubben på parkeringen borde skämmas", "feta gubben"),
    ],
)
def test_an_insulting_word_aimed_at_a_person_is_harassment(text: str, span: str) -> None:
    rules_only = TextDetector(use_model=False)
    finding = next(f for f in rules_only.detect(text) if f.category == "harassment")
    assert finding.rule_id == "harassment.person_insult"
    assert [s.text for s in finding.spans] == [span]
    assert f"'{span}'" in finding.explanation


@pytest.mark.parametrize(
    "text",
    [
        "Kärringen i sagan var elak men föreställningen var bra",
        "En gubbe satt på bänken",
        "Snöröjningen är typ värdelös",
    ],
)
def test_a_belittling_noun_alone_is_not_a_rule_finding(text: str) -> None:
    rules_only = TextDetector(use_model=False)
    assert "harassment" not in {f.category for f in rules_only.detect(text)}


@pytest.mark.parametrize(
    ("text", "sensitive"),
    [
        ("Jag har inte diabetes", False),
        ("Min son har aldrig haft adhd", False),
        ("Hon är inte muslim", False),
        ("Jag har diabetes", True),
        ("Jag har inte längre cancer", True),
        ("Jag har inte bara diabetes utan också astma", True),
    ],
)
def test_a_denied_health_or_belief_term_is_not_sensitive_data(text: str, sensitive: bool) -> None:
    assert ("sensitive_personal_data" in classify(text).categories) is sensitive


def test_a_term_after_utan_is_affirmed_not_denied() -> None:
    findings = [f for f in classify("Jag har inte diabetes utan cancer").findings]
    spans = {s.text for f in findings if f.category == "sensitive_personal_data" for s in f.spans}
    assert "cancer" in spans and "diabetes" not in spans


def test_a_fault_report_keeps_a_model_hate_finding_beside_a_group_word(detector: TextDetector) -> None:
    """The fault-report guard drops the model's hate finding only where no group word or slur
    stands ("laga dem nu" about potholes); a group word beside a fault report keeps it."""
    from classifiers.text.detectors import _fault_report_not_hate
    from classifiers.types import Finding

    def finding(category: str, subtype: str) -> Finding:
        return Finding(category, subtype, 0.5, (), "för testet", f"{category}.{subtype}", "test")

    def drops(text: str, hate_subtype: str = "model") -> bool:
        doc = detector._analyse(text, normalize(text), {})
        out = {
            "individual_case": [finding("individual_case", "model")],
            "hate_speech": [finding("hate_speech", hate_subtype)],
        }
        return _fault_report_not_hate(doc, out)

    assert drops("Vi vill inte ha fler hål i vägen, laga dem nu")
    assert not drops("Lampan i tunneln är sönder igen, typiskt invandrarna, laga den")
    assert not drops("Vi vill inte ha fler hål i vägen, laga dem nu", hate_subtype="slur")
