"""Everyday harmless posts are not flagged as abuse.

``classifiers/data/dev/everyday_benign.txt`` is a development set written by a
writer outside the corpus (writer f) for this purpose: food, sport, pets, work,
violent words in idioms ("jag dör av skratt", "sköt upp mötet"), friendly rough
talk, neutral mentions of groups.  Nothing trains on it.  The issue's external
yardstick is real positive tweets flagged as abuse at most 5 %; this set is our
own stand-in, so a model or rule change that makes the detectors jumpier on
ordinary text fails here before it reaches an account.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from classifiers import classify

DEV_SET = Path(__file__).resolve().parents[2] / "classifiers" / "data" / "dev" / "everyday_benign.txt"
ABUSE = frozenset({"hate_speech", "harassment", "threat", "incitement"})
#: The issue's target for positive real tweets; measured 3.0 % here when the set was added
#: (5.5 % before writer e's hard negatives were trained on).
MAX_FLAGGED = 0.05


@pytest.fixture(scope="module")
def posts() -> list[str]:
    lines = DEV_SET.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_the_set_is_large_enough_to_measure_five_percent(posts: list[str]) -> None:
    assert len(posts) >= 400
    assert len(set(posts)) == len(posts)


def test_everyday_posts_are_rarely_flagged_as_abuse(posts: list[str]) -> None:
    flagged = [text for text in posts if ABUSE & set(classify(text).categories)]
    assert len(flagged) / len(posts) <= MAX_FLAGGED, flagged
