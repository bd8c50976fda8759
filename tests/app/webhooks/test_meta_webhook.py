"""Meta webhook: handshake, signatures, limits, storage before the answer."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.main import create_app
from app.models import WebhookDelivery
from tests.conftest import META_SECRET, OLD_META_SECRET, VERIFY_TOKEN, make_settings
from tests.factories import feed_change, meta_json, page_delivery, sign_meta


def stored_count(session: Session) -> int:
    session.commit()
    return int(session.scalar(select(func.count()).select_from(WebhookDelivery)) or 0)


def test_handshake_echoes_challenge_with_right_token(client: TestClient) -> None:
    r = client.get(
        "/webhooks/meta",
        params={"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"},
    )
    assert r.status_code == 200
    assert r.text == "1158201444"
    assert r.headers["content-type"].startswith("text/plain")


def test_handshake_refuses_wrong_token_or_mode(client: TestClient) -> None:
    for params in (
        {"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.challenge": "1"},
    ):
        r = client.get("/webhooks/meta", params=params)
        assert r.status_code == 403, params
        assert r.json()["error"] == "Forbidden"


def test_valid_signature_is_stored_before_200(client: TestClient, session: Session) -> None:
    body = meta_json(page_delivery(feed_change()))
    r = client.post("/webhooks/meta", content=body, headers=sign_meta(body))
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "stored"
    session.commit()
    row = session.scalars(select(WebhookDelivery)).one()
    assert row.body == body  # byte for byte
    assert row.status == "pending"
    assert row.signature_scheme == "sha256"
    assert row.headers["x-hub-signature-256"].startswith("sha256=")


def test_swedish_letters_escaped_as_meta_sends_them_verify(client: TestClient, session: Session) -> None:
    body = meta_json(page_delivery(feed_change(message="Varför är det så mörkt på gångvägen? åäö ÅÄÖ")))
    assert b"\\u00e5" in body  # escaped exactly like Meta's payloads
    r = client.post("/webhooks/meta", content=body, headers=sign_meta(body))
    assert r.status_code == 200
    # The same document re-serialised with raw UTF-8 does not match that signature.
    raw = json.dumps(json.loads(body), ensure_ascii=False).encode()
    r = client.post("/webhooks/meta", content=raw, headers=sign_meta(body))
    assert r.status_code == 401
    assert stored_count(session) == 1


def test_bad_signatures_are_refused_and_nothing_is_stored(client: TestClient, session: Session) -> None:
    body = meta_json(page_delivery(feed_change()))
    good = sign_meta(body)["X-Hub-Signature-256"]
    cases = {
        "missing": {},
        "invalid": {"X-Hub-Signature-256": "sha256=" + "0" * 64},
        "wrong prefix": {"X-Hub-Signature-256": good.replace("sha256=", "sha1=")},
        "no prefix": {"X-Hub-Signature-256": good.removeprefix("sha256=")},
        "other secret": sign_meta(body, "someone-else"),
    }
    for name, headers in cases.items():
        r = client.post(
            "/webhooks/meta", content=body, headers={"Content-Type": "application/json", **headers}
        )
        assert r.status_code == 401, name
        assert r.json()["error"] == "SignatureInvalid"
    changed = body.replace(b"Hej", b"Hoj")
    r = client.post("/webhooks/meta", content=changed, headers=sign_meta(body))
    assert r.status_code == 401
    assert stored_count(session) == 0


def test_rotated_secret_still_verifies(client: TestClient, session: Session) -> None:
    body = meta_json(page_delivery(feed_change(comment="old")))
    assert (
        client.post("/webhooks/meta", content=body, headers=sign_meta(body, OLD_META_SECRET)).status_code
        == 200
    )
    body2 = meta_json(page_delivery(feed_change(comment="new")))
    assert (
        client.post("/webhooks/meta", content=body2, headers=sign_meta(body2, META_SECRET)).status_code == 200
    )
    assert stored_count(session) == 2


def test_empty_secret_never_verifies(database_url: str) -> None:
    from pydantic import SecretStr

    from app.main import create_app
    from tests.conftest import make_settings

    app = create_app(make_settings(database_url, meta_app_secrets=SecretStr(" , ")))
    body = meta_json(page_delivery(feed_change()))
    with TestClient(app) as client:
        for signature in (sign_meta(body, ""), {"X-Hub-Signature-256": "sha256="}):
            r = client.post("/webhooks/meta", content=body, headers=signature)
            assert r.status_code == 401
            assert "secret" not in r.text.lower() or "configured" in r.text


def test_duplicate_delivery_is_stored_once(client: TestClient, session: Session) -> None:
    body = meta_json(page_delivery(feed_change()))
    first = client.post("/webhooks/meta", content=body, headers=sign_meta(body))
    second = client.post("/webhooks/meta", content=body, headers=sign_meta(body))
    assert (first.json()["status"], second.json()["status"]) == ("stored", "duplicate")
    assert second.status_code == 200
    assert stored_count(session) == 1


def test_oversized_body_gets_413_and_is_not_stored(database_url: str) -> None:
    # The webhooks' own limit (UPPSIKT_WEBHOOK_MAX_BODY_BYTES), set low here to keep the test small.
    app = create_app(make_settings(database_url, webhook_max_body_bytes=1024 * 1024))
    with TestClient(app) as client, app.state.session_factory() as session:
        body = b'{"object":"page","entry":[],"pad":"' + b"x" * (1024 * 1024) + b'"}'
        r = client.post("/webhooks/meta", content=body, headers=sign_meta(body))
        assert r.status_code == 413
        assert r.json()["error"] == "PayloadTooLarge"

        def chunks():  # no Content-Length: the limit applies while streaming
            for _ in range(20):
                yield b"x" * (64 * 1024)

        r = client.post("/webhooks/meta", content=chunks(), headers={"X-Hub-Signature-256": "sha256=00"})
        assert r.status_code == 413
        assert stored_count(session) == 0


def test_signed_non_json_is_kept_and_acknowledged(client: TestClient, session: Session) -> None:
    body = b"\xff\xfe not json at all"
    r = client.post("/webhooks/meta", content=body, headers=sign_meta(body))
    assert r.status_code == 200
    assert stored_count(session) == 1


def test_secret_never_appears_in_responses(client: TestClient) -> None:
    body = meta_json(page_delivery(feed_change()))
    r = client.post("/webhooks/meta", content=body, headers={"X-Hub-Signature-256": "sha256=bad"})
    assert META_SECRET not in r.text and VERIFY_TOKEN not in r.text
