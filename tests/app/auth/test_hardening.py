"""Hostile input and browser rules: JSON nesting, body size on streamed bodies,
CORS closed by default, and security headers on every answer."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.main import create_app
from app.middleware import SECURITY_HEADERS, json_depth_exceeds
from app.settings import Settings
from tests.conftest import make_settings
from tests.factories import auth, create_key, create_tenant, meta_json, sign_meta

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
ORIGIN = "https://intranet.a-kommun.example"


def nested(depth: int) -> Any:
    """A value ``depth`` arrays deep."""
    value: Any = []
    for _ in range(depth - 1):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("body", "limit", "too_deep"),
    [
        (b'{"a": [[1, 2], {"b": {}}]}', 4, False),
        (b'{"a": [[1, 2], {"b": {"c": []}}]}', 4, True),
        (b'"[[[[[[[[[["', 2, False),  # brackets inside a string are text
        (b'{"a": "\\"[[[[[[", "b": "x\\\\"}', 2, False),  # escaped quotes do not end the string
        (b'{"a": "\\\\", "b": [[[[]]]]}', 2, True),  # an escaped backslash does end it
        (b"[" * 40, 32, True),  # unbalanced, still refused for depth before the parser sees it
        (b"[]" * 40, 1, False),  # many siblings, no depth
        (b"", 1, False),
    ],
)
def test_json_depth(body: bytes, limit: int, too_deep: bool) -> None:
    assert json_depth_exceeds(body, limit) is too_deep


def test_the_depth_check_is_cheap_on_a_hostile_megabyte() -> None:
    bodies = [
        b"[" * (1024 * 1024),
        b"[]," * (350_000),
        json.dumps({"t": "[" * 1_000_000}).encode(),
        b'"' + b"\\" * (1024 * 1024),
    ]
    started = time.perf_counter()
    results = [json_depth_exceeds(b, 32) for b in bodies]
    elapsed = time.perf_counter() - started
    assert results == [True, False, False, False]
    assert elapsed < 2.0, f"{elapsed:.2f} s for four 1 MiB bodies"


@pytest.fixture
def admin(session: Session) -> str:
    return create_key(session, tenant=create_tenant(session, name="a-kommun"), role="admin")


def _key_request(extra_depth: int) -> dict[str, Any]:
    return {"role": "registrar", "extra": nested(extra_depth)}


@SQLITE_ONLY
def test_a_body_nested_deeper_than_the_limit_is_refused_before_parsing(
    client: TestClient, admin: str
) -> None:
    # At the limit the body reaches pydantic, which refuses the unknown field; past it, it never does.
    at_limit = client.post("/v1/apikeys", headers=auth(admin), json=_key_request(31))  # 1 + 31 = 32 levels
    assert at_limit.status_code == 422, at_limit.text
    assert at_limit.json()["error"] == "ValidationError"
    refused = client.post("/v1/apikeys", headers=auth(admin), json=_key_request(32))
    assert refused.status_code == 400
    assert refused.json() == {
        "error": "BadRequest",
        "detail": "The JSON body is nested deeper than 32 levels.",
    }
    very_deep = b'{"role": "registrar", "extra": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    headers = {**auth(admin), "Content-Type": "application/json"}
    assert client.post("/v1/apikeys", headers=headers, content=very_deep).status_code == 400
    # Brackets inside strings are text, however many.
    created = client.post("/v1/apikeys", headers=auth(admin), json={"role": "registrar", "name": "[" * 150})
    assert created.status_code == 201
    assert len(client.get("/v1/apikeys", headers=auth(admin)).json()["keys"]) == 2


@SQLITE_ONLY
def test_a_streamed_body_is_checked_and_replayed(client: TestClient, admin: str) -> None:
    def chunks(value: Any) -> Iterator[bytes]:
        text = json.dumps(value).encode()
        for i in range(0, len(text), 7):
            yield text[i : i + 7]

    headers = {**auth(admin), "Content-Type": "application/json"}
    ok = client.post(
        "/v1/apikeys", headers=headers, content=chunks({"role": "registrar", "name": "strömmad"})
    )
    assert ok.status_code == 201 and ok.json()["key"]["name"] == "strömmad"
    deep = client.post("/v1/apikeys", headers=headers, content=chunks(_key_request(40)))
    assert deep.status_code == 400


@SQLITE_ONLY
def test_a_webhook_body_is_stored_raw_whatever_its_depth(client: TestClient) -> None:
    body = meta_json({"object": "page", "entry": nested(200)})
    response = client.post("/webhooks/meta", content=body, headers=sign_meta(body))
    assert response.status_code == 200


@SQLITE_ONLY
def test_a_streamed_api_body_over_the_size_limit_is_413(database_url: str, session: Session) -> None:
    admin = create_key(session, tenant=create_tenant(session, name="b-kommun"), role="admin")
    with TestClient(create_app(make_settings(database_url, max_body_bytes=2000))) as client:
        body = (b'{"role": "registrar", "name": "' + b"x" * 5000 + b'"}' for _ in range(1))
        response = client.post(
            "/v1/apikeys", headers={**auth(admin), "Content-Type": "application/json"}, content=body
        )
    assert response.status_code == 413
    assert response.json()["error"] == "PayloadTooLarge"


def _preflight(client: TestClient, origin: str = ORIGIN) -> Any:
    return client.options(
        "/v1/comments",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )


@SQLITE_ONLY
def test_cors_is_closed_by_default(client: TestClient, admin: str) -> None:
    preflight = _preflight(client)
    assert preflight.status_code in (404, 405)
    assert "access-control-allow-origin" not in preflight.headers
    response = client.get("/v1/accounts", headers={**auth(admin), "Origin": ORIGIN})
    assert response.status_code == 200
    assert not any(h.startswith("access-control-") for h in response.headers)


@pytest.fixture
def cors_settings(database_url: str) -> Settings:
    return make_settings(database_url, cors_origins=f"{ORIGIN}/, https://other.a-kommun.example")


@SQLITE_ONLY
def test_cors_answers_only_the_configured_origins(cors_settings: Settings, session: Session) -> None:
    admin = create_key(session, tenant=create_tenant(session, name="c-kommun"), role="admin")
    with TestClient(create_app(cors_settings)) as client:
        allowed = _preflight(client)
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == ORIGIN
        assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
        assert "access-control-allow-credentials" not in allowed.headers
        _assert_security_headers(allowed)
        stranger = _preflight(client, "https://evil.example")
        assert stranger.status_code == 400
        assert "access-control-allow-origin" not in stranger.headers
        response = client.get("/v1/accounts", headers={**auth(admin), "Origin": ORIGIN})
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == ORIGIN
        exposed = response.headers["access-control-expose-headers"].lower()
        assert "x-request-id" in exposed and "uppsikt-warning" in exposed


def _assert_security_headers(response: Any) -> None:
    for name, value in SECURITY_HEADERS:
        assert response.headers.get(name.decode()) == value.decode(), (response.status_code, name)
    assert response.headers.get("x-request-id")


@SQLITE_ONLY
def test_security_headers_are_on_every_answer(database_url: str, session: Session) -> None:
    key = create_key(
        session, tenant=create_tenant(session, name="d-kommun"), role="editor", subject="x@d.example"
    )
    settings = make_settings(database_url, max_body_bytes=100, rate_limit_burst=1, rate_limit_per_minute=1)
    app = create_app(settings)

    @app.get("/v1/boom", include_in_schema=False)
    def boom() -> None:
        raise RuntimeError("an unexpected failure")

    with TestClient(app, raise_server_exceptions=False) as client:
        answers = {
            "ok": client.get("/healthz"),
            "not found": client.get("/nowhere"),
            "method": client.put("/healthz"),
            "unauthenticated": client.get("/v1/accounts"),
            "too large": client.post("/v1/comments", content=b"x" * 200),
            "too deep": client.post(
                "/v1/comments", content=b"[" * 60, headers={"Content-Type": "application/json"}
            ),
            "forbidden": client.get("/v1/apikeys", headers=auth(key)),
            "rate limited": client.get("/v1/accounts", headers=auth(key)),
            "crash": client.get("/v1/boom"),
        }
    statuses = {name: r.status_code for name, r in answers.items()}
    assert statuses == {
        "ok": 200,
        "not found": 404,
        "method": 405,
        "unauthenticated": 401,
        "too large": 413,
        "too deep": 400,
        "forbidden": 403,
        "rate limited": 429,
        "crash": 500,
    }
    for response in answers.values():
        _assert_security_headers(response)
    assert answers["crash"].json() == {"error": "InternalError", "detail": "An unexpected error occurred."}
    assert "unexpected failure" not in answers["crash"].text
