"""The exported linear models: loading and scoring without pickle or scikit-learn.

``python -m classifiers.train`` writes ``classifiers/artifacts/text_models.json``:
the vocabularies, idf vectors, one coefficient row and intercept per
category (float32, little-endian, base64) and the decision thresholds chosen
on a validation slice of the training split.  JSON is read with the standard
library and arrays with ``numpy.frombuffer``: loading never unpickles, so an
artefact can at worst give wrong scores, never run code.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from classifiers.text.features import char_grams, word_block

__all__ = ["ARTIFACT_PATH", "LinearTextModel", "Scored", "decode_array", "encode_array"]

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
    char_parts: tuple[tuple[np.ndarray, np.ndarray], ...]  # per word: char columns and raw values
    char_scale: float  # the char block's normalisation

    def features(self) -> tuple[np.ndarray, np.ndarray]:
        """All feature columns of the text with their final weights (for explanations)."""
        if not self.char_parts:
            return self.word_columns, self.word_values
        columns = np.concatenate([self.word_columns, *(c for c, _ in self.char_parts)])
        values = np.concatenate([self.word_values, *(v * self.char_scale for _, v in self.char_parts)])
        return columns, values


class LinearTextModel:
    """One logistic model per category over shared TF-IDF features."""

    def __init__(self, payload: dict[str, object], digest: str) -> None:
        self.categories: tuple[str, ...] = tuple(payload["categories"])  # type: ignore[arg-type]
        self.thresholds: dict[str, float] = dict(payload["thresholds"])  # type: ignore[call-overload]
        self.version = f"{payload['name']}-{digest[:12]}"
        words: list[str] = payload["word_vocabulary"]  # type: ignore[assignment]
        chars: list[str] = payload["char_vocabulary"]  # type: ignore[assignment]
        self._n_words = len(words)
        self._word_vocab = {w: i for i, w in enumerate(words)}
        self._char_vocab = {c: i for i, c in enumerate(chars)}
        self._char_cache: dict[str, _CharWord] = {}
        self._contributions = np.zeros((_CACHE_WORDS, len(self.categories)))
        self._feature_names = tuple(f"w:{w}" for w in words) + tuple(f"c:{c}" for c in chars)
        self._idf = np.concatenate(
            [decode_array(payload["word_idf"]), decode_array(payload["char_idf"])]  # type: ignore[arg-type]
        )
        coef: dict[str, str] = payload["coef"]  # type: ignore[assignment]
        # Stored feature-major (n_features, n_categories): a comment touches a few
        # hundred features, and gathering whole rows keeps the memory access local.
        self._coef_t = np.ascontiguousarray(np.vstack([decode_array(coef[c]) for c in self.categories]).T)
        intercept: dict[str, float] = payload["intercept"]  # type: ignore[assignment]
        self._intercept = np.array([intercept[c] for c in self.categories])

    @classmethod
    def load(cls, path: Path = ARTIFACT_PATH) -> LinearTextModel | None:
        """The exported model, or ``None`` when none has been trained yet."""
        if not path.exists():
            return None
        raw = path.read_bytes()
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
        parts = [p for p in parts if p[3] > 0.0]
        scale = 0.0
        if parts:
            squares = sum(p[3] for p in parts)
            scale = 1.0 / math.sqrt(squares)
            logits += self._contributions[[p[2] for p in parts]].sum(axis=0) * scale
        probs = 1.0 / (1.0 + np.exp(-logits))
        return Scored(
            probabilities=dict(zip(self.categories, probs.tolist(), strict=True)),
            word_columns=word_cols,
            word_values=word_vals,
            char_parts=tuple((p[0], p[1]) for p in parts),
            char_scale=scale,
        )

    def top_features(
        self,
        scored: Scored,
        category: str,
        k: int = 3,
        features: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> list[str]:
        """The features that pushed ``category`` up the most, strongest first.

        ``features`` is ``scored.features()``, passed in when several categories
        of one text are explained.
        """
        columns, values = features if features is not None else scored.features()
        row = self._coef_t[columns, self.categories.index(category)] * values
        # Stable sort on the negated contribution: ties keep their position, so the
        # explanation is deterministic.
        order = np.argsort(-row, kind="stable")
        names: list[str] = []
        for i in order.tolist():
            if row[i] <= 0 or len(names) == k * 4:
                break
            name = self._feature_names[columns[i]]
            if name not in names:
                names.append(name)
        return names
