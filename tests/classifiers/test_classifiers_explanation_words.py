"""What a model finding shows as its reason is a word an editor can read.

Issue 15: spans are content words, never a stopword.  A review found the ways a
span still said nothing: a masked insult ("i***t") split into its letters, which
are function words ("i", "t") or nothing, so a weaker word was shown instead; the
stopwords as typed without å, ä and ö ("ar", "nagon") in a comment with one of
those letters elsewhere (such a comment is read as typed); house numbers ("47B"),
the tail of "22:an", and single letters.  Each test gives one unit the largest
share of the logit, so the span shown is decided by the rule under test alone.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from classifiers.normalize import normalize
from classifiers.text import TextDetector
from classifiers.text.model import Contributions
from classifiers.text.stopwords import is_content_word

_UNIT = re.compile(r"\S+")
_WORD = re.compile(r"[^\W_]+")


def _spans(detector: TextDetector, text: str, strongest: str) -> list[str]:
    """The words shown when the unit ``strongest`` raised the logit most and every other
    unit a little (in order, less and less)."""
    norm = normalize(text)
    digits = re.sub(r"\d", "0", norm.text)
    units = [m.span() for m in _UNIT.finditer(digits)]
    words = tuple(
        tuple((m.group(), m.start(), m.end()) for m in _WORD.finditer(digits, a, b)) for a, b in units
    )
    logits = np.array(
        [[5.0 if norm.text[a:b] == strongest else 1.0 / (2 + i)] for i, (a, b) in enumerate(units)]
    )
    assert logits.max() == 5.0, f"{strongest!r} is not a unit of {norm.text!r}"
    doc = detector._analyse(text, norm, {})
    parts = Contributions(units=tuple(units), words=words, logits=logits)
    return [text[a:b] for a, b in detector._explaining_spans(doc, parts, 0, top=1)]


def test_a_masked_word_is_shown_whole(detector: TextDetector) -> None:
    assert _spans(detector, "Domaren i lördags var en blind i***t", "i***t") == ["i***t"]
    assert _spans(detector, "Åt h*****e med den här budgeten", "h*****e") == ["h*****e"]
    assert _spans(detector, "sprider $**t omkring sig", "$**t") == ["$**t"]


@pytest.mark.parametrize(
    ("text", "strongest", "shown"),
    [
        # Stopwords typed without å, ä and ö in a comment with one of those letters.
        ("Hej! Ar det nagon som hittat en mössa", "ar", "Hej"),
        ("Hej! Ar det nagon som hittat en mössa", "nagon", "Hej"),
        # A house number, the tail of a bus line's name and a single letter are no words.
        ("Storgatan 47B brinner nu", "47b", "Storgatan"),
        ("Chauffören på 22:an körde fort", "22:an", "Chauffören"),
        ("Chauffören på 22:ans buss körde fort", "22:ans", "Chauffören"),
        ("Kallar mig x hela tiden", "x", "Kallar"),
    ],
)
def test_no_unreadable_word_is_shown(detector: TextDetector, text: str, strongest: str, shown: str) -> None:
    assert _spans(detector, text, strongest) == [shown]


def test_content_words_typed_without_swedish_letters_stay_content() -> None:
    # "bor" (lives), "far" (father), "val" (election) are words of their own, not
    # "bör", "får" and "väl" typed plainly.
    for word in ("bor", "far", "val", "idiot", "Storgatan"):
        assert is_content_word(word)
    for word in ("ar", "pa", "nagon", "ocksa", "få", "ens", "dvs", "47b", "0c", "x"):
        assert not is_content_word(word)
