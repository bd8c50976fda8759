"""Read models of the account register, and the register's warnings.

The warnings name a gap in who is responsible for an account, in Swedish
because the people who must close the gap read them.  They come from
municipal guidelines: Helsingborg requires at least two named editors per
account (so the account is watched when one is away), Härjedalen a
responsible manager (kontoansvarig) per account, who decides on police
reports.  Every tenant is warned about both: a gap is worth knowing about
even where the guideline is silent.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

MIN_EDITORS = 2

TOO_FEW_EDITORS = (
    "too_few_editors",
    "Kontot har färre än två redaktörer (Helsingborg kräver minst två namngivna redaktörer).",
)
NO_OWNER = (
    "no_owner",
    "Kontot saknar kontoansvarig (Härjedalen kräver en kontoansvarig chef per konto).",
)


class AccountWarning(BaseModel):
    code: str
    text: str


class AccountRead(BaseModel):
    id: int
    platform: str
    external_id: str
    display_name: str
    owners: list[str]
    editors: list[str]
    legal_hold: bool
    warnings: list[AccountWarning]


class AccountRegister(BaseModel):
    accounts: list[AccountRead]


def account_warnings(owners: Sequence[str], editors: Sequence[str]) -> list[AccountWarning]:
    found = []
    if len(set(editors)) < MIN_EDITORS:
        found.append(TOO_FEW_EDITORS)
    if not owners:
        found.append(NO_OWNER)
    return [AccountWarning(code=code, text=text) for code, text in found]
