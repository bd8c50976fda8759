"""Browser sessions, CSRF tokens and one-time sign-in links (rules; SQL in ``repository``).

The cookie holds a random session id; the database holds its SHA-256.  Every session
has its own CSRF token, which every form carries and every POST must return
(``check_csrf``).  Signing in always makes a new session and deletes the one the
browser came with, so an id planted in a browser before sign-in is worth nothing
after it (session fixation).  Sessions end at ``expires_at`` whatever the activity.

A sign-in link is made by an operator for one person in one tenant and role; only a
hash of its token is stored, it is valid for a few minutes and can be used once.

Services never commit: the routes do.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy.orm import Session

from app.auth import account_scope
from app.errors import Forbidden, NotFound, Unauthorized, Unprocessable
from app.logging import get_logger
from app.models import ROLES, LoginLink, Tenant, WebSession, utcnow
from app.principal import Principal
from app.tenants import repository as tenants_repository
from app.web import repository

log = get_logger("app.web.sessions")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def find(session: Session, token: str | None) -> WebSession | None:
    """The live session the cookie names, or ``None`` (no cookie, unknown or expired)."""
    if not token or len(token) > 100:
        return None
    found = repository.session_by_hash(session, hash_token(token))
    if found is None or found.expires_at <= utcnow():
        return None
    return found


def start_anonymous(session: Session, *, ttl: timedelta) -> tuple[WebSession, str]:
    """A session for a browser that is not signed in: it carries the sign-in forms' CSRF token."""
    # Anonymous sessions are cheap to make: expired ones go whenever a new one is made.
    repository.delete_expired_sessions(session, utcnow())
    token = _new_token()
    web_session = WebSession(
        token_hash=hash_token(token), csrf_token=secrets.token_urlsafe(32), expires_at=utcnow() + ttl
    )
    repository.add(session, web_session)
    return web_session, token


def sign_in(
    session: Session,
    *,
    previous: WebSession | None,
    tenant_id: int,
    role: str,
    subject: str,
    ttl: timedelta,
) -> tuple[WebSession, str]:
    """A new signed-in session with a new id and CSRF token; the browser's old session is deleted."""
    if role not in ROLES:
        raise Unprocessable(f"Unknown role {role!r}.")
    if previous is not None:
        repository.delete_session(session, previous.id)
    repository.delete_expired_sessions(session, utcnow())
    token = _new_token()
    web_session = WebSession(
        token_hash=hash_token(token),
        tenant_id=tenant_id,
        role=role,
        subject=subject,
        csrf_token=secrets.token_urlsafe(32),
        expires_at=utcnow() + ttl,
    )
    repository.add(session, web_session)
    log.info("web.signed_in", tenant_id=tenant_id, role=role, session_id=web_session.id)
    return web_session, token


def sign_out(session: Session, web_session: WebSession) -> None:
    repository.delete_session(session, web_session.id)
    log.info("web.signed_out", tenant_id=web_session.tenant_id, session_id=web_session.id)


def check_csrf(web_session: WebSession | None, submitted: str | None) -> None:
    """Refuse a form whose token is missing or not this session's (constant-time compare)."""
    if (
        web_session is None
        or not submitted
        or not hmac.compare_digest(web_session.csrf_token.encode(), submitted.encode())
    ):
        log.warning("web.csrf_refused", session_id=web_session.id if web_session else None)
        raise Forbidden("The form's CSRF token is missing or wrong.")


def principal_of(session: Session, web_session: WebSession) -> Principal | None:
    """The signed-in person as every service sees them; ``None`` for an anonymous session."""
    if web_session.tenant_id is None or web_session.role is None:
        return None
    return Principal(
        tenant_id=web_session.tenant_id,
        role=web_session.role,
        subject=web_session.subject,
        key_id=None,
        account_ids=account_scope(session, web_session.tenant_id, web_session.role, web_session.subject),
    )


# -- one-time sign-in links ----------------------------------------------------------------


def create_login_link(
    session: Session, *, tenant_name: str, subject: str, role: str, ttl: timedelta
) -> tuple[LoginLink, str]:
    """A link for one person; returns the row and the token (shown once, stored as a hash)."""
    tenant = tenants_repository.tenant_by_name(session, tenant_name)
    if tenant is None:
        raise NotFound(f"Det finns ingen tenant som heter {tenant_name!r} – kontrollera namnet.")
    if role not in ROLES:
        raise Unprocessable(f"Rollen måste vara en av: {', '.join(ROLES)}.")
    if not subject.strip():
        raise Unprocessable("Ange vem som loggar in med --subject (personen, till exempel en e-postadress).")
    token = _new_token()
    link = LoginLink(
        token_hash=hash_token(token),
        tenant_id=tenant.id,
        role=role,
        subject=subject.strip(),
        expires_at=utcnow() + ttl,
    )
    repository.add(session, link)
    log.info("web.login_link.created", tenant_id=tenant.id, role=role, link_id=link.id)
    return link, token


def valid_link(session: Session, token: str) -> LoginLink | None:
    """The link if it is unused and not expired (a read: nothing is spent)."""
    if not token or len(token) > 100:
        return None
    link = repository.link_by_hash(session, hash_token(token))
    if link is None or link.used_at is not None or link.expires_at <= utcnow():
        return None
    return link


def redeem_login_link(session: Session, token: str) -> LoginLink:
    """Spend the link (once); ``Unauthorized`` when it is unknown, used or expired."""
    link = valid_link(session, token)
    if link is None or not repository.use_link(session, link.id, utcnow()):
        log.info("web.login_link.refused")
        raise Unauthorized("The sign-in link is unknown, expired or already used.")
    log.info("web.login_link.used", tenant_id=link.tenant_id, link_id=link.id)
    return link


def tenant_name(session: Session, tenant_id: int) -> str:
    tenant = session.get(Tenant, tenant_id)
    return tenant.name if tenant else ""
