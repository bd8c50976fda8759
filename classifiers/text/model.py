"""The exported linear models: loading and scoring without pickle or scikit-learn.

``python -m classifiers.train`` writes ``classifiers/artifacts/text_models.json``:
the vocabularies, idf vectors, one coefficient row and intercept per
category (float32, little-endian, base64), per category a Platt calibration
``(scale, shift)`` fitted on out-of-fold logits, so that the probability
``sigmoid(scale * logit + shift)`` is calibrated (0.9 means about nine in
ten), and the decision thresholds chosen on out-of-fold predictions over the
training split.  JSON is read with the standard
library and arrays with ``numpy.frombuffer``: loading never unpickles, so an
artefact can at worst give wrong scores, never run code.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from classifiers.text.features import char_grams, word_block

_DIGIT = re.compile(r"\d")
_CHUNK = re.compile(r"\S+")
_WORD = re.compile(r"[^\W_]+")
_URL = re.compile(r"https?://\S+|www\.\S+|\b[\w-]+\.(?:com|se|nu|net|org|io|shop|store|biz|xyz|info|ly)\b")
_PRICE = re.compile(r"\d\s*(?:kr\b|:-|sek\b|kronor\b|%)")

__all__ = ["ARTIFACT_PATH", "Contributions", "LinearTextModel", "Scored", "decode_array", "encode_array"]

ARTIFACT_PATH = Path(__file__).resolve().parent.parent / "artifacts" / "text_models.json"


def encode_array(values: np.ndarray) -> str:
    """float32 little-endian bytes as base64: exact, compact and deterministic."""
    return base64.b64encode(np.ascontiguousarray(values, dtype="<f4").tobytes()).decode("ascii")


def decode_array(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<f4").astype(np.float64)


#: Per word: char-gram columns, their tf-idf values, the row of the word's logit
#: contributions in ``LinearTextModel._contributions`` and the squared norm.
_CharWord = tuple[np.ndarray, np.ndarray, int, float]

#: How many words' char-block contributions are remembered (about 6 MB).
_CACHE_WORDS = 50_000


@dataclass(frozen=True, slots=True)
class Scored:
    """Probabilities per category plus what is needed to explain them."""

    probabilities: dict[str, float]
    word_columns: np.ndarray  # word-block feature columns present in the text
    word_values: np.ndarray  # their weights
    chunk_logits: np.ndarray  # (words of ``text.split()``, categories): each word's char-block logit share


@dataclass(frozen=True, slots=True)
class Contributions:
    """Per-word logit contributions of one text, for every category of the model.

    ``units`` are the whitespace-separated words of the normalised text (the
    char block's units) as ``(start, end)`` in normalised coordinates, and
    ``words`` the ``[^\\W_]+`` words inside each.  ``logits[i, k]`` is how
    much unit ``i`` added to the logit of category ``k``: its char n-grams,
    its word unigrams and half of every word bigram it is part of (marker
    features for a link or a price go to the units they were found in).
    The rows sum, with the intercept and the ``?`` marker, to the logit.
    """

    units: tuple[tuple[int, int], ...]
    words: tuple[tuple[tuple[str, int, int], ...], ...]
    logits: np.ndarray


class LinearTextModel:
    """One logistic model per category over shared TF-IDF features."""

    def __init__(self, payload: dict[str, object], digest: str) -> None:
        self.categories: tuple[str, ...] = tuple(payload["categories"])  # type: ignore[arg-type]
        self.thresholds: dict[str, float] = dict(payload["thresholds"])  # type: ignore[call-overload]
        self.version = f"{payload['name']}-{digest[:12]}"
        words: list[str] = payload["word_vocabulary"]  # type: ignore[assignment]
        chars: list[str] = payload["char_vocabulary"]  # type: ignore[assignment]
        self.word_vocabulary: tuple[str, ...] = tuple(words)
        self._n_words = len(words)
        self._word_vocab = {w: i for i, w in enumerate(words)}
        self._char_vocab = {c: i for i, c in enumerate(chars)}
        self._char_cache: dict[str, _CharWord] = {}
        self._contributions = np.zeros((_CACHE_WORDS, len(self.categories)))
        self._idf = np.concatenate(
            [decode_array(payload["word_idf"]), decode_array(payload["char_idf"])]  # type: ignore[arg-type]
        )
        coef: dict[str, str] = payload["coef"]  # type: ignore[assignment]
        # Stored feature-major (n_features, n_categories): a comment touches a few
        # hundred features, and gathering whole rows keeps the memory access local.
        self._coef_t = np.ascontiguousarray(np.vstack([decode_array(coef[c]) for c in self.categories]).T)
        intercept: dict[str, float] = payload["intercept"]  # type: ignore[assignment]
        self._intercept = np.array([intercept[c] for c in self.categories])
        # Platt scaling fitted on out-of-fold logits (``classifiers.train``):
        # probability = sigmoid(scale * logit + shift).  Older artefacts have none.
        calibration: dict[str, list[float]] = payload.get("calibration") or {}  # type: ignore[assignment]
        self.calibration: dict[str, tuple[float, float]] = {}
        for c in self.categories:
            scale, shift = calibration.get(c, (1.0, 0.0))
            self.calibration[c] = (float(scale), float(shift))
        self._cal_scale = np.array([self.calibration[c][0] for c in self.categories])
        self._cal_shift = np.array([self.calibration[c][1] for c in self.categories])

    @classmethod
    def load(cls, path: Path = ARTIFACT_PATH) -> LinearTextModel | None:
        """The exported model, or ``None`` when none has been trained yet."""
        if not path.exists():
            return None
        return cls.from_bytes(path.read_bytes())

    @classmethod
    def from_bytes(cls, raw: bytes) -> LinearTextModel:
        """A model from an artefact's bytes (a file, or a retrained model kept elsewhere);
        the version names the bytes' digest, so two different models never share it."""
        return cls(json.loads(raw), hashlib.sha256(raw).hexdigest())

    def _char_word(self, word: str) -> _CharWord:
        """A word's char-gram columns, tf-idf values, logit contribution and squared norm.

        The character block is a sum of per-word vectors (see ``features.py``),
        so all of this depends on the word alone and is remembered per word.
        """
        found = self._char_cache.get(word)
        if found is None:
            js = [j for j in map(self._char_vocab.get, char_grams(word)) if j is not None]
            if len(set(js)) == len(js):  # the usual case: every n-gram once
                cols = np.array(js, dtype=np.int64) + self._n_words
                vals = self._idf[cols]
            else:
                counts = Counter(js)
                cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts)) + self._n_words
                vals = np.fromiter(counts.values(), dtype=np.float64, count=len(counts)) * self._idf[cols]
            if len(self._char_cache) >= _CACHE_WORDS:
                self._char_cache.clear()
            row = len(self._char_cache)
            self._contributions[row] = vals @ self._coef_t[cols]
            found = (cols, vals, row, float(vals @ vals))
            self._char_cache[word] = found
        return found

    def score(self, norm_text: str) -> Scored:
        word_feats, chunks = word_block(norm_text)
        logits = self._intercept.copy()
        cols = [j for j in map(self._word_vocab.get, word_feats) if j is not None]
        word_cols = np.zeros(0, dtype=np.int64)
        word_vals = np.zeros(0)
        if cols:
            tally = Counter(cols)
            word_cols = np.fromiter(tally.keys(), dtype=np.int64, count=len(tally))
            tf = np.fromiter(tally.values(), dtype=np.float64, count=len(tally))
            word_vals = (1.0 + np.log(tf)) * self._idf[word_cols]
            word_vals /= math.sqrt(float(word_vals @ word_vals))
            logits += word_vals @ self._coef_t[word_cols]
        get = self._char_cache.get
        parts: list[_CharWord] = [get(w) or self._char_word(w) for w in chunks]
        squares = sum(p[3] for p in parts)
        if squares > 0.0:
            # Gathered before anything else can refill the per-word cache.
            chunk_logits = self._contributions[[p[2] for p in parts]] * (1.0 / math.sqrt(squares))
            logits += chunk_logits.sum(axis=0)
        else:
            chunk_logits = np.zeros((len(parts), len(self.categories)))
        probs = 1.0 / (1.0 + np.exp(-(self._cal_scale * logits + self._cal_shift)))
        return Scored(
            probabilities=dict(zip(self.categories, probs.tolist(), strict=True)),
            word_columns=word_cols,
            word_values=word_vals,
            chunk_logits=chunk_logits,
        )

    def contributions(self, scored: Scored, norm_text: str) -> Contributions:
        """Each word's share of every category's logit (coefficient × feature value).

        Word features are found again with their positions (the same
        tokenisation as :func:`word_block`); a feature that occurs several
        times shares its value equally among its occurrences.  Only run for
        texts that get a model finding, so plain Python is fast enough.
        """
        text = _DIGIT.sub("0", norm_text)
        unit_spans = [(m.start(), m.end()) for m in _CHUNK.finditer(text)]
        starts = [a for a, _ in unit_spans]
        words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
        unit_of = [bisect_right(starts, w[1]) - 1 for w in words]
        n_units, n_cats = len(unit_spans), len(self.categories)
        logits = np.zeros((n_units, n_cats))
        if scored.chunk_logits.shape[0] == n_units:
            logits += scored.chunk_logits
        value = dict(zip(scored.word_columns.tolist(), scored.word_values.tolist(), strict=True))
        # Occurrences of every word-block feature, as the units that share it.
        occurrences: dict[int, list[tuple[int, ...]]] = {}
        vocab = self._word_vocab
        for i, (w, _, _) in enumerate(words):
            j = vocab.get(w)
            if j is not None:
                occurrences.setdefault(j, []).append((unit_of[i],))
            if i + 1 < len(words):
                j = vocab.get(f"{w} {words[i + 1][0]}")
                if j is not None:
                    occurrences.setdefault(j, []).append((unit_of[i], unit_of[i + 1]))
        for marker, pattern in (("__url__", _URL), ("__price__", _PRICE)):
            j = vocab.get(marker)
            if j is None or j not in value:
                continue
            for m in pattern.finditer(norm_text):
                hit = tuple(u for u, (a, b) in enumerate(unit_spans) if a < m.end() and m.start() < b)
                if hit:
                    occurrences.setdefault(j, []).append(hit)
        # One scatter-add for all occurrences: unit, feature column and its share.
        units_at: list[int] = []
        cols_at: list[int] = []
        shares: list[float] = []
        for j, places in occurrences.items():
            v = value.get(j)
            if not v:
                continue
            for units in places:
                share = v / len(places) / len(units)
                for u in units:
                    units_at.append(u)
                    cols_at.append(j)
                    shares.append(share)
        if units_at:
            # (units × occurrences) assignment matrix times the occurrences' rows:
            # one BLAS call instead of an unbuffered np.add.at.
            assign = np.zeros((n_units, len(units_at)))
            assign[units_at, np.arange(len(units_at))] = shares
            logits += assign @ self._coef_t[cols_at]
        per_unit: list[list[tuple[str, int, int]]] = [[] for _ in unit_spans]
        for found, u in zip(words, unit_of, strict=True):
            per_unit[u].append(found)
        return Contributions(
            units=tuple(unit_spans), words=tuple(tuple(ws) for ws in per_unit), logits=logits
        )
