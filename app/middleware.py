"""Pure ASGI middleware: request ids, security headers (on every response,
500s included), a body limit that applies before any route reads the body, a
JSON nesting limit for the REST API, and CORS only where configured."""

from __future__ import annotations

import email.message
import itertools
import json
import re
import secrets
from itertools import accumulate
from typing import Any

import structlog
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
    (b"cache-control", b"no-store"),
]


#: Request ids made here: a random per-process prefix and a counter.  Unique
#: enough to follow one request through the logs of several replicas, and
#: cheaper than a UUID (no system call per request).
_REQUEST_ID_PREFIX = secrets.token_hex(6)
_request_counter = itertools.count(1)


def request_id_from(incoming: str | bytes | None) -> str:
    """The caller's ``X-Request-Id`` if it is short and printable, else a new id."""
    if isinstance(incoming, bytes):
        incoming = incoming.decode("latin-1")
    if incoming and len(incoming) <= 64 and incoming.isprintable():
        return incoming
    return f"{_REQUEST_ID_PREFIX}{next(_request_counter):012x}"


def response_headers(headers: list[Any], request_id: str) -> list[Any]:
    """``headers`` with the security headers it does not set itself and the request id."""
    names = {h[0].lower() for h in headers}
    return [
        *headers,
        *(h for h in SECURITY_HEADERS if h[0] not in names),
        (b"x-request-id", request_id.encode("latin-1")),
    ]


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(dict(scope["headers"]).get(b"x-request-id"))
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = response_headers(list(message.get("headers", [])), request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # Starlette renders an unexpected error in its outermost middleware, outside this
            # one, so that 500 would go out without the security headers.  Answer it here (the
            # same body the app's handler gives); the error still propagates so the app's
            # handler logs it and the server sees it, and neither answers a second time.
            if not started:
                await _send_json(send_with_headers, 500, INTERNAL_ERROR_BODY)
            raise


class BodyLimitMiddleware:
    """413 for any request whose body passes the limit, declared or streamed.

    Webhooks (``/webhooks/…``) have their own, larger limit: a platform's batch
    (Meta: up to 1,000 changes) must never be refused for its size, or the
    platform retries it for 36 hours and then drops it.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int, webhook_max_body_bytes: int | None = None) -> None:
        self.app = app
        self.api_limit = max_body_bytes
        self.webhook_limit = webhook_max_body_bytes or max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.webhook_limit if str(scope.get("path", "")).startswith("/webhooks/") else self.api_limit
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await self._too_large(send, limit)
            return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _BodyTooLarge()
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _BodyTooLarge:
            await self._too_large(send, limit)

    async def _too_large(self, send: Send, limit: int) -> None:
        detail = f"The body is larger than {limit} bytes."
        await _send_json(send, 413, json.dumps({"error": "PayloadTooLarge", "detail": detail}).encode())


class _BodyTooLarge(Exception):
    pass


class JsonDepthMiddleware:
    """400 for a REST API body nested deeper than ``max_depth``, before anything parses it.

    Deep nesting costs the JSON parser and pydantic recursion and memory out of
    proportion to the body's size, and no body of this API needs more than a
    few levels.  Only ``/v1/`` bodies that FastAPI would parse as JSON are
    checked; webhook bodies are stored raw and parsed by the worker.  The body
    is read here in full (it is already capped by ``BodyLimitMiddleware``,
    which must wrap this one) and replayed to the app.
    """

    def __init__(self, app: ASGIApp, max_depth: int, prefix: str = "/v1/") -> None:
        self.app = app
        self.max_depth = max_depth
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix) or not _parsed_as_json(scope):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, _replay(message, receive), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if json_depth_exceeds(body, self.max_depth):
            detail = f"The JSON body is nested deeper than {self.max_depth} levels."
            await _send_json(send, 400, json.dumps({"error": "BadRequest", "detail": detail}).encode())
            return
        await self.app(
            scope, _replay({"type": "http.request", "body": body, "more_body": False}, receive), send
        )


_JSON_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_DEPTH_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def json_depth_exceeds(body: bytes, max_depth: int) -> bool:
    """Whether ``body`` opens more than ``max_depth`` arrays/objects inside each other.

    Strings are cut out first (a bracket inside a string is text), then only the
    brackets are kept; both steps run in C.  Only the running depth is counted in
    Python, and it stops at the first level too deep: a 1 MiB body of nothing but
    brackets costs well under 0.1 s, an ordinary body of a few kilobytes microseconds.
    Malformed JSON is left for the parser to refuse with its own message.
    """
    brackets = _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    if brackets.count(b"[") + brackets.count(b"{") <= max_depth:
        return False
    return any(depth > max_depth for depth in accumulate(_DEPTH_STEP[b] for b in brackets))


def _parsed_as_json(scope: Scope) -> bool:
    """FastAPI parses a body as JSON when it has no content type or a JSON one."""
    if scope["method"] in ("GET", "HEAD", "OPTIONS"):
        return False
    raw = dict(scope["headers"]).get(b"content-type")
    if not raw:
        return True
    parsed = email.message.Message()
    parsed["content-type"] = raw.decode("latin-1")
    subtype = parsed.get_content_subtype()
    return parsed.get_content_maintype() == "application" and (subtype == "json" or subtype.endswith("+json"))


def _replay(first: Message, receive: Receive) -> Receive:
    pending = [first]

    async def replay() -> Message:
        if pending:
            return pending.pop()
        return await receive()

    return replay


def cors_origins(raw: str) -> list[str]:
    return [origin.strip().rstrip("/") for origin in raw.split(",") if origin.strip()]


def add_cors(app: Any, raw_origins: str) -> None:
    """Let the listed origins call the API from a browser; with none listed, add nothing.

    Closed by default: without this middleware no response carries
    ``Access-Control-Allow-Origin`` and a browser refuses cross-origin calls.
    Credentials are not allowed (the API takes bearer tokens, not cookies).
    """
    origins = cors_origins(raw_origins)
    if not origins:
        return
    app.add_middleware(
        CORSMiddleware,
        allow_origins=origins,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["authorization", "content-type", "if-match", "x-request-id"],
        # uppsikt-warning: a browser client must be able to read "this key sees no accounts".
        expose_headers=["x-request-id", "retry-after", "etag", "uppsikt-warning"],
        allow_credentials=False,
        max_age=600,
    )


INTERNAL_ERROR_BODY = b'{"error":"InternalError","detail":"An unexpected error occurred."}'


async def _send_json(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
