"""A municipality's own model behind an HTTP endpoint (off by default): configuration and tenants.

A configuration that would decide nothing, drop a label or break the stored model
version stops the start with one Swedish line.  The endpoint receives whole comments,
personal data included, so only the comments of the tenants named for it are sent;
every other tenant's comments keep the built-in model.  What counts as an answer is
in ``test_remote_model_answers``.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.assessment.remote import RemoteModelConfig
from app.assessment.service import TenantClassifier, default_classifier
from app.errors import ConfigurationError
from app.models import Assessment
from app.settings import Settings
from app.worker.inbox import InboxWorker
from tests.app.assessment.endpoints import MILD, RUDE, TENANT, remote_settings
from tests.conftest import make_settings
from tests.factories import (
    PAGE_ID,
    create_account,
    create_tenant,
    feed_change,
    meta_json,
    page_delivery,
    sign_meta,
)
from tests.fakes.text_classifier import FakeTextClassifier

#: The longest name allowed: with the built-in model's version it still fits the 200-character column.
LONGEST_NAME = "kb-bert-" + "x" * 56
OTHER_PAGE_ID = "222222222222222"


def test_off_by_default() -> None:
    assert RemoteModelConfig.from_settings(Settings()) is None


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("remote_model_categories", "toxicity", "okända: toxicity"),
        ("remote_model_categories", " , ", "okända: inga angivna"),
        # A pair without "=" used to be dropped silently, and the endpoint's label then decided nothing.
        ("remote_model_labels", "toxic:harassment", "par som etikett=kategorikod.*”toxic:harassment”"),
        ("remote_model_labels", "toxic=", "par som etikett=kategorikod"),
        ("remote_model_labels", "=harassment", "par som etikett=kategorikod"),
        # A label may only become a category the endpoint decides.
        ("remote_model_labels", "toxic=spam", "översätter till spam, som inte finns i"),
        ("remote_model_labels", "toxic=toxicity", "översätter till toxicity, som inte finns i"),
        # The name becomes part of every stored model version (200 characters, parts split at "+").
        ("remote_model_name", LONGEST_NAME + "x", "UPPSIKT_REMOTE_MODEL_NAME måste vara 1–64 tecken"),
        ("remote_model_name", "kb+bert", "utan ”\\+”"),
        ("remote_model_name", " ", "UPPSIKT_REMOTE_MODEL_NAME måste vara 1–64 tecken"),
    ],
)
def test_a_configuration_that_cannot_work_stops_the_start_with_a_swedish_line(
    setting: str, value: str, message: str
) -> None:
    bad = remote_settings("http://127.0.0.1:9/predict", **{setting: value})
    with pytest.raises(ConfigurationError, match=message):
        default_classifier(bad)


def test_what_the_configuration_may_say() -> None:
    config = RemoteModelConfig.from_settings(
        remote_settings(
            "http://127.0.0.1:9/predict",
            remote_model_labels=" toxic = harassment ,, hate=hate_speech ",
            remote_model_name=LONGEST_NAME,
            remote_model_tenants=" Sundsvall , Ånge ,",
        )
    )
    assert config is not None
    assert dict(config.labels) == {"toxic": "harassment", "hate": "hate_speech"}
    assert (config.name, config.tenants) == (LONGEST_NAME, frozenset({"Sundsvall", "Ånge"}))


def test_only_the_named_tenants_comments_reach_the_endpoint(
    endpoint: tuple[FakeTextClassifier, str],
    session: Session,
    classifiers_made: list[Any],
    warnings_logged: list[dict[str, Any]],
) -> None:
    fake, url = endpoint
    own, other = create_tenant(session, name="Sundsvall"), create_tenant(session, name="Ånge")
    classify = default_classifier(remote_settings(url, remote_model_tenants="Sundsvall,Timrå"))
    classifiers_made.append(classify)
    classify.refresh(session)  # type: ignore[attr-defined]
    fake.answers[RUDE] = [("toxic", 0.99)]
    builtin = TenantClassifier()(RUDE)

    # Another tenant's comment, or one of no tenant, never leaves the service.
    assert classify(RUDE, {"tenant_id": other.id}) == builtin
    assert classify(RUDE) == builtin
    assert fake.requests == []
    assert classify(RUDE, {"tenant_id": own.id}).model_version.endswith("+remote:kb-bert-test")
    assert [r["body"] for r in fake.requests] == [{"inputs": RUDE}]

    # A name no tenant has is logged once, not once per batch, and is taken up once the tenant exists.
    classify.refresh(session)  # type: ignore[attr-defined]
    unknown = [e for e in warnings_logged if e["event"] == "assessment.remote_model_tenant_unknown"]
    assert [e["tenants"] for e in unknown] == [["Timrå"]]
    later = create_tenant(session, name="Timrå")
    assert classify(MILD, {"tenant_id": later.id}) == TenantClassifier()(MILD)
    classify.refresh(session)  # type: ignore[attr-defined]
    assert classify(MILD, {"tenant_id": later.id}).model_version.endswith("+remote:kb-bert-test")
    assert len(fake.requests) == 2


def test_without_tenants_the_endpoint_is_never_called(
    endpoint: tuple[FakeTextClassifier, str],
    classifiers_made: list[Any],
    warnings_logged: list[dict[str, Any]],
) -> None:
    fake, url = endpoint
    classify = default_classifier(remote_settings(url, remote_model_tenants=""))
    classifiers_made.append(classify)
    fake.answers[RUDE] = [("toxic", 0.99)]
    assert classify(RUDE, {"tenant_id": 1}) == TenantClassifier()(RUDE)
    assert fake.requests == []
    # The operator who set a URL learns why nothing is sent.
    assert [
        e["model"] for e in warnings_logged if e["event"] == "assessment.remote_model_without_tenants"
    ] == ["kb-bert-test"]


def test_the_worker_stores_the_endpoints_findings_for_the_named_tenant_only(
    endpoint: tuple[FakeTextClassifier, str], database_url: str, session: Session
) -> None:
    from fastapi.testclient import TestClient

    from app.main import create_app

    fake, url = endpoint
    remote = {n for n in Settings.model_fields if n.startswith("remote_")}
    # The longest name allowed still fits the stored model version (PostgreSQL checks the length).
    chosen = remote_settings(url, remote_model_name=LONGEST_NAME).model_dump(include=remote)
    settings = make_settings(database_url).model_copy(update=chosen)
    own, other = create_tenant(session, name=TENANT), create_tenant(session, name="granne")
    create_account(session, tenant=own)
    create_account(session, tenant=other, external_id=OTHER_PAGE_ID)
    own_id, other_id = own.id, other.id
    fake.answers[MILD] = [("toxic", 0.97)]
    app = create_app(settings)
    with TestClient(app) as client:
        for comment, page in (("1", PAGE_ID), ("2", OTHER_PAGE_ID)):
            change = feed_change(comment=comment, message=MILD, page_id=page)
            body = meta_json(page_delivery(change, page_id=page))
            assert client.post("/webhooks/meta", content=body, headers=sign_meta(body)).status_code == 200
        classify = default_classifier(settings)
        try:
            InboxWorker(app.state.session_factory, settings, classify=classify).run_until_idle()
        finally:
            classify.close()  # type: ignore[attr-defined]
    session.rollback()
    stored = {
        a.tenant_id: (a.model_version, [f["rule_id"] for f in a.findings])
        for a in session.scalars(select(Assessment))
    }
    assert len(stored) == 2 and len(fake.requests) == 1
    builtin = TenantClassifier()(MILD).model_version
    assert stored[own_id] == (f"{builtin}+remote:{LONGEST_NAME}", ["harassment.remote"])
    assert stored[other_id] == (builtin, [])
