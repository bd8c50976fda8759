"""Webhook endpoints.  Each does five things: limit the body, verify the
signature, store the raw bytes idempotently, commit, answer — in that order,
so a 2xx always means the delivery is durably stored (design invariant 1).
Storing and committing go through the app's group committer, which commits
concurrent deliveries together and answers each only after that commit."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel
from starlette.requests import ClientDisconnect
from starlette.types import Receive

from app.errors import Forbidden, PayloadTooLarge, ServiceUnavailable, SignatureInvalid, responses
from app.logging import get_logger
from app.platforms.signatures import hmac_sha256_hex, verify_linkedin, verify_meta
from app.settings import Settings
from app.webhooks import service
from app.webhooks.group_commit import committer_for

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


async def read_limited(receive: Receive, declared: str, limit: int) -> bytes | None:
    """The whole body, refused with 413 as soon as it passes ``limit`` (declared or
    streamed); ``None`` if the sender hung up first.  Used by the routes and the fast path."""
    if declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"The body is larger than {limit} bytes.")
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"The body is larger than {limit} bytes.")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def read_body(request: Request) -> bytes:
    limit: int = request.app.state.settings.webhook_max_body_bytes
    body = await read_limited(request.receive, request.headers.get("content-length", ""), limit)
    if body is None:
        raise ClientDisconnect()
    return body


#: Where each platform puts its signature, and how it is checked.
SIGNATURES = {
    "meta": ("x-hub-signature-256", verify_meta, "meta_secrets"),
    "linkedin": ("x-li-signature", verify_linkedin, "linkedin_secrets"),
}


async def accept_delivery(state: Any, *, source: str, body: bytes, headers: Mapping[str, str]) -> bytes:
    """Verify a delivery, store it durably and return the acknowledgement's JSON.

    The one implementation behind both ways a delivery arrives: the routed
    endpoints below and the app's webhook fast path (``app.webhooks.fast_path``).
    Raises ``SignatureInvalid`` (nothing stored) or ``ServiceUnavailable`` (the
    commit failed; nothing of its batch stored).  The only blocking work, the
    insert and the commit, runs in the group committer's thread once per batch.
    """
    header, verify, secrets_attr = SIGNATURES[source]
    settings: Settings = state.settings
    try:
        scheme = verify(body, headers.get(header), getattr(settings, secrets_attr))
    except SignatureInvalid:
        state.metrics.deliveries_rejected.labels(source, "signature").inc()
        log.warning("webhook.delivery.rejected", source=source, reason="signature")
        raise
    if scheme == "linkedin-bare-body":
        log.warning("webhook.linkedin.signature_reading_b", detail="only the bare-body reading matched")
    row, digest = service.delivery_row(source=source, body=body, headers=headers, signature_scheme=scheme)
    stored = await committer_for(state).store(row)
    if stored:
        state.metrics.deliveries_received.labels(source).inc()
    else:
        log.info("webhook.delivery.duplicate", source=source, sha256=digest[:16])
    state.wake_worker()
    ack = DeliveryAck(status="stored" if stored else "duplicate", sha256=digest)
    return ack.__pydantic_serializer__.to_json(ack)


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
async def meta_deliver(request: Request) -> Response:
    """A Facebook Page or Instagram delivery, signed with ``X-Hub-Signature-256``."""
    body = await read_body(request)
    ack = await accept_delivery(request.app.state, source="meta", body=body, headers=request.headers)
    return Response(ack, media_type="application/json")


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
async def linkedin_deliver(request: Request) -> Response:
    """Organization social-action notifications, signed with ``X-LI-Signature``."""
    body = await read_body(request)
    ack = await accept_delivery(request.app.state, source="linkedin", body=body, headers=request.headers)
    return Response(ack, media_type="application/json")
