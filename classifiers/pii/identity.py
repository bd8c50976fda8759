"""Swedish personal identity numbers (personnummer) and co-ordination numbers.

presidio's own ``SePersonnummerRecognizer`` misses the ``YYMMDD NNNN`` form, finds
10-digit substrings inside card numbers, IBANs and ``+46…`` phone numbers, and accepts
impossible dates (30 February, 31 April, serial 000).  A false personnummer in a
municipal moderation queue costs an editor's time and trust, a missed one leaves a
citizen's identity number on a public page, so this module checks every candidate the
way Skatteverket builds the number: a real calendar date (leap years included), a
serial other than ``000`` and a Luhn check digit over the 10-digit form.

The validation is plain Python so that a test can run it over all 43,000 published
test numbers in well under a second, without presidio in between.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

#: The oldest birth year accepted for a 12-digit number.  Nobody born before 1850 is
#: alive, so an older "year" is almost certainly another kind of number.
EARLIEST_BIRTH_YEAR = 1850

#: Candidate pattern shared by the raw finder and the presidio recognizer.  The
#: look-arounds keep it out of longer digit runs and out of strings that merely
#: contain ten digits: ``+46702820199``, ``SE35…`` IBANs, ``4571 234567 89012``,
#: order numbers glued to letters, decimals and dates like ``2019-05-21-1234``.
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2212"
#: A word that names the number may be glued to it ("Pnr121212-1212", "pnr-121212-1212").
_GLUED_CUES = "".join(
    rf"|(?<={cue})|(?<={cue}[-_])" for cue in ("(?i:pnr)", "(?i:personnr)", "(?i:personnummer)")
)
PATTERN = (
    rf"(?:(?<![\w+{_DASHES}/])"  # not glued to a word, a '+', a dash or a slash
    r"|(?<=[^\W\d_]/)"  # but a path segment ("kund/121212-1212") is a place people paste numbers
    rf"|(?<=[+{_DASHES}]\d{{4}}/)"  # and so is a list ("121212-1212/201212-1212")
    rf"{_GLUED_CUES})"
    # Written with a dash or a plus (spaces around it allowed), the number stands on its
    # own even after other digits ("Lgh 1102 121212-1212") ...
    rf"(?:(?P<date_dash>(?:18|19|20)?\d{{6}})(?P<sep_dash>[ \u00a0]?[{_DASHES}+][ \u00a0]?)"
    # ... without one it may be the tail of a digit group ("12 811218 9876", "3.811218").
    r"|(?<!\d[.,:\u00a0 ])(?P<date>(?:18|19|20)?\d{6})(?P<sep>[ \u00a0]?))"
    r"(?P<serial>\d{4})"
    rf"(?![\w{_DASHES[2:]}])"  # not followed by more digits or letters
    rf"(?![{_DASHES}+.:]\d)"  # nor by another digit group ("…-9876-12", "…9876.5")
    r"(?![,/]\d(?!\d{5}))"  # a comma or slash only before another long number
)

_CANDIDATE_RE = re.compile(PATTERN)


@dataclass(frozen=True, slots=True)
class IdentityNumber:
    """A validated number.

    ``kind`` is ``"personnummer"`` or ``"samordningsnummer"`` (the day of month has
    60 added).  ``birth_year`` is the century-resolved year the number encodes; the
    full date is deliberately not kept, so that nothing downstream can echo it.
    """

    kind: str
    birth_year: int
    separator: str
    twelve_digits: bool


@dataclass(frozen=True, slots=True)
class IdentityMatch:
    start: int
    end: int
    text: str
    number: IdentityNumber


def luhn_valid(digits: str) -> bool:
    """Luhn (mod 10) over a string of digits, the check Skatteverket uses."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _ascii_digits(digits: str) -> str:
    return digits if digits.isascii() else "".join(str(unicodedata.decimal(c)) for c in digits)


def _earliest_date(year: int, month: int, day: int, coordination: bool) -> date | None:
    """The earliest calendar date the number can stand for, or ``None`` if impossible.

    A personnummer must be a real date.  Skatteverket issues samordningsnummer with
    ``00`` for an unknown month or day and, judging by its own published test numbers
    (e.g. day 91 in April, 30 February), without checking the length of the month,
    so those only need a month 00-12 and a day 00-31.
    """
    if coordination:
        if not (0 <= month <= 12 and 0 <= day <= 31):
            return None
        month = max(month, 1)
        return date(year, month, min(max(day, 1), calendar.monthrange(year, month)[1]))
    if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
        return date(year, month, day)
    return None


def _candidate_years(two_digit_year: int, separator: str, reference: date) -> list[int]:
    """The birth years a 10-digit number may stand for, most recent first.

    Skatteverket writes ``-`` for people under 100 and ``+`` from the year they turn
    100.  Many people do not know the ``+`` rule and write ``-`` for a centenarian, so
    for the ``-``, space and no-separator forms the century before is accepted as a
    second reading: for a detector a missed number is worse than a generous reading.
    """
    latest = reference.year - (reference.year - two_digit_year) % 100
    if separator == "+":
        return [latest - 100, latest - 200]
    return [latest, latest - 100]


def parse_identity_number(candidate: str, reference: date | None = None) -> IdentityNumber | None:
    """Validate one written number; ``None`` when it cannot be a real number.

    ``reference`` is "today" for the century rules of the 10-digit form and for
    refusing 12-digit dates in the future.  Without it only the calendar, serial
    and Luhn checks run (any century 18xx-20xx may make the date valid), which is
    what the presidio recognizer uses before :func:`find_identity_numbers` applies
    the date of the request.
    """
    match = _CANDIDATE_RE.fullmatch(candidate)
    if match is None:
        return None
    if match.group("date_dash") is not None:
        date_part, separator = match.group("date_dash"), match.group("sep_dash").strip(" \u00a0")
    else:
        date_part, separator = match.group("date", "sep")
    # Full-width digits ("１２１２１２-１２１２") are digits to the reader and to ``\d``.
    date_part, serial = _ascii_digits(date_part), _ascii_digits(match.group("serial"))
    twelve = len(date_part) == 8
    if twelve and separator == "+":
        return None
    ten = date_part[-6:] + serial
    if serial[:3] == "000" or not luhn_valid(ten):
        return None
    month = int(ten[2:4])
    day = int(ten[4:6])
    coordination = day >= 60
    if coordination:
        day -= 60
    if twelve:
        years = [int(date_part[:4])]
    elif reference is None:
        years = [2000 + int(ten[:2]), 1900 + int(ten[:2]), 1800 + int(ten[:2])]
    else:
        years = _candidate_years(int(ten[:2]), separator if separator == "+" else "-", reference)
    for year in years:
        if year < EARLIEST_BIRTH_YEAR:
            continue
        born = _earliest_date(year, month, day, coordination)
        if born is None or (reference is not None and born > reference):
            continue
        return IdentityNumber(
            kind="samordningsnummer" if coordination else "personnummer",
            birth_year=year,
            separator=separator,
            twelve_digits=twelve,
        )
    return None


def find_identity_numbers(text: str, reference: date) -> list[IdentityMatch]:
    """Every valid personnummer or samordningsnummer in ``text``, in order.

    The raw recognizer without presidio: the presidio recognizer in
    :mod:`classifiers.pii.recognizers` uses the same pattern and validation, and
    tests run this function over the full Skatteverket lists.
    """
    found = []
    for match in _CANDIDATE_RE.finditer(text):
        number = parse_identity_number(match.group(0), reference)
        if number is not None:
            found.append(IdentityMatch(match.start(), match.end(), match.group(0), number))
    return found


#: Invisible characters a copy from a web form or a chat can leave inside a number.
_INVISIBLE_RE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")


def find_identity_numbers_with_invisibles(text: str, reference: date) -> list[IdentityMatch]:
    """Numbers that only read as one with invisible characters removed ("12121\u200b21212").

    The reader sees a personnummer, so it is one; the span covers it as written,
    invisible characters included.  Numbers without any are left to the caller's
    ordinary scan, so nothing is reported twice.
    """
    if _INVISIBLE_RE.search(text) is None:
        return []
    kept: list[int] = []
    visible = []
    for index, char in enumerate(text):
        if not _INVISIBLE_RE.match(char):
            kept.append(index)
            visible.append(char)
    found = []
    for match in find_identity_numbers("".join(visible), reference):
        start, end = kept[match.start], kept[match.end - 1] + 1
        written = text[start:end]
        if _INVISIBLE_RE.search(written) is not None:
            found.append(IdentityMatch(start, end, written, match.number))
    return found


def is_plain_mobile_shape(candidate: str) -> bool:
    """True for ``07[02369]xxxxxxx`` written without separators.

    Such a string can be both a valid mobile number and a valid personnummer (born
    1907 or 2007, or a samordningsnummer).  The caller decides which reading wins,
    with the words around it.
    """
    return len(candidate) == 10 and candidate.isdigit() and candidate[:2] == "07" and candidate[2] in "02369"


__all__ = [
    "EARLIEST_BIRTH_YEAR",
    "PATTERN",
    "IdentityMatch",
    "IdentityNumber",
    "find_identity_numbers",
    "find_identity_numbers_with_invisibles",
    "is_plain_mobile_shape",
    "luhn_valid",
    "parse_identity_number",
]
