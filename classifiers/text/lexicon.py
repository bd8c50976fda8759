"""Lexicon files and one-pass lookup of all lexicons over a text's tokens.

Lexicons are plain text data files (``classifiers/text/data/*.txt``) so that
an editor or linguist can review and extend them without reading code.  Each
line is ``term | subtype``; ``stem*`` matches words beginning with the stem
(inflections and compounds: ``muslim*`` catches ``muslimjävlar``), ``*stem``
words ending with it, and several words form a phrase.

Lookup happens on *squeezed* tokens of the normalised text (every run of a
repeated letter reduced to one, see :func:`classifiers.normalize.squeeze`), so
``snäääällla``, ``jäävla`` and ``jävla`` all meet the same entry.  Entries with
å/ä/ö also get an ASCII variant (``javla``) because ``j@vla`` and plain-ASCII
keyboards give exactly that, unless the variant is an ordinary Swedish word
(``röv`` → ``rov`` is "prey").  All lexicons are merged into one index so a
text's tokens are walked once, not once per lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

from classifiers.normalize import Normalized, squeeze
from classifiers.text.diacritics import plain as plain_letters

__all__ = [
    "SQUEEZE_COLLISIONS",
    "Entry",
    "Hit",
    "LexiconIndex",
    "Marker",
    "Token",
    "default_index",
    "keeps_doubled_letters",
    "load_lexicon",
    "markers_of",
    "tokenize",
    "written_as",
]

DATA_DIR = Path(__file__).with_name("data")

_TOKEN = re.compile(r"[^\W_]+(?:[-:][^\W_]+)*")
#: ASCII variants that are ordinary words and must not inherit an entry.
_COMMON_ASCII = frozenset(
    {"rov", "rova", "hor", "kat", "kata", "ska", "sa", "bog", "fan", "stad", "vag", "vart", "man"}
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon line: ``term`` as written in the file, for explanations."""

    lexicon: str
    term: str
    subtype: str

    @property
    def feature(self) -> str:
        """The model feature that stands for any word of this lexicon and subtype (see
        :meth:`LexiconIndex.markers`)."""
        return f"__lex_{self.lexicon}_{self.subtype}__"


class Marker(NamedTuple):
    """A lexicon hit as a model feature: the feature and the hit's span in the normalised text."""

    feature: str
    start: int
    end: int


class Token(NamedTuple):
    """A word of the normalised text: its squeezed lookup key and its span.

    A named tuple rather than a frozen dataclass: tokens are made for every
    word of every comment, and tuple construction is several times cheaper.
    """

    key: str
    start: int
    end: int


class Hit(NamedTuple):
    """An entry found in a text, with the span in the *normalised* text."""

    entry: Entry
    start: int
    end: int
    first_token: int
    last_token: int


def tokenize(norm: Normalized) -> list[Token]:
    """Words of the normalised text; hyphenated compounds stay one token."""
    return tokenize_text(norm.text)


def tokenize_text(text: str) -> list[Token]:
    """Words of an already normalised text (see :func:`tokenize`)."""
    # tuple.__new__ builds the named tuple without its Python-level __new__, and
    # start()/end() avoid unpacking a span tuple: this runs for every word of
    # every comment.
    new = tuple.__new__
    return [new(Token, (squeeze(m[0]), m.start(), m.end())) for m in _TOKEN.finditer(text)]


@cache
def _doubled_stem(term: str) -> re.Pattern[str] | None:
    """For a stem entry with a doubled letter ("porr*", "grann*"), the shape a word must
    begin with: every letter at least as often as in the stem, so that stretched spellings
    ("porrrr", "graaanne") still count.  ``None`` for every other entry."""
    if not term.endswith("*") or term.startswith("*") or squeeze(term) == term:
        return None
    runs = re.findall(r"((.)\2*)", term[:-1])
    parts = []
    for run, letter in runs:
        plain = plain_letters(letter)
        cls = re.escape(letter) if plain == letter else f"[{re.escape(letter)}{re.escape(plain)}]"
        parts.append(f"{cls}{{{len(run)},}}")
    return re.compile("".join(parts))


#: Everyday words that squeeze onto a different lexicon word (lexicons compare words with
#: repeated letters squeezed, so that "idiooot" is "idiot"): "full" is not "ful", "fann"
#: not "fan", "grattis" not "gratis".  A test checks the stopwords and a list of common
#: words for any other such word.
SQUEEZE_COLLISIONS: dict[str, str] = {
    "fann": "fan",
    "full": "ful",
    "fulla": "fula",
    "grattis": "gratis",
    "kolla": "kola",
    "saa": "sa",  # "så" typed without å
}


def written_as(entry: Entry, word: str) -> bool:
    """Whether ``word`` (as written in the normalised text) is ``entry`` and not another word
    that only squeezes onto it: a known collision ("full" is not "ful"), or a stem whose
    doubled letters the word lacks ("portioner" is not "porr*")."""
    return SQUEEZE_COLLISIONS.get(word) != entry.term and keeps_doubled_letters(entry, word)


def keeps_doubled_letters(entry: Entry, word: str) -> bool:
    """Whether ``word`` (as written in the normalised text) really begins with ``entry``'s stem.

    Lookup compares squeezed forms, so the stem "porr*" (squeezed "por") would also meet
    "portioner" and "grann*" "granskning": a doubled letter of a stem must be doubled in
    the word too.
    """
    shape = _doubled_stem(entry.term)
    return shape is None or shape.match(word) is not None


def load_lexicon(path: Path) -> list[Entry]:
    """Read a lexicon file; the lexicon's name is the file's stem."""
    entries = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        term, _, subtype = (part.strip() for part in line.partition("|"))
        entries.append(Entry(path.stem, term.casefold(), subtype or path.stem))
    return entries


class LexiconIndex:
    """All lexicons in one index, looked up in a single walk over the tokens."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._exact: dict[str, list[Entry]] = {}
        self._prefix: dict[str, list[Entry]] = {}
        self._suffix: dict[str, list[Entry]] = {}
        self._phrase: dict[tuple[str, ...], list[Entry]] = {}
        for entry in entries:
            for variant in _variants(entry.term):
                self._add(variant, entry)
        self._prefix_lengths = sorted({len(k) for k in self._prefix}, reverse=True)
        self._suffix_lengths = sorted({len(k) for k in self._suffix}, reverse=True)
        # Phrases indexed by their first word, so most tokens cost one dict miss.
        self._phrase_first: dict[str, list[tuple[tuple[str, ...], list[Entry]]]] = {}
        for key, found in sorted(self._phrase.items(), key=lambda kv: (-len(kv[0]), kv[0])):
            self._phrase_first.setdefault(key[0], []).append((key, found))
        # Single-word lookups depend only on the word, and comment vocabularies
        # repeat a lot: remember the answer per word (bounded).
        self._word_cache: dict[str, tuple[Entry, ...]] = {}

    def _add(self, term: str, entry: Entry) -> None:
        words = [w for w in re.split(r"\s+", term) if w]
        if len(words) > 1:
            key = tuple(squeeze(w) for w in words)
            self._phrase.setdefault(key, []).append(entry)
        elif term.endswith("*"):
            self._prefix.setdefault(squeeze(term[:-1]), []).append(entry)
        elif term.startswith("*"):
            self._suffix.setdefault(squeeze(term[1:]), []).append(entry)
        elif len(squeeze(term)) > 1:
            # A term that squeezes to one letter ("xxx" → "x") would match every lone
            # letter in a text, which is never evidence of anything.
            self._exact.setdefault(squeeze(term), []).append(entry)

    def word_entries(self, word: str) -> list[Entry]:
        """Entries (exact, prefix or suffix) that a single word, as written, is."""
        return [e for e in self._word_entries(squeeze(word)) if written_as(e, word)]

    def _word_entries(self, key: str) -> tuple[Entry, ...]:
        cached = self._word_cache.get(key)
        if cached is not None:
            return cached
        found: list[Entry] = list(self._exact.get(key, ()))
        klen = len(key)
        for length in self._prefix_lengths:
            if length <= klen:
                found.extend(self._prefix.get(key[:length], ()))
        for length in self._suffix_lengths:
            if length <= klen:
                found.extend(self._suffix.get(key[-length:], ()))
        result = tuple(found)
        if len(self._word_cache) > 50_000:
            self._word_cache.clear()
        self._word_cache[key] = result
        return result

    def scan(self, tokens: list[Token], text: str) -> list[Hit]:
        """Every entry occurrence in ``text`` (whose tokens these are), ordered by position
        (phrases before words).  A word that only squeezes onto an entry is not it."""
        hits: list[Hit] = []
        keys = [t.key for t in tokens]
        n = len(tokens)
        phrase_first = self._phrase_first
        cached = self._word_cache.get
        for i, tok in enumerate(tokens):
            key = keys[i]
            candidates = phrase_first.get(key)
            if candidates:
                for phrase, found in candidates:
                    length = len(phrase)
                    if i + length <= n and tuple(keys[i : i + length]) == phrase:
                        last = tokens[i + length - 1]
                        hits.extend(Hit(e, tok.start, last.end, i, i + length - 1) for e in found)
            # Most words match nothing and were seen before: one dict lookup.
            entries = cached(key)
            if entries is None:
                entries = self._word_entries(key)
            if entries:
                word = text[tok.start : tok.end]
                hits.extend(Hit(e, tok.start, tok.end, i, i) for e in entries if written_as(e, word))
        return hits

    def markers(self, norm_text: str) -> list[Marker]:
        """The lexicon hits of a normalised text as model features, one per hit.

        The models see, besides the words, which lexicon and subtype each word belongs to
        ("__lex_insults_weak__"), so that what they learn from the corpus's insults carries
        over to the lexicon's other insults, ones no corpus comment used.  Training and
        inference both take them from here (the text's own spelling, not the å/ä/ö reading
        of an ASCII text), so the exported model sees what the trained one saw.
        """
        return markers_of(self.scan(tokenize_text(norm_text), norm_text))


def markers_of(hits: Iterable[Hit]) -> list[Marker]:
    """Lexicon hits as model features, in order; two entries of one lexicon and subtype at
    one word ("grann*" and "grannen") are one feature."""
    return list(dict.fromkeys(Marker(h.entry.feature, h.start, h.end) for h in hits))


@cache
def default_index() -> LexiconIndex:
    """The shipped lexicons (``data/*.txt``) in one index, built once per process."""
    return LexiconIndex(e for path in sorted(DATA_DIR.glob("*.txt")) for e in load_lexicon(path))


def _variants(term: str) -> set[str]:
    variants = {term}
    ascii_form = plain_letters(term)
    if ascii_form != term and not any(w.strip("*") in _COMMON_ASCII for w in ascii_form.split()):
        variants.add(ascii_form)
    return variants
