"""Swedish comment classification for municipal moderation: a pure library.

Import direction is one way: ``app`` imports ``classifiers``; this package
imports neither ``app``, FastAPI, SQLAlchemy, httpx nor structlog (a test walks
the imports).  Public interface: ``classify(text, context) -> Assessment``.
"""

from classifiers.types import CATEGORIES, CATEGORY_LABELS_SV, Assessment, Finding, Span

__all__ = ["CATEGORIES", "CATEGORY_LABELS_SV", "Assessment", "Finding", "Span"]
