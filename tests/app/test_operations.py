"""Health, readiness, metrics, error rendering and the failed-commit path."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import psycopg
from fastapi.testclient import TestClient

from app import schema
from app.settings import Settings
from tests.factories import feed_change, meta_json, page_delivery, sign_meta


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 200
    assert r.json() == {"status": "ready", "database": True, "migrations": "head"}


def test_not_ready_when_schema_is_behind(client: TestClient, settings: Settings) -> None:
    schema.downgrade(settings.database_url, "base")
    try:
        r = client.get("/readyz")
        assert r.status_code == 503
        assert r.json()["status"] == "not ready"
    finally:
        schema.upgrade(settings.database_url)


def test_metrics_count_deliveries_and_rejections(client: TestClient) -> None:
    body = meta_json(page_delivery(feed_change()))
    client.post("/webhooks/meta", content=body, headers=sign_meta(body))
    client.post("/webhooks/meta", content=body, headers={"X-Hub-Signature-256": "sha256=00"})
    text = client.get("/metrics").text
    assert 'uppsikt_deliveries_received_total{source="meta"} 1.0' in text
    assert 'uppsikt_deliveries_rejected_total{reason="signature",source="meta"} 1.0' in text
    assert "uppsikt_inbox_backlog 1.0" in text


def test_security_headers_and_request_id(client: TestClient) -> None:
    r = client.get("/healthz", headers={"X-Request-ID": "abc123"})
    assert r.headers["x-request-id"] == "abc123"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"


def test_a_commit_that_fails_answers_503_and_platform_retries(client: TestClient, settings: Settings) -> None:
    """Hold the write lock from outside; the webhook cannot commit in time and must not say 200."""
    fast = settings.model_copy(update={"db_lock_timeout_ms": 300})
    from app.main import create_app

    body = meta_json(page_delivery(feed_change()))
    blocker: Any
    if fast.is_sqlite:
        blocker = sqlite3.connect(fast.database_url.removeprefix("sqlite:///"), isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
    else:
        blocker = psycopg.connect(fast.database_url.replace("+psycopg", ""))
        blocker.execute("LOCK TABLE webhook_deliveries IN ACCESS EXCLUSIVE MODE")
    try:
        with TestClient(create_app(fast)) as locked_client:
            r = locked_client.post("/webhooks/meta", content=body, headers=sign_meta(body))
        assert r.status_code == 503
        assert r.json()["error"] == "ServiceUnavailable"
    finally:
        blocker.rollback()
        blocker.close()
    # Once the database is back, the platform's retry is stored.
    assert client.post("/webhooks/meta", content=body, headers=sign_meta(body)).json()["status"] == "stored"


def test_a_broken_policy_file_stops_the_service_naming_file_rule_and_field(
    settings: Settings, tmp_path: Any
) -> None:
    """Policy files are loaded at start: a bad one fails there, not at the first comment."""
    import pytest

    from app.main import create_app
    from app.policies import PolicyFileError
    from app.policies.effective import load_policies

    source = Path(__file__).resolve().parents[2] / "app" / "policies" / "presets" / "finspang.yaml"
    text = source.read_text(encoding="utf-8").replace("name: finspang", "name: finspang_kultur", 1)
    (tmp_path / "finspang_kultur.yaml").write_text(
        text.replace("due_hours: 48", "due_hours: -1", 1), encoding="utf-8"
    )
    broken = settings.model_copy(update={"policy_dir": tmp_path})
    try:
        with pytest.raises(PolicyFileError) as failure, TestClient(create_app(broken)):
            pass
        message = str(failure.value)
        assert "finspang_kultur.yaml" in message and "due_hours" in message and "rule 'finspang." in message
        # Fixed, the municipality's own policy loads and a tenant may choose it.
        (tmp_path / "finspang_kultur.yaml").write_text(text, encoding="utf-8")
        with TestClient(create_app(broken)):
            from app.policies.effective import policy_names

            assert "finspang_kultur" in policy_names()
    finally:
        load_policies(None)
