"""Browser sign-in: server-side sessions and one-time sign-in links.

The browser holds only a random session id in an HttpOnly cookie; the row here is found
by the SHA-256 of that id, so a copy of the table does not sign anyone in.  A session
without a tenant is anonymous: it carries the CSRF token of the sign-in forms and, during
an OIDC sign-in, the state, nonce and PKCE verifier.  Signing in replaces it by a new row
with a new id (no session fixation).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class WebSession(Base):
    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    tenant_id: Mapped[int | None] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), index=True, default=None
    )
    role: Mapped[str | None] = mapped_column(String(20), default=None)
    subject: Mapped[str | None] = mapped_column(String(200), default=None)
    csrf_token: Mapped[str] = mapped_column(String(64))
    #: An OIDC sign-in in progress: what the callback must find again.
    oidc_state: Mapped[str | None] = mapped_column(String(64), default=None)
    oidc_nonce: Mapped[str | None] = mapped_column(String(64), default=None)
    oidc_code_verifier: Mapped[str | None] = mapped_column(String(128), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class LoginLink(Base):
    """A one-time sign-in link made by an operator (``uppsikt login-link``); only its hash is kept."""

    __tablename__ = "login_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
