"""``uppsikt login-link``: a one-time sign-in link for one person, printed for the operator to send."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from typing import Any


def cmd_login_link(args: argparse.Namespace) -> int:
    from app.db import begin_write, make_engine, make_session_factory, session_scope
    from app.logging import configure_logging
    from app.settings import Settings
    from app.web import sessions

    settings = Settings()
    configure_logging(settings.log_level, json=settings.log_json)  # to stderr: stdout is the link
    engine = make_engine(settings)
    try:
        with session_scope(make_session_factory(engine)) as session:
            begin_write(session)
            _, token = sessions.create_login_link(
                session,
                tenant_name=args.tenant,
                subject=args.subject,
                role=args.role,
                ttl=timedelta(seconds=settings.login_link_ttl_s),
            )
            session.commit()
    finally:
        engine.dispose()
    base = (args.base_url or settings.public_url).rstrip("/")
    print(f"{base}/logga-in/lank/{token}")
    minutes = settings.login_link_ttl_s // 60
    print(f"(gäller en gång i {minutes} minuter; bara ett hashvärde av länken sparas)", file=sys.stderr)
    return 0


def register_cli(subparsers: Any) -> None:
    link = subparsers.add_parser("login-link", help="skriv ut en inloggningslänk till webbinkorgen (en gång)")
    link.add_argument("--tenant", required=True, help="tenantens namn")
    link.add_argument("--subject", required=True, help="personen, som på kontonas listor över ansvariga")
    link.add_argument("--role", required=True, choices=["editor", "account_owner", "registrar", "admin"])
    link.add_argument("--base-url", help="tjänstens adress (standard: UPPSIKT_PUBLIC_URL)")
    link.set_defaults(fn=cmd_login_link)
