"""A municipality's own model behind an HTTP endpoint (off by default), over real HTTP.

The endpoint decides the categories it is configured for; its findings have the same
shape and explanation rules as the built-in ones (content words, never a stopword, a
Swedish sentence naming the model); a failing, hanging or nonsensical endpoint leaves the
built-in findings standing and is then left alone for a while.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.assessment.remote import RemoteModelConfig
from app.assessment.service import TenantClassifier, default_classifier
from app.errors import ConfigurationError
from app.models import Assessment
from app.settings import Settings
from app.worker.inbox import InboxWorker
from classifiers.text.stopwords import is_content_word
from tests.conftest import make_settings
from tests.factories import create_account, create_tenant, feed_change, meta_json, page_delivery, sign_meta
from tests.fakes.server import serve
from tests.fakes.text_classifier import FakeTextClassifier

RUDE = "Du är en riktig idiot och borde skämmas, Testa Testsson"
MILD = "Tack för att ni plogade Storgatan så snabbt i morse"
PNR = "Mitt personnummer är 19121212-1212 och du är en idiot"
TOKEN = "remote-model-token"


@pytest.fixture
def endpoint() -> Iterator[tuple[FakeTextClassifier, str]]:
    fake = FakeTextClassifier(token=TOKEN)
    with serve(fake.app) as url:
        yield fake, f"{url}/predict"


@pytest.fixture
def classifiers_made() -> Iterator[list[Any]]:
    """Every classifier a test makes, closed afterwards (their HTTP connections)."""
    made: list[Any] = []
    yield made
    for classify in made:
        classify.close()


def remote_settings(url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "remote_model_url": url,
        "remote_model_token": SecretStr(TOKEN),
        "remote_model_categories": "harassment,hate_speech",
        "remote_model_labels": "toxic=harassment",
        "remote_model_timeout_s": 0.5,
        "remote_model_pause_s": 60.0,
        "remote_model_name": "kb-bert-test",
    }
    values.update(overrides)
    return Settings(**values)


def by_category(assessment: Any) -> dict[str, Any]:
    return {f.category: f for f in assessment.findings}


def test_off_by_default() -> None:
    assert RemoteModelConfig.from_settings(Settings()) is None


def test_the_endpoint_decides_its_categories_with_explained_findings(
    endpoint: tuple[FakeTextClassifier, str], classifiers_made: list[Any]
) -> None:
    fake, url = endpoint
    classify = default_classifier(remote_settings(url))
    classifiers_made.append(classify)
    builtin = by_category(TenantClassifier()(PNR))
    assert "harassment" in builtin and "personal_data" in builtin

    fake.answers[PNR] = [("toxic", 0.93), ("hate_speech", 0.2), ("spam", 0.99)]
    found = classify(PNR)
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
    assert "harassment" not in by_category(classify(RUDE))
    assert "harassment" in by_category(TenantClassifier()(RUDE))


@pytest.mark.parametrize("fault", ["500", "hang", "nonsense"])
def test_a_failing_endpoint_leaves_the_builtin_findings_and_is_paused(
    endpoint: tuple[FakeTextClassifier, str], fault: str, classifiers_made: list[Any]
) -> None:
    fake, url = endpoint
    classify = default_classifier(remote_settings(url))
    classifiers_made.append(classify)
    builtin = TenantClassifier()(RUDE)
    fake.fail_next(1, fault)  # type: ignore[arg-type]
    started = time.monotonic()
    assert classify(RUDE) == builtin
    assert time.monotonic() - started < 2.0  # the timeout (0.5 s), not the hang (3 s)
    calls = len(fake.requests)
    fake.answers[RUDE] = [("toxic", 0.99)]
    # Paused: the next comments are not sent (a dead endpoint costs one timeout, not one each).
    assert classify(RUDE) == builtin and len(fake.requests) == calls


def test_after_the_pause_the_endpoint_is_asked_again(
    endpoint: tuple[FakeTextClassifier, str], classifiers_made: list[Any]
) -> None:
    fake, url = endpoint
    classify = default_classifier(remote_settings(url, remote_model_pause_s=0.2))
    classifiers_made.append(classify)
    fake.fail_next(1, "500")
    classify(MILD)
    time.sleep(0.3)
    fake.answers[MILD] = [("toxic", 0.8)]
    assert by_category(classify(MILD))["harassment"].rule_id == "harassment.remote"


def test_a_wrong_category_stops_the_start_with_a_swedish_line() -> None:
    bad = Settings(remote_model_url="http://127.0.0.1:9/predict", remote_model_categories="toxicity")
    with pytest.raises(ConfigurationError, match="okända: toxicity"):
        default_classifier(bad)


def test_the_worker_stores_the_endpoints_findings(
    endpoint: tuple[FakeTextClassifier, str], database_url: str, session: Session
) -> None:
    from fastapi.testclient import TestClient

    from app.main import create_app

    fake, url = endpoint
    remote = {n for n in Settings.model_fields if n.startswith("remote_")}
    settings = make_settings(database_url).model_copy(update=remote_settings(url).model_dump(include=remote))
    create_account(session, tenant=create_tenant(session))
    fake.answers[MILD] = [("toxic", 0.97)]
    app = create_app(settings)
    with TestClient(app) as client:
        body = meta_json(page_delivery(feed_change(comment="1", message=MILD)))
        assert client.post("/webhooks/meta", content=body, headers=sign_meta(body)).status_code == 200
        classify = default_classifier(settings)
        try:
            InboxWorker(app.state.session_factory, settings, classify=classify).run_until_idle()
        finally:
            classify.close()  # type: ignore[attr-defined]
    session.rollback()
    [stored] = session.scalars(select(Assessment)).all()
    assert stored.model_version.endswith("+remote:kb-bert-test")
    assert [f["rule_id"] for f in stored.findings] == ["harassment.remote"]
