"""``compile_anchored``: a first-character lookahead that makes patterns faster, never different.

The lookahead is only correct if ``first_characters`` lists *every* character a
match can begin with; these tests pin the cases it must get right (optional
first items, alternations, groups) and the ones where it must give up, and
check every shipped rule finds exactly what the plain pattern finds.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from classifiers.patterns import (
    AnchorIndex,
    blanks_as_one,
    compile_anchored,
    first_characters,
    required_substrings,
)
from classifiers.text import TextDetector
from classifiers.text.rules import RULES_PATH, load_rules

CORPUS = Path(__file__).resolve().parents[2] / "classifiers" / "data" / "corpus.jsonl"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"abc", {"a"}),
        (r"\bhur\s+kan|\bvem\b", {"h", "v"}),
        (r"(?:en\s+)?bomb", {"e", "b"}),  # an optional first item adds, it does not decide
        (r"\bx*y", {"x", "y"}),
        (r"[åä]r|(?P<m>ö)", {"å", "ä", "ö"}),
        (r"(?:a|b)+c", {"a", "b"}),
        (r"\+46|\b0", {"+", "0"}),
    ],
)
def test_first_characters_lists_every_possible_start(pattern: str, expected: set[str]) -> None:
    assert first_characters(pattern) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        r"\w+",  # a class with no short list
        r"[^a]b",  # a negated class
        r"a?",  # may match the empty string
        r"a|",  # so may this
        r"(?=a)b",  # lookarounds are not followed
        r"(?i)abc",  # "A" matches too
        r".x",
    ],
)
def test_first_characters_gives_up_when_unsure(pattern: str) -> None:
    assert first_characters(pattern) is None


def test_ignorecase_flag_is_left_alone() -> None:
    compiled = compile_anchored(r"shop|butik", re.IGNORECASE)
    assert compiled.pattern == r"shop|butik"
    assert compiled.search("SHOP")


def test_anchored_pattern_finds_the_same_matches() -> None:
    plain = r"\b(?:en\s+)?bomb(?:en)?\b|\bakta\s+dig\b"
    fast = compile_anchored(plain)
    assert fast.pattern.startswith("(?=[")
    text = "akta dig, det finns en bomb i skolan och bomben"
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in re.finditer(plain, text)]


def test_every_rule_matches_as_its_plain_pattern_on_the_corpus() -> None:
    import yaml

    raw = {item["id"]: item for item in yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))}
    texts = [json.loads(line)["text"].lower() for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    anchored = 0
    for rule in load_rules():
        plain = re.compile(raw[rule.id]["pattern"].strip())
        anchored += rule.pattern.pattern != plain.pattern
        for text in texts:
            assert [m.span() for m in rule.pattern.finditer(text)] == [
                m.span() for m in plain.finditer(text)
            ], (rule.id, text)
    assert anchored >= len(raw) // 2  # the speed-up is in place for most rules


@pytest.mark.parametrize(
    "plain",
    [
        r"\bhur\s+svårt\b|\bvem\s+bryr\s+sig\b|\?\s*!|\bva\s*\?",  # two runs around a non-\b alternative
        r"\ba|\bab|\babc",  # the first alternative that matches still wins
        r"\b(?:x|y)z|[|\]]\bq|\bq\|",  # "|" inside a class and escaped is no alternative
    ],
)
def test_hoisted_word_boundaries_find_the_same_matches(plain: str) -> None:
    fast = compile_anchored(plain)
    text = "hur svårt? vem bryr sig ?! va ? abc ab a xz yz |q ]q q|"
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in re.finditer(plain, text)]


def test_anchor_index_finds_exactly_the_anchors_in_the_text() -> None:
    anchors = ["vet var", "vet vart", "(c)", "©", "utan ", "hål", "inte fått", "a\tb"]
    index = AnchorIndex(anchors)
    for text in ["jag vet vart du bor", "(c) 2024", "potthål utan\nlov", "© inte  fått", "a\tb", "vet", ""]:
        assert index.present(text) == {a for a in anchors if a in text or a in blanks_as_one(text)}
    # An anchor of several words is found across two blanks or a line break, as the
    # rule's "\s+" matches there.
    assert index.present("jag vet\nvart du bor") == {"vet var", "vet vart"}
    assert index.present("© inte  fått") == {"©", "inte fått"}


def test_a_rule_with_an_anchor_of_several_words_fires_across_line_breaks_and_blanks() -> None:
    rules = {rule.id: rule for rule in load_rules()}
    detector = TextDetector(use_model=False)
    for rule_id, text in [
        ("threat.veiled_harm", "det vore synd om\nditt hus brann ner"),
        ("threat.veiled_harm", "passa  dig noga"),
        ("incitement.imperative_to_the_public", "skär\tsönder däcken"),
    ]:
        assert rules[rule_id].matches(text), (rule_id, text)
        assert rule_id in {f.rule_id for f in detector.detect(text)}, (rule_id, text)


def test_anchor_index_finds_overlapping_and_repeated_cores() -> None:
    anchors = ["död", "dö", "öd", "ödö", "d", "dödö", "x y"]
    index = AnchorIndex(anchors)
    for text in ["dödö", "ödöd", "dd", "ödö x y", "x", "ö"]:
        assert index.present(text) == {a for a in anchors if a in text}


def test_anchor_index_of_the_shipped_rules_agrees_with_substring_search_on_the_corpus() -> None:
    from classifiers.normalize import normalize

    anchors = {a for rule in load_rules(RULES_PATH) for a in (*rule.anchors, *rule.required)}
    index = AnchorIndex(anchors)
    texts = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines()[:3000]]
    for text in texts:
        norm = normalize(text).text
        assert index.present(norm) == {a for a in anchors if a in norm or a in blanks_as_one(norm)}


def test_url_hint_matches_as_the_case_insensitive_pattern() -> None:
    from classifiers.text.detectors import _URL_HINT

    plain = re.compile(r"\.(?:com|se|nu|net|org|io|shop|store|biz|xyz|info|ly|me|link)\b|https?:|www\.", re.I)
    texts = [
        "HTTPS://x",
        "hTtP:",
        "WwW.kommun",
        "x.CoM",
        "x.Se.",
        "a.ſe",
        "a.LINK",
        "a.lınk",
        "x.İo",
        ".comx",
        "http",
    ]
    for text in texts:
        assert [m.span() for m in _URL_HINT.finditer(text)] == [m.span() for m in plain.finditer(text)]
    # The fast form relies on "h" and "w" having no case forms but their ASCII pair.
    for letter in "hw":
        assert {c for c in map(chr, range(0x2FFFF)) if re.fullmatch(letter, c, re.I)} == {
            letter,
            letter.upper(),
        }


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bab(?:cd|ef)+g", {"ab"}),
        (r"(?:x|y)?z(?:foo|bar)", {"foo", "bar"}),  # the optional "x|y" is never used
        (r"\b(?:jag|vi)\s+(?:döda|skjuta)\b|\bakta\s+dig", {"döda", "skjuta", "akta"}),
        (r"(?i)abc", None),
        (r"\w+\s+\d", None),
    ],
)
def test_required_substrings(pattern: str, expected: set[str] | None) -> None:
    assert required_substrings(pattern) == (frozenset(expected) if expected else None)


def test_every_rule_match_contains_a_required_substring() -> None:
    texts = [json.loads(line)["text"].lower() for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    for rule in load_rules():
        plain = dataclasses.replace(rule, anchors=(), required=())
        for text in texts:
            if rule.pattern.search(text):
                assert any(r in text for r in rule.required), (rule.id, text)
            assert rule.matches(text) == plain.matches(text), (rule.id, text)
