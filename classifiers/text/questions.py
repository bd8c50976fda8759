"""Questions without a question mark, recognised by Swedish word order.

Forum-style comments often ask without a "?" ("när öppnar badhuset igen",
"finns det platser kvar"); the question rule in ``detectors`` reads them here.
(Giving the models' question marker the same reading was tried: out-of-fold F1
did not move, 0.7985 both ways, so the models still see only the mark.)
"""

from __future__ import annotations

import re

from classifiers.patterns import compile_anchored

__all__ = ["SENTENCE", "asks", "unmarked_question"]

#: A piece of text up to and including its end punctuation or line break.
SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")

# A direct question without a question mark, recognised by Swedish word order: in a
# direct question the finite verb comes straight after the question word ("när
# öppnar badhuset", "hur söker man", "vilka regler gäller"), or first in the sentence
# before its subject ("finns det", "kan ni"); in a statement or an embedded clause
# the subject comes first ("när vi kom", "jag vet inte hur man gör").  The verbs
# are the common finite forms and the passive in -as; "var" (also "was" and the
# ASCII "vår") only counts followed by a verb, "vad gäller" is "as regards", and
# "vad/hur/vilken" before an adjective is an exclamation ("vilken fin bild").
_FINITE = (
    r"(?:ska|skall|kan|får|går|kommer|är|blir|har|gör|görs|måste|bör|borde|skulle|kunde|fick|finns|fanns|"
    r"behöver|gäller|ligger|kostar|öppnar|stänger|börjar|slutar|brukar|sker|händer|hände|betyder|"
    r"funkar|fungerar|hittar|söker|ansöker|anmäler|vänder|tar|hämtar|lämnar|når|kontaktar|bokar|betalar|"
    r"vet|tänker|planerar|bestämmer|beslutar|heter|står|gick|tog|blev|hade|väntar|räknas|töms|stängs|byggs|"
    r"[^\W\d_]{2,}as)"
)
_INVERTED_QUESTION = compile_anchored(
    r"\b(?:när|hur|vart|varför|vem|vems|vad)\s+(?!gäller\b)" + _FINITE + r"\b|"
    r"\bvar\s+(?!var\b|vas\b)" + _FINITE + r"\s+\w|"
    r"\bhur\s+(?:mycket|många|länge|ofta|långt|lång\s+tid|gammal|stor)\s+" + _FINITE + r"\b|"
    r"\b(?:vilken|vilket|vilka)\s+(?:(?!(?:de|dom|vi|ni|jag|du|han|hon|den|det|man)\b)[^\W\d_]+\s+)?"
    + _FINITE
    + r"\b"
)
_VERB_FIRST_QUESTION = re.compile(
    r"^\s*(?:(?:hej|hejsan|hallå)(?:\s+\w+)?\W+)?(?!vet\s+(?:ni|du)\s+vad\b)"
    r"(?:finns|går|får|kan|ska|har|är|blir|kommer|måste|behöver|vet|stämmer|gäller|brukar|tänker|planerar|hade|fick|gör)\s+(?:det|man|jag|vi|ni|någon|nån|kommunen|den|"
    r"de|han|hon)\b"
)
# "Kommer ni hit igen så möts ni ...", "Har ni frågor, ring ...": a verb-first
# condition with its consequence (verb before subject after "så", or an
# imperative), not a question; "så vi kommer ut" (subject first) is a purpose.
_CONDITION_CONSEQUENCE = re.compile(
    r"\bs(?:å|aa|a)\s+[^\W\d_]+\s+(?:ni|vi|jag|du|man|det|den|de|dom|han|hon)\b|"
    r",\s+(?:ring|hör|kom|skriv|mejla|maila|kontakta|ta|gå|läs|titta|välkommen|varsågod)\b"
)


def unmarked_question(sentence: str) -> bool:
    """Whether ``sentence`` asks without a question mark, by its word order.

    A sentence with a mark, or of fewer than three words, is not one: the mark
    decides the first, and two words are too few to read an order from.
    """
    if "?" in sentence or len(sentence.split()) < 3:
        return False
    if _INVERTED_QUESTION.search(sentence):
        return True
    first = _VERB_FIRST_QUESTION.match(sentence)
    return first is not None and not _CONDITION_CONSEQUENCE.search(sentence, first.end())


def asks(text: str) -> bool:
    """Whether ``text`` asks something: a question mark, or a sentence asking by word order."""
    return "?" in text or any(unmarked_question(m.group()) for m in SENTENCE.finditer(text))
