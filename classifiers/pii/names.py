"""Person names in Swedish comments, without a statistical NER model.

No Swedish NER model can be installed offline (``shared/presidio-sv.md`` §7), and the
English one marks "kaffe" and "hunden" as people.  A comment field needs something
narrower and explainable, so names are found with gazetteers plus the cues people use
when they point at someone:

* a first name followed by a surname (from the lists or surname-shaped, ``-sson``,
  ``-berg``, ``-qvist``) is a name on its own (strong);
* a lone first name counts only after a cue ("min granne Eva", "heter Ida",
  "rektorn Anna"), in the genitive before a noun ("Annas mamma") or with an age
  ("Sara, 34 år"); otherwise it is usually someone greeting an editor ("Tack Eva!");
* names that are also ordinary words (Per, Björn, Bo, Ida, Linnea, Mark, Sten…) need a
  surname or a cue and are never taken from the start of a sentence;
* forum writers skip capitals ("johan strand på backvägen", "min dotter sara"): a name
  in lower case must begin with a listed first name.  One that is no ordinary word needs
  what a capitalised lone first name needs (a surname, a cue, a genitive before a
  person, a class or an age); one that is an ordinary word too ("hans", "björn", "per")
  needs a surname that is none ("björn lundberg");
* a name after a public role ("kommunstyrelsens ordförande Anna Lindqvist",
  "miljöchefen", "rektor", "läraren"; up to five words back, not across "att",
  "som" or a person word) or listed in the tenant's ``public_officials`` is still a
  name, marked as an official's: someone acting for the municipality in that role
  may be named, so ``find_privacy`` reports no personal data for it (Malmö's
  guideline: a civil servant's name in their work may stay) but still ties
  sensitive data to the person.  A club's coach or "min chef" is a private person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import NamedTuple

DATA_DIR = Path(__file__).parent / "data"

FULL_NAME_SCORE = 0.85
SHAPED_SURNAME_SCORE = 0.7
LOWERCASE_NAME_SCORE = 0.6
CUED_NAME_SCORE = 0.55
PUBLIC_OFFICIAL_SCORE = 0.3


def _words(text: str) -> list[str]:
    """Split a whitespace-separated word list (keeps long lists readable)."""
    return text.split()


_WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_SENTENCE_END = ".!?…\n:;"
#: What may stand between a sentence end and the first word of the next sentence.
_OPENING = " \t\"'«»”“-–("
#: Where a word after a sentence end begins: after the text's start and up to six
#: opening characters, or after a sentence end and up to five of them.  A word
#: starts a sentence exactly when it begins at the end of one of these matches
#: (the two character sets share nothing, so each run is read one way only).
_SENTENCE_OPENINGS = re.compile(
    rf"\A[{re.escape(_OPENING)}]{{0,6}}|[{re.escape(_SENTENCE_END)}][{re.escape(_OPENING)}]{{0,5}}"
)
#: The surname endings that lower-case words hardly have ("vikström", "holmqvist").
_LOWERCASE_SURNAME_SHAPE = re.compile(r"\w\w\w(?:sson|ström|berg|qvist|kvist|gren|holm|dahl|stedt)$")
_SURNAME_SHAPE = re.compile(
    r"(?:s?son|sén|berg|ström|gren|lund|qvist|kvist|quist|ell|din|lin|man|holm|dahl|blad|bäck|stedt|"
    r"stam|sten|borg|ling|ander|ius|ér|én|ow|sky|ski|ić|vić|oğlu|ovic|nen|ez)$"
)

#: Words that point at a private person right before a name ("min granne Eva").
PERSON_CUES = frozenset(
    _words(
        """heter hette kallad granne grannen grannens grannar grannarna rektor rektorn läraren lärare
    lärarinnan fröken mentor mentorn handläggare handläggaren handläggarna chef chefen chefens
    socialsekreterare socialsekreteraren sjuksköterska sjuksköterskan sköterskan undersköterskan
    kurator kuratorn läkare läkaren doktor doktorn dr tandläkaren personal personalen assistenten
    assistent vårdaren vårdare pedagogen förskolläraren barnskötaren fritidsledaren tränaren
    tränare kollega kollegan kollegor chaufför chauffören busschauffören vaktmästaren vaktmästare
    städaren hyresvärden hyresgästen dotter dottern döttrar son sonen söner barnet barnen mamma
    mamman mor modern pappa pappan far fadern bror brodern brorsan syster systern syrran make
    maken maka makan fru frun man mannen sambo sambon särbo pojkvän pojkvännen flickvän flickvännen
    exet ex svärmor svärfar farmor mormor farfar morfar kusin kusinen faster moster farbror morbror
    eleven elev eleverna tjejen killen kvinnan mannen gubben tanten grabben ungen ungdomen
    herr fru"""
    )
)
#: Roles in which a named person acts for the public, not as a private person.
OFFICIAL_CUES = frozenset(
    _words(
        """ordförande ordföranden kommunalråd kommunalrådet oppositionsråd oppositionsrådet regionråd
    regionrådet kommundirektör kommundirektören kommunchef kommunchefen stadsdirektör
    stadsdirektören förvaltningschef förvaltningschefen borgmästare borgmästaren landshövding
    landshövdingen minister ministern statsminister statsministern riksdagsledamot
    riksdagsledamoten ledamot ledamoten gruppledare gruppledaren partiledare partiledaren
    politiker politikern talesperson talespersonen presschef presschefen nämndordförande
    kommunfullmäktiges kommunstyrelsens rektor rektorn lärare läraren lärarinnan fröken kryssa
    kurator kuratorn"""
    )
)
#: Endings of compound titles of people who act for the municipality in their role
#: ("miljöchefen", "stadsarkitekt", "LSS-handläggaren", "simläraren"): a word counts
#: when it is longer than the ending ("chefen" alone, "min chef", is nobody's title).
_OFFICIAL_ENDINGS: tuple[str, ...] = (
    "chef",
    "chefen",
    "direktör",
    "direktören",
    "arkitekt",
    "arkitekten",
    "samordnare",
    "samordnaren",
    "handläggare",
    "handläggaren",
    "sekreterare",
    "sekreteraren",
    "ordförande",
    "ordföranden",
    "lärare",
    "läraren",
    "chaufför",
    "chauffören",
    "ombud",
    "ombudet",
    "kurator",
    "kuratorn",
)
#: A title before one of these does not name the person after it ("läraren sa att Birgitta …").
_CLAUSE_WORDS = frozenset(_words("att som sa sade säger när men eller om"))
_OFFICIAL_ENDINGS += tuple(
    {e.translate(str.maketrans("åäö", "aao")) for e in _OFFICIAL_ENDINGS} - set(_OFFICIAL_ENDINGS)
)
#: One search instead of a loop over the endings: this runs for every word near a name.
_OFFICIAL_ENDING_RE = re.compile("..(?:" + "|".join(sorted(_OFFICIAL_ENDINGS, key=len, reverse=True)) + ")$")
# Lower-case nouns that make a genitive first name a person ("Annas mamma").
_GENITIVE_HEADS = PERSON_CUES | frozenset(
    _words(
        """bil bilen hus huset lägenhet lägenheten hund hunden katt katten adress adressen telefonnummer
    nummer mobil diagnos sjukdom lön jobb skola skolan klass klassen barn familj föräldrar"""
    )
)
#: Words before a place: a lower-case name after them may be one ("till lena lund").
_PLACE_PREPOSITIONS = frozenset(_words("till i från fran mot vid genom över utanför norr söder öster väster"))
#: Capitalised words that follow a first name without being a surname.
_NOT_SURNAMES = frozenset(
    _words(
        """Hej Tack Och Men Eller Som Jag Du Ni Vi Han Hon Hen De Den Det Här Där Var Vad När Om Så Nej Ja
    Kommun Kommunen Region Regionen Skola Skolan Förskola Förskolan Gata Gatan Vägen"""
    )
)


def _read_list(name: str) -> list[str]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@cache
def public_figures() -> frozenset[str]:
    """Casefolded full names of widely known people and fictional characters
    (``data/public_figures.txt``), not reported as a private person's name."""
    return frozenset(" ".join(n.split()).casefold() for n in _read_list("public_figures.txt"))


@dataclass(frozen=True, slots=True)
class Gazetteer:
    first_names: frozenset[str]
    surnames: frozenset[str]
    listed_surnames: frozenset[str]
    ambiguous: frozenset[str]
    common_words: frozenset[str]
    lowercase_first: frozenset[str]
    lowercase_surnames: frozenset[str]
    #: First names that are ordinary words too ("björn", "hans", "per"), in lower case.
    lowercase_word_first: frozenset[str]


@cache
def load_gazetteer(include_corpus_lists: bool = True) -> Gazetteer:
    """Read the lists once.  ``include_corpus_lists=False`` is for measuring their effect."""
    common = frozenset(_read_list("common_words.txt"))
    ambiguous = frozenset(_read_list("ambiguous_names.txt"))
    own_first = set(_read_list("first_names.txt"))
    own_last = set(_read_list("surnames.txt"))
    first = set(own_first)
    last = set(own_last)
    if include_corpus_lists:
        first |= set(_read_list("ner_first_names.txt"))
        last |= set(_read_list("ner_surnames.txt"))
    # A hand-written name that is a common word in the corpus is treated as ambiguous.
    ambiguous = ambiguous | frozenset(n for n in own_first | own_last if n.lower() in common)
    return Gazetteer(
        first_names=frozenset(first),
        surnames=frozenset(last),
        listed_surnames=frozenset(own_last),
        ambiguous=ambiguous,
        common_words=common,
        lowercase_first=frozenset(n.lower() for n in own_first - ambiguous if n.lower() not in common),
        lowercase_surnames=frozenset(n.lower() for n in own_last - ambiguous if n.lower() not in common),
        lowercase_word_first=frozenset(n.lower() for n in own_first if n in ambiguous or n.lower() in common),
    )


@dataclass(frozen=True, slots=True)
class NameMatch:
    """A name found in the text.

    ``kind`` is ``full_name``, ``cued_first_name``, ``cued_surname`` or
    ``genitive_first_name``; ``cue`` is the word that made a lone name count.
    """

    start: int
    end: int
    text: str
    kind: str
    score: float
    public_official: bool = False
    cue: str | None = None


class _Token(NamedTuple):
    start: int
    end: int
    text: str
    sentence_start: bool
    capitalised: bool


def _tokens(text: str) -> list[_Token]:
    """The words of ``text``.

    A word starts a sentence when the six characters before it, without the
    opening characters at their end, are empty at the text's start or end in a
    sentence end; it is capitalised with an initial capital unless it is in
    capitals throughout.  Tokenising is most of the name detector's time, so the
    sentence starts come from one regex over the text rather than a slice per
    word, and ``_make`` skips the keyword handling of the NamedTuple constructor.
    """
    sentence_starts = {match.end() for match in _SENTENCE_OPENINGS.finditer(text)}
    return [
        _Token._make(
            (
                match.start(),
                match.end(),
                word,
                match.start() in sentence_starts,
                word[0].isupper() and not (len(word) > 1 and word.isupper()),
            )
        )
        for match in _WORD_RE.finditer(text)
        for word in (match.group(0),)
    ]


def _adjacent(text: str, left: _Token, right: _Token) -> bool:
    return text[left.end : right.start] == " "


class NameDetector:
    """Finds person names; see the module docstring for the rules."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self._listed = (
            gazetteer.first_names
            | gazetteer.surnames
            | gazetteer.lowercase_first
            | gazetteer.lowercase_word_first
        )
        #: Every lower-case word that may begin a name: a listed first name (also one
        #: that is an ordinary word) as it is, or in the genitive ("toves pappa").
        self._lowercase_starts = (
            gazetteer.lowercase_first
            | gazetteer.lowercase_word_first
            | {f"{name}s" for name in gazetteer.lowercase_first}
        )

    def _may_hold_a_name(self, text: str) -> bool:
        """Whether some word of ``text`` is in a list, as itself, without a genitive
        ``s`` or by the part before a hyphen.

        Every rule in :meth:`_match_at` needs such a word: a first name (or both
        halves of a hyphenated one), a listed surname (all parts, or without its
        genitive ``s``), a genitive first name or a lower-case listed first name.
        More than half of all comments have none, and a set test over the words
        costs a fraction of tokenising them.
        """
        words = _WORD_RE.findall(text)
        listed = self._listed
        return not (
            listed.isdisjoint(words)
            and listed.isdisjoint([word[:-1] for word in words if word[-1] == "s"])
            and listed.isdisjoint([word.partition("-")[0] for word in words if "-" in word])
        )

    def _is_first(self, word: str) -> bool:
        if word in self.gaz.first_names:
            return True
        parts = word.split("-")
        return len(parts) == 2 and all(p in self.gaz.first_names for p in parts)

    def _surname_kind(self, token: _Token) -> str | None:
        """``"listed"``, ``"shaped"``, ``"other"`` or ``None`` for the word after a first name.

        ``other`` is any capitalised word that is not an ordinary Swedish word; it
        counts after an unambiguous first name ("Tina Maze"), since first name plus
        capitalised word is how people write a name.
        """
        word = token.text
        if not token.capitalised or word in _NOT_SURNAMES:
            return None
        lower = word.lower()
        if lower in PERSON_CUES or is_official_cue(lower):
            return None  # "@Magnus LSS-handläggaren är …": a title, not his surname
        parts = word.split("-")
        if all(p in self.gaz.surnames for p in parts):
            return "listed"
        if word.endswith("s") and word[:-1] in self.gaz.surnames:
            return "listed"
        if word.lower() in self.gaz.common_words or word in self.gaz.first_names:
            return None
        if len(word) >= 4 and _SURNAME_SHAPE.search(word):
            return "shaped"
        return "other"

    def find(self, text: str, public_officials: Iterable[str] = ()) -> list[NameMatch]:
        if text.isupper():
            # A shouted comment ("KALLE OLSSON ÄR DÖMD …") has no capitals to tell a name
            # by: it is read with every word capitalised, where a full name must then
            # begin with a listed first name that is no ordinary word ("HANS PARKINSON"
            # is his Parkinson's, "SKRUVA LOSS" no one).  The offsets are the same, or
            # the text is read as it is.
            titled = capitalised_words(text)
            if titled is not None:
                return [
                    replace(m, text=text[m.start : m.end])
                    for m in self._find(titled, public_officials)
                    if m.kind != "full_name" or self._shouted_name(m.text.split())
                ]
        return self._find(text, public_officials)

    def _plain_first_name(self, word: str) -> bool:
        return word in self.gaz.first_names and word not in self.gaz.ambiguous

    def _shouted_name(self, words: list[str]) -> bool:
        """A full name in a shouted text: a first name that is no ordinary word, or one
        that is ("HANS", "IDA", "BJÖRN") before a listed surname that is not one either
        ("HANS SJÖBERG", not "HANS BERG" or "HANS PARKINSON")."""
        if self._plain_first_name(words[0]):
            return True
        last = words[-1]
        return (
            words[0] in self.gaz.first_names
            and last in self.gaz.listed_surnames
            and last not in self.gaz.ambiguous
            and last.lower() not in self.gaz.common_words
        )

    def _find(self, text: str, public_officials: Iterable[str]) -> list[NameMatch]:
        if not self._may_hold_a_name(text):
            return []
        tokens = _tokens(text)
        officials = {o.casefold() for o in public_officials}
        lowercase_starts = self._lowercase_starts
        found: list[NameMatch] = []
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if not token.capitalised and token.text not in lowercase_starts:
                index += 1  # the first test in _match_at, without the call for most words
                continue
            hit = self._match_at(text, tokens, index)
            if hit is None:
                index += 1
                continue
            match, consumed = hit
            if not _names_a_place(text, match):
                found.append(self._with_role(text, tokens, index, match, officials))
            index += consumed
        return found

    def _match_at(self, text: str, tokens: list[_Token], i: int) -> tuple[NameMatch, int] | None:
        token = tokens[i]
        word = token.text
        gaz = self.gaz
        if not token.capitalised and word not in self._lowercase_starts:
            return None
        nxt = tokens[i + 1] if i + 1 < len(tokens) and _adjacent(text, token, tokens[i + 1]) else None
        if not token.capitalised:
            return self._lowercase_match(text, tokens, i, nxt)
        ambiguous = word in gaz.ambiguous
        if self._is_first(word):
            # Optional second first name ("Anna Maria Svensson").
            last_first = token
            j = i + 1
            if nxt is not None and nxt.capitalised and self._is_first(nxt.text) and j + 1 < len(tokens):
                after = tokens[j + 1]
                if _adjacent(text, nxt, after) and self._surname_kind(after) in ("listed", "shaped"):
                    last_first, j = nxt, j + 1
            surname = tokens[j] if j < len(tokens) and _adjacent(text, last_first, tokens[j]) else None
            kind = self._surname_kind(surname) if surname is not None else None
            if surname is not None and kind is not None:
                accepted = (
                    kind == "listed"
                    or (kind == "shaped" and not (ambiguous and token.sentence_start))
                    or (kind == "other" and not ambiguous)
                )
                if accepted:
                    score = FULL_NAME_SCORE if kind == "listed" else SHAPED_SURNAME_SCORE
                    # A double surname ("Lena Westling Seljee") stays one name.
                    k = j + 1
                    if (
                        k < len(tokens)
                        and _adjacent(text, surname, tokens[k])
                        and not tokens[k].sentence_start
                        and self._surname_kind(tokens[k]) in ("listed", "shaped")
                    ):
                        surname, j = tokens[k], k
                    return self._make(text, token, surname, "full_name", score), j - i + 1
            cue = self._cue_before(tokens, i)
            if cue is not None and not (ambiguous and token.sentence_start):
                return self._make(text, token, token, "cued_first_name", CUED_NAME_SCORE, cue), 1
            if not ambiguous and self._age_after(text, token):
                return self._make(text, token, token, "cued_first_name", CUED_NAME_SCORE, "ålder"), 1
            if not (ambiguous and token.sentence_start) and _CLASS_AFTER.match(text, token.end) is not None:
                # "Göran i 6a", "Fredrik från 9c", "Mirja i hennes klass": a pupil, pointed out.
                return self._make(text, token, token, "cued_first_name", CUED_NAME_SCORE, "klass"), 1
            return None
        if (
            nxt is not None
            and word.lower() not in gaz.common_words
            and word.lower() not in PERSON_CUES
            and not is_official_cue(word.lower())
            and word not in _NOT_SURNAMES
            and word not in gaz.surnames
            and self._surname_kind(nxt) == "listed"
            and nxt.text not in gaz.ambiguous
        ):
            # An unknown first name before a listed surname ("Glenn Olsson").
            return self._make(text, token, nxt, "full_name", SHAPED_SURNAME_SCORE), 2
        if word.endswith("s") and len(word) > 3:
            base = word[:-1]
            if (
                base in gaz.first_names
                and base not in gaz.ambiguous
                and nxt is not None
                and nxt.text.lower() in _GENITIVE_HEADS
                and not nxt.capitalised
            ):
                start = token.start
                kind = "genitive_first_name"
                return NameMatch(start, start + len(base), base, kind, CUED_NAME_SCORE, cue=nxt.text), 1
        if word in gaz.surnames and not token.sentence_start:
            cue = self._cue_before(tokens, i, max_gap=1)
            if cue is not None:
                return self._make(text, token, token, "cued_surname", CUED_NAME_SCORE, cue), 1
        return None

    def _lowercase_match(
        self, text: str, tokens: list[_Token], i: int, nxt: _Token | None
    ) -> tuple[NameMatch, int] | None:
        """A name written in lower case, as forum writers do ("johan strand på backvägen",
        "min dotter sara", "toves pappa").  A listed first name that is no ordinary word
        needs the same cues as a capitalised one: a surname (listed, also in the genitive,
        or surname-shaped), a person word before it, a genitive before a person or a thing
        of theirs, a school class or an age after it.  One that is an ordinary word too
        ("björn", "hans", "per") needs a surname that is none ("björn lundberg")."""
        token = tokens[i]
        word = token.text
        gaz = self.gaz
        if word in gaz.lowercase_word_first:
            # "björn lundberg", "hans bergström": a first name that is also an ordinary
            # word only before a surname that is none.
            if nxt is not None and self._lowercase_surname(nxt.text, ordinary_words=False):
                return self._make(text, token, nxt, "full_name", LOWERCASE_NAME_SCORE), 2
            return None
        if word not in gaz.lowercase_first:
            # Only the genitive is left ("toves pappa", "peters mamma"), when it is no
            # ordinary word itself ("klass föräldrar" is no Klas's parents).
            if nxt is not None and nxt.text in _GENITIVE_HEADS and word not in gaz.common_words:
                start = token.start
                base = word[:-1]
                return NameMatch(
                    start, start + len(base), base, "genitive_first_name", CUED_NAME_SCORE, cue=nxt.text
                ), 1
            return None
        after_place_word = i > 0 and tokens[i - 1].text.lower() in _PLACE_PREPOSITIONS
        if nxt is not None and self._lowercase_surname(nxt.text, ordinary_words=not after_place_word):
            return self._make(text, token, nxt, "full_name", LOWERCASE_NAME_SCORE), 2
        cue = self._cue_before(tokens, i)
        if cue is not None:
            return self._make(text, token, token, "cued_first_name", CUED_NAME_SCORE, cue), 1
        if _CLASS_AFTER.match(text, token.end) is not None:
            return self._make(text, token, token, "cued_first_name", LOWERCASE_NAME_SCORE, "klass"), 1
        if self._age_after(text, token):
            return self._make(text, token, token, "cued_first_name", CUED_NAME_SCORE, "ålder"), 1
        return None

    def _lowercase_surname(self, word: str, *, ordinary_words: bool) -> bool:
        """A lower-case word after a lower-case first name that is a surname: listed, in
        the genitive too, or surname-shaped and no ordinary word.  A listed surname that
        is also an ordinary word ("strand", "ek", "lund") counts when ``ordinary_words``:
        right after a first name it is hers, unless the two follow "till", "i", "från" …,
        where they may be a place ("åkte till lena lund")."""
        gaz = self.gaz
        base = word[:-1] if word[-1] == "s" else word
        for w in (word, base):
            if w in gaz.lowercase_surnames or (ordinary_words and w.capitalize() in gaz.listed_surnames):
                return True
        return _LOWERCASE_SURNAME_SHAPE.search(base) is not None and word not in gaz.common_words

    @staticmethod
    def _cue_before(tokens: list[_Token], i: int, max_gap: int = 2) -> str | None:
        """A person cue among the ``max_gap`` words before token ``i`` in the same sentence."""
        for k in range(i - 1, max(-1, i - 1 - max_gap), -1):
            word = tokens[k].text.lower()
            if word in PERSON_CUES:
                return tokens[k].text
            if tokens[k].sentence_start:
                break
        return None

    @staticmethod
    def _age_after(text: str, token: _Token) -> bool:
        return re.match(r",? ?\(?\d{1,2}(?: år\b|\))", text[token.end : token.end + 8]) is not None

    @staticmethod
    def _make(
        text: str, first: _Token, last: _Token, kind: str, score: float, cue: str | None = None
    ) -> NameMatch:
        return NameMatch(first.start, last.end, text[first.start : last.end], kind, score, cue=cue)

    @staticmethod
    def _with_role(
        text: str, tokens: list[_Token], i: int, match: NameMatch, officials: set[str]
    ) -> NameMatch:
        known = " ".join(match.text.split()).casefold()
        official = any(form in officials or form in public_figures() for form in _name_forms(known))
        # "berättat för Maria Wallins mamma": a genitive before a person word names
        # someone else, whatever title stands before it.
        after = _PERSON_AFTER.match(text, match.end) if match.text.endswith("s") else None
        possessor = after is not None and after.group(1).lower() in PERSON_CUES
        if not official and not possessor:
            official = _title_before(text, tokens, i)
        if not official:
            return match
        return NameMatch(
            match.start,
            match.end,
            match.text,
            match.kind,
            PUBLIC_OFFICIAL_SCORE,
            public_official=True,
            cue=match.cue,
        )


#: Nouns that make a person's name before them the name of a place ("Olof Palmes plats",
#: "Gustav Vasa kyrka").  Nothing a private person owns ("hus", "gård", "skola") is here:
#: "Anna Svenssons hus" is her house.
_PLACE_NOUNS = (
    "(?:plats|torg|gata|gränd|väg|allé|park|backe|värld|terrass|gymnasium|kyrka|kapell|bibliotek|"
    "sjukhus|stadion|arena|museum|minneslund)"
)
_PLACE_AFTER_NAME = re.compile(rf" {_PLACE_NOUNS}(?![^\W\d_])", re.IGNORECASE)
_PLACE_NOUN_RE = re.compile(_PLACE_NOUNS, re.IGNORECASE)
#: A place compounded onto the surname ("Ellen Keyskolan", "Carl Larsson-gården").
_PLACE_COMPOUND_RE = re.compile(
    r"(?:skolan|gården|gatan|vägen|parken|torget|hallen|kyrkan|badet|biblioteket|gymnasiet)$", re.IGNORECASE
)


def _names_a_place(text: str, match: NameMatch) -> bool:
    """Whether a found name is part of a place named after someone, which is no one's data."""
    if match.kind != "full_name":
        return False
    last = match.text.rsplit(" ", 1)[-1]
    if _PLACE_COMPOUND_RE.search(last) is not None or _PLACE_NOUN_RE.fullmatch(last):
        return True
    return _PLACE_AFTER_NAME.match(text, match.end) is not None


def _name_forms(known: str) -> tuple[str, ...]:
    """A name as written and without a genitive "s", so that an official's listed name
    also covers "Karin Holms beslut".  ("Ek:s" needs nothing: a name match ends before
    the colon.)"""
    if known.endswith("s"):
        return (known, known[:-1])
    return (known,)


#: Words that may stand between a title and the name it belongs to: the organ the
#: title is of ("ordförande i kultur- och fritidsnämnden Anna Öberg") and a party
#: ("kommunalrådet (S) Karin Holm").
_TITLE_LINKS = frozenset(_words("i för på vid hos"))
_PARTY_CODES = frozenset(_words("s m sd c v l kd mp"))
_ORGAN_ENDING_RE = re.compile(
    r"(?:nämnden|nämnd|styrelsen|styrelse|förvaltningen|fullmäktige|kommun|kommunen|regionen|"
    r"rådet|skolan|enheten|avdelningen|utskottet)$"
)
#: How many words a title's organ and party may take up.
_TITLE_GAP = 5


def _title_before(text: str, tokens: list[_Token], i: int) -> bool:
    """Whether an official's title stands right before the name at token ``i``.

    Only the title's own organ or party may come between: a verb in between makes the
    name its object ("Kommunalrådet kritiserade Anna Svensson", "Rektorn ringde Anna
    Svensson"), and so does "och" ("Ordföranden och Anna Svensson").  The exception is
    a role opening the sentence with "som", where the verb comes before its subject
    ("Som kommunens samordnare ansvarar Lena Eklund för övningen").
    """
    verb_between = False
    # A name set off by a comma is an apposition to all that comes before it:
    # "Enhetschefen på Eken, Sara Björk, svarade".
    apposition = i > 0 and "," in text[tokens[i - 1].end : tokens[i].start]
    for k in range(i - 1, max(-1, i - 1 - _TITLE_GAP), -1):
        token = tokens[k]
        word = token.text.lower()
        if is_official_cue(word):
            return not verb_between or _role_opening(tokens, k)
        if token.sentence_start or word in PERSON_CUES or word in _CLAUSE_WORDS:
            return False
        if (
            apposition
            or word in _TITLE_LINKS
            or word in _PARTY_CODES
            or _ORGAN_ENDING_RE.search(word) is not None
            or (word == "och" and k > 0 and text[tokens[k - 1].end : tokens[k - 1].end + 1] == "-")
            or text[token.end : token.end + 1] == "-"
        ):
            continue
        if verb_between or k != i - 1 or token.capitalised:
            return False
        verb_between = True
    return False


def _role_opening(tokens: list[_Token], title: int) -> bool:
    """A title after "som" ("Som [kommunens] samordnare …") is the subject's role."""
    for k in range(title - 1, max(-1, title - 3), -1):
        word = tokens[k].text.lower()
        if word == "som":
            return True
        if not word.endswith("s"):
            return False
    return False


#: A school class right after a first name: "i 6a", "från 9C", "i 4an", "i klass 3",
#: "i hennes klass", "i min sons klass".
_CLASS_AFTER = re.compile(
    r",?\s+(?:i|från|fran|ur)\s+(?:klass\s+\d{1,2}\s?[a-f]?|\d{1,2}\s?[a-f]|\d{1,2}:?an|"
    r"(?:ettan|tvåan|tvaan|trean|fyran|femman|sexan|sjuan|åttan|attan|nian)|"
    r"(?:min|mitt|mina|hans|hennes|vår|var|våra|deras|din|er|\w+s)\s+(?:\w+s\s+)?klass)\b",
    re.IGNORECASE,
)
_PERSON_AFTER = re.compile(r"\s+(\w+)")


def is_official_cue(word: str) -> bool:
    """Whether a lower-case word is the title of someone acting for the public in that role."""
    return word in OFFICIAL_CUES or _OFFICIAL_ENDING_RE.search(word) is not None


_LETTERS = re.compile(r"[^\W\d_]+")


def capitalised_words(text: str) -> str | None:
    """``text`` with every word capitalised ("KALLE OLSSON PÅ STORGATAN" → "Kalle Olsson På
    Storgatan"), for reading a shouted comment; ``None`` if that would move an offset."""
    titled = _LETTERS.sub(lambda m: m.group()[0] + m.group()[1:].lower(), text)
    return titled if len(titled) == len(text) else None


@cache
def default_detector() -> NameDetector:
    return NameDetector(load_gazetteer())


def find_names(text: str, public_officials: Iterable[str] = ()) -> list[NameMatch]:
    """All names in ``text`` with the default gazetteer (built once per process)."""
    return default_detector().find(text, public_officials)


__all__ = [
    "CUED_NAME_SCORE",
    "FULL_NAME_SCORE",
    "OFFICIAL_CUES",
    "PERSON_CUES",
    "PUBLIC_OFFICIAL_SCORE",
    "Gazetteer",
    "NameDetector",
    "NameMatch",
    "capitalised_words",
    "default_detector",
    "find_names",
    "load_gazetteer",
]
