"""Normalisation: each obfuscation, and the offset map back to the original text."""

from __future__ import annotations

import random

import pytest

from classifiers.normalize import normalize, squeeze


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("J@VLA", "javla"),  # symbol inside a word, case folding
        ("h0ra", "hora"),  # digit leetspeak
        ("$kit", "skit"),  # symbol at the start of a word
        ("1d10t", "idiot"),
        ("h4t3", "hate"),
        ("i d i o t", "idiot"),  # spaced-out word
        ("i.d.i.o.t", "idiot"),
        ("i d 1 o t", "idiot"),  # spaced-out and leetspeak together
        ("id\u200biot", "idiot"),  # zero-width space
        ("id\u202eiot", "idiot"),  # bidi override
        ("id\u00adiot", "idiot"),  # soft hyphen
        ("ｉｄｉｏｔ", "idiot"),  # full-width letters (NFKC)
        ("ja\u0308vla", "jävla"),  # decomposed a + diaeresis
        ("JÄÄÄÄVLA", "jävla"),  # repetition collapsed
        ("snäääällla", "snäla"),  # squeezed form catches the doubled l
        ("Straße", "strasse"),  # case folding beyond lower()
    ],
)
def test_each_obfuscation_is_undone(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


@pytest.mark.parametrize(
    "raw",
    [
        "kl 18.30 kostar det 100kr",
        "ring 070-123 45 67",
        "@anna tack för svaret",
        "vilken idiot!",
        "möte 2024-05-06",
        "jag bor i å",
    ],
)
def test_numbers_handles_and_punctuation_are_left_alone(raw: str) -> None:
    assert normalize(raw).text == raw.lower()


def test_aa_ae_oe_are_an_alternative_form_only() -> None:
    norm = normalize("jaevla paa foer")
    assert norm.text == "jaevla paa foer"
    folded = norm.folded()
    assert folded.text == "jävla på för"
    start, end = folded.to_original(0, 5)
    assert "jaevla paa foer"[start:end] == "jaevla"


def test_spans_point_at_the_obfuscated_original() -> None:
    raw = "Din J@@@VLA i d i o t!"
    norm = normalize(raw)
    assert norm.text == "din javla idiot!"
    i = norm.text.index("idiot")
    s, e = norm.to_original(i, i + len("idiot"))
    assert raw[s:e] == "i d i o t"
    j = norm.text.index("javla")
    assert norm.to_original(j, j + 5) == (4, 11)
    assert raw[4:11] == "J@@@VLA"


def test_collapsed_run_maps_to_the_whole_run() -> None:
    raw = "nääää"
    norm = normalize(raw)
    assert norm.text == "nä"
    assert norm.to_original(1, 2) == (1, 5)


def test_empty_span_maps_to_a_position() -> None:
    norm = normalize("hej du")
    assert norm.to_original(3, 3) == (3, 3)
    assert norm.to_original(6, 6) == (6, 6)
    assert normalize("").to_original(0, 0) == (0, 0)


def test_squeeze() -> None:
    assert squeeze("snälla") == "snäla"
    assert squeeze("jävvvla") == "jävla"
    assert squeeze("") == ""


_ALPHABET = (
    list("abcdefghijklmnopqrstuvwxyzåäöABCÅÄÖ")
    + list("0134578@$€!|.-_* ,?")
    + ["\u200b", "\u202e", "\u00ad", "\u0308", "ß", "ﬁ", "ｆ", "é", "\n", "🙂", "İ"]
)


def _random_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        length = rng.randint(0, 40)
        # Favour repetitions and single letters separated by spaces.
        parts = []
        while len(parts) < length:
            c = rng.choice(_ALPHABET)
            parts.append(c * rng.choice([1, 1, 1, 2, 4]))
            if rng.random() < 0.15:
                parts.append(" ")
        texts.append("".join(parts))
    return texts


@pytest.mark.parametrize("seed", range(5))
def test_property_offsets_are_in_bounds_monotonic_and_cover_their_source(seed: int) -> None:
    for raw in _random_texts(300, seed):
        norm = normalize(raw)
        n = len(norm.text)
        assert len(norm.starts) == len(norm.ends) == n
        assert list(norm.starts) == sorted(norm.starts), raw
        for i in range(n):
            s, e = norm.starts[i], norm.ends[i]
            assert 0 <= s < e <= len(raw), (raw, i)
        rng = random.Random(seed)
        for _ in range(20):
            a = rng.randint(0, n)
            b = rng.randint(a, n)
            s, e = norm.to_original(a, b)
            assert 0 <= s <= e <= len(raw)
            # The mapped span covers every source character of the normalised span.
            for i in range(a, b):
                assert s <= norm.starts[i] and norm.ends[i] <= e
            if b > a:
                assert e > s


@pytest.mark.parametrize("seed", range(3))
def test_property_plain_lowercase_text_is_unchanged(seed: int) -> None:
    rng = random.Random(seed)
    words = ["hej", "kommunen", "snöröjning", "varför", "är", "det", "så", "trasigt", "idag"]
    for _ in range(200):
        raw = " ".join(rng.choice(words) for _ in range(rng.randint(1, 12)))
        norm = normalize(raw)
        assert norm.text == raw
        assert norm.to_original(0, len(raw)) == (0, len(raw))
