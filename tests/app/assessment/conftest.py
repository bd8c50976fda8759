"""Fake endpoints served over real HTTP, and the classifiers made against them (closed afterwards)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from app.logging import configure_logging
from tests.app.assessment.endpoints import TOKEN, RawEndpoint
from tests.fakes.server import serve
from tests.fakes.text_classifier import FakeTextClassifier


@pytest.fixture
def endpoint() -> Iterator[tuple[FakeTextClassifier, str]]:
    fake = FakeTextClassifier(token=TOKEN)
    with serve(fake.app) as url:
        yield fake, f"{url}/predict"


@pytest.fixture
def raw_endpoint() -> Iterator[tuple[RawEndpoint, str]]:
    raw = RawEndpoint()
    with serve(raw.app) as url:
        yield raw, f"{url}/predict"


@pytest.fixture
def classifiers_made() -> Iterator[list[Any]]:
    """Every classifier or remote model a test makes, closed afterwards (their HTTP connections)."""
    made: list[Any] = []
    yield made
    for classify in made:
        classify.close()


@pytest.fixture
def warnings_logged() -> Iterator[list[dict[str, Any]]]:
    """The warnings logged during the test, as structlog event dicts (as ``uppsikt serve`` logs)."""
    configure_logging("INFO")
    events: list[dict[str, Any]] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if isinstance(record.msg, dict):
                events.append(dict(record.msg))

    handler = Collect(level=logging.WARNING)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield events
    finally:
        root.removeHandler(handler)
