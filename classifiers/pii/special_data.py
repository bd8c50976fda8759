"""Sensitive personal data and confidential data, each tied to an identifiable person.

Both detectors share one shape: find the terms of a category, then keep those the
tie rule in :mod:`classifiers.pii.references` attaches to a person.  The finding's
spans hold the term and the reference, so an editor sees both halves of the reason.
A term without a person ("diabetesvården i kommunen är dålig", "socialtjänsten borde
få mer resurser") is general discussion and gives no finding.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from classifiers.pii.lexicon import (
    CASE_NUMBER_RE,
    CASE_PERSONAL_RE,
    CONFIDENTIAL_TERMS,
    IDENTITY_SUBTYPES,
    SENSITIVE_TERMS,
    TermMatch,
    TermMatcher,
    WordIndex,
    preceded_by_copula,
    term_words,
)
from classifiers.pii.references import (
    KIND_LABELS_SV,
    KIND_SCORES,
    PRONOUN_RE,
    Reference,
    Tie,
    sentence_bounds,
    tie,
)

#: Someone who works with the thing ("jobbar i hemtjänsten", "arbetar med
#: missbrukare") says something about their job, not about a person's condition.
_OCCUPATION_RE = re.compile(
    r"\b(?:jobbar|jobbade|jobbat|arbetar|arbetade|arbetat|anställd|praktiserar|utbildar|forskar)\s+"
    r"(?:\w+\s+){0,2}$"
    # Who runs it: "hon som är chef för hemtjänsten" (writers h and zzo, train).
    r"|\b(?:är|var|blev)\s+(?:\w+\s+)?(?:chef|enhetschef|ansvarig|samordnare|föreståndare)\s+"
    r"(?:för|på|i|över)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)

#: A denial in the term's own clause ("jag har inte diabetes", "hon är inte
#: muslim", "jag har aldrig haft cancer") states that the person lacks the
#: condition, belief or service: not flagged as sensitive or confidential data
#: about them ("jag har inte skyddad identitet", writer p, train).  Decided for
#: issue 15 (a moderator has nothing to protect in a denial), documented in
#: REPORT.md.  Still flagged: "inte längre" (tells of a past condition),
#: "inte bara"/"inte enbart" (affirms it), and a term after "utan"/"men" or a
#: comma ("inte diabetes utan cancer": cancer is affirmed).
_NEGATED_RE = re.compile(
    r"\b(?:inte|ej|icke|aldrig|ingen|inget|inga)\b"
    r"(?:\s+(?!längre\b|bara\b|enbart\b|endast\b|utan\b|men\b)[\w-]+){0,3}\s+$"
    # "Ingen i vår familj har dyslexi", "ingen av mina tre ungar har haft särskilt stöd"
    # (writers m and p, train).
    r"|\bingen\s+(?:i|av)\s+(?:\w+\s+){1,3}(?:har|hade|är|var)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
#: "att" opens a clause of its own: "döljer inte att hon har hiv" affirms it.  "om" does
#: not: "vet inte om hon har cancer" says nothing about her.
_CLAUSE_BREAK = re.compile(r"[,.;:!?\n]|\b(?:utan|men|att)\b", re.IGNORECASE)


#: A possessive right before the term makes it something the person has, whatever the
#: clause denies: "hemtjänsten hade inte tömt hennes stomipåse" (writer zzk, train).
_OWNED_RE = re.compile(r"\b(?:hans|hennes|hens|min|mitt|mina|sin|sitt|sina|deras)\s+$", re.IGNORECASE)


def negated(text: str, start: int) -> bool:
    """Whether the term starting at ``start`` is denied within its own clause."""
    before = text[max(0, start - 50) : start]
    if _OWNED_RE.search(before):
        return False
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    return _NEGATED_RE.search(" " + before) is not None


_ART9 = "en känslig personuppgift enligt GDPR artikel 9"
SENSITIVE_LABELS_SV = {
    "health": ("en uppgift om hälsa", f"hälsa är {_ART9}"),
    "ethnic_origin": ("en uppgift om etniskt ursprung", f"etniskt ursprung är {_ART9}"),
    "religion": ("en uppgift om religiös övertygelse", f"religiös övertygelse är {_ART9}"),
    "political_opinion": ("en uppgift om politisk åsikt", f"politisk åsikt är {_ART9}"),
    "union_membership": ("en uppgift om fackmedlemskap", f"fackmedlemskap är {_ART9}"),
    "sexual_orientation": (
        "en uppgift om sexualliv eller sexuell läggning",
        f"sexualliv och läggning är {_ART9}",
    ),
    "criminal_offence": (
        "en uppgift om brott",
        "uppgifter om lagöverträdelser är särskilt skyddsvärda personuppgifter (GDPR artikel 10)",
    ),
    "salary": ("en löneuppgift", "löneuppgifter räknas som särskilt skyddsvärda personuppgifter"),
    "social_services": (
        "en uppgift om sociala förhållanden",
        "uppgifter om sociala förhållanden räknas som särskilt skyddsvärda personuppgifter",
    ),
    "identity_number": (
        "ett person- eller samordningsnummer",
        "personnummer får bara behandlas när det är klart motiverat (dataskyddslagen 3 kap. 10 §)",
    ),
}

CONFIDENTIAL_LABELS_SV = {
    "social_services": "sekretess inom socialtjänsten (OSL 26 kap.)",
    "health_care": "sekretess inom hälso- och sjukvården (OSL 25 kap.)",
    "school": "sekretess i skolan och elevhälsan (OSL 23 kap.)",
    "protected_identity": "skyddade personuppgifter (sekretessmarkering eller skyddad identitet)",
    "case_details": "sekretess i ett enskilt ärende hos kommunen",
}
_CONFIDENTIAL_TAIL = (
    "sådana uppgifter får inte ligga kvar på kommunens konto, inte ens om personen själv skrivit dem"
)


@dataclass(frozen=True, slots=True)
class TiedTerm:
    """A term of one subtype with the reference it is about.

    ``context`` is the municipal service named beside a health term when that
    pairing, not a term of its own, is what makes the text confidential.
    """

    category: str
    subtype: str
    term: TermMatch
    tie: Tie
    context: TermMatch | None = None


_DEACCENT = str.maketrans({"å": "a", "ä": "a", "ö": "o", "Å": "A", "Ä": "A", "Ö": "O"})
#: The other keyboard habit without å, ä and ö: "aa", "ae" and "oe" ("foersoerjningsstoed").
_DIGRAPHS = str.maketrans({"å": "aa", "ä": "ae", "ö": "oe", "Å": "Aa", "Ä": "Ae", "Ö": "Oe"})
_SWEDISH_LETTERS = re.compile(r"[åäöÅÄÖ]")
_DIGRAPH_HINT = re.compile(r"aa|ae|oe", re.IGNORECASE)


def _folded(text: str) -> str:
    """One spelling for every keyboard: lower case, a/a/o for å/ä/ö, and the pairs
    "aa", "ae" and "oe" as one letter.  Both a term found in a text and the
    patterns below are compared in this form."""
    return text.lower().translate(_DEACCENT).replace("aa", "a").replace("ae", "a").replace("oe", "o")


def _ascii_terms(
    terms: dict[str, tuple[str, ...]], table: dict[int, str] = _DEACCENT
) -> dict[str, tuple[str, ...]]:
    """Terms spelled without å, ä and ö (``table``: a/a/o or aa/ae/oe); a short word keeps
    its own ("bög" → "bog" is a ship's bow, "döv" → "dov" a dull sound)."""
    out: dict[str, tuple[str, ...]] = {}
    for subtype, fragments in terms.items():
        spelled = [
            f if " " not in f and len(_WORD_CORE.sub("", f)) <= 4 else f.translate(table) for f in fragments
        ]
        out[subtype] = tuple(dict.fromkeys(spelled))
    return out


#: Optional groups and open endings of a term's pattern, to find its fixed letters.
_WORD_CORE = re.compile(r"\(\?:[^)]*\)\??|\\w[*+]")


def _spelled(kind: str, spelling: str) -> dict[str, tuple[str, ...]]:
    """The terms of ``kind`` as written (``"sv"``), in a/a/o (``"ascii"``) or in
    aa/ae/oe (``"digraphs"``)."""
    terms = SENSITIVE_TERMS if kind == "sensitive" else CONFIDENTIAL_TERMS
    if spelling == "sv":
        return terms
    return _ascii_terms(terms, _DEACCENT if spelling == "ascii" else _DIGRAPHS)


@cache
def _words(spelling: str) -> WordIndex:
    """One index of the words both kinds' terms need, in one spelling: both ask about
    the same text."""
    return WordIndex(
        term_words(_spelled("sensitive", spelling)) | term_words(_spelled("confidential", spelling))
    )


@cache
def _matcher(kind: str, spelling: str) -> TermMatcher:
    return TermMatcher(_spelled(kind, spelling), _words(spelling))


def _find_terms(kind: str, text: str) -> list[TermMatch]:
    """The terms of ``kind`` in ``text``, also where a letter is stretched ("epilepsiiiii",
    "cancerrrr"): such a text is read with every run of three or more of a letter as one,
    and as two, and what is found there that the text as written did not show is added."""
    found = _find_spelled_terms(kind, text)
    readings = _stretched_readings(text)
    if not readings:
        return found
    more: list[TermMatch] = []
    for squeezed, runs in readings:  # "epilepsiiii" is "epilepsi", "misssbruk" is "missbruk"
        for m in _find_spelled_terms(kind, squeezed):
            start, end = runs.offset + runs.original_start(m.start), runs.offset + runs.original_end(m.end)
            if not any(f.start < end and start < f.end for f in found + more):
                more.append(TermMatch(start, end, text[start:end], m.subtype))
    return sorted(found + more, key=lambda m: (m.start, m.end)) if more else found


#: Three of a character in a row: a cheap test before the exact one, for letters.
_ANY_RUN = re.compile(r"(.)\1\1")
_STRETCHED = re.compile(r"([^\W\d_])\1{2,}")


class _Runs:
    """Where the squeezed runs of a text were, to map a squeezed offset back."""

    def __init__(self, keep: int, offset: int) -> None:
        self.keep = keep
        self.offset = offset  # where the squeezed stretch of text begins in the text
        self.squeezed_starts: list[int] = []  # where each run begins in the squeezed text
        self.spans: list[tuple[int, int]] = []  # the run in the text as written
        self.shifts: list[int] = []  # characters removed before the run

    def original_start(self, i: int) -> int:
        k = bisect_right(self.squeezed_starts, i) - 1
        if k < 0:
            return i
        a, b = self.spans[k]
        within = i - self.squeezed_starts[k]
        if within < self.keep:
            return a + within
        return i + self.shifts[k] + (b - a - self.keep)

    def original_end(self, e: int) -> int:
        """The end of a match that ends at ``e``: a run it ends in is taken whole."""
        last = e - 1
        k = bisect_right(self.squeezed_starts, last) - 1
        if k >= 0 and last == self.squeezed_starts[k] + self.keep - 1:
            return self.spans[k][1]
        return self.original_start(last) + 1


@lru_cache(maxsize=4)
def _stretched_readings(text: str) -> tuple[tuple[str, _Runs], ...]:
    """``text`` with every run of three or more of one letter as one letter and as two, or
    nothing when it has no such run (the sensitive and the confidential terms ask in turn)."""
    if _ANY_RUN.search(text) is None:
        return ()
    stretches = [m.span() for m in _STRETCHED.finditer(text)]
    if not stretches:
        return ()
    # Only the words around the runs are read again: from the word before the first
    # to the word after the last (a term of several words may start or end there).
    before = _WORDS_BEFORE.search(text, 0, stretches[0][0])
    after = _WORDS_AFTER.match(text, stretches[-1][1])
    first = before.start() if before else 0
    last = after.end() if after else len(text)
    readings = []
    for keep in (1, 2):
        runs = _Runs(keep, first)
        parts: list[str] = []
        pos, removed = first, 0
        for a, b in stretches:
            parts.append(text[pos:a])
            runs.squeezed_starts.append(a - first - removed)
            runs.spans.append((a - first, b - first))
            runs.shifts.append(removed)
            parts.append(text[a] * keep)
            removed += b - a - keep
            pos = b
        parts.append(text[pos:last])
        readings.append(("".join(parts), runs))
    return tuple(readings)


#: The word the first run is in and the one before it; the rest of the last run's word
#: and the one after it.
_WORDS_BEFORE = re.compile(r"\S*\s*\S*$")
_WORDS_AFTER = re.compile(r"\S*\s*\S*")


def _find_spelled_terms(kind: str, text: str) -> list[TermMatch]:
    """The terms of ``kind`` in ``text`` as spelled.  A text without å, ä or ö was typed on a
    keyboard without them: its terms are looked up in their a/a/o spelling
    ("forsorjningsstod", "hemtjansten"), which also holds every term without those
    letters, and where the text has such pairs, in aa/ae/oe ("foersoerjningsstoed")."""
    if _SWEDISH_LETTERS.search(text) is not None:
        return _matcher(kind, "sv").find(text)
    found = _matcher(kind, "ascii").find(text)
    if _DIGRAPH_HINT.search(text) is None:
        return found
    more = [
        m
        for m in _matcher(kind, "digraphs").find(text)
        if not any(f.start < m.end and m.start < f.end for f in found)
    ]
    return sorted(found + more, key=lambda m: (m.start, m.end)) if more else found


def warm_up() -> None:
    for kind in ("sensitive", "confidential"):
        for spelling in ("sv", "ascii", "digraphs"):
            _matcher(kind, spelling)


def _tied(
    text: str,
    category: str,
    terms: list[TermMatch],
    refs_factory: Callable[[], list[Reference]],
    needs_copula: frozenset[str],
) -> list[TiedTerm]:
    if not terms:
        return []
    refs = refs_factory()
    bounds = sentence_bounds(text)
    tied = []
    for term in terms:
        if term.subtype != "salary" and _OCCUPATION_RE.search(text[max(0, term.start - 40) : term.start]):
            continue  # "jobbar med barn med autism"; but where one works says whose pay it is
        if _is_home_care(term) and _HOME_CARE_WORKPLACE.search(text[max(0, term.start - 10) : term.start]):
            continue  # where someone works ("tack till Anna i hemtjänsten"), not a client's service
        before = text[max(0, term.start - 50) : term.start]
        if _CARE_HOUSING.search(term.text) and _CARE_WORKPLACE.search(before):
            continue  # "personalen på korttidsboendet": where staff work
        if negated(text, term.start):
            continue  # "jag har inte skyddad identitet", "har inget åtgärdsprogram"
        if _COUNTED_GROUP.search(before):
            continue  # "flera elever med npf": many people, no one of them
        if (
            term.subtype in needs_copula
            and not _DOING.match(term.text)
            and not preceded_by_copula(text, term.start)
        ):
            continue
        found = tie(text, term.start, term.end, refs, bounds)
        if found is not None:
            tied.append(TiedTerm(category, term.subtype, term, found))
    return tied


#: Identity terms that are something a person does ("röstar på", "går i moskén", "bär
#: slöja", "konverterade"): the verb itself says it of the person, no copula needed.
_DOING = re.compile(r"(?:röst|går i |gick i |bär |konverter)", re.IGNORECASE)


def find_sensitive(text: str, refs_factory: Callable[[], list[Reference]]) -> list[TiedTerm]:
    """Sensitive terms tied to a person.  ``refs_factory`` is only called if a term is found."""
    terms = _find_terms("sensitive", text)
    return _tied(text, "sensitive_personal_data", terms, refs_factory, IDENTITY_SUBTYPES)


#: A person right before "ärende" ("Anna Svenssons ärende dnr SN 2024/1234",
#: "grannens ärende").
_CASE_AFTER_NAME = re.compile(r"s? ärende\b", re.IGNORECASE)


def _named_case(text: str, refs: list[Reference]) -> bool:
    """Whether a case is named as someone's own, as "mitt ärende" is the writer's."""
    return any(_CASE_AFTER_NAME.match(text, ref.end) for ref in refs)


def find_confidential(text: str, refs_factory: Callable[[], list[Reference]]) -> list[TiedTerm]:
    """Confidential terms tied to a person, plus case numbers about a person's matter."""
    terms = _find_terms("confidential", text)
    tied = _tied(text, "confidential", terms, refs_factory, frozenset())
    case_numbers = list(CASE_NUMBER_RE.finditer(text))
    if case_numbers and (tied or CASE_PERSONAL_RE.search(text) or _named_case(text, refs_factory())):
        refs = refs_factory()
        bounds = sentence_bounds(text)
        for match in case_numbers:
            term = TermMatch(match.start(), match.end(), match.group(0), "case_details")
            found = tie(text, term.start, term.end, refs, bounds)
            if found is None and tied:
                found = tied[0].tie
            if found is None:
                personal = CASE_PERSONAL_RE.search(text)
                if personal is not None:
                    found = Tie(Reference(personal.start(), personal.end(), personal.group(0), "self"), 0.75)
            if found is not None:
                tied.append(TiedTerm("confidential", "case_details", term, found))
    return tied


#: Where a municipality learns about a person's health: its social services and
#: care, its schools, its health care.  A health condition tied to a person and
#: named beside one of them is what the municipality holds under sekretess
#: (OSL 23, 25 and 26 kap.), so the comment exposes it whoever wrote it ("min
#: pappa har demens och hemtjänsten glömmer hans medicin", "Johan i 6A har fått
#: diagnosen ADHD").  Written from train-split comments.
def _ascii_tolerant(pattern: str) -> str:
    """Let å, ä and ö in a pattern also match the a, a and o of keyboards without them
    ("hemtjansten", "forskolan") or with aa, ae and oe ("hemtjaensten", "Solgaarden").
    Only for patterns without those letters in a class."""
    return pattern.replace("å", "(?:å|aa|a)").replace("ä", "(?:ä|ae|a)").replace("ö", "(?:ö|oe|o)")


_CARE_CONTEXT = re.compile(
    # The look-ahead for the alternatives' first letters lets the engine skip ahead.
    r"(?=[abdefghiklmnoprsvä])"
    + _ascii_tolerant(
        r"\b(?:(?P<social_services>hemtjänst\w*|socialtjänst\w*|soc|socialen|bistånd\w*|"
        r"lss|särskilt\s+boende|särskilda\s+boende\w*|äldreboende\w*|gruppboende\w*|"
        r"korttidsboende\w*|korttids(?:plats\w*|vistelse\w*)?|gruppbostad\w*|servicebostad\w*|säbo|säboet|"
        r"nattpatrull\w*|sis-hem\w*|boendestöd\w*|ledsagare\w*|"
        r"personlig\s+assistan\w*|assistansen|daglig\s+verksamhet|demensboende\w*|omsorgen|"
        r"boendet|brukare\w*|vårdboende\w*|ledsagning\w*|behandlingshem\w*|avlastning\w*|"
        r"missbruksenhet\w*|socialsekreterare\w*|på\s+(?-i:[A-ZÅÄÖ])\w*(?:gården|hemmet))|"
        r"(?P<school>förskola\w*|avdelning\s+(?-i:[A-ZÅÄÖ])\w+|skola\w*|skolan|klassen|klass\s+\d\w?|i\s+\d[a-f]|elevhälsa\w*|"
        r"(?:skriva|skrev|skriver|göra|gjorde)\s+prov(?:et|en)?|lärare\w*|läraren|pedagog\w*|fritids\w*|rektor\w*|mentor\w*|resursskola\w*|resursperson\w*)|"
        r"(?P<health_care>vårdcentral\w*|sjukhus\w*|psyk(?:et|iatrin)?|akuten|hemsjukvård\w*|"
        r"distriktssköterska\w*|sjuksköterska\w*|avdelning\s+\d+|avdelningen))\b"
    ),
    re.IGNORECASE,
)


#: Words by which a sentence goes on speaking of the person of the sentence before:
#: a third person ("hon", "honom") or the writer ("jag", "mig").
_CARRIED = {
    "other": PRONOUN_RE,
    "self": re.compile(r"\b(?:jag|ja|mig|mej|min|mitt|mina)\b", re.IGNORECASE),
}


def _carried_kind(reference_kind: str) -> str:
    return "self" if reference_kind == "self" else "other"


def find_confidential_in_care(text: str, sensitive: list[TiedTerm]) -> list[TiedTerm]:
    """A health term tied to a person in a text that names a municipal service.

    One finding, for the first service named; its subtype says which sekretess
    (social services, school or health care) it falls under.
    """
    # Health and social circumstances ("hemlös" beside "socialen"); a service word
    # is never its own context ("klaga på att hemtjänsten kommer sent").
    health = [t for t in sensitive if t.subtype in ("health", "social_services")]
    if not health:
        return []
    bounds = sentence_bounds(text)

    def sentence(pos: int) -> int:
        return next(i for i, (_, end) in enumerate(bounds) if pos <= end)

    for found in _CARE_CONTEXT.finditer(text):
        # The service and the condition in one sentence: "Min granne har diabetes.
        # Skolan har nya lokaler." says nothing about the school knowing it.
        # A pronoun carries the person over from the sentence before: "Hemtjänsten
        # glömmer insulinet till min bror. Han har diabetes."
        # And the other way: "Min dotter har diabetes. Vem på fritids ska ta hand om
        # insulinet när hon börjar?" — the service's sentence speaks of the same person.
        here = sentence(found.start())
        start, end = bounds[here]
        carried = {kind for kind, pattern in _CARRIED.items() if pattern.search(text, start, end + 1)}
        same = [
            t
            for t in health
            if (
                sentence(t.term.start) == here
                or (t.tie.reference.kind == "pronoun" and sentence(t.term.start) == here + 1)
                or (sentence(t.term.start) == here - 1 and _carried_kind(t.tie.reference.kind) in carried)
            )
            and not (t.term.start < found.end() and found.start() < t.term.end)
        ]
        if not same:
            continue
        subtype = next(name for name, value in found.groupdict().items() if value is not None)
        context = TermMatch(found.start(), found.end(), found.group(0), subtype)
        strongest = max(same, key=lambda t: (t.tie.score, -t.term.start))
        return [TiedTerm("confidential", subtype, strongest.term, strongest.tie, context)]
    return []


#: Sensitive social circumstances that exist only as a decision or a record of a
#: municipal service, with the sekretess that covers them: being a client of the
#: social services ("jag har försörjningsstöd", "haft soc hemma"), a pupil's support
#: at school (OSL 23 kap.), a protected identity.  Such a fact tied to a person is
#: confidential whoever wrote it (policies: "also when the person wrote it about
#: themself").  Circumstances a municipality need not hold (kronofogden, hemlös,
#: våldsutsatt) stay sensitive only.
_CLIENT_FACTS = tuple(
    (re.compile(_folded(pattern)), subtype)
    for pattern, subtype in (
        (
            r"försörjningsstöd|ekonomiskt bistånd|socialbidrag|lever på bidrag|\blv[um]\b|omhänder|"
            r"placerad|familjehem|fosterhem|jourhem|\bhvb|kontaktfamilj|stödboende|boendestöd|"
            r"lss-insats|skyddat boende|aktuell|\btog\b|\bhaft\b|orosanmälan|god man|förvaltarskap",
            "social_services",
        ),
        (r"åtgärdsprogram|särskild undervisningsgrupp|anpassad studiegång|hemmasittare", "school"),
        (r"skyddad identitet|skyddade personuppgifter", "protected_identity"),
    )
)
#: Home care is a service word as much as a client fact: it is the person's own
#: when it is theirs ("sin hemtjänst sänkt") or they have or get it ("har
#: hemtjänst"), not when staff are thanked or the service is discussed ("tacka X
#: i hemtjänsten", "har hemtjänsten som arbetsgivare").
_HOME_CARE_OWNER = re.compile(
    r"\b(?:sin|min|hans|hennes|deras|vår|din|mammas|pappas)\s+(?:\w+\s+)?$", re.IGNORECASE
)
_HOME_CARE_GRANTED = re.compile(r"\b(?:har|hade|får|fått|fick)\s+(?:\w+\s+)?$", re.IGNORECASE)


#: Home care as a workplace: "Anna i hemtjänsten", "de som jobbar inom hemtjänsten".
_HOME_CARE_WORKPLACE = re.compile(r"\b(?:i|inom)\s+$", re.IGNORECASE)
#: Care housing named as where staff work ("tack till alla på äldreboendet", "personalen på
#: korttidsboendet", "tacka Mattias på korttids"), not as where a client lives.
_CARE_HOUSING = re.compile(r"boende|bostad|korttids|daglig", re.IGNORECASE)
#: A term said of a counted group ("de flesta klasser har flera elever med npf",
#: "många äldre med demens"): a fact about many, tied to none (writer p, train).
_COUNTED_GROUP = re.compile(
    r"\b(?:flera|många|alla|fler|några|få|massor\s+av|en\s+del)\s+(?:\w+\s+)?"
    r"(?:elever|barn|ungdomar|unga|personer|människor|vuxna|äldre|brukare|patienter|familjer|föräldrar)"
    r"\s+(?:med|som\s+har)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
_CARE_WORKPLACE = re.compile(
    r"\b(?:(?:personalen|personal|alla|anställda|kollegorna|jobbar|jobbade|arbetar|arbetade)\s+(?:\w+\s+)?"
    r"|(?:jobbar|jobbade|jobbat|arbetar|arbetade|arbetat)\s+som\s+\w+\s+"
    r"|tack(?:a|ar|ade)?\s+(?:\w+\s+){0,4})på\s+$",
    re.IGNORECASE,
)


def _is_home_care(term: TermMatch) -> bool:
    return term.subtype == "social_services" and _folded(term.text).startswith("hemtjanst")


def _own_home_care(text: str, term: TermMatch) -> bool:
    """Home care named as a person's: theirs ("sin hemtjänst"), or had or got ("har hemtjänst")."""
    before = text[max(0, term.start - 30) : term.start]
    indefinite = _folded(term.text) == "hemtjanst"
    return _HOME_CARE_OWNER.search(before) is not None or (
        indefinite and _HOME_CARE_GRANTED.search(before) is not None
    )


#: A service the municipality grants a person, named as theirs ("sin daglig
#: verksamhet indragen", "min biståndshandläggare", "har hemtjänst fyra gånger om
#: dagen"): the person is a client of the social services, which is under
#: socialtjänstsekretess.  Definite forms after "har" are left out: "varför har
#: hemtjänsten slutat" asks about the service.
_OWN_SERVICE = re.compile(
    _ascii_tolerant(
        # The look-ahead for the first letters lets the engine skip most positions.
        r"(?=[smhdvfbnakltp])\b(?:(?:sin|sitt|sina|min|mitt|mina|hans|hennes|deras|vår|vårt|våra)\s+(?:\w+\s+)?"
        r"(?:hemtjänst\w*|boendestöd\w*|ledsag\w+|personliga?\s+assistent\w*|assistans\w*|"
        r"dagliga?\s+verksamhet\w*|korttids\w*|avlastning\w*|trygghetslarm\w*|"
        r"biståndshandläggare\w*|socialsekreterare\w*|kontaktperson\w*|boendestödjare\w*|lss-\w+|"
        # "min handläggare på soc" (writer zzj, train); a handläggare elsewhere is no client's.
        r"handläggare\w*\s+(?:på|hos|inom)\s+(?:soc|socialen|socialtjänsten)\b)"
        r"|(?:har|hade|får|fick|fått|beviljats|beviljades|nekats|nekades)\s+(?:\w+\s+)?"
        r"(?:hemtjänst|boendestöd|ledsagare|personlig\s+assistans|daglig\s+verksamhet|korttidsplats|"
        r"korttidsvistelse|avlastning|trygghetslarm|kontaktperson)"
        # The service given to someone: "assistansen för min dotter", "hemtjänsten
        # kommer hem till pappa".  Only the service is the term; the person after
        # it is the reference it ties to.
        r"|(?:hemtjänst\w*|assistans\w*|personliga?\s+assistent\w*|ledsag\w+|boendestöd\w*|"
        r"korttids\w*|avlastning\w*|dagliga?\s+verksamhet\w*|trygghetslarm\w*|kontaktperson\w*)"
        r"(?=\s+(?:\w+\s+){0,2}(?:för|till|åt|hos)\s+(?:min|mitt|mina|hans|hennes|vår|våra|deras|"
        r"mamma|pappa|mormor|morfar|farmor|farfar)\b))\b"
    ),
    re.IGNORECASE,
)


_FIRST_PERSON_OWNER = re.compile(r"(min|mitt|mina|vår|vårt|våra)\s+", re.IGNORECASE)


#: Letters every service word of ``_OWN_SERVICE`` contains, in either spelling:
#: most comments have none, and a literal search is cheaper than the pattern.
_SERVICE_HINT = re.compile(
    r"hemtj|boendest|ledsag|assist|verksamhet|korttid|avlastn|trygghetsl|handl|socialsekr|kontaktpers|lss-"
)


#: The sensitive kind of data a confidential fact about a person is: what the social
#: services or a school hold about someone tells of their social circumstances, what
#: health care holds of their health.  A case number is not itself sensitive.
_SENSITIVE_SIDE = {
    "social_services": "social_services",
    "school": "social_services",
    "protected_identity": "social_services",
    "health_care": "health",
}


def sensitive_side(confidential: list[TiedTerm], sensitive: list[TiedTerm]) -> list[TiedTerm]:
    """The sensitive data that a confidential fact tied to a person also is.

    Being investigated by the social services, losing custody, having an action
    programme at school or a record at the psychiatric clinic are social
    circumstances or health: "särskilt skyddsvärda" personal data (IMY), which a
    municipality's guidelines treat as sensitive whether or not the text also
    names a listed sensitive term.  Facts already found as sensitive are not
    repeated.
    """
    found = [(t.term.start, t.term.end) for t in sensitive]
    implied = []
    for item in confidential:
        # An incident in care ("har fått fel medicin", "legat i sin urin") tells of the
        # person's health whichever service holds it (writers v and z, train).
        kind = "health" if item.term.subtype == "health" else _SENSITIVE_SIDE.get(item.subtype)
        if kind is None:
            continue
        if any(a < item.term.end and item.term.start < b for a, b in found):
            continue  # a health term beside a service is sensitive already
        implied.append(TiedTerm("sensitive_personal_data", kind, item.term, item.tie))
    return implied


def find_confidential_client_facts(
    text: str, sensitive: list[TiedTerm], refs_factory: Callable[[], list[Reference]]
) -> list[TiedTerm]:
    """Social-services, school and protected-identity facts about a person (see
    ``_CLIENT_FACTS``), and services granted to a person (``_OWN_SERVICE``)."""
    found: list[TiedTerm] = []
    own = list(_OWN_SERVICE.finditer(text)) if _SERVICE_HINT.search(text.lower()) else []
    if own:
        refs = refs_factory()
        bounds = sentence_bounds(text)
        for match in own:
            mine = _FIRST_PERSON_OWNER.match(match.group(0))
            if mine is not None:
                # "Min kontaktperson på soc": the possessive is whose it is, the rest the term.
                owner = Reference(match.start(), match.start() + len(mine.group(1)), mine.group(1), "self")
                start = match.start() + mine.end()
                term = TermMatch(start, match.end(), text[start : match.end()], "social_services")
                tied: Tie | None = Tie(owner, KIND_SCORES["self"])
            else:
                term = TermMatch(match.start(), match.end(), match.group(0), "social_services")
                tied = tie(text, term.start, term.end, refs, bounds)
            if tied is not None:
                found.append(TiedTerm("confidential", "social_services", term, tied))
    for item in sensitive:
        if item.subtype != "social_services":
            continue
        if _is_home_care(item.term):
            if _own_home_care(text, item.term):
                found.append(TiedTerm("confidential", "social_services", item.term, item.tie))
            continue
        for pattern, subtype in _CLIENT_FACTS:
            if pattern.search(_folded(item.term.text)):
                found.append(TiedTerm("confidential", subtype, item.term, item.tie))
                break
    return found


#: Taking a family's children into care (LVU), demanded or told: "socialtjänsten
#: borde ta hennes barn", "soc tog min brors barn", "omhänderta ungarna till
#: Sara".  Who the children are is socialtjänstsekretess (OSL 26 kap.) whether
#: the removal happened or somebody asks for it.  "Ta" needs a possessive before
#: the children and a social-services actor in the sentence ("ta hand om barnen",
#: "ta med barnen" and "hämta barnen på förskolan" say nothing of the kind).
_SOCIAL_ACTOR = re.compile(
    _ascii_tolerant(r"\b(?:soc|socialen|socialtjänst\w*|socialnämnd\w*|socialsekreterar\w*|handläggar\w*)\b"),
    re.IGNORECASE,
)
_CHILDREN = r"(?:barn|barnen|barnet|ungar|ungarna|ungen|son|sonen|dotter|dottern|döttrar|söner|bebis|bebisen)"
_GENITIVE = r"(?:hans|hennes|hens|deras|min|mina|mitt|vår|våra|vårt|din|dina|\w+s)"
#: How the owner inside the phrase points at a person; a noun's genitive ("min
#: brors", "Saras") is a relation.
_OWNER_KINDS = {
    **dict.fromkeys(("hans", "hennes", "hens", "deras", "din", "dina"), "pronoun"),
    **dict.fromkeys(("min", "mina", "mitt", "vår", "våra", "vårt"), "self"),
}
_POSSESSIVE_IN = re.compile(rf"\b{_GENITIVE}\b(?!\s+{_GENITIVE}\b)", re.IGNORECASE)
_CHILD_REMOVAL = re.compile(
    _ascii_tolerant(
        r"\bomhänderta(?:s|r|ts|des)?\b"
        rf"|\b(?:ta|tar|tog|tagit|tas|omhänderta|placera|placerade)\s+(?:{_GENITIVE}\s+){{1,2}}{_CHILDREN}\b"
        rf"|\b(?:ta|tar|tog|tagit)\s+{_CHILDREN}(?=\s+från\s+(?P<source>henne|honom|hen|dem|dom|föräldrarna|mamman|pappan|(?-i:[A-ZÅÄÖ])\w+)\b)"
    ),
    re.IGNORECASE,
)

#: What happens to a person only in care, told about someone: wrong medicine
#: given ("fått fel medicin"; "jag tog fel tablett" is the person's own slip),
#: pressure sores, left lying in urine, medicine or a shower not given.  The
#: care provider (the municipality's elderly care or hemsjukvård, or a
#: health-care unit) holds it under sekretess (OSL 25-26 kap.), so it is
#: confidential about a named or pointed-out resident even without a health
#: term ("min mamma på Ekbacken har fått fel medicin").  The service named in
#: the text decides which sekretess; health care when none is named.
_CARE_INCIDENT = re.compile(
    _ascii_tolerant(
        r"\b(?:fått|fick|får|fåt|getts|gavs|ges)\s+(?:\w+\s+)?fel\s+(?:medicin\w*|tablett\w*|dos\w*|läkemedel\w*|insulin\w*|spruta\w*)"
        r"|\b(?:trycksår|liggsår)\w*"
        r"|\b(?:ligger|låg|legat|ligga|sitter|satt|suttit)\s+i\s+sin\s+(?:egen\s+)?(?:urin|avföring|bajs|kiss|blöja)\b"
        r"|\b(?:inte|aldrig)\s+(?:har\s+)?(?:fått|får|fick)\s+(?:sin\w*\s+)?(?:medicin\w*|insulin\w*|dusch\w*|läkemedel\w*)"
    ),
    re.IGNORECASE,
)


#: Telling the social services about a family ("jag vill anmäla att barnen hos
#: Aino går utan vinterkläder, soc måste göra nåt"): an orosanmälan written in
#: public, confidential at the social services once made (OSL 26 kap.).  Needs
#: a social-services actor in the text; the person tied is never that actor
#: ("jag har anmält socialsekreteraren till IVO" is a complaint about an official)
#: nor the writer.
_REPORTED = re.compile(
    _ascii_tolerant(r"\b(?:anmäla|anmäler|anmält|anmälde|anmälts|rapportera\w*)\b"), re.IGNORECASE
)


#: Letters every match of the patterns above contains (lower case, either spelling).
_ACTOR_HINT = re.compile(r"soc|handl")
_INCIDENT_HINT = re.compile(r"medicin|tablett|dos|läkemed|lakemed|insulin|sprut|trycks|liggs|i sin |dusch")


def find_confidential_events(text: str, refs_factory: Callable[[], list[Reference]]) -> list[TiedTerm]:
    """A child taken into care (``_CHILD_REMOVAL``), a family reported to the
    social services (``_REPORTED``) and an incident in care (``_CARE_INCIDENT``),
    each tied to a person."""
    # Most comments name no social service and no care: literal look-ups in the
    # lower-cased text tell cheaply which patterns can match at all.
    lower = text.lower()
    actors = [m.span() for m in _SOCIAL_ACTOR.finditer(text)] if _ACTOR_HINT.search(lower) else []

    def clients() -> list[Reference]:
        # Whom a service acted on or was told about: never the official, never the writer.
        return [
            r
            for r in refs_factory()
            if r.kind != "self" and not any(a < r.end and r.start < b for a, b in actors)
        ]

    found: list[TiedTerm] = []
    if actors or "omh" in lower:
        found += _children_taken(text, actors, clients)
    if actors:
        found += _families_reported(text, clients)
    if _INCIDENT_HINT.search(lower):
        found += _care_incidents(text, refs_factory)
    return found


def _children_taken(
    text: str, actors: list[tuple[int, int]], clients: Callable[[], list[Reference]]
) -> list[TiedTerm]:
    found = []
    bounds = sentence_bounds(text)
    for match in _CHILD_REMOVAL.finditer(text):
        start, end = next((a, b) for a, b in bounds if a <= match.start() <= b)
        if not any(start <= a < end for a, _ in actors) and "omh" not in match.group(0).lower():
            continue
        term = TermMatch(match.start(), match.end(), match.group(0), "social_services")
        # The possessive inside the phrase ("hennes barn", "min brors barn") is
        # whose children they are; otherwise the person named nearby ("från Lisa Berg").
        owner = _POSSESSIVE_IN.search(match.group(0), 3)
        if owner is not None:
            at, to = match.start() + owner.start(), match.start() + owner.end()
            kind = _OWNER_KINDS.get(owner.group(0).lower(), "relation")
            tied: Tie | None = Tie(Reference(at, to, text[at:to], kind), KIND_SCORES[kind])
        else:
            tied = tie(text, term.start, term.end, clients(), bounds)
            if tied is None and match.group("source") is not None:
                at, to = match.span("source")  # "från henne": the pronoun is the family
                tied = Tie(Reference(at, to, text[at:to], "pronoun"), KIND_SCORES["pronoun"])
        if tied is not None:
            found.append(TiedTerm("confidential", "social_services", term, tied))
    return found


def _families_reported(text: str, clients: Callable[[], list[Reference]]) -> list[TiedTerm]:
    bounds = sentence_bounds(text)
    for match in _REPORTED.finditer(text):
        term = TermMatch(match.start(), match.end(), match.group(0), "social_services")
        reported = tie(text, term.start, term.end, clients(), bounds)
        if reported is not None:
            return [TiedTerm("confidential", "social_services", term, reported)]
    return []


def _care_incidents(text: str, refs_factory: Callable[[], list[Reference]]) -> list[TiedTerm]:
    """The first incident tied to a person; the service named in the text decides
    which sekretess, health care when none is named."""
    incidents = list(_CARE_INCIDENT.finditer(text))
    if not incidents:
        return []
    service = _CARE_CONTEXT.search(text)
    context = None
    subtype = "health_care"
    if service is not None:
        subtype = next(name for name, value in service.groupdict().items() if value is not None)
        context = TermMatch(service.start(), service.end(), service.group(0), subtype)
    bounds = sentence_bounds(text)
    for match in incidents:
        term = TermMatch(match.start(), match.end(), match.group(0), "health")
        tied = tie(text, term.start, term.end, refs_factory(), bounds)
        if tied is not None:
            return [TiedTerm("confidential", subtype, term, tied, context)]
    return []


def _quote_reference(ref: Reference) -> str:
    label = KIND_LABELS_SV[ref.kind]
    if ref.kind in ("relation", "self") and ref.text.lower() not in ("jag", "mig", "mej", "jagh"):
        return f"{label} („{ref.text}“)"
    return label


def explain(tied: TiedTerm) -> str:
    """One Swedish sentence naming the term, who it is about and why it matters.

    Names and identifiers are described, not repeated: the spans already show them
    and an explanation may end up in logs or reports.
    """
    term = tied.term.text
    about = _quote_reference(tied.tie.reference)
    if tied.category == "sensitive_personal_data":
        what, why = SENSITIVE_LABELS_SV[tied.subtype]
        return f"Texten kopplar {what} („{term}“) till {about} – {why}."
    label = CONFIDENTIAL_LABELS_SV[tied.subtype]
    if tied.context is not None:
        return (
            f"Texten kopplar {SENSITIVE_LABELS_SV[tied.term.subtype][0]} („{term}“) till {about} och nämner "
            f"„{tied.context.text}“, vilket omfattas av {label} – {_CONFIDENTIAL_TAIL}."
        )
    if tied.subtype == "case_details":
        return (
            f"Texten anger ett diarienummer tillsammans med uppgifter om {about}, "
            f"vilket kan omfattas av {label} – {_CONFIDENTIAL_TAIL}."
        )
    return f"Texten innehåller „{term}“ om {about}, vilket omfattas av {label} – {_CONFIDENTIAL_TAIL}."


__all__ = [
    "CONFIDENTIAL_LABELS_SV",
    "SENSITIVE_LABELS_SV",
    "TiedTerm",
    "explain",
    "find_confidential",
    "find_confidential_client_facts",
    "find_confidential_events",
    "find_confidential_in_care",
    "find_sensitive",
    "negated",
    "sensitive_side",
    "warm_up",
]
