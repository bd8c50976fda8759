"""Who is calling: API keys and OIDC tokens resolved to a principal.

A principal carries its tenant and role and, for editors and account owners,
the accounts it may see; every repository query is scoped by it (design
invariant 7).  Both kinds of credential arrive as ``Authorization: Bearer``:
one that starts with ``upk_`` is an API key, anything else is treated as a
JWT from the tenant's identity provider.  The account scope is looked up in
``account_members`` by subject in both cases, so a person has the same reach
whichever way they sign in.

Unknown, revoked and expired keys all get the same 401 so the answer does not
tell which keys exist.  A key being rotated keeps working until its
``revoked_at``, which rotation may set in the future (a grace period).

Every authenticated request spends a token from its principal's bucket, and
every failed authentication one from its client address's bucket
(``app.ratelimit``); an empty bucket answers 429 with ``Retry-After``.
Neither a key nor a token is ever logged: the key prefix or a hash of the
token's ``jti`` identifies it.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import timedelta

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from app.db import begin_write
from app.errors import Forbidden, TooManyRequests, Unauthorized
from app.logging import get_logger
from app.models import utcnow
from app.oidc import OidcVerifier, build_verifier
from app.principal import Principal
from app.ratelimit import TokenBucket
from app.settings import Settings
from app.tenants import repository
from app.tenants.service import KEY_PREFIX, hash_key

log = get_logger("app.auth")

#: ``last_used_at`` is written at most this often, so reads stay reads.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class AuthState:
    """Per-application authentication machinery, built once by ``create_app``."""

    oidc: OidcVerifier | None
    #: One bucket per principal, for every authenticated API request.
    requests: TokenBucket
    #: One bucket per client address, spent by failed authentications only.
    failures: TokenBucket


def build_auth_state(settings: Settings) -> AuthState:
    return AuthState(
        oidc=build_verifier(settings),
        requests=TokenBucket(per_minute=settings.rate_limit_per_minute, capacity=settings.rate_limit_burst),
        failures=TokenBucket(
            per_minute=settings.auth_failures_per_minute, capacity=max(1, settings.auth_failures_per_minute)
        ),
    )


def authenticate_api_key(session: Session, token: str) -> Principal:
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        raise Unauthorized("Invalid API key.")
    key = repository.api_key_by_prefix(session, parts[1])
    now = utcnow()
    if (
        key is None
        or not hmac.compare_digest(key.key_hash, hash_key(token))
        or (key.revoked_at is not None and key.revoked_at <= now)
        or (key.expires_at is not None and key.expires_at <= now)
    ):
        log.info("auth.apikey.refused", prefix=parts[1][:16])
        raise Unauthorized("Invalid API key.")
    principal = Principal(
        tenant_id=key.tenant_id,
        role=key.role,
        subject=key.subject,
        key_id=key.id,
        account_ids=account_scope(session, key.tenant_id, key.role, key.subject),
    )
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        # End the read first so the update starts a transaction with a write.
        session.rollback()
        begin_write(session)
        repository.touch_api_key(session, key.id, now)
        session.commit()
    return principal


def authenticate_oidc(session: Session, verifier: OidcVerifier | None, token: str) -> Principal:
    if verifier is None:
        raise Unauthorized("Invalid API key.")  # no identity provider configured: only keys exist
    identity = verifier.verify(token)
    tenant = repository.tenant_by_name(session, identity.tenant)
    if tenant is None:
        log.info("auth.oidc.refused", reason="unknown_tenant", token=identity.log_id)
        raise Unauthorized("The token names a tenant that does not exist here.")
    return Principal(
        tenant_id=tenant.id,
        role=identity.role,
        subject=identity.subject,
        key_id=None,
        account_ids=account_scope(session, tenant.id, identity.role, identity.subject),
    )


def account_scope(session: Session, tenant_id: int, role: str, subject: str | None) -> frozenset[int] | None:
    if role in ("registrar", "admin"):
        return None
    if subject is None:
        return frozenset()
    member_role = "editor" if role == "editor" else "owner"
    return frozenset(repository.account_ids_for_subject(session, tenant_id, subject, member_role))


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(
            "Send 'Authorization: Bearer <API key or token>'.", headers={"WWW-Authenticate": "Bearer"}
        )
    return token.strip()


def db_session(request: Request):
    session: Session = request.app.state.session_factory()
    try:
        yield session
    finally:
        session.close()


def current_principal(request: Request, session: Session = Depends(db_session)) -> Principal:
    state: AuthState = request.app.state.auth
    token = bearer_token(request)
    address = f"ip:{request.client.host if request.client else '-'}"
    wait = state.failures.peek(address)
    if wait is not None:
        log.warning("auth.throttled", reason="failures")
        raise _too_many("Too many failed authentications from this address.", wait)
    try:
        if token.startswith(f"{KEY_PREFIX}_"):
            principal = authenticate_api_key(session, token)
        else:
            principal = authenticate_oidc(session, state.oidc, token)
    except Unauthorized:
        state.failures.take(address)
        raise
    wait = state.requests.take(principal.rate_key)
    if wait is not None:
        log.warning("auth.throttled", reason="rate", tenant_id=principal.tenant_id, key_id=principal.key_id)
        raise _too_many("The request rate limit of this key or user is exhausted.", wait)
    request.state.principal = principal
    return principal


def require_roles(*roles: str):
    def check(principal: Principal = Depends(current_principal)) -> Principal:
        if principal.role not in roles:
            raise Forbidden(f"This needs one of the roles: {', '.join(roles)}.")
        return principal

    return check


def _too_many(detail: str, wait: int) -> TooManyRequests:
    return TooManyRequests(detail, headers={"Retry-After": str(wait)})
