"""``uppsikt login-link``: a one-time sign-in link for one person, printed for the operator to send."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from typing import Any


def cmd_login_link(args: argparse.Namespace) -> int:
    from app.db import begin_write, make_engine, make_session_factory, session_scope
    from app.errors import UppsiktError
    from app.logging import configure_logging
    from app.settings import Settings
    from app.web import sessions

    settings = Settings()
    configure_logging(settings.log_level, json=settings.log_json)  # to stderr: stdout is the link
    engine = make_engine(settings)
    try:
        with session_scope(make_session_factory(engine)) as session:
            try:
                begin_write(session)
                _, token = sessions.create_login_link(
                    session,
                    tenant_name=args.tenant,
                    subject=args.subject,
                    role=args.role,
                    ttl=timedelta(seconds=settings.login_link_ttl_s),
                )
                session.commit()
            except UppsiktError as exc:
                print(f"error: {exc.detail}", file=sys.stderr)
                return 2
    finally:
        engine.dispose()
    base = (args.base_url or settings.public_url).rstrip("/")
    print(f"{base}/logga-in/lank/{token}")
    minutes = settings.login_link_ttl_s // 60
    print(f"(valid {minutes} minutes, once; only a hash of it is stored)", file=sys.stderr)
    return 0


def register_cli(subparsers: Any) -> None:
    link = subparsers.add_parser("login-link", help="print a one-time sign-in link for the web inbox")
    link.add_argument("--tenant", required=True)
    link.add_argument("--subject", required=True, help="the person, as on the accounts' owner/editor lists")
    link.add_argument("--role", required=True, choices=["editor", "account_owner", "registrar", "admin"])
    link.add_argument("--base-url", help="the service's address (default: UPPSIKT_PUBLIC_URL)")
    link.set_defaults(fn=cmd_login_link)
