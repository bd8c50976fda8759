"""The presidio ``AnalyzerEngine`` for Swedish, built once per process.

Set-up follows the measured advice in ``shared/presidio-sv.md``: the ``NoOpNlpEngine``
(no spaCy model, nothing downloaded), a registry for ``sv`` only in which every
recognizer is created for ``sv``, no ``UrlRecognizer`` (slow, and a link is not
personal data), and the tldextract suffix-list download switched off before presidio
is imported (pitfall 5).  presidio leaves overlaps between entity types alone
(pitfall 7), so :func:`resolve_overlaps` keeps the longest span.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass

import regex

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from presidio_analyzer import (
    AnalyzerEngine,
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts, NoOpNlpEngine
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
)

from classifiers.pii.recognizers import (
    ADDRESS_GATE,
    LANGUAGE,
    PLATE_CONTEXT_STEMS,
    PLATE_DEEDS_AFTER,
    POSTAL_GATE,
    SwedishBankAccountRecognizer,
    SwedishGiroRecognizer,
    SwedishIdentityNumberRecognizer,
    SwedishLicencePlateRecognizer,
    SwedishPhoneRecognizer,
    SwedishPostalCodeRecognizer,
    SwedishStreetAddressRecognizer,
)

#: Which entity wins when two spans of equal length overlap.  An identity number
#: outranks everything because it is the most sensitive reading; the IBAN outranks
#: the card number found inside its digits.
PRIORITY = {
    "SE_IDENTITY_NUMBER": 0,
    "IBAN_CODE": 1,
    "CREDIT_CARD": 2,
    "EMAIL_ADDRESS": 3,
    "PHONE_NUMBER": 4,
    "BANK_ACCOUNT": 5,
    "GIRO_NUMBER": 6,
    "IP_ADDRESS": 7,
    "STREET_ADDRESS": 8,
    "POSTAL_CODE": 9,
    "LICENCE_PLATE": 10,
    "PERSON": 11,
}


@dataclass(frozen=True, slots=True)
class Entity:
    """One personal-data span before it becomes a ``Finding``."""

    entity_type: str
    start: int
    end: int
    score: float


class _NoContextEnhancer(ContextAwareEnhancer):
    """presidio's context step, for an engine that has no lemmas: the results as they are.

    The default ``LemmaContextAwareEnhancer`` raises a score when a recognizer's
    context word is among the lemmas around a match or in the context words passed
    to ``analyze``.  The ``NoOpNlpEngine`` produces no lemmas (presidio warns as
    much) and :func:`analyze` passes no context words, so that enhancer never
    changes a score; it only deep-copies the results, a third of presidio's time
    per call.  The Swedish recognizers read the words before a match themselves.
    """

    def __init__(self) -> None:
        super().__init__(
            context_similarity_factor=0.0,
            min_score_with_context_similarity=0.0,
            context_prefix_count=0,
            context_suffix_count=0,
        )

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        return raw_results


#: presidio's e-mail pattern with the part before the "@" bounded to 64 characters, as an
#: address's local part is (RFC 5321): unbounded, every word start of "a.a.a.…" runs to
#: the end of the text and back (a 10,000-character comment, four seconds).
_LOCAL_CHARACTER = r"[!#$%&'*+\-/=?^_`{|}~\w]"
_EMAIL = (
    rf"\b((({_LOCAL_CHARACTER})|({_LOCAL_CHARACTER}[!#$%&'*+\-/=?^_`{{|}}~\.\w]{{0,62}}{_LOCAL_CHARACTER}))"
    r"[@]\w+(?:-+\w+)*(?:\.\w+(?:-+\w+)*)+)\b"
)


def _build_engine() -> AnalyzerEngine:
    registry = RecognizerRegistry(supported_languages=[LANGUAGE])
    for recognizer in (
        SwedishIdentityNumberRecognizer(),
        SwedishPhoneRecognizer(),
        SwedishStreetAddressRecognizer(),
        SwedishPostalCodeRecognizer(),
        SwedishLicencePlateRecognizer(),
        SwedishBankAccountRecognizer(),
        SwedishGiroRecognizer(),
        EmailRecognizer(
            patterns=[Pattern("Email (Medium)", _EMAIL, 0.5)],
            supported_language=LANGUAGE,
            context=["e-post", "epost", "mejl", "mail", "mejla"],
        ),
        IbanRecognizer(supported_language=LANGUAGE, context=["iban", "konto", "kontonummer", "bank"]),
        CreditCardRecognizer(supported_language=LANGUAGE, context=["kort", "kortnummer", "visa"]),
        IpRecognizer(supported_language=LANGUAGE, context=["ip", "ip-adress", "adress"]),
    ):
        registry.add_recognizer(recognizer)
    nlp_engine = NoOpNlpEngine(models=[{"lang_code": LANGUAGE, "model_name": "no_op"}])
    nlp_engine.load()
    return AnalyzerEngine(
        nlp_engine=nlp_engine,
        registry=registry,
        supported_languages=[LANGUAGE],
        context_aware_enhancer=_NoContextEnhancer(),
    )


#: Cheap regexes that every match of an entity's patterns contains, tried instead
#: of the patterns themselves where those are slow: the address pattern backtracks
#: through every street suffix at every word (~80 µs a comment), presidio's e-mail
#: pattern through every run of characters allowed before an ``@``.  On the bench
#: comments the gates let through hardly more texts than the patterns would, and
#: presidio runs the pattern anyway when the entity is requested.  The e-mail
#: domain is a word character, word characters or hyphens, a dot and a word
#: character.  Every form of presidio's five IP patterns holds a hex digit or a
#: colon before a colon (IPv6, "::") or an ASCII digit, a dot and an ASCII digit
#: (IPv4); a time like "10:30" lets the entity through, which costs little.
GATES: dict[str, str] = {
    "STREET_ADDRESS": ADDRESS_GATE,
    "POSTAL_CODE": POSTAL_GATE,
    "EMAIL_ADDRESS": r"@\w[\w-]*\.\w",
    "IP_ADDRESS": r"(?<=[0-9A-Fa-f:]):|(?<=[0-9])\.[0-9]",
}


_engine: AnalyzerEngine | None = None
#: Per entity the regexes of which one must match for its recognizer to find anything.
_candidates: dict[str, tuple[regex.Pattern[str], ...]] = {}
_lock = threading.Lock()


def get_engine() -> AnalyzerEngine:
    """The process-wide engine, built on first use (thread-safe)."""
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                engine = _build_engine()
                _candidates.update(_candidate_checks(engine))
                _engine = engine
    return _engine


def _candidate_checks(engine: AnalyzerEngine) -> dict[str, tuple[regex.Pattern[str], ...]]:
    """Each entity's gate, or else its recognizer's patterns, compiled with the
    flags presidio uses for them.

    Every recognizer in the registry is a ``PatternRecognizer`` whose results are
    matches of its own patterns on the unchanged text (presidio's ``IbanRecognizer``
    included; ours only drop or rescore matches), run with the recognizer's
    ``global_regex_flags`` because the engine passes no flags of its own.  So when
    none of an entity's patterns matches anywhere, its recognizer cannot return
    anything, and leaving the entity out of the request changes nothing; nor when
    its gate, which every pattern match contains, does not match.  A gate is
    compiled with the recognizer's flags, so it reads character classes the same way.
    """
    checks: dict[str, tuple[regex.Pattern[str], ...]] = {}
    for recognizer in engine.registry.get_recognizers(language=LANGUAGE, all_fields=True):
        entity: str = recognizer.supported_entities[0]
        if not isinstance(recognizer, PatternRecognizer) or len(recognizer.supported_entities) != 1:
            raise TypeError(f"{entity}: only single-entity pattern recognizers can be pre-checked")
        if entity in checks:
            raise TypeError(f"{entity}: one recognizer per entity expected")
        flags = recognizer.global_regex_flags
        if flags is None:
            raise TypeError(f"{entity}: recognizer without regex flags")
        patterns: list[Pattern] = recognizer.patterns  # type: ignore[has-type]  # unannotated in presidio
        sources = [GATES[entity]] if entity in GATES else [p.regex for p in patterns]
        checks[entity] = tuple(regex.compile(source, flags=flags) for source in sources)
    return checks


_DIGIT_OR_AT = re.compile(r"[\d@]")


def might_contain_entities(text: str) -> bool:
    """Every presidio recognizer here needs a digit or an ``@``; skip texts without."""
    return _DIGIT_OR_AT.search(text) is not None


_DIGIT = re.compile(r"\d")
#: Bankgiro/plusgiro words.  The look-ahead for their first letters halves the
#: scan (every match starts with one of them, so the matches are the same).
_GIRO_WORD = re.compile(r"(?=[gbp])(?:giro|\b[bp]g\b)", re.IGNORECASE)


#: A vehicle word or a car's deed, without which a plate typed in lower case is not looked for.
_VEHICLE_WORD = re.compile(
    "|".join(re.escape(stem) for stem in (*PLATE_CONTEXT_STEMS, *PLATE_DEEDS_AFTER)), re.IGNORECASE
)


def entities_worth_running(text: str) -> list[str]:
    """The entity types whose shortest possible match fits the text.

    presidio's orchestration costs a few microseconds per recognizer, so a comment
    with one short number should not pay for card, IBAN and identity-number scans
    that cannot match.  The thresholds are the fewest digits each entity has.
    """
    digits = len(_DIGIT.findall(text))
    wanted = ["EMAIL_ADDRESS"] if "@" in text else []
    if digits:
        wanted.append("STREET_ADDRESS")
    if digits >= 2 and (any(c.isupper() for c in text) or _VEHICLE_WORD.search(text)):
        wanted.append("LICENCE_PLATE")
    if digits >= 2 and _GIRO_WORD.search(text):
        wanted.append("GIRO_NUMBER")
    if digits >= 4 and ("." in text or ":" in text):
        wanted.append("IP_ADDRESS")
    if digits >= 5:
        wanted.append("POSTAL_CODE")
    if digits >= 7:
        wanted.append("PHONE_NUMBER")
    if digits >= 8:
        wanted.append("BANK_ACCOUNT")
    if digits >= 10:
        wanted.append("SE_IDENTITY_NUMBER")
    if digits >= 12:
        wanted.append("IBAN_CODE")
    if digits >= 13:
        wanted.append("CREDIT_CARD")
    return wanted


def entities_with_candidates(text: str, entities: list[str]) -> list[str]:
    """The entities, in the given order, whose recognizers may find something in ``text``.

    A ``search`` per pattern or gate costs a microsecond or two; a call to presidio's
    engine costs ~50 µs even when nothing matches (NLP artifacts, context
    enhancement, deep copies), and two thirds of the comments with digits have
    no candidate at all.  See :func:`_candidate_checks` for why this is exact.
    """
    get_engine()
    return [e for e in entities if any(p.search(text) for p in _candidates[e])]


def analyze(text: str) -> list[Entity]:
    if not might_contain_entities(text):
        return []
    wanted = entities_with_candidates(text, entities_worth_running(text))
    if not wanted:
        return []
    results = get_engine().analyze(text=text, language=LANGUAGE, entities=wanted)
    return [Entity(r.entity_type, r.start, r.end, float(r.score)) for r in results]


def resolve_overlaps(
    entities: list[Entity], prefer: dict[tuple[int, int], str] | None = None
) -> list[Entity]:
    """Keep the longest of overlapping spans; ties go by :data:`PRIORITY`.

    ``prefer`` names the winning type for an exact span where the caller knows
    better (a plain ``07…`` number read as a phone number rather than a
    personnummer).  The result is sorted by position, so it is deterministic.
    """
    prefer = prefer or {}

    def rank(entity: Entity) -> tuple[int, int, float, int]:
        preferred = prefer.get((entity.start, entity.end)) == entity.entity_type
        return (
            -(entity.end - entity.start),
            0 if preferred else 1,
            -entity.score,
            PRIORITY.get(entity.entity_type, 99),
        )

    kept: list[Entity] = []
    for entity in sorted(entities, key=lambda e: (*rank(e), e.start)):
        if all(entity.end <= other.start or entity.start >= other.end for other in kept):
            kept.append(entity)
    return sorted(kept, key=lambda e: (e.start, e.end, e.entity_type))


__all__ = [
    "GATES",
    "PRIORITY",
    "Entity",
    "analyze",
    "entities_with_candidates",
    "entities_worth_running",
    "get_engine",
    "might_contain_entities",
    "resolve_overlaps",
]
