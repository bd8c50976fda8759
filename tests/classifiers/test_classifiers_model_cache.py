"""The per-word cache of the linear model never changes a score.

``LinearTextModel`` remembers each word's char-block contribution in a row of
its table and empties the cache when it is full.  It must do that between
texts, never while one text's rows are being gathered, grow for a text longer
than the whole cache, and keep two threads from reusing each other's rows.
"""

from __future__ import annotations

import json
import threading

import numpy as np
import pytest

from classifiers.normalize import normalize
from classifiers.text.model import ARTIFACT_PATH, LinearTextModel
from classifiers.train import CORPUS_PATH


def _small(capacity: int) -> LinearTextModel:
    model = LinearTextModel.load(ARTIFACT_PATH)
    assert model is not None
    model._capacity = capacity
    model._table = model._table[: model._n_words + capacity].copy()
    return model


@pytest.fixture(scope="module")
def texts() -> list[str]:
    with CORPUS_PATH.open(encoding="utf-8") as fh:
        return [normalize(json.loads(line)["text"]).text for line in fh if line.strip()][::40]


@pytest.fixture(scope="module")
def reference(texts: list[str]) -> list[list[float]]:
    model = LinearTextModel.load(ARTIFACT_PATH)
    assert model is not None
    return [list(model.score(t).probabilities.values()) for t in texts]


def test_a_small_cache_that_empties_often_gives_the_same_scores(
    texts: list[str], reference: list[list[float]]
) -> None:
    model = _small(12)  # shorter than most comments: emptied before nearly every text
    for text, expected in zip(texts, reference, strict=True):
        assert np.allclose(list(model.score(text).probabilities.values()), expected, atol=1e-12), text


def test_a_text_longer_than_the_cache_grows_it() -> None:
    model = _small(4)
    text = normalize("Ni borde skämmas, den här kommunen sköter ingenting och ingen lyssnar på oss").text
    fresh = LinearTextModel.load(ARTIFACT_PATH)
    assert fresh is not None
    scored = model.score(text)
    assert model._capacity >= len(text.split())
    assert scored.probabilities == pytest.approx(fresh.score(text).probabilities, abs=1e-12)
    assert np.allclose(scored.chunk_logits, fresh.score(text).chunk_logits)


def test_threads_sharing_a_small_cache_get_the_same_scores(
    texts: list[str], reference: list[list[float]]
) -> None:
    model = _small(40)
    wrong: list[str] = []

    def work(offset: int) -> None:
        for i in range(offset, len(texts), 2):
            got = list(model.score(texts[i]).probabilities.values())
            if not np.allclose(got, reference[i], atol=1e-12):
                wrong.append(texts[i])

    threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not wrong
