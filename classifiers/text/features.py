"""Text features shared by training and inference, written without scikit-learn.

The models are linear over two TF-IDF blocks computed from the *normalised*
text: word unigrams and bigrams, and character n-grams (3–4; 3–5 scored the same on the validation slice and costs more) taken inside
word boundaries (each word padded with a space on both sides, like
scikit-learn's ``char_wb``).  Each block is weighted ``(1 + log tf) * idf``
and L2-normalised on its own, so neither block drowns the other.

Training and inference call the same :func:`count_features`, so the exported
model sees exactly what the trained one saw; at inference no scikit-learn
import is needed and a comment is scored with one sparse dot product.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import pairwise

__all__ = [
    "CHAR_RANGE",
    "char_grams",
    "count_features",
    "feature_lists",
    "feature_words",
    "tfidf_weights",
    "word_block",
]

CHAR_RANGE = (3, 4)

_WORD = re.compile(r"[^\W_]+")
_DIGIT = re.compile(r"\d")
_URL = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|se|nu|net|org|io|shop|store|biz|xyz|info|ly)\b")
_PRICE = re.compile(r"\d\s*(?:kr\b|:-|sek\b|kronor\b|%)")


def char_grams(word: str) -> list[str]:
    """Character n-grams of one word padded with spaces (``char_wb``)."""
    padded = f" {word} "
    n_chars = len(padded)
    lo, hi = CHAR_RANGE
    if n_chars < lo:
        return [padded]
    grams: list[str] = []
    for n in range(lo, min(hi, n_chars) + 1):
        grams.extend([padded[i : i + n] for i in range(n_chars - n + 1)])
    return grams


def word_block(norm_text: str) -> tuple[list[str], list[str]]:
    """Word-block features (with repeats) and the whitespace-separated words for the char block.

    Digits are folded to ``0`` so that prices, dates and years generalise;
    three marker words stand for a link, a price and a question mark.
    """
    text = _DIGIT.sub("0", norm_text) if _DIGIT.search(norm_text) else norm_text
    words = _WORD.findall(text)
    word_feats = words + [f"{a} {b}" for a, b in pairwise(words)]
    if _URL.search(norm_text):
        word_feats.append("__url__")
    if _PRICE.search(norm_text):
        word_feats.append("__price__")
    if "?" in norm_text:
        word_feats.append("__question__")
    return word_feats, text.split()


def feature_lists(norm_text: str) -> tuple[list[str], list[str]]:
    """Every word-block and char-block feature occurrence of one text (with repeats)."""
    word_feats, chunks = word_block(norm_text)
    grams: list[str] = []
    for w in chunks:
        grams.extend(char_grams(w))
    return word_feats, grams


def count_features(norm_text: str) -> tuple[Counter[str], Counter[str]]:
    """Raw counts of the word block and the character block of one text."""
    word_feats, grams = feature_lists(norm_text)
    return Counter(word_feats), Counter(grams)


def tfidf_weights(
    counts: Counter[str], vocab: dict[str, int], idf: list[float] | None = None
) -> dict[int, float]:
    """Sublinear TF-IDF weights for the in-vocabulary features, L2-normalised.

    ``idf`` may be omitted when the caller multiplies by idf itself (the
    numpy scorer does that vectorised).
    """
    weights: dict[int, float] = {}
    for feat, c in counts.items():
        j = vocab.get(feat)
        if j is not None:
            weights[j] = (1.0 + math.log(c)) * (idf[j] if idf is not None else 1.0)
    norm = math.sqrt(sum(v * v for v in weights.values()))
    if norm > 0:
        for j in weights:
            weights[j] /= norm
    return weights


def feature_words(feature: str) -> list[str]:
    """The words a feature stands for, to find it again in a text."""
    if feature.startswith("__"):
        return []
    return feature.split()
