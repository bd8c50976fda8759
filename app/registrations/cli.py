"""``uppsikt registrations``: the registrar's queue from a shell, for a registrar without an API client."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def _run(args: argparse.Namespace, *, write: bool) -> int:
    from app.db import begin_write, make_engine, make_session_factory, session_scope
    from app.principal import Principal
    from app.registrations import service
    from app.settings import Settings
    from app.tenants.service import require_tenant

    settings = Settings()
    engine = make_engine(settings)
    try:
        with session_scope(make_session_factory(engine)) as session:
            if write:
                begin_write(session)
            tenant = require_tenant(session, args.tenant)
            principal = Principal(
                tenant_id=tenant.id, role="admin", subject="cli", key_id=None, account_ids=None
            )
            if args.action == "list":
                page = service.list_page(
                    session, principal=principal, status=args.status, cursor=None, limit=args.limit
                )
                for item in page.items:
                    print(item.model_dump_json())
            elif args.action == "package":
                package = service.package(session, principal=principal, registration_id=args.id)
                out = Path(args.out) if args.out else Path(package.filename)
                out.write_bytes(package.content)
                print(f"Paketet är sparat i {out} ({len(package.content)} byte).")
            else:
                registration = service.register(
                    session,
                    principal=principal,
                    registration_id=args.id,
                    diarienummer=args.diarienummer,
                    default_pattern=settings.diarienummer_pattern,
                )
                session.commit()
                print(f"Registrering {registration.id} är diarieförd som {registration.diarienummer}.")
    finally:
        engine.dispose()
    return 0


def register_cli(subparsers: Any) -> None:
    group = subparsers.add_parser("registrations", help="registratorns kö (diarieföring)")
    actions = group.add_subparsers(dest="action", required=True)

    listing = actions.add_parser("list", help="registreringar att göra, en JSON-rad var, äldst först")
    listing.add_argument("--tenant", required=True, help="tenantens namn")
    listing.add_argument("--status", choices=["pending", "registered"])
    listing.add_argument("--limit", type=int, default=500)
    listing.set_defaults(fn=lambda args: _run(args, write=False))

    package = actions.add_parser("package", help="spara en registrerings paket (zip)")
    package.add_argument("--tenant", required=True, help="tenantens namn")
    package.add_argument("id", type=int, help="registreringens nummer")
    package.add_argument("--out", help="filnamn (standard: registrering-<diarienummer eller nummer>.zip)")
    package.set_defaults(fn=lambda args: _run(args, write=False))

    register = actions.add_parser("register", help="skriv in diarienumret")
    register.add_argument("--tenant", required=True, help="tenantens namn")
    register.add_argument("id", type=int, help="registreringens nummer")
    register.add_argument("diarienummer", help="till exempel 'KS 2026/123'")
    register.set_defaults(fn=lambda args: _run(args, write=True))
