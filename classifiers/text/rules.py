"""Regular-expression rules loaded from ``classifiers/text/data/rules.yaml``.

Rules live in a data file so that each one can carry the guideline line or
law it implements next to the pattern, and so that a reviewer can read the
whole rule set without reading Python.  Patterns run on the normalised text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from classifiers.patterns import blanks_as_one, compile_anchored, required_substrings
from classifiers.types import CATEGORIES

__all__ = ["RULES_PATH", "Rule", "load_rules"]

RULES_PATH = Path(__file__).with_name("data") / "rules.yaml"

_REQUIRED = ("id", "category", "subtype", "score", "pattern", "explanation", "source")


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    category: str
    subtype: str
    score: float
    pattern: re.Pattern[str]
    unless: re.Pattern[str] | None
    anchors: tuple[str, ...]
    explanation: str
    source: str
    #: Literal strings of which every match contains one, read off the pattern
    #: itself (:func:`required_substrings`): a second prefilter beside the
    #: hand-written anchors, and the only one for rules without anchors.
    required: tuple[str, ...] = ()

    def matches(self, text: str, check_anchors: bool = True) -> list[tuple[int, int]]:
        """Spans of the normalised text where the rule fires (at most three).

        ``check_anchors=False`` is for callers that have already checked the
        anchors and the required strings.
        """
        spans: list[tuple[int, int]] = []
        if check_anchors and self.anchors and not any(a in text for a in self.anchors):
            squashed = blanks_as_one(text)  # only when the text as it stands has none
            if not any(a in squashed for a in self.anchors):
                return spans
        if check_anchors and self.required and not any(r in text for r in self.required):
            return spans
        for m in self.pattern.finditer(text):
            start, end = m.span("m") if "m" in self.pattern.groupindex else m.span()
            if self.unless is not None and self.unless.search(text, max(0, start - 40), end + 40):
                continue
            spans.append((start, end))
            if len(spans) == 3:
                break
        return spans


def load_rules(path: Path = RULES_PATH) -> tuple[Rule, ...]:
    """Read and compile the rules; a malformed rule is an error at start-up, not later."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules = []
    seen: set[str] = set()
    for item in raw:
        missing = [k for k in _REQUIRED if k not in item]
        if missing:
            raise ValueError(f"rule {item.get('id')!r} lacks {missing}")
        if item["category"] not in CATEGORIES:
            raise ValueError(f"rule {item['id']!r}: unknown category {item['category']!r}")
        if item["id"] in seen:
            raise ValueError(f"duplicate rule id {item['id']!r}")
        seen.add(item["id"])
        rules.append(
            Rule(
                id=item["id"],
                category=item["category"],
                subtype=item["subtype"],
                score=float(item["score"]),
                pattern=compile_anchored(item["pattern"].strip()),
                unless=compile_anchored(item["unless"]) if item.get("unless") else None,
                anchors=tuple(item.get("anchors", ())),
                explanation=item["explanation"],
                source=item["source"],
                required=tuple(sorted(required_substrings(item["pattern"].strip()) or ())),
            )
        )
    return tuple(rules)
