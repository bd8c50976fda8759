"""``/v1/destinations``: where forwards, registration requests and alerts go (admins)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Request
from sqlalchemy.orm import Session

from app.auth import db_session, require_roles
from app.crypto import TokenCipher
from app.db import begin_write, commit
from app.destinations import repository, service
from app.destinations.schemas import DestinationCreate, DestinationList, DestinationRead
from app.errors import BadRequest, Conflict, Forbidden, NotFound, Unauthorized, Unprocessable, responses
from app.principal import Principal
from app.tenants.repository import tenant_of

router = APIRouter(prefix="/v1/destinations", tags=["destinations"])
admins = require_roles("admin")
DestinationId = Path(ge=1, le=2**31 - 1)


def _read(o: service.Overview) -> DestinationRead:
    d = o.destination
    return DestinationRead(
        id=d.id,
        name=d.name,
        kind=d.kind,
        address=d.address,
        has_secret=d.secret_ciphertext is not None,
        registrar=o.registrar,
        created_at=d.created_at,
        pending=o.pending,
        failed=o.failed,
        last_error=o.last_error,
    )


@router.get(
    "",
    operation_id="list_destinations",
    response_model=DestinationList,
    responses=responses(Unauthorized, Forbidden),
)
def list_destinations(
    principal: Principal = Depends(admins), session: Session = Depends(db_session)
) -> DestinationList:
    """The tenant's destinations with what is waiting and what failed, never a secret."""
    return DestinationList(
        destinations=[_read(o) for o in service.overview(session, tenant=tenant_of(session, principal))]
    )


@router.post(
    "",
    operation_id="create_destination",
    status_code=201,
    response_model=DestinationRead,
    responses=responses(Unauthorized, Forbidden, Conflict, Unprocessable, BadRequest),
)
def create_destination(
    body: DestinationCreate,
    request: Request,
    principal: Principal = Depends(admins),
    session: Session = Depends(db_session),
) -> DestinationRead:
    """Add a mailbox, a signed webhook or a Teams/Slack channel; the secret is stored encrypted."""
    begin_write(session)
    tenant = tenant_of(session, principal)
    destination = service.add_destination(
        session,
        tenant=tenant,
        name=body.name,
        kind=body.kind,
        address=body.address,
        secret=body.secret,
        registrar=body.registrar,
        cipher=TokenCipher(request.app.state.settings),
        actor=principal.actor,
    )
    result = DestinationRead(
        id=destination.id,
        name=destination.name,
        kind=destination.kind,
        address=destination.address,
        has_secret=destination.secret_ciphertext is not None,
        registrar=body.registrar,
        created_at=destination.created_at,
        pending=0,
        failed=0,
        last_error=None,
    )
    commit(session)
    return result


@router.delete(
    "/{destination_id}",
    operation_id="delete_destination",
    status_code=204,
    responses=responses(Unauthorized, Forbidden, NotFound),
)
def delete_destination(
    destination_id: int = DestinationId,
    principal: Principal = Depends(admins),
    session: Session = Depends(db_session),
) -> None:
    """Remove a destination; messages still owed to it show as failed."""
    begin_write(session)
    tenant = tenant_of(session, principal)
    destination = repository.in_tenant(session, tenant.id, destination_id)
    if destination is None:
        raise NotFound("No such destination.")
    service.remove_destination(session, tenant=tenant, destination=destination, actor=principal.actor)
    commit(session)
