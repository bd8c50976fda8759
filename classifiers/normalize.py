"""Swedish text normalisation that remembers where every character came from.

People who want a word past a filter write ``j@vla``, ``i d i o t``,
``snäääällla``, ``id\u200biot`` or use full-width letters.  Detectors match
lexicons and rules on a normalised form so that such spellings are caught,
but an editor must be shown the words *as the visitor wrote them*.  So the
normaliser never produces a bare string: it produces a :class:`Normalized`
that keeps, for every character of the normalised text, the half-open range
of the original text it was made from.  ``to_original`` turns any span of
the normalised text into a span of the original, which is what findings
carry.

The steps, in order (each keeps the offset map):

1. Unicode NFKC per grapheme (a base character with its combining marks), so
   compatibility forms (full-width, ligatures, superscripts) and decomposed
   ``a`` + diaeresis become ordinary letters.
2. Zero-width, soft-hyphen and bidirectional control characters are dropped.
3. Case folding.
4. Spaced-out words are joined: a run of at least three single letters
   separated by spaces, dots, dashes, underscores or asterisks
   (``i d i o t``, ``h.o.r.a``).  Three, because Swedish has one-letter words
   (``i``, ``å``, ``ö``) that legitimately stand next to each other in pairs.
5. Leetspeak and symbol substitution (``@``→a, ``0``→o, ``1``→i, ``3``→e,
   ``4``→a, ``5``/``$``→s, ``7``→t, ``€``→e, ``!``/``|``→i/l) inside words
   that contain letters, so that prices, dates and phone numbers stay as
   they are.
6. Runs of three or more identical letters collapse to one letter
   (``jäääävla``→``jävla``).  Doubled letters are kept because Swedish uses
   them; lexicon lookup additionally compares "squeezed" forms (see
   :func:`squeeze`), which also catches ``snäääällla``.

``Normalized.folded()`` gives the alternative spelling used when å, ä and ö
are typed as ``aa``, ``ae`` and ``oe`` (``jaevla``); detectors look words up
in both forms.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Normalized", "normalize", "squeeze"]

#: Characters that are invisible or reorder text and are used to split words
#: past filters: zero-width space/joiners, word joiner, BOM, soft hyphen,
#: Mongolian vowel separator and every bidi embedding/override/isolate.
_DROP = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u206a\u206b\u206c\u206d\u206e\u206f\u3164\ufeff\uffa0"
)

#: Substitutions that are only applied inside a word that has letters.
_LEET_DIGITS = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"}
_LEET_SYMBOLS = {"@": "a", "$": "s", "€": "e", "!": "i", "|": "l"}

#: Characters that NFKC and case folding may change in length or form; all
#: others (ASCII, Latin-1 letters except ß) map one to one through lower().
_UNSAFE = re.compile(r"[^\x00-\x7f\xc0-\xd6\xd8-\xde\xe0-\xf6\xf8-\xff]")
_SPACED = re.compile(r"(?<![\w@$])[\w@$](?:[ .\-_*·]+[\w@$]){2,}(?![\w@$])")
_SPACED_UNIT = re.compile(r"[\w@$]")
# The last two units of every spaced-out word: a pattern that starts with a
# character class lets the engine skip ahead, and rules out most comments.
_SPACED_END = re.compile(r"[ .\-_*·][\w@$][ .\-_*·]+[\w@$](?![\w@$])")
# A "word" for leetspeak purposes: letters, digits and the leet symbols, with at
# least one digit or symbol in it (plain words never reach the Python callback).
_LEET_WORD = re.compile(r"(?<![\w@$€!|])[\w@$€!|]*[\d@$€!|][\w@$€!|]*")
_NUMBER_WITH_UNIT = re.compile(r"\d+[^\W\d_]{1,4}|[^\W\d_]{1,4}\d+|.*\d{3,}.*")
_REPEAT = re.compile(r"([^\W\d_])\1{2,}")
_FOLD = re.compile(r"aa|ae|oe")
_FOLD_MAP = {"aa": "å", "ae": "ä", "oe": "ö"}
_SQUEEZE = re.compile(r"(.)\1+")


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalised text with a map back to the original.

    ``starts[i]``/``ends[i]`` is the half-open range of ``original`` that the
    normalised character ``text[i]`` was produced from.  Several normalised
    characters may share a range (``ß`` → ``ss``) and one normalised
    character may stand for several original ones (a collapsed repetition).
    """

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalised span ``[start, end)`` to a span of the original.

        The result covers every original character that contributed to the
        normalised characters in the span, so slicing the original with it
        shows exactly what the visitor wrote (obfuscation included).
        """
        n = len(self.text)
        start = max(0, min(start, n))
        end = max(start, min(end, n))
        if start == end:
            pos = self.starts[start] if start < n else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    def folded(self) -> Normalized:
        """The ``aa/ae/oe`` → ``å/ä/ö`` reading, for lexicon lookup only."""
        if not _FOLD.search(self.text):
            return self
        return _rewrite(self, _FOLD, lambda m: _FOLD_MAP[m.group()])


def _rewrite(norm: Normalized, pattern: re.Pattern[str], repl: object) -> Normalized:
    """Replace every match of ``pattern``; each new character maps to the whole match.

    ``repl`` is a function of the match returning the replacement string.
    One-to-one replacements (same length) keep per-character offsets.
    """
    text = norm.text
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for m in pattern.finditer(text):
        a, b = m.span()
        new = repl(m)  # type: ignore[operator]
        if new is None:
            continue
        out.append(text[pos:a])
        starts.extend(norm.starts[pos:a])
        ends.extend(norm.ends[pos:a])
        if len(new) == b - a:
            out.append(new)
            starts.extend(norm.starts[a:b])
            ends.extend(norm.ends[a:b])
        else:
            s, e = norm.starts[a], norm.ends[b - 1]
            out.append(new)
            starts.extend([s] * len(new))
            ends.extend([e] * len(new))
        pos = b
    if pos == 0 and not out:
        return norm
    out.append(text[pos:])
    starts.extend(norm.starts[pos:])
    ends.extend(norm.ends[pos:])
    return Normalized(norm.original, "".join(out), tuple(starts), tuple(ends))


def _unicode_step(text: str) -> Normalized:
    """NFKC per grapheme, drop invisible controls, case-fold.

    Runs of "safe" characters (ASCII and the Latin-1 letters, which NFKC
    leaves alone and which lower-case to one character) are folded in bulk;
    only the other characters (emoji, full-width forms, combining marks,
    controls, ``ß``) go through the per-grapheme path.
    """
    n = len(text)
    if _UNSAFE.search(text) is None:
        return Normalized(text, text.lower(), tuple(range(n)), tuple(range(1, n + 1)))
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    while pos < n:
        m = _UNSAFE.search(text, pos)
        j = m.start() if m else n
        if m and j > pos and unicodedata.combining(text[j]):
            j -= 1  # the base character belongs to the combining sequence
        if j > pos:
            out.append(text[pos:j].lower())
            starts.extend(range(pos, j))
            ends.extend(range(pos + 1, j + 1))
        if not m:
            break
        k = j + 1
        while k < n and unicodedata.combining(text[k]):
            k += 1
        cluster = text[j:k]
        pos = k
        if cluster in _DROP:
            continue
        new = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", cluster).casefold())
        for c in new:
            if c in _DROP:
                continue
            out.append(c)
            starts.append(j)
            ends.append(k)
    return Normalized(text, "".join(out), tuple(starts), tuple(ends))


def _join_spaced(m: re.Match[str]) -> str | None:
    units = _SPACED_UNIT.findall(m.group())
    if sum(u.isalpha() for u in units) < 3:
        return None  # "1 2 3", "a 1 2": numbers, not a spaced-out word
    return "".join(units)


def _leet(m: re.Match[str]) -> str | None:
    word = m.group()
    if word.isalpha():
        return None
    letters = sum(c.isalpha() for c in word)
    if letters < 2:
        return None
    if _NUMBER_WITH_UNIT.fullmatch(word):
        return None  # "100kr", "3st", "kl18", "e45": a number with a unit, not a disguised word
    chars = list(word)
    changed = False
    last = len(word) - 1
    for k, c in enumerate(word):
        if c in _LEET_DIGITS:
            chars[k] = _LEET_DIGITS[c]
            changed = True
        elif c in _LEET_SYMBOLS:
            # A symbol counts as a letter only inside a word ("j@vla", "$kit"),
            # never as trailing punctuation ("idiot!") or a handle ("@anna").
            # A run of the same symbol ("j@@@vla") counts as one.
            a = k
            while a > 0 and word[a - 1] == c:
                a -= 1
            b = k
            while b < last and word[b + 1] == c:
                b += 1
            before = a > 0 and word[a - 1].isalnum()
            after = b < last and word[b + 1].isalnum()
            if (before and after) or (c == "$" and a == 0 and after):
                chars[k] = _LEET_SYMBOLS[c]
                changed = True
    return "".join(chars) if changed else None


def _leet_word_filter(m: re.Match[str]) -> str | None:
    # Replacement must keep the length so offsets stay one to one.
    new = _leet(m)
    return new if new is not None and len(new) == len(m.group()) else None


def normalize(text: str) -> Normalized:
    """Normalise ``text`` for matching; see the module docstring for the steps."""
    norm = _unicode_step(text)
    if _SPACED_END.search(norm.text) and _SPACED.search(norm.text):
        norm = _rewrite(norm, _SPACED, _join_spaced)
    # Leetspeak and repeated letters never cross a blank, so they are looked
    # for per blank-separated chunk, and chunks repeat from comment to comment.
    chunks = norm.text.split()
    if any(map(_chunk_has_leet, chunks)):
        norm = _rewrite(norm, _LEET_WORD, _leet_word_filter)
        chunks = norm.text.split()
    if any(map(_chunk_has_repeat, chunks)):
        norm = _rewrite(norm, _REPEAT, lambda m: m.group(1))
    return norm


@lru_cache(maxsize=65_536)
def _chunk_has_leet(chunk: str) -> bool:
    """Whether the leetspeak step changes anything in ``chunk``."""
    return any(_leet_word_filter(m) is not None for m in _LEET_WORD.finditer(chunk))


@lru_cache(maxsize=65_536)
def _chunk_has_repeat(chunk: str) -> bool:
    return _REPEAT.search(chunk) is not None


@lru_cache(maxsize=65_536)
def squeeze(word: str) -> str:
    """Collapse every run of a repeated character to one (``snälla`` → ``snäla``).

    Lexicon entries and text tokens are compared in this form so that
    stretched spellings match whatever the doubled letters were.
    """
    return _SQUEEZE.sub(r"\1", word)
