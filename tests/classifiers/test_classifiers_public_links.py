"""A link to a public body's site is a reader pointing to the source, not spam.

The corpus has links on made-up domains only, so the spam model learnt that a bare
address is spam; these tests hold the guard that reads such a comment again without
its links to public bodies (``TextDetector._spam_only_by_public_links``), and the
link-farm rule that no longer counts them.
"""

from __future__ import annotations

import pytest

from classifiers import classify
from classifiers.normalize import normalize
from classifiers.text import TextDetector
from classifiers.text.detectors import _host_of

PUBLIC_LINKS = [
    "https://www.krisinformation.se/",
    "Kolla själv: https://www.skatteverket.se/privat",
    "Tack! https://www.1177.se/Kronoberg/",
    "www.trafikverket.se/trafikinformation",
    # The model scores the pointing words alone as spam ("Här:" 0.73, "Info:" 0.74).
    "Här: https://www.polisen.se/aktuellt/",
    "Info: https://www.krisinformation.se/handelser",
    # An abbreviation is no domain of a spammer's.
    "t.ex. https://www.1177.se",
]

OWN_SITE = "https://www.vaxjo.se/trafik-och-resor/parkering.html"
OWN_CONTACTS = {"own_contacts": {"phones": [], "emails": ["kontaktcenter@vaxjo.se"]}}


def spam_findings(detector: TextDetector, text: str, context: dict[str, object] | None = None) -> list[str]:
    return [f.rule_id for f in detector.detect(text, context) if f.category == "spam"]


#: Since writer zzza's short replies the model alone scores a bare Trafikverket link 0.48,
#: under the spam threshold; the others it still takes for spam.
TAKEN_FOR_SPAM = [text for text in PUBLIC_LINKS if text != "www.trafikverket.se/trafikinformation"]


@pytest.mark.parametrize("text", TAKEN_FOR_SPAM)
def test_the_model_alone_takes_a_bare_public_link_for_spam(detector: TextDetector, text: str) -> None:
    """Why the guard exists: without it these comments would be flagged."""
    assert detector.model is not None
    score = detector.model.score(normalize(text).text).probabilities["spam"]
    assert score >= detector.model.thresholds["spam"]


@pytest.mark.parametrize("text", PUBLIC_LINKS)
def test_a_link_to_a_public_body_is_not_spam(detector: TextDetector, text: str) -> None:
    assert spam_findings(detector, text) == []


def test_the_tenants_own_site_is_known_by_its_own_mailboxes(detector: TextDetector) -> None:
    assert spam_findings(detector, OWN_SITE) == ["spam.model"]  # another municipality's site: unknown
    assert spam_findings(detector, OWN_SITE, OWN_CONTACTS) == []


@pytest.mark.parametrize(
    "text",
    [
        "https://skatteverket.se.example.com/login",
        "https://www.skatteverket-retur.example/login",
        "https://1177.se-login.example/verifiera",
        # User information before the host: the browser goes to evil.top.
        "Logga in: https://www.1177.se:@evil.top/login",
        # Endings the link pattern does not know: it finds only "1177.se" of them.
        "1177.se.verifiera.top/login",
        "1177.se-login.top/verifiera",
    ],
)
def test_a_look_alike_of_a_public_site_stays_spam(detector: TextDetector, text: str) -> None:
    assert spam_findings(detector, text)


def test_the_words_around_a_public_link_still_count(detector: TextDetector) -> None:
    assert spam_findings(detector, "FÖLJ MIG FÖLJ MIG FÖLJ MIG https://www.1177.se") == ["spam.model"]


@pytest.mark.parametrize(
    "text",
    [
        "Vinst! gratis-iphone.top https://www.1177.se",
        "Ring 0701234567 https://www.1177.se",
        "Grattis!!! Mejla mig: vinnare@protonmail.ch https://www.1177.se",
    ],
)
def test_a_public_link_does_not_carry_a_way_to_reach_a_spammer(detector: TextDetector, text: str) -> None:
    """Read without the public link these score under the threshold, but what is left is a
    phone number, an e-mail address or a domain the link pattern does not know."""
    assert spam_findings(detector, text) == ["spam.model"]


def test_a_mailbox_at_a_webmail_provider_names_no_own_site(detector: TextDetector) -> None:
    text = "Din faktura: https://www.icloud.com/iclouddrive/0aBcD#faktura"
    webmail = {"own_contacts": {"emails": ["kommunen@icloud.com"]}}
    assert spam_findings(detector, text, webmail) == ["spam.model"]


def test_links_to_public_bodies_are_no_link_farm_but_the_same_one_again_is() -> None:
    rules = TextDetector(use_model=False)
    public = "Läs: https://www.1177.se https://www.krisinformation.se https://www.polisen.se"
    made_up = "Läs: https://a.example.com https://b.example.com https://c.example.com"
    repeated = "https://www.1177.se https://www.1177.se https://www.1177.se https://www.1177.se"
    assert spam_findings(rules, public) == []
    assert spam_findings(rules, made_up) == ["spam.links"]
    assert spam_findings(rules, repeated) == ["spam.links"]
    # The link pattern finds only "1177.se" of these; the whole of each is read.
    assert spam_findings(rules, "1177.se.a.top 1177.se.b.top 1177.se.c.top") == ["spam.links"]


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://www.1177.se/Kronoberg/", "1177.se"),
        ("WWW.Polisen.se", "polisen.se"),
        ("https://e-tjanster.skatteverket.se:443/x?y=1", "e-tjanster.skatteverket.se"),
        ("krisinformation.se#senaste", "krisinformation.se"),
        ("1177.se.verifiera.top/login", "1177.se.verifiera.top"),
        ("https://www.1177.se:@evil.top/login", None),
        ("vinnare@vaxjo.se", None),
    ],
)
def test_host_a_browser_goes_to(url: str, host: str | None) -> None:
    assert _host_of(url) == host


@pytest.mark.parametrize(
    "context",
    [
        {"own_contacts": "kontaktcenter@vaxjo.se"},
        {"own_contacts": {"emails": "kontaktcenter@vaxjo.se"}},
        {"own_contacts": {"emails": [None, "kontakt@", "x@se", " <kontaktcenter@vaxjo.se>. "]}},
    ],
)
def test_odd_own_contacts_neither_fail_nor_trust_too_much(
    detector: TextDetector, context: dict[str, object]
) -> None:
    assert classify(OWN_SITE, context) is not None  # the whole pipeline, privacy included
    assert spam_findings(detector, "https://:@evil.top/ gratis", context)
