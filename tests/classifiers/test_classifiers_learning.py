"""Retraining from editors' labels (``classifiers.learning``): what a label can move, how
labels are held back, and when a new model counts as worse."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from classifiers.evaluate import Scores
from classifiers.learning import (
    HOLD_OUT_EVERY,
    TEST_TOLERANCE,
    Figures,
    Label,
    compare,
    corpus_features,
    encode_payload,
    is_held_back,
    retrain,
    shipped_payload,
)
from classifiers.normalize import normalize
from classifiers.pipeline import pipeline_with_model
from classifiers.text.model import LinearTextModel, decode_array

#: Made-up comments an editor says are harassment although the shipped model does not: the
#: insult is in no lexicon and no corpus comment, so only the labels can teach it.
TAUGHT = [
    "Grannen på nummer sju är en riktig toffelhjälte som borde flytta härifrån",
    "Den där toffelhjälten i fullmäktige vet ingenting om någonting",
    "Vilken toffelhjälte du är som parkerar så där varje dag",
]


@pytest.fixture(scope="module")
def taught() -> dict[str, Any]:
    labels = [Label(text, "harassment", True, text) for text in TAUGHT]
    return retrain(labels, name="test-1")


def log_odds(p: float) -> float:
    return math.log(p / (1.0 - p))


def harassment_probability(raw: bytes | None, text: str) -> float:
    model = LinearTextModel.from_bytes(raw) if raw else LinearTextModel.load()
    assert model is not None
    return model.score(normalize(text).text).probabilities["harassment"]


def test_a_label_moves_its_own_category_and_no_other(taught: dict[str, Any]) -> None:
    base = shipped_payload()
    for category in base["categories"]:
        same = np.array_equal(decode_array(taught["coef"][category]), decode_array(base["coef"][category]))
        assert same == (category != "harassment"), category
        assert taught["thresholds"][category] == base["thresholds"][category]
        assert taught["calibration"][category] == base["calibration"][category]
    assert taught["metadata"]["refitted"] == ["harassment"]
    # The new word now counts towards harassment, also in a sentence the editors never saw.
    # Compared in log-odds: a sentence the shipped model already scores near 1 has no
    # room left in probability, but its log-odds still show the word's new weight.
    unseen = "Toffelhjälte, det är vad du är."
    raw = encode_payload(taught)
    assert (
        log_odds(harassment_probability(raw, unseen)) > log_odds(harassment_probability(None, unseen)) + 1.0
    )


def test_retraining_is_deterministic_and_named(taught: dict[str, Any]) -> None:
    """The second retrain reads the corpus's features from the cache the first filled (as
    ``uppsikt model retrain`` does for the second tenant): the same bytes either way."""
    base = shipped_payload()
    cached = corpus_features(base)
    assert corpus_features(base) is cached  # featurised once
    again = retrain([Label(text, "harassment", True, text) for text in TAUGHT], name="test-1")
    assert encode_payload(again) == encode_payload(taught)
    pipeline = pipeline_with_model(encode_payload(taught), use_privacy=False)
    assert "+model-test-1-" in pipeline.model_version


def test_without_labels_the_shipped_model_is_kept() -> None:
    base = shipped_payload()
    none = retrain([], name="test-0")
    for key in ("coef", "intercept", "word_idf", "char_idf", "thresholds", "calibration", "vetoes"):
        assert none[key] == base[key], key
    assert base["vetoes"]  # the shipped model has some to keep


def test_one_text_in_five_is_held_back_by_a_stable_hash() -> None:
    groups = [f"1:{n}" for n in range(2000)]
    held = [g for g in groups if is_held_back(g)]
    assert abs(len(held) / len(groups) - 1 / HOLD_OUT_EVERY) < 0.03
    assert held == [g for g in groups if is_held_back(g)]


def figures(tp: int, fp: int, fn: int, right: int = 0, total: int = 0) -> Figures:
    return Figures({"harassment": Scores(tp, fp, fn)}, right, total)


def test_a_worse_test_split_or_fewer_right_held_back_labels_refuses_the_model() -> None:
    before = figures(80, 20, 20, right=3, total=5)
    assert compare(before, figures(80, 20, 20, right=3, total=5)).accepted
    assert compare(before, figures(90, 10, 10, right=4, total=5)).accepted
    # Within the tolerance the test split has not got worse.
    slightly = figures(80, 21, 20, right=3, total=5)
    assert before.test_micro_f1 - slightly.test_micro_f1 < TEST_TOLERANCE
    assert compare(before, slightly).accepted
    worse_test = compare(before, figures(70, 30, 30, right=5, total=5))
    assert not worse_test.accepted and "testdelens mikro-F1 sjönk" in worse_test.reasons[0]
    worse_labels = compare(before, figures(90, 10, 10, right=2, total=5))
    assert not worse_labels.accepted and "undanhållna etiketterna" in worse_labels.reasons[0]
