"""Sign-in with the municipality's identity provider: authorization code flow with PKCE.

The browser is sent to the provider's authorization endpoint with a random ``state``,
``nonce`` and the S256 challenge of a random code verifier, all three kept in the
browser's (anonymous) server-side session.  The provider sends the browser back with a
code; the callback checks the state against the session, exchanges the code (with the
verifier and the client secret) at the token endpoint over a back channel, and verifies
the ID token exactly as bearer tokens are verified (``app.oidc``: the provider's keys,
issuer, expiry) with this client as audience, plus the nonce.  Tenant, role and subject
come from the claims configured for bearer tokens.

The provider's endpoints come from its discovery document
(``{issuer}/.well-known/openid-configuration``), fetched once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt

from app.errors import ServiceUnavailable, Unauthorized
from app.logging import get_logger
from app.oidc import Identity, OidcVerifier
from app.settings import Settings

log = get_logger("app.web.oidc")


def code_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True, slots=True)
class Attempt:
    """What one sign-in attempt keeps in the session, and where the browser goes."""

    state: str
    nonce: str
    code_verifier: str
    url: str


class OidcSignIn:
    def __init__(self, settings: Settings, bearer_verifier: OidcVerifier) -> None:
        self.issuer = settings.oidc_issuer.rstrip("/")
        self.client_id = settings.oidc_client_id
        self.client_secret = settings.oidc_client_secret.get_secret_value()
        self.redirect_url = settings.oidc_redirect_url
        self.timeout_s = settings.oidc_timeout_s
        # The ID token is meant for this client: same keys, issuer and claims, our audience.
        self.verifier = OidcVerifier(
            issuer=bearer_verifier.issuer,
            audience=self.client_id,
            jwks=bearer_verifier.jwks,
            algorithms=bearer_verifier.algorithms,
            tenant_claim=bearer_verifier.tenant_claim,
            role_claim=bearer_verifier.role_claim,
            subject_claim=bearer_verifier.subject_claim,
            leeway_s=bearer_verifier.leeway_s,
        )
        self._endpoints: dict[str, str] | None = None
        self._lock = threading.Lock()

    def endpoints(self) -> dict[str, str]:
        with self._lock:
            if self._endpoints is None:
                url = f"{self.issuer}/.well-known/openid-configuration"
                try:
                    response = httpx.get(url, timeout=self.timeout_s, follow_redirects=False)
                    response.raise_for_status()
                    document = response.json()
                    self._endpoints = {
                        "authorization": str(document["authorization_endpoint"]),
                        "token": str(document["token_endpoint"]),
                    }
                except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
                    log.warning("web.oidc.discovery_failed", error=type(exc).__name__)
                    raise ServiceUnavailable(
                        "The identity provider cannot be reached; retry later."
                    ) from None
            return self._endpoints

    def begin(self) -> Attempt:
        state, nonce, verifier = (
            secrets.token_urlsafe(32),
            secrets.token_urlsafe(32),
            secrets.token_urlsafe(64),
        )
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": self.redirect_url,
                "scope": "openid email profile",
                "state": state,
                "nonce": nonce,
                "code_challenge": code_challenge(verifier),
                "code_challenge_method": "S256",
            }
        )
        return Attempt(state, nonce, verifier, f"{self.endpoints()['authorization']}?{query}")

    def finish(
        self,
        *,
        code: str,
        returned_state: str,
        state: str | None,
        nonce: str | None,
        code_verifier: str | None,
    ) -> Identity:
        """The verified identity for the code, or ``Unauthorized`` naming what failed."""
        if not state or not nonce or not code_verifier:
            raise Unauthorized("No sign-in was started in this browser.")
        if not hmac.compare_digest(state.encode(), returned_state.encode()):
            log.info("web.oidc.refused", reason="state")
            raise Unauthorized("The sign-in answer does not belong to this browser's sign-in.")
        id_token = self._exchange(code, code_verifier)
        identity = self.verifier.verify(id_token)
        # The signature and claims verified above; the nonce binds the token to this attempt.
        claims: dict[str, Any] = jwt.decode(id_token, options={"verify_signature": False})
        if not hmac.compare_digest(str(claims.get("nonce", "")).encode(), nonce.encode()):
            log.info("web.oidc.refused", reason="nonce", token=identity.log_id)
            raise Unauthorized("The identity token was not issued for this sign-in.")
        return identity

    def _exchange(self, code: str, code_verifier: str) -> str:
        try:
            response = httpx.post(
                self.endpoints()["token"],
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": self.redirect_url,
                    "code_verifier": code_verifier,
                    "client_id": self.client_id,
                },
                auth=(self.client_id, self.client_secret),
                timeout=self.timeout_s,
                follow_redirects=False,
            )
        except httpx.HTTPError as exc:
            log.warning("web.oidc.token_failed", error=type(exc).__name__)
            raise ServiceUnavailable("The identity provider cannot be reached; retry later.") from None
        if response.status_code != 200:
            log.info("web.oidc.refused", reason="token_endpoint", status=response.status_code)
            raise Unauthorized("The identity provider did not accept the sign-in.")
        try:
            id_token = response.json()["id_token"]
        except (ValueError, KeyError, TypeError):
            raise Unauthorized("The identity provider sent no identity token.") from None
        if not isinstance(id_token, str):
            raise Unauthorized("The identity provider sent no identity token.")
        return id_token


def build_sign_in(settings: Settings, bearer_verifier: OidcVerifier | None) -> OidcSignIn | None:
    """The sign-in flow the settings describe, or ``None`` when it is not configured."""
    if not settings.oidc_client_id or not settings.oidc_redirect_url or bearer_verifier is None:
        return None
    return OidcSignIn(settings, bearer_verifier)
