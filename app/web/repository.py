"""All SQL of browser sessions and sign-in links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.models import LoginLink, WebSession


def add(session: Session, obj: object) -> None:
    session.add(obj)
    session.flush()


def session_by_hash(session: Session, token_hash: str) -> WebSession | None:
    return session.scalars(select(WebSession).where(WebSession.token_hash == token_hash)).one_or_none()


def delete_session(session: Session, session_id: int) -> None:
    session.execute(delete(WebSession).where(WebSession.id == session_id))


def delete_expired_sessions(session: Session, now: datetime) -> int:
    result = session.execute(delete(WebSession).where(WebSession.expires_at <= now))
    return int(result.rowcount)  # type: ignore[attr-defined]


def link_by_hash(session: Session, token_hash: str) -> LoginLink | None:
    return session.scalars(select(LoginLink).where(LoginLink.token_hash == token_hash)).one_or_none()


def use_link(session: Session, link_id: int, now: datetime) -> bool:
    """Mark the link used if it is still unused and valid: False when it was not (single use)."""
    result = session.execute(
        update(LoginLink)
        .where(LoginLink.id == link_id, LoginLink.used_at.is_(None), LoginLink.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]
