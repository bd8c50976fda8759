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

from classifiers import classify
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


#: Short reactions that no corpus comment is close to: in two or three words one function word
#: used to carry the text ("jag" is common in first-person spam), and the models fitted
#: on longer comments called them spam or a threat until writer zzy's short comments
#: were trained on.
SHORT_REACTIONS = [
    "Jag hatar måndagar.",
    "Jag hatar regn.",
    "Jag hatar köer.",
    "Hatar regn.",
    "Jag hatar vintern.",
]


@pytest.mark.parametrize("text", SHORT_REACTIONS)
def test_a_short_reaction_is_no_finding(text: str) -> None:
    assert classify(text).findings == ()


@pytest.mark.parametrize(
    ("text", "category"),
    [("Idiot!", "harassment"), ("Rösta SD!", "party_political"), ("Du ska dö.", "threat")],
)
def test_short_comments_that_need_a_label_still_get_one(text: str, category: str) -> None:
    assert category in {f.category for f in classify(text).findings}
