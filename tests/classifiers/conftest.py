"""Fixtures shared by the classifier tests."""

from __future__ import annotations

import json

import pytest

from classifiers.text import TextDetector
from classifiers.train import CORPUS_PATH


@pytest.fixture(scope="session")
def detector() -> TextDetector:
    """The text detector with the shipped model (rules, lexicons and the trained artefact),
    built once per test process; a module that needs another overrides ``detector``."""
    found = TextDetector()
    assert found.model is not None, "the trained artefact is part of the repository"
    return found


@pytest.fixture(scope="session")
def corpus_texts() -> list[str]:
    """Every comment of the labelled corpus, all splits."""
    with CORPUS_PATH.open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh if line.strip()]
