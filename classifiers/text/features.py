"""Text features shared by training and inference, written without scikit-learn.

The models are linear over two TF-IDF blocks computed from the *normalised*
text:

* **words**: unigrams and bigrams, weighted ``(1 + log tf) * idf`` and
  L2-normalised, with a feature per lexicon hit naming the lexicon and subtype
  ("__lex_insults_weak__"), so that a listed word the corpus never used still
  counts as what its lexicon says it is;
* **characters**: n-grams (3–4) taken inside word boundaries (each word
  padded with a space on both sides, like scikit-learn's ``char_wb``),
  weighted ``tf * idf``.  The block is the *sum of per-word vectors* divided
  by the square root of the sum of their squared norms (rather than by the
  norm of the sum).  That makes a word's contribution to every logit a
  constant that inference caches per word, so scoring a comment costs one
  lookup per word instead of one per n-gram.  3–5-grams scored the same on
  validation and cost more.

Training (``TfidfFeaturizer`` in ``classifiers.train``) and inference
(``LinearTextModel.score``) are built from the same :func:`word_block` and
:func:`char_grams`, so the exported model sees exactly what the trained one
saw; at inference no scikit-learn import is needed and a comment is scored
with one sparse dot product.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

__all__ = [
    "CHAR_RANGE",
    "char_grams",
    "feature_words",
    "word_block",
]

CHAR_RANGE = (3, 4)

_WORD = re.compile(r"[^\W_]+")
_DIGIT = re.compile(r"\d")
_URL = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|se|nu|net|org|io|shop|store|biz|xyz|info|ly)\b")
_DOT_LETTER = re.compile(r"\.[^\W\d_]")
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


def word_block(norm_text: str, markers: Iterable[str] = ()) -> tuple[list[str], list[str]]:
    """Word-block features (with repeats) and the whitespace-separated words for the char block.

    Digits are folded to ``0`` so that prices, dates and years generalise;
    three marker words stand for a link, a price and a question mark, and
    ``markers`` (the lexicon hits' features, ``LexiconIndex.markers``) join them.
    """
    has_digit = _DIGIT.search(norm_text) is not None
    text = _DIGIT.sub("0", norm_text) if has_digit else norm_text
    words = _WORD.findall(text)
    word_feats = words + [f"{a} {b}" for a, b in pairwise(words)]
    # The cheap tests first: a link needs "http", "www." or a dot before a letter;
    # a price needs a digit.
    maybe_link = "http" in norm_text or "www." in norm_text or _DOT_LETTER.search(norm_text)
    if maybe_link and _URL.search(norm_text):
        word_feats.append("__url__")
    if has_digit and _PRICE.search(norm_text):
        word_feats.append("__price__")
    if "?" in norm_text:
        word_feats.append("__question__")
    word_feats.extend(markers)
    return word_feats, text.split()


def feature_words(feature: str) -> list[str]:
    """The words a feature stands for, to find it again in a text."""
    if feature.startswith("__"):
        return []
    return feature.split()
