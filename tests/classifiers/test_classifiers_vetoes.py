"""A rule's finding is dropped where the category's model, which read the whole comment, is
nearly sure the rule is wrong (``classifiers.train.choose_vetoes``, chosen out of fold)."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from classifiers.text.detectors import TextDetector
from classifiers.text.model import ARTIFACT_PATH, LinearTextModel
from classifiers.train import MIN_VETO_GAIN, choose_vetoes

#: A question to the other commenters, not to the municipality: the rule reads the question mark.
ASKS_THE_OTHERS = "Är det Anna Berg från Storgatan som skrev i tidningen igår?"


@pytest.fixture(scope="module")
def shipped() -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(ARTIFACT_PATH.read_bytes())
    return payload


def detector(payload: dict[str, Any], vetoes: dict[str, float]) -> TextDetector:
    return TextDetector(model=LinearTextModel({**payload, "vetoes": vetoes}, "test-vetoes"))


def categories(found: list[Any]) -> set[str]:
    return {f.category for f in found}


def test_the_shipped_model_vetoes_a_question_to_the_other_commenters(shipped: dict[str, Any]) -> None:
    assert "question" in shipped["vetoes"]
    assert "question" in categories(detector(shipped, {}).detect(ASKS_THE_OTHERS))
    assert "question" not in categories(detector(shipped, shipped["vetoes"]).detect(ASKS_THE_OTHERS))


def test_a_question_the_model_agrees_with_keeps_the_rule_s_finding(shipped: dict[str, Any]) -> None:
    found = detector(shipped, shipped["vetoes"]).detect("När börjar ni ploga på Storgatan?")
    assert [f.rule_id for f in found if f.category == "question"] == ["question.sentence"]


def test_an_artefact_without_vetoes_vetoes_nothing(shipped: dict[str, Any]) -> None:
    payload = {k: v for k, v in shipped.items() if k != "vetoes"}
    model = LinearTextModel(payload, "no-vetoes")
    assert model.vetoes == {}
    assert "question" in categories(TextDetector(model=model).detect(ASKS_THE_OTHERS))


def test_a_veto_is_chosen_only_where_it_adds_out_of_fold_f1() -> None:
    # Category a: 60 rule hits the model backs (right) and 40 it is sure are wrong.
    # Category b: the same rule hits, but the model is as unsure of the right ones.
    n = 100
    gold_a = [i < 60 for i in range(n)]
    p_a = [0.6 if i < 60 else 0.01 for i in range(n)]
    p_b = [0.01] * n
    labels = [{"a", "b"} if g else set() for g in gold_a]
    rule_hits = [{"a", "b"}] * n
    probabilities = np.array([p_a, p_b]).T
    vetoes = choose_vetoes(probabilities, ["a", "b"], labels, rule_hits, {"a": 0.9, "b": 0.9})
    assert vetoes == {"a": 0.02}
    # A gain smaller than MIN_VETO_GAIN is noise: one wrong hit in 1,000 is not worth a veto.
    many = 1000
    gold = [i > 0 for i in range(many)]
    p = [0.01 if i == 0 else 0.6 for i in range(many)]
    small = choose_vetoes(
        np.array([p]).T, ["a"], [{"a"} if g else set() for g in gold], [{"a"}] * many, {"a": 0.9}
    )
    assert small == {} and MIN_VETO_GAIN > 0.0005
