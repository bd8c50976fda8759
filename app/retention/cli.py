"""``uppsikt retention run [--dry-run] [--tenant NAME]``: culling by hand, report as JSON.

Failures are raised and told in one Swedish line by ``app.cli.main``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def cmd_retention_run(args: argparse.Namespace) -> int:
    from app.db import commit, make_engine, make_session_factory, session_scope
    from app.logging import configure_logging
    from app.models import utcnow
    from app.retention.schedule import retention_guard
    from app.retention.service import run_retention
    from app.settings import Settings
    from app.tenants.service import require_tenant

    settings = Settings()
    configure_logging(settings.log_level, json=settings.log_json)  # to stderr: stdout is the report
    engine = make_engine(settings)
    try:
        with session_scope(make_session_factory(engine)) as session:
            tenant_id = require_tenant(session, args.tenant).id if args.tenant is not None else None
            # A dry run changes nothing, so it needs no guard; a real run must not race the worker's.
            with retention_guard(engine) as acquired:
                if not acquired and not args.dry_run:
                    print("fel: En gallring pågår redan – försök igen om en stund.", file=sys.stderr)
                    return 3
                report = run_retention(
                    session,
                    now=utcnow(),
                    dry_run=args.dry_run,
                    tenant_id=tenant_id,
                    batch_size=args.batch_size,
                    commit=commit,
                    actor="cli:retention",
                )
    finally:
        engine.dispose()
    print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    return 0


def register_cli(subparsers: Any) -> None:
    retention = subparsers.add_parser("retention", help="gallring av kommentarer som inte flaggats")
    actions = retention.add_subparsers(dest="action", required=True)
    run = actions.add_parser("run", help="gallra det inställningarna tillåter; rapport som JSON")
    run.add_argument("--dry-run", action="store_true", help="räkna och logga, ändra ingenting")
    run.add_argument("--tenant", help="bara den här tenanten (namnet)")
    run.add_argument("--batch-size", type=int, default=500, help="kommentarer per transaktion")
    run.set_defaults(fn=cmd_retention_run)
