"""Train the text-category models and export them as a pickle-free artefact.

Run ``python -m classifiers.train``.  The procedure is fixed and
deterministic, so running it twice gives byte-identical artefacts:

1. Read ``classifiers/data/corpus.jsonl`` and keep the ``train`` split only
   (the test split is for ``classifiers.evaluate`` and nothing else).
2. Carve a validation slice out of train by hashing ``base_id`` (variants of
   one base comment never straddle the slices, so the slice measures
   generalisation, not memorised paraphrases).
3. Fit the features and one logistic regression per category on the rest;
   for each category pick the probability threshold that maximises F1 of the
   *combined* decision (rules fire, or the model reaches the threshold) on
   the validation slice.  A category whose model does not help is switched
   off (threshold above 1).
4. Refit features and models on the whole train split with the same
   hyper-parameters and export vocabulary, idf, coefficients and thresholds
   to ``classifiers/artifacts/text_models.json`` (float32 as base64; no pickle).

scikit-learn is needed here only; inference uses ``classifiers.text.model``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.linear_model import LogisticRegression

from classifiers.normalize import normalize
from classifiers.text.detectors import TEXT_CATEGORIES, TextDetector
from classifiers.text.features import count_features
from classifiers.text.model import ARTIFACT_PATH, encode_array

__all__ = ["CORPUS_PATH", "MultiLabelTextModel", "TfidfFeaturizer", "main", "train"]

CORPUS_PATH = Path(__file__).resolve().parent / "data" / "corpus.jsonl"
VALIDATION_FRACTION = 0.2
MIN_POSITIVES = 8
THRESHOLD_GRID = tuple(round(0.05 * i, 2) for i in range(4, 20))


class TfidfFeaturizer(TransformerMixin, BaseEstimator):
    """Word (1–2) and char_wb (3–4) TF-IDF over normalised text, see ``features.py``.

    Vocabulary size is capped by document frequency (ties broken by the
    feature string) so the result does not depend on dict or set order.
    """

    def __init__(
        self, min_df: int = 2, max_word_features: int = 12000, max_char_features: int = 30000
    ) -> None:
        self.min_df = min_df
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features

    def _counts(self, texts: Sequence[str]) -> list[tuple[Counter[str], Counter[str]]]:
        return [count_features(normalize(t).text) for t in texts]

    def fit(self, texts: Sequence[str], y: object = None) -> TfidfFeaturizer:
        counts = self._counts(texts)
        n = len(counts)
        self.word_vocabulary_, self.word_idf_ = self._vocab([c[0] for c in counts], n, self.max_word_features)
        self.char_vocabulary_, self.char_idf_ = self._vocab([c[1] for c in counts], n, self.max_char_features)
        return self

    def _vocab(self, docs: list[Counter[str]], n: int, cap: int) -> tuple[list[str], np.ndarray]:
        df: Counter[str] = Counter()
        for d in docs:
            df.update(d.keys())
        kept = sorted((f for f, c in df.items() if c >= self.min_df), key=lambda f: (-df[f], f))[:cap]
        kept.sort()
        idf = np.array([math.log((1 + n) / (1 + df[f])) + 1.0 for f in kept], dtype=np.float32)
        return kept, idf

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        counts = self._counts(texts)
        blocks = []
        for which, vocab_list, idf in (
            (0, self.word_vocabulary_, self.word_idf_),
            (1, self.char_vocabulary_, self.char_idf_),
        ):
            vocab = {f: i for i, f in enumerate(vocab_list)}
            idf64 = idf.astype(np.float64)
            rows, cols, vals = [], [], []
            for r, pair in enumerate(counts):
                idx = [(vocab[f], 1.0 + math.log(c)) for f, c in pair[which].items() if f in vocab]
                if not idx:
                    continue
                js = np.array([j for j, _ in idx])
                v = np.array([t for _, t in idx]) * idf64[js]
                v /= np.sqrt(v @ v)
                rows.extend([r] * len(js))
                cols.extend(js.tolist())
                vals.extend(v.tolist())
            blocks.append(sparse.csr_matrix((vals, (rows, cols)), shape=(len(counts), len(vocab_list))))
        return sparse.hstack(blocks, format="csr")


class MultiLabelTextModel(ClassifierMixin, BaseEstimator):
    """One binary logistic regression per category over shared features."""

    def __init__(self, C: float = 4.0, min_df: int = 2, random_state: int = 0) -> None:
        self.C = C
        self.min_df = min_df
        self.random_state = random_state

    def fit(self, texts: Sequence[str], labels: Sequence[set[str]]) -> MultiLabelTextModel:
        self.featurizer_ = TfidfFeaturizer(min_df=self.min_df).fit(texts)
        X = self.featurizer_.transform(texts)
        self.categories_ = tuple(
            c for c in TEXT_CATEGORIES if sum(c in lab for lab in labels) >= MIN_POSITIVES
        )
        coef, intercept = [], []
        for category in self.categories_:
            y = np.array([category in lab for lab in labels], dtype=int)
            clf = LogisticRegression(
                C=self.C,
                class_weight="balanced",
                solver="liblinear",
                random_state=self.random_state,
                max_iter=1000,
            ).fit(X, y)
            coef.append(clf.coef_[0].astype(np.float32))
            intercept.append(float(clf.intercept_[0]))
        self.coef_ = np.vstack(coef) if coef else np.zeros((0, X.shape[1]), dtype=np.float32)
        self.intercept_ = np.array(intercept)
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """(n_texts, n_categories) probabilities, computed like the exported scorer."""
        X = self.featurizer_.transform(texts)
        logits = X @ self.coef_.astype(np.float64).T + self.intercept_
        return 1.0 / (1.0 + np.exp(-logits))

    def to_payload(self, thresholds: dict[str, float], metadata: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": "text-linear",
            "format": 1,
            "categories": list(self.categories_),
            "thresholds": {c: thresholds[c] for c in self.categories_},
            "word_vocabulary": self.featurizer_.word_vocabulary_,
            "char_vocabulary": self.featurizer_.char_vocabulary_,
            "word_idf": encode_array(self.featurizer_.word_idf_),
            "char_idf": encode_array(self.featurizer_.char_idf_),
            "coef": {c: encode_array(self.coef_[i]) for i, c in enumerate(self.categories_)},
            "intercept": {c: float(np.float32(self.intercept_[i])) for i, c in enumerate(self.categories_)},
            "metadata": metadata,
        }


def load_corpus(path: Path = CORPUS_PATH) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def is_validation(base_id: str) -> bool:
    """Deterministic group split: a base comment and its variants share a slice."""
    h = int(hashlib.sha256(base_id.encode()).hexdigest()[:8], 16)
    return h / 0xFFFFFFFF < VALIDATION_FRACTION


def f1(tp: int, fp: int, fn: int) -> float:
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def choose_thresholds(
    probabilities: np.ndarray,
    categories: Sequence[str],
    labels: Sequence[set[str]],
    rule_hits: Sequence[set[str]],
) -> tuple[dict[str, float], dict[str, float]]:
    """Per category, the threshold that maximises F1 of "rule or model ≥ t" on validation."""
    thresholds: dict[str, float] = {}
    scores: dict[str, float] = {}
    for i, category in enumerate(categories):
        gold = np.array([category in lab for lab in labels])
        rule = np.array([category in hits for hits in rule_hits])
        best_t, best = (
            1.01,
            f1(int((rule & gold).sum()), int((rule & ~gold).sum()), int((~rule & gold).sum())),
        )
        for t in THRESHOLD_GRID:
            pred = rule | (probabilities[:, i] >= t)
            score = f1(int((pred & gold).sum()), int((pred & ~gold).sum()), int((~pred & gold).sum()))
            if score > best + 1e-9:
                best_t, best = t, score
        thresholds[category] = best_t
        scores[category] = round(best, 4)
    return thresholds, scores


def train(corpus_path: Path = CORPUS_PATH, out_path: Path = ARTIFACT_PATH, C: float = 4.0) -> dict[str, Any]:
    """Train, choose thresholds on validation, refit on all of train, write the artefact."""
    rows = [r for r in load_corpus(corpus_path) if r["split"] == "train"]
    rows.sort(key=lambda r: r["id"])
    fit_rows = [r for r in rows if not is_validation(r["base_id"])]
    val_rows = [r for r in rows if is_validation(r["base_id"])]
    detector = TextDetector(use_model=False)

    model = MultiLabelTextModel(C=C).fit([r["text"] for r in fit_rows], [set(r["labels"]) for r in fit_rows])
    if val_rows and model.categories_:
        probs = model.predict_proba([r["text"] for r in val_rows])
        rule_hits = [detector.rule_categories(r["text"]) for r in val_rows]
        thresholds, val_f1 = choose_thresholds(
            probs, model.categories_, [set(r["labels"]) for r in val_rows], rule_hits
        )
    else:
        thresholds = {c: 0.5 for c in model.categories_}
        val_f1 = {}

    final = MultiLabelTextModel(C=C).fit([r["text"] for r in rows], [set(r["labels"]) for r in rows])
    thresholds = {c: thresholds.get(c, 1.01) for c in final.categories_}
    metadata = {
        "corpus_sha256": hashlib.sha256(corpus_path.read_bytes()).hexdigest(),
        "n_train": len(rows),
        "n_validation": len(val_rows),
        "validation_f1_combined": val_f1,
        "C": C,
        "rules_version": detector.rules_version,
    }
    payload = final.to_payload(thresholds, metadata)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(
        json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
        encoding="utf-8",
    )
    return payload


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=CORPUS_PATH)
    parser.add_argument("--out", type=Path, default=ARTIFACT_PATH)
    args = parser.parse_args(argv)
    payload = train(args.corpus, args.out)
    meta = payload["metadata"]
    print(f"trained on {meta['n_train']} comments ({meta['n_validation']} for validation) -> {args.out}")
    for category in payload["categories"]:
        t = payload["thresholds"][category]
        shown = "off" if t > 1 else f"{t:.2f}"
        val = meta["validation_f1_combined"].get(category, 0)
        print(f"  {category:<18} threshold {shown:>5}  validation F1 {val:.3f}")


if __name__ == "__main__":
    main()
