"""OIDC bearer tokens, verified against a JWKS served over real HTTP or read from a file.

The keys are made in the test; the identity provider is a tiny ASGI app that
serves whatever key set the test puts in it and counts how often it is asked.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.main import create_app
from app.oidc import JwksCache, JwksUnavailable, build_verifier
from app.settings import Settings
from tests.conftest import make_settings
from tests.factories import auth, create_account, create_key, create_tenant
from tests.fakes.server import serve

ISSUER = "https://login.a-kommun.example"
AUDIENCE = "uppsikt"
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


class IdentityProvider:
    """Serves ``document`` at any path and counts the requests."""

    def __init__(self) -> None:
        self.document: dict[str, Any] = {"keys": []}
        self.hits = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.hits += 1
        body = json.dumps(self.document).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def public_jwk(private_key: Any, kid: str) -> dict[str, Any]:
    if isinstance(private_key, rsa.RSAPrivateKey):
        data = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private_key.public_key()))
        data["alg"] = "RS256"
    else:
        data = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(private_key.public_key()))
        data["alg"] = "ES256"
    return {**data, "kid": kid, "use": "sig"}


def make_token(private_key: Any, *, kid: str | None = "k1", alg: str = "RS256", **claims: Any) -> str:
    now = int(time.time())
    body: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "sub": "0f3c-anna",
        "email": "anna@a.example",
        "uppsikt_tenant": "a-kommun",
        "uppsikt_role": "editor",
        "jti": uuid.uuid4().hex,
    }
    body.update(claims)
    body = {k: v for k, v in body.items() if v is not None}
    return jwt.encode(body, private_key, algorithm=alg, headers={"kid": kid} if kid else None)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forged(header: dict[str, Any], claims: dict[str, Any], sign: Any = None) -> str:
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = sign(signing_input.encode()) if sign else b""
    return f"{signing_input}.{_b64(signature)}"


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def stranger_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="module")
def idp_server() -> Iterator[tuple[str, IdentityProvider]]:
    provider = IdentityProvider()
    with serve(provider) as url:
        yield f"{url}/.well-known/jwks.json", provider


@pytest.fixture
def idp(idp_server: tuple[str, IdentityProvider], rsa_key: rsa.RSAPrivateKey) -> IdentityProvider:
    provider = idp_server[1]
    provider.document = {"keys": [public_jwk(rsa_key, "k1")]}
    provider.hits = 0
    return provider


@pytest.fixture
def settings(database_url: str, idp_server: tuple[str, IdentityProvider], idp: IdentityProvider) -> Settings:
    return make_settings(
        database_url, oidc_issuer=ISSUER, oidc_audience=AUDIENCE, oidc_jwks_url=idp_server[0]
    )


@pytest.fixture
def world(session: Session) -> dict[str, Any]:
    a = create_tenant(session, name="a-kommun")
    b = create_tenant(session, name="b-kommun")
    create_account(session, tenant=a, external_id="111", owner="chef@a.example", editors=("anna@a.example",))
    create_account(session, tenant=a, external_id="222", owner="chef@a.example", editors=("bo@a.example",))
    create_account(session, tenant=a, external_id="333", owner="ceo@a.example", editors=("bo@a.example",))
    # The same person is an editor in another tenant too: that account must not leak into a-kommun.
    create_account(session, tenant=b, external_id="999", owner=None, editors=("anna@a.example",))
    return {"a": a, "b": b}


def _accounts(client: TestClient, token: str) -> list[str]:
    response = client.get("/v1/accounts", headers=auth(token))
    assert response.status_code == 200, response.text
    return [a["external_id"] for a in response.json()["accounts"]]


def test_a_valid_token_maps_tenant_role_and_subject(client: TestClient, world, rsa_key, idp) -> None:
    assert _accounts(client, make_token(rsa_key)) == ["111"]  # anna edits only 111 in a-kommun
    assert _accounts(client, make_token(rsa_key, email="bo@a.example")) == ["222", "333"]
    owner = make_token(rsa_key, email="chef@a.example", uppsikt_role="account_owner")
    assert _accounts(client, owner) == ["111", "222"]
    assert _accounts(client, make_token(rsa_key, email=None, uppsikt_role="registrar")) == [
        "111",
        "222",
        "333",
    ]
    assert _accounts(client, make_token(rsa_key, uppsikt_tenant="b-kommun")) == ["999"]
    # Without an e-mail claim the subject is ``sub``: nobody by that name edits anything.
    assert _accounts(client, make_token(rsa_key, email=None)) == []
    # A group-style list claim with exactly one of our roles is accepted.
    assert _accounts(client, make_token(rsa_key, uppsikt_role=["staff", "registrar"])) == [
        "111",
        "222",
        "333",
    ]
    assert idp.hits == 1  # the key set is cached


def test_oidc_and_api_keys_work_side_by_side(
    client: TestClient, session: Session, world, rsa_key, idp
) -> None:
    key = create_key(session, tenant=world["a"], role="editor", subject="anna@a.example")
    assert _accounts(client, key) == _accounts(client, make_token(rsa_key)) == ["111"]
    # An admin token reaches the admin-only endpoints.
    admin = make_token(rsa_key, uppsikt_role="admin")
    assert client.get("/v1/apikeys", headers=auth(admin)).status_code == 200
    assert client.get("/v1/apikeys", headers=auth(make_token(rsa_key))).status_code == 403


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("claims", "status", "detail"),
    [
        ({"uppsikt_tenant": "c-kommun"}, 401, "tenant that does not exist"),
        ({"uppsikt_tenant": None}, 401, "no 'uppsikt_tenant' claim"),
        ({"uppsikt_role": "superadmin"}, 403, "exactly one of the roles"),
        ({"uppsikt_role": None}, 403, "exactly one of the roles"),
        ({"uppsikt_role": ["editor", "admin"]}, 403, "exactly one of the roles"),
        ({"email": None, "sub": None}, 401, "neither a 'email' nor a 'sub' claim"),
        ({"email_verified": False}, 401, "e-mail address is not verified"),
    ],
)
def test_claims_that_do_not_map_are_refused_with_a_reason(
    client: TestClient, world, rsa_key, idp, claims, status, detail
) -> None:
    response = client.get("/v1/accounts", headers=auth(make_token(rsa_key, **claims)))
    assert response.status_code == status
    assert detail in response.json()["detail"]


def _hs256_with_public_key(rsa_key: rsa.RSAPrivateKey) -> str:
    pem = rsa_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "exp": now + 300, "email": "anna@a.example",
              "uppsikt_tenant": "a-kommun", "uppsikt_role": "editor"}  # fmt: skip
    return forged(
        {"alg": "HS256", "typ": "JWT", "kid": "k1"}, claims, lambda m: hmac.digest(pem, m, hashlib.sha256)
    )


def _unsigned() -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "exp": now + 300, "email": "anna@a.example",
              "uppsikt_tenant": "a-kommun", "uppsikt_role": "admin"}  # fmt: skip
    return forged({"alg": "none", "typ": "JWT", "kid": "k1"}, claims)


BAD_TOKENS = {
    "wrong issuer": lambda k, s: make_token(k, iss="https://login.b-kommun.example"),
    "wrong audience": lambda k, s: make_token(k, aud="another-service"),
    "signed by another key": lambda k, s: make_token(s),
    "expired beyond the leeway": lambda k, s: make_token(
        k, exp=int(time.time()) - 60, nbf=int(time.time()) - 600
    ),
    "not yet valid beyond the leeway": lambda k, s: make_token(k, nbf=int(time.time()) + 60),
    "no expiry": lambda k, s: make_token(k, exp=None),
    "unknown kid": lambda k, s: make_token(k, kid="k-unknown"),
    "alg none": lambda k, s: _unsigned(),
    "HS256 with the public key as secret": lambda k, s: _hs256_with_public_key(k),
    "tampered payload": lambda k, s: _tampered(make_token(k)),
    "not a JWT": lambda k, s: "just-some-opaque-token",
}


def _tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["uppsikt_role"] = "admin"
    return f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"


@SQLITE_ONLY
@pytest.mark.parametrize("case", list(BAD_TOKENS))
def test_a_token_that_does_not_verify_is_refused(
    client: TestClient, world, rsa_key, stranger_key, idp, case: str
) -> None:
    assert _accounts(client, make_token(rsa_key)) == ["111"]  # the good token works on the same app
    response = client.get("/v1/accounts", headers=auth(BAD_TOKENS[case](rsa_key, stranger_key)))
    assert response.status_code == 401, response.text
    assert response.json()["error"] == "Unauthorized"
    assert response.headers["www-authenticate"].startswith("Bearer")


@SQLITE_ONLY
def test_the_leeway_allows_thirty_seconds_of_clock_skew(client: TestClient, world, rsa_key, idp) -> None:
    now = int(time.time())
    assert _accounts(client, make_token(rsa_key, exp=now - 10, nbf=now - 600)) == ["111"]
    assert _accounts(client, make_token(rsa_key, nbf=now + 10)) == ["111"]


@SQLITE_ONLY
def test_an_unknown_kid_refetches_the_keys_once_per_interval(
    app: FastAPI, client: TestClient, world, rsa_key, ec_key, idp
) -> None:
    clock = FakeClock()
    app.state.auth.oidc.jwks.clock = clock
    assert _accounts(client, make_token(rsa_key)) == ["111"]
    assert idp.hits == 1
    # Later the provider rotates in a new key: the first token signed with it triggers one refetch.
    clock.now += 61
    idp.document = {"keys": [public_jwk(rsa_key, "k1"), public_jwk(ec_key, "k2")]}
    assert _accounts(client, make_token(ec_key, kid="k2", alg="ES256")) == ["111"]
    assert idp.hits == 2
    # Made-up kids right after do not make the service hammer the provider.
    for n in range(5):
        response = client.get("/v1/accounts", headers=auth(make_token(rsa_key, kid=f"bogus-{n}")))
        assert response.status_code == 401
    assert idp.hits == 2
    # After the interval one more unknown kid is worth one more look.
    clock.now += 61
    assert client.get("/v1/accounts", headers=auth(make_token(rsa_key, kid="bogus-6"))).status_code == 401
    assert idp.hits == 3


@SQLITE_ONLY
def test_an_unreachable_provider_is_a_503_not_a_401(database_url: str, world, rsa_key) -> None:
    with serve(IdentityProvider()) as url:
        pass  # the port is closed again: nothing listens there now
    settings = make_settings(
        database_url, oidc_issuer=ISSUER, oidc_audience=AUDIENCE, oidc_jwks_url=url, oidc_timeout_s=2
    )
    with TestClient(create_app(settings)) as client:
        response = client.get("/v1/accounts", headers=auth(make_token(rsa_key)))
    assert response.status_code == 503
    assert response.json()["error"] == "ServiceUnavailable"


@SQLITE_ONLY
def test_the_keys_can_come_from_a_file(database_url: str, tmp_path: Path, ec_key, rsa_key, world) -> None:
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps({"keys": [public_jwk(ec_key, "file-1")]}))
    settings = make_settings(
        database_url, oidc_issuer=ISSUER, oidc_audience=AUDIENCE, oidc_jwks_file=str(jwks_file)
    )
    with TestClient(create_app(settings)) as client:
        assert _accounts(client, make_token(ec_key, kid="file-1", alg="ES256")) == ["111"]
        refused = client.get("/v1/accounts", headers=auth(make_token(rsa_key, kid="k1")))
        assert refused.status_code == 401


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_cache_reloads_after_its_ttl_and_keeps_stale_keys_if_the_source_fails(
    tmp_path: Path, rsa_key, ec_key
) -> None:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": [public_jwk(rsa_key, "k1")]}))
    clock = FakeClock()
    cache = JwksCache(
        algorithms=frozenset({"RS256", "ES256"}), file=path, ttl_s=100, refetch_interval_s=10, clock=clock
    )
    assert cache.key("k1") is not None and cache.fetches == 1
    path.write_text(json.dumps({"keys": [public_jwk(ec_key, "k2")]}))
    clock.now += 5
    assert cache.key("k1") is not None and cache.key("k2") is None  # within TTL and refetch interval
    assert cache.fetches == 1
    clock.now += 10
    assert cache.key("k2") is not None and cache.fetches == 2  # unknown kid, interval passed: refetched
    assert cache.key("k1") is None
    path.write_text("not json")
    clock.now += 200
    assert cache.key("k2") is not None and cache.fetches == 3  # stale keys kept while the source is broken
    assert cache.key("k2") is not None and cache.fetches == 3  # and the broken source is not retried at once


def test_a_key_set_that_was_never_loaded_is_unavailable(tmp_path: Path) -> None:
    cache = JwksCache(algorithms=frozenset({"RS256"}), file=tmp_path / "missing.json")
    with pytest.raises(JwksUnavailable):
        cache.key("k1")


def test_symmetric_and_encryption_keys_in_the_set_are_ignored(tmp_path: Path, rsa_key) -> None:
    path = tmp_path / "jwks.json"
    secret = {"kty": "oct", "k": _b64(b"shared-secret-value"), "kid": "hmac", "alg": "HS256"}
    encryption = {**public_jwk(rsa_key, "enc"), "use": "enc"}
    path.write_text(json.dumps({"keys": [secret, encryption, public_jwk(rsa_key, "sig")]}))
    cache = JwksCache(algorithms=frozenset({"RS256", "HS256"}), file=path)
    assert cache.key("hmac") is None and cache.key("enc") is None and cache.key("sig") is not None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"oidc_issuer": ISSUER}, "also set oidc_audience, oidc_jwks_url or oidc_jwks_file"),
        ({"oidc_issuer": ISSUER, "oidc_audience": AUDIENCE, "oidc_jwks_url": "http://x",
          "oidc_jwks_file": "/x"}, "only one"),
        ({"oidc_issuer": ISSUER, "oidc_audience": AUDIENCE, "oidc_jwks_url": "http://x",
          "oidc_algorithms": "RS256,HS256"}, "asymmetric"),
    ],
)  # fmt: skip
def test_half_an_oidc_configuration_fails_at_start(overrides: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_verifier(Settings(**overrides))  # type: ignore[arg-type]
    assert build_verifier(Settings()) is None
