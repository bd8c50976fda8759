"""Swedish function words (stopwords): never shown to an editor as the reason for a finding.

The list is ``langdata/sv.txt``, written for this project (see its header).
Words are compared in the normalised, case-folded form the detectors use.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["LANGDATA", "PLAIN_STOPWORDS_SV", "STOPWORDS_SV", "is_content_word", "load_words"]

LANGDATA = Path(__file__).with_name("langdata")


@cache
def load_words(name: str) -> frozenset[str]:
    """The words of ``langdata/<name>.txt`` (comments and blank lines skipped)."""
    text = (LANGDATA / f"{name}.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().casefold() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


STOPWORDS_SV: frozenset[str] = load_words("sv")


_PLAIN = str.maketrans("åäöé", "aaoe")

#: The stopwords as typed without å, ä and ö ("ar", "pa", "nagon": a comment with one
#: of those letters elsewhere is read as typed), less the spellings that are content
#: words of their own: "bor" lives, "far" is a father, "val" an election, "sant" true.
PLAIN_STOPWORDS_SV: frozenset[str] = frozenset(w.translate(_PLAIN) for w in STOPWORDS_SV) - {
    "bor",
    "far",
    "val",
    "sant",
}


def is_content_word(word: str) -> bool:
    """A word an editor can read as a reason: two letters or more, no digit (a house
    number, "47B", or a price is no word), and no Swedish function word, as written or
    typed without å, ä and ö."""
    folded = word.casefold()
    return (
        len(folded) > 1
        and folded not in STOPWORDS_SV
        and folded not in PLAIN_STOPWORDS_SV
        and any(c.isalpha() for c in folded)
        and not any(c.isdigit() for c in folded)
    )
