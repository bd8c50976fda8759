"""Read models of the account register, and the register's warnings.

The warnings name a gap in who is responsible for an account, in Swedish
because the people who must close the gap read them.  Each one comes from the
tenant's own policy (``accounts:`` in its preset or policy file) and quotes
the sentence of the municipality's guideline that asks for it, with its line:
a Malmö tenant is held to Malmö's guideline, not to Helsingborg's.  A policy
that says nothing about accounts gives no warnings.

Connection warnings (a token that expires, lacks a permission or stopped
working, an operator alert) come after them, from ``app.connections.health``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel

from app.connections.health import health_warnings
from app.models import Account
from app.policies import Policy
from app.policies.models import AccountRequirement


class AccountWarning(BaseModel):
    code: str
    text: str
    #: The guideline sentence behind the warning and its line in the policy's source text.
    quote: str | None = None
    source_line: int | None = None


class AccountConnection(BaseModel):
    """How the account is connected, from the latest token check and the outbox."""

    #: The account's own platform API host, when not the service-wide one (Instagram Login).
    api_base: str | None = None
    token_checked_at: datetime | None = None
    token_expires_at: datetime | None = None
    token_missing_scopes: list[str] = []
    #: ``invalid``, ``wrong_account``, ``missing``, ``undecryptable``, ``check_failed`` or none.
    token_problem: str | None = None
    #: Something only the operator can fix, e.g. ``linkedin_version_retired``.
    platform_alert: str | None = None
    #: A throttle paused the account's platform actions until then.
    actions_paused_until: datetime | None = None


class AccountRead(BaseModel):
    id: int
    platform: str
    external_id: str
    display_name: str
    owners: list[str]
    editors: list[str]
    legal_hold: bool
    connection: AccountConnection = AccountConnection()
    warnings: list[AccountWarning]


class AccountRegister(BaseModel):
    accounts: list[AccountRead]
    #: About the list itself, e.g. a key whose person answers for no account (``no_accounts``).
    warnings: list[AccountWarning] = []


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _shortfall(
    requirement: AccountRequirement, owners: set[str], editors: set[str]
) -> tuple[str, str] | None:
    need = requirement.minimum
    if requirement.require == "owner" and len(owners) < need:
        if need == 1:
            return "no_owner", "Kontot saknar kontoansvarig."
        have = _count(len(owners), "kontoansvarig", "kontoansvariga")
        return "no_owner", f"Kontot har {have}, minst {need} krävs."
    if requirement.require == "editors" and len(editors) < need:
        return (
            "too_few_editors",
            f"Kontot har {_count(len(editors), 'redaktör', 'redaktörer')}, minst {need} krävs.",
        )
    people = len(owners | editors)
    if requirement.require == "people" and people < need:
        return (
            "too_few_people",
            f"{_count(people, 'person', 'personer')} ansvarar för kontot, minst {need} krävs "
            "så att någon kan ta över vid frånvaro.",
        )
    return None


def account_warnings(policy: Policy, owners: Sequence[str], editors: Sequence[str]) -> list[AccountWarning]:
    """What ``policy`` asks of an account's people that this account lacks, each citing the guideline."""
    found = []
    for requirement in policy.accounts:
        shortfall = _shortfall(requirement, set(owners), set(editors))
        if shortfall is None:
            continue
        code, text = shortfall
        found.append(
            AccountWarning(
                code=code,
                text=f"{text} Riktlinjen för {policy.municipality}, rad {requirement.source_line}: "
                f"”{requirement.quote}”",
                quote=requirement.quote,
                source_line=requirement.source_line,
            )
        )
    return found


def connection_of(account: Account) -> AccountConnection:
    return AccountConnection(
        api_base=account.api_base,
        token_checked_at=account.token_checked_at,
        token_expires_at=account.token_expires_at,
        token_missing_scopes=list(account.token_missing_scopes or []),
        token_problem=account.token_problem,
        platform_alert=account.platform_alert,
        actions_paused_until=account.actions_paused_until,
    )


def connection_warnings(account: Account, *, now: datetime, expiry_warning_days: int) -> list[AccountWarning]:
    """The account's token and platform problems, as register warnings."""
    return [
        AccountWarning(code=w.code, text=w.text)
        for w in health_warnings(account, now=now, expiry_warning_days=expiry_warning_days)
    ]
