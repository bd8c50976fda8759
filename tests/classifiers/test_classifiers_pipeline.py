"""The public ``classify`` interface: determinism, explainable findings, context."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

import classifiers
from classifiers import Assessment, classify
from classifiers.pipeline import Pipeline, get_pipeline
from classifiers.text import TextDetector
from classifiers.types import CATEGORIES
from tests.testdata import skatteverket_numbers


def _test_personnummer() -> str:
    """A Skatteverket test number (belongs to no one), as YYMMDD-NNNN."""
    number = skatteverket_numbers()[20000]
    return f"{number[2:8]}-{number[8:]}"


TEXTS = [
    "Vilken j@vla idiot du är",
    "Någon skrev 'blattar' på busskuren, vidrigt!",
    "Helt värdelös snöröjning, skäms kommunen!",
    "Vi borde skjuta upp beslutet.",
    "Jag ska döda dig",
    "Rösta på SD i valet!",
    "Vad tycker SD om bygget?",
    "Rabattkod SOMMAR20 ger 20% rabatt, DM för pris",
    "Gatlampan på Storgatan är trasig, när lagar ni den?",
    "Hur svårt kan det vara?",
    "Invandrare är råttor som borde utvisas",
    "Grattis du har vunnit! Klicka här: bit.ly/x1",
    "i d i o t\u200b handläggare, ni är värdelösa",
    "",
    "   ",
    "🙂🙂🙂",
    "JÄÄÄÄVLA SKIT KOMMUN!!!!",
    f"Mitt personnummer är {_test_personnummer()}, ring mig",
]


@pytest.mark.parametrize("text", TEXTS)
def test_every_finding_is_explainable(text: str) -> None:
    assessment = classify(text)
    assert isinstance(assessment, Assessment)
    assert assessment.model_version
    for finding in assessment.findings:
        assert finding.category in CATEGORIES
        assert finding.spans, finding
        for span in finding.spans:
            assert 0 <= span.start < span.end <= len(text)
            assert span.text == text[span.start : span.end]
        assert finding.explanation.strip()
        assert finding.explanation.endswith(".")
        assert re.search(r"[a-zåäö]", finding.explanation)
        assert finding.rule_id and finding.model_version


@pytest.mark.parametrize("text", TEXTS)
def test_same_input_gives_an_equal_assessment(text: str) -> None:
    first = classify(text, {"platform": "facebook"})
    second = classify(text, {"platform": "facebook"})
    fresh = Pipeline().classify(text, {"platform": "facebook"})
    assert first == second == fresh
    assert first.as_dict() == fresh.as_dict()


def test_findings_are_sorted_by_category_order_then_position() -> None:
    text = "Jävla idiot, rösta på SD! Jag ska döda dig. När öppnar badhuset igen efter renoveringen?"
    findings = classify(text).findings
    order = [CATEGORIES.index(f.category) for f in findings]
    assert order == sorted(order)
    assert {"profanity", "harassment", "party_political", "question", "threat"} <= {
        f.category for f in findings
    }


def test_explanation_names_the_original_obfuscated_word() -> None:
    finding = next(f for f in classify("Vilken j@vla dag").findings if f.category == "profanity")
    assert finding.spans[0].text == "j@vla"
    assert "'j@vla'" in finding.explanation
    assert finding.explanation.startswith("Texten innehåller ordet")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Någon skrev 'blattar' på busskuren, vidrigt!", "hate_speech"),
        ("Helt värdelös snöröjning, skäms kommunen", "harassment"),
        ("Vi borde skjuta upp beslutet.", "threat"),
        ("Vi spelade kort för att döda tid i kön", "threat"),
        ("Vad tycker SD om bygget?", "party_political"),
        ("Fint väder idag!", "off_topic"),  # short small talk; the model learned "väder" abroad
        ("Vilket väder idag", "off_topic"),
    ],
)
def test_known_false_positives_stay_away_in_the_full_pipeline(text: str, category: str) -> None:
    assert category not in classify(text).categories


def test_a_neutral_party_question_is_a_question() -> None:
    assert "question" in classify("Vad anser Moderaterna om bygget?").categories
    assert "party_political" not in classify("Vad anser Moderaterna om bygget?").categories


@pytest.mark.xfail(strict=True, reason="known since questions are also trained without their mark")
def test_a_party_asked_what_it_thinks_is_a_question() -> None:
    """Every "vad tycker …" comment in train asks other commenters, so the model gives
    this one 0.05 and the question veto drops it (REPORT.md's limits say so).  Strict:
    when a model reads it as a question again, this test says so."""
    assert "question" in classify("Vad tycker SD om bygget?").categories


@pytest.fixture(scope="module")
def party_everywhere() -> TextDetector:
    """A detector whose party-political model fires on any text, so the guard is
    tested on its own rather than on the shipped model's scores."""
    shipped = get_pipeline().text.model
    assert shipped is not None
    model = copy.copy(shipped)
    model.thresholds = {**shipped.thresholds, "party_political": 0.0}
    return TextDetector(model=model)


@pytest.mark.parametrize(
    "text",
    [
        "Hur röstade Centerpartiet i frågan om skattehöjningen?",
        "Vem är gruppledare för Socialdemokraterna? Vill skicka en motion",
        "Vad tycker SD om bygget?",
    ],
)
def test_a_question_about_a_party_is_not_left_to_the_party_model(
    party_everywhere: TextDetector, text: str
) -> None:
    assert "party_political" not in {f.category for f in party_everywhere.detect(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Centerpartiet har förstört hela kommunen.",  # a party outside a question
        "Varför röstar ni inte på Centerpartiet? De är bäst!",  # a word of voting
    ],
)
def test_a_party_outside_a_plain_question_is_left_to_the_party_model(
    party_everywhere: TextDetector, text: str
) -> None:
    assert "party_political" in {f.category for f in party_everywhere.detect(text)}


def test_copy_of_the_post_is_spam_only_with_context() -> None:
    post = "Nu öppnar vi det nya biblioteket på Stora torget, välkomna på lördag!"
    assert "spam" in classify(post, {"post_text": post}).categories
    assert "spam" not in classify(post).categories


def test_privacy_findings_come_from_the_privacy_package() -> None:
    text = f"Mitt personnummer är {_test_personnummer()}, ring mig"
    assessment = classify(text, {"own_contacts": []})
    assert "personal_data" in assessment.categories or "sensitive_personal_data" in assessment.categories


def test_model_version_is_exposed_and_combined() -> None:
    version = classifiers.warm_up()
    assert version == classifiers.MODEL_VERSION
    assert "text-rules-" in version and "+model-" in version
    assert classify("hej").model_version == version


def test_rules_only_pipeline_works_without_privacy_or_models() -> None:
    from classifiers.text import TextDetector

    pipeline = Pipeline(text_detector=TextDetector(artifact_path=None), use_privacy=False)
    assessment = pipeline.classify("Jag ska döda dig, din j@vla idiot")
    assert {"threat", "profanity", "harassment"} <= assessment.categories
    assert "model-none" in assessment.model_version and "absent" in assessment.model_version


def test_spans_and_explanations_hold_across_the_corpus() -> None:
    """Every finding on a sample of labelled comments points at the original words."""
    corpus = Path(__file__).resolve().parents[2] / "classifiers" / "data" / "corpus.jsonl"
    lines = corpus.read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines[:: max(1, len(lines) // 400)]]
    seen_model_finding = False
    for text in texts:
        for finding in classify(text).findings:
            assert finding.spans and finding.explanation
            for span in finding.spans:
                assert span.text == text[span.start : span.end] and span.end > span.start
            if finding.rule_id.endswith(".model"):
                seen_model_finding = True
                assert finding.explanation.startswith("Modellen bedömer texten som")
                assert all(f"'{s.text}'" in finding.explanation for s in finding.spans)
    models_trained = "+model-none" not in classifiers.MODEL_VERSION
    assert seen_model_finding or not models_trained


LAWFUL_RECOURSE = [
    "Om ni inte lagar vägen kommer jag att skriva till tidningen",
    "Jag kommer att överklaga beslutet om bygglov",
    "Nästa gång ni struntar i soptunnan går jag till JO",
    "Jag tänker ta upp det här med kommunalrådet",
    "Lägger ni ner byskolan så röstar vi bort er i nästa val",
]
LAWFUL_WITH_HARM = [
    "Överklaga gärna, men nästa gång kommer jag med yxan",
    "Skriv till tidningen om ni vill, handläggaren ska få ångra sig",
]


@pytest.fixture(scope="module")
def threat_everywhere() -> TextDetector:
    """A detector whose threat and incitement models fire on any text at all.

    So the lawful-recourse guard is tested on its own, not on whatever the
    shipped model happens to score these sentences.
    """
    shipped = get_pipeline().text.model
    assert shipped is not None
    model = copy.copy(shipped)
    model.thresholds = {**shipped.thresholds, "threat": 0.0, "incitement": 0.0}
    return TextDetector(model=model)


@pytest.mark.parametrize("text", LAWFUL_RECOURSE)
def test_lawful_recourse_is_not_a_threat(threat_everywhere: TextDetector, text: str) -> None:
    categories = {f.category for f in threat_everywhere.detect(text)}
    assert not categories & {"threat", "incitement"}, categories
    assert "threat" not in classify(text).categories


@pytest.mark.parametrize(
    "text",
    [
        "Vi borde skjuta upp beslutet om badhuset",
        "Jag kommer att döda den här löprundan imorgon haha",
        "jag dödade tentan idag, nu blir det fika",
        "Han slog ihjäl en mygga på mötet",
    ],
)
def test_violent_words_in_idioms_are_not_left_to_the_threat_model(
    threat_everywhere: TextDetector, text: str
) -> None:
    assert not {f.category for f in threat_everywhere.detect(text)} & {"threat", "incitement"}


def test_a_violent_word_outside_an_idiom_is_left_to_the_threat_model(threat_everywhere: TextDetector) -> None:
    # (no rule knows this word order, so only the model can find it)
    assert "threat" in {
        f.category for f in threat_everywhere.detect("Nästa gång skjuter jag gubben på bygglov")
    }


@pytest.mark.parametrize(
    ("category", "text"),
    [
        ("off_topic", "Vad kostar en begagnad cykel nu för tiden? Dottern vill ha en till jul"),
        (
            "advertising",
            "Trött på att skotta själv? Vi på Snöfixarna skottar din uppfart varje morgon i vinter",
        ),
    ],
)
def test_a_question_in_chatter_or_an_advert_is_no_question_to_the_municipality(
    category: str, text: str
) -> None:
    """A non-service category found by the model takes back a question the rule found;
    without it the question stands.  Tested with that model forced on and off (and no
    vetoes, which would drop a question the question model doubts on their own)."""
    shipped = get_pipeline().text.model
    assert shipped is not None
    found = {}
    for threshold in (0.0, 1.1):
        model = copy.copy(shipped)
        model.thresholds = {**shipped.thresholds, category: threshold}
        model.vetoes = {}
        found[threshold] = {f.category for f in TextDetector(model=model).detect(text)}
    assert category in found[0.0] and "question" not in found[0.0]
    assert category not in found[1.1] and "question" in found[1.1]


def test_a_doubtful_off_topic_finding_leaves_the_question() -> None:
    """Out of fold, an off-topic model finding under 0.5 was wrong about half the
    questions it took back: the question stands beside it (the model forced on)."""
    shipped = get_pipeline().text.model
    assert shipped is not None
    model = copy.copy(shipped)
    model.thresholds = {**shipped.thresholds, "off_topic": 0.0}
    text = "Varför röstade V nej till nya badhuset?"
    findings = {f.category: f for f in TextDetector(model=model).detect(text)}
    assert findings["off_topic"].subtype == "model" and findings["off_topic"].score < 0.5
    assert "question" in findings


@pytest.mark.parametrize("text", LAWFUL_WITH_HARM)
def test_lawful_recourse_beside_harm_is_left_to_the_model(threat_everywhere: TextDetector, text: str) -> None:
    assert "threat" in {f.category for f in threat_everywhere.detect(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Kan ni ploga gatan så vi kommer ut",
        "När kommer ni och hämtar soporna hos oss?",
        "Vi kommer till mötet i kväll, finns det plats för grannarna också?",
    ],
)
def test_a_request_or_question_without_harm_is_not_left_to_the_threat_model(
    threat_everywhere: TextDetector, text: str
) -> None:
    assert "threat" not in {f.category for f in threat_everywhere.detect(text)}
    assert "threat" not in classify(text).categories


@pytest.mark.parametrize(
    "text",
    [
        "Kan ni sluta ploga igen min uppfart, annars kommer jag ut med yxan?",
        "Vet du var din dotter är just nu?",
    ],
)
def test_a_question_with_harm_is_still_left_to_the_threat_model(
    threat_everywhere: TextDetector, text: str
) -> None:
    assert "threat" in {f.category for f in threat_everywhere.detect(text)}


def test_a_short_comment_with_an_off_topic_theme_word_is_still_off_topic() -> None:
    assert "off_topic" in classify("Heja Zlatan!").categories


@pytest.mark.parametrize(
    "text",
    [
        "@Nora du är en kämpe, ses på träningen",
        "Haha Ola du är lika kass på bowling som jag, ses på torsdag",
        "Hon är en toppen chef, lyssnar alltid",
    ],
)
def test_praise_and_friends_making_plans_are_no_harassment(text: str) -> None:
    """The model reads "du är en …" as an attack; praise and friendship keep it from
    deciding (found out of fold over train, writers h, s, v, x and zg)."""
    assert "harassment" not in {f.category for f in classify(text).findings}


def test_an_insult_among_friends_is_still_read() -> None:
    assert "harassment" in {f.category for f in classify("Du är en idiot, ses i rätten").findings}


@pytest.mark.parametrize(
    ("text", "instead"),
    [
        ("Streamar hela matchen olagligt på min kanal, länk i bio, 50 % rabatt på abonnemang", "copyright"),
        (
            "Säljer falska körkort, 100 % äkta i registret, 20 % rabatt i helgen, DM för pris",
            "crime_material",
        ),
    ],
)
def test_an_unlawful_or_sexual_offer_is_not_advertising(text: str, instead: str) -> None:
    """No business advertises a pirated stream or forged papers (found out of fold over train)."""
    found = {f.category for f in classify(text).findings}
    assert instead in found
    assert "advertising" not in found


def test_a_business_offer_stays_advertising() -> None:
    """Only criminal, sexual or pirated offers take advertising back.  (Ending the same
    offer with "DM för pris", the frame of the corpus's criminal offers, makes the
    criminal-material model flag it, and then advertising goes too: a known false
    alarm, in REPORT.md's limits.)"""
    found = {
        f.category
        for f in classify("Vi säljer ekologisk honung, 20 % rabatt i helgen, ring för pris").findings
    }
    assert "advertising" in found and "crime_material" not in found
