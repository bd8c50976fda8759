"""``uppsikt archive``: write an account's archive extract for a period."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.platforms.capabilities import PLATFORMS


def cmd_archive(args: argparse.Namespace) -> int:
    from app.db import begin_write, make_engine, make_session_factory, session_scope
    from app.modlog.repository import begin_snapshot
    from app.records.archive import parse_period, record_extract, resolve_account, write_archive
    from app.settings import Settings

    settings = Settings()
    engine = make_engine(settings)
    try:
        with session_scope(make_session_factory(engine)) as session:
            period = parse_period(args.start, args.end)
            # One consistent view for everything read; the log entry is written afterwards.
            begin_snapshot(session)
            account = resolve_account(session, args.account, args.platform)
            result = write_archive(session, account=account, period=period, out_dir=Path(args.out))
            session.rollback()
            begin_write(session)
            record_extract(session, result)
            session.commit()
    finally:
        engine.dispose()
    print(
        f"{result.comments} kommentarer skrivna till {result.out_dir}: "
        + ", ".join(f"{name} {digest[:16]}…" for name, digest in sorted(result.sha256.items()))
    )
    return 0


def register_cli(subparsers: Any) -> None:
    archive = subparsers.add_parser(
        "archive",
        help="skriv ett kontos arkivuttag (extract.json, extract.pdf, MANIFEST.sha256)",
        description="Kommentarer som togs emot under perioden (svenska kalenderdagar, båda medräknade).",
    )
    archive.add_argument("--account", required=True, help="kontots id i Uppsikt eller på plattformen")
    archive.add_argument("--platform", choices=list(PLATFORMS), help="plattformen, om id:t finns på flera")
    archive.add_argument("--from", dest="start", required=True, help="första dagen, till exempel 2026-01-01")
    archive.add_argument("--to", dest="end", required=True, help="sista dagen, till exempel 2026-06-30")
    archive.add_argument("--out", required=True, help="mappen att skriva till (skapas om den saknas)")
    archive.set_defaults(fn=cmd_archive)
