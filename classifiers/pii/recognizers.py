"""presidio recognizers for Swedish identifiers, all created for language ``sv``.

One recognizer class per identifier, in presidio's shape: a pattern finds candidates,
``validate_result`` runs the checksum or format rule, and where the pattern alone is
too loose the recognizer looks at the words just before the match itself.  presidio's
own context enhancer cannot do that here: with the ``NoOpNlpEngine`` there are no
lemmas, so context words inside the comment are never seen
(``shared/presidio-sv.md``, pitfall 6).

Patterns that need case (street names, plates, towns after a postcode) are compiled
without ``IGNORECASE``; presidio passes each recognizer's own flags to ``regex``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, ClassVar

import regex
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

from classifiers.pii.identity import PATTERN as IDENTITY_PATTERN
from classifiers.pii.identity import luhn_valid, parse_identity_number

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts

LANGUAGE = "sv"

#: presidio's default flags minus IGNORECASE, for patterns where capitals carry meaning.
CASE_SENSITIVE = regex.DOTALL | regex.MULTILINE
IGNORE_CASE = regex.DOTALL | regex.MULTILINE | regex.IGNORECASE

#: How far back (characters) a recognizer looks for its context words.
CONTEXT_WINDOW = 48


def _words(text: str) -> list[str]:
    """Split a whitespace-separated word list (keeps long lists readable)."""
    return text.split()


def digits_only(value: str) -> str:
    return re.sub(r"\D", "", value)


def has_context(text: str, start: int, stems: tuple[str, ...], window: int = CONTEXT_WINDOW) -> bool:
    """True when a context stem occurs in the ``window`` characters before ``start``.

    Stems match by substring, as presidio's enhancer does, so ``"kontonum"`` also
    finds "kontonumret" and "kontonummer".
    """
    before = text[max(0, start - window) : start].lower()
    return any(stem in before for stem in stems)


class _ContextRecognizer(PatternRecognizer):
    """A pattern recognizer whose results may be rescored by the text before them."""

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        kept = []
        for result in results:
            score = self.rescore(text, result)
            if score > 0.0:
                result.score = score
                kept.append(result)
        return kept

    def rescore(self, text: str, result: RecognizerResult) -> float:
        return result.score


class SwedishIdentityNumberRecognizer(PatternRecognizer):
    """Personnummer and samordningsnummer in every written form.

    Validation is the calendar, serial and Luhn check of
    :func:`classifiers.pii.identity.parse_identity_number` without a reference date;
    :func:`classifiers.pii.find_privacy` applies the request's date afterwards.
    """

    ENTITY = "SE_IDENTITY_NUMBER"
    CONTEXT: ClassVar[list[str]] = ["personnummer", "personnr", "pnr", "samordningsnummer", "född"]

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name="SwedishIdentityNumberRecognizer",
            supported_language=LANGUAGE,
            patterns=[Pattern("se_identity_number", IDENTITY_PATTERN, 0.5)],
            context=self.CONTEXT,
            global_regex_flags=CASE_SENSITIVE,
        )

    def validate_result(self, pattern_text: str) -> bool:
        return parse_identity_number(pattern_text) is not None


#: Non-geographic Swedish number series that belong to organisations, not people:
#: free-phone 020, service numbers 077x and premium-rate 0900/0939/0944.
_ORGANISATION_SERIES = ("20", "77", "900", "939", "944")
_MOBILE_SECOND_DIGITS = "02369"
PHONE_CONTEXT_STEMS = (
    "ring",
    "tel",
    "mobil",
    "sms",
    "swish",
    "nås på",
    "nå mig",
    "telefonnummer",
    "hemnummer",
    "jobbnummer",
)

_PHONE_PATTERN = (
    r"(?<![\w+/\-\u2010-\u2013])"
    r"(?:(?:\+|00)46[ \u00a0\-]?(?:\(0\)[ \u00a0\-]?)?|\(?0)"
    r"[1-9]\d{0,2}\)?"
    r"(?:[ \u00a0\-\u2013/]{1,3}\d|\d)(?:[ \u00a0\-\u2013]?\d){5,8}"
    r"(?!\w)(?![-.,/:]\d)"
    # A mobile number with dots ("070.123.45.67"); only mobiles, since dotted landline
    # shapes are times and dates ("08.00.12.00").
    r"|(?<![\w+/\-.])07\d(?:\.\d{2,4}){2,4}(?!\w)(?![-.,/:]\d)"
)
#: Words before a number that make its first digits a week or an hour ("Vecka 08-12 1234").
_WEEK_OR_HOUR_BEFORE = re.compile(r"\b(?:vecka|veckorna|v|kl|klockan)\.?\s*$", re.IGNORECASE)


def national_number(text: str) -> str:
    """The digits of a Swedish phone number without country code or trunk zero."""
    digits = digits_only(text)
    if digits.startswith("0046"):
        digits = digits[4:]
    elif text.lstrip().startswith("+46"):
        digits = digits[2:]
    if digits.startswith("0"):
        digits = digits[1:]
    return digits


#: Words that name an organisation's line right before a number ("kontaktcenter nås på …",
#: "ringa växeln på …"): such a number is the organisation's, not a person's.
ORGANISATION_LINE_STEMS = (
    "kontaktcent",
    "växel",
    "vaxel",
    "krisnummer",
    "kundtjänst",
    "kundtjanst",
    "kundservice",
    "felanmälan",
    "felanmalan",
    "servicecent",
    "medborgarservice",
    # A public service's own line ("socialjouren nås på", "vårdcentralens rådgivning",
    # "tolkservice"), and a business's ("Snöfixarna AB … ring", "boka på", "beställ"):
    # whoever answers, it is not a private person's number.
    "jouren",
    "rådgivning",
    "radgivning",
    "tolkservice",
    "reception",
    "tidbokning",
    " ab ",
    " ab,",
    "företag",
    "foretag",
    "firma",
    "boka på",
    "boka pa",
    "beställ",
    "bestall",
    "rabatt",
)


def valid_swedish_phone(text: str) -> bool:
    """Length and series rules of the Swedish numbering plan (PTS).

    A mobile number is ``07[02369]`` plus seven digits; a landline is an area code
    and a subscriber number with 7-9 digits after the trunk zero in all.
    """
    nsn = national_number(text)
    if not 7 <= len(nsn) <= 9 or nsn.startswith(_ORGANISATION_SERIES):
        return False
    if nsn[0] == "7":
        return len(nsn) == 9 and nsn[1] in _MOBILE_SECOND_DIGITS
    return True


class SwedishPhoneRecognizer(_ContextRecognizer):
    """Swedish mobile and landline numbers in national and +46/0046 form.

    A landline written as one unbroken run of digits looks like an order or customer
    number, so it needs a phone word before it; a mobile number (``07…``) or one
    written with the usual separators does not.
    """

    ENTITY = "PHONE_NUMBER"

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name="SwedishPhoneRecognizer",
            supported_language=LANGUAGE,
            patterns=[Pattern("se_phone", _PHONE_PATTERN, 0.4)],
            context=list(PHONE_CONTEXT_STEMS),
            global_regex_flags=CASE_SENSITIVE,
        )

    def validate_result(self, pattern_text: str) -> bool:
        return valid_swedish_phone(pattern_text)

    def rescore(self, text: str, result: RecognizerResult) -> float:
        written = text[result.start : result.end]
        if _WEEK_OR_HOUR_BEFORE.search(text[max(0, result.start - 12) : result.start]):
            return 0.0
        nsn = national_number(written)
        unbroken = written.isdigit()
        if unbroken and nsn[0] != "7" and not has_context(text, result.start, PHONE_CONTEXT_STEMS):
            return 0.0
        return 0.9


# Street names: a word ending in a Swedish street suffix, or a genitive followed by a
# separate suffix word ("Drottning Kristinas väg"), then a house number.
_STREET_SUFFIXES = (
    "gatan|gata|vägen|väg|gränden|gränd|backen|backe|torget|torg|stigen|stig|allén|allé|plan|"
    "leden|led|stråket|gången|platsen|plats|esplanaden|kajen|promenaden|slingan|ringen|liden"
)
# Suffixes that also end everyday compounds ("detaljplan 2", "hållplats 4").
_RISKY_SUFFIXES = ("plan", "plats", "platsen", "led", "leden", "gången", "stig", "ringen", "liden")
_STREET_PREFIX = r"(?:(?:Gamla|Norra|Södra|Östra|Västra|Stora|Lilla|Nya|Övre|Nedre|Sankt|S:t) )?"
_ADDRESS_PATTERN = (
    r"(?<![\w-])" + _STREET_PREFIX + r"(?:"
    r"[A-ZÅÄÖÉa-zåäöé][a-zåäöéü]+(?:-[A-ZÅÄÖa-zåäö][a-zåäöéü]+)?(?:" + _STREET_SUFFIXES + r")"
    r"|(?:[A-ZÅÄÖÉ][a-zåäöéü]+ )?[A-ZÅÄÖÉ][a-zåäöéü]+s (?:väg|gata|gränd|torg|plan|allé|backe|stig|plats)"
    r")"
    r" (?:nr\.? ?)?\d{1,4}(?: ?[A-Ha-h])?(?![\w,.:]\d)(?![\w])"
)
#: What every match of the address pattern contains: a street suffix (the suffix
#: words of the genitive form are street suffixes too) and the house number after
#: it.  Matching the space and digit first and looking back for the suffix costs
#: ~3 µs on a comment where the full pattern costs ~80 µs, so
#: :mod:`classifiers.pii.engine` tries this before calling presidio.
ADDRESS_GATE = r" (?:nr\.? ?)?\d(?<=(?:" + _STREET_SUFFIXES + r") (?:nr\.? ?)?\d)"
# Everyday compounds with a street suffix; followed by a number they are a plan,
# a stop or a seat, not an address.
_NOT_STREETS = frozenset(
    _words(
        """tillvägen framvägen halvvägen motorvägen genvägen omvägen cykelvägen gångvägen landsvägen
    detaljplan översiktsplan handlingsplan åtgärdsplan våningsplan budgetplan arbetsplan tidsplan
    tidplan fotbollsplan affärsplan verksamhetsplan aktivitetsplan parkeringsplats arbetsplats
    sittplats hållplats busshållplats mötesplats lekplats badplats förskoleplats studieplats
    praktikplats startplats ståplats gästplats andraplats förstaplats tredjeplats sistaplats
    fjärdeplats femteplats riksväg riksvägen länsväg länsvägen europaväg europavägen motorväg"""
    )
)
#: A number after a street name that is a measure, not a house number ("Storgatan 100 meter
#: längre ned", "Storgatan 20 minuter bort").
_MEASURE_AFTER = re.compile(
    r"\s*(?:%|(?:meter|m|km|kilometer|mil|minuter|min|sekunder|timmar|dagar|veckor|år|kr|kronor|"
    r"procent|st|stycken|personer|bilar)(?![^\W\d_]))",
    re.IGNORECASE,
)
#: A year where a house number would be ("Ombyggnaden av Storgatan 2024"): Swedish
#: house numbers do not run into the thousands.
_YEAR_NUMBER = re.compile(r"(?:19|20)\d\d$")
_STREET_CUES = ("bor ", "på ", "vid ", "adress", "till ", "från ", "utanför ", "nära ", "mot ", "i hörnet")


class SwedishStreetAddressRecognizer(_ContextRecognizer):
    """Street addresses: street name plus house number (``Storgatan 12``, ``Kvarngatan 5B``).

    A capitalised street name stands alone; one written in lower case
    (``bor på storgatan 12``) or ending in a suffix that also ends everyday
    compounds (``-plan``, ``-plats``, ``-leden``) needs a place word such as
    "bor", "på" or "adress" just before it.
    """

    ENTITY = "STREET_ADDRESS"

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name="SwedishStreetAddressRecognizer",
            supported_language=LANGUAGE,
            patterns=[Pattern("se_street_address", _ADDRESS_PATTERN, 0.75)],
            context=["bor på", "adress", "adressen"],
            global_regex_flags=CASE_SENSITIVE,
        )

    def rescore(self, text: str, result: RecognizerResult) -> float:
        street = regex.sub(r" (?:nr\.? ?)?\d.*$", "", text[result.start : result.end])
        last_word = street.rsplit(" ", 1)[-1].lower()
        if last_word in _NOT_STREETS or street.lower() in _NOT_STREETS:
            return 0.0
        if _YEAR_NUMBER.search(text[result.start : result.end]) or _MEASURE_AFTER.match(text, result.end):
            return 0.0
        risky = last_word.endswith(_RISKY_SUFFIXES)
        if (street[0].islower() or risky) and not has_context(text, result.start, _STREET_CUES, window=12):
            return 0.0
        return result.score


_POSTAL_PATTERN = (
    r"(?<![\w\-+/.,:])(?:SE-?)?[1-9]\d{2} ?\d{2}(?![\w\-/.,:]\d)(?!\w)"
    r"(?=,? (?:[A-ZÅÄÖ][a-zåäöé]+|[A-ZÅÄÖ]{2,})\b)"
)
#: What every match of the postcode pattern contains: five digits and the start of
#: the town after them (see :data:`ADDRESS_GATE`).
POSTAL_GATE = r"\d{3} ?\d{2},? [A-ZÅÄÖ]"
_POSTAL_AFTER_ADDRESS = regex.compile(_ADDRESS_PATTERN + r",? *$")
# Capitalised words that may follow a number but are no town.
_NOT_TOWNS = frozenset(
    _words(
        """kronor kr personer pers euro dollar kvm meter och eller till från sek msek mkr tkr ksek usd eur
    gbp nok dkk"""
    )
)


class SwedishPostalCodeRecognizer(_ContextRecognizer):
    """Postcodes (``123 45``/``12345``) followed by a town name.

    Any five digits would be far too loose, so the town must follow; a postcode
    right after a street address counts too (the address recognizer already found
    the street).
    """

    ENTITY = "POSTAL_CODE"

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name="SwedishPostalCodeRecognizer",
            supported_language=LANGUAGE,
            patterns=[Pattern("se_postal_code", _POSTAL_PATTERN, 0.6)],
            context=["postnummer", "postnr", "adress"],
            global_regex_flags=CASE_SENSITIVE,
        )

    def rescore(self, text: str, result: RecognizerResult) -> float:
        following = text[result.end :].lstrip(", ").split(" ", 1)[0].strip(".,!?;:")
        if following.casefold() in _NOT_TOWNS:
            return 0.0
        if _POSTAL_AFTER_ADDRESS.search(text[max(0, result.start - 60) : result.start]):
            return 0.8
        if has_context(text, result.start, ("postnummer", "postnr", "adress", "bor ")):
            return 0.75
        return result.score


# Transportstyrelsen uses neither I, Q, V nor Å, Ä, Ö in plates; since 2019 the last
# position may be a letter (not O).
_PLATE_LETTER = "A-HJ-PR-UW-Z"
_PLATE_PATTERN = rf"(?<![\w\-])[{_PLATE_LETTER}]{{3}} ?\d{{2}}[\d{_PLATE_LETTER.replace('O', '')}](?![\w\-])"
#: The same shape typed in lower case ("skåpbilen gmu40d", "reg oet 78x"): a plate only
#: right after a vehicle word, as "abc123" alone is as likely a user name.
_PLATE_PATTERN_LOWER = _PLATE_PATTERN.replace(_PLATE_LETTER, _PLATE_LETTER.lower()).replace(
    _PLATE_LETTER.replace("O", ""), _PLATE_LETTER.replace("O", "").lower()
)
_LOWER_PLATE_WINDOW = 25
PLATE_CONTEXT_STEMS = (
    "reg",
    "bil",
    "skylt",
    "plåt",
    "parker",
    "körde",
    "kör ",
    "fordon",
    "lastbil",
    "mc ",
    "moped",
    "volvo",
    "saab",
    "taxi",
    "husbil",
    "släp",
    "tesla",
    "motorcyk",
    "kärra",
    "karra",
    "p-bot",
    "p-lapp",
    "parkeringsbot",
    "ägaren av",
    "ägaren till",
    "agaren av",
    "korde",
)
#: What a car did, said right after a lower-case plate; narrower than the words before
#: one, since "abc123 och jag kör linux" is a user name.
PLATE_DEEDS_AFTER = ("körde", "korde", "parker", "har stått", "har statt")
# Three capital letters that are words, currencies, organisations or units; with a
# number after them they are a price or a name, not a plate.
_NOT_PLATE_WORDS = frozenset(
    _words(
        """SEK EUR USD GBP NOK DKK CHF JPY HAR MED DEN DET SOM OCH MEN KAN SKA TAR GER DAG
    ALL ANN NYA FAN GUD HEJ TJA BRA DUM ELD FEL NEJ JAG DOM ERA HUR NAR NUR SAS SJS SMS
    MMS GPS APP TEL FAX NUM NRS ART KAP NYT EKO SVT TRE SEX FYR CAF PDF DNR
    TYP PER MAX MER UPP NER TOT RUM SAL HUS BIL TON ANT SUM GAR FAR BUS
    LSS SOL SFB LOU CSN LED PBL SFS LVU LVM LPT OSL KPI"""
    )
)


class SwedishLicencePlateRecognizer(_ContextRecognizer):
    """Swedish registration plates: ``ABC 123``, ``ABC123``, ``ABC 12A``.

    People write plates in capitals; a lower-case ``abc123`` is as likely a user name,
    so it counts only after a vehicle word ("skåpbilen gmu40d", "p-bot på dzj73f") or
    before what a car did ("wdb 88e körde …").  Without a vehicle word nearby a plate
    in capitals scores lower, and in a text written mostly in capitals it needs that
    word, because shouting turns every ``HAR 100`` into a plate shape.
    """

    ENTITY = "LICENCE_PLATE"

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name="SwedishLicencePlateRecognizer",
            supported_language=LANGUAGE,
            patterns=[
                Pattern("se_licence_plate", _PLATE_PATTERN, 0.55),
                Pattern("se_licence_plate_lower", _PLATE_PATTERN_LOWER, 0.55),
            ],
            context=list(PLATE_CONTEXT_STEMS),
            global_regex_flags=CASE_SENSITIVE,
        )

    def rescore(self, text: str, result: RecognizerResult) -> float:
        letters = text[result.start : result.start + 3]
        if letters.islower():
            # A vehicle word before the plate, or what a car did after it ("wdb 88e körde
            # nästan på ett barn", "pgz 09d, du parkerar som …").
            after = text[result.end : result.end + _LOWER_PLATE_WINDOW].lower()
            near = has_context(text, result.start, PLATE_CONTEXT_STEMS, window=_LOWER_PLATE_WINDOW) or any(
                stem in after for stem in PLATE_DEEDS_AFTER
            )
            return 0.85 if near and letters.upper() not in _NOT_PLATE_WORDS else 0.0
        if letters in _NOT_PLATE_WORDS:
            return 0.0
        if has_context(text, result.start, PLATE_CONTEXT_STEMS, window=60):
            return 0.85
        if _mostly_capitals(text):
            return 0.0
        return result.score


@lru_cache(maxsize=4)
def _mostly_capitals(text: str) -> bool:
    """Whether most of the text's letters are capitals (shouted text, where "ABC 123" is
    no plate): asked once per text, not once per plate-like match in it."""
    cased = [c for c in text if c.isalpha()]
    return bool(cased) and sum(c.isupper() for c in cased) / len(cased) > 0.5


BANK_CONTEXT_STEMS = (
    "konto",
    "clearing",
    "clnr",
    "bank",
    "swedbank",
    "nordea",
    "handelsbanken",
    "seb",
    "sätt in",
    "sätta in",
    "betala till",
    "för över",
    "föra över",
)
# Clearing number (4 digits, Swedbank 5 as 8xxx-x) and an account number of 7-10 digits.
_BANK_ACCOUNT_PATTERN = (
    r"(?<![\w\-+/.,])(?:\d{4}|8\d{3}-\d)(?:, ?| |-| - )\d{1,4}(?:[ \-]?\d{1,4}){1,4}(?![\w\-])(?![.,/]\d)"
)


_CLEARING_SPLIT = re.compile(r"(8\d{3}-\d|\d{4})(?:, ?| |-| - )(.+)")


class SwedishBankAccountRecognizer(_ContextRecognizer):
    """Clearing number plus account number, only next to a banking word.

    The shape (four digits, a separator, 7-10 digits) is shared with too many other
    numbers to stand alone.
    """

    ENTITY = "BANK_ACCOUNT"

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name="SwedishBankAccountRecognizer",
            supported_language=LANGUAGE,
            patterns=[Pattern("se_bank_account", _BANK_ACCOUNT_PATTERN, 0.3)],
            context=list(BANK_CONTEXT_STEMS),
            global_regex_flags=CASE_SENSITIVE,
        )

    def validate_result(self, pattern_text: str) -> bool:
        parts = _CLEARING_SPLIT.match(pattern_text)
        if parts is None:
            return False
        clearing, account = parts.groups()
        return 7 <= len(digits_only(account)) <= 10 and not clearing.startswith("0")

    def rescore(self, text: str, result: RecognizerResult) -> float:
        return 0.75 if has_context(text, result.start, BANK_CONTEXT_STEMS, window=60) else 0.0


_GIRO_PATTERN = r"(?<![\w\-+/.,])(?:\d{3,4}-\d{4}|\d{1,7}-\d)(?![\w\-])(?![.,/]\d)"
GIRO_CONTEXT_STEMS = ("bankgiro", "bg ", "bg:", "bg-", "plusgiro", "pg ", "pg:", "postgiro")


class SwedishGiroRecognizer(_ContextRecognizer):
    """Bankgiro (``123-4567``, ``1234-5678``) and plusgiro (``12 34 56-7``) numbers.

    Both end in a Luhn check digit and need the word bankgiro/plusgiro (or bg/pg)
    before them; most belong to organisations, hence the low score.
    """

    ENTITY = "GIRO_NUMBER"

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name="SwedishGiroRecognizer",
            supported_language=LANGUAGE,
            patterns=[Pattern("se_giro", _GIRO_PATTERN, 0.3)],
            context=list(GIRO_CONTEXT_STEMS),
            global_regex_flags=CASE_SENSITIVE,
        )

    def validate_result(self, pattern_text: str) -> bool:
        digits = digits_only(pattern_text)
        return len(digits) >= 2 and luhn_valid(digits)

    def rescore(self, text: str, result: RecognizerResult) -> float:
        return 0.5 if has_context(text, result.start, GIRO_CONTEXT_STEMS, window=30) else 0.0


__all__ = [
    "ADDRESS_GATE",
    "LANGUAGE",
    "POSTAL_GATE",
    "SwedishBankAccountRecognizer",
    "SwedishGiroRecognizer",
    "SwedishIdentityNumberRecognizer",
    "SwedishLicencePlateRecognizer",
    "SwedishPhoneRecognizer",
    "SwedishPostalCodeRecognizer",
    "SwedishStreetAddressRecognizer",
    "digits_only",
    "find_obfuscated_emails",
    "has_context",
    "national_number",
    "valid_swedish_phone",
]


#: Local parts of an organisation's shared mailboxes (written here, in Swedish and
#: English as municipalities and firms name them): "info@…" is not a person.
_ROLE_MAILBOXES = frozenset(
    _words(
        """info information kontakt kontakta kontaktcenter kontaktcentret kundtjanst kundtjänst kundservice
    service servicecenter medborgarservice support hjalp hjälp registrator registratur registraturen
    diarium kommun kommunen stad staden region regionen vaxel växel vaxeln växeln reception post
    postmaster webmaster webb web admin noreply no-reply donotreply do-not-reply press media
    kommunikation ekonomi hr rekrytering jobb bokning bokningar order faktura fakturor felanmalan
    felanmälan synpunkter bygglov miljo miljö skola forskola förskola socialtjanst socialtjänst
    socialtjansten socialtjänsten bibliotek biblioteket kultur fritid idrott evenemang turism teknik
    tekniska kansli kansliet sales office mail contact hello team va vatten avlopp bygg
    renhallning renhållning avfall gata park lon lön personal"""
    )
)
_MAILBOX_PARTS = re.compile(r"[.\-_+]")


#: Free-mail providers: an address there belongs to a person whatever its local part says
#: ("kontakt.anna@gmail.com").
_FREE_MAIL_DOMAINS = re.compile(
    r"(?:^|\.)(?:gmail|googlemail|hotmail|outlook|live|msn|yahoo|icloud|me|telia)\."
)


def is_role_mailbox(address: str) -> bool:
    """Whether an e-mail address is an organisation's shared mailbox ("info@", "kontakt.bygglov@"):
    every part of its local part is a role word ("kontakt.anna@" is Anna's), at a domain that
    is not a free-mail provider's."""
    local, _, domain = address.casefold().partition("@")
    if _FREE_MAIL_DOMAINS.search(domain) is not None:
        return False
    return all(part in _ROLE_MAILBOXES for part in _MAILBOX_PARTS.split(local))


_MAIL_AT = (
    r"(?:[ \t]*[(\[{][ \t]*(?:at|a|snabel-?a)[ \t]*[)\]}][ \t]*|[ \t]+(?:at|snabel-?a)[ \t]+|[ \t]*@[ \t]*)"
)
_MAIL_DOT = r"(?:[ \t]*[(\[{][ \t]*(?:dot|punkt)[ \t]*[)\]}][ \t]*|[ \t]+(?:dot|punkt)[ \t]+|\.)"
#: An address written to slip past address harvesters ("anna at exempel punkt se",
#: "anna(at)exempel.se").  A domain word, a dot word and a top-level domain must follow
#: the "at", so that ordinary words around "at" or "punkt" are not read as an address.
_OBFUSCATED_EMAIL_RE = re.compile(
    rf"(?<![\w.+\-@])(?P<local>[\w+\-]+(?:\.[\w+\-]+)*){_MAIL_AT}"
    rf"(?P<domain>[\w\-]+(?:{_MAIL_DOT}[\w\-]+)*?){_MAIL_DOT}"
    r"(?P<tld>se|com|net|org|eu|fi|no|dk|info|io|uk)(?![\w\-])",
    re.IGNORECASE,
)
_MAIL_DOT_RE = re.compile(_MAIL_DOT, re.IGNORECASE)


def find_obfuscated_emails(text: str) -> list[tuple[int, int, str]]:
    """Obfuscated e-mail addresses as (start, end, the address written plainly).

    presidio's recognizer needs an ``@`` and a dot; an address with either written out
    is still a person's address to every reader.  Plain addresses match too; the
    caller keeps presidio's reading of those.
    """
    found = []
    for match in _OBFUSCATED_EMAIL_RE.finditer(text):
        domain = _MAIL_DOT_RE.sub(".", match.group("domain"))
        found.append((match.start(), match.end(), f"{match.group('local')}@{domain}.{match.group('tld')}"))
    return found
