"""The account register as a person may see it: for the API and the web page alike."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.models import utcnow
from app.policies.effective import effective_policy
from app.principal import Principal
from app.tenants import repository
from app.tenants.schemas import (
    AccountRead,
    AccountRegister,
    AccountWarning,
    account_warnings,
    connection_of,
    connection_warnings,
)
from app.tenants.scope import NO_ACCOUNTS, no_accounts_text, sees_no_accounts


def account_register(session: Session, principal: Principal, *, expiry_warning_days: int) -> AccountRegister:
    """The tenant's accounts (an editor or account owner: only their own) with their people
    and the gaps the tenant's own guideline names, then their connection's health (token
    expiry, missing permissions, operator alerts); a person who sees no account is told why."""
    now = utcnow()
    tenant = repository.tenant_of(session, principal)
    policy = effective_policy(tenant)
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
                connection=connection_of(a),
                warnings=[
                    *account_warnings(policy, owners[a.id], editors[a.id]),
                    *connection_warnings(a, now=now, expiry_warning_days=expiry_warning_days),
                ],
            )
            for a in accounts
        ],
        warnings=(
            [AccountWarning(code=NO_ACCOUNTS, text=no_accounts_text(principal))]
            if sees_no_accounts(principal)
            else []
        ),
    )
