"""A lone letter is never a finding, whatever a lexicon entry squeezes to."""

from __future__ import annotations

import pytest

from classifiers import classify


@pytest.mark.parametrize("text", ["x", "Skriv x i rutan", "Gå till sal X", "x\ufffdy"])
def test_single_letters_are_not_sexual_content(text: str) -> None:
    assert "sexual_content" not in classify(text).categories


def test_the_word_itself_still_counts() -> None:
    assert "sexual_content" in classify("Gratis xxx porr här, klicka på länken").categories
