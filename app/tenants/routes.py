"""The account register: every account of the tenant and who answers for it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from app.auth import Principal, db_session, require_roles
from app.errors import Forbidden, Unauthorized, responses
from app.tenants.register import account_register
from app.tenants.schemas import AccountRegister

router = APIRouter(prefix="/v1/accounts", tags=["accounts"])


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
