"""The test data shipped with the repository (``tests/data/``, sources in its README).

Tests read data only through here, so that a fresh clone alone is enough to run them.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def skatteverket_numbers(kind: str = "personnummer") -> tuple[str, ...]:
    """Skatteverket's test ``personnummer`` or ``samordningsnummer``, 12 digits each."""
    path = DATA_DIR / "testpersonnummer" / f"{kind}.json"
    return tuple(json.loads(path.read_text(encoding="utf-8")))


def ner_held_out() -> Path:
    """The held-out 20 % of the Swedish NER training corpus (CC BY 4.0)."""
    return DATA_DIR / "swedish-ner" / "held_out.txt"
