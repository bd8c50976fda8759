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


@dataclass(frozen=True, slots=True)
class Scored:
    """Probabilities per category plus what is needed to explain them."""

    probabilities: dict[str, float]
    columns: np.ndarray  # feature columns present in the text
    values: np.ndarray  # their TF-IDF weights


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
        self._char_cache: dict[str, tuple[int, ...]] = {}
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

    def _word_char_columns(self, word: str) -> tuple[int, ...]:
        # Character n-grams are taken per word, so their columns (already offset
        # past the word block) can be remembered per word: most words of a
        # comment have been seen before.
        cols = self._char_cache.get(word)
        if cols is None:
            offset = self._n_words
            cols = tuple(j + offset for j in map(self._char_vocab.get, char_grams(word)) if j is not None)
            if len(self._char_cache) > 200_000:
                self._char_cache.clear()
            self._char_cache[word] = cols
        return cols

    def score(self, norm_text: str) -> Scored:
        word_feats, chunks = word_block(norm_text)
        cols = [j for j in map(self._word_vocab.get, word_feats) if j is not None]
        get = self._char_cache.get
        for w in chunks:
            found = get(w)
            cols.extend(found if found is not None else self._word_char_columns(w))
        if cols:
            tally = Counter(cols)
            ia = np.fromiter(tally.keys(), dtype=np.int64, count=len(tally))
            tf = np.fromiter(tally.values(), dtype=np.float64, count=len(tally))
            vals = (1.0 + np.log(tf)) * self._idf[ia]
            # Each block is L2-normalised on its own, as in training.
            is_word = ia < self._n_words
            squares = vals * vals
            word_norm = math.sqrt(float(squares[is_word].sum())) or 1.0
            char_norm = math.sqrt(float(squares[~is_word].sum())) or 1.0
            vals /= np.where(is_word, word_norm, char_norm)
            logits = vals @ self._coef_t[ia] + self._intercept
        else:
            ia = np.zeros(0, dtype=np.int64)
            vals = np.zeros(0)
            logits = self._intercept.copy()
        probs = 1.0 / (1.0 + np.exp(-logits))
        return Scored(
            probabilities=dict(zip(self.categories, probs.tolist(), strict=True)),
            columns=ia,
            values=vals,
        )

    def top_features(self, scored: Scored, category: str, k: int = 3) -> list[str]:
        """The features that pushed ``category`` up the most, strongest first."""
        row = self._coef_t[scored.columns, self.categories.index(category)] * scored.values
        # Stable sort on the negated contribution: ties keep column order, so the
        # explanation is deterministic.
        if len(row) > k * 4:
            # Partition first, then a stable sort of the few candidates (ties by column).
            cut = np.partition(row, len(row) - k * 4)[len(row) - k * 4]
            candidates = np.flatnonzero(row >= cut)
            order = candidates[np.argsort(-row[candidates], kind="stable")][: k * 4]
        else:
            order = np.argsort(-row, kind="stable")
        return [self._feature_names[scored.columns[i]] for i in order.tolist() if row[i] > 0]
