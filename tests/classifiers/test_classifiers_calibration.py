"""Model scores are calibrated probabilities: 0.9 means about nine in ten.

The calibration is fitted on out-of-fold logits over the train split
(``classifiers.train``); these tests check it on the held-out test split of
the corpus, which training never reads.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from classifiers.evaluate import expected_calibration_error, reliability_bins
from classifiers.normalize import normalize
from classifiers.text import TextDetector
from classifiers.text.diacritics import restore_diacritics
from classifiers.text.model import LinearTextModel
from classifiers.train import CORPUS_PATH, fit_calibration

#: Pooled over every category and comment of the test split.  The balanced
#: logistic output without calibration has 0.010 here; calibrated, 0.006 (on
#: writer d's comments alone calibration does not help: 0.012 against 0.006,
#: fitted as it is on the train split's writers).  With writer h in train the
#: plain output itself is better calibrated (0.0079) and calibration takes it
#: to 0.0056.
ECE_BOUND = 0.012
#: Calibration must take at least a fifth off the plain output's error (29 % with
#: the shipped model, about 40 % with the one before it).
CALIBRATION_GAIN = 0.8


@pytest.fixture(scope="module")
def model() -> LinearTextModel:
    found = LinearTextModel.load()
    assert found is not None
    return found


@pytest.fixture(scope="module")
def held_out(model: LinearTextModel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Calibrated probabilities, raw logits and gold labels on the test split."""
    with CORPUS_PATH.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    rows = [r for r in rows if r["split"] == "test"]
    probs, logits, gold = [], [], []
    for row in rows:
        scored = model.score(normalize(restore_diacritics(row["text"])).text)  # as the pipeline reads it
        p = np.array([scored.probabilities[c] for c in model.categories])
        probs.append(p)
        p = np.clip(p, 1e-12, 1 - 1e-12)
        logits.append((np.log(p) - np.log1p(-p) - model._cal_shift) / model._cal_scale)
        gold.append([c in row["labels"] for c in model.categories])
    return np.array(probs).ravel(), np.array(logits).ravel(), np.array(gold).ravel()


def test_calibrated_scores_have_a_small_expected_calibration_error(
    held_out: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    probs, logits, gold = held_out
    calibrated = expected_calibration_error(probs, gold)
    assert calibrated < ECE_BOUND
    # The plain logistic output is clearly worse: the calibration earns its place.
    assert calibrated < CALIBRATION_GAIN * expected_calibration_error(1.0 / (1.0 + np.exp(-logits)), gold)


def test_every_well_filled_reliability_bin_is_near_its_frequency(
    held_out: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    probs, _, gold = held_out
    bins = reliability_bins(probs, gold)
    assert sum(b.count for b in bins) == len(probs)
    # Bins with at least 100 scores (smaller ones are too noisy to hold to a
    # bound; REPORT.md shows them all: the 0.6-0.8 bins are over-confident).
    # The bound is 0.2 plus two standard errors of the bin's observed frequency:
    # a bin of 159 scores (0.7-0.8 here) has a sampling error of about ±0.08, and
    # one model to the next moved it between 0.07 and 0.21 off while the overall
    # error fell (0.0056 -> 0.0052).  Bins of thousands are held to 0.2 itself.
    for b in bins:
        if b.count >= 100:
            noise = 2 * math.sqrt(b.frequency * (1 - b.frequency) / b.count)
            assert abs(b.mean_score - b.frequency) <= 0.2 + noise, b
    # High scores mean mostly true: above 0.8 at least three in four are labelled.
    high = probs >= 0.8
    assert high.sum() >= 100 and gold[high].mean() >= 0.75


def test_model_findings_report_the_calibrated_probability(model: LinearTextModel) -> None:
    detector = TextDetector()
    with CORPUS_PATH.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh if line.strip()]
    checked = 0
    for text in texts[::7]:
        for finding in detector.detect(text):
            if finding.rule_id.endswith(".model"):
                expected = model.score(normalize(text).text).probabilities[finding.category]
                assert finding.score == pytest.approx(expected, abs=1e-4)
                checked += 1
    assert checked >= 50


def test_the_artefact_carries_a_calibration_per_category(model: LinearTextModel) -> None:
    assert set(model.calibration) == set(model.categories)
    for scale, shift in model.calibration.values():
        assert scale > 0.0
        assert (scale, shift) != (1.0, 0.0)


def test_platt_scaling_recovers_a_known_calibration() -> None:
    rng = np.random.default_rng(0)
    logits = rng.normal(0.0, 3.0, 20_000)
    gold = rng.random(20_000) < 1.0 / (1.0 + np.exp(-(0.5 * logits - 1.0)))
    scale, shift = fit_calibration(logits, gold)
    assert scale == pytest.approx(0.5, abs=0.05)
    assert shift == pytest.approx(-1.0, abs=0.1)
    assert fit_calibration(logits, np.zeros(20_000, dtype=bool)) == (1.0, 0.0)
