"""The webhook fast path: the two delivery endpoints served straight from ASGI.

A platform delivery needs little from the web framework: a body read with a
limit, a signature check, a durable insert, a small JSON answer.  Routed
through FastAPI it also passes the framework's exception, telemetry and
dependency layers, our REST middlewares, the router's matching and a
``Request`` object; measured on a 2-core machine those cost more CPU per
delivery than storing it (bench/README.md), and the webhook endpoint is the
one that must keep up with a platform's bursts.

So ``UppsiktAPI`` hands ``POST /webhooks/meta`` and ``POST /webhooks/linkedin``
to ``serve_delivery`` before anything else runs.  Behaviour is the routed
endpoints' exactly — the same ``accept_delivery`` does the work, the same
errors come back in the same shape with the same security headers and
request id — and a test sends every kind of delivery both ways and compares
the answers.  The routes stay defined: they document the endpoints in the
OpenAPI document and serve them when ``UPPSIKT_WEBHOOK_FAST_PATH=false``.
"""

from __future__ import annotations

import json
from typing import Any

import structlog
from starlette.types import Receive, Scope, Send

from app.errors import UppsiktError
from app.logging import get_logger
from app.middleware import INTERNAL_ERROR_BODY, request_id_from, response_headers
from app.webhooks.routes import accept_delivery, read_limited

log = get_logger("app.webhooks")

#: The paths served here, and the platform each belongs to.
WEBHOOK_SOURCES = {"/webhooks/meta": "meta", "/webhooks/linkedin": "linkedin"}

_JSON = (b"content-type", b"application/json")


def source_for(scope: Scope) -> str | None:
    """The platform if this request is a delivery the fast path serves, else None."""
    if scope["type"] != "http" or scope["method"] != "POST":
        return None
    return WEBHOOK_SOURCES.get(scope["path"])


async def serve_delivery(state: Any, source: str, scope: Scope, receive: Receive, send: Send) -> None:
    raw_headers: list[tuple[bytes, bytes]] = scope["headers"]
    # The first of a repeated header wins, as in Starlette's ``Headers.get``.
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in reversed(raw_headers)}
    request_id = request_id_from(headers.get("x-request-id"))
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(request_id=request_id)
    try:
        body = await read_limited(
            receive, headers.get("content-length", ""), state.settings.webhook_max_body_bytes
        )
        if body is None:  # the platform hung up before sending it all: nothing to store or answer
            return
        answer = await accept_delivery(state, source=source, body=body, headers=headers)
        status, extra = 200, None
    except UppsiktError as exc:
        status, extra = exc.status_code, exc.headers
        answer = json.dumps({"error": exc.name, "detail": exc.detail}).encode()
    except Exception as exc:
        log.error("app.unexpected_error", error=type(exc).__name__)
        status, answer, extra = 500, INTERNAL_ERROR_BODY, None
    head = [_JSON, (b"content-length", str(len(answer)).encode())]
    if extra:
        head += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in extra.items()]
    head = response_headers(head, request_id)
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": answer})
