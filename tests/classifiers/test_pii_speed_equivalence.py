"""The privacy detector's shortcuts give exactly what the long way gives.

Each shortcut in :mod:`classifiers.pii` (pre-checks and a no-op context enhancer
around presidio, per-prefix term alternations matched over the lower-cased text,
first-letter look-aheads, the name detector's word-list pre-check and its
tokeniser) is argued to be exact in its docstring; these tests hold the argument
to the corpus, to texts written to sit on the edges of the patterns and, where
the input space is small, to generated texts.
"""

from __future__ import annotations

import json
import random
import re
from functools import cache
from pathlib import Path

import pytest
import regex
from presidio_analyzer import AnalyzerEngine

from classifiers.patterns import required_factors
from classifiers.pii import engine, references, warm_up
from classifiers.pii.lexicon import (
    _CASE_ODDITIES,
    CASE_NUMBER_RE,
    CONFIDENTIAL_TERMS,
    SENSITIVE_TERMS,
    TermMatch,
    TermMatcher,
    WordIndex,
    _fixed_prefix,
    term_words,
)
from classifiers.pii.names import (
    _SENTENCE_END,
    NameDetector,
    _Token,
    _tokens,
    capitalised_words,
    load_gazetteer,
)
from classifiers.pii.names import _WORD_RE as _NAME_WORD_RE
from classifiers.pii.recognizers import LANGUAGE

CORPUS = Path(__file__).resolve().parents[2] / "classifiers" / "data" / "corpus.jsonl"

EDGE_TEXTS = [
    "Jag bor på Storgatan 12 i Exempelby.",
    "Adressen är Drottning Kristinas väg 5B, 114 28 Stockholm.",
    "bor på storgatan nr. 5 sedan 2019",
    "Vi ses vid hållplats 4, Kungsgatan nr 7 och Västra Esplanaden 3.",
    "Stora torget 2, Lilla plan 1 och Sankt Eriksgatan 40.",
    "skriv till anna.svensson@example.se eller a@b.co, inte @kommunen.",
    "mejla mig på x-y_z@sub-domain.example-site.org!",
    "Postnummer 123 45 Exempelby, 12345 ÖREBRO, SE-123 45 Ort.",
    "ABC 123 står parkerad, reg ABC12A, IP 192.168.0.1 och fe80::1.",
    "IPv6 2001:db8::ff00:42:8329, ::ffff:10.0.0.1, ::, ::1, fe80::1%eth0, 1:2:3:4:5:6:1.2.3.4, 10.0.0.0/8",
    "FE80:0000:0000:0000:0202:B3FF:FE1E:8329 och ::1/128 samt 255.255.255.255 kl 10:30",
    "Ring 070-123 45 67 eller +46 8 123 456 78, pnr 811218-9876.",
    "Bankgiro 123-4567, clearing 8327-9, 123 456 789-0, IBAN SE35 5000 0000 0549 1000 0003.",
]


@cache
def _texts() -> list[str]:
    with CORPUS.open(encoding="utf-8") as fh:
        corpus = [json.loads(line)["text"] for line in fh if line.strip()]
    return corpus + EDGE_TEXTS


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    warm_up()


def _recognizer_patterns() -> dict[str, tuple[int, list[str]]]:
    registry = engine.get_engine().registry
    return {
        r.supported_entities[0]: (r.global_regex_flags, [p.regex for p in r.patterns])
        for r in registry.get_recognizers(language=LANGUAGE, all_fields=True)
    }


@pytest.mark.parametrize("entity", sorted(engine.GATES))
def test_every_pattern_match_contains_a_gate_match(entity: str) -> None:
    flags, patterns = _recognizer_patterns()[entity]
    gate = regex.compile(engine.GATES[entity], flags=flags)
    compiled = [regex.compile(p, flags=flags) for p in patterns]
    matched = 0
    for text in _texts():
        for pattern in compiled:
            for match in pattern.finditer(text):
                matched += 1
                # The gate may read on past the match (a postcode's town is a look-ahead).
                found = gate.search(text, match.start())
                assert found is not None and found.start() < match.end(), (entity, match.group(0))
    assert matched > 0


def test_analyze_equals_presidio_over_every_plausible_entity() -> None:
    """Against an engine with presidio's default (lemma) context enhancer and no pre-checks."""
    ours = engine.get_engine()
    presidio = AnalyzerEngine(
        nlp_engine=ours.nlp_engine, registry=ours.registry, supported_languages=[LANGUAGE]
    )
    texts = [
        *_texts(),
        "e-post anna@example.se, mejla b@c.se; ip-adress 10.0.0.1; kortnummer 4111 1111 1111 1111, visa",
        "iban SE35 5000 0000 0549 1000 0003 på mitt konto; ring mig 070-123 45 67 eller skicka sms",
    ]
    for text in texts:
        wanted = engine.entities_worth_running(text) if engine.might_contain_entities(text) else []
        expected = []
        if wanted:
            results = presidio.analyze(text=text, language=LANGUAGE, entities=wanted)
            expected = [engine.Entity(r.entity_type, r.start, r.end, float(r.score)) for r in results]
        assert engine.analyze(text) == expected, text


# ----------------------------------------------------------------------------------
# Term matchers: the per-prefix alternations against the whole one
# ----------------------------------------------------------------------------------
LEXICON_EDGE_TEXTS = [
    "Min granne har diabetes och bröstcancer, hans son är muslim och rom.",
    "ROM och Rom, romsk, romska; SAME och samisk; LVU-placerad, lvm, BUP, lpt och lrv.",
    "Hon är ſomalier, ıntegrerad och İnvandrare, Kelvin-K: Kristen.",
    "İ min familj är alla ſjukskrivna, DIABETES och dıabetes; hans lön på 30 000; LVU",
    "ΟΔΟΣ Σ: min bror är KURD, fick diagnosen ADHD; ÅNGEST och \u212bngest.",
    "alkoholmissbruk, spelmissbruket, hjärtsjukdomen, lungtumören, ångesten, månadslönen på 30 000",
    "x_cancer, 3cancer, cancer_x och cancer2; sjukskriven/sjukskrivna; omhändertagen, omhändertogs.",
    "Gay, GAY, bög och bögar; flata, queer, otrogen; kronofogden; orosanmälan och orosanmälningarna.",
    "Han tjänar 45 000 kr, har 30 000 kr i månadslön, lönen är 28 000.",
]


def _plain_find(matcher: TermMatcher, heads: re.Pattern[str] | None, text: str) -> list[TermMatch]:
    """The matcher's result with the whole alternation at every word start (the old way)."""
    starts = [m.start() for m in re.finditer(r"\w+", text) if m.group(0)[:3].lower() in matcher._prefixes]
    if heads is not None:
        for head in heads.finditer(text):
            start = head.start()
            while start > 0 and text[start - 1].isalnum():
                start -= 1
            starts.append(start)
        starts = sorted(set(starts))
    found = []
    position = 0
    for start in starts:
        if start < position:
            continue
        match = matcher._folded.anchored.match(text, start)
        if match is not None and match.lastgroup is not None:
            found.append(TermMatch(match.start(), match.end(), match.group(0), match.lastgroup))
            position = match.end()
    if matcher._folded.scanned is not None:
        for match in matcher._folded.scanned.finditer(text):
            overlaps = any(m.start < match.end() and match.start() < m.end for m in found)
            if match.lastgroup is not None and not overlaps:
                found.append(TermMatch(match.start(), match.end(), match.group(0), match.lastgroup))
        found.sort(key=lambda m: (m.start, m.end))
    return found


@pytest.mark.parametrize("terms", [SENSITIVE_TERMS, CONFIDENTIAL_TERMS], ids=["sensitive", "confidential"])
def test_term_matcher_equals_the_whole_alternation(terms: dict[str, tuple[str, ...]]) -> None:
    matcher = TermMatcher(terms)
    tails = sorted({f.removeprefix(r"\w*") for fs in terms.values() for f in fs if f.startswith(r"\w*")})
    heads_alternation = "|".join(re.escape(re.sub(r"[^\w].*", "", tail)) for tail in tails)
    heads = re.compile(heads_alternation, re.IGNORECASE) if tails else None
    texts = _texts() + LEXICON_EDGE_TEXTS
    # Every term itself, in three casings, inside a sentence.
    for fragments in terms.values():
        for fragment in fragments:
            word = re.sub(r"\\w\*|\(\?:|[()?]|\|.*", "", fragment)
            texts += [f"Min granne {w} idag." for w in (word, word.upper(), word.capitalize())]
    found = 0
    for text in texts:
        expected = _plain_find(matcher, heads, text)
        assert matcher.find(text) == expected, text
        found += len(expected)
    assert found > 100


def test_scanned_terms_are_found_leftmost_then_in_alternation_order() -> None:
    """The scanned terms that can match are searched one by one; the result is still
    the alternation's: the leftmost match first, at one place the earlier term."""
    terms = {
        "first": ("(?:xz|yz) abc",),
        "second": ("(?:xz|yz) abcd", "(?:qq|xz) abc"),
    }
    matcher = TermMatcher(terms)
    whole = re.compile(r"(?<!\w)(?:(?P<first>(?:xz|yz) abc)|(?P<second>(?:xz|yz) abcd|(?:qq|xz) abc))(?!\w)")
    texts = ["xz abc", "xz abcd", "qq abc och yz abc", "yz abcd xz abc", "xz abcxz abc", "axz abc"]
    for text in texts:
        expected = [(m.start(), m.end(), m.lastgroup) for m in whole.finditer(text)]
        assert [(m.start, m.end, m.subtype) for m in matcher.find(text)] == expected, text
    assert [m.subtype for m in matcher.find("qq abc och yz abc")] == ["second", "first"]
    assert [m.subtype for m in matcher.find("xz abc")] == ["first"]


def test_term_matcher_skips_nothing_a_text_can_hold() -> None:
    """Terms whose words the text lacks are skipped; with them, the same matches."""
    matcher = TermMatcher(SENSITIVE_TERMS)
    assert matcher.find("Min granne använder droger och har diabetes.") == [
        TermMatch(11, 26, "använder droger", "health"),
        TermMatch(35, 43, "diabetes", "health"),
    ]
    assert matcher.find("Fint väder i dag, tack för snöröjningen.") == []


def test_a_shared_word_index_must_hold_the_terms_words() -> None:
    shared = WordIndex(term_words(SENSITIVE_TERMS) | term_words(CONFIDENTIAL_TERMS))
    sensitive, confidential = TermMatcher(SENSITIVE_TERMS, shared), TermMatcher(CONFIDENTIAL_TERMS, shared)
    alone = TermMatcher(CONFIDENTIAL_TERMS)
    for text in _texts()[:2000]:
        sensitive.find(text)  # the shared index remembers this text; the next asks about it too
        assert confidential.find(text) == alone.find(text), text
    with pytest.raises(ValueError, match="word index"):
        TermMatcher(SENSITIVE_TERMS, WordIndex(term_words(CONFIDENTIAL_TERMS)))


@pytest.mark.parametrize("terms", [SENSITIVE_TERMS, CONFIDENTIAL_TERMS], ids=["sensitive", "confidential"])
def test_every_match_holds_a_word_of_each_required_list(terms: dict[str, tuple[str, ...]]) -> None:
    """``required_factors`` is what the skipping rests on: checked on every term's matches."""
    checked = 0
    texts = [t.lower() for t in _texts()]
    for fragments in terms.values():
        for fragment in fragments:
            factors = required_factors(fragment)
            if factors is None:
                continue
            pattern = re.compile(rf"(?:{fragment})(?!\w)")
            for text in texts:
                for match in pattern.finditer(text):
                    assert all(any(w in match.group(0) for w in factor) for factor in factors), (
                        fragment,
                        match.group(0),
                    )
                    checked += 1
    assert checked > 500


@pytest.mark.parametrize(
    ("pattern", "factors"),
    [
        ("har \\d+ kr i (?:månads|års)?lön", [{"har "}, {" kr i "}, {"lön"}]),
        ("(?:använder|tar) (?:droger|knark)", [{"använder", "tar"}, {" "}, {"droger", "knark"}]),
        ("abc(?:x)?", [{"abc"}]),
        ("\\w+", None),
    ],
)
def test_required_factors(pattern: str, factors: list[set[str]] | None) -> None:
    found = required_factors(pattern)
    if factors is None:
        assert found is None
    else:
        assert found is not None
        assert all(set(f) in [set(g) for g in found] for f in factors)


@pytest.mark.parametrize(
    ("fragment", "prefix"),
    [
        ("diabetiker(?:n|na)?", "dia"),
        (r"\w*cancer(?:n)?", None),
        ("(?:har|fått) god man", None),
        ("lvu", "lvu"),
        ("abc?", None),
        ("abcd?", "abc"),
        ("abc|xyz", None),
        ("abc(?:x|y)", "abc"),
        ("ab", None),
    ],
)
def test_fixed_prefix(fragment: str, prefix: str | None) -> None:
    assert _fixed_prefix(fragment) == prefix


# ----------------------------------------------------------------------------------
# Name tokens: sentence starts from one regex against the per-word slice
# ----------------------------------------------------------------------------------
def _sliced_tokens(text: str) -> list[_Token]:
    """The tokeniser as first written: the six characters before each word."""
    tokens = []
    for match in _NAME_WORD_RE.finditer(text):
        start = match.start()
        word = match.group(0)
        before = text[max(0, start - 6) : start].rstrip(" \t\"'«»”“-–(")
        sentence_start = (not before and start <= 6) or (bool(before) and before[-1] in _SENTENCE_END)
        capitalised = word[0].isupper() and not (len(word) > 1 and word.isupper())
        tokens.append(_Token(start, match.end(), word, sentence_start, capitalised))
    return tokens


def test_tokens_equal_the_sliced_tokens() -> None:
    for text in _texts():
        assert _tokens(text) == _sliced_tokens(text), text
    # Short strings of sentence ends, opening characters and words, in every mix.
    rng = random.Random(15)
    pieces = [*" \t\"'«»”“-–(.!?…\n:;", "Anna", "bo", "X", "1", "é", "ÅSA", "x_y"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert _tokens(text) == _sliced_tokens(text), repr(text)


class _EveryTextDetector(NameDetector):
    """The name detector without its word-list pre-check."""

    def _may_hold_a_name(self, text: str) -> bool:
        return True


def test_name_pre_check_only_skips_texts_without_names() -> None:
    gazetteer = load_gazetteer()
    fast, full = NameDetector(gazetteer), _EveryTextDetector(gazetteer)
    skipped = 0
    for text in _texts():
        # A shouted text is read with its words capitalised: the pre-check sees that reading.
        read = (capitalised_words(text) or text) if text.isupper() else text
        if not fast._may_hold_a_name(read):
            skipped += 1
            assert full.find(text) == [], text
    assert skipped > 1000
    # Sentences of first names, surnames, their genitive and hyphenated forms, cues,
    # lower-case names and ordinary words, in every mix.
    rng = random.Random(16)
    words = [
        *["Anna", "Annas", "Anna-Karin", "anna", "Per", "Pers", "Glenn", "Tina", "Maze"],
        *["Svensson", "Svenssons", "svensson", "Berg-Svensson", "Lindqvist", "Lindqvists"],
        *["granne", "min", "mamma", "heter", "rektorn", "Hej", "Tack", "bil", "ordförande"],
        *["kommunstyrelsens", "Kommun", "Storgatan", "Jensen", "Jensens", "O'Brien", "Åberg"],
    ]
    separators = [" ", " ", " ", ", ", ". ", "! ", ", 34 år ", "\n", " (12) "]
    for _ in range(20_000):
        text = "".join(rng.choice(words) + rng.choice(separators) for _ in range(rng.randint(1, 6)))
        assert fast.find(text, ["Tina Maze"]) == full.find(text, ["Tina Maze"]), text


def test_lower_cased_text_reads_like_ignorecase_but_for_the_oddities() -> None:
    """The claim behind matching the terms without ``IGNORECASE`` over lower-cased text,
    checked over every code point of this Python's Unicode database: each one
    lower-cases to one character, keeps being a word character or digit or not,
    and ``IGNORECASE`` pairs it with a character of the terms exactly when it
    lower-cases to that character."""
    odd = set(_CASE_ODDITIES.pattern[1:-1])
    assert odd == {"\u0130", "\u0131", "\u017f"}
    chars = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000 and chr(i) not in odd)
    lowered = "".join(char.lower() for char in chars)
    assert len(lowered) == len(chars)
    for pattern in (r"\w", r"\d"):
        assert [m.start() for m in re.finditer(pattern, chars)] == [
            m.start() for m in re.finditer(pattern, lowered)
        ]
    used = {
        c for terms in (SENSITIVE_TERMS, CONFIDENTIAL_TERMS) for fs in terms.values() for f in fs for c in f
    }
    for char in used:
        folded = [m.start() for m in re.finditer(re.escape(char), chars, re.IGNORECASE)]
        assert folded == [m.start() for m in re.finditer(re.escape(char), lowered)], char


def test_case_number_look_ahead_changes_no_match() -> None:
    plain = re.compile(CASE_NUMBER_RE.pattern.removeprefix("(?=[dä])"), CASE_NUMBER_RE.flags)
    assert plain.pattern != CASE_NUMBER_RE.pattern
    texts = [
        *_texts(),
        "Dnr KS 2024/567, DNR 2023-12, ärendenummer 2023-1234, Ärende nr 12/34, diarienr: SN 2024.12.3",
    ]
    for text in texts:
        assert [m.span() for m in CASE_NUMBER_RE.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_giro_word_look_ahead_changes_no_match() -> None:
    plain = re.compile(r"giro|\b[bp]g\b", re.IGNORECASE)
    for text in [*_texts(), "BG 123-4567, bg:1, PlusGiro, abg, Bg-1, pg 12, ggiro, Bankgiro"]:
        spans = [m.span() for m in engine._GIRO_WORD.finditer(text)]
        assert spans == [m.span() for m in plain.finditer(text)], text


def test_relation_look_ahead_changes_no_match() -> None:
    lookahead = f"(?=[{references._RELATION_FIRST_LETTERS}])"
    plain = re.compile(references._RELATION_RE.pattern.removeprefix(lookahead), re.IGNORECASE)
    assert plain.pattern != references._RELATION_RE.pattern
    texts = [
        *_texts(),
        "MIN SON, Hans fru, ERA barn, Grannen på Ekvägen, läraren vid Ekskolan, Mannen som bor på Storgatan.",
    ]
    for text in texts:
        spans = [m.span() for m in references._RELATION_RE.finditer(text)]
        assert spans == [m.span() for m in plain.finditer(text)], text
