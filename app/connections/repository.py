"""All SQL of connecting accounts and their token checks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models import Account


def accounts_by_ids(session: Session, ids: Sequence[int]) -> list[Account]:
    if not ids:
        return []
    return list(session.scalars(select(Account).where(Account.id.in_(list(ids))).order_by(Account.id)))


def account_ids_of_tenant(session: Session, tenant_id: int) -> list[int]:
    return list(
        session.scalars(
            select(Account.id)
            .where(Account.tenant_id == tenant_id, Account.platform != "web")
            .order_by(Account.id)
        )
    )


def account_ids_due_for_check(session: Session, *, checked_before: datetime, limit: int) -> list[int]:
    """Accounts (of every tenant) whose token was never checked, or not since ``checked_before``."""
    return list(
        session.scalars(
            select(Account.id)
            .where(
                Account.platform != "web",
                or_(Account.token_checked_at.is_(None), Account.token_checked_at < checked_before),
            )
            .order_by(Account.token_checked_at.is_not(None), Account.token_checked_at, Account.id)
            .limit(limit)
        )
    )


def all_accounts(session: Session) -> list[Account]:
    """Every account of every tenant, for the metrics scrape."""
    return list(session.scalars(select(Account).order_by(Account.id)))
