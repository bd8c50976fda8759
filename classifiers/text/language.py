"""Which language a comment is written in: Swedish, or which other one (offline, no model files).

The text detectors (lexicons, rules and models) only know Swedish.  A comment in
Finnish, meänkieli, English or Arabic would pass them unflagged, which says
nothing about it; so ``TextDetector`` marks such a comment as *not assessed*
(in Swedish, for the editor) and runs only the language-independent detectors
on it (the privacy detectors of ``classifiers.pii`` run as always).

The method is deliberately simple and fast (a set lookup per word):

* **script**: when most letters are Arabic (or another non-Latin script) the
  text is not Swedish;
* **marker words**: per language a list of function words and everyday
  comment words (``langdata/*.txt``, written for the project: Swedish
  stopwords, English, Finnish and meänkieli words that are not also Swedish);
  Finnish also counts words with a doubled vowel (``avataan``, ``pyörää``),
  which Swedish hardly has; Swedish counts words with ``å``.

A text is assessed as Swedish unless another language has at least
:data:`MIN_EVIDENCE` marker words and clearly more than Swedish.  Short
texts ("Tack!", "ok 👍") and mixed Swedish/English ("Seriously, varför är det
så svårt?") are therefore Swedish: too little evidence is never enough to
skip the Swedish detectors.  Meänkieli is told from Finnish by its own
pronouns and forms (``mie``, ``sie``, ``met``, ``ko``, ``ette``).  No
installed package was used: the candidates either download models at run
time, ship no meänkieli, or cost far more per comment than this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from classifiers.text.stopwords import STOPWORDS_SV, load_words

__all__ = ["LANGUAGE_NAMES_SV", "MIN_EVIDENCE", "OTHER_MARKERS", "Language", "detect_language"]

#: Swedish names, for explanations ("Texten verkar vara skriven på finska").
LANGUAGE_NAMES_SV = {
    "sv": "svenska",
    "en": "engelska",
    "fi": "finska",
    "fit": "meänkieli",
    "ar": "arabiska",
    "other_script": "ett språk med annan skrift än latinsk",
}

#: Marker words another language needs before a text is taken out of Swedish.
MIN_EVIDENCE = 2

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_FOLD = re.compile(r"aa|ae|oe")
_FOLD_MAP = {"aa": "å", "ae": "ä", "oe": "ö"}
_DOUBLE_VOWEL = re.compile(r"(aa|ee|ii|oo|uu|yy|ää|öö)")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile(r"[a-zA-ZÀ-ɏ]")
_LETTER = re.compile(r"[^\W\d_]")
#: A letter outside the Latin ranges (ASCII, Latin-1, Latin Extended A/B).
_NON_LATIN_LETTER = re.compile(r"[^\W\d_a-zA-ZÀ-ɏ]")

_EN = load_words("en")
_FI = load_words("fi")
_FIT = load_words("fit")
#: Every other language's marker words (kept out of the Swedish word set).
OTHER_MARKERS: frozenset[str] = _EN | _FI | _FIT


@dataclass(frozen=True, slots=True)
class Language:
    """The decision and the words (or script) it rests on, as ``(start, end)`` of the given text."""

    code: str
    evidence: tuple[tuple[int, int], ...]

    @property
    def is_swedish(self) -> bool:
        return self.code == "sv"

    @property
    def name_sv(self) -> str:
        return LANGUAGE_NAMES_SV[self.code]


_SWEDISH = Language("sv", ())
_DOUBLE_VOWELS = ("aa", "ee", "ii", "oo", "uu", "yy", "ää", "öö")


@lru_cache(maxsize=65_536)
def _chunk_markers(chunk: str) -> int:
    """How many other-language marker words ``chunk`` holds."""
    return sum(map(OTHER_MARKERS.__contains__, _WORD.findall(chunk)))


def detect_language(text: str, swedish_words: frozenset[str] = frozenset()) -> Language:
    """Swedish unless the text clearly is something else.

    ``text`` is the normalised (case-folded) text; ``swedish_words`` are more
    Swedish words than the stopwords (``TextDetector`` passes the models'
    word vocabulary less the other languages' marker words), so that mixed
    Swedish/English keeps its Swedish side.
    """
    if _NON_LATIN_LETTER.search(text):
        letters = len(_LETTER.findall(text))
        latin = len(_LATIN.findall(text))
        if latin * 2 < letters:
            arabic = [m.span() for m in _ARABIC.finditer(text)]
            code = "ar" if len(arabic) * 2 >= letters else "other_script"
            runs = [
                m.span()
                for m in re.finditer(r"\S+", text)
                if any(ch.isalpha() and not _LATIN.match(ch) for ch in m.group())
            ]
            return Language(code, tuple(runs[:3]))
    # The common case, a Swedish comment, is decided by counting: evidence for
    # another language is a marker word or a word with a doubled vowel, so with
    # fewer such words than MIN_EVIDENCE no language can win.
    # Counted per blank-separated chunk (no word crosses a blank), remembered
    # per chunk as comments repeat their words; a doubled vowel is looked for
    # by plain substring search first, as Swedish seldom has one.
    markers = sum(map(_chunk_markers, text.split()))  # occurrences, not distinct words
    if markers < MIN_EVIDENCE and (
        not any(pair in text for pair in _DOUBLE_VOWELS)
        or markers + len(_DOUBLE_VOWEL.findall(text)) < MIN_EVIDENCE
    ):
        return _SWEDISH
    sv = 0
    found: dict[str, list[tuple[int, int]]] = {"en": [], "fi": [], "fit": []}
    for m in _WORD.finditer(text):
        word = m.group()
        if word in STOPWORDS_SV or word in swedish_words or "å" in word:
            sv += 1
            continue
        if "aa" in word or "ae" in word or "oe" in word:
            # Swedish typed without å/ä/ö ("fraan", "faar") is Swedish, not Finnish.
            folded = _FOLD.sub(lambda f: _FOLD_MAP[f.group()], word)
            if folded in STOPWORDS_SV or folded in swedish_words:
                sv += 1
                continue
        if word in _EN:
            found["en"].append(m.span())
        if word in _FIT:
            found["fit"].append(m.span())
        if word in _FI or (len(word) > 3 and _DOUBLE_VOWEL.search(word)):
            found["fi"].append(m.span())
    # Meänkieli shares most words with Finnish: the Finnish evidence counts for it too.
    if found["fit"]:
        found["fit"] = sorted(set(found["fit"]) | set(found["fi"]))
        found["fi"] = []
    code, spans = max(found.items(), key=lambda kv: len(kv[1]))
    if len(spans) >= MIN_EVIDENCE and len(spans) >= 2 * sv + 1:
        return Language(code, tuple(spans[:3]))
    return _SWEDISH
