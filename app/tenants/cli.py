"""``uppsikt apikey list|revoke|rotate``: the key lifecycle for operators.

These join the ``apikey`` command that ``app.cli`` defines (with ``create``),
so an operator finds every key command in one place.  Keys are named by
tenant and prefix, the part of a key that may be shown and logged.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from app.cli import _with_session


@_with_session
def cmd_apikey_list(session: Any, args: argparse.Namespace) -> int:
    from app.models import utcnow
    from app.tenants import repository
    from app.tenants.keys import ApiKeyRead
    from app.tenants.service import require_tenant

    tenant = require_tenant(session, args.tenant)
    now = utcnow()
    for key in repository.api_keys_of_tenant(session, tenant.id):
        print(ApiKeyRead.of(key, now).model_dump_json())
    return 0


@_with_session
def cmd_apikey_revoke(session: Any, args: argparse.Namespace) -> int:
    from app.db import begin_write
    from app.tenants.service import require_api_key_by_prefix, require_tenant, revoke_api_key

    begin_write(session)
    tenant = require_tenant(session, args.tenant)
    key = revoke_api_key(
        session, key=require_api_key_by_prefix(session, tenant=tenant, prefix=args.prefix), actor="cli"
    )
    print(
        json.dumps(
            {"prefix": key.prefix, "revoked_at": key.revoked_at.isoformat() if key.revoked_at else None}
        )
    )
    return 0


@_with_session
def cmd_apikey_rotate(session: Any, args: argparse.Namespace) -> int:
    from app.db import begin_write
    from app.tenants.service import require_api_key_by_prefix, require_tenant, rotate_api_key

    begin_write(session)
    tenant = require_tenant(session, args.tenant)
    old = require_api_key_by_prefix(session, tenant=tenant, prefix=args.prefix)
    new, plaintext = rotate_api_key(session, key=old, actor="cli", grace_seconds=args.grace_seconds)
    print(plaintext)
    print(
        f"(nyckel {new.prefix} ersätter {old.prefix}, som slutar fungera "
        f"{old.revoked_at.isoformat() if old.revoked_at else 'nu'}; den nya nyckeln visas bara nu)",
        file=sys.stderr,
    )
    return 0


def register_cli(subparsers: Any) -> None:
    apikey = _subcommands(subparsers.choices["apikey"])

    listing = apikey.add_parser("list", help="tenantens nycklar, utan hemligheter (en JSON-rad per nyckel)")
    listing.add_argument("--tenant", required=True, help="tenantens namn")
    listing.set_defaults(fn=cmd_apikey_list)

    revoke = apikey.add_parser("revoke", help="återkalla en nyckel nu")
    revoke.add_argument("--tenant", required=True, help="tenantens namn")
    revoke.add_argument("--prefix", required=True, help="nyckelns prefix (delen efter 'upk_')")
    revoke.set_defaults(fn=cmd_apikey_revoke)

    rotate = apikey.add_parser("rotate", help="byt ut en nyckel; den nya skrivs ut en enda gång")
    rotate.add_argument("--tenant", required=True, help="tenantens namn")
    rotate.add_argument("--prefix", required=True, help="nyckelns prefix (delen efter 'upk_')")
    rotate.add_argument(
        "--grace-seconds", type=int, default=0, help="hur länge den gamla nyckeln fungerar (högst 86400 s)"
    )
    rotate.set_defaults(fn=cmd_apikey_rotate)


def _subcommands(parser: argparse.ArgumentParser) -> Any:
    """The sub-command table of an existing command (argparse keeps no public handle on it)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise LookupError(f"{parser.prog} has no sub-commands")
