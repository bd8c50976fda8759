"""All SQL for tenants, accounts, members and API keys."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from app.models import Account, AccountMember, ApiKey, Tenant
from app.principal import Principal


def tenant_by_name(session: Session, name: str) -> Tenant | None:
    return session.scalars(select(Tenant).where(Tenant.name == name)).one_or_none()


def tenant_by_id(session: Session, tenant_id: int) -> Tenant | None:
    return session.get(Tenant, tenant_id)


def account_by_platform_id(session: Session, platform: str, external_id: str) -> Account | None:
    return session.scalars(
        select(Account).where(Account.platform == platform, Account.external_id == external_id)
    ).one_or_none()


def account_in_tenant(session: Session, tenant_id: int, account_id: int) -> Account | None:
    return session.scalars(
        select(Account).where(Account.id == account_id, Account.tenant_id == tenant_id)
    ).one_or_none()


def account_by_external_id_in_tenant(session: Session, tenant_id: int, external_id: str) -> Account | None:
    return session.scalars(
        select(Account).where(Account.tenant_id == tenant_id, Account.external_id == external_id)
    ).first()


def accounts_of_tenant(session: Session, tenant_id: int) -> Sequence[Account]:
    return session.scalars(select(Account).where(Account.tenant_id == tenant_id).order_by(Account.id)).all()


def members_of_accounts(session: Session, account_ids: Sequence[int]) -> Sequence[AccountMember]:
    if not account_ids:
        return []
    return session.scalars(
        select(AccountMember).where(AccountMember.account_id.in_(account_ids)).order_by(AccountMember.id)
    ).all()


def account_ids_for_subject(session: Session, tenant_id: int, subject: str, role: str) -> set[int]:
    rows = session.scalars(
        select(AccountMember.account_id)
        .join(Account, Account.id == AccountMember.account_id)
        .where(Account.tenant_id == tenant_id, AccountMember.subject == subject, AccountMember.role == role)
    ).all()
    return set(rows)


def api_key_by_prefix(session: Session, prefix: str) -> ApiKey | None:
    return session.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).one_or_none()


def touch_api_key(session: Session, key_id: int, now: datetime) -> None:
    session.execute(
        update(ApiKey)
        .where(ApiKey.id == key_id)
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )


def api_keys_of_tenant(session: Session, tenant_id: int) -> Sequence[ApiKey]:
    return session.scalars(select(ApiKey).where(ApiKey.tenant_id == tenant_id).order_by(ApiKey.id)).all()


def api_key_in_tenant(session: Session, tenant_id: int, key_id: int) -> ApiKey | None:
    return session.scalars(
        select(ApiKey).where(ApiKey.id == key_id, ApiKey.tenant_id == tenant_id)
    ).one_or_none()


def api_key_by_prefix_in_tenant(session: Session, tenant_id: int, prefix: str) -> ApiKey | None:
    return session.scalars(
        select(ApiKey).where(ApiKey.prefix == prefix, ApiKey.tenant_id == tenant_id)
    ).one_or_none()


def revoke_api_key(session: Session, key_id: int, at: datetime, *, only_if_active: bool) -> bool:
    """Set ``revoked_at`` in one conditional statement, so two concurrent changes cannot
    both win.  ``only_if_active``: only a key with no revocation at all (rotation);
    otherwise also a key whose revocation lies later than ``at`` (revoking now)."""
    condition = (
        ApiKey.revoked_at.is_(None)
        if only_if_active
        else or_(ApiKey.revoked_at.is_(None), ApiKey.revoked_at > at)
    )
    result = session.execute(
        update(ApiKey)
        .where(ApiKey.id == key_id, condition)
        .values(revoked_at=at)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def known_parties_by_tenant(session: Session) -> dict[int, dict[str, Any]]:
    """Every tenant's stored known parties (one small query per worker batch)."""
    rows = session.execute(select(Tenant.id, Tenant.known_parties))
    return {tenant_id: raw or {} for tenant_id, raw in rows}


def tenant_of(session: Session, principal: Principal) -> Tenant:
    """The tenant a principal was authenticated in (it exists: keys and sessions go with it)."""
    tenant = session.get(Tenant, principal.tenant_id)
    assert tenant is not None  # the principal was authenticated in this tenant
    return tenant
