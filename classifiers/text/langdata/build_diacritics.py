"""Derive ``diacritics.txt``, the Swedish words that are read back from plain letters.

Source: the Swedish "large" list of wordfreq 3.1.1 (Robyn Speer; code Apache-2.0, word
lists CC BY-SA 4.0), word frequencies from subtitles, Wikipedia, news, web text and social
media.  None of the project's evaluation sets is one of its sources (``README.md`` here).

A word with å, ä, ö or é goes into the list when it is at least :data:`RATIO` times as
common as its plain spelling is as a word of its own, and the most common of the words
with that plain spelling: "på" (pa), "försörjningsstöd", but not "bör" (bor is nearly as
common), "vår" (var) or "här" (har).  The output is committed; nothing is built at run
time.  Run ``pip install wordfreq==3.1.1`` and ``python -m classifiers.text.langdata.build_diacritics``.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from classifiers.text.diacritics import plain

OUT = Path(__file__).with_name("diacritics.txt")
#: How many times more common the Swedish spelling must be than the plain one.
RATIO = 3.0
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzåäöé")

HEADER = """\
# Swedish words with å, ä, ö or é, each read back from its plain spelling ("pa" -> "på")
# in a comment typed without them (classifiers/text/diacritics.py).
# Derived by build_diacritics.py from wordfreq 3.1.1's Swedish word list
# (https://github.com/rspeer/wordfreq, Robyn Speer; https://doi.org/10.5281/zenodo.7199437),
# whose counts include OpenSubtitles (http://www.opensubtitles.org/). This file is
# licensed CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/), like its
# source; see README.md here. It is a selection: a word is listed when it is at least
# three times as common as its plain spelling, and the most common word with that spelling.
"""


def build() -> list[str]:
    from wordfreq import get_frequency_dict  # a build-time tool, not a run-time dependency

    freq = get_frequency_dict("sv", "large")
    best: dict[str, tuple[float, str]] = defaultdict(lambda: (0.0, ""))
    for word, f in freq.items():
        if plain(word) != word and set(word) <= _LETTERS:
            best[plain(word)] = max(best[plain(word)], (f, word))
    return sorted(word for key, (f, word) in best.items() if f >= RATIO * freq.get(key, 0.0))


def main() -> None:
    words = build()
    OUT.write_text(HEADER + "".join(f"{w}\n" for w in words), encoding="utf-8")
    print(f"{len(words)} words -> {OUT}")


if __name__ == "__main__":
    main()
