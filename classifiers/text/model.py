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
import threading
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, pairwise, repeat
from pathlib import Path

import numpy as np

from classifiers.text.features import char_grams, word_block
from classifiers.text.lexicon import Marker, default_index

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


#: Per word: the row of its char-block logit contribution in ``LinearTextModel._table``
#: and its squared norm.  Scoring needs nothing else, so the word's n-gram columns and
#: values are not kept: with them a full cache held about 31 MB, without them 7 MB.
_CharWord = tuple[int, float]

#: How many words' char-block contributions are remembered (about 6 MB of rows, 7 MB of entries).
_CACHE_WORDS = 50_000

#: The largest (units × occurrences) assignment matrix ``contributions`` builds (512 kB).
_DENSE_ASSIGN = 1 << 16


@dataclass(frozen=True, slots=True)
class Scored:
    """Probabilities per category plus what is needed to explain them."""

    probabilities: dict[str, float]
    word_columns: tuple[int, ...]  # word-block feature columns present in the text
    word_values: tuple[float, ...]  # their weights
    word_counts: tuple[int, ...]  # how often each occurs
    rows: np.ndarray  # the word features' coefficient rows, then the words' char-block contributions
    char_weight: float  # the char block's normalisation
    markers: tuple[Marker, ...] = ()  # the lexicon hits the word block counted

    @property
    def chunk_logits(self) -> np.ndarray:
        """(words of ``text.split()``, categories): each word's char-block logit share."""
        return self.rows[len(self.word_columns) :] * self.char_weight


@dataclass(frozen=True, slots=True)
class Contributions:
    """Per-word logit contributions of one text, for every category of the model.

    ``units`` are the whitespace-separated words of the normalised text (the
    char block's units) as ``(start, end)`` in normalised coordinates, and
    ``words`` the ``[^\\W_]+`` words inside each.  ``logits[i, k]`` is how
    much unit ``i`` added to the logit of category ``k``: its char n-grams,
    its word unigrams and half of every word bigram it is part of (marker
    features for a link or a price go to the units they were found in, a
    lexicon hit's feature to the units the hit covers).
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
        #: Below these probabilities a rule's finding of the category is dropped
        #: (``classifiers.train.choose_vetoes``); artefacts without them veto nothing.
        self.vetoes: dict[str, float] = dict(payload.get("vetoes") or {})  # type: ignore[call-overload]
        #: Trained on comments typed without å, ä and ö read with them (``classifiers.text.
        #: diacritics``); the pipeline reads such comments so only for a model that was.  A
        #: tenant's artefact from before keeps reading them as typed.
        self.reads_plain_letters = bool(payload.get("reads_plain_letters", False))
        self.version = f"{payload['name']}-{digest[:12]}"
        words: list[str] = payload["word_vocabulary"]  # type: ignore[assignment]
        chars: list[str] = payload["char_vocabulary"]  # type: ignore[assignment]
        self.word_vocabulary: tuple[str, ...] = tuple(words)
        self._n_words = len(words)
        self._word_vocab = {w: i for i, w in enumerate(words)}
        self._char_vocab = {c: i for i, c in enumerate(chars)}
        self._idf = np.concatenate(
            [decode_array(payload["word_idf"]), decode_array(payload["char_idf"])]  # type: ignore[arg-type]
        )
        coef: dict[str, str] = payload["coef"]  # type: ignore[assignment]
        # Stored feature-major (n_features, n_categories): a comment touches a few
        # hundred features, and gathering whole rows keeps the memory access local.
        self._coef_t = np.ascontiguousarray(np.vstack([decode_array(coef[c]) for c in self.categories]).T)
        intercept: dict[str, float] = payload["intercept"]  # type: ignore[assignment]
        self._intercept = np.array([intercept[c] for c in self.categories])
        self._idf_list: list[float] = self._idf[: self._n_words].tolist()
        # The word features' coefficient rows, then one row per remembered word:
        # its char-block logit contribution (``_char_word``).  Scoring gathers
        # both kinds of rows at once.
        self._char_cache: dict[str, _CharWord] = {}
        self._capacity = _CACHE_WORDS
        self._table = np.vstack(
            [self._coef_t[: self._n_words], np.zeros((self._capacity, len(self.categories)))]
        )
        self._lock = threading.Lock()
        # Platt scaling fitted on out-of-fold logits (``classifiers.train``):
        # probability = sigmoid(scale * logit + shift).  Older artefacts have none.
        calibration: dict[str, list[float]] = payload.get("calibration") or {}  # type: ignore[assignment]
        self.calibration: dict[str, tuple[float, float]] = {}
        for c in self.categories:
            scale, shift = calibration.get(c, (1.0, 0.0))
            self.calibration[c] = (float(scale), float(shift))
        self._cal_scale = np.array([self.calibration[c][0] for c in self.categories])
        self._cal_shift = np.array([self.calibration[c][1] for c in self.categories])
        self._cal_scale_list: list[float] = self._cal_scale.tolist()
        self._cal_shift_list: list[float] = self._cal_shift.tolist()

    def _make_room(self, words: int) -> None:
        """Forget the remembered words, and grow the table for a text longer than it."""
        self._char_cache.clear()
        if words > self._capacity:
            self._capacity = words
            self._table = np.vstack([self._table[: self._n_words], np.zeros((words, len(self.categories)))])

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
        """A word's char-block logit contribution (a row of ``_table``) and squared norm.

        The character block is a sum of per-word vectors (see ``features.py``),
        so all of this depends on the word alone and is remembered per word:
        its logit contribution is a row of ``_table`` after the word columns.
        The caller makes room (``score`` empties the cache between texts, never
        within one, so the rows of one text are never reused under it).
        """
        js = [j for j in map(self._char_vocab.get, char_grams(word)) if j is not None]
        if len(set(js)) == len(js):  # the usual case: every n-gram once
            cols = np.array(js, dtype=np.int64) + self._n_words
            vals = self._idf[cols]
        else:
            counts = Counter(js)
            cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts)) + self._n_words
            vals = np.fromiter(counts.values(), dtype=np.float64, count=len(counts)) * self._idf[cols]
        row = self._n_words + len(self._char_cache)
        self._table[row] = vals @ self._coef_t[cols]
        found = (row, float(vals @ vals))
        self._char_cache[word] = found
        return found

    def score(self, norm_text: str, markers: Sequence[Marker] | None = None) -> Scored:
        """Every category's calibrated probability for a normalised text.

        ``markers`` are the text's lexicon hits (``LexiconIndex.markers``) when the caller
        has them already; otherwise they are found here with the shipped lexicons.
        """
        if markers is None:
            markers = default_index().markers(norm_text)
        word_feats, chunks = word_block(norm_text, [m.feature for m in markers])
        # Word block: (1 + log tf) * idf, L2-normalised, in plain Python: a comment
        # has a few dozen features, and every numpy call costs more than that.
        tally = Counter(map(self._word_vocab.get, word_feats))  # counted in C
        tally.pop(None, None)
        idf = self._idf_list
        word_cols: tuple[int, ...] = tuple(tally)  # type: ignore[arg-type]
        word_vals = [idf[j] if n == 1 else (1.0 + math.log(n)) * idf[j] for j, n in tally.items()]  # type: ignore[index]
        if word_vals:
            scale = 1.0 / math.sqrt(sum([v * v for v in word_vals]))
            word_vals = [v * scale for v in word_vals]
        with self._lock:
            if len(self._char_cache) + len(chunks) > self._capacity:
                self._make_room(len(chunks))
            get = self._char_cache.get
            parts: list[_CharWord] = [get(w) or self._char_word(w) for w in chunks]
            squares = sum([p[1] for p in parts])
            char_weight = 1.0 / math.sqrt(squares) if squares > 0.0 else 0.0
            # One gather and one product for both blocks: the word features' coefficient
            # rows and the words' cached char-block contributions (copied out under the
            # lock, before another text can reuse the rows).
            size = len(word_cols) + len(parts)
            # ``fromiter`` with a dtype: numpy need not inspect every element of a list.
            index = np.fromiter(chain(word_cols, [p[0] for p in parts]), dtype=np.intp, count=size)
            rows = self._table[index]
        weights = np.fromiter(chain(word_vals, repeat(char_weight, len(parts))), dtype=np.float64, count=size)
        logits = self._intercept + weights @ rows
        probabilities = {
            c: 1.0 / (1.0 + math.exp(-(a * x + b)))
            for c, x, a, b in zip(
                self.categories, logits.tolist(), self._cal_scale_list, self._cal_shift_list, strict=True
            )
        }
        return Scored(
            probabilities=probabilities,
            word_columns=word_cols,
            word_values=tuple(word_vals),
            word_counts=tuple(tally.values()),
            rows=rows,
            char_weight=char_weight,
            markers=tuple(markers),
        )

    def contributions(self, scored: Scored, norm_text: str) -> Contributions:
        """Each word's share of every category's logit (coefficient × feature value).

        Word features are found again with their positions (the same
        tokenisation as :func:`word_block`, unit by unit); a feature that
        occurs several times shares its value equally among its occurrences.
        """
        text = _DIGIT.sub("0", norm_text) if _DIGIT.search(norm_text) else norm_text
        unit_spans = [m.span() for m in _CHUNK.finditer(text)]
        starts = [a for a, _ in unit_spans]
        ends = [b for _, b in unit_spans]

        def covering(start: int, end: int) -> range:
            """The units a span overlaps: they are in order and never overlap, so two
            bisections find them (a text of thousands of words with a match in every
            one must not cost units × matches)."""
            return range(bisect_right(ends, start), bisect_left(starts, end))

        found = [(m.group(), *m.span()) for m in _WORD.finditer(text)]
        words = [w for w, _, _ in found]
        unit_of = [bisect_right(starts, f[1]) - 1 for f in found]
        n_units = len(unit_spans)
        # Each occurrence of a word feature gets value / count: unit, column and share.
        share_of = {
            j: v / n
            for j, v, n in zip(scored.word_columns, scored.word_values, scored.word_counts, strict=True)
        }
        units_at: list[int] = []
        cols_at: list[int] = []
        shares: list[float] = []
        get = self._word_vocab.get
        for i, w in enumerate(words):
            j = get(w)
            if j is not None and j in share_of:
                units_at.append(unit_of[i])
                cols_at.append(j)
                shares.append(share_of[j])
        for i, (a, b) in enumerate(pairwise(words)):
            j = get(f"{a} {b}")
            if j is not None and j in share_of:
                half = share_of[j] / 2
                units_at += (unit_of[i], unit_of[i + 1])
                cols_at += (j, j)
                shares += (half, half)
        # A lexicon hit's feature goes to the units the hit covers (an occurrence's share
        # split among them, like a bigram's).
        for lexicon_hit in scored.markers:
            j = get(lexicon_hit.feature)
            if j is None or j not in share_of:
                continue
            covered = covering(lexicon_hit.start, lexicon_hit.end)
            for u in covered:
                units_at.append(u)
                cols_at.append(j)
                shares.append(share_of[j] / len(covered))
        # A link or a price marker goes to the units its matches overlap, shared
        # among the matches.
        for marker, pattern in (("__url__", _URL), ("__price__", _PRICE)):
            j = get(marker)
            if j is None or j not in share_of:
                continue
            places = [hit for m in pattern.finditer(norm_text) if (hit := covering(*m.span()))]
            for hit in places:
                for u in hit:
                    units_at.append(u)
                    cols_at.append(j)
                    shares.append(share_of[j] / len(places) / len(hit))  # a marker counts once
        chunk_logits = scored.chunk_logits
        logits = (
            chunk_logits if chunk_logits.shape[0] == n_units else np.zeros((n_units, len(self.categories)))
        )
        if units_at and n_units * len(units_at) <= _DENSE_ASSIGN:
            # (units × occurrences) assignment matrix times the occurrences' rows:
            # one BLAS call instead of an unbuffered np.add.at.
            assign = np.zeros((n_units, len(units_at)))
            assign[units_at, range(len(units_at))] = shares
            logits = logits + assign @ self._coef_t[cols_at]
        elif units_at:
            # A long text: the dense matrix would grow with the square of its length
            # (a 5,000-word comment, 400 MB).
            logits = logits.copy()
            np.add.at(logits, units_at, np.array(shares)[:, None] * self._coef_t[cols_at])
        per_unit: list[list[tuple[str, int, int]]] = [[] for _ in unit_spans]
        for f, u in zip(found, unit_of, strict=True):
            per_unit[u].append(f)
        return Contributions(
            units=tuple(unit_spans), words=tuple(tuple(ws) for ws in per_unit), logits=logits
        )
