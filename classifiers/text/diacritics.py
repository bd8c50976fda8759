"""Swedish typed without å, ä and ö, read with them.

Some people write Swedish on a keyboard or a phone without å, ä and ö: "vi far
inte ga dit pa fredag", "forsorjningsstod".  The lexicons know the plain spelling
of their own terms, but the rules, the models and the privacy detectors do not:
to them "pa", "ar" and "for" are unknown words and "hora" is a slur, not "höra".
Retyped that way, the test split lost 0.03 of micro-F1 and writer f's everyday
posts flagged as abuse went from 8 to 14 of 434.

So before any detector runs, a comment with no å, ä, ö or é anywhere has each
word that is a Swedish word typed plainly replaced by its Swedish spelling.  The
replacement is letter for letter (a → å, ä; o → ö; e → é), so every offset still
points at what the visitor wrote and findings quote the comment as written.

* A plain word is read back only when the Swedish spelling is clearly the more
  common word (``langdata/diacritics.txt``, from wordfreq's Swedish list, ten times
  as common): "pa" → "på", "nar" → "när", "forsorjningsstod" →
  "försörjningsstöd"; "bor" (bor, bör), "var" (var, vår), "har" (har, här), "akta"
  ("akta dig" warns, "äkta" is genuine) and "satt" ("satt inne") stay as typed.
* A word that is itself a term of the lexicons ("hora", "lat", "loser") or a name
  the privacy detectors list ("Saga", "Fors") stays: the visitor may have meant it.
  The list is built without them (``build_diacritics.py``; a test holds it to that).
  Three of those terms are read as the verb only where the words beside them make
  it one: "att hora", "fa hora", "hora av sig" (höra); "vi loser det", "det loser
  sig" (löser); "det lat som" (lät), "lat dem vara" (låt).  Typed that way, 36
  handwritten train comments got a harassment finding for "hora", "loser" or "lat"
  that they did not have as written, and 5 with these readings; the slur stays
  where it is one ("du ar en hora", "vilken loser").
* A comment in another language (by the words as typed) stays as it is, so the
  English "for" and "an" are not made Swedish; so does one with any å, ä, ö or é,
  also typed as a letter and a combining mark.
* A word in a web or e-mail address, a handle or a hashtag stays, and so does a
  three-letter word in capitals that may begin a licence plate ("MAR 123"; but "for
  100 kr" is read "för 100 kr").
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from classifiers.text.language import detect_language
from classifiers.text.stopwords import LANGDATA

__all__ = ["SWEDISH_LETTER", "listed_words", "plain", "restore_diacritics", "warm_up"]

_PLAIN = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e"})
#: A comment with any of these was typed with the Swedish letters (or an accent typed as
#: a combining mark after its letter): it is read as written.
SWEDISH_LETTER = re.compile("[åäöéÅÄÖÉ\u0300-\u036f]")
#: A plain word, not part of an address, a handle or a hashtag ("www.for.se", "@pa", "#ar").
_PLAIN_WORD = re.compile(r"(?<![\w@#./:])[A-Za-z]+(?![\w@/:]|\.\w)")
#: A blank-separated piece of text that is a web or e-mail address or a hashtag ("Www.",
#: "kommun.se/aldreomsorg-for-alla", "#fritid-for-alla"): none of it is read back.  Tried
#: only where a piece begins: from every character of a long piece without any of these
#: marks, the engine would run to its end and back (8,000 dots, two and a half seconds).
_ADDRESS = re.compile(r"(?<!\S)\S*(?:@|://|www\.|#|\.(?:se|nu|com|org|net|eu|fi|info)\b)\S*", re.IGNORECASE)
#: What follows a plate's three capitals: a blank, two digits and a digit or letter
#: ("MAR 123", "MAR 12A"; "for 100 kr" is a price).  With no blank ("MAR123", "mar12a")
#: the letters are no word of their own and stay as they are anyway.
_PLATE_TAIL = re.compile(r" \d{2}[\dA-Za-z](?![\w-])")

#: Lexicon terms that are also a verb typed plainly: per term its readings, each the verb,
#: the words that come before the verb and not before the slur (an infinitive marker or
#: an auxiliary: "att hora", "ska fa hora", "far bara hora"; a subject: "vi loser", "det
#: lat som"), and the words that come after it ("hora av sig", "loser sig", "lat dem
#: vara").  The first reading whose neighbours match is taken.  "du" is in none: "du
#: loser" may be either.
_Reading = tuple[str, frozenset[str], frozenset[str]]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_VERB_READINGS: dict[str, tuple[_Reading, ...]] = {
    "hora": (
        (
            "höra",
            _words(
                "att fa far fick fatt kan kunde ska skall skulle vill ville vilja kommer borde "
                "maste behover brukar hinner hann orkar bara ofta aldrig alltid inte"
            ),
            _words("av om fran nar hur vad mer"),
        ),
    ),
    "loser": (
        (
            "löser",
            _words("sa vi ni jag man de dom hur"),
            _words("vi ni jag man det den sig inget ingenting allt problemet saken"),
        ),
    ),
    "lat": (
        ("lät", _words("det dar som jag vi ni han hon hen de dom"), _words("")),
        ("låt", _words(""), _words("mig dig honom henne hen oss er dem dom bli barnen")),
    ),
}
#: Words before which a lexicon term is the noun or the adjective whatever follows it
#: ("din hora om du inte slutar", "en hora mer an nagot", "vilken loser jag har", "ar lat
#: hen ocksa").
_SLUR_BEFORE = _words("en ett din ditt er vilken vilket san sadan sant ar e javla jakla lilla fula dumma")
_WORD_BEFORE = re.compile(r"(?<![A-Za-z])([A-Za-z]+) +$")
_WORD_AFTER = re.compile(r" +([A-Za-z]+)")


def plain(word: str) -> str:
    """``word`` without å, ä, ö and é (as typed on a keyboard without them)."""
    return word.translate(_PLAIN)


def listed_words(directory: Path = LANGDATA) -> list[str]:
    """The words of ``diacritics.txt`` in ``directory`` (its header left out)."""
    lines = (directory / "diacritics.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


@cache
def _swedish_spellings() -> dict[str, str]:
    """Plain spelling → Swedish spelling.  Only this table is kept (about 16 MB for
    87,011 words), not the list it is read from."""
    return {plain(word): word for word in listed_words()}


def warm_up() -> None:
    """Read the word list now, so that no comment waits for it."""
    _swedish_spellings()


def restore_diacritics(text: str) -> str:
    """``text`` with its plainly typed Swedish words spelt with å, ä, ö and é.

    Returns ``text`` itself when it has any of those letters already, when no word
    changes, or when it is written in another language.  The result has the same
    length, and each character stands where the one it replaces stood.
    """
    if SWEDISH_LETTER.search(text):
        return text
    spellings = _swedish_spellings()
    has_address = "@" in text or "/" in text or "#" in text or "." in text
    addresses = [m.span() for m in _ADDRESS.finditer(text)] if has_address else []

    def swedish(match: re.Match[str]) -> str:
        typed = match.group()
        word = spellings.get(typed.lower()) or _verb_reading(text, match)
        if word is None:
            return typed
        if len(typed) == 3 and typed.isupper() and _PLATE_TAIL.match(text, match.end()):
            return typed
        if any(a <= match.start() < b for a, b in addresses):
            return typed
        # Keep the visitor's capitals: "Ar" → "Är", "PA" → "PÅ".
        return "".join(s.upper() if t.isupper() else s for t, s in zip(typed, word, strict=True))

    restored = _PLAIN_WORD.sub(swedish, text)
    # A text that only has no Swedish word as typed ("Sokt! Haller tummarna") is read;
    # one another language's words speak for is not.
    if restored == text or detect_language(text.lower()).code not in ("sv", "other"):
        return text
    return restored


def _verb_reading(text: str, match: re.Match[str]) -> str | None:
    """The verb a plainly typed lexicon term stands for where its neighbours make it one
    (:data:`_VERB_READINGS`), else ``None``."""
    readings = _VERB_READINGS.get(match.group().lower())
    if readings is None:
        return None
    start, end = match.span()
    previous = _WORD_BEFORE.search(text, max(0, start - 20), start)
    following = _WORD_AFTER.match(text, end)
    word_before = previous.group(1).lower() if previous else ""
    if word_before in _SLUR_BEFORE:
        return None
    word_after = following.group(1).lower() if following else ""
    for verb, before, after in readings:
        if word_before in before or word_after in after:
            return verb
    return None
