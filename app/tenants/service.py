"""Creating tenants, accounts and API keys (used by the CLI and the demo).

Services flush, never commit: the CLI command or the route that calls them
decides where the unit of work ends.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.errors import BadRequest, Conflict, NotFound
from app.models import PLATFORMS, ROLES, Account, AccountMember, ApiKey, Tenant, utcnow
from app.models.tenants import TENANT_NAME_CHARS
from app.modlog import repository as modlog_repository
from app.modlog.service import record
from app.policies.effective import policy_names
from app.tenants import repository
from app.tenants.known_parties import KnownParties, parse_known_parties

KEY_PREFIX = "upk"
#: The longest an old key may keep working after a rotation: long enough to roll the
#: new key out to every client, short enough that a leaked key does not live on.
MAX_GRACE_SECONDS = 86_400


def known_presets() -> list[str]:
    return policy_names()


def create_tenant(session: Session, *, name: str, preset: str, actor: str = "cli") -> Tenant:
    # PostgreSQL refuses a name longer than its column where SQLite keeps it.
    if not name.strip() or len(name) > TENANT_NAME_CHARS:
        raise BadRequest(f"Tenantens namn måste vara 1–{TENANT_NAME_CHARS} tecken, t.ex. kommunens namn.")
    if preset not in known_presets():
        raise BadRequest(f"Okänt förval {preset!r}; välj ett av {', '.join(known_presets())}.")
    if repository.tenant_by_name(session, name) is not None:
        raise Conflict(f"Tenanten {name!r} finns redan.")
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
        raise NotFound(f"Det finns ingen tenant som heter {name!r}.")
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
        raise BadRequest(f"Okänd plattform {platform!r}; välj en av {', '.join(PLATFORMS)}.")
    if platform == "linkedin" and not external_id.startswith("urn:li:organization:"):
        raise BadRequest("Ett LinkedIn-kontos externa id är organisationens URN (urn:li:organization:…).")
    if repository.account_by_platform_id(session, platform, external_id) is not None:
        raise Conflict(f"Det finns redan ett konto för {platform} {external_id}.")
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
        raise BadRequest(f"Okänd roll {role!r}; välj en av {', '.join(ROLES)}.")
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


def require_api_key(session: Session, *, tenant_id: int, key_id: int) -> ApiKey:
    """The tenant's key; another tenant's key is as absent as one that never existed."""
    key = repository.api_key_in_tenant(session, tenant_id, key_id)
    if key is None:
        raise NotFound("Nyckeln finns inte.")
    return key


def require_api_key_by_prefix(session: Session, *, tenant: Tenant, prefix: str) -> ApiKey:
    key = repository.api_key_by_prefix_in_tenant(session, tenant.id, prefix)
    if key is None:
        raise NotFound(f"Tenanten {tenant.name!r} har ingen API-nyckel med prefixet {prefix!r}.")
    return key


def revoke_api_key(session: Session, *, key: ApiKey, actor: str) -> ApiKey:
    """Revoke now.  Revoking a revoked key changes nothing (and logs nothing); a key
    still in a rotation's grace period stops working now."""
    now = utcnow()
    if repository.revoke_api_key(session, key.id, now, only_if_active=False):
        session.refresh(key)
        record(
            session,
            tenant_id=key.tenant_id,
            actor=actor,
            action="apikey.revoked",
            subject_type="api_key",
            subject_id=key.id,
            payload={"role": key.role, "prefix": key.prefix},
        )
    return key


def rotate_api_key(
    session: Session, *, key: ApiKey, actor: str, grace_seconds: int = 0
) -> tuple[ApiKey, str]:
    """Replace ``key`` with a new one for the same role, person and name.

    The old key keeps working for ``grace_seconds`` (so clients can switch
    without an outage) and is revoked after that.  A key that is revoked or
    already being replaced cannot be rotated: that would leave two successors.
    An expiring key's successor gets the same lifetime, counted from now.
    """
    if not 0 <= grace_seconds <= MAX_GRACE_SECONDS:
        raise BadRequest(f"grace_seconds måste vara mellan 0 och {MAX_GRACE_SECONDS}.")
    tenant = repository.tenant_by_id(session, key.tenant_id)
    assert tenant is not None  # the foreign key guarantees it
    now = utcnow()
    if not repository.revoke_api_key(
        session, key.id, now + timedelta(seconds=grace_seconds), only_if_active=True
    ):
        raise Conflict(
            "Nyckeln är återkallad eller håller redan på att ersättas; skapa en ny nyckel i stället."
        )
    session.refresh(key)
    lifetime = key.expires_at - key.created_at if key.expires_at is not None else None
    new_key, plaintext = create_api_key(
        session,
        tenant=tenant,
        role=key.role,
        subject=key.subject,
        name=key.name,
        expires_at=now + lifetime if lifetime is not None else None,
        actor=actor,
    )
    record(
        session,
        tenant_id=key.tenant_id,
        actor=actor,
        action="apikey.rotated",
        subject_type="api_key",
        subject_id=key.id,
        payload={
            "role": key.role,
            "prefix": key.prefix,
            "new_key_id": new_key.id,
            "new_prefix": new_key.prefix,
            "grace_seconds": grace_seconds,
        },
    )
    return new_key, plaintext


def set_known_parties(session: Session, *, tenant: Tenant, raw: dict[str, Any], actor: str) -> KnownParties:
    """Replace the tenant's own contact details and public officials (validated first);
    the worker's classifier follows from its next batch.  The log records how many of
    each, not the values: it is kept for good, they change."""
    known = parse_known_parties(raw)
    tenant.known_parties = known.model_dump(mode="json")
    session.flush()
    record(
        session,
        tenant_id=tenant.id,
        actor=actor,
        action="tenant.known_parties_set",
        subject_type="tenant",
        subject_id=tenant.id,
        payload={
            "phones": len(known.phones),
            "emails": len(known.emails),
            "public_officials": len(known.public_officials),
        },
    )
    return known
