"""References to an identifiable person, and the rule that ties a term to one.

Sensitive personal data (GDPR art. 9) and confidential data (OSL 2009:400) are only a
problem on a municipal account when they are about someone: "min granne på Storgatan 5
har cancer" is, "cancervården i kommunen är dålig" is not.  A reference is a name, an
identifier (personnummer, address, phone number, e-mail, plate), the author speaking
about themself ("jag har diabetes", "min depression"), a relation or role that points
at one person ("min son", "hans fru", "grannen", "läraren på Ekskolan"), or a personal
pronoun when such a reference has been made nearby.

The tie is deliberately local: the reference and the term sit in the same sentence,
close together, and no opinion verb ("tycker", "tror", "anser") stands between them,
so "min mamma tycker att missbruksvården är för dålig" is about care, not about her.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

#: Reference kinds, strongest first, with the score a tied finding gets.
KIND_SCORES = {
    "identifier": 0.9,
    "name": 0.85,
    "relation": 0.75,
    "first_name": 0.75,
    "self": 0.75,
    "pronoun": 0.6,
}
#: How the kinds are named in an explanation (never the personal data itself).
KIND_LABELS_SV = {
    "identifier": "en identifierande uppgift",
    "name": "ett namn",
    "relation": "en utpekad person",
    "first_name": "en person som pekas ut med förnamn",
    "self": "skribenten själv",
    "pronoun": "en person som nämns i texten",
}

#: Nouns that, with a possessive or in the definite form, single out one person.
_RELATION_NOUNS = (
    "son|sonen|sons|dotter|dottern|döttrar|barn|barnet|barnen|bebis|bebisen|man|mannen|make|maken|fru|frun|"
    "maka|makan|sambo|sambon|särbo|pojkvän|pojkvännen|flickvän|flickvännen|partner|ex|exet|exman|exfru|"
    "mamma|mamman|mor|modern|pappa|pappan|far|fadern|förälder|föräldrar|bror|brodern|brorsan|syster|systern|"
    "syrran|syskon|kusin|kusinen|faster|moster|farbror|morbror|mormor|morfar|farmor|farfar|svärmor|svärfar|"
    "svåger|svägerska|granne|grannen|grannar|grannarna|kollega|kollegan|chef|chefen|vän|vännen|kompis|"
    "kompisen|klasskompis|elev|eleven|lärare|läraren|mentor|mentorn|rektor|rektorn|handläggare|handläggaren|"
    "socialsekreterare|socialsekreteraren|hyresvärd|hyresvärden|hyresgäst|hyresgästen|tränare|tränaren|"
    "sköterska|sköterskan|sjuksköterskan|undersköterskan|läkare|läkaren|kurator|kuratorn|vaktmästaren|"
    "assistent|assistenten|pedagogen|förskolläraren|barnskötaren|chauffören|busschauffören|städaren|"
    "brukare|brukaren|patient|patienten|klient|klienten|elevs|barnbarn|barnbarnet|styvson|styvdotter|"
    "fosterbarn|fosterbarnet|bonusbarn|bonusson|bonusdotter|bonuspappa|bonusmamma|familj|familjen|"
    # Everyday words for partner and children: "min kille", "min tjej", "min unge".
    "kille|tjej|unge|ungar|grabb|gubbe|gumma|karl|"
    # Writer zb (train): siblings and their children by the family's own words.
    "lillebror|storebror|lillasyster|storasyster|brorson|systerson|brorsdotter|systerdotter|svärson|svärdotter|"
    # A child by its age: "vår tvååring", "min 15-åring" (writer m, train).
    r"\w+åring|\w+åringen|\d+-åring|\d+-åringen|"
    # Writer zzk (train): twins and the family's spoken words for its own.
    "tvillingbror|tvillingsyster|tvilling|lillebrorsan|storebrorsan|lillasyrran|storasyrran|minsting"
)
_DEFINITE_PEOPLE = (
    "grannen|grannens|läraren|lärarens|rektorn|rektorns|handläggaren|handläggarens|chefen|chefens|"
    "mentorn|tränaren|vaktmästaren|hyresvärden|socialsekreteraren|sjuksköterskan|undersköterskan|"
    "förskolläraren|pedagogen|busschauffören|chauffören|assistenten|killen|tjejen|gubben|tanten|kvinnan|"
    "mannen|pojken|flickan|grabben|ungen|"
    # The writer's own, said the everyday way: "frugan har cancer", "brorsan sitter inne".
    "frugan|gumman|karln|brorsan|syrran|"
    # Writer zb (train): the family's child or sibling without a possessive ("sonen
    # hade ett blåmärke", "lillebror har boendestöd", "tonårsdottern till paret").
    "sonen|dottern|tonårsdottern|tonårssonen|lillebror|storebror|lillasyster|storasyster|"
    # Writer zzk (train): "lillen fick plats med förtur", "kusinen i 9A fick sitt LSS-beslut".
    "lillen|minstingen|lillebrorsan|storebrorsan|lillasyrran|storasyrran|kusinen|svågern|svägerskan|"
    # Writer zzr (train): the neighbours' own words for each other, and one person by a
    # role in the writer's world ("kollegan har försörjningsstöd", "kassören har spelberoende").
    "grannkillen|granntjejen|grannpojken|grannflickan|grannfrun|grannkvinnan|grannmannen|grannfamiljen|"
    "grannbarnen|grannungarna|kollegan|kassören|ordföranden|svärmor|svärfar"
)
#: A household pointed out by where it lives: "familjen ovanför oss", "familjen på
#: tredje våningen" is one family to everyone in the house (writer p, train).
#: A family by its surname: "familjen Keskitalo har två barn med autism" (writer zzk,
#: train).  Capitalised even in a text read without case: "FAMILJEN OCH" is no surname.
HOUSEHOLD_SURNAME = r"familjen\s+(?-i:[A-ZÅÄÖ][a-zåäöéü]+)"
_LOCATED_HOUSEHOLD = (
    rf"{HOUSEHOLD_SURNAME}\b|"
    r"familjen\s+(?:ovanför|nedanför|under\s+oss|bredvid|mittemot|intill|"
    r"på\s+(?:\w+\s+)?(?:våningen|vån)|i\s+(?:lägenheten|huset|villan|radhuset|porten)\s+\w+)|"
    # The children or a couple of one household (writer zzr, train).
    r"(?:ungarna|barnen|paret)\s+(?:i|på)\s+(?:lägenheten|huset|villan|radhuset)\s+"
    r"(?:mittemot|bredvid|ovanför|under|intill)"
)
_POSSESSIVES = "min|mitt|mina|hans|hennes|hens|deras|vår|vårt|våra|din|ditt|dina|er|ert|era"
#: The look-ahead for the first letters of the possessives and definite forms
#: halves the scan; every match starts with one of them, so the matches are the same.
_RELATION_FIRST_LETTERS = "".join(sorted({w[0] for w in f"{_POSSESSIVES}|{_DEFINITE_PEOPLE}".split("|")}))
_RELATION_RE = re.compile(
    rf"(?=[{_RELATION_FIRST_LETTERS}])\b(?:(?:{_POSSESSIVES})\s+"
    rf"(?:\w+\s+)?(?:{_RELATION_NOUNS})s?|(?:{_DEFINITE_PEOPLE})(?:\s+(?:på|i|vid|som\s+bor\s+på)\s+[A-ZÅÄÖ]\w+)?|{_LOCATED_HOUSEHOLD})\b",
    re.IGNORECASE,
)
#: The author: "jag" and its object forms, the spoken "jä", and the spoken "ja"
#: when a verb follows ("ja är våldsutsatt", "ja ha skyddad identitet"; "ja, det
#: stämmer" is a yes).  "Vi" is the writer's household only before what a household
#: has ("vi har skyddad identitet", "vi fick försörjningsstöd"); "vi har bra
#: hemtjänst i kommunen" speaks for the town, so the word after the verb must be
#: the status itself.  Written from writer p's comments (train).
_SELF_RE = re.compile(
    r"(?=[jmv])\b(?:jag|jagh|mig|mej|jä|ja(?=\s+(?:är|e|har|ha|hade|sitter|satt|blev|fick|bor|mår|lider|tar|käkar)\b)|"
    r"(?<=\w\s)ja(?=\s+att\b)|vi(?=\s+(?:har|hade|är|blev|fick|bor)\s+(?:själva\s+)?(?:(?:levt|bott)\s+med\s+)?"
    r"(?:skyddad|skyddade|försörjningsstöd|"
    r"ekonomiskt|hemtjänst|kontaktfamilj|boendestöd|familjehem|god\s+man|kontakt\s+med\s+soc)))\b",
    re.IGNORECASE,
)
#: Kinship words used as a name ("pappa ramlade på boendet", "hemtjänsten kommer
#: till mormor"; "yngsta har språkstörning" at the start of a sentence, writer zzk),
#: and a child the writer has ("vi har en son med autism", and in forum style without
#: the subject, "har två barn med npf"): one person each, like "min pappa".
_KIN_RE = re.compile(
    r"(?=[mpfvjhyä])(?:(?:^|(?<=[.!?]\s))(?:yngsta|äldsta)(?=\s+(?:har|är|e|går|fick|blev)\s)"
    r"|(?<![\w-])(?<!en )(?<!ett )(?<!varje )(?<!alla )"
    r"(?:mamma|pappa|mormor|morfar|farmor|farfar|morsan|farsan|morbror|farbror|moster|faster)(?![\w-])"
    r"|(?:\b(?:vi|jag|ja)\s+|^|(?<=[.!?]\s))har\s+(?:en|ett|två|tre)\s+(?:\w+\s+)?"
    r"(?:son|dotter|döttrar|söner|barn|pojke|flicka|tjej|kille|\d+-åring|\w+åring)\b)",
    re.IGNORECASE,
)
#: A first name pointed out by a school class or a role word: "Kalle i 7B", "Ali
#: i klass 4", "barnet Maria", "eleven Sara".  A first name alone is not a
#: reference (too many comments greet "Anna" at the switchboard), but a pupil
#: named with their class, or a child with "barnet", is someone the school or
#: the social services can tell apart.  The class form needs a listed first
#: name ("Alla i 7B" is not a person), also in capitals ("JOHAN NYSTRÖM I 6A")
#: and in forum style ("kalle svensson i 8b", when "kalle" is no common word).
_CLASS_MEMBER_RE = re.compile(
    r"\b([A-ZÅÄÖa-zåäö][A-Za-zÅÄÖåäöéü]+)(?:\s+[A-ZÅÄÖa-zåäö][A-Za-zÅÄÖåäöéü]+)?\s+(?:i|från|ur)\s+"
    r"(?:klass\s+\d\w?|\d[a-f]\b|\d:an\b|\d:ans\b)",
    re.IGNORECASE,
)
#: Someone pointed out by what they do, opening a sentence or set off by a comma: "Han
#: som har kiosken på torget fick en hjärtinfarkt", "…, hon som leder kören" (writer
#: zzr, train).  "Den som" speaks of anyone and is left out.
_THE_ONE_WHO_RE = re.compile(r"(?:^|(?<=[.!?,]\s))(?:han|hon|hen)\s+som\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_ROLE_NAME_RE = re.compile(
    # The look-ahead for the role words' first letters lets the engine skip ahead;
    # the role word in any case, the name capitalised ("barnet mår bra" names no one)
    # or in capitals.
    r"(?=[bepfktdsBEPFKTDS])\b(?i:barnet|eleven|pojken|flickan|killen|tjejen|dottern|sonen|brukaren|patienten)"
    r"\s+([A-ZÅÄÖ](?:[a-zåäöéü]+|[A-ZÅÄÖÉÜ]+))\b"
)
#: A first name pointed out by what follows it: "Fredrik i röda radhuset", "Jan som kör
#: taxi", "Oskar från gruppbostaden", or set off by commas on both sides ("Hon som
#: hämtar sent, Camilla, har …"; "Skäms Mattias, att …" calls the reader by name).
#: One person to everyone in the neighbourhood, so a term tied to it is about someone
#: (writer zzk, train).  Only a capitalised name whose lower-case form is no common
#: word ("Eva", "Malin"; not "Per", "Bo" or "Maj").
_POINTED_FIRST_NAME_RE = re.compile(
    r"\b([A-ZÅÄÖ][a-zåäöéü]+)(?=\s+(?:som|i|på|från|vid|ovanför|nedanför|bredvid|mittemot)\s)"
    r"|(?<=,\s)([A-ZÅÄÖ][a-zåäöéü]+)(?=\s*,)"
    # Told of in reported speech: "läraren sa att Fatima har dyslexi", "det stod att
    # Malin är sjukskriven": the subject of the clause is who the fact is about.
    r"|(?<=\batt\s)([A-ZÅÄÖ][a-zåäöéü]+)(?=\s+(?:har|hade|är|var|ska|fick|får|går|gick)\s)"
)
_SELF_POSSESSIVE_RE = re.compile(r"\b(?P<own>min|mitt|mina)\s+$", re.IGNORECASE)
#: The writer's own matter about the term: "min ansökan om försörjningsstöd", "mitt
#: beslut om bistånd".
_OWN_MATTER_RE = re.compile(
    r"\b(?P<own>min|mitt|mina)\s+(?:ansökan|ansökning|beslut|beslutet|ärende|utbetalning|insats|insatser|"
    r"handläggare|handläggning|plats|kö(?:plats)?)\s+(?:om|på|för|av|till|med|inom|i)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
#: The writer in forum style, with the subject left out at the start of a sentence:
#: "Har fått avslag på försörjningsstöd", "har själv suttit i fängelse" — "har"
#: and a supine right after it.  A subject after the verb ("Har ni …", "Har skolan
#: …") is someone else's question (writers m and w, train).
_SUBJECTLESS_RE = re.compile(
    r"(?:^|(?<=[.!?]\s))(?:(?:har|hade)(?=\s+(?:själv\s+|också\s+|länge\s+)?(?!(?:det|inte|nåt|något)\b)\w+t\b)"
    # "Har själv dyskalkyli" (writer zzk, train).
    r"|(?:har|hade)(?=\s+själv\s)"
    # "Fick hjälp av skuldrådgivningen", "fick avslag på …" (writer zb, train).
    r"|fick(?=\s+(?:hjälp|avslag|beslut|besked|bistånd)\b)"
    # Spoken "va"/"e" for "var"/"är" where the writer was or is: "va på soc idag o fick
    # avslag", "e själv i öppenvården"; and a grant told without a subject: "Fick
    # matdistribution beviljad" (writer zzk, train).
    r"|(?:va|e)(?=\s+(?:själv\s+)?(?:på|i)\s)|fick(?=\s+\w+\s+(?:beviljad|beviljat|beviljade)\b))",
    re.IGNORECASE | re.MULTILINE,
)
PRONOUN_RE = re.compile(r"\b(?:han|hon|hen|honom|henne|hans|hennes|hens)\b", re.IGNORECASE)
#: Verbs of opinion or report: what follows is a view, not a fact about the subject.
_BLOCKERS = re.compile(
    r"\b(?:tycker|tyckte|tror|trodde|anser|ansåg|menar|tänker|undrar|hoppas|önskar|borde|läste|hörde)\b",
    re.IGNORECASE,
)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])\s+|\n+")
_ANCHORS = frozenset({"name", "identifier", "relation", "first_name"})
#: Characters between reference and term beyond which the tie is not trusted.
MAX_DISTANCE = 90


@dataclass(frozen=True, slots=True)
class Reference:
    start: int
    end: int
    text: str
    kind: str


@dataclass(frozen=True, slots=True)
class Tie:
    reference: Reference
    score: float


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    bounds = []
    start = 0
    for match in _SENTENCE_SPLIT.finditer(text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    return bounds


def _is_first_name(word: str, first_names: Collection[str]) -> bool:
    """A listed first name as written ("Kalle", "KALLE"), or in lower case when the
    gazetteer lists that form as no common word ("kalle", not "alla" or "per")."""
    if word[0].isupper():
        return word.capitalize() in first_names
    return word in first_names


def find_references(
    text: str,
    names: Iterable[tuple[int, int]],
    identifiers: Iterable[tuple[int, int]],
    first_names: Collection[str] = frozenset(),
) -> list[Reference]:
    """All person references in ``text``; names and identifiers come from the detectors,
    ``first_names`` (the gazetteer's capitalised first names and the lower-case forms
    that are no common word) tells a pupil's name before a class."""
    refs = [Reference(s, e, text[s:e], "name") for s, e in names]
    refs += [Reference(s, e, text[s:e], "identifier") for s, e in identifiers]
    named = [(r.start, r.end) for r in refs]
    # A name in capitals ("ELEVEN LINUS") only when it is a listed first name.
    pointed = [
        m
        for m in _ROLE_NAME_RE.finditer(text)
        if not m.group(1).isupper() or _is_first_name(m.group(1), first_names)
    ]
    if _DIGIT.search(text):  # every class is written with its year's digit
        pointed += [m for m in _CLASS_MEMBER_RE.finditer(text) if _is_first_name(m.group(1), first_names)]
    refs += [
        Reference(m.start(), m.end(), m.group(0), "relation")
        for m in pointed
        if not any(a < m.end() and m.start() < b for a, b in named)  # "Kalle Svensson i 7B" is a name
    ]
    pointed_names = [
        m
        for m in _POINTED_FIRST_NAME_RE.finditer(text)
        if (m.group(1) or m.group(2) or m.group(3)).lower() in first_names
        and not any(a < m.end() and m.start() < b for a, b in named)
    ]
    refs += [Reference(m.start(), m.end(), m.group(0), "first_name") for m in pointed_names]
    refs += [Reference(m.start(), m.end(), m.group(0), "relation") for m in _RELATION_RE.finditer(text)]
    refs += [Reference(m.start(), m.end(), m.group(0), "relation") for m in _THE_ONE_WHO_RE.finditer(text)]
    relations = {(r.start, r.end) for r in refs if r.kind == "relation"}
    refs += [
        Reference(m.start(), m.end(), m.group(0), "relation")
        for m in _KIN_RE.finditer(text)
        if not any(a <= m.start() < b for a, b in relations)  # "min pappa" is already one
    ]
    refs += [Reference(m.start(), m.end(), m.group(0), "self") for m in _SELF_RE.finditer(text)]
    refs += [Reference(m.start(), m.end(), m.group(0), "self") for m in _SUBJECTLESS_RE.finditer(text)]
    refs += [Reference(m.start(), m.end(), m.group(0), "pronoun") for m in PRONOUN_RE.finditer(text)]
    return sorted(refs, key=lambda r: (r.start, r.end, r.kind))


#: A first name and the place it is pointed out by, right before the term: "Eva på
#: hemtjänsten", "Sara på gruppbostaden" say where the person works or lives, staff or
#: resident, and no more.
_AT_THE_TERM = re.compile(r"\s+(?:på|i|från|vid)\s+", re.IGNORECASE)
#: A sentence that opens "Som <term>" (at most one word between), up to the term.
_AS_ROLE_RE = re.compile(r"\W*som\s+(?:\w+\s+)?", re.IGNORECASE)


def tie(
    text: str, term_start: int, term_end: int, refs: list[Reference], bounds: list[tuple[int, int]]
) -> Tie | None:
    """The strongest reference the term at ``[term_start, term_end)`` is about, if any.

    * A possessive right before the term ("min diabetes", "hans lön") ties it to
      the author or to whoever the pronoun points at.
    * Otherwise the reference must be in the same sentence, within
      :data:`MAX_DISTANCE` characters, without an opinion verb between.
    * "jag" only ties when it comes first ("jag har diabetes"); a pronoun only
      when a name, identifier or relation appears in this or the previous sentence.
    * Someone at work gives way to the person they serve (:func:`_serving`), and a
      name right after a role word that is the term itself is the role's holder.
    """
    sentence = next((i for i, (s, e) in enumerate(bounds) if s <= term_start <= e), len(bounds) - 1)
    s_start, s_end = bounds[sentence]
    prev_start = bounds[sentence - 1][0] if sentence > 0 else s_start
    head_start = max(s_start, term_start - 8)
    possessive = _SELF_POSSESSIVE_RE.search(text, head_start, term_start) or _OWN_MATTER_RE.search(
        text, max(s_start, term_start - 50), term_start
    )
    if possessive is not None:
        word = possessive.group("own")
        return Tie(
            Reference(possessive.start("own"), possessive.end("own"), word, "self"), KIND_SCORES["self"]
        )
    if _AS_ROLE_RE.fullmatch(text, s_start, term_start):
        # "Som kurd tycker jag …", "Som diabetiker vet jag": the sentence opens with what
        # the writer is, and the "jag" after the verb is who.
        after = [r for r in refs if r.kind == "self" and term_end <= r.start < min(s_end, term_end + 40)]
        if after:
            return Tie(after[0], KIND_SCORES["self"])
    anchored = any(r.kind in _ANCHORS and prev_start <= r.start < s_end for r in refs)
    eligible: list[Reference] = []
    for ref in refs:
        if ref.end <= s_start or ref.start >= s_end:
            continue
        if ref.start < term_end and ref.end > term_start:
            continue  # the term itself ("kuratorn" as term and as reference)
        if ref.kind == "pronoun" and not anchored:
            continue
        if ref.kind in ("name", "first_name") and _STAFF_BEFORE_NAME.fullmatch(text, term_start, ref.start):
            continue  # "Kuratorn Jenny Mäkelä pratade om nätmobbning": the term is her role
        if ref.kind == "self" and ref.start > term_start:
            continue
        gap_start, gap_end = (ref.end, term_start) if ref.end <= term_start else (term_end, ref.start)
        if (
            ref.kind == "first_name"
            and ref.end <= term_start
            and _AT_THE_TERM.fullmatch(text, gap_start, gap_end)
        ):
            continue
        if gap_end - gap_start > MAX_DISTANCE or _BLOCKERS.search(text, gap_start, gap_end):
            continue
        eligible.append(ref)
    eligible = [ref for ref in eligible if not _serving(text, ref, eligible, term_start, term_end)]
    best: Tie | None = None
    for ref in eligible:
        score = KIND_SCORES[ref.kind]
        # Between equals a first name beats a description of the same person ("Hon som
        # hämtar sent, Camilla, har …"): the name is what makes the finding personal data.
        if best is None or score > best.score or (score == best.score and ref.kind == "first_name"):
            best = Tie(ref, score)
    return best


#: People who work in a school, care, social services or health care, and in the
#: municipality's own offices, also in compounds: "LSS-handläggaren", "min handläggare",
#: "skolkuratorn", "rektorn på …".
_STAFF = (
    r"\w*(?:lärare|läraren|lärarinnan|handläggare|handläggaren|sekreterare|sekreteraren|sköterska|"
    r"sköterskan|assistent|assistenten|pedagog|pedagogen|personal|personalen|rektor|rektorn|mentor|"
    r"mentorn|fröken|läkare|läkaren|doktor|doktorn|kurator|kuratorn|vaktmästare|vaktmästaren|vårdare|"
    r"vårdaren|chaufför|chauffören|städare|städaren|ledsagare|ledsagaren|kontaktperson|"
    r"kontaktpersonen|boendestödjare|boendestödjaren|psykolog|psykologen|barnskötare|barnskötaren|"
    r"fritidsledare|fritidsledaren|tränare|tränaren)"
)
_STAFF_IN_REFERENCE = re.compile(rf"(?<![\w-])(?:\w+-)?(?:{_STAFF})(?![\w-])", re.IGNORECASE)
#: A name right after the role ("Läraren Anna Berg", "LSS-handläggaren Eva").
_STAFF_BEFORE_NAME = re.compile(rf"(?<![\w-])(?:\w+-)?(?:{_STAFF})\s+$", re.IGNORECASE)
#: The writer telling the role ("Jag är ledsagare och min brukare …").
_STAFF_AFTER_SELF = re.compile(
    rf"\s+(?:är|e|jobbar\s+som|arbetar\s+som)\s+(?:\w+\s+)?(?:\w+-)?(?:{_STAFF})(?![\w-])", re.IGNORECASE
)


#: Between a term and the person it is done to: "omhändertagit grannens barn", "ett
#: beslut om min mamma".
_TO_WHOM = re.compile(r"\s+(?:(?:om|av|till|för|åt|på)\s+)?")


def _serving(text: str, ref: Reference, eligible: list[Reference], term_start: int, term_end: int) -> bool:
    """Whether ``ref`` is someone at work and the term is about the person they serve.

    "Läraren Anna Berg sa att min dotter har dyslexi", "undersköterskan som lät pappa
    ligga i sin urin", "socialsekreteraren har omhändertagit grannens barn": what
    school, care or social services know is about their pupil, patient or client,
    named after the staff member and before the term or as the one it is done to.
    "Idrottsläraren Jonas Bergström blev dömd för misshandel" is about him, and so is
    what "hon" says after him: a pronoun points back at someone already named."""
    return _is_staff(text, ref) and any(
        other is not ref
        and other.kind != "pronoun"
        and (
            (ref.end <= other.start and other.end <= term_start)
            or (other.start >= term_end and _TO_WHOM.fullmatch(text, term_end, other.start) is not None)
        )
        for other in eligible
    )


def _is_staff(text: str, ref: Reference) -> bool:
    """Whether ``ref`` is someone at work: a role word, a name told with one, or the writer
    telling their own."""
    if ref.kind == "relation":
        return _STAFF_IN_REFERENCE.search(ref.text) is not None
    if ref.kind in ("name", "first_name"):
        return _STAFF_BEFORE_NAME.search(text, max(0, ref.start - 40), ref.start) is not None
    if ref.kind == "self":
        return _STAFF_AFTER_SELF.match(text, ref.end) is not None
    return False


__all__ = [
    "HOUSEHOLD_SURNAME",
    "KIND_LABELS_SV",
    "KIND_SCORES",
    "MAX_DISTANCE",
    "PRONOUN_RE",
    "Reference",
    "Tie",
    "find_references",
    "sentence_bounds",
    "tie",
]
