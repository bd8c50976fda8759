"""``uppsikt archive``: write an account's archive extract for a period."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.platforms.capabilities import PLATFORMS


def cmd_archive(args: argparse.Namespace) -> int:
    from app.db import begin_write, make_engine, make_session_factory, session_scope
    from app.errors import UppsiktError
    from app.modlog.repository import begin_snapshot
    from app.records.archive import parse_period, record_extract, resolve_account, write_archive
    from app.settings import Settings

    settings = Settings()
    engine = make_engine(settings)
    try:
        with session_scope(make_session_factory(engine)) as session:
            try:
                period = parse_period(args.start, args.end)
                # One consistent view for everything read; the log entry is written afterwards.
                begin_snapshot(session)
                account = resolve_account(session, args.account, args.platform)
                result = write_archive(session, account=account, period=period, out_dir=Path(args.out))
            except UppsiktError as exc:
                print(f"error: {exc.detail}", file=sys.stderr)
                return 2
            session.rollback()
            begin_write(session)
            record_extract(session, result)
            session.commit()
    finally:
        engine.dispose()
    print(
        f"{result.comments} comments written to {result.out_dir}: "
        + ", ".join(f"{name} {digest[:16]}…" for name, digest in sorted(result.sha256.items()))
    )
    return 0


def register_cli(subparsers: Any) -> None:
    archive = subparsers.add_parser(
        "archive",
        help="write an account's archive extract (extract.json, extract.pdf, MANIFEST.sha256)",
        description="Comments first received in the period (Swedish calendar days, both included).",
    )
    archive.add_argument("--account", required=True, help="the account's id or external id")
    archive.add_argument("--platform", choices=list(PLATFORMS))
    archive.add_argument("--from", dest="start", required=True, help="first day, e.g. 2026-01-01")
    archive.add_argument("--to", dest="end", required=True, help="last day, e.g. 2026-06-30")
    archive.add_argument("--out", required=True, help="folder to write to (created if missing)")
    archive.set_defaults(fn=cmd_archive)
