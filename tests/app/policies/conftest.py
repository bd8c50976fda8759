"""Shared fixtures for the policy tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from classifiers.types import Finding

MakeFinding = Callable[..., Finding]


@pytest.fixture
def make_finding() -> MakeFinding:
    def make(category: str, subtype: str = "", score: float = 1.0) -> Finding:
        return Finding(
            category=category,
            subtype=subtype,
            score=score,
            spans=(),
            explanation="Testfynd",
            rule_id=f"test.{category}",
            model_version="test",
        )

    return make
