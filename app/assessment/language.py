"""Language marks: the classifier's word that nobody has read a comment's text categories.

A comment the classifier takes for another language than Swedish gets a finding
of category ``question``, subtype ``language_not_assessed`` (rule
``language.<code>``), saying in Swedish which language and that an editor has
to read it.  It is filed under ``question`` so that it reaches a person and
never leads to removal, but it is no claim that the comment is a question:

* the inbox names it "Språket har inte bedömts – läs texten", not "Fråga till
  kommunen", and a recommendation that rests on it alone says so instead of
  quoting the guideline on questions;
* it is not a judgement that can be confirmed or marked wrong, and a text the
  models did not read in Swedish takes no "missed" labels (``app.learning``);
* a rule it alone matches never acts automatically (``app.policies``).

A partly Swedish comment may carry ordinary findings for its Swedish sentences
besides the mark: those are judged as any other.  Spam (and personal data, by
rules) is checked in every language, so a spam finding next to a mark is a real
finding but no sign that the text was read in Swedish.

Pure functions over the findings as stored (dicts) or as the classifier makes
them (objects with ``category`` and ``subtype``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from classifiers import CATEGORY_LABELS_SV, LANGUAGE_NOT_ASSESSED

#: How a category whose only findings are language marks is named to people.
LABEL_SV = "Språket har inte bedömts – läs texten"

#: Text categories the classifier checks whatever the language (spam's lexicon has English
#: phrases and its link checks read no words): a finding in one is no sign of Swedish.
CHECKED_IN_ANY_LANGUAGE = frozenset({"spam"})


def _get(finding: Any, key: str) -> Any:
    return finding.get(key) if isinstance(finding, Mapping) else getattr(finding, key, None)


def is_language_mark(finding: Any) -> bool:
    return _get(finding, "subtype") == LANGUAGE_NOT_ASSESSED


def assessed_categories(findings: Iterable[Any]) -> set[str]:
    """Categories with a finding that is not a language mark: what the classifier claims."""
    return {str(_get(f, "category")) for f in findings if not is_language_mark(f)}


def marked_only(findings: Iterable[Any]) -> set[str]:
    """Categories whose only findings are language marks (``question``, as the classifier files them)."""
    found = list(findings)
    marked = {str(_get(f, "category")) for f in found if is_language_mark(f)}
    return marked - assessed_categories(found)


def read_in_swedish(findings: Iterable[Any]) -> bool:
    """Whether the text categories were assessed on (some of) the text: no language mark, or
    a finding besides it that only reading Swedish words can make."""
    from classifiers.text import TEXT_CATEGORIES

    found = list(findings)
    if not any(is_language_mark(f) for f in found):
        return True
    return any(
        not is_language_mark(f)
        and _get(f, "category") in TEXT_CATEGORIES
        and _get(f, "category") not in CHECKED_IN_ANY_LANGUAGE
        for f in found
    )


def not_assessed(recommendation: Mapping[str, Any]) -> frozenset[str]:
    """The categories only a language mark raised, as a stored recommendation records them
    (none for an item queued before it did)."""
    return frozenset(str(c) for c in recommendation.get("not_assessed") or ())


def category_label(category: str, not_assessed: Iterable[str] = ()) -> str:
    """A category's Swedish name; one only a language mark raised is named for what it is."""
    if category in set(not_assessed):
        return LABEL_SV
    return CATEGORY_LABELS_SV.get(category, category or "okänd kategori")


def finding_label(finding: Any) -> str:
    """A finding's category's Swedish name; a language mark is named for what it is."""
    return LABEL_SV if is_language_mark(finding) else category_label(str(_get(finding, "category") or ""))


def categories_sv(categories: Iterable[str], not_assessed: Iterable[str] = (), *, none: str) -> str:
    """Categories named in lower case for a sentence or a subject line; ``none`` if there are none."""
    marked = set(not_assessed)
    return ", ".join(category_label(c, marked).lower() for c in categories) or none
