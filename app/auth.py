"""Who is calling: API keys (and, later, OIDC tokens) resolved to a principal.

A principal carries its tenant and role and, for editors and account owners,
the accounts it may see; every repository query is scoped by it (design
invariant 7).  Unknown, revoked and expired keys all get the same 401 so the
answer does not tell which keys exist.
"""

from __future__ import annotations

import hmac
from datetime import timedelta

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from app.db import begin_write
from app.errors import Forbidden, Unauthorized
from app.models import utcnow
from app.principal import Principal
from app.tenants import repository
from app.tenants.service import KEY_PREFIX, hash_key

#: ``last_used_at`` is written at most this often, so reads stay reads.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def authenticate_api_key(session: Session, token: str) -> Principal:
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        raise Unauthorized("Invalid API key.")
    key = repository.api_key_by_prefix(session, parts[1])
    now = utcnow()
    if (
        key is None
        or not hmac.compare_digest(key.key_hash, hash_key(token))
        or key.revoked_at is not None
        or (key.expires_at is not None and key.expires_at <= now)
    ):
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
        raise Unauthorized("Send 'Authorization: Bearer <key>'.", headers={"WWW-Authenticate": "Bearer"})
    return token.strip()


def db_session(request: Request):
    session: Session = request.app.state.session_factory()
    try:
        yield session
    finally:
        session.close()


def current_principal(request: Request, session: Session = Depends(db_session)) -> Principal:
    principal = authenticate_api_key(session, bearer_token(request))
    request.state.principal = principal
    return principal


def require_roles(*roles: str):
    def check(principal: Principal = Depends(current_principal)) -> Principal:
        if principal.role not in roles:
            raise Forbidden(f"This needs one of the roles: {', '.join(roles)}.")
        return principal

    return check
