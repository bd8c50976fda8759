"""Webhook endpoints.  Each does five things: limit the body, verify the
signature, store the raw bytes idempotently, commit, answer — in that order,
so a 2xx always means the delivery is durably stored (design invariant 1)."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.auth import db_session
from app.db import commit
from app.errors import Forbidden, PayloadTooLarge, ServiceUnavailable, SignatureInvalid, responses
from app.logging import get_logger
from app.platforms.signatures import hmac_sha256_hex, verify_linkedin, verify_meta
from app.settings import Settings
from app.webhooks import service

router = APIRouter(tags=["webhooks"])
log = get_logger("app.webhooks")

RAW_JSON_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"type": "object", "additionalProperties": True}}},
    }
}


class DeliveryAck(BaseModel):
    status: str
    sha256: str


class LinkedInChallenge(BaseModel):
    challengeCode: str
    challengeResponse: str


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def read_body(request: Request) -> bytes:
    """The raw body, refused with 413 as soon as it passes the limit."""
    limit: int = request.app.state.settings.max_body_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"The body is larger than {limit} bytes.")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"The body is larger than {limit} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


def _store(request: Request, session: Session, *, source: str, body: bytes, scheme: str) -> DeliveryAck:
    stored, digest = service.accept_delivery(
        session, source=source, body=body, headers=request.headers, signature_scheme=scheme
    )
    commit(session)
    metrics = request.app.state.metrics
    if stored:
        metrics.deliveries_received.labels(source).inc()
    log.info(
        "webhook.delivery.stored" if stored else "webhook.delivery.duplicate",
        source=source,
        sha256=digest[:16],
        bytes=len(body),
        scheme=scheme,
    )
    request.app.state.wake_worker()
    return DeliveryAck(status="stored" if stored else "duplicate", sha256=digest)


def _rejected(request: Request, source: str, reason: str) -> None:
    request.app.state.metrics.deliveries_rejected.labels(source, reason).inc()
    log.warning("webhook.delivery.rejected", source=source, reason=reason)


@router.get(
    "/webhooks/meta",
    operation_id="meta_subscribe",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}, **responses(Forbidden)},
)
def meta_subscribe(
    hub_mode: str | None = Query(None, alias="hub.mode", max_length=100),
    hub_verify_token: str | None = Query(None, alias="hub.verify_token", max_length=1000),
    hub_challenge: str | None = Query(None, alias="hub.challenge", max_length=1000),
    settings: Settings = Depends(get_settings),
) -> PlainTextResponse:
    """Meta's verification handshake: echo ``hub.challenge`` if the token matches."""
    expected = settings.meta_verify_token.get_secret_value().encode()
    given = (hub_verify_token or "").encode()
    if (
        hub_mode != "subscribe"
        or not expected
        or not hub_challenge
        or not hmac.compare_digest(expected, given)
    ):
        raise Forbidden("Verification failed.")
    return PlainTextResponse(hub_challenge)


@router.post(
    "/webhooks/meta",
    operation_id="meta_deliver",
    response_model=DeliveryAck,
    responses=responses(SignatureInvalid, PayloadTooLarge, ServiceUnavailable),
    openapi_extra=RAW_JSON_BODY,
)
def meta_deliver(
    request: Request,
    body: bytes = Depends(read_body),
    session: Session = Depends(db_session),
    settings: Settings = Depends(get_settings),
) -> DeliveryAck:
    """A Facebook Page or Instagram delivery, signed with ``X-Hub-Signature-256``."""
    try:
        scheme = verify_meta(body, request.headers.get("x-hub-signature-256"), settings.meta_secrets)
    except SignatureInvalid:
        _rejected(request, "meta", "signature")
        raise
    return _store(request, session, source="meta", body=body, scheme=scheme)


@router.get(
    "/webhooks/linkedin",
    operation_id="linkedin_validate",
    response_model=LinkedInChallenge,
    responses=responses(Forbidden),
)
def linkedin_validate(
    challenge_code: str = Query(..., alias="challengeCode", min_length=1, max_length=200),
    settings: Settings = Depends(get_settings),
) -> LinkedInChallenge:
    """LinkedIn's endpoint validation: HMAC-SHA256 of the challenge with the client secret."""
    secrets = settings.linkedin_secrets
    if not secrets:
        raise Forbidden("No LinkedIn client secret is configured.")
    return LinkedInChallenge(
        challengeCode=challenge_code, challengeResponse=hmac_sha256_hex(secrets[0], challenge_code.encode())
    )


@router.post(
    "/webhooks/linkedin",
    operation_id="linkedin_deliver",
    response_model=DeliveryAck,
    responses=responses(SignatureInvalid, PayloadTooLarge, ServiceUnavailable),
    openapi_extra=RAW_JSON_BODY,
)
def linkedin_deliver(
    request: Request,
    body: bytes = Depends(read_body),
    session: Session = Depends(db_session),
    settings: Settings = Depends(get_settings),
) -> DeliveryAck | JSONResponse:
    """Organization social-action notifications, signed with ``X-LI-Signature``."""
    try:
        scheme = verify_linkedin(body, request.headers.get("x-li-signature"), settings.linkedin_secrets)
    except SignatureInvalid:
        _rejected(request, "linkedin", "signature")
        raise
    if scheme == "linkedin-bare-body":
        log.warning("webhook.linkedin.signature_reading_b", detail="only the bare-body reading matched")
    return _store(request, session, source="linkedin", body=body, scheme=scheme)
