"""The account register: every account of the tenant and who answers for it."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.auth import Principal, db_session, require_roles
from app.errors import Forbidden, Unauthorized, responses
from app.tenants import repository
from app.tenants.schemas import AccountRead, AccountRegister, account_warnings

router = APIRouter(prefix="/v1/accounts", tags=["accounts"])


@router.get(
    "",
    operation_id="list_accounts",
    response_model=AccountRegister,
    responses=responses(Unauthorized, Forbidden),
)
def list_accounts(
    principal: Principal = Depends(require_roles("registrar", "admin", "account_owner", "editor")),
    session: Session = Depends(db_session),
) -> AccountRegister:
    """The tenant's accounts (an editor or account owner: only their own), with
    owners, editors, legal hold and warnings about missing responsibility."""
    accounts = [
        a
        for a in repository.accounts_of_tenant(session, principal.tenant_id)
        if principal.may_see_account(a.id)
    ]
    owners: dict[int, list[str]] = {a.id: [] for a in accounts}
    editors: dict[int, list[str]] = {a.id: [] for a in accounts}
    for member in repository.members_of_accounts(session, list(owners)):
        (owners if member.role == "owner" else editors)[member.account_id].append(member.subject)
    return AccountRegister(
        accounts=[
            AccountRead(
                id=a.id,
                platform=a.platform,
                external_id=a.external_id,
                display_name=a.display_name,
                owners=owners[a.id],
                editors=editors[a.id],
                legal_hold=a.legal_hold,
                warnings=account_warnings(owners[a.id], editors[a.id]),
            )
            for a in accounts
        ]
    )
