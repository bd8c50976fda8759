"""Privacy detectors: personal data, sensitive personal data and confidential data.

Entry point :func:`find_privacy` returns ``Finding`` records in three categories:

* ``personal_data``: identifiers found by presidio-analyzer with Swedish recognizers
  (personnummer/samordningsnummer, phone, e-mail, IBAN, bank account, card, IP,
  street address, postcode, licence plate) and person names from the gazetteer
  detector in :mod:`classifiers.pii.names`;
* ``sensitive_personal_data``: GDPR art. 9-10 categories and the Swedish "särskilt
  skyddsvärda" ones, only when tied to an identifiable person;
* ``confidential``: what OSL 2009:400 protects (social services, health care, school,
  protected identity, case details), also when the author wrote it about themself.

``context`` keys: ``own_contacts`` (``{"phones": [...], "emails": [...]}``, the
municipality's own contact details, never reported; an organisation's shared mailbox,
"info@…", never is either), ``public_officials`` (names of officials who may be named
in their role: never reported as personal data, like a name after an official's
title, but still a person that sensitive data can be tied to), ``reference_date`` (a
``date`` or ISO string; "today" for the personnummer century rules, default the
current date), ``platform`` and ``post_text`` (accepted, not used yet).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from classifiers.context import entries_of, own_contacts
from classifiers.pii import engine as _engine
from classifiers.pii import special_data as _special
from classifiers.pii.engine import Entity, resolve_overlaps
from classifiers.pii.identity import (
    find_identity_numbers_with_invisibles,
    is_plain_mobile_shape,
    parse_identity_number,
)
from classifiers.pii.names import NameMatch, capitalised_words, find_names, load_gazetteer
from classifiers.pii.recognizers import (
    ORGANISATION_LINE_STEMS,
    find_obfuscated_emails,
    has_context,
    is_role_mailbox,
    national_number,
)
from classifiers.pii.references import HOUSEHOLD_SURNAME, Reference, find_references
from classifiers.types import Finding, Span


def digested_sources() -> list[Path]:
    """The files whose bytes name the privacy detectors' version: this package's code and
    word lists, the shared pattern prefilters (``classifiers.patterns``) its term
    matcher relies on, and how the tenant's lists are read (``classifiers.context``)."""
    package = Path(__file__).resolve().parent
    own = sorted([*package.glob("*.py"), *(package / "data").glob("*.txt")])
    return [*own, package.parent / "patterns.py", package.parent / "context.py"]


def _source_digest() -> str:
    """The digest of :func:`digested_sources`.

    A hand-bumped version was forgotten once (a session's rules shipped under the
    previous name); a digest changes with every rule, so stored assessments made by
    different detectors never share a version.
    """
    digest = hashlib.sha256()
    for path in digested_sources():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


MODEL_VERSION = f"pii-{_source_digest()}"

_PERSONAL = "personal_data"

#: entity type -> (subtype, rule id, explanation).  Explanations never repeat the data.
_ENTITY_RULES: dict[str, tuple[str, str, str]] = {
    "PHONE_NUMBER": (
        "phone",
        "pii.phone",
        "Texten innehåller ett svenskt telefonnummer som inte är kommunens eget – "
        "telefonnummer är personuppgifter.",
    ),
    "EMAIL_ADDRESS": (
        "email",
        "pii.email",
        "Texten innehåller en e-postadress som inte är kommunens egen – e-postadresser är personuppgifter.",
    ),
    "IBAN_CODE": (
        "iban",
        "pii.iban",
        "Texten innehåller ett IBAN-kontonummer (kontrollsumman stämmer) – kontonummer är personuppgifter.",
    ),
    "BANK_ACCOUNT": (
        "bank_account",
        "pii.bank_account",
        "Texten innehåller ett clearing- och kontonummer intill ett bankord – "
        "kontonummer är personuppgifter.",
    ),
    "GIRO_NUMBER": (
        "bank_account",
        "pii.giro",
        "Texten innehåller ett bankgiro- eller plusgironummer (kontrollsiffran stämmer) – "
        "det kan peka ut en person, även om många sådana nummer tillhör organisationer.",
    ),
    "CREDIT_CARD": (
        "card_number",
        "pii.card_number",
        "Texten innehåller ett kortnummer (kontrollsiffran stämmer) – kortnummer är personuppgifter.",
    ),
    "IP_ADDRESS": (
        "ip_address",
        "pii.ip_address",
        "Texten innehåller en IP-adress – en IP-adress kan peka ut en person och räknas som personuppgift.",
    ),
    "STREET_ADDRESS": (
        "address",
        "pii.address",
        "Texten innehåller en gatuadress med husnummer – "
        "en adress pekar ut var någon bor och är en personuppgift.",
    ),
    "POSTAL_CODE": (
        "postal_code",
        "pii.postal_code",
        "Texten innehåller ett postnummer med ort – "
        "tillsammans med andra uppgifter pekar det ut var någon bor.",
    ),
    "LICENCE_PLATE": (
        "licence_plate",
        "pii.licence_plate",
        "Texten innehåller ett svenskt registreringsnummer – "
        "det pekar ut fordonets ägare och är en personuppgift.",
    ),
}
_IDENTITY_KINDS = frozenset({"personnummer", "samordningsnummer"})
_IDENTITY_EXPLANATIONS = {
    "personnummer": (
        "Texten innehåller ett giltigt personnummer (datum och kontrollsiffra stämmer) – personnummer är "
        "särskilt skyddsvärda personuppgifter."
    ),
    "samordningsnummer": (
        "Texten innehåller ett giltigt samordningsnummer (kontrollsiffran stämmer) – samordningsnummer är "
        "särskilt skyddsvärda personuppgifter precis som personnummer."
    ),
}
_NAME_EXPLANATIONS = {
    "full_name": "Texten innehåller ett för- och efternamn – namn på privatpersoner är personuppgifter.",
    "cued_first_name": (
        "Texten nämner en person vid förnamn tillsammans med ett ord som pekar ut personen (t.ex. „granne“, "
        "„heter“ eller en ålder) – namnet är en personuppgift."
    ),
    "cued_surname": "Texten nämner en person med efternamn och yrkesroll – namnet är en personuppgift.",
    "genitive_first_name": (
        "Texten nämner en person vid förnamn tillsammans med en närstående eller egendom („…s mamma“) – "
        "namnet är en personuppgift."
    ),
    "pointed_first_name": (
        "Texten nämner en person vid förnamn, pekar ut personen (var hen bor, arbetar eller brukar vara) och "
        "berättar något känsligt om hen – namnet är en personuppgift."
    ),
    "official_outside_role": (
        "Texten nämner en förtroendevald eller anställd med namn och berättar något utanför rollen (brott, "
        "hälsa, lön, tro, ursprung eller sexualliv) – då är namnet en personuppgift."
    ),
    "household_surname": (
        "Texten pekar ut ett hushåll med efternamn („familjen …“) och berättar något känsligt om det – "
        "efternamnet är en personuppgift."
    ),
}
#: What an official's name tied to it makes personal data: nothing the role itself is
#: about (a politician's party, a social worker's placements).
_OUTSIDE_ANY_ROLE = frozenset(
    {"criminal_offence", "health", "salary", "sexual_orientation", "religion", "ethnic_origin"}
)
_HOUSEHOLD_SURNAME = re.compile(HOUSEHOLD_SURNAME, re.IGNORECASE)
#: How far before a number "kontaktcenter", "växeln" … may stand ("Vad är numret till
#: kontaktcenter? Är det fortfarande 031-390 06 00?").
_ORGANISATION_LINE_WINDOW = 40
#: presidio's score for a validated identity number, given to one found through
#: invisible characters, which presidio's pattern cannot see past.
_HIDDEN_IDENTITY_SCORE = 1.0
#: An obfuscated address is as plainly an address to a reader, but the words around
#: it decide less surely than an "@" does.
_OBFUSCATED_EMAIL_SCORE = 0.8
#: Words that tie the number after them to a person, not to the organisation named before.
_PERSONAL_LINE_CUE = re.compile(r"\b(?:min|mitt|mina|hans|hennes|hens|hem(?:nummer|telefon)\w*|grann\w*)\b")
_IDENTITY_CUES = ("personnummer", "personnr", "pnr", "samordningsnummer")
_CATEGORY_ORDER = {"personal_data": 0, "sensitive_personal_data": 1, "confidential": 2}
_REFERENCE_TYPES = frozenset(
    {"SE_IDENTITY_NUMBER", "STREET_ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS", "LICENCE_PLATE"}
)


def warm_up() -> None:
    """Build the presidio engine, load the lists and compile every pattern once."""
    load_gazetteer()
    _special.warm_up()
    _engine.get_engine()
    find_privacy(
        "Anna Svensson, Storgatan 12, 123 45 Exempelby, 070-123 45 67, anna@example.se, ABC 123, "
        "har diabetes och en orosanmälan, dnr SN 2024/12.",
        {"reference_date": date(2026, 1, 1)},
    )


def _reference_date(context: Mapping[str, Any]) -> date:
    """The request's "today"; a value that cannot be read as a date is treated as absent.

    A caller's timestamp is as good as its date, and a moderation request must not fail
    over a malformed context field (``classifiers.context`` treats badly shaped lists the
    same way): the current date is what an absent value means anyway.
    """
    value = context.get("reference_date")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    return date.today()


def _own_contacts(context: Mapping[str, Any]) -> tuple[frozenset[str], frozenset[str]]:
    phones, emails = own_contacts(context)
    return frozenset(map(national_number, phones)), frozenset(e.casefold() for e in emails)


def _identity_entities(text: str, entities: list[Entity], reference: date) -> tuple[list[Entity], dict, dict]:
    """Re-check identity numbers against the request's date and pick the phone reading.

    Returns the kept entities, the kind (personnummer/samordningsnummer) per span and
    the preferred type for spans that are both a plain mobile number and a valid
    personnummer: only the word personnummer (or pnr) before it makes it one.
    """
    kinds: dict[tuple[int, int], str] = {}
    prefer: dict[tuple[int, int], str] = {}
    kept = []
    phone_spans = {(e.start, e.end) for e in entities if e.entity_type == "PHONE_NUMBER"}
    for entity in entities:
        if entity.entity_type == "SE_IDENTITY_NUMBER":
            number = parse_identity_number(text[entity.start : entity.end], reference)
            if number is None:
                continue
            span = (entity.start, entity.end)
            kinds[span] = number.kind
            if span in phone_spans and is_plain_mobile_shape(text[entity.start : entity.end]):
                identity_cue = has_context(text, entity.start, _IDENTITY_CUES)
                prefer[span] = "SE_IDENTITY_NUMBER" if identity_cue else "PHONE_NUMBER"
        kept.append(entity)
    return kept, kinds, prefer


def _organisation_line(text: str, start: int, floor: int) -> bool:
    """True when the words just before a number name an organisation's line.

    The look-back ends at the previous identifier ("Ring växeln 08-… eller min mobil
    070-…": the switchboard is the first number's) and a personal word after the
    organisation's word hands the number back to a person ("kundtjänst och sen
    grannen Anna på 070-…").
    """
    before = text[max(floor, start - _ORGANISATION_LINE_WINDOW) : start].lower()
    organisation = max((before.rfind(stem) for stem in ORGANISATION_LINE_STEMS), default=-1)
    if organisation < 0:
        return False
    return not any(m.start() > organisation for m in _PERSONAL_LINE_CUE.finditer(before))


def _personal_finding(
    rule_id: str, subtype: str, explanation: str, spans: list[tuple[int, int, float]], text: str
) -> Finding:
    ordered = sorted({(s, e) for s, e, _ in spans})
    return Finding(
        category=_PERSONAL,
        subtype=subtype,
        score=round(max(score for _, _, score in spans), 4),
        spans=tuple(Span(s, e, text[s:e]) for s, e in ordered),
        explanation=explanation,
        rule_id=rule_id,
        model_version=MODEL_VERSION,
    )


@cache
def _pupil_names() -> frozenset[str]:
    gazetteer = load_gazetteer()
    return gazetteer.first_names | gazetteer.lowercase_first


def _analyze(text: str) -> list[Entity]:
    """presidio's entities; a shouted comment is read a second time with its words
    capitalised, for what is told by capitals (a street name), keeping what the first
    reading found (a licence plate, which is told by them too)."""
    found = _engine.analyze(text)
    titled = capitalised_words(text) if text.isupper() else None
    if titled is None:
        return found
    more = [e for e in _engine.analyze(titled) if not any(e.start < f.end and f.start < e.end for f in found)]
    return found + more


def find_privacy(text: str, context: dict | None = None) -> list[Finding]:
    """Personal, sensitive and confidential data in ``text``.

    Deterministic for a given text, context and reference date; findings are sorted
    by category, then by the position of their first span.
    """
    ctx: Mapping[str, Any] = context or {}
    if not text or not text.strip():
        return []
    reference = _reference_date(ctx)
    own_phones, own_emails = _own_contacts(ctx)
    officials = entries_of(ctx.get("public_officials"))

    entities, kinds, prefer = _identity_entities(text, _analyze(text), reference)
    for hidden in find_identity_numbers_with_invisibles(text, reference):
        entities.append(Entity("SE_IDENTITY_NUMBER", hidden.start, hidden.end, _HIDDEN_IDENTITY_SCORE))
        kinds[(hidden.start, hidden.end)] = hidden.number.kind
    obfuscated: dict[tuple[int, int], str] = {}
    for start, end, address in find_obfuscated_emails(text):
        entities.append(Entity("EMAIL_ADDRESS", start, end, _OBFUSCATED_EMAIL_SCORE))
        obfuscated[(start, end)] = address
    names = find_names(text, officials)
    name_by_span: dict[tuple[int, int], NameMatch] = {(n.start, n.end): n for n in names}
    entities += [Entity("PERSON", n.start, n.end, n.score) for n in names]
    resolved = resolve_overlaps(entities, prefer)

    grouped: dict[tuple[str, str, str], list[tuple[int, int, float]]] = {}
    previous_end = 0
    for entity in resolved:
        written = text[entity.start : entity.end]
        floor, previous_end = previous_end, max(previous_end, entity.end)
        if entity.entity_type == "PHONE_NUMBER" and (
            national_number(written) in own_phones or _organisation_line(text, entity.start, floor)
        ):
            continue
        address = obfuscated.get((entity.start, entity.end), written)
        if entity.entity_type == "EMAIL_ADDRESS" and (
            address.casefold() in own_emails or is_role_mailbox(address)
        ):
            continue
        if entity.entity_type == "SE_IDENTITY_NUMBER":
            kind = kinds[(entity.start, entity.end)]
            key = (kind, f"pii.{kind}", _IDENTITY_EXPLANATIONS[kind])
        elif entity.entity_type == "PERSON":
            name = name_by_span[(entity.start, entity.end)]
            if name.public_official:
                # A public official in the role ("kommunalrådet Karin Holm", or a name the
                # tenant listed) may be named: no personal-data finding, which every policy
                # would act on.  The name still ties sensitive data to the person (refs).
                continue
            key = ("person_name", "pii.person_name", _NAME_EXPLANATIONS[name.kind])
        else:
            key = _ENTITY_RULES[entity.entity_type]
        grouped.setdefault(key, []).append((entity.start, entity.end, entity.score))

    findings = [
        _personal_finding(rule, subtype, why, spans, text) for (subtype, rule, why), spans in grouped.items()
    ]
    # Personnummer and samordningsnummer are also "särskilt känsliga" under the
    # guidelines (Finspång's list; dataskyddslagen 3 kap. 10 §): the same spans
    # as a sensitive finding too, so a policy on sensitive data sees them.
    numbers = [spans for (subtype, _, _), spans in grouped.items() if subtype in _IDENTITY_KINDS]
    if numbers:
        spans = sorted({(s, e) for group in numbers for s, e, _ in group})
        what, why = _special.SENSITIVE_LABELS_SV["identity_number"]
        findings.append(
            Finding(
                category="sensitive_personal_data",
                subtype="identity_number",
                score=round(max(score for group in numbers for _, _, score in group), 4),
                spans=tuple(Span(s, e, text[s:e]) for s, e in spans),
                explanation=f"Texten innehåller {what} – {why}.",
                rule_id="sensitive.identity_number",
                model_version=MODEL_VERSION,
            )
        )

    def refs() -> list[Reference]:
        name_spans = [(n.start, n.end) for n in names]
        identifiers = [(e.start, e.end) for e in resolved if e.entity_type in _REFERENCE_TYPES]
        return find_references(text, name_spans, identifiers, _pupil_names())

    cached_refs: list[list[Reference]] = []

    def refs_once() -> list[Reference]:
        if not cached_refs:
            cached_refs.append(refs())
        return cached_refs[0]

    sensitive = _special.find_sensitive(text, refs_once)
    tied = sensitive + _special.find_confidential(text, refs_once)
    tied += _special.find_confidential_in_care(text, sensitive)
    tied += _special.find_confidential_client_facts(text, sensitive, refs_once)
    tied += _special.find_confidential_events(text, refs_once)
    tied += _special.sensitive_side([t for t in tied if t.category == "confidential"], sensitive)
    # A first name pointed out ("Jan som kör taxi", "Fredrik i röda radhuset") names a
    # private person only together with what is told of them: the name is personal data
    # when a sensitive or confidential fact is tied to it (writer zzk, train).
    # So does an official's name told with something outside the role ("Rektorn Mirja
    # Gustafsson har blivit polisanmäld för rattfylla"), and a household pointed out by
    # its surname ("familjen Öberg i Gäddträsk har fått barnen omhändertagna"), as the
    # labelling guide says (writers zzh to zzm, train).
    named_by_fact: dict[str, set[tuple[int, int, float]]] = {}
    for item in tied:
        ref = item.tie.reference
        official = name_by_span.get((ref.start, ref.end))
        if ref.kind == "first_name":
            why = "pointed_first_name"
        elif ref.kind == "name" and official is not None and official.public_official:
            if item.category != "sensitive_personal_data" or item.subtype not in _OUTSIDE_ANY_ROLE:
                continue
            why = "official_outside_role"
        elif ref.kind == "relation" and _HOUSEHOLD_SURNAME.fullmatch(ref.text):
            why = "household_surname"
        else:
            continue
        named_by_fact.setdefault(why, set()).add((ref.start, ref.end, item.tie.score))
    for why, places in named_by_fact.items():
        findings.append(
            _personal_finding("pii.person_name", "person_name", _NAME_EXPLANATIONS[why], sorted(places), text)
        )
    by_rule: dict[tuple[str, str], list[_special.TiedTerm]] = {}
    for item in tied:
        by_rule.setdefault((item.category, item.subtype), []).append(item)
    for (category, subtype), items in by_rule.items():
        strongest = max(items, key=lambda i: (i.tie.score, -i.term.start))
        term_spans = {(i.term.start, i.term.end) for i in items}
        term_spans |= {(i.context.start, i.context.end) for i in items if i.context is not None}
        spans = sorted(term_spans | {(i.tie.reference.start, i.tie.reference.end) for i in items})
        prefix = "sensitive" if category == "sensitive_personal_data" else "confidential"
        findings.append(
            Finding(
                category=category,
                subtype=subtype,
                score=round(strongest.tie.score, 4),
                spans=tuple(Span(s, e, text[s:e]) for s, e in spans),
                explanation=_special.explain(strongest),
                rule_id=f"{prefix}.{subtype}",
                model_version=MODEL_VERSION,
            )
        )
    findings.sort(key=lambda f: (_CATEGORY_ORDER[f.category], f.spans[0].start, f.rule_id))
    return findings


__all__ = ["MODEL_VERSION", "find_privacy", "warm_up"]
