"""The registration queue API, for the registrar (registrator) and administrators."""

from __future__ import annotations

from typing import Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.api_types import ResourceId
from app.auth import db_session, require_roles
from app.db import begin_write, commit
from app.errors import BadRequest, Conflict, Forbidden, NotFound, Unauthorized, Unprocessable, responses
from app.principal import Principal
from app.registrations import service
from app.registrations.schemas import RegistrationCreate, RegistrationPage, RegistrationRead

router = APIRouter(prefix="/v1/registrations", tags=["registrations"])

registrars = require_roles("registrar", "admin")


@router.get(
    "",
    operation_id="list_registrations",
    response_model=RegistrationPage,
    responses=responses(BadRequest, Unauthorized, Forbidden),
)
def list_registrations(
    status: Literal["pending", "registered"] | None = Query(None, description="Default: both"),
    cursor: str | None = Query(None, max_length=40),
    limit: int = Query(50, ge=1, le=500),
    principal: Principal = Depends(registrars),
    session: Session = Depends(db_session),
) -> RegistrationPage:
    """Registration requests, oldest first, with what the register needs and cursor pagination."""
    return service.list_page(session, principal=principal, status=status, cursor=cursor, limit=limit)


@router.get(
    "/{registration_id}",
    operation_id="get_registration",
    response_model=RegistrationRead,
    responses=responses(Unauthorized, Forbidden, NotFound),
)
def get_registration(
    registration_id: ResourceId,
    principal: Principal = Depends(registrars),
    session: Session = Depends(db_session),
) -> RegistrationRead:
    return service.view(session, service.get(session, principal, registration_id))


@router.post(
    "/{registration_id}",
    operation_id="register",
    response_model=RegistrationRead,
    responses=responses(Unauthorized, Forbidden, NotFound, Conflict, Unprocessable),
)
def register(
    registration_id: ResourceId,
    body: RegistrationCreate,
    request: Request,
    principal: Principal = Depends(registrars),
    session: Session = Depends(db_session),
) -> RegistrationRead:
    """Record the case number (diarienummer) the register gave; a number is recorded once."""
    begin_write(session)
    registration = service.register(
        session,
        principal=principal,
        registration_id=registration_id,
        diarienummer=body.diarienummer,
        default_pattern=request.app.state.settings.diarienummer_pattern,
    )
    result = service.view(session, registration)
    commit(session)
    return result


@router.get(
    "/{registration_id}/package",
    operation_id="get_registration_package",
    response_class=Response,
    responses={
        200: {
            "description": "A zip: evidence JSON (as stored and canonical), evidence PDF, "
            "metadata.json, metadata.xml and SHA256SUMS.",
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
        },
        **responses(Unauthorized, Forbidden, NotFound),
    },
)
def get_registration_package(
    registration_id: ResourceId,
    principal: Principal = Depends(registrars),
    session: Session = Depends(db_session),
) -> Response:
    """Everything to file for one registration; the same state always gives the same bytes."""
    package = service.package(session, principal=principal, registration_id=registration_id)
    ascii_name = package.filename.encode("ascii", "replace").decode().replace("?", "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(package.filename)}"
    return Response(
        package.content, media_type="application/zip", headers={"Content-Disposition": disposition}
    )
