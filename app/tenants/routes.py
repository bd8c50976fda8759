"""The account register (every account of the tenant and who answers for it), and
what the tenant tells the classifier about itself (``/v1/tenant/known-parties``)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from app.auth import Principal, db_session, require_roles
from app.db import begin_write, commit
from app.errors import BadRequest, Forbidden, Unauthorized, responses
from app.tenants.known_parties import KnownParties, KnownPartiesWrite, stored_known_parties
from app.tenants.register import account_register
from app.tenants.repository import tenant_of
from app.tenants.schemas import AccountRegister
from app.tenants.service import set_known_parties

router = APIRouter(prefix="/v1/accounts", tags=["accounts"])
known_parties_router = APIRouter(prefix="/v1/tenant/known-parties", tags=["tenant"])
admins = require_roles("admin")


@router.get(
    "",
    operation_id="list_accounts",
    response_model=AccountRegister,
    responses=responses(Unauthorized, Forbidden),
)
def list_accounts(
    request: Request,
    principal: Principal = Depends(require_roles("registrar", "admin", "account_owner", "editor")),
    session: Session = Depends(db_session),
) -> AccountRegister:
    """The tenant's accounts (an editor or account owner: only their own), with
    owners, editors, legal hold and warnings about missing responsibility, each
    citing the tenant's own guideline, then about its connection (token expiry,
    missing permissions, operator alerts).  A key that sees no account is told why."""
    return account_register(
        session, principal, expiry_warning_days=request.app.state.settings.token_expiry_warning_days
    )


@known_parties_router.get(
    "",
    operation_id="get_known_parties",
    response_model=KnownParties,
    responses=responses(Unauthorized, Forbidden),
)
def get_known_parties(
    principal: Principal = Depends(admins), session: Session = Depends(db_session)
) -> KnownParties:
    """The municipality's own phone numbers and e-mail addresses (never reported as personal
    data) and its public officials (may be named in their role), as the classifier uses them."""
    tenant = tenant_of(session, principal)
    return stored_known_parties(tenant.known_parties)


@known_parties_router.put(
    "",
    operation_id="set_known_parties",
    response_model=KnownParties,
    responses=responses(Unauthorized, Forbidden, BadRequest),
)
def put_known_parties(
    body: KnownPartiesWrite, principal: Principal = Depends(admins), session: Session = Depends(db_session)
) -> KnownParties:
    """Replace the lists; comments assessed from the worker's next batch use them (earlier
    assessments are kept as they were made).  The moderation log records how many, not which."""
    begin_write(session)
    tenant = tenant_of(session, principal)
    known = set_known_parties(session, tenant=tenant, raw=body.model_dump(), actor=principal.actor)
    commit(session)
    return known
