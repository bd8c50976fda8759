"""Derive ``diacritics.txt``, the Swedish words that are read back from plain letters.

Source: the Swedish "large" list of wordfreq 3.1.1 (Robyn Speer; code Apache-2.0, word
lists CC BY-SA 4.0), word frequencies from subtitles, Wikipedia, news, web text and social
media (``README.md`` here).

A word with å, ä, ö or é goes into the list when it is the most common word with its
plain spelling and at least :data:`RATIO` times as common as that spelling is as a word of
its own: "på" (pa), "försörjningsstöd", but not "bör" (bor is nearly as common), "vår"
(var), "här" (har), "äkta" (akta: "akta dig" is a warning) or "sätt" (satt: "satt inne").
A plain spelling that is a term of the text lexicons ("hora", "lat") or a name the privacy
detectors list ("Saga", "Fors") is never read back, the visitor may have meant it, unless
it is read back to a listed name ("Goran" → "Göran").  The
output is committed; nothing is built at run time.  Run ``pip install wordfreq==3.1.1`` and
``python -m classifiers.text.langdata.build_diacritics``.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from classifiers.text.diacritics import plain
from classifiers.text.lexicon import DATA_DIR, load_lexicon

OUT = Path(__file__).with_name("diacritics.txt")
#: How many times more common the Swedish spelling must be than the plain one.
RATIO = 10.0
#: The privacy detectors' name lists: a listed name typed plainly stays a name.
PII_DATA = Path(__file__).resolve().parents[2] / "pii" / "data"
NAME_LISTS = (
    "first_names.txt",
    "surnames.txt",
    "ner_first_names.txt",
    "ner_surnames.txt",
    "ambiguous_names.txt",
)
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzåäöé")

HEADER = """\
# Swedish words with å, ä, ö or é, each read back from its plain spelling ("pa" -> "på")
# in a comment typed without them (classifiers/text/diacritics.py).
# Derived by build_diacritics.py from wordfreq 3.1.1's Swedish word list
# (https://github.com/rspeer/wordfreq; Copyright 2022 Robyn Speer;
# https://doi.org/10.5281/zenodo.7199437), whose counts include Wikipedia
# (http://www.wikipedia.org), ParaCrawl (https://paracrawl.eu) and OpenSubtitles
# (http://www.opensubtitles.org/). This file is licensed CC BY-SA 4.0
# (https://creativecommons.org/licenses/by-sa/4.0/), like its source; see README.md here.
# It is a selection: a word is listed when it is the most common word with its plain
# spelling and at least ten times as common as that spelling, unless the plain spelling
# is a lexicon term, or a listed name that the word is not.
"""


def lexicon_terms() -> frozenset[str]:
    return frozenset(e.term for path in sorted(DATA_DIR.glob("*.txt")) for e in load_lexicon(path))


def listed_names() -> frozenset[str]:
    names: set[str] = set()
    for name in NAME_LISTS:
        lines = (PII_DATA / name).read_text(encoding="utf-8").splitlines()
        names.update(line.strip().casefold() for line in lines if line.strip() and not line.startswith("#"))
    return frozenset(names)


def kept_as_typed(word: str, terms: frozenset[str], names: frozenset[str]) -> bool:
    """Whether ``word``'s plain spelling stays as typed: a lexicon term, or a listed name
    that would become no name ("Fors" → "förs"; but "Goran" → "Göran" is read back)."""
    key = plain(word)
    return key in terms or (key in names and word not in names)


def build() -> list[str]:
    from wordfreq import get_frequency_dict  # a build-time tool, not a run-time dependency

    freq = get_frequency_dict("sv", "large")
    terms, names = lexicon_terms(), listed_names()
    best: dict[str, tuple[float, str]] = defaultdict(lambda: (0.0, ""))
    for word, f in freq.items():
        if plain(word) != word and set(word) <= _LETTERS:
            best[plain(word)] = max(best[plain(word)], (f, word))
    return sorted(
        word
        for key, (f, word) in best.items()
        if f >= RATIO * freq.get(key, 0.0) and not kept_as_typed(word, terms, names)
    )


def main() -> None:
    words = build()
    OUT.write_text(HEADER + "".join(f"{w}\n" for w in words), encoding="utf-8")
    print(f"{len(words)} words -> {OUT}")


if __name__ == "__main__":
    main()
