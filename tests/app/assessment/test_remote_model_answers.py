"""What counts as the endpoint's answer, over real HTTP.

The endpoint decides the categories its answer scores, with findings of the same
shape and explanation rules as the built-in ones (content words, never a stopword,
a Swedish sentence naming the model).  A category its answer leaves out keeps the
built-in findings.  Anything else — an error status, a hang, a trickle, a body of
megabytes, a score that is no number between 0 and 1, JSON the parser cannot take,
an answer that scores none of its categories — is no answer: the built-in findings
stand, the comment is not delayed beyond the timeout, and the endpoint is left alone
for a while.
"""

from __future__ import annotations

import gzip
import json
import time
from typing import Any

import pytest

import classifiers
from app.assessment.remote import MAX_ANSWER_BYTES, RemoteModel, RemoteModelConfig
from classifiers import Assessment
from classifiers.text.stopwords import is_content_word
from tests.app.assessment.endpoints import MILD, PNR, RUDE, SLUR, TOKEN, RawEndpoint, remote_settings
from tests.fakes.text_classifier import FakeTextClassifier


def remote_model(url: str, made: list[Any], **overrides: Any) -> RemoteModel:
    """A model with a generous timeout unless the test is about the timeout: on a loaded
    machine a local answer can take longer than 0.5 s, and a test about what the answer
    says must not fail as a timeout."""
    overrides.setdefault("remote_model_timeout_s", 5.0)
    config = RemoteModelConfig.from_settings(remote_settings(url, **overrides))
    assert config is not None
    model = RemoteModel(config)
    made.append(model)
    return model


def assess(model: RemoteModel, text: str) -> Assessment:
    """What the worker's classifier makes of ``text`` for a tenant named for the endpoint."""
    return model.apply(text, classifiers.classify(text), classifiers.explain)


def by_category(assessment: Any) -> dict[str, Any]:
    return {f.category: f for f in assessment.findings}


def test_the_endpoint_decides_its_categories_with_explained_findings(
    endpoint: tuple[FakeTextClassifier, str], classifiers_made: list[Any]
) -> None:
    fake, url = endpoint
    model = remote_model(url, classifiers_made)
    builtin = by_category(classifiers.classify(PNR))
    assert "harassment" in builtin and "personal_data" in builtin

    fake.answers[PNR] = [("toxic", 0.93), ("hate_speech", 0.2), ("spam", 0.99)]
    found = assess(model, PNR)
    findings = by_category(found)
    remote = findings["harassment"]
    assert (remote.rule_id, remote.subtype, remote.score) == ("harassment.remote", "remote", 0.93)
    assert "kb-bert-test" in remote.explanation and "0.93" in remote.explanation
    assert remote.spans and all(is_content_word(s.text) for s in remote.spans)
    assert all(PNR[s.start : s.end] == s.text for s in remote.spans)
    assert "”idiot”" in remote.explanation
    # Categories it is not configured for stay the built-in model's; a label it may not decide is ignored.
    assert findings["personal_data"] == builtin["personal_data"]
    assert "hate_speech" not in findings and "spam" not in findings
    assert found.model_version.endswith("+remote:kb-bert-test")
    assert fake.requests[-1] == {"body": {"inputs": PNR}, "authorization": f"Bearer {TOKEN}"}

    # Below the threshold the endpoint's "no" removes the built-in harassment finding.
    fake.answers[RUDE] = [("toxic", 0.1)]
    assert "harassment" not in by_category(assess(model, RUDE))
    assert "harassment" in by_category(classifiers.classify(RUDE))
    assert model.last_error is None


def test_a_category_the_answer_leaves_out_keeps_the_builtin_findings(
    endpoint: tuple[FakeTextClassifier, str], classifiers_made: list[Any]
) -> None:
    """README's own example: it decides hate speech and harassment, and its one label is ``toxic``."""
    fake, url = endpoint
    model = remote_model(url, classifiers_made)
    builtin = by_category(classifiers.classify(SLUR))
    assert {"hate_speech", "harassment"} <= builtin.keys()

    fake.answers[SLUR] = [("toxic", 0.1)]
    found = assess(model, SLUR)
    findings = by_category(found)
    assert "harassment" not in findings  # its "no"
    assert findings["hate_speech"] == builtin["hate_speech"]  # not its "no": it did not say
    assert found.model_version.endswith("+remote:kb-bert-test")


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param([], id="empty"),
        pytest.param([("LABEL_1", 0.99), ("LABEL_0", 0.01)], id="unknown-labels"),
        pytest.param([("TOXIC", 0.99)], id="label-in-capitals"),
        pytest.param([("spam", 0.99)], id="only-other-categories"),
    ],
)
def test_an_answer_that_scores_none_of_its_categories_is_no_answer(
    endpoint: tuple[FakeTextClassifier, str], classifiers_made: list[Any], answer: list[tuple[str, float]]
) -> None:
    fake, url = endpoint
    model = remote_model(url, classifiers_made)
    fake.answers[SLUR] = answer
    assert assess(model, SLUR) == classifiers.classify(SLUR)
    assert model.last_error == "svaret bedömer ingen av kategorierna (okända etiketter?)"
    # A misconfigured label is a failure like any other: the endpoint is paused, not asked per comment.
    assert assess(model, SLUR) == classifiers.classify(SLUR)
    assert len(fake.requests) == 1


NOT_A_SCORE = "en poäng i svaret är inte ett tal mellan 0 och 1"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        # An integer of 400 digits: float() of it overflows.
        pytest.param(b'[{"label":"toxic","score":' + b"9" * 400 + b"}]", NOT_A_SCORE, id="huge-integer"),
        pytest.param(b'[{"label":"toxic","score":true}]', NOT_A_SCORE, id="true"),
        pytest.param(b'[{"label":"toxic","score":"0.9"}]', NOT_A_SCORE, id="string"),
        pytest.param(b'[{"label":"toxic","score":[0.9]}]', NOT_A_SCORE, id="list"),
        pytest.param(b'[{"label":"toxic","score":NaN}]', NOT_A_SCORE, id="nan"),
        pytest.param(b'[{"label":"toxic","score":Infinity}]', NOT_A_SCORE, id="infinity"),
        pytest.param(b'[{"label":"toxic","score":1.5}]', NOT_A_SCORE, id="above-1"),
        pytest.param(b'[{"label":"toxic","score":-0.1}]', NOT_A_SCORE, id="below-0"),
        pytest.param(b'[{"label":"toxic"}]', NOT_A_SCORE, id="no-score"),
        pytest.param(b'[{"score":0.9}]', "en etikett i svaret saknar namn", id="no-label"),
        pytest.param(b'[{"label":5,"score":0.9}]', "en etikett i svaret saknar namn", id="label-number"),
        pytest.param(b'["toxic"]', "en etikett i svaret saknar namn", id="entry-not-object"),
        pytest.param(b'{"error":"model loading"}', "svaret är inte en lista med etiketter", id="object"),
        # Deeper than the JSON parser recurses: RecursionError, which no one foresees.
        pytest.param(b"[" * 100_000 + b"]" * 100_000, "RecursionError", id="deep-nesting"),
        pytest.param(b"<html>Bad gateway</html>", "JSONDecodeError", id="html"),
    ],
)
def test_a_nonsensical_answer_is_no_answer(
    raw_endpoint: tuple[RawEndpoint, str], classifiers_made: list[Any], body: bytes, reason: str
) -> None:
    raw, url = raw_endpoint
    model = remote_model(url, classifiers_made)
    raw.body = body
    assert assess(model, RUDE) == classifiers.classify(RUDE)
    assert model.last_error == reason
    assert assess(model, RUDE) == classifiers.classify(RUDE)
    assert raw.requests == 1  # paused


@pytest.mark.parametrize("status", [401, 500, 307])
def test_the_status_of_a_refusal_is_named_in_the_log(
    raw_endpoint: tuple[RawEndpoint, str],
    classifiers_made: list[Any],
    warnings_logged: list[dict[str, Any]],
    status: int,
) -> None:
    """A wrong token (401) is the operator's to fix; an overloaded server (500) is not."""
    raw, url = raw_endpoint
    model = remote_model(url, classifiers_made)
    raw.status, raw.body = status, b'[{"label":"toxic","score":0.99}]'
    assert assess(model, RUDE) == classifiers.classify(RUDE)
    assert model.last_error == f"svarade HTTP {status}"
    [failed] = [e for e in warnings_logged if e["event"] == "assessment.remote_model_failed"]
    assert (failed["status"], failed["reason"], failed["model"]) == (
        status,
        f"svarade HTTP {status}",
        "kb-bert-test",
    )
    assert RUDE not in json.dumps(failed, ensure_ascii=False)


def test_an_answer_larger_than_the_limit_is_not_read(
    raw_endpoint: tuple[RawEndpoint, str], classifiers_made: list[Any]
) -> None:
    raw, url = raw_endpoint
    model = remote_model(url, classifiers_made)
    # Valid JSON that would decide harassment, padded past the limit.
    raw.body = b'[{"label":"toxic","score":0.99}' + b" " * MAX_ANSWER_BYTES + b"]"
    assert assess(model, RUDE) == classifiers.classify(RUDE)
    assert model.last_error == f"svaret är större än {MAX_ANSWER_BYTES} byte"


def test_a_compressed_answer_is_refused_before_it_is_inflated(
    raw_endpoint: tuple[RawEndpoint, str], classifiers_made: list[Any]
) -> None:
    """A few kilobytes of gzip that inflate to many megabytes must never be inflated."""
    raw, url = raw_endpoint
    model = remote_model(url, classifiers_made)
    answer = b'[{"label":"toxic","score":0.99}' + b" " * (20 * MAX_ANSWER_BYTES) + b"]"
    raw.body, raw.encoding = gzip.compress(answer), "gzip"
    assert len(raw.body) < MAX_ANSWER_BYTES // 10
    assert assess(model, RUDE) == classifiers.classify(RUDE)
    assert raw.accept_encoding == "identity"
    assert model.last_error == "svaret är komprimerat (gzip) fast Uppsikt bad om okomprimerat"


def test_an_answer_trickling_in_is_given_up_at_the_timeout(
    raw_endpoint: tuple[RawEndpoint, str], classifiers_made: list[Any]
) -> None:
    """httpx's timeout is per read: a byte every 0.38 s never trips a timeout of 0.4 s."""
    raw, url = raw_endpoint
    model = remote_model(url, classifiers_made, remote_model_timeout_s=0.4)
    raw.body, raw.gap_s = b'[{"label":"toxic","score":0.99}]', 0.38
    builtin = classifiers.classify(RUDE)
    started = time.monotonic()
    assert model.apply(RUDE, builtin, classifiers.explain) == builtin
    # The timeout, not the second byte's 0.76 s, nor the 12 s the whole answer takes.
    assert time.monotonic() - started < 0.6
    assert model.last_error == "inget svar inom 0.4 s"
    # The abandoned call stops reading too (at the first byte after the timeout), rather than
    # holding a connection and a thread for 12 s.
    while raw.stopped_at is None and time.monotonic() - started < 2.0:
        time.sleep(0.02)
    assert raw.stopped_at is not None and raw.stopped_at - started < 1.2


@pytest.mark.parametrize("fault", ["500", "hang", "nonsense"])
def test_a_failing_endpoint_leaves_the_builtin_findings_and_is_paused(
    endpoint: tuple[FakeTextClassifier, str], fault: str, classifiers_made: list[Any]
) -> None:
    fake, url = endpoint
    model = remote_model(url, classifiers_made, remote_model_timeout_s=0.5)
    builtin = classifiers.classify(RUDE)
    fake.fail_next(1, fault)  # type: ignore[arg-type]
    started = time.monotonic()
    assert model.apply(RUDE, builtin, classifiers.explain) == builtin
    assert time.monotonic() - started < 0.8  # the timeout (0.5 s), not the hang (3 s)
    calls = len(fake.requests)
    fake.answers[RUDE] = [("toxic", 0.99)]
    # Paused: the next comments are not sent (a dead endpoint costs one timeout, not one each).
    assert assess(model, RUDE) == builtin and len(fake.requests) == calls


def test_after_the_pause_the_endpoint_is_asked_again(
    endpoint: tuple[FakeTextClassifier, str], classifiers_made: list[Any]
) -> None:
    fake, url = endpoint
    model = remote_model(url, classifiers_made, remote_model_pause_s=0.2)
    fake.fail_next(1, "500")
    assess(model, MILD)
    time.sleep(0.3)
    fake.answers[MILD] = [("toxic", 0.8)]
    assert by_category(assess(model, MILD))["harassment"].rule_id == "harassment.remote"
    assert model.last_error is None
