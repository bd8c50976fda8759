"""What a person must do about an account's connection, in Swedish, from its stored health.

One function turns the columns the token check and the outbox keep on an account
(expiry, missing permissions, a problem found, an operator alert) into warnings.
The account register (``GET /v1/accounts``), the metrics and the CLI all use it,
so an account is never healthy in one place and broken in another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.models import Account

FIX = "koppla kontot igen med `uppsikt account connect`"

#: Operator alerts (``Account.platform_alert``) and what the operator must do.
ALERT_TEXT = {
    "linkedin_version_retired": (
        "LinkedIn har slutat stödja API-versionen som Uppsikt använder (HTTP 426): inga åtgärder når "
        "LinkedIn förrän driften sätter UPPSIKT_LINKEDIN_API_VERSION till en aktuell version (ÅÅÅÅMM) "
        "och startar om."
    ),
}

#: ``Account.token_problem`` and what the account's owner must do.
PROBLEM_TEXT = {
    "missing": f"Kontot saknar åtkomsttoken: {FIX}.",
    "invalid": f"Kontots åtkomsttoken är ogiltig eller återkallad: {FIX}.",
    "wrong_account": f"Kontots åtkomsttoken gäller ett annat konto än det här: {FIX}.",
    "undecryptable": (
        "Kontots åtkomsttoken går inte att dekryptera (UPPSIKT_SECRET_KEY har bytts): " + FIX + "."
    ),
    "check_failed": (
        "Kontots åtkomsttoken kunde inte kontrolleras vid senaste försöket; "
        "kör `uppsikt account check-tokens` för orsaken."
    ),
}


@dataclass(frozen=True, slots=True)
class HealthWarning:
    code: str
    text: str


def health_warnings(account: Account, *, now: datetime, expiry_warning_days: int) -> list[HealthWarning]:
    """The account's connection problems, most urgent first."""
    found: list[HealthWarning] = []
    if account.platform_alert:
        text = ALERT_TEXT.get(account.platform_alert, f"Driftlarm: {account.platform_alert}.")
        found.append(HealthWarning(account.platform_alert, text))
    if account.platform == "web":
        return found
    # Only what a check found: an account that was never checked is not called broken.
    if account.token_problem:
        found.append(
            HealthWarning(
                f"token_{account.token_problem}",
                PROBLEM_TEXT.get(account.token_problem, f"Kontots åtkomsttoken: {account.token_problem}."),
            )
        )
    expires = account.token_expires_at
    if expires is not None and account.token_problem not in ("invalid", "missing"):
        day = expires.date().isoformat()
        if expires <= now:
            found.append(HealthWarning("token_expired", f"Kontots åtkomsttoken gick ut {day}: {FIX}."))
        elif expires - now <= timedelta(days=expiry_warning_days):
            found.append(
                HealthWarning(
                    "token_expiring", f"Kontots åtkomsttoken går ut {day}: förnya den före dess ({FIX})."
                )
            )
    if account.token_missing_scopes:
        names = ", ".join(account.token_missing_scopes)
        found.append(
            HealthWarning(
                "token_missing_scopes",
                f"Kontots åtkomsttoken saknar behörigheten {names}: ge appen den och {FIX}.",
            )
        )
    return found
