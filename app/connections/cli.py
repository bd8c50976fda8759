"""``uppsikt account connect`` and ``uppsikt account check-tokens``.

They join the ``account`` command of ``app.cli``.  The token is read from
standard input, never from the command line (where ``ps`` and the shell's
history would show it).  Each step prints one Swedish line; a failure ends
the command with one ``fel: …`` line that says what to fix.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import sessionmaker

from app.cli import _settings
from app.settings import Settings
from app.unit_of_work import UnitOfWork

PLATFORMS = ("facebook", "instagram", "linkedin")


@contextmanager
def _database(settings: Settings) -> Iterator[sessionmaker[UnitOfWork]]:
    """A session factory whose connections are closed when the command ends."""
    from app.db import make_engine, make_session_factory

    engine = make_engine(settings)
    try:
        yield make_session_factory(engine)
    finally:
        engine.dispose()


def _say(line: str) -> None:
    print(line, flush=True)


def _read_token() -> str:
    from app.errors import BadRequest

    token = sys.stdin.readline().strip()
    if not token:
        raise BadRequest(
            "Ge token på standard in, t.ex. `uppsikt account connect … < token.txt` (aldrig som argument)."
        )
    return token


def cmd_account_connect(args: argparse.Namespace) -> int:
    from app.crypto import TokenCipher
    from app.errors import BadRequest

    settings = _settings()
    cipher = TokenCipher(settings)
    cipher.encrypt("check")  # UPPSIKT_SECRET_KEY must be set before anything is asked of a platform
    if args.platform == "linkedin" and not args.organization:
        raise BadRequest("Ange organisationen med --organization urn:li:organization:<nummer>.")
    if args.platform != "linkedin" and args.organization:
        raise BadRequest("--organization gäller bara LinkedIn; ange en Facebooksida med --page ID.")
    token = _read_token()
    with _database(settings) as factory:
        account_id = _connect(args, settings, factory, cipher, token)
    _say(
        f"Klart: kontot {account_id} är kopplat. Kontrollera tokens framöver med "
        "`uppsikt account check-tokens`."
    )
    return 0


def _connect(
    args: argparse.Namespace, settings: Settings, factory: sessionmaker[UnitOfWork], cipher: Any, token: str
) -> int:
    from app.connections import service
    from app.db import begin_write, session_scope
    from app.tenants.service import require_tenant

    with session_scope(factory) as session:
        tenant_name = require_tenant(session, args.tenant).name
    clients = service.PlatformClients(settings)
    try:
        if args.platform == "facebook":
            found = service.find_facebook(clients, user_token=token, page_id=args.page, say=_say)
        elif args.platform == "instagram":
            found = service.find_instagram(
                clients, token=token, page_id=args.page, instagram_login=args.instagram_login, say=_say
            )
        else:
            found = service.find_linkedin(clients, token=token, organization=args.organization, say=_say)
        with session_scope(factory) as session:
            begin_write(session)
            account = service.store(
                session,
                tenant=require_tenant(session, tenant_name),
                found=found,
                cipher=cipher,
                display_name=args.name,
                owner=args.owner,
                editors=args.editor or [],
                actor="cli",
                say=_say,
            )
            session.commit()
            account_id = account.id
        service.subscribe(clients, found=found, say=_say)
        [(_, health)] = service.check_accounts(
            factory, [account_id], clients=clients, cipher=cipher, actor="cli"
        )
        for line in _health_lines(health):
            _say(line)
    finally:
        clients.close()
    return account_id


def cmd_account_check_tokens(args: argparse.Namespace) -> int:
    from app.connections import repository, service
    from app.crypto import TokenCipher
    from app.db import session_scope
    from app.tenants.service import require_tenant

    settings = _settings()
    with _database(settings) as factory:
        with session_scope(factory) as session:
            tenant = require_tenant(session, args.tenant)
            ids = repository.account_ids_of_tenant(session, tenant.id)
        if not ids:
            _say(f"Tenanten {args.tenant} har inga konton att kontrollera.")
            return 0
        clients = service.PlatformClients(settings)
        try:
            results = service.check_accounts(
                factory, ids, clients=clients, cipher=TokenCipher(settings), actor="cli"
            )
        finally:
            clients.close()
    troubled = 0
    for account, health in results:
        lines = _health_lines(health)
        troubled += any(not line.startswith("Token fungerar") for line in lines)
        for line in lines:
            _say(f"{account.platform} {account.external_id} ({account.display_name}): {line}")
    return 1 if troubled else 0


def _health_lines(health: Any) -> list[str]:
    """The check's findings for people, one line each; a healthy token gets one line too."""
    from app.connections.health import PROBLEM_TEXT

    lines = []
    if health.problem:
        line = PROBLEM_TEXT.get(health.problem, health.problem)
        lines.append(f"{line} {health.note}" if health.note else line)
    if health.missing_scopes:
        lines.append(
            f"Token saknar behörigheten {', '.join(health.missing_scopes)}: "
            "ge appen den och koppla kontot igen."
        )
    if not lines:
        expiry = (
            "går inte ut" if health.expires_at is None else f"går ut {health.expires_at.date().isoformat()}"
        )
        lines.append(f"Token fungerar och har behörigheterna Uppsikt behöver ({expiry}).")
    return lines


def register_cli(subparsers: Any) -> None:
    account = _subcommands(subparsers.choices["account"])

    connect = account.add_parser(
        "connect",
        help="koppla en sida, ett Instagramkonto eller en organisation; token läses från standard in",
    )
    connect.add_argument("--tenant", required=True, help="tenantens namn")
    connect.add_argument("--platform", required=True, choices=PLATFORMS)
    connect.add_argument("--page", help="Facebooksidans id (Facebook, och Instagram kopplat till en sida)")
    connect.add_argument("--organization", help="LinkedIn-organisationens URN, urn:li:organization:<nummer>")
    connect.add_argument(
        "--instagram-login",
        action="store_true",
        help="token kommer från Instagram-inloggning (graph.instagram.com), inte från en Facebooksida",
    )
    connect.add_argument("--name", help="kontots namn som det visas (annars plattformens)")
    connect.add_argument("--owner", help="kontoansvarig, när kontot läggs till")
    connect.add_argument(
        "--editor", action="append", help="redaktör, när kontot läggs till; en gång per person"
    )
    connect.set_defaults(fn=cmd_account_connect)

    check = account.add_parser("check-tokens", help="kontrollera tenantens tokens hos plattformarna nu")
    check.add_argument("--tenant", required=True, help="tenantens namn")
    check.set_defaults(fn=cmd_account_check_tokens)


def _subcommands(parser: argparse.ArgumentParser) -> Any:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise LookupError(f"{parser.prog} has no sub-commands")
