"""Swedish function words (stopwords): never shown to an editor as the reason for a finding.

The list is ``langdata/sv.txt``, written for this project (see its header).
Words are compared in the normalised, case-folded form the detectors use.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["LANGDATA", "STOPWORDS_SV", "is_content_word", "load_words"]

LANGDATA = Path(__file__).with_name("langdata")


@cache
def load_words(name: str) -> frozenset[str]:
    """The words of ``langdata/<name>.txt`` (comments and blank lines skipped)."""
    text = (LANGDATA / f"{name}.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().casefold() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


STOPWORDS_SV: frozenset[str] = load_words("sv")


def is_content_word(word: str) -> bool:
    """A word with at least one letter that is not a Swedish function word."""
    return word.casefold() not in STOPWORDS_SV and any(c.isalpha() for c in word)
