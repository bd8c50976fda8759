"""The models see which lexicon a word belongs to, not only the word.

Issue 15 (generalise beyond the corpus): a model that knows only the corpus's words
learns "kärring" as harassment if a corpus comment used it, and nothing about the
lexicon's other insults.  Each lexicon hit is therefore also a feature of its own
("__lex_insults_insult__"), so what the model learned from the corpus's insults
carries over to a listed insult no comment used.  Training and scoring take the
features from one place (``LexiconIndex.markers``), and their share of a score is
shown at the word that was hit.
"""

from __future__ import annotations

import re

import pytest

from classifiers.normalize import normalize
from classifiers.text import TextDetector
from classifiers.text.lexicon import DATA_DIR, default_index, load_lexicon

_WORD = re.compile(r"[^\W_]+")


@pytest.fixture(scope="module")
def corpus_words(corpus_texts: list[str]) -> set[str]:
    return {w for t in corpus_texts for w in _WORD.findall(normalize(t).text)}


def _unused_insults(corpus_words: set[str]) -> list[str]:
    """Listed insults (whole words) that no corpus comment contains in any form."""
    entries = load_lexicon(DATA_DIR / "insults.txt")
    return [
        e.term
        for e in entries
        if e.subtype == "insult"
        and e.term.isalpha()
        and not any(w.startswith(e.term[:5]) for w in corpus_words)
    ]


def test_a_lexicon_hit_is_a_feature_at_the_words_it_covers() -> None:
    norm = normalize("Grannen är en riktig idiot, fy skäms").text
    markers = default_index().markers(norm)
    assert ("__lex_insults_insult__", "idiot") in [(m.feature, norm[m.start : m.end]) for m in markers]
    assert default_index().markers(normalize("Tack för svaret, nu förstår jag hur det fungerar").text) == []
    # Two entries of one lexicon and subtype at one word ("grann*", "grannen") are one feature.
    norm = normalize("Grannen klagar igen").text
    assert [m.feature for m in default_index().markers(norm)] == ["__lex_persons_role__"]


def test_the_shipped_model_knows_the_lexicon_features(detector: TextDetector) -> None:
    model = detector.model
    assert model is not None
    assert "__lex_insults_insult__" in model._word_vocab
    assert "__lex_slurs_slur__" in model._word_vocab or any(
        f.startswith("__lex_slurs_") for f in model._word_vocab
    )


def test_an_insult_no_comment_used_still_counts_for_the_model(
    detector: TextDetector, corpus_words: set[str]
) -> None:
    model = detector.model
    assert model is not None
    unused = _unused_insults(corpus_words)
    assert len(unused) >= 3, "the lexicon holds insults the corpus never used"
    for word in unused[:5]:
        norm = normalize(f"Grannen är en {word} som alltid klagar").text
        with_lexicon = model.score(norm).probabilities["harassment"]
        words_only = model.score(norm, markers=[]).probabilities["harassment"]
        assert with_lexicon > words_only + 0.05, word


def test_classify_scores_with_the_lexicon_features(detector: TextDetector) -> None:
    """``detect`` passes the hits it found to the model; they are the ones ``score`` finds."""
    text = "Vilken skitstövel han är, ingen vill jobba med honom"
    norm = normalize(text)
    doc = detector._analyse(text, norm, {})
    assert doc.markers == default_index().markers(norm.text)
    assert doc.markers, "the text has a listed insult"


def test_the_lexicon_features_share_is_shown_at_the_word(detector: TextDetector) -> None:
    model = detector.model
    assert model is not None
    norm = normalize("Han är en riktig idiot som alltid klagar").text
    k = model.categories.index("harassment")
    with_lexicon = model.contributions(model.score(norm), norm)
    words_only = model.contributions(model.score(norm, markers=[]), norm)
    units = [norm[a:b] for a, b in with_lexicon.units]
    change = (with_lexicon.logits[:, k] - words_only.logits[:, k]).tolist()
    # The word block is normalised, so every other word's share changes a little when a
    # feature joins; the insult's own unit takes the feature's share.
    assert units[change.index(max(change))] == "idiot"
    assert max(change) > 5 * max(abs(c) for u, c in zip(units, change, strict=True) if u != "idiot")
