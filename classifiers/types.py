"""The records the classification library returns.

A finding must be explainable to an editor who has to defend a removal to a
citizen or a registrar, so every finding carries the exact spans of the
original text that triggered it, the rule that fired and one Swedish sentence
saying why.  The shape follows presidio's ``RecognizerResult`` plus
``AnalysisExplanation``: the result carries its own explanation instead of a
separate trace that could drift from it.

These are frozen dataclasses so that an ``Assessment`` can be hashed, cached
and compared: the same text and context always give an equal assessment for a
given model version (design invariant 6).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

#: The category codes from ``shared/policies.md``, in the order the guidelines
#: are usually read.  Policies, the queue and the evaluation report all key on
#: these strings, so they are part of the public contract of the library.
CATEGORIES: tuple[str, ...] = (
    "personal_data",
    "sensitive_personal_data",
    "confidential",
    "hate_speech",
    "harassment",
    "threat",
    "incitement",
    "sexual_content",
    "profanity",
    "advertising",
    "spam",
    "party_political",
    "individual_case",
    "question",
    "off_topic",
    "copyright",
    "misinformation",
    "crime_material",
)

#: Swedish labels shown to editors next to the code.
CATEGORY_LABELS_SV: dict[str, str] = {
    "personal_data": "Personuppgifter",
    "sensitive_personal_data": "Känsliga personuppgifter",
    "confidential": "Sekretessbelagda uppgifter",
    "hate_speech": "Hets mot folkgrupp / rasistiska eller sexistiska yttranden",
    "harassment": "Personangrepp, kränkningar och förtal",
    "threat": "Hot och våld",
    "incitement": "Uppmaning till brott / uppvigling",
    "sexual_content": "Pornografi och sexuellt innehåll",
    "profanity": "Svordomar och obscena ord",
    "advertising": "Reklam",
    "spam": "Spam",
    "party_political": "Partipolitiskt budskap",
    "individual_case": "Enskilt ärende",
    "question": "Fråga till kommunen",
    "off_topic": "Handlar inte om kommunen",
    "copyright": "Upphovsrättsintrång",
    "misinformation": "Uppenbara felaktigheter / ryktesspridning",
    "crime_material": "Brottsligt material",
}

#: The subtype of the finding that says a comment (or part of it) seems to be in another
#: language, so its text categories were not assessed.  It is filed under ``question`` so
#: that a person reads the comment, but it is no claim that the comment is a question:
#: evaluation, training labels and the app leave it out of what the classifier found.
LANGUAGE_NOT_ASSESSED = "language_not_assessed"


def assessed_categories(findings: Iterable[Finding]) -> set[str]:
    """The categories found, without the language mark's (no claim of a question)."""
    return {f.category for f in findings if f.subtype != LANGUAGE_NOT_ASSESSED}


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` of the *original* text.

    ``text`` repeats ``original[start:end]`` so that an explanation can be
    shown without the comment at hand (and so that tests can assert it).
    """

    start: int
    end: int
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Finding:
    """One reason why a comment may need a moderator's attention.

    ``score`` is the detector's confidence in 0..1; a finding is only returned
    when the detector has decided that the category applies, so consumers do
    not need to threshold again (policies may still ask for a higher minimum).
    """

    category: str
    subtype: str
    score: float
    spans: tuple[Span, ...]
    explanation: str
    rule_id: str
    model_version: str

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown category {self.category!r}")
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score {self.score} outside 0..1")
        if not self.explanation:
            raise ValueError("a finding needs an explanation")

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "subtype": self.subtype,
            "score": round(self.score, 4),
            "spans": [s.as_dict() for s in self.spans],
            "explanation": self.explanation,
            "rule_id": self.rule_id,
            "model_version": self.model_version,
        }


@dataclass(frozen=True, slots=True)
class Assessment:
    """Everything the library concluded about one text."""

    findings: tuple[Finding, ...] = field(default_factory=tuple)
    model_version: str = ""

    @property
    def categories(self) -> frozenset[str]:
        return frozenset(f.category for f in self.findings)

    @property
    def flagged(self) -> bool:
        return bool(self.findings)

    def as_dict(self) -> dict[str, Any]:
        return {
            "model_version": self.model_version,
            "categories": sorted(self.categories),
            "findings": [f.as_dict() for f in self.findings],
        }
