"""``uppsikt registrations``: the registrar's queue from a shell, for a registrar without an API client."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def _run(args: argparse.Namespace, *, write: bool) -> int:
    from app.db import begin_write, make_engine, make_session_factory, session_scope
    from app.errors import UppsiktError
    from app.principal import Principal
    from app.registrations import service
    from app.settings import Settings
    from app.tenants.service import require_tenant

    settings = Settings()
    engine = make_engine(settings)
    try:
        with session_scope(make_session_factory(engine)) as session:
            try:
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
                    print(f"{out} ({len(package.content)} bytes)")
                else:
                    registration = service.register(
                        session,
                        principal=principal,
                        registration_id=args.id,
                        diarienummer=args.diarienummer,
                        default_pattern=settings.diarienummer_pattern,
                    )
                    session.commit()
                    print(f"registration {registration.id} registered as {registration.diarienummer}")
            except UppsiktError as exc:
                print(f"error: {exc.detail}", file=sys.stderr)
                return 2
    finally:
        engine.dispose()
    return 0


def register_cli(subparsers: Any) -> None:
    group = subparsers.add_parser("registrations", help="the registrar's queue (diarieföring)")
    actions = group.add_subparsers(dest="action", required=True)

    listing = actions.add_parser("list", help="registration requests as JSON lines, oldest first")
    listing.add_argument("--tenant", required=True)
    listing.add_argument("--status", choices=["pending", "registered"])
    listing.add_argument("--limit", type=int, default=500)
    listing.set_defaults(fn=lambda args: _run(args, write=False))

    package = actions.add_parser("package", help="write a registration's package (zip)")
    package.add_argument("--tenant", required=True)
    package.add_argument("id", type=int)
    package.add_argument("--out", help="file name (default: registrering-<number or id>.zip)")
    package.set_defaults(fn=lambda args: _run(args, write=False))

    register = actions.add_parser("register", help="record the case number (diarienummer)")
    register.add_argument("--tenant", required=True)
    register.add_argument("id", type=int)
    register.add_argument("diarienummer")
    register.set_defaults(fn=lambda args: _run(args, write=True))
