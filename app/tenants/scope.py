"""Telling an editor or account owner why their lists are empty.

An editor's or account owner's key sees only the accounts its person answers
for.  A key whose person is on no account's list (or that names no person)
sees empty lists everywhere, which looks like "no comments yet".  Every
``/v1/`` response to such a key therefore carries the header
``Uppsikt-Warning: no_accounts``, and the account register says in Swedish
what to do.  The header value is a code, not text: header values are ASCII.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.principal import Principal

HEADER = "Uppsikt-Warning"
NO_ACCOUNTS = "no_accounts"

#: How the header is documented on the API's list and read routes (OpenAPI).
HEADER_DOC: dict[str, Any] = {
    "description": (
        "`no_accounts` when the key's person answers for no account (an editor or account owner "
        "whose person is on no account's list, or a key without a person): every list is empty. "
        "GET /v1/accounts says in `warnings` what to do."
    ),
    "schema": {"type": "string", "enum": [NO_ACCOUNTS]},
}


def sees_no_accounts(principal: Principal) -> bool:
    return principal.account_ids is not None and not principal.account_ids


def no_accounts_text(principal: Principal) -> str:
    """What the key's holder should do, in Swedish."""
    member = "redaktör" if principal.role == "editor" else "kontoansvarig"
    flag = "--editor" if principal.role == "editor" else "--owner"
    if principal.subject is None:
        return (
            f"Nyckeln är inte knuten till någon person, så den ({principal.role}) ser inga konton och alla "
            "listor är tomma: skapa en nyckel med `uppsikt apikey create --subject <personen>`."
        )
    return (
        f"{principal.subject} är inte {member} för något konto, så alla listor är tomma: ange personen "
        f"med {flag} när kontot läggs till (`uppsikt account add`), eller rätta nyckelns --subject."
    )


class NoAccountsHeaderMiddleware:
    """Add ``Uppsikt-Warning: no_accounts`` to ``/v1/`` answers for a key that sees no account.

    The principal is what authentication left in the request's state; a request
    that was never authenticated gets nothing.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith("/v1/"):
            await self.app(scope, receive, send)
            return

        async def send_with_warning(message: Message) -> None:
            if message["type"] == "http.response.start":
                principal = scope.get("state", {}).get("principal")
                if isinstance(principal, Principal) and sees_no_accounts(principal):
                    MutableHeaders(scope=message).append(HEADER, NO_ACCOUNTS)
            await send(message)

        await self.app(scope, receive, send_with_warning)
