"""The classifier the pipeline's ``assess`` stage uses.

``classifiers`` is a pure library (design invariant 6); this is the one place
the service picks its entry point and builds its detectors before the first
comment arrives, so that the first comment is not the slow one.
"""

from __future__ import annotations

from typing import Any

import classifiers
from app.pipeline import Classify


def default_classifier() -> Classify:
    classify: Any = classifiers.classify
    return classify


def warm_up() -> None:
    classifiers.warm_up()
