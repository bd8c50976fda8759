"""``uppsikt destination add|list|remove``: where forwards, registration requests and alerts go.

A webhook's signing secret is read from standard input, never from the
command line, where it would end up in the shell history and the process list.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from app.cli import _with_session


@_with_session
def cmd_destination_add(session: Any, args: argparse.Namespace) -> int:
    from app.crypto import TokenCipher
    from app.db import begin_write
    from app.destinations.service import add_destination
    from app.settings import Settings
    from app.tenants.service import require_tenant

    if args.email:
        kind, address, secret = "email", args.email, None
    else:
        kind, address = args.kind or "webhook", args.webhook
        secret = sys.stdin.read().strip() if kind == "webhook" else None
    begin_write(session)
    tenant = require_tenant(session, args.tenant)
    destination = add_destination(
        session,
        tenant=tenant,
        name=args.name,
        kind=kind,
        address=address,
        secret=secret,
        registrar=args.registrar,
        cipher=TokenCipher(Settings()),
        actor="cli",
    )
    session.commit()
    note = " (registrator)" if args.registrar else ""
    print(f"Mottagaren {destination.name!r} ({kind}) är tillagd{note}.")
    return 0


@_with_session
def cmd_destination_list(session: Any, args: argparse.Namespace) -> int:
    from app.destinations.service import overview
    from app.tenants.service import require_tenant

    tenant = require_tenant(session, args.tenant)
    for o in overview(session, tenant=tenant):
        d = o.destination
        print(
            json.dumps(
                {
                    "name": d.name,
                    "kind": d.kind,
                    "address": d.address,
                    "registrar": o.registrar,
                    "pending": o.pending,
                    "failed": o.failed,
                    "last_error": o.last_error,
                },
                ensure_ascii=False,
            )
        )
    return 0


@_with_session
def cmd_destination_remove(session: Any, args: argparse.Namespace) -> int:
    from app.db import begin_write
    from app.destinations.service import remove_destination, require_destination
    from app.tenants.service import require_tenant

    begin_write(session)
    tenant = require_tenant(session, args.tenant)
    destination = require_destination(session, tenant_id=tenant.id, name=args.name)
    failed = remove_destination(session, tenant=tenant, destination=destination, actor="cli")
    session.commit()
    extra = f"; {failed} osända meddelanden markerades som misslyckade" if failed else ""
    print(f"Mottagaren {args.name!r} är borttagen{extra}.")
    return 0


def register_cli(subparsers: Any) -> None:
    destination = subparsers.add_parser("destination", help="mottagare av vidarebefordringar och aviseringar")
    commands = destination.add_subparsers(dest="destination_command", required=True)

    add = commands.add_parser(
        "add", help="lägg till en mottagare; en webhooks hemlighet (whsec_…) läses från standard in"
    )
    add.add_argument("--tenant", required=True, help="tenantens namn")
    add.add_argument("--name", required=True, help="mottagarens namn, t.ex. Socialtjänsten")
    where = add.add_mutually_exclusive_group(required=True)
    where.add_argument("--email", help="e-postadress, t.ex. registrator@kommun.se")
    where.add_argument("--webhook", help="https-URL som tar emot signerade webhooks")
    add.add_argument(
        "--kind",
        choices=["webhook", "teams", "slack"],
        help="för --webhook: webhook (signerad, standard), teams eller slack",
    )
    add.add_argument("--registrar", action="store_true", help="registreringsbegäranden går hit")
    add.set_defaults(fn=cmd_destination_add)

    listing = commands.add_parser("list", help="tenantens mottagare (en JSON-rad per mottagare)")
    listing.add_argument("--tenant", required=True, help="tenantens namn")
    listing.set_defaults(fn=cmd_destination_list)

    remove = commands.add_parser("remove", help="ta bort en mottagare")
    remove.add_argument("--tenant", required=True, help="tenantens namn")
    remove.add_argument("--name", required=True, help="mottagarens namn")
    remove.set_defaults(fn=cmd_destination_remove)
