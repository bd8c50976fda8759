"""Tenants (a municipality or one of its departments), their accounts on the
platforms, the people responsible for each account, and API keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow
from app.platforms.capabilities import PLATFORMS

__all__ = ["PLATFORMS"]  # re-exported: the registry is the one list of platforms

ROLES = ("editor", "account_owner", "registrar", "admin")
MEMBER_ROLES = ("owner", "editor")
#: How long a tenant's name may be: it is also part of its retrained models' versions.
TENANT_NAME_CHARS = 100


class Tenant(Base):
    __tablename__ = "tenants"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(TENANT_NAME_CHARS), unique=True)
    preset: Mapped[str] = mapped_column(String(50))
    #: Rule overrides on top of the preset, validated by ``app.policies`` when set.
    policy_overrides: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: Culling overrides on top of the preset's retention: ``{"unflagged_days": N, "platforms": {…}}``.
    retention: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: The tenant's case-number format (a regular expression); ``None`` uses the service default.
    diarienummer_pattern: Mapped[str | None] = mapped_column(String(200), default=None)
    #: Who is told what (``app.notifications.settings.NotificationSettings``): the registrar's
    #: destination, the alert threshold, the escalation delay.
    notifications: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: What the classifier must know about the municipality itself
    #: (``app.tenants.known_parties.KnownParties``): its own phone numbers and
    #: e-mail addresses, never reported as personal data, and its public officials,
    #: whose names are found as an official's rather than a private person's.
    known_parties: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Account(Base):
    """A municipal account on one platform: a Facebook Page, an Instagram
    professional account, a LinkedIn organization or a website's comment field.

    ``(platform, external_id)`` is unique across tenants: a delivery names the
    Page, and the Page decides which tenant the comment belongs to.
    """

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="RESTRICT"), index=True)
    platform: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(200))
    #: Platform access token, encrypted with the service's secret key; never logged.
    access_token_ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    #: A legal hold stops culling of everything on the account.
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The platform API this account is called at, when not the service-wide one: an
    #: Instagram account connected through Instagram Login lives at graph.instagram.com.
    api_base: Mapped[str | None] = mapped_column(String(200), default=None)
    #: After a throttle answer no action on this account is called before this time.
    actions_paused_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    #: Token health, from the latest check (``uppsikt account check-tokens`` or the worker's daily one).
    token_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    token_missing_scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: ``invalid``, ``check_failed`` …; ``None`` when the latest check found nothing wrong.
    token_problem: Mapped[str | None] = mapped_column(String(40), default=None)
    #: Something only the operator can fix (``linkedin_version_retired``), until it works again.
    platform_alert: Mapped[str | None] = mapped_column(String(40), default=None)
    platform_alert_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class AccountMember(Base):
    """A person responsible for an account: its owner (kontoansvarig) or an
    editor (redaktör).  ``subject`` is how that person authenticates: the
    subject of their API key or the ``sub``/e-mail claim of their OIDC token."""

    __tablename__ = "account_members"
    __table_args__ = (UniqueConstraint("account_id", "subject", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))


class ApiKey(Base):
    """A tenant-scoped API key.  Only a SHA-256 of the key is stored; the
    prefix identifies the key in logs and listings without revealing it."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str | None] = mapped_column(String(200), default=None)
    name: Mapped[str] = mapped_column(String(200), default="")
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
