"""Learning from editors' decisions: retrain the text models and decide whether to use them.

An editor who decides a queue item may say that a finding was right, that it
was wrong, or that a category was missed.  Each such judgement is a
:class:`Label`: a text, a category and whether the category applies.  The
service (``app.learning``) keeps them per tenant; this module, pure like the
rest of the library, turns one tenant's labels into a model and measures it.

Retraining (:func:`retrain`) refits the per-category logistic models on the
corpus's train split (with the variants ``classifiers.train`` fits on too:
counterfactual group swaps, questions without their mark) plus the labelled
texts, over the base artefact's features.  A labelled text counts only for the
categories it was labelled for: an editor who confirmed ``harassment`` said
nothing about ``spam``, and a category without labels keeps the base's model
unchanged.  Each label weighs
:data:`LABEL_WEIGHT` corpus comments: it is a real comment on the tenant's
own accounts, judged by the person accountable for it, where a corpus comment
is one of several written variants of a base comment.  Thresholds, Platt
calibration and the rule vetoes stay those of the base artefact: they were
chosen out of fold over the whole corpus, a handful of labels cannot
re-choose them honestly, and refitting them would take five more fits.

Whether the result may replace the model in use is decided by
:func:`compare`, on two yardsticks the new model never saw: the corpus's
frozen test split, and the labels held back from training
(:func:`is_held_back`, one comment in five by a stable hash).  The new model
is accepted only if neither gets worse (see :data:`TEST_TOLERANCE`), and the
test split not worse than with the shipped model either.  To keep them
unseen, :func:`retrain` fits on no text that is in the test split or is a
held-back label's, neither as a label nor as a generated variant.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from classifiers.evaluate import Scores, score_predictions
from classifiers.pipeline import Pipeline
from classifiers.text.detectors import TEXT_CATEGORIES
from classifiers.text.model import ARTIFACT_PATH, decode_array
from classifiers.train import (
    CORPUS_PATH,
    MultiLabelTextModel,
    TfidfFeaturizer,
    load_corpus,
    training_variants,
    with_variants,
)
from classifiers.types import assessed_categories

__all__ = [
    "HOLD_OUT_EVERY",
    "LABEL_WEIGHT",
    "TEST_TOLERANCE",
    "Comparison",
    "Figures",
    "Label",
    "encode_payload",
    "figures",
    "frozen_test_split",
    "is_held_back",
    "retrain",
    "shipped_payload",
]

#: How many corpus comments one editor's label weighs (see the module docstring).
LABEL_WEIGHT = 3
#: One labelled comment in this many is held back from training, to measure the new model on.
HOLD_OUT_EVERY = 5
#: How far the test split's micro-F1 may fall before a new model counts as worse: a few
#: comments' worth of the 1,772-comment split, the noise of refitting on a few more texts.
TEST_TOLERANCE = 0.005


@dataclass(frozen=True, slots=True)
class Label:
    """One editor's judgement: ``category`` applies to ``text`` (``positive``) or not.

    ``group`` names what is held back together (the service uses the text),
    so a held-back text never leaks into training through another category.
    """

    text: str
    category: str
    positive: bool
    group: str


def is_held_back(group: str) -> bool:
    """Whether a comment's labels are kept out of training (stable: a hash, not an order)."""
    return int(hashlib.sha256(group.encode("utf-8")).hexdigest()[:8], 16) % HOLD_OUT_EVERY == 0


def encode_payload(payload: dict[str, Any]) -> bytes:
    """An artefact's bytes, exactly as ``classifiers.train`` writes them (its digest is the version)."""
    return (json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode()


def shipped_payload(path: Path = ARTIFACT_PATH) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(path.read_bytes())
    return payload


def frozen_test_split(corpus_path: Path = CORPUS_PATH) -> list[dict[str, Any]]:
    """The frozen test split: never trained on, never used to choose anything."""
    return [r for r in load_corpus(corpus_path) if r["split"] == "test"]


@dataclass(frozen=True, slots=True)
class CorpusFeatures:
    """The train split with its variants, featurised with one base model's features."""

    key: tuple[str, str]
    labels: list[set[str]]
    features: sparse.csr_matrix
    test_texts: frozenset[str]


#: The corpus as last featurised.  ``uppsikt model retrain`` retrains every tenant in one
#: run, each from the same base and corpus: the 75,000 corpus texts (about 10 s of a
#: retrain) are featurised once, not once per tenant.  One entry, so memory stays bounded.
_CORPUS_CACHE: list[CorpusFeatures] = []


def base_featurizer(base: dict[str, Any]) -> TfidfFeaturizer:
    featurizer = TfidfFeaturizer()
    featurizer.word_vocabulary_ = list(base["word_vocabulary"])
    featurizer.char_vocabulary_ = list(base["char_vocabulary"])
    featurizer.word_idf_ = decode_array(base["word_idf"]).astype(np.float32)
    featurizer.char_idf_ = decode_array(base["char_idf"]).astype(np.float32)
    return featurizer


def corpus_features(base: dict[str, Any], corpus_path: Path = CORPUS_PATH) -> CorpusFeatures:
    """The train split (with variants) featurised as ``base`` featurises: remembered for the
    last base and corpus, keyed by their digests."""
    raw = corpus_path.read_bytes()
    features = hashlib.sha256()
    for name in ("word_vocabulary", "char_vocabulary"):
        features.update("\n".join(base[name]).encode() + b"\0")
    for name in ("word_idf", "char_idf"):
        features.update(str(base[name]).encode() + b"\0")
    key = (hashlib.sha256(raw).hexdigest(), features.hexdigest())
    if _CORPUS_CACHE and _CORPUS_CACHE[0].key == key:
        return _CORPUS_CACHE[0]
    corpus = load_corpus(corpus_path)
    rows = sorted((r for r in corpus if r["split"] == "train"), key=lambda r: r["id"])
    texts, labels = with_variants(rows)
    found = CorpusFeatures(
        key,
        labels,
        base_featurizer(base).transform(texts),
        frozenset(r["text"] for r in corpus if r["split"] == "test"),
    )
    _CORPUS_CACHE[:] = [found]
    return found


def retrain(
    labels: Sequence[Label],
    *,
    name: str,
    held_back: Iterable[str] = (),
    base: dict[str, Any] | None = None,
    corpus_path: Path = CORPUS_PATH,
    label_weight: int = LABEL_WEIGHT,
) -> dict[str, Any]:
    """A new artefact payload: the corpus's train split plus ``labels``.

    ``name`` becomes part of the model version (``<name>-<digest>``).  The
    hyper-parameters, categories, thresholds and calibration come from
    ``base`` (the shipped artefact by default).  Deterministic: the same
    labels give the same bytes.

    ``held_back`` are the texts of the labels kept out to measure the new
    model on.  A label's generated variants (a group swapped, the question
    mark dropped) can be one of them word for word, and a label's text can be
    a test-split comment (everyday phrases are in both): fitting on either
    would let the model see what it is then measured on, so such texts are
    left out of the fit.  The labels still count in ``n_labels``; how many
    were left out is in the metadata.
    """
    base = base if base is not None else shipped_payload()
    C = float(base.get("metadata", {}).get("C", 4.0))
    # The base's features (vocabulary and idf): a category nobody labelled keeps its
    # model exactly, and a label can move only the categories it is about.
    featurizer = base_featurizer(base)
    corpus = corpus_features(base, corpus_path)
    corpus_labels = corpus.labels
    test_texts = corpus.test_texts
    unseen = test_texts | set(held_back)
    # Per labelled text, what the editors said about each category (a later label wins).
    said: dict[str, dict[str, bool]] = {}
    in_test_split = 0
    for label in labels:
        if label.text in test_texts:
            in_test_split += 1
            continue
        said.setdefault(label.text, {})[label.category] = label.positive
    label_texts: list[str] = []
    label_said: list[dict[str, bool]] = []
    forms_left_out = 0
    for text in sorted(said):
        forms = [text, *training_variants(text)]
        fitted = [form for form in forms if form not in unseen]
        forms_left_out += len(forms) - len(fitted)
        for form in fitted:
            label_texts.append(form)
            label_said.append(said[text])
    categories = tuple(c for c in base["categories"] if c in TEXT_CATEGORIES)
    touched = {c for s in label_said for c in s}
    # Each text's features depend on it alone: the corpus's come from the cache.
    X = sparse.vstack([corpus.features, featurizer.transform(label_texts)], format="csr") if touched else None
    n_corpus = len(corpus_labels)
    coef, intercept = [], []
    copies = max(1, label_weight)
    for category in categories:
        if X is None or category not in touched:
            coef.append(decode_array(base["coef"][category]).astype(np.float32))
            intercept.append(float(base["intercept"][category]))
            continue
        # A label weighs ``copies`` corpus comments: its rows are repeated (for liblinear the
        # same objective as a sample weight, and "balanced" class weights count them alike).
        labelled = [i for i, s in enumerate(label_said) if category in s] * copies
        index = np.concatenate([np.arange(n_corpus), n_corpus + np.array(labelled, dtype=np.int64)])
        y = np.array(
            [category in lab for lab in corpus_labels] + [label_said[i][category] for i in labelled],
            dtype=int,
        )
        clf = LogisticRegression(
            C=C, class_weight="balanced", solver="liblinear", random_state=0, max_iter=1000
        ).fit(X[index], y)
        coef.append(clf.coef_[0].astype(np.float32))
        intercept.append(float(clf.intercept_[0]))
    model = MultiLabelTextModel(C=C)
    model.featurizer_ = featurizer
    model.categories_ = categories
    model.coef_ = np.vstack(coef) if coef else np.zeros((0, 0), dtype=np.float32)
    model.intercept_ = np.array(intercept)
    model.calibration_ = {c: tuple(base.get("calibration", {}).get(c, (1.0, 0.0))) for c in categories}
    thresholds = {c: float(base["thresholds"][c]) for c in categories}
    metadata = {
        **base.get("metadata", {}),
        "base_corpus_sha256": corpus.key[0],
        "n_labels": len(labels),
        "n_labelled_texts": len(said),
        "n_labels_in_test_split": in_test_split,
        "n_forms_left_out": forms_left_out,
        "refitted": sorted(touched & set(categories)),
        "label_weight": label_weight,
    }
    payload = model.to_payload(thresholds, metadata, base.get("vetoes"))
    payload["name"] = name
    return payload


@dataclass(frozen=True, slots=True)
class Figures:
    """How one pipeline does on the test split and on held-back labels."""

    test: dict[str, Scores]
    labels_right: int
    labels_total: int
    per_label_category: dict[str, tuple[int, int]] = field(default_factory=dict)
    test_comments: int = 0
    #: The held-back labels it got right, as (text, category): the same count can hide a
    #: label lost and another gained.  Never in :meth:`as_dict` (the log holds no texts).
    right: frozenset[tuple[str, str]] = frozenset()

    @property
    def test_micro_f1(self) -> float:
        tp = sum(s.tp for s in self.test.values())
        fp = sum(s.fp for s in self.test.values())
        fn = sum(s.fn for s in self.test.values())
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    @property
    def label_agreement(self) -> float | None:
        return self.labels_right / self.labels_total if self.labels_total else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "test_micro_f1": round(self.test_micro_f1, 4),
            "test_f1": {c: round(s.f1, 4) for c, s in self.test.items()},
            "labels_right": self.labels_right,
            "labels_total": self.labels_total,
        }


def _text_categories(findings: Iterable[Any]) -> set[str]:
    return assessed_categories(findings) & set(TEXT_CATEGORIES)


def figures(pipeline: Pipeline, tests: Sequence[dict[str, Any]], held: Sequence[Label]) -> Figures:
    """Per text category P/R/F1 on ``tests`` and how many held-back labels the pipeline agrees with."""
    predicted = [_text_categories(pipeline.classify(r["text"]).findings) for r in tests]
    gold = [set(r["labels"]) & set(TEXT_CATEGORIES) for r in tests]
    scores = score_predictions(gold, predicted, TEXT_CATEGORIES)
    right = 0
    named: set[tuple[str, str]] = set()
    per: dict[str, tuple[int, int]] = {}
    found: dict[str, set[str]] = {}
    for label in held:
        if label.text not in found:
            found[label.text] = _text_categories(pipeline.classify(label.text).findings)
        ok = (label.category in found[label.text]) == label.positive
        right += ok
        if ok:
            named.add((label.text, label.category))
        r, t = per.get(label.category, (0, 0))
        per[label.category] = (r + ok, t + 1)
    return Figures(scores, right, len(held), per, len(tests), frozenset(named))


@dataclass(frozen=True, slots=True)
class Comparison:
    """Before and after, and whether the new model may be used."""

    before: Figures
    after: Figures
    accepted: bool
    reasons: tuple[str, ...]
    #: The shipped model's figures, when a retrained model was in use (``before``).
    shipped: Figures | None = None


def compare(
    before: Figures, after: Figures, *, tolerance: float = TEST_TOLERANCE, shipped: Figures | None = None
) -> Comparison:
    """Accept only if neither the test split nor the held-back labels get worse (Swedish reasons).

    Against the model in use alone, each retrain could lose up to ``tolerance``
    and the losses would add up; so the test split is also held to the shipped
    model's figures (``shipped``, when a retrained model is in use) with the
    same tolerance.  Held-back labels are compared one by one where the
    figures name them: a label lost is not made good by another gained.
    """
    reasons: list[str] = []
    if after.test_micro_f1 < before.test_micro_f1 - tolerance:
        reasons.append(
            f"testdelens mikro-F1 sjönk från {before.test_micro_f1:.3f} till {after.test_micro_f1:.3f}"
        )
    if shipped is not None and after.test_micro_f1 < shipped.test_micro_f1 - tolerance:
        reasons.append(
            f"testdelens mikro-F1 {after.test_micro_f1:.3f} är lägre än den levererade modellens "
            f"{shipped.test_micro_f1:.3f}"
        )
    lost = before.right - after.right
    if after.labels_total and (lost or after.labels_right < before.labels_right):
        reasons.append(
            f"de undanhållna etiketterna: {after.labels_right} av {after.labels_total} rätt, "
            f"mot {before.labels_right} förut"
            + (f"; {len(lost)} som var rätt förut blir fel" if lost else "")
        )
    return Comparison(before, after, not reasons, tuple(reasons), shipped)
