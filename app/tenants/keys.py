"""The API-key lifecycle for a tenant's admins: list, create, rotate, revoke.

A key's plain text is returned once, by the call that creates it (or its
successor); afterwards only its prefix identifies it.  Every route is scoped
to the admin's own tenant: another tenant's key answers 404, exactly like a
key that does not exist.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from fastapi import APIRouter, Body, Depends, Path
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy.orm import Session

from app.auth import db_session, require_roles
from app.db import begin_write, commit
from app.errors import BadRequest, Conflict, Forbidden, NotFound, TooManyRequests, Unauthorized, responses
from app.models import ApiKey, utcnow
from app.principal import Principal
from app.tenants import repository, service

router = APIRouter(prefix="/v1/apikeys", tags=["apikeys"])

Role = Literal["editor", "account_owner", "registrar", "admin"]
#: Roles whose reach comes from the account lists, so a key without a person would see nothing.
PERSONAL_ROLES = ("editor", "account_owner")

admins = require_roles("admin")
KeyId = Path(ge=1, le=2**31 - 1)


class ApiKeyRead(BaseModel):
    id: int
    prefix: str
    role: str
    subject: str | None
    name: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    #: Usable now: neither revoked nor expired (a key in a rotation's grace period is active).
    active: bool

    @classmethod
    def of(cls, key: ApiKey, now: datetime) -> ApiKeyRead:
        return cls(
            id=key.id,
            prefix=key.prefix,
            role=key.role,
            subject=key.subject,
            name=key.name,
            created_at=key.created_at,
            expires_at=key.expires_at,
            revoked_at=key.revoked_at,
            last_used_at=key.last_used_at,
            active=(key.revoked_at is None or key.revoked_at > now)
            and (key.expires_at is None or key.expires_at > now),
        )


class ApiKeyList(BaseModel):
    keys: list[ApiKeyRead]


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    subject: str | None = Field(None, min_length=1, max_length=200)
    name: str = Field("", max_length=200)
    expires_in_days: int | None = Field(None, ge=1, le=3650)

    @model_validator(mode="after")
    def _person_for_personal_roles(self) -> ApiKeyCreate:
        if self.role in PERSONAL_ROLES and not self.subject:
            raise ValueError(
                f"a key with the role {self.role} needs a subject (the person on the account lists)"
            )
        return self


class ApiKeyRotate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grace_seconds: int = Field(0, ge=0, le=service.MAX_GRACE_SECONDS)


class ApiKeyCreated(BaseModel):
    key: ApiKeyRead
    #: The key itself: shown only in this answer, never again.
    plaintext: str


@router.get(
    "",
    operation_id="list_api_keys",
    response_model=ApiKeyList,
    responses=responses(Unauthorized, Forbidden, TooManyRequests),
)
def list_api_keys(
    principal: Principal = Depends(admins), session: Session = Depends(db_session)
) -> ApiKeyList:
    """The tenant's keys, revoked and expired ones included, without their secrets."""
    now = utcnow()
    return ApiKeyList(
        keys=[ApiKeyRead.of(k, now) for k in repository.api_keys_of_tenant(session, principal.tenant_id)]
    )


@router.post(
    "",
    operation_id="create_api_key",
    status_code=201,
    response_model=ApiKeyCreated,
    responses=responses(Unauthorized, Forbidden, TooManyRequests),
)
def create_api_key(
    body: ApiKeyCreate, principal: Principal = Depends(admins), session: Session = Depends(db_session)
) -> ApiKeyCreated:
    """Create a key; its plain text is in this answer only."""
    begin_write(session)
    tenant = repository.tenant_of(session, principal)
    now = utcnow()
    key, plaintext = service.create_api_key(
        session,
        tenant=tenant,
        role=body.role,
        subject=body.subject,
        name=body.name,
        expires_at=now + timedelta(days=body.expires_in_days) if body.expires_in_days else None,
        actor=principal.actor,
    )
    result = ApiKeyCreated(key=ApiKeyRead.of(key, now), plaintext=plaintext)
    commit(session)
    return result


@router.post(
    "/{key_id}/rotate",
    operation_id="rotate_api_key",
    status_code=201,
    response_model=ApiKeyCreated,
    responses=responses(Unauthorized, Forbidden, NotFound, Conflict, BadRequest, TooManyRequests),
)
def rotate_api_key(
    key_id: int = KeyId,
    body: ApiKeyRotate | None = Body(None),
    principal: Principal = Depends(admins),
    session: Session = Depends(db_session),
) -> ApiKeyCreated:
    """Replace a key with a new one (same role, person and name).  The old key keeps
    working for ``grace_seconds`` (at most a day) and is revoked after that."""
    begin_write(session)
    key = service.require_api_key(session, tenant_id=principal.tenant_id, key_id=key_id)
    new_key, plaintext = service.rotate_api_key(
        session, key=key, actor=principal.actor, grace_seconds=body.grace_seconds if body else 0
    )
    result = ApiKeyCreated(key=ApiKeyRead.of(new_key, utcnow()), plaintext=plaintext)
    commit(session)
    return result


@router.delete(
    "/{key_id}",
    operation_id="revoke_api_key",
    response_model=ApiKeyRead,
    responses=responses(Unauthorized, Forbidden, NotFound, TooManyRequests),
)
def revoke_api_key(
    key_id: int = KeyId, principal: Principal = Depends(admins), session: Session = Depends(db_session)
) -> ApiKeyRead:
    """Revoke a key now; from then on it gets 401.  Revoking it again changes nothing."""
    begin_write(session)
    key = service.require_api_key(session, tenant_id=principal.tenant_id, key_id=key_id)
    key = service.revoke_api_key(session, key=key, actor=principal.actor)
    result = ApiKeyRead.of(key, utcnow())
    commit(session)
    return result
