"""Model findings are explained by the content words that raised their score.

Issue 15: a model finding's spans are the words whose features (word and char
n-grams, coefficient × value) pushed its score up most, mapped back to the
text, and never a stopword or a span of function words only.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from classifiers.normalize import normalize
from classifiers.text import TextDetector
from classifiers.text.stopwords import PLAIN_STOPWORDS_SV, STOPWORDS_SV, is_content_word

_WORD = re.compile(r"[^\W_]+")


def _only_function_words(span_text: str) -> bool:
    """Whether a span gives an editor no word to read: only function words (as written or
    typed without å, ä and ö), single letters and pieces with digits.  A word masked with
    asterisks ("i***t") stands for the word it hides."""
    if "*" in span_text and any(c.isalpha() for c in span_text):
        return False
    words = _WORD.findall(normalize(span_text).text)
    return not any(
        len(w) > 1
        and not any(c.isdigit() for c in w)
        and w not in STOPWORDS_SV
        and w not in PLAIN_STOPWORDS_SV
        for w in words
    )


def test_the_stopword_list_holds_the_words_editors_were_shown() -> None:
    # ... and their spoken spellings ("du e så dum", "he ä int klokt")
    for word in (
        "en",
        "som",
        "är",
        "de",
        "har",
        "jag",
        "kommer",
        "ska",
        "inte",
        "hos",
        "vid",
        "e",
        "ä",
        "int",
    ):
        assert word in STOPWORDS_SV
        assert not is_content_word(word)
    for word in ("kärring", "invandrare", "bygglov", "rabatt", "döda", "idiot"):
        assert is_content_word(word)


def test_no_model_finding_over_the_corpus_is_explained_by_function_words(
    detector: TextDetector, corpus_texts: list[str]
) -> None:
    model_findings = 0
    problems: list[str] = []
    for text in corpus_texts:
        for finding in detector.detect(text):
            if not finding.rule_id.endswith(".model"):
                continue
            model_findings += 1
            if not finding.spans:
                problems.append(f"no span: {finding.category} in {text!r}")
            for span in finding.spans:
                assert text[span.start : span.end] == span.text
                if _only_function_words(span.text):
                    problems.append(f"{span.text!r} explains {finding.category} in {text!r}")
                assert f"'{span.text}'" in finding.explanation
    assert model_findings > 500, "the corpus must exercise the model path"
    assert not problems, "\n".join(problems[:20])


def test_contributions_add_up_to_the_logit(detector: TextDetector, corpus_texts: list[str]) -> None:
    model = detector.model
    assert model is not None
    for text in corpus_texts[::97]:
        norm = normalize(text).text
        scored = model.score(norm)
        parts = model.contributions(scored, norm)
        assert len(parts.units) == len(norm.split())
        rest = model._intercept.copy()
        question = model._word_vocab.get("__question__")
        values = dict(zip(scored.word_columns, scored.word_values, strict=True))
        if question is not None and question in values:
            rest += model._coef_t[question] * values[question]
        raw = parts.logits.sum(axis=0) + rest
        calibrated = 1.0 / (1.0 + np.exp(-(model._cal_scale * raw + model._cal_shift)))
        expected = np.array([scored.probabilities[c] for c in model.categories])
        assert np.allclose(calibrated, expected, atol=1e-9), text


@pytest.mark.parametrize(
    ("text", "category", "word"),
    [
        ("Min granne är en jävla kärring som alltid klagar", "harassment", "kärring"),
        ("Invandrare förstör allt i den här stan", "hate_speech", "förstör"),
    ],
)
def test_the_strongest_content_word_is_named_first(
    detector: TextDetector, text: str, category: str, word: str
) -> None:
    model = detector.model
    assert model is not None
    norm = normalize(text).text
    parts = model.contributions(model.score(norm), norm)
    k = model.categories.index(category)
    ranked = [
        norm[a:b]
        for (a, b), ws, _ in sorted(
            zip(parts.units, parts.words, parts.logits[:, k], strict=True), key=lambda t: -t[2]
        )
        if any(is_content_word(w) for w, _, _ in ws)
    ]
    assert word in ranked[:3]
    spans = detector._explaining_spans(detector._analyse(text, normalize(text), {}), parts, k)
    assert spans and all(not _only_function_words(text[a:b]) for a, b in spans)
    assert word in [text[a:b].lower() for a, b in spans]
