"""Creating tenants, accounts and API keys (used by the CLI and the demo).

Services flush, never commit: the CLI command or the route that calls them
decides where the unit of work ends.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from app.errors import BadRequest, Conflict, NotFound
from app.models import PLATFORMS, ROLES, Account, AccountMember, ApiKey, Tenant
from app.modlog import repository as modlog_repository
from app.modlog.service import record
from app.tenants import repository

KEY_PREFIX = "upk"


def known_presets() -> list[str]:
    from app.policies import available_presets

    return available_presets()


def create_tenant(session: Session, *, name: str, preset: str, actor: str = "cli") -> Tenant:
    if preset not in known_presets():
        raise BadRequest(f"Unknown preset {preset!r}; choose one of {', '.join(known_presets())}.")
    if repository.tenant_by_name(session, name) is not None:
        raise Conflict(f"Tenant {name!r} exists.")
    tenant = Tenant(name=name, preset=preset, policy_overrides=[])
    session.add(tenant)
    session.flush()
    modlog_repository.ensure_head(session, tenant.id)
    record(
        session,
        tenant_id=tenant.id,
        actor=actor,
        action="tenant.created",
        subject_type="tenant",
        subject_id=tenant.id,
        payload={"preset": preset},
    )
    return tenant


def require_tenant(session: Session, name: str) -> Tenant:
    tenant = repository.tenant_by_name(session, name)
    if tenant is None:
        raise NotFound(f"No tenant named {name!r}.")
    return tenant


def add_account(
    session: Session,
    *,
    tenant: Tenant,
    platform: str,
    external_id: str,
    display_name: str,
    owner: str | None = None,
    editors: Sequence[str] = (),
    actor: str = "cli",
) -> Account:
    if platform not in PLATFORMS:
        raise BadRequest(f"Unknown platform {platform!r}; choose one of {', '.join(PLATFORMS)}.")
    if platform == "linkedin" and not external_id.startswith("urn:li:organization:"):
        raise BadRequest("A LinkedIn account's external id is its organization URN (urn:li:organization:…).")
    if repository.account_by_platform_id(session, platform, external_id) is not None:
        raise Conflict(f"An account for {platform} {external_id} exists.")
    account = Account(
        tenant_id=tenant.id, platform=platform, external_id=external_id, display_name=display_name
    )
    session.add(account)
    session.flush()
    if owner:
        session.add(AccountMember(account_id=account.id, subject=owner, role="owner"))
    for editor in dict.fromkeys(editors):
        session.add(AccountMember(account_id=account.id, subject=editor, role="editor"))
    session.flush()
    record(
        session,
        tenant_id=tenant.id,
        actor=actor,
        action="account.created",
        subject_type="account",
        subject_id=account.id,
        account_id=account.id,
        payload={
            "platform": platform,
            "external_id": external_id,
            "editors": len(set(editors)),
            "has_owner": bool(owner),
        },
    )
    return account


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_api_key(
    session: Session,
    *,
    tenant: Tenant,
    role: str,
    subject: str | None = None,
    name: str = "",
    expires_at: datetime | None = None,
    actor: str = "cli",
) -> tuple[ApiKey, str]:
    """Create a key and return it in plain text: the only time it is ever shown."""
    if role not in ROLES:
        raise BadRequest(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    prefix = secrets.token_hex(6)
    plaintext = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey(
        tenant_id=tenant.id,
        role=role,
        subject=subject,
        name=name,
        prefix=prefix,
        key_hash=hash_key(plaintext),
        expires_at=expires_at,
    )
    session.add(key)
    session.flush()
    record(
        session,
        tenant_id=tenant.id,
        actor=actor,
        action="apikey.created",
        subject_type="api_key",
        subject_id=key.id,
        payload={"role": role, "prefix": prefix},
    )
    return key, plaintext
