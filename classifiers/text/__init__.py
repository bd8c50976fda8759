"""Detectors for the text categories (everything except the privacy categories).

``TextDetector`` combines Swedish lexicons and rules (data files under
``data/``) with exported linear models (``classifiers/artifacts/``); see
``detectors.py`` for the decision rule per category.
"""

from classifiers.text.detectors import TEXT_CATEGORIES, TextDetector

__all__ = ["TEXT_CATEGORIES", "TextDetector"]
