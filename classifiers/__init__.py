"""Swedish comment classification for municipal moderation: a pure library.

Import direction is one way: ``app`` imports ``classifiers``; this package
imports neither ``app``, FastAPI, SQLAlchemy, httpx nor structlog (a test walks
the imports).  Public interface::

    from classifiers import classify, warm_up, MODEL_VERSION, Assessment, Finding
    classify(text, context=None) -> Assessment

``context`` may carry ``post_text`` (the post commented on), ``own_contacts``
(the account's own phone numbers and addresses, an allow-list for the privacy
detectors) and ``platform``.  Building the detectors takes a moment, so
services call ``warm_up()`` at start-up; ``classify`` builds them on first use
otherwise.
"""

from __future__ import annotations

from typing import Any

from classifiers.types import CATEGORIES, CATEGORY_LABELS_SV, LANGUAGE_NOT_ASSESSED, Assessment, Finding, Span

__all__ = [
    "CATEGORIES",
    "CATEGORY_LABELS_SV",
    "LANGUAGE_NOT_ASSESSED",
    "MODEL_VERSION",
    "Assessment",
    "Finding",
    "Span",
    "classify",
    "explain",
    "warm_up",
]


def warm_up() -> str:
    """Build every detector now (lexicons, rules, models, presidio); returns the model version."""
    from classifiers.pipeline import get_pipeline

    return get_pipeline().model_version


def classify(text: str, context: dict[str, Any] | None = None) -> Assessment:
    """Classify one comment; deterministic for a given ``MODEL_VERSION``."""
    from classifiers.pipeline import get_pipeline

    return get_pipeline().classify(text, context)


def explain(text: str, category: str) -> tuple[Span, ...]:
    """The content words that speak for ``category`` in ``text``, strongest first (at most three),
    by the linear model's per-word contributions; never a stopword.  Empty for a category the
    model does not score.  For explaining another model's finding in the library's own terms."""
    from classifiers.pipeline import explain as explain_spans

    return explain_spans(text, category)


def __getattr__(name: str) -> str:
    # MODEL_VERSION depends on the trained artefacts and the privacy package, so it
    # is computed when first asked for rather than at import time.
    if name == "MODEL_VERSION":
        return warm_up()
    raise AttributeError(f"module 'classifiers' has no attribute {name!r}")
