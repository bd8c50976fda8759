"""Browser sign-in over HTTP: one-time links, OIDC with PKCE against a fake provider over real
HTTP, server-side sessions, CSRF on every POST, no session fixation, expiry, sign-out."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select, update

from app.main import create_app
from app.models import LoginLink, WebSession, utcnow
from app.settings import Settings
from app.web import sessions
from app.web.assets import PAGE_CSP
from app.web.pages import COOKIE
from tests.conftest import make_settings
from tests.e2e.server import server_env
from tests.factories import create_account, create_tenant
from tests.fakes.oidc_provider import CLIENT_ID, CLIENT_SECRET, FakeOidcProvider

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


@pytest.fixture
def web(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url="http://localhost") as client:
        yield client


def second_browser(client: TestClient) -> TestClient:
    """Another browser on the same running app (no second lifespan: the app's engine is shared)."""
    return TestClient(client.app, base_url="http://localhost")


def make_link(client: TestClient, *, subject: str = "red1@example.se", role: str = "editor") -> str:
    factory = client.app.state.session_factory  # type: ignore[attr-defined]
    with factory() as s:
        tenant = create_tenant(s, name="kommun")
        create_account(s, tenant=tenant)
        _, token = sessions.create_login_link(
            s, tenant_name="kommun", subject=subject, role=role, ttl=timedelta(minutes=10)
        )
        s.commit()
    return token


def sign_in_with_link(client: TestClient, token: str) -> httpx.Response:
    page = client.get(f"/logga-in/lank/{token}")
    assert page.status_code == 200
    return client.post(
        f"/logga-in/lank/{token}", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False
    )


def test_login_link_signs_in_once_and_rotates_the_session(web: TestClient) -> None:
    token = make_link(web)
    page = web.get(f"/logga-in/lank/{token}")
    anonymous = web.cookies[COOKIE]
    assert "red1@example.se" in page.text and "redaktör" in page.text
    answer = web.post(
        f"/logga-in/lank/{token}", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/inkorg"
    signed_in = web.cookies[COOKIE]
    assert signed_in != anonymous  # a new id at sign-in
    inbox = web.get("/inkorg", follow_redirects=False)
    assert inbox.status_code == 200 and "Inloggad som red1@example.se" in inbox.text
    # Pages allow only the service's own scripts and styles, never inline ones.
    assert inbox.headers["content-security-policy"] == PAGE_CSP and "unsafe" not in PAGE_CSP
    # Only a hash of the token and of the session id is stored.
    factory = web.app.state.session_factory  # type: ignore[attr-defined]
    with factory() as s:
        link = s.scalars(select(LoginLink)).one()
        assert link.token_hash == sessions.hash_token(token) and link.used_at is not None
        assert s.scalars(select(WebSession.token_hash)).all() == [sessions.hash_token(signed_in)]
    # Single use: the same link again is refused, in another browser too.
    other = second_browser(web)
    assert other.get(f"/logga-in/lank/{token}").status_code == 404
    again = web.post(
        f"/logga-in/lank/{token}", data={"csrf_token": csrf_of(inbox.text)}, follow_redirects=False
    )
    assert again.status_code == 401


def test_session_fixation_a_planted_session_id_is_not_signed_in(web: TestClient) -> None:
    token = make_link(web)
    # The attacker gets an anonymous session id and plants it in the victim's browser.
    attacker = second_browser(web)
    attacker.get(f"/logga-in/lank/{token}")
    planted = attacker.cookies[COOKIE]
    web.cookies.set(COOKIE, planted, domain="localhost.local")
    page = web.get(f"/logga-in/lank/{token}")
    answer = web.post(
        f"/logga-in/lank/{token}", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False
    )
    assert answer.status_code == 303
    assert answer.cookies[COOKIE] != planted
    # The planted id signs nobody in.
    attacker = second_browser(web)
    attacker.cookies.set(COOKIE, planted, domain="localhost.local")
    assert attacker.get("/inkorg", follow_redirects=False).status_code == 303


def test_every_post_needs_the_sessions_csrf_token(web: TestClient) -> None:
    token = make_link(web)
    page = web.get(f"/logga-in/lank/{token}")
    for data in ({}, {"csrf_token": "fel"}):
        refused = web.post(f"/logga-in/lank/{token}", data=data, follow_redirects=False)
        assert refused.status_code == 403 and "säkerhetskod" in refused.text
    assert web.get("/inkorg", follow_redirects=False).status_code == 303  # not signed in
    assert sign_in_with_link(web, token).status_code == 303
    inbox = web.get("/inkorg")
    # Sign-out without the token is refused and the session lives on.
    assert web.post("/logga-ut", data={}, follow_redirects=False).status_code == 403
    assert web.get("/inkorg", follow_redirects=False).status_code == 200
    # The anonymous session's token is not the signed-in one's.
    assert web.post("/logga-ut", data={"csrf_token": csrf_of(page.text)}).status_code == 403
    out = web.post("/logga-ut", data={"csrf_token": csrf_of(inbox.text)}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/?utloggad=1"
    assert web.get("/inkorg", follow_redirects=False).status_code == 303


def test_sessions_and_links_expire(web: TestClient) -> None:
    token = make_link(web)
    factory = web.app.state.session_factory  # type: ignore[attr-defined]
    with factory() as s:
        s.execute(update(LoginLink).values(expires_at=utcnow() - timedelta(seconds=1)))
        s.commit()
    assert web.get(f"/logga-in/lank/{token}").status_code == 404
    token = make_link_again(web)
    assert sign_in_with_link(web, token).status_code == 303
    assert web.get("/inkorg", follow_redirects=False).status_code == 200
    with factory() as s:
        s.execute(update(WebSession).values(expires_at=utcnow() - timedelta(seconds=1)))
        s.commit()
    assert web.get("/inkorg", follow_redirects=False).status_code == 303
    # Expired rows do not pile up: making a new session removes them.
    second_browser(web).get(f"/logga-in/lank/{make_link_again(web)}")
    with factory() as s:
        assert s.scalars(select(WebSession).where(WebSession.expires_at <= utcnow())).all() == []
        assert len(s.scalars(select(WebSession)).all()) == 1


def make_link_again(client: TestClient) -> str:
    factory = client.app.state.session_factory  # type: ignore[attr-defined]
    with factory() as s:
        _, token = sessions.create_login_link(
            s, tenant_name="kommun", subject="red1@example.se", role="editor", ttl=timedelta(minutes=10)
        )
        s.commit()
    return token


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("base_url", "secure"),
    [
        ("http://localhost", False),
        ("http://127.0.0.1", False),
        ("https://uppsikt.example", True),
        ("http://uppsikt.example", True),
    ],
)
def test_cookie_flags(settings: Settings, base_url: str, secure: bool) -> None:
    with TestClient(create_app(settings), base_url=base_url) as client:
        token = make_link(client)
        set_cookie = client.get(f"/logga-in/lank/{token}").headers["set-cookie"]
    flags = [f.strip().lower() for f in set_cookie.split(";")]
    assert "httponly" in flags and "samesite=lax" in flags and "path=/" in flags
    assert ("secure" in flags) is secure


def test_web_pages_are_not_in_the_api_schema(web: TestClient) -> None:
    paths = web.get("/openapi.json").json()["paths"]
    assert not [
        p for p in paths if not p.startswith(("/v1/", "/webhooks/", "/healthz", "/readyz", "/metrics"))
    ]


# -- uppsikt login-link ----------------------------------------------------------------------------


@SQLITE_ONLY
def test_cli_prints_a_working_one_time_link(web: TestClient, settings: Settings) -> None:
    factory = web.app.state.session_factory  # type: ignore[attr-defined]
    with factory() as s:
        create_tenant(s, name="kommun")
    env = server_env(settings.database_url, UPPSIKT_PUBLIC_URL="http://localhost")
    args = [sys.executable, "-m", "app.cli", "login-link", "--tenant", "kommun"]
    done = subprocess.run(
        [*args, "--subject", "red1@example.se", "--role", "editor"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    url = done.stdout.strip()
    assert url.startswith("http://localhost/logga-in/lank/") and "10 minuter" in done.stderr
    assert sign_in_with_link(web, url.rsplit("/", 1)[1]).status_code == 303
    unknown = subprocess.run(
        [*args[:-1], "nokommun", "--subject", "x", "--role", "editor"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr
    assert unknown.stderr.strip() == "fel: Det finns ingen tenant som heter 'nokommun' – kontrollera namnet."


# -- OIDC authorization code + PKCE ------------------------------------------------------------------


@pytest.fixture
def oidc_web(database_url: str, provider: FakeOidcProvider) -> Iterator[TestClient]:
    provider.tamper = {}
    provider.person = {
        "email": "anna@example.se",
        "email_verified": True,
        "uppsikt_tenant": "kommun",
        "uppsikt_role": "editor",
    }
    settings = make_settings(
        database_url,
        oidc_issuer=provider.issuer,
        oidc_audience="uppsikt-api",
        oidc_jwks_url=f"{provider.issuer}/jwks",
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=SecretStr(CLIENT_SECRET),
        oidc_redirect_url="http://localhost/logga-in/oidc/callback",
    )
    with TestClient(create_app(settings), base_url="http://localhost") as client:
        with client.app.state.session_factory() as s:  # type: ignore[attr-defined]
            tenant = create_tenant(s, name="kommun")
            create_account(s, tenant=tenant, editors=("anna@example.se",))
        yield client


def oidc_round_trip(client: TestClient, *, state: str | None = None) -> httpx.Response:
    start = client.get("/logga-in/oidc", follow_redirects=False)
    assert start.status_code == 302
    at_provider = httpx.get(start.headers["location"], follow_redirects=False)
    assert at_provider.status_code in (302, 307)
    back = httpx.URL(at_provider.headers["location"])
    assert str(back).startswith("http://localhost/logga-in/oidc/callback")
    params = dict(back.params)
    if state is not None:
        params["state"] = state
    return client.get("/logga-in/oidc/callback", params=params, follow_redirects=False)


def test_oidc_sign_in_with_pkce(oidc_web: TestClient, provider: FakeOidcProvider) -> None:
    landing = oidc_web.get("/")
    assert 'href="/logga-in/oidc"' in landing.text
    start = oidc_web.get("/logga-in/oidc", follow_redirects=False)
    query = dict(httpx.URL(start.headers["location"]).params)
    assert query["code_challenge_method"] == "S256" and query["client_id"] == CLIENT_ID
    assert query["state"] and query["nonce"] and len(query["code_challenge"]) == 43
    pre = oidc_web.cookies[COOKIE]
    answer = oidc_round_trip(oidc_web)
    assert answer.status_code == 303 and answer.headers["location"] == "/inkorg"
    assert oidc_web.cookies[COOKIE] != pre
    assert "Inloggad som anna@example.se" in oidc_web.get("/inkorg").text
    # The verifier went over the back channel and matched the challenge.
    assert provider.token_requests[-1]["code_verifier"]


def test_oidc_refuses_a_foreign_state(oidc_web: TestClient) -> None:
    answer = oidc_round_trip(oidc_web, state="someone-elses-state")
    assert answer.status_code == 403
    assert oidc_web.get("/inkorg", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    "tamper",
    [{"nonce": "replayed"}, {"aud": "another-client"}, {"uppsikt_tenant": "okand"}, {"uppsikt_role": "chef"}],
)
def test_oidc_refuses_a_bad_identity_token(
    oidc_web: TestClient, provider: FakeOidcProvider, tamper: dict[str, Any]
) -> None:
    provider.tamper = tamper
    answer = oidc_round_trip(oidc_web)
    assert answer.status_code == 403
    assert oidc_web.get("/inkorg", follow_redirects=False).status_code == 303


def test_oidc_callback_without_a_started_sign_in_is_refused(oidc_web: TestClient) -> None:
    answer = oidc_web.get(
        "/logga-in/oidc/callback", params={"code": "x", "state": "y"}, follow_redirects=False
    )
    assert answer.status_code == 401
