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

import pytest

from classifiers.evaluate import everyday_posts, flagged_as_abuse

#: The issue's target for positive real tweets; measured 3.0 % here when the set was added
#: (5.5 % before writer e's hard negatives were trained on).  ``python -m
#: classifiers.evaluate`` prints today's share and writes it into REPORT.md.
MAX_FLAGGED = 0.05


@pytest.fixture(scope="module")
def posts() -> list[str]:
    return everyday_posts()


def test_the_set_is_large_enough_to_measure_five_percent(posts: list[str]) -> None:
    assert len(posts) >= 400
    assert len(set(posts)) == len(posts)


def test_everyday_posts_are_rarely_flagged_as_abuse(posts: list[str]) -> None:
    flagged = flagged_as_abuse(posts)
    assert len(flagged) / len(posts) <= MAX_FLAGGED, flagged
