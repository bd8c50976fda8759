"""LinkedIn webhook: challenge validation and both readings of X-LI-Signature."""

from __future__ import annotations

import hashlib
import hmac
import json

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import WebhookDelivery
from tests.conftest import LINKEDIN_SECRET
from tests.factories import linkedin_delivery, linkedin_notification, sign_linkedin


def test_challenge_is_answered_with_hmac(client: TestClient) -> None:
    code = "890e4665-4dfe-4ab1-b689-ed553bceeed0"
    r = client.get("/webhooks/linkedin", params={"challengeCode": code})
    assert r.status_code == 200
    expected = hmac.new(LINKEDIN_SECRET.encode(), code.encode(), hashlib.sha256).hexdigest()
    assert r.json() == {"challengeCode": code, "challengeResponse": expected}


def test_challenge_without_code_is_a_clear_error(client: TestClient) -> None:
    r = client.get("/webhooks/linkedin")
    assert r.status_code == 422
    assert r.json()["error"] == "ValidationError"


def test_both_signature_readings_verify_and_are_recorded(client: TestClient, session: Session) -> None:
    schemes = []
    for i, (reading, prefixed) in enumerate([("A", False), ("A", True), ("B", True), ("B", False)]):
        body = json.dumps(linkedin_delivery(linkedin_notification(notification_id=i))).encode()
        r = client.post(
            "/webhooks/linkedin",
            content=body,
            headers=sign_linkedin(body, reading=reading, prefixed_header=prefixed),
        )
        assert r.status_code == 200, (reading, prefixed, r.text)
    session.commit()
    schemes = [
        row.signature_scheme for row in session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))
    ]
    assert schemes == [
        "linkedin-prefixed-body",
        "linkedin-prefixed-body",
        "linkedin-bare-body",
        "linkedin-bare-body",
    ]


def test_wrong_or_missing_signature_is_refused(client: TestClient, session: Session) -> None:
    body = json.dumps(linkedin_delivery(linkedin_notification())).encode()
    for headers in ({}, sign_linkedin(body, "other-secret"), {"X-LI-Signature": "hmacsha256="}):
        r = client.post("/webhooks/linkedin", content=body, headers=headers)
        assert r.status_code == 401
    session.commit()
    assert session.scalars(select(WebhookDelivery)).first() is None
