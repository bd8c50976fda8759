"""Trained artefacts: rebuilt byte for byte, loaded without pickle, scored like in training."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest

from classifiers.normalize import normalize
from classifiers.text import TextDetector
from classifiers.text.model import LinearTextModel
from classifiers.train import MultiLabelTextModel, train, with_variants

_ADS = [
    "Rabattkod {n} ger rabatt i vår butik",
    "Beställ ved hos oss, {n} kr per säck",
    "Nyöppnad frisörsalong, boka tid nu {n}",
    "Köp honung direkt från gården, {n} kr burken",
]
_QUESTIONS = [
    "När öppnar simhallen efter renoveringen {n}?",
    "Hur söker man plats i förskolan {n}?",
    "Vilka tider går bussen till skolan {n}?",
    "Finns det parkering vid biblioteket {n}?",
]
_OTHER = [
    "Fint väder vid sjön idag {n}",
    "Tack för en bra konsert i parken {n}",
    "Trevlig helg alla i byn {n}",
    "Blommorna på torget är vackra {n}",
]


def _tiny_corpus(path: Path) -> Path:
    rows = []
    i = 0
    for n in range(6):
        for templates, labels in ((_ADS, ["advertising"]), (_QUESTIONS, ["question"]), (_OTHER, [])):
            for t in templates:
                i += 1
                rows.append(
                    {
                        "id": f"t{i:04d}",
                        "base_id": f"b{i // 2:04d}",
                        "text": t.format(n=n + 1),
                        "labels": labels,
                        "split": "test" if n == 5 else "train",
                        "topic": "test",
                        "source": "handwritten",
                    }
                )
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    base = tmp_path_factory.mktemp("artefacts")
    corpus = _tiny_corpus(base / "corpus.jsonl")
    first, second = base / "a.json", base / "b.json"
    train(corpus, first)
    train(corpus, second)
    return corpus, first, second


def test_retraining_gives_identical_bytes(trained: tuple[Path, Path, Path]) -> None:
    _, first, second = trained
    assert first.read_bytes() == second.read_bytes()
    payload = json.loads(first.read_text())
    assert set(payload["categories"]) == {"advertising", "question"}
    assert payload["metadata"]["n_train"] == 60


def test_loading_never_unpickles(trained: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("pickle used while loading an artefact")

    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "Unpickler", refuse)
    monkeypatch.setattr(np, "load", refuse)
    model = LinearTextModel.load(trained[1])
    assert model is not None
    assert model.categories == ("advertising", "question")
    assert not trained[1].read_bytes().startswith(b"\x80")


def test_exported_scorer_matches_the_trained_estimator(trained: tuple[Path, Path, Path]) -> None:
    corpus, artefact, _ = trained
    rows = [json.loads(line) for line in corpus.read_text().splitlines()]
    train_rows = [r for r in rows if r["split"] == "train"]
    estimator = MultiLabelTextModel().fit(*with_variants(train_rows))
    model = LinearTextModel.load(artefact)
    assert model is not None
    # The calibration is fitted by ``train`` on out-of-fold logits, not by ``fit``.
    estimator.calibration_ = dict(model.calibration)
    texts = [r["text"] for r in rows if r["split"] == "test"] + ["Helt ny text utan kända ord", ""]
    expected = estimator.predict_proba(texts)
    for i, text in enumerate(texts):
        scored = model.score(normalize(text).text)
        got = [scored.probabilities[c] for c in model.categories]
        assert np.allclose(got, expected[i], atol=1e-5), text


def test_estimator_follows_the_scikit_learn_contract() -> None:
    from sklearn.base import clone

    est = MultiLabelTextModel(C=2.0, random_state=3)
    assert est.get_params() == {"C": 2.0, "min_df": 2, "random_state": 3}
    assert not [k for k in vars(est) if k.endswith("_")]
    copy = clone(est)
    fitted = copy.fit(
        ["rabattkod här", "rabattkod nu"] * 5 + ["hej"] * 10, [{"advertising"}] * 10 + [set()] * 10
    )
    assert fitted is copy
    assert hasattr(copy, "coef_") and hasattr(copy, "featurizer_")


def test_model_findings_point_at_the_words_that_drove_them(trained: tuple[Path, Path, Path]) -> None:
    detector = TextDetector(artifact_path=trained[1])
    assert detector.model is not None
    detector.model.thresholds["advertising"] = 0.0  # force the model path for this text
    text = "Köp HONUNG från gården"
    assert "advertising" not in detector.rule_categories(text)
    findings = [f for f in detector.detect(text) if f.category == "advertising"]
    assert [f.rule_id for f in findings] == ["advertising.model"]
    finding = findings[0]
    assert finding.explanation.startswith("Modellen bedömer texten som reklam, främst på grund av '")
    assert finding.spans
    for span in finding.spans:
        assert text[span.start : span.end] == span.text
        assert span.text in finding.explanation
    assert "HONUNG" in {s.text for s in finding.spans} or "gården" in {s.text for s in finding.spans}


def test_the_shipped_models_were_trained_on_this_corpus_with_these_rules() -> None:
    """Thresholds are chosen for "rule or model": a rule or corpus change without a
    retrain (``python -m classifiers.train``) ships thresholds chosen for other rules."""
    import hashlib
    import json

    from classifiers.text.detectors import TextDetector
    from classifiers.text.model import ARTIFACT_PATH
    from classifiers.train import CORPUS_PATH

    meta = json.loads(ARTIFACT_PATH.read_text(encoding="utf-8"))["metadata"]
    assert meta["rules_version"] == TextDetector(use_model=False).rules_version
    assert meta["corpus_sha256"] == hashlib.sha256(CORPUS_PATH.read_bytes()).hexdigest()
