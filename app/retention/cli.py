"""``uppsikt retention run [--dry-run] [--tenant NAME]``: culling by hand, report as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def cmd_retention_run(args: argparse.Namespace) -> int:
    from app.db import commit, make_engine, make_session_factory, session_scope
    from app.errors import UppsiktError
    from app.logging import configure_logging
    from app.models import utcnow
    from app.retention import repository
    from app.retention.schedule import retention_guard
    from app.retention.service import run_retention
    from app.settings import Settings

    settings = Settings()
    configure_logging(settings.log_level, json=settings.log_json)  # to stderr: stdout is the report
    engine = make_engine(settings)
    try:
        with session_scope(make_session_factory(engine)) as session:
            tenant_id = None
            if args.tenant is not None:
                tenant = repository.tenant_by_name(session, args.tenant)
                if tenant is None:
                    print(f"error: no tenant named {args.tenant}", file=sys.stderr)
                    return 2
                tenant_id = tenant.id
            # A dry run changes nothing, so it needs no guard; a real run must not race the worker's.
            with retention_guard(engine) as acquired:
                if not acquired and not args.dry_run:
                    print("error: a culling run is in progress; try again later", file=sys.stderr)
                    return 3
                try:
                    report = run_retention(
                        session,
                        now=utcnow(),
                        dry_run=args.dry_run,
                        tenant_id=tenant_id,
                        batch_size=args.batch_size,
                        commit=commit,
                        actor="cli:retention",
                    )
                except UppsiktError as exc:
                    print(f"error: {exc.detail}", file=sys.stderr)
                    return 2
    finally:
        engine.dispose()
    print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    return 0


def register_cli(subparsers: Any) -> None:
    retention = subparsers.add_parser("retention", help="culling (gallring) of unflagged comments")
    actions = retention.add_subparsers(dest="action", required=True)
    run = actions.add_parser("run", help="cull what the retention settings allow; prints the report as JSON")
    run.add_argument("--dry-run", action="store_true", help="count and log, change nothing")
    run.add_argument("--tenant", help="only this tenant (by name)")
    run.add_argument("--batch-size", type=int, default=500, help="comments per transaction")
    run.set_defaults(fn=cmd_retention_run)
