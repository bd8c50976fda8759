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
:data:`MIN_EVIDENCE` marker words and clearly more than Swedish, or the text has
:data:`MIN_WORDS_WITHOUT_SWEDISH` words and not one Swedish word (Norwegian,
German, a Finnish threat of words no list has: somebody must read it).
Short texts ("Tack!", "ok 👍") and mixed Swedish/English ("Seriously, varför
är det så svårt?") are therefore Swedish.  Web and e-mail addresses are no
evidence.  Meänkieli is told from Finnish by its own pronouns
(``mie``, ``sie``, ``met``, ``meän``); words colloquial Finnish shares
(``ette``, ``ko``, ``oon``) are not on its list.  A text taken for another
language may still have Swedish sentences: :func:`swedish_parts` finds
them, and the detectors read those.  No
installed package was used: the candidates either download models at run
time, ship no meänkieli, or cost far more per comment than this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from classifiers.text.stopwords import STOPWORDS_SV, load_words

__all__ = [
    "LANGUAGE_NAMES_SV",
    "MIN_EVIDENCE",
    "OTHER_MARKERS",
    "Language",
    "detect_language",
    "swedish_parts",
]

#: Swedish names, for explanations ("Texten verkar vara skriven på finska").
LANGUAGE_NAMES_SV = {
    "sv": "svenska",
    "en": "engelska",
    "fi": "finska",
    "fit": "meänkieli",
    "ar": "arabiska",
    "other_script": "ett språk med annan skrift än latinsk",
    "other": "ett annat språk än svenska",
}

#: Marker words another language needs before a text is taken out of Swedish.
MIN_EVIDENCE = 2

#: Words a text needs before having no Swedish word at all takes it out of Swedish:
#: "Tapan sinut huomenna", "Jeg skal drepe deg" and "Ich werde dich töten" have no marker
#: words the lists know, and passing them as Swedish would pass them unread.
MIN_WORDS_WITHOUT_SWEDISH = 3

#: Fewest Swedish words a sentence of a text in another language needs to be assessed on
#: its own: "Jag ska döda dig, Sven." padded with English is still read.
MIN_SWEDISH_IN_PART = 2

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_FOLD = re.compile(r"aa|ae|oe")
_FOLD_MAP = {"aa": "å", "ae": "ä", "oe": "ö"}
_DOUBLE_VOWEL = re.compile(r"(aa|ee|ii|oo|uu|yy|ää|öö)")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile(r"[a-zA-ZÀ-ɏ]")
_LETTER = re.compile(r"[^\W\d_]")
#: A letter outside the Latin ranges (ASCII, Latin-1, Latin Extended A/B).
_NON_LATIN_LETTER = re.compile(r"[^\W\d_a-zA-ZÀ-ɏ]")
#: Web and e-mail addresses: a link's slug ("bit.ly/this-is-the-one-for-you") is no
#: evidence of the language its comment is written in.
_ADDRESS = re.compile(
    r"\S*(?:://|www\.|@)\S*|\S*[^\W_]\.(?:se|nu|com|org|net|eu|fi|io|info|biz|shop|xyz|ly|example)\b\S*"
)
#: A word and the blanks after it: a part of a text ends at a sentence mark or a line break.
_CHUNK_GAP = re.compile(r"(\S+)(\s*)")
_SENTENCE_END = (".", "!", "?", "…")

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


@lru_cache(maxsize=65_536)
def _chunk_is_swedish(chunk: str) -> bool:
    """Whether ``chunk`` holds a Swedish function word or a word with å."""
    return any(w in STOPWORDS_SV or "å" in w for w in _WORD.findall(chunk))


def _without_addresses(text: str) -> str:
    """``text`` with its web and e-mail addresses blanked (same length)."""
    if "." not in text and "@" not in text:
        return text
    return _ADDRESS.sub(lambda m: " " * len(m.group()), text)


@dataclass(slots=True)
class _Tally:
    """Swedish words, other languages' evidence (as spans) and all words of a text."""

    swedish: int
    found: dict[str, list[tuple[int, int]]]
    words: list[tuple[int, int]]

    def best(self) -> tuple[str, list[tuple[int, int]]]:
        return max(self.found.items(), key=lambda kv: len(kv[1]))


def _tally(text: str, swedish_words: frozenset[str]) -> _Tally:
    sv = 0
    found: dict[str, list[tuple[int, int]]] = {"en": [], "fi": [], "fit": []}
    words: list[tuple[int, int]] = []
    for m in _WORD.finditer(text):
        word = m.group()
        words.append(m.span())
        if len(word) == 1:
            # "i" is the commonest Swedish word and English's "I": evidence of neither.
            continue
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
    return _Tally(sv, found, words)


def detect_language(text: str, swedish_words: frozenset[str] = frozenset()) -> Language:
    """Swedish unless the text clearly is something else.

    ``text`` is the normalised (case-folded) text; ``swedish_words`` are more
    Swedish words than the stopwords (``TextDetector`` passes the models'
    word vocabulary less the other languages' marker words), so that mixed
    Swedish/English keeps its Swedish side.  Given them, a text of a few
    words or more with no Swedish word at all is not Swedish either, whatever
    it is (code ``other`` when no listed language has the evidence).
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
    text = _without_addresses(text)
    # The common case, a Swedish comment, is decided by counting: evidence for
    # another language is a marker word or a word with a doubled vowel, so with
    # fewer such words than MIN_EVIDENCE no language can win, and a Swedish
    # function word shows the text is not wordless Swedish-free text either.
    # Counted per blank-separated chunk (no word crosses a blank), remembered
    # per chunk as comments repeat their words; a doubled vowel is looked for
    # by plain substring search first, as Swedish seldom has one.
    chunks = text.split()
    markers = sum(map(_chunk_markers, chunks))  # occurrences, not distinct words
    if (
        markers < MIN_EVIDENCE
        and (
            not any(pair in text for pair in _DOUBLE_VOWELS)
            or markers + len(_DOUBLE_VOWEL.findall(text)) < MIN_EVIDENCE
        )
        and (
            not swedish_words
            or len(chunks) < MIN_WORDS_WITHOUT_SWEDISH
            or any(map(_chunk_is_swedish, chunks))
        )
    ):
        return _SWEDISH
    tally = _tally(text, swedish_words)
    code, spans = tally.best()
    if len(spans) >= MIN_EVIDENCE and len(spans) >= 2 * tally.swedish + 1:
        return Language(code, tuple(spans[:3]))
    # Distinct words: "tjena tjena tjena tjena" is one word said four times.  Without a
    # vocabulary (a detector with no model, as training's rules-only one) only the
    # stopwords know Swedish, and "skär sönder däcken" has none: no word proves nothing.
    distinct = len({text[a:b] for a, b in tally.words})
    if swedish_words and tally.swedish == 0 and distinct >= MIN_WORDS_WITHOUT_SWEDISH:
        return Language("other", tuple(tally.words[:3]))
    return _SWEDISH


def swedish_parts(text: str, swedish_words: frozenset[str] = frozenset()) -> tuple[tuple[int, int], ...]:
    """The sentences of ``text`` (normalised, taken for another language) written in Swedish.

    A comment is one language or another only as a whole; "Jag ska döda dig, Sven. This
    is what I think about the new road …" is mostly English and has a Swedish threat in
    it.  A part ends at a sentence mark or a line break, and a word in another script
    is never in one; a part counts when it has :data:`MIN_SWEDISH_IN_PART` Swedish words
    and more of them than any other language's evidence.  ``(start, end)`` in ``text``.
    """
    parts: list[tuple[int, int]] = []
    start: int | None = None
    end = 0

    def close() -> None:
        nonlocal start
        if start is not None:
            tally = _tally(_without_addresses(text[start:end]), swedish_words)
            if tally.swedish >= MIN_SWEDISH_IN_PART and tally.swedish > len(tally.best()[1]):
                parts.append((start, end))
        start = None

    for m in _CHUNK_GAP.finditer(text):
        chunk, gap = m.group(1), m.group(2)
        if _NON_LATIN_LETTER.search(chunk):
            close()
            continue
        if start is None:
            start = m.start()
        end = m.end(1)
        if chunk.endswith(_SENTENCE_END) or "\n" in gap:
            close()
    close()
    return tuple(parts)
