"""Shared helpers for the privacy-detector tests."""

from __future__ import annotations

from datetime import date

import pytest

from classifiers.pii import find_privacy, warm_up
from classifiers.types import Finding

#: The fixed "today" for the personnummer century rules, so results never drift.
REFERENCE_DATE = date(2026, 1, 1)
CONTEXT = {"reference_date": REFERENCE_DATE}


@pytest.fixture(scope="session", autouse=True)
def _warm() -> None:
    warm_up()


def analyse(text: str, **context: object) -> list[Finding]:
    """``find_privacy`` with the fixed reference date; also checks the span contract."""
    findings = find_privacy(text, {**CONTEXT, **context})
    for finding in findings:
        for span in finding.spans:
            assert text[span.start : span.end] == span.text
    return findings


def spans_of(findings: list[Finding], subtype: str, category: str = "personal_data") -> list[str]:
    return [s.text for f in findings if f.subtype == subtype and f.category == category for s in f.spans]


def subtypes(findings: list[Finding], category: str = "personal_data") -> set[str]:
    return {f.subtype for f in findings if f.category == category}
