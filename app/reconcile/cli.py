"""``uppsikt reconcile --tenant NAME [--account ID] [--since DATE]``: a run on demand.

The same run as the worker's schedule (``app.reconcile.runner``), for an
operator who knows webhooks were down: it lists, stores what was missing,
edited or deleted in the inbox for the worker, and prints one Swedish line.
Exit 0 when every account was read to the end, 3 when a platform stopped a
run (throttle, quota, token) — the line says why and when to try again.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any


def cmd_reconcile(args: argparse.Namespace) -> int:
    from app.db import make_engine, make_session_factory
    from app.errors import BadRequest, NotFound
    from app.reconcile import repository
    from app.reconcile.runner import ListingClients, reconcile_account
    from app.reconcile.service import POLLED_PLATFORMS, summary_line_sv
    from app.settings import Settings

    since = parse_since(args.since) if args.since else None
    settings = Settings()
    engine = make_engine(settings)
    factory = make_session_factory(engine)
    try:
        with factory() as session:
            tenant = repository.tenant_by_name(session, args.tenant)
            if tenant is None:
                raise NotFound(f"Det finns ingen tenant som heter {args.tenant} (se uppsikt tenant create).")
            accounts = [
                a.id
                for a in repository.accounts_of_tenant(session, tenant.id, POLLED_PLATFORMS)
                if args.account is None or args.account in (str(a.id), a.external_id)
            ]
            session.rollback()
        if not accounts:
            which = (
                f"kontot {args.account}"
                if args.account
                else "inget konto på Facebook, Instagram, LinkedIn eller YouTube"
            )
            raise BadRequest(f"Tenanten {args.tenant} har {which} att stämma av; se uppsikt account add.")
        clients = ListingClients(settings, factory)
        try:
            summaries = [
                reconcile_account(
                    factory, settings, clients, account_id=a, since=since, actor="cli:reconcile"
                )
                for a in accounts
            ]
        finally:
            clients.close()
    finally:
        engine.dispose()
    print(summary_line_sv(args.tenant, summaries))
    return 3 if any(s.stopped is not None for s in summaries) else 0


def parse_since(value: str) -> datetime:
    from app.errors import BadRequest

    try:
        day = datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        raise BadRequest("--since ska vara ett datum, t.ex. 2026-11-30.") from None
    return day.replace(tzinfo=UTC)


def register_cli(subparsers: Any) -> None:
    reconcile = subparsers.add_parser(
        "reconcile",
        help="stäm av konton mot plattformen och fyll i det webhookarna missat",
    )
    reconcile.add_argument("--tenant", required=True, help="tenantens namn")
    reconcile.add_argument("--account", help="bara detta konto (id eller plattformens id)")
    reconcile.add_argument(
        "--since", help="läs inlägg från och med detta datum (UTC), t.ex. 2026-11-30; standard: inställningen"
    )
    reconcile.set_defaults(fn=cmd_reconcile)
