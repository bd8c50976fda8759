"""The evidence PDF: parseable, complete, Swedish, and unbreakable by hostile comment text."""

from __future__ import annotations

import copy
import io
from typing import Any

import pytest
from pypdf import PdfReader

from app.evidence import pdf as evidence_pdf
from app.evidence.pdf import MAX_COMMENT_CHARS, FontChoice, render_evidence_pdf

#: Skatteverket's first test personnummer (tests/data/testpersonnummer/personnummer.json).
PERSONNUMMER = "189001019802"
SHA = "3b1f0c9a7e5d2c4b6a8f9e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6978f0e1d2"
EXPLANATION = "Personangrepp: ordet ”idioter” riktas mot en namngiven tjänsteperson."


def make_doc(text: str = "", **overrides: Any) -> dict[str, Any]:
    text = text or f"Åsa på förvaltningen är en idiot. Hennes personnummer är {PERSONNUMMER}."
    findings = []
    if "idiot" in text:
        start = text.index("idiot")
        findings.append(
            {
                "category": "harassment",
                "subtype": "insult",
                "score": 0.93,
                "spans": [{"start": start, "end": start + 5, "text": "idiot"}],
                "explanation": EXPLANATION,
                "rule_id": "harassment.lexicon.v3",
            }
        )
    doc: dict[str, Any] = {
        "evidence_id": "ev_0001",
        "sha256": SHA,
        "snapshot_at": "2026-03-02T09:20:11+00:00",
        "tenant": "Exempelstads kommun",
        "account": {"platform": "instagram", "external_id": "17841400000000", "display_name": "exempelstad"},
        "post": {
            "external_id": "18000000000000001",
            "text": "Välkommen till vårens öppna hus på biblioteket!",
        },
        "parent": {
            "external_id": "17865799348089000",
            "text": "Vad tycker ni?",
            "author_name": "Olle Exempel",
        },
        "comment": {
            "external_id": "17865799348089039",
            "author_name": "Testa Testsson",
            "author_external_id": "232323232",
            "state": "visible",
            "created_at": "2026-03-02T09:15:00+00:00",
            "received_at": "2026-03-02T09:15:02+00:00",
            "versions": [
                {
                    "seq": 1,
                    "text": "Första lydelsen, före redigering.",
                    "received_at": "2026-03-02T09:15:02+00:00",
                },
                {"seq": 2, "text": text, "received_at": "2026-03-02T09:17:30+00:00"},
            ],
        },
        "assessment": {"model_version": "sv-test-1", "categories": ["harassment"], "findings": findings},
        "recommendation": {"actions": ["hide"], "priority": "high", "due_at": "2026-03-02T13:00:00+00:00"},
        "timeline": [
            {"at": "2026-03-02T09:15:02+00:00", "event": "Kommentaren togs emot."},
            {"at": "2026-03-02T09:20:11+00:00", "event": "Ögonblicksbild sparad som bevis."},
        ],
    }
    doc.update(overrides)
    return doc


def pdf_text(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages), len(reader.pages)


def squash(text: str) -> str:
    return " ".join(text.split())


def test_pdf_parses_and_holds_the_comment_finding_and_hash() -> None:
    data = render_evidence_pdf(make_doc())

    assert data.startswith(b"%PDF-")
    text, pages = pdf_text(data)
    flat = squash(text)
    assert pages >= 1
    assert "Bevisunderlag – kommentar på Instagram" in flat
    assert f"Hennes personnummer är {PERSONNUMMER}." in flat
    assert squash(EXPLANATION) in flat
    assert SHA in flat
    assert "kanoniska JSON-representationen" in flat
    assert "Första lydelsen, före redigering." in flat  # the earlier version
    assert "Vad tycker ni?" in flat and "Välkommen till vårens öppna hus" in flat
    assert "Ögonblicksbild sparad som bevis." in flat  # the timeline
    assert "[1: Personangrepp, kränkningar och förtal]" in flat  # the label after the highlighted span
    assert f"Sida 1 av {pages}" in flat


def test_swedish_letters_survive() -> None:
    text = "Räksmörgås ÅÄÖ åäö é ü – »citat« … ”dubbla”"
    flat = squash(pdf_text(render_evidence_pdf(make_doc(text)))[0])
    assert text in flat


def test_same_snapshot_gives_the_same_bytes() -> None:
    doc = make_doc()
    assert render_evidence_pdf(doc) == render_evidence_pdf(copy.deepcopy(doc))
    assert render_evidence_pdf(doc) != render_evidence_pdf(make_doc(sha256="0" * 64))


def test_long_text_is_cut_with_a_note() -> None:
    long_text = "början " + ("ord " * 25_000) + "SLUTMARKÖR"
    assert len(long_text) > 100_000

    text, pages = pdf_text(render_evidence_pdf(make_doc(long_text)))
    flat = squash(text)

    assert "början" in flat
    assert "SLUTMARKÖR" not in flat
    shown = f"{MAX_COMMENT_CHARS:,}".replace(",", " ")
    total = f"{len(long_text):,}".replace(",", " ")
    assert f"Texten är förkortad i PDF:en: de första {shown} av {total} tecknen visas." in flat
    assert pages < 20


def test_control_and_format_characters_are_shown_as_code_points() -> None:
    hostile = "före\x00efter \u202eesreveR\u202c slut"
    flat = squash(pdf_text(render_evidence_pdf(make_doc(hostile)))[0])
    assert "före[U+0000]efter" in flat
    assert "[U+202E]esreveR[U+202C]" in flat
    assert "Om tecken som inte visas" in flat


def test_rtl_text_is_summarised_not_scrambled() -> None:
    arabic = "مرحبا بكم في البلدية"
    flat = squash(pdf_text(render_evidence_pdf(make_doc(f"Hej {arabic} hej")))[0])
    assert "höger-till-vänster-skrift, 17 tecken, från U+0645" in flat


def test_the_page_count_alias_in_comment_text_is_left_alone() -> None:
    flat = squash(pdf_text(render_evidence_pdf(make_doc("Skriv {nb} och {\x7fsidor\x7f} här")))[0])
    assert "Skriv {nb} och {[U+007F]sidor[U+007F]} här" in flat


HOSTILE = [
    "😀🤬💩" * 200,
    "\x00" * 50 + "mitt" + "\x01\x02\x1b[31m",
    "\ud800 ensam surrogat \udfff",
    "a" * 30_000,  # one word longer than any line
    "\u202e" * 100 + "\u2066\u2067\u2068\u2069\u200b\u200d\ufeff",
    "\n" * 500 + "rader",
    "Zalgo: " + "e\u0301\u0302\u0303\u0304\u0305\u0306" * 200,
    "中文字符 日本語 한국어 עברית ελληνικά русский",
    "\uffff\ufffe\U0010ffff\ue000",
    "",
]


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_does_not_crash(hostile: str) -> None:
    doc = make_doc("x")
    doc["comment"]["versions"][1]["text"] = hostile
    doc["comment"]["author_name"] = hostile[:200]
    doc["post"]["text"] = hostile
    doc["timeline"].append({"at": "not a date", "event": hostile[:300]})
    doc["assessment"]["findings"] = [
        {
            "category": "spam",
            "subtype": hostile[:20],
            "score": 0.5,
            "spans": [{"start": 0, "end": min(5, len(hostile)) or 1, "text": hostile[:5]}],
            "explanation": hostile[:500],
            "rule_id": "spam.test",
        }
    ]

    text, pages = pdf_text(render_evidence_pdf(doc))

    assert SHA in squash(text)
    assert pages >= 1


def test_bad_spans_and_missing_parts_are_tolerated() -> None:
    doc = make_doc("Kort text.")
    doc["assessment"]["findings"] = [
        {
            "category": "threat",
            "score": 0.8,
            "spans": [{"start": 5, "end": 999, "text": "?"}],
            "explanation": "Hot.",
        },
        {"category": "nonexistent_category", "score": "hög", "spans": [{"start": "a", "end": None}]},
        {"category": "profanity", "score": 0.7, "spans": [{"start": 3, "end": 1, "text": ""}]},
    ]
    doc.update(post=None, parent=None, recommendation=None, assessment=doc["assessment"])
    flat = squash(pdf_text(render_evidence_pdf(doc))[0])
    assert "Kort text." in flat
    assert "kunde inte markeras" in flat
    assert "nonexistent_category" in flat

    minimal = {"evidence_id": "ev_2", "sha256": SHA, "comment": {}, "account": {}}
    flat = squash(pdf_text(render_evidence_pdf(minimal))[0])
    assert "okänd plattform" in flat and "(ingen text sparad)" in flat
    assert "Ingen automatisk bedömning" in flat


def test_latin1_fallback_renders_without_a_unicode_font(monkeypatch: pytest.MonkeyPatch) -> None:
    latin1 = frozenset(range(0x20, 0x7F)) | frozenset(range(0xA0, 0x100))
    monkeypatch.setattr(
        evidence_pdf, "_font_choice", lambda: FontChoice("core-helvetica-latin1", None, latin1)
    )
    text = "Räksmörgås – 😀 \u202e \x00 {nb} " + "ord " * 3000

    flat = squash(pdf_text(render_evidence_pdf(make_doc(text)))[0])

    assert "Räksmörgås - [U+1F600] [U+202E] [U+0000] {nb}" in flat
    assert "Bevisunderlag - kommentar på Instagram" in flat
    assert SHA in flat


def test_the_shipped_unicode_font_is_used_when_installed() -> None:
    choice = evidence_pdf._font_choice()
    assert choice.source in ("fontpkg-noto-sans", "system-dejavu")
    assert ord("å") in choice.coverage and ord("€") in choice.coverage


def test_recommendation_reads_as_sentences_with_the_guideline_it_quotes() -> None:
    """Each rule that applied, its actions in Swedish and the sentence it quotes, with its
    source — never raw keys or a Python dict."""
    from datetime import UTC, datetime

    from app.policies import load_preset
    from app.policies.recommendation import recommend
    from app.queue.service import FindingView

    rec = recommend(
        load_preset("haparanda"),
        [
            FindingView("individual_case", "social_neglect", 0.9),
            FindingView("personal_data", "personnummer", 1.0),
        ],
        platform="facebook",
        received_at=datetime(2026, 3, 2, 9, tzinfo=UTC),
    ).as_dict()
    flat = squash(pdf_text(render_evidence_pdf(make_doc(recommendation=rec)))[0])
    section = flat[flat.index("Rekommendation enligt riktlinjerna") : flat.index("Händelser")]

    assert "Rekommenderade åtgärder: Ta bort, Hänvisa, Meddela skribenten, Vidarebefordra." in section
    assert "Vidarebefordras till: Socialtjänsten." in section
    assert (
        "Regeln om enskilt ärende (social_neglect) gäller; rekommenderar den: Ta bort, Hänvisa, " in section
    )
    assert "»Vidarebefordra till rätt förvaltning för diarieföring och handläggning.« " in section
    assert "(haparanda-riktlinjer.txt, rad 180)" in section
    assert "haparanda-riktlinjer.txt, rad 229" in section  # the personal-data rule's sentence
    assert (
        "Meddelande till skribenten: »Hej! Vi har skickat din anmälan vidare till socialtjänsten." in section
    )
    for raw in ("forward_to", "flagged", "texts", "{'", "source_line", "notify_author", "[]"):
        assert raw not in section, raw


def test_a_recommendation_to_leave_the_comment_says_so() -> None:
    rec = {
        "policy": "haparanda",
        "actions": ["none"],
        "rules": [
            {
                "id": "haparanda.spam",
                "category": "spam",
                "actions": ["none"],
                "quote": "Kommentarer och synpunkter blir oftast inte ärenden.",
                "source": "haparanda-riktlinjer.txt",
                "source_line": 170,
            }
        ],
    }
    flat = squash(pdf_text(render_evidence_pdf(make_doc(recommendation=rec)))[0])
    assert "Riktlinjerna ger inget skäl att åtgärda kommentaren; den kan stå kvar." in flat
    assert "Regeln om spam" in flat and "får kommentaren stå kvar" in flat
