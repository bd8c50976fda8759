"""The report's calibration figures for the scores that become findings are computed right.

Hand-made scores and labels whose expected calibration error (ECE) is known: the pooled
figure must be dominated by the many near-zero scores, the figures over the scores at or
above the floor and at or above each category's threshold must not be.
"""

from __future__ import annotations

import pytest

from classifiers.evaluate import (
    Calibration,
    calibration_summary,
    expected_calibration_error,
    reliability,
    render_calibration,
    render_limits,
)


def _synthetic() -> tuple[list[float], list[bool], list[str], dict[str, float]]:
    scores: list[float] = []
    gold: list[bool] = []
    categories: list[str] = []

    def add(category: str, score: float, labelled: int, n: int) -> None:
        scores.extend([score] * n)
        gold.extend([True] * labelled + [False] * (n - labelled))
        categories.extend([category] * n)

    # 900 near-zero scores, none labelled: gap 0.01 each.
    add("spam", 0.01, 0, 450)
    add("threat", 0.01, 0, 450)
    # spam (threshold 0.5): 10 at 0.95 with 8 labelled (gap 0.15), 10 at 0.55 with 3 (gap 0.25),
    # and 10 at 0.15 with 1 (gap 0.05): over the floor, under the threshold.
    add("spam", 0.95, 8, 10)
    add("spam", 0.55, 3, 10)
    add("spam", 0.15, 1, 10)
    # threat (threshold 0.65): 20 at exactly 0.65 with 13 labelled (exactly right), 10 at 0.45 with 2
    # (gap 0.25, under the threshold).
    add("threat", 0.65, 13, 20)
    add("threat", 0.45, 2, 10)
    # question: its model is off (threshold over 1), so none of its scores is a finding's.
    add("question", 0.92, 5, 10)
    return scores, gold, categories, {"spam": 0.5, "threat": 0.65, "question": 1.01}


def test_reliability_of_one_set_of_scores() -> None:
    r = reliability([0.95] * 10 + [0.55] * 10, [True] * 8 + [False] * 2 + [True] * 3 + [False] * 7)
    assert r.count == 20
    assert r.ece == pytest.approx((10 * 0.15 + 10 * 0.25) / 20)
    assert r.mean_score == pytest.approx(0.75)
    assert r.frequency == pytest.approx(11 / 20)
    assert [(b.low, b.count) for b in r.bins] == [(pytest.approx(0.5), 10), (pytest.approx(0.9), 10)]
    assert r.bins[1].frequency == pytest.approx(0.8)
    empty = reliability([], [])
    assert (empty.count, empty.ece, empty.bins) == (0, 0.0, ())
    with pytest.raises(ValueError):
        reliability([0.5], [True, False])


def test_pooled_above_the_floor_and_at_the_threshold() -> None:
    scores, gold, categories, thresholds = _synthetic()
    cal = calibration_summary(scores, gold, categories, thresholds)
    assert cal.floor == pytest.approx(0.1)

    # Pooled: all 970 scores; the 900 near-zero ones (gap 0.01) swamp the rest.
    pooled_gaps = 900 * 0.01 + 10 * 0.15 + 10 * 0.25 + 10 * 0.05 + 20 * 0.0 + 10 * 0.25 + 10 * 0.42
    assert cal.pooled.count == 970
    assert cal.pooled.ece == pytest.approx(pooled_gaps / 970)
    assert cal.pooled.ece == pytest.approx(expected_calibration_error(scores, gold))

    # Scores >= 0.1: the 70 that are not near zero.
    above_gaps = 10 * 0.15 + 10 * 0.25 + 10 * 0.05 + 20 * 0.0 + 10 * 0.25 + 10 * 0.42
    assert cal.above_floor.count == 70
    assert cal.above_floor.ece == pytest.approx(above_gaps / 70)
    assert cal.above_floor.ece > 5 * cal.pooled.ece  # 0.160 against 0.021

    # At or above each category's threshold: spam's 0.95 and 0.55, threat's 0.65 (not its
    # 0.45; not spam's 0.15; nothing of question, whose model is off).
    # Bins: 0.5-0.6 (spam 0.55, gap 0.25), 0.6-0.7 (threat 0.65, gap 0), 0.9-1.0 (gap 0.15).
    assert cal.at_threshold.count == 40
    assert cal.at_threshold.ece == pytest.approx((10 * 0.25 + 20 * 0.0 + 10 * 0.15) / 40)
    assert cal.at_threshold.mean_score == pytest.approx((9.5 + 5.5 + 13.0) / 40)
    assert cal.at_threshold.frequency == pytest.approx((8 + 3 + 13) / 40)
    assert [(round(b.low, 1), b.count) for b in cal.at_threshold.bins] == [(0.5, 10), (0.6, 20), (0.9, 10)]


def test_per_category_figures() -> None:
    scores, gold, categories, thresholds = _synthetic()
    cal = calibration_summary(scores, gold, categories, thresholds)
    assert list(cal.by_category) == ["spam", "threat", "question"]

    spam = cal.by_category["spam"]
    assert spam.threshold == pytest.approx(0.5)
    assert spam.above_floor.count == 30
    assert spam.above_floor.ece == pytest.approx((10 * 0.15 + 10 * 0.25 + 10 * 0.05) / 30)
    assert spam.at_threshold.count == 20
    assert spam.at_threshold.ece == pytest.approx(0.2)

    threat = cal.by_category["threat"]
    assert threat.above_floor.count == 30
    assert threat.above_floor.ece == pytest.approx(10 * 0.25 / 30)
    assert threat.at_threshold.count == 20
    assert threat.at_threshold.ece == pytest.approx(0.0)

    question = cal.by_category["question"]
    assert question.above_floor.count == 10
    assert question.above_floor.ece == pytest.approx(0.42)
    assert question.at_threshold.count == 0


def test_the_report_shows_the_figures_and_limits_say_which_way_they_lean() -> None:
    scores, gold, categories, thresholds = _synthetic()
    findings = reliability([0.95] * 20 + [0.55] * 20, [True] * 16 + [False] * 4 + [True] * 6 + [False] * 14)
    cal = calibration_summary(scores, gold, categories, thresholds, findings=findings)
    assert isinstance(cal, Calibration)
    text = render_calibration(cal)
    assert "| every comment × category, pooled | 970 |" in text
    assert f"| at or above 0.1 | 70 | {cal.above_floor.mean_score:.2f} |" in text
    assert f"| {cal.at_threshold.ece:.3f} |" in text
    assert "| `question` | off | 10 |" in text
    limits = " ".join(render_limits(cal).split())
    # The model findings average 0.75 with 0.55 labelled: over-confident, and the bins say how much.
    assert "average 0.75 where 0.55 had the label, over-confident" in limits
    # The top bin (is 0.9 nine in ten?) and the bin furthest off are quoted.
    assert (
        "Of those scored 0.9–1.0 (mean 0.95, n = 20) 0.80 had the label;"
        " of those scored 0.5–0.6 (mean 0.55, n = 20) 0.30 had the label." in limits
    )
    assert f"it is {cal.above_floor.ece:.3f}" in limits
    assert f"over the 40 model findings made {findings.ece:.3f}" in limits
    assert "No trained models were measured." in " ".join(render_limits(None).split())
