"""OIDC bearer tokens from the municipality's own identity provider.

A municipality already signs in its staff; Uppsikt accepts the ID or access
token that provider issues (a JWT) instead of making every editor carry an API
key.  The token is trusted only when its signature verifies against the
provider's published keys (JWKS) and its issuer, audience, expiry and
not-before all hold.  Only asymmetric algorithms are accepted, and each key
verifies only with the algorithm bound to it, so neither ``alg: none`` nor an
HS256 token "signed" with the public key can pass.

The keys are cached for a TTL.  A token with a ``kid`` the cache does not
know triggers one refetch (the provider may have rotated its keys), but at
most once per refetch interval so that tokens with made-up ``kid`` values
cannot turn the service into a load generator against the provider.

The claims that matter are the tenant (by name), the role and the subject;
which claim holds each is configurable because identity providers differ.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jwt

from app.errors import Forbidden, ServiceUnavailable, Unauthorized
from app.logging import get_logger
from app.models import ROLES
from app.settings import Settings

log = get_logger("app.oidc")

#: Algorithms that can ever be configured: asymmetric only.
SUPPORTED_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384"})


class JwksUnavailable(Exception):
    """The provider's keys could not be fetched or read."""


class JwksCache:
    """The provider's signing keys by ``kid``, from a URL or a file, cached for ``ttl_s``."""

    def __init__(
        self,
        *,
        algorithms: frozenset[str],
        url: str = "",
        file: Path | None = None,
        ttl_s: float = 3600.0,
        refetch_interval_s: float = 60.0,
        timeout_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if bool(url) == (file is not None):
            raise ValueError("give exactly one of a JWKS URL or a JWKS file")
        self.url = url
        self.file = file
        self.algorithms = algorithms
        self.ttl_s = ttl_s
        self.refetch_interval_s = refetch_interval_s
        self.timeout_s = timeout_s
        self.clock = clock
        self.fetches = 0
        self._lock = threading.Lock()
        self._keys: dict[str | None, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None

    def key(self, kid: str | None) -> jwt.PyJWK | None:
        """The key for ``kid``; refetch when the cache is stale or (rate-limited) when it is unknown."""
        with self._lock:
            now = self.clock()
            stale = self._fetched_at is None or now - self._fetched_at >= self.ttl_s
            may_fetch = self._attempted_at is None or now - self._attempted_at >= self.refetch_interval_s
            refreshed = stale and may_fetch and self._refresh(now)
            if self._fetched_at is None:
                raise JwksUnavailable("the signing keys have never been loaded")
            found = self._lookup(kid)
            if found is None and may_fetch and not refreshed and self._refresh(now):
                found = self._lookup(kid)
            return found

    def _lookup(self, kid: str | None) -> jwt.PyJWK | None:
        if kid is None:
            # A token without a kid is accepted only when the set holds exactly one key.
            return next(iter(self._keys.values())) if len(self._keys) == 1 else None
        return self._keys.get(kid)

    def _refresh(self, now: float) -> bool:
        """Load the keys; on failure keep the ones we have (a provider outage should not
        lock everyone out at once) and try again after the refetch interval."""
        self._attempted_at = now
        try:
            keys = self._usable_keys(self._load())
        except JwksUnavailable as exc:
            log.warning("auth.oidc.jwks_refresh_failed", reason=str(exc), cached_keys=len(self._keys))
            return False
        self._keys = keys
        self._fetched_at = now
        log.info("auth.oidc.jwks_loaded", keys=len(keys))
        return True

    def _load(self) -> Any:
        self.fetches += 1
        if self.file is not None:
            try:
                return json.loads(self.file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise JwksUnavailable(f"cannot read the JWKS file: {type(exc).__name__}") from exc
        try:
            response = httpx.get(self.url, timeout=self.timeout_s, follow_redirects=False)
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise JwksUnavailable(f"cannot fetch the JWKS: {type(exc).__name__}") from exc

    def _usable_keys(self, document: Any) -> dict[str | None, jwt.PyJWK]:
        if not isinstance(document, Mapping) or not isinstance(document.get("keys"), list):
            raise JwksUnavailable("the JWKS is not a JSON object with a 'keys' list")
        keys: dict[str | None, jwt.PyJWK] = {}
        for data in document["keys"]:
            if not isinstance(data, dict) or data.get("use", "sig") != "sig":
                continue
            if data.get("kty") not in ("RSA", "EC"):  # never a symmetric ("oct") key
                continue
            try:
                key = jwt.PyJWK(data)
            except jwt.PyJWTError:
                continue
            if key.algorithm_name in self.algorithms:
                keys[key.key_id] = key
        return keys


@dataclass(frozen=True, slots=True)
class Identity:
    """What a verified token says about its bearer."""

    tenant: str
    role: str
    subject: str
    #: A hash of the token's ``jti`` (or subject), safe to log.
    log_id: str


class OidcVerifier:
    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        jwks: JwksCache,
        algorithms: frozenset[str],
        tenant_claim: str = "uppsikt_tenant",
        role_claim: str = "uppsikt_role",
        subject_claim: str = "email",
        leeway_s: float = 30.0,
    ) -> None:
        self.issuer = issuer
        self.audience = audience
        self.jwks = jwks
        self.algorithms = algorithms
        self.tenant_claim = tenant_claim
        self.role_claim = role_claim
        self.subject_claim = subject_claim
        self.leeway_s = leeway_s

    def verify(self, token: str) -> Identity:
        """Check the token and map its claims; ``Unauthorized``/``Forbidden`` with a reason otherwise."""
        claims = self._claims(token)
        log_id = _log_id(claims)
        tenant = claims.get(self.tenant_claim)
        if not isinstance(tenant, str) or not tenant:
            log.info("auth.oidc.refused", reason="no_tenant", token=log_id)
            raise Unauthorized(f"The token has no '{self.tenant_claim}' claim naming the tenant.")
        subject = claims.get(self.subject_claim) or claims.get("sub")
        if not isinstance(subject, str) or not subject:
            log.info("auth.oidc.refused", reason="no_subject", token=log_id)
            raise Unauthorized(f"The token has neither a '{self.subject_claim}' nor a 'sub' claim.")
        if self.subject_claim == "email" and claims.get("email") and claims.get("email_verified") is False:
            # The subject decides which accounts the bearer reaches: an address the provider
            # itself has not verified could be anybody's.
            log.info("auth.oidc.refused", reason="email_unverified", token=log_id)
            raise Unauthorized("The token's e-mail address is not verified by the identity provider.")
        return Identity(tenant=tenant, role=self._role(claims, log_id), subject=subject, log_id=log_id)

    def _claims(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise _refused("malformed", "The bearer token is neither an API key nor a JWT.") from None
        alg = header.get("alg")
        if alg not in self.algorithms:
            raise _refused("algorithm", "The token's signing algorithm is not accepted.")
        kid = header.get("kid")
        try:
            key = self.jwks.key(kid if isinstance(kid, str) else None)
        except JwksUnavailable:
            raise ServiceUnavailable(
                "The identity provider's signing keys are unavailable; retry later."
            ) from None
        if key is None:
            raise _refused(
                "unknown_kid", "The token is signed with a key the identity provider does not publish."
            )
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[alg],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway_s,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise _refused("expired", "The token has expired.") from None
        except jwt.ImmatureSignatureError:
            raise _refused("not_yet_valid", "The token is not valid yet.") from None
        except jwt.InvalidAudienceError:
            raise _refused("audience", "The token is meant for another audience.") from None
        except jwt.InvalidIssuerError:
            raise _refused("issuer", "The token is from another issuer.") from None
        except jwt.PyJWTError:
            raise _refused("invalid", "The token's signature or claims do not verify.") from None
        return claims

    def _role(self, claims: Mapping[str, Any], log_id: str) -> str:
        raw = claims.get(self.role_claim)
        # A provider may send a list (group-style claim): accept it when exactly one of our roles is in it.
        candidates = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
        roles = sorted({r for r in candidates if isinstance(r, str) and r in ROLES})
        if len(roles) != 1:
            log.info("auth.oidc.refused", reason="role", token=log_id)
            raise Forbidden(
                f"The token's '{self.role_claim}' claim must name exactly one of the roles: "
                f"{', '.join(ROLES)}."
            )
        return roles[0]


def _refused(reason: str, detail: str) -> Unauthorized:
    log.info("auth.oidc.refused", reason=reason)
    return Unauthorized(detail, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


def _log_id(claims: Mapping[str, Any]) -> str:
    basis = claims.get("jti") or f"{claims.get('iss')}|{claims.get('sub')}"
    return hashlib.sha256(str(basis).encode("utf-8")).hexdigest()[:16]


def build_verifier(settings: Settings) -> OidcVerifier | None:
    """The verifier the settings describe, or ``None`` when OIDC is not configured.

    Half a configuration is an error at start rather than a service that
    silently refuses every token.
    """
    configured = {
        "oidc_issuer": settings.oidc_issuer,
        "oidc_audience": settings.oidc_audience,
        "oidc_jwks_url or oidc_jwks_file": settings.oidc_jwks_url or settings.oidc_jwks_file,
    }
    if not any(configured.values()):
        return None
    missing = [name for name, value in configured.items() if not value]
    if missing:
        raise ValueError(f"OIDC is partly configured; also set {', '.join(missing)}")
    if settings.oidc_jwks_url and settings.oidc_jwks_file:
        raise ValueError("set only one of oidc_jwks_url and oidc_jwks_file")
    algorithms = frozenset(a.strip() for a in settings.oidc_algorithms.split(",") if a.strip())
    unsupported = algorithms - SUPPORTED_ALGORITHMS
    if unsupported or not algorithms:
        raise ValueError(
            f"oidc_algorithms must be asymmetric algorithms from {sorted(SUPPORTED_ALGORITHMS)}; "
            f"got {sorted(unsupported) or 'none'}"
        )
    jwks = JwksCache(
        algorithms=algorithms,
        url=settings.oidc_jwks_url,
        file=Path(settings.oidc_jwks_file) if settings.oidc_jwks_file else None,
        ttl_s=settings.oidc_jwks_ttl_s,
        refetch_interval_s=settings.oidc_jwks_refetch_interval_s,
        timeout_s=settings.oidc_timeout_s,
    )
    return OidcVerifier(
        issuer=settings.oidc_issuer,
        audience=settings.oidc_audience,
        jwks=jwks,
        algorithms=algorithms,
        tenant_claim=settings.oidc_tenant_claim,
        role_claim=settings.oidc_role_claim,
        subject_claim=settings.oidc_subject_claim,
        leeway_s=settings.oidc_leeway_s,
    )
