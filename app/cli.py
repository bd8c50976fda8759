"""The ``uppsikt`` command line.

Texts people read are Swedish; command and flag names stay English.  Every
failure ends in one place, :func:`main`, which turns the service's errors and
the operational failures an operator meets first (a database that is not
migrated, a URL that cannot be parsed, a server that does not answer) into one
Swedish line on standard error that says what to do, and exit code 2 (1 for
the unexpected).  The full traceback only with ``uppsikt --debug <command>``.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from app.platforms.capabilities import PLATFORMS

#: Exit codes: 2 for what the operator can fix (settings, database, input), 1 for the unexpected.
EXIT_FIXABLE = 2
EXIT_UNEXPECTED = 1


def _settings():
    from app.settings import Settings

    return Settings()


def _session_factory(settings):
    from app.db import make_engine, make_session_factory

    return make_session_factory(make_engine(settings))


def cmd_migrate(args: argparse.Namespace) -> int:
    from app import schema
    from app.operations.startup import safe_url

    settings = _settings()
    schema.upgrade(settings.database_url)
    print(f"Databasen {safe_url(settings.database_url)} har det senaste schemat ({schema.head_revision()}).")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app import schema
    from app.logging import configure_logging, get_logger
    from app.main import create_app
    from app.operations.startup import check_database, warn_missing_secrets

    settings = _settings()
    if not args.demo:
        # Refuse to start on a database that is missing or not at head: every request
        # would answer 503 and the in-process worker would fail ten times a second.
        check_database(settings)
    else:
        from datetime import timedelta

        from app import demo

        updates: dict[str, object] = {}
        if not settings.meta_secrets:
            updates["meta_app_secrets"] = SecretStr(demo.DEMO_META_SECRET)
        if not settings.meta_verify_token.get_secret_value():
            updates["meta_verify_token"] = SecretStr(demo.DEMO_VERIFY_TOKEN)
        settings = settings.model_copy(update=updates)
        schema.upgrade(settings.database_url)
        from app.db import session_scope

        with session_scope(_session_factory(settings)) as session:
            editor_key, registrar_key = demo.ensure_demo(session)
            links = demo.sign_in_links(session, ttl=timedelta(seconds=settings.login_link_ttl_s))
            session.commit()
        base = f"http://{args.host}:{args.port}"
        width = max(len(who) for who, _ in links) + 1
        sign_ins = "".join(f"  {who + ':':<{width}} {base}/logga-in/lank/{token}\n" for who, token in links)
        print(
            "\nUppsikts demo startar på " + base + "\n"
            f"  demotenant 'demo', Facebooksida {demo.DEMO_PAGE_ID} ('Demo kommun')\n\n"
            "Logga in i webbinkorgen "
            f"(varje länk gäller en gång i {settings.login_link_ttl_s // 60} minuter):\n"
            + sign_ins
            + "\nAPI-nycklar (för curl och egna program):\n"
            f"  redaktörsnyckel:   {editor_key}\n"
            f"  registratorsnyckel: {registrar_key}\n\n"
            "Skicka en signerad exempelkommentar (i en annan terminal):\n"
            f"  .venv/bin/uppsikt sample-delivery --url {base} --secret {demo.DEMO_META_SECRET}\n"
            "Läs sedan tillbaka den:\n"
            f"  curl -H 'Authorization: Bearer {editor_key}' {base}/v1/comments\n",
            flush=True,
        )
    configure_logging(settings.log_level, json=settings.log_json)
    warn_missing_secrets(settings, get_logger("app.startup"))
    from app.assessment.remote import RemoteModelConfig

    RemoteModelConfig.from_settings(settings)  # a wrong category stops the start, not the worker later
    from app.runtime import freeze_long_lived_objects

    app = create_app(settings, on_started=freeze_long_lived_objects)
    uvicorn.run(app, host=args.host, port=args.port, log_config=None, access_log=False)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from app.logging import configure_logging, get_logger
    from app.operations.startup import warn_missing_secrets
    from app.runtime import lower_priority
    from app.worker.process import WorkerProcess

    settings = _settings()
    configure_logging(settings.log_level, json=settings.log_json)
    # The worker does not check signatures; it needs only the key for platform tokens.
    warn_missing_secrets(settings, get_logger("app.startup"), only={"UPPSIKT_SECRET_KEY"})
    get_logger("app.cli").info("worker.priority", nice=lower_priority(settings.worker_nice))
    worker = WorkerProcess(settings)
    if args.until_idle:
        drained = worker.drain()
        print(json.dumps({"processed": drained.deliveries, "actions": drained.actions}))
        return 0
    worker.run(wake_on_stdin=args.wake_on_stdin)
    return 0


def cmd_openapi(args: argparse.Namespace) -> int:
    from app.openapi import openapi_yaml

    text = openapi_yaml()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _with_session(fn):
    """Run ``fn(session, args)`` and commit; an error rolls back and reaches :func:`main`."""

    def run(args: argparse.Namespace) -> int:
        from app.db import session_scope

        with session_scope(_session_factory(_settings())) as session:
            code: int = fn(session, args)
            session.commit()
            return code

    return run


@_with_session
def cmd_tenant_create(session, args: argparse.Namespace) -> int:
    from app.tenants.service import create_tenant

    tenant = create_tenant(session, name=args.name, preset=args.preset)
    print(f"Tenanten {tenant.name} är skapad (id {tenant.id}, förval {tenant.preset}).")
    return 0


@_with_session
def cmd_tenant_set_policy(session, args: argparse.Namespace) -> int:
    """Replace the tenant's rule overrides (a YAML list), validated against its preset first."""
    import yaml

    from app.errors import BadRequest
    from app.modlog.service import record
    from app.policies import PolicyFileError, apply_overrides
    from app.policies.effective import base_policy, load_policies
    from app.tenants.service import require_tenant

    tenant = require_tenant(session, args.name)
    path = Path(args.overrides)
    try:
        overrides = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(overrides, list):
            raise PolicyFileError(f"{path.name}: måste vara en lista med regeländringar")
        load_policies(_settings().policy_dir)
        apply_overrides(base_policy(tenant.preset), overrides, label=path.name)
    except OSError as exc:
        raise BadRequest(f"Kan inte läsa {path}: {exc.strerror or exc}.") from None
    except (yaml.YAMLError, PolicyFileError) as exc:
        raise BadRequest(" ".join(str(exc).split())) from None
    tenant.policy_overrides = overrides
    record(
        session,
        tenant_id=tenant.id,
        actor="cli",
        action="tenant.policy_overridden",
        subject_type="tenant",
        subject_id=tenant.id,
        payload={"rules": [o.get("id") for o in overrides if isinstance(o, dict)]},
    )
    print(f"{len(overrides)} regeländringar gäller nu för {tenant.name} (förval {tenant.preset}).")
    return 0


@_with_session
def cmd_tenant_set_known_parties(session, args: argparse.Namespace) -> int:
    """Replace the municipality's own phone numbers, e-mail addresses and public officials."""
    from app.errors import BadRequest
    from app.tenants.service import require_tenant, set_known_parties

    tenant = require_tenant(session, args.name)
    officials = list(args.official or [])
    if args.officials_file:
        path = Path(args.officials_file)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or exc
            raise BadRequest(f"Kan inte läsa {path} som UTF-8-text: {reason}.") from None
        officials += [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]
    known = set_known_parties(
        session,
        tenant=tenant,
        raw={"phones": args.phone or [], "emails": args.email or [], "public_officials": officials},
        actor="cli",
    )
    print(
        f"{tenant.name}: {len(known.phones)} egna telefonnummer, {len(known.emails)} egna e-postadresser "
        f"och {len(known.public_officials)} offentliga företrädare gäller från arbetarens nästa omgång."
    )
    return 0


@_with_session
def cmd_account_add(session, args: argparse.Namespace) -> int:
    from app.tenants.service import add_account, require_tenant

    account = add_account(
        session,
        tenant=require_tenant(session, args.tenant),
        platform=args.platform,
        external_id=args.external_id,
        display_name=args.name,
        owner=args.owner,
        editors=args.editor or [],
    )
    print(f"Kontot {account.id} är tillagt: {account.platform} {account.external_id}.")
    return 0


@_with_session
def cmd_account_set_token(session, args: argparse.Namespace) -> int:
    from app.crypto import TokenCipher
    from app.errors import BadRequest, NotFound
    from app.modlog.service import record
    from app.tenants.repository import account_by_external_id_in_tenant
    from app.tenants.service import require_tenant

    tenant = require_tenant(session, args.tenant)
    account = account_by_external_id_in_tenant(session, tenant.id, args.external_id)
    if account is None:
        raise NotFound(f"Tenanten {args.tenant} har inget konto {args.external_id}.")
    token = sys.stdin.readline().strip()
    if not token:
        raise BadRequest("Ge åtkomsttoken på standard in, t.ex. `uppsikt account set-token … < token.txt`.")
    account.access_token_ciphertext = TokenCipher(_settings()).encrypt(token)
    record(
        session,
        tenant_id=tenant.id,
        actor="cli",
        action="account.token_set",
        subject_type="account",
        subject_id=account.id,
        account_id=account.id,
        payload={},
    )
    print(f"Token sparad (krypterad) för konto {account.id}.")
    return 0


@_with_session
def cmd_apikey_create(session, args: argparse.Namespace) -> int:
    from app.tenants.service import create_api_key, require_tenant

    key, plaintext = create_api_key(
        session,
        tenant=require_tenant(session, args.tenant),
        role=args.role,
        subject=args.subject,
        name=args.name or "",
    )
    print(plaintext)
    print(f"(nyckel {key.prefix}, roll {key.role}; den visas bara nu)", file=sys.stderr)
    return 0


@_with_session
def cmd_inbox_failed(session, args: argparse.Namespace) -> int:
    from app.webhooks import repository

    rows = repository.failed(session, limit=args.limit)
    for row in rows:
        print(
            json.dumps(
                {
                    "id": row.id,
                    "source": row.source,
                    "received_at": row.received_at.isoformat(),
                    "attempts": row.attempts,
                    "error": row.last_error,
                    "sha256": row.body_sha256,
                }
            )
        )
    print(f"{len(rows)} misslyckade leveranser", file=sys.stderr)
    return 0


@_with_session
def cmd_inbox_retry(session, args: argparse.Namespace) -> int:
    from app.errors import NotFound
    from app.models import utcnow
    from app.webhooks import repository

    row = repository.by_id(session, args.id)
    if row is None or row.status != "failed":
        raise NotFound(f"Det finns ingen misslyckad leverans med id {args.id}; se `uppsikt inbox failed`.")
    row.status, row.attempts, row.next_attempt_at, row.handled_at = "pending", 0, utcnow(), None
    print(f"Leverans {row.id} ligger i kön igen.")
    return 0


def cmd_sample_delivery(args: argparse.Namespace) -> int:
    """Send a signed sample comment, but only for a Page some tenant has.

    A delivery for an unknown Page is stored and answered 200 (a platform must
    not be told which Pages exist) and then ignored, so the check is made here,
    in the same database as the server's (``UPPSIKT_DATABASE_URL``).
    """
    import httpx

    from app import demo
    from app.db import session_scope
    from app.errors import NotFound
    from app.operations.startup import check_database, safe_url
    from app.tenants.repository import account_by_platform_id

    settings = _settings()
    check_database(settings)
    with session_scope(_session_factory(settings)) as session:
        account = account_by_platform_id(session, "facebook", args.page_id)
    if account is None:
        raise NotFound(
            f"Facebooksidan {args.page_id} hör inte till någon tenant i {safe_url(settings.database_url)}, "
            "så leveransen skulle tas emot men aldrig behandlas: lägg till sidan med `uppsikt account add "
            f"--tenant <tenant> --platform facebook --external-id {args.page_id} --name <namn>` "
            "eller prova med `uppsikt serve --demo`."
        )
    body = demo.sample_delivery(page_id=args.page_id, text=args.text)
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": demo.sign_meta(body, args.secret)}
    url = f"{args.url.rstrip('/')}/webhooks/meta"
    try:
        response = httpx.post(url, content=body, headers=headers, timeout=10)
    except httpx.HTTPError:
        raise ServerUnreachable(
            f"Ingen Uppsikt svarar på {args.url}: starta `uppsikt serve` eller ange rätt --url."
        ) from None
    if response.status_code == 401:
        print(
            "Servern avvisade signaturen (401): --secret måste vara en av serverns "
            "UPPSIKT_META_APP_SECRETS (med `serve --demo` demohemligheten).",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED
    print(f"{response.status_code} {response.text}")
    if response.is_success:
        print(
            f"Leveransen är mottagen för sidan {args.page_id} (konto {account.id}); "
            "kommentaren syns i /v1/comments när arbetaren har behandlat den.",
            file=sys.stderr,
        )
    return 0 if response.is_success else EXIT_UNEXPECTED


class ServerUnreachable(Exception):
    """``sample-delivery`` found no server at the URL; the message says what to do."""


class SwedishArgumentParser(argparse.ArgumentParser):
    """argparse, in Swedish: headings, ``-h`` and usage errors (one line, exit code 2 as argparse's).

    Sub-commands get the same class (argparse makes them with the parent's class).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        add_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        if add_help:
            self.add_argument(
                "-h",
                "--help",
                action="help",
                default=argparse.SUPPRESS,
                help="visa den här hjälpen och avsluta",
            )

    def format_usage(self) -> str:
        return _swedish_headings(super().format_usage())

    def format_help(self) -> str:
        return _swedish_headings(super().format_help())

    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        self.exit(EXIT_FIXABLE, f"fel: {_swedish_usage_error(message)}\n")


def _swedish_headings(text: str) -> str:
    text = text.replace("usage: ", "användning: ", 1)
    return text.replace("\npositional arguments:\n", "\nargument:\n").replace("\noptions:\n", "\nflaggor:\n")


#: argparse's own messages, in the order they are tried; the rest stay as argparse says them.
_USAGE_ERRORS = (
    ("the following arguments are required: ", "de här argumenten saknas: "),
    ("unrecognized arguments: ", "okända argument: "),
    ("invalid choice: ", "ogiltigt val: "),
    ("expected one argument", "väntade sig ett värde"),
    ("invalid int value: ", "inte ett heltal: "),
    ("(choose from ", "(välj bland "),
)


def _swedish_usage_error(message: str) -> str:
    for english, swedish in _USAGE_ERRORS:
        message = message.replace(english, swedish)
    return message


def build_parser() -> argparse.ArgumentParser:
    parser = SwedishArgumentParser(
        prog="uppsikt",
        description="Moderering av kommentarer för svenska kommuner.",
        epilog="Hela felutskriften (traceback) visas bara med `uppsikt --debug <kommando>`.",
    )
    parser.add_argument("--debug", action="store_true", help="visa hela felutskriften när något går fel")
    sub = parser.add_subparsers(dest="command", required=True, title="kommandon", metavar="<kommando>")

    migrate = sub.add_parser("migrate", help="skapa databasen eller uppdatera den till det senaste schemat")
    migrate.set_defaults(fn=cmd_migrate, needs_database=False)

    serve = sub.add_parser("serve", help="kör API:t (och arbetaren i samma process)")
    serve.add_argument("--host", default="127.0.0.1", help="adress att lyssna på")
    serve.add_argument("--port", type=int, default=8000, help="port att lyssna på")
    serve.add_argument(
        "--demo", action="store_true", help="migrera, skapa en demotenant och skriv ut nycklar"
    )
    serve.set_defaults(fn=cmd_serve, needs_database=False)  # checks the database itself

    worker = sub.add_parser("worker", help="behandla inkorgen (flera kan köras mot PostgreSQL)")
    worker.add_argument("--until-idle", action="store_true", help="sluta när inget mer väntar")
    worker.add_argument("--wake-on-stdin", action="store_true", help=argparse.SUPPRESS)
    worker.set_defaults(fn=cmd_worker)

    openapi = sub.add_parser("openapi", help="skriv ut OpenAPI-dokumentet som YAML")
    openapi.add_argument("--out", help="fil att skriva till (annars standard ut)")
    openapi.set_defaults(fn=cmd_openapi, needs_database=False)

    tenant = sub.add_parser("tenant", help="kommuner (tenanter) och deras regler").add_subparsers(
        dest="action", required=True, metavar="<åtgärd>"
    )
    create = tenant.add_parser("create", help="skapa en tenant med ett förval (kommunens riktlinje)")
    create.add_argument("name", help="tenantens namn, t.ex. finspang")
    create.add_argument("--preset", required=True, help="förval: finspang, haparanda, harjedalen, …")
    create.set_defaults(fn=cmd_tenant_create)
    set_policy = tenant.add_parser(
        "set-policy", help="ändra förvalets regler för den här tenanten (en YAML-lista)"
    )
    set_policy.add_argument("name", help="tenantens namn")
    set_policy.add_argument("--overrides", required=True, help="en YAML-fil: en lista med regeländringar")
    set_policy.set_defaults(fn=cmd_tenant_set_policy)
    known = tenant.add_parser(
        "set-known-parties",
        help="kommunens egna telefonnummer och e-postadresser (aldrig personuppgifter) och offentliga "
        "företrädare; ersätter det som gällde",
    )
    known.add_argument("name", help="tenantens namn")
    known.add_argument("--phone", action="append", help="ett eget telefonnummer (flera: upprepa flaggan)")
    known.add_argument("--email", action="append", help="en egen e-postadress (flera: upprepa flaggan)")
    known.add_argument("--official", action="append", help="en offentlig företrädares namn (upprepa flaggan)")
    known.add_argument("--officials-file", help="en textfil med ett namn per rad (# inleder en kommentar)")
    known.set_defaults(fn=cmd_tenant_set_known_parties)

    account = sub.add_parser("account", help="tenantens konton på plattformarna").add_subparsers(
        dest="action", required=True, metavar="<åtgärd>"
    )
    add = account.add_parser("add", help="lägg till ett konto (en sida, ett företagskonto)")
    add.add_argument("--tenant", required=True, help="tenantens namn")
    add.add_argument("--platform", required=True, choices=list(PLATFORMS))
    add.add_argument("--external-id", required=True, help="sidans id eller organisationens URN")
    add.add_argument("--name", required=True, help="kontots namn som det visas")
    add.add_argument("--owner", help="kontoansvarig (personens inloggning, t.ex. e-post)")
    add.add_argument("--editor", action="append", help="redaktör; ange en gång per person")
    add.set_defaults(fn=cmd_account_add)
    token = account.add_parser("set-token", help="spara kontots åtkomsttoken, läst från standard in")
    token.add_argument("--tenant", required=True, help="tenantens namn")
    token.add_argument("--external-id", required=True, help="kontots id på plattformen")
    token.set_defaults(fn=cmd_account_set_token)

    apikey = sub.add_parser("apikey", help="API-nycklar").add_subparsers(
        dest="action", required=True, metavar="<åtgärd>"
    )
    key = apikey.add_parser("create", help="skapa en nyckel; den skrivs ut en enda gång")
    key.add_argument("--tenant", required=True, help="tenantens namn")
    key.add_argument("--role", required=True, choices=["editor", "account_owner", "registrar", "admin"])
    key.add_argument("--subject", help="personen (som i kontots lista över ansvariga och redaktörer)")
    key.add_argument("--name", help="en beskrivning av nyckeln")
    key.set_defaults(fn=cmd_apikey_create)

    inbox = sub.add_parser("inbox", help="mottagna leveranser").add_subparsers(
        dest="action", required=True, metavar="<åtgärd>"
    )
    failed = inbox.add_parser("failed", help="lista leveranser som inte gick att behandla")
    failed.add_argument("--limit", type=int, default=100, help="högst så här många")
    failed.set_defaults(fn=cmd_inbox_failed)
    retry = inbox.add_parser("retry", help="lägg en misslyckad leverans i kön igen")
    retry.add_argument("id", type=int, help="leveransens id (från `inbox failed`)")
    retry.set_defaults(fn=cmd_inbox_retry)

    sample = sub.add_parser(
        "sample-delivery", help="skicka en signerad exempelkommentar från Facebook till en server"
    )
    sample.add_argument("--url", default="http://127.0.0.1:8000", help="serverns adress")
    sample.add_argument("--secret", required=True, help="en av serverns UPPSIKT_META_APP_SECRETS")
    sample.add_argument(
        "--page-id", default="100000000000001", help="Facebooksidans id (demosidans som standard)"
    )
    sample.add_argument("--text", default="Hej! När plogas Storgatan? 😊", help="kommentarens text")
    sample.set_defaults(fn=cmd_sample_delivery, needs_database=False)  # checks the Page itself
    for register in _feature_clis():
        register(sub)
    return parser


def _feature_clis() -> list[Any]:
    """Feature packages that add their own commands (``register_cli(subparsers)``)."""
    import importlib

    found = []
    for name in FEATURE_CLIS:
        module = importlib.import_module(name)
        found.append(module.register_cli)
    return found


#: Modules with a ``register_cli(subparsers)`` function.
FEATURE_CLIS: tuple[str, ...] = (
    "app.tenants.cli",
    "app.retention.cli",
    "app.registrations.cli",
    "app.records.cli",
    "app.web.cli",
    "app.learning.cli",
    "app.connections.cli",
    "app.reconcile.cli",
    "app.destinations.cli",
)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if getattr(args, "needs_database", True):
            # Before the command touches the database: it exists and its schema is at head.
            from app.operations.startup import check_database

            check_database(_settings())
        code: int = args.fn(args)
        return code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        message, code = explain_failure(exc)
        if args.debug:
            traceback.print_exc()
        print(f"fel: {message}", file=sys.stderr)
        return code


def explain_failure(exc: BaseException) -> tuple[str, int]:
    """The one Swedish line (without "fel: ") and exit code for a failure of any command."""
    from pydantic import ValidationError
    from sqlalchemy.exc import DBAPIError

    from app.errors import UppsiktError
    from app.policies import PolicyFileError

    if isinstance(exc, ValidationError) and exc.title == "Settings":
        return _settings_problem(exc), EXIT_FIXABLE
    if isinstance(exc, UppsiktError):
        return _one_line(str(exc.detail)), EXIT_FIXABLE
    if isinstance(exc, (PolicyFileError, ServerUnreachable)):
        return _one_line(str(exc)), EXIT_FIXABLE
    if isinstance(exc, DBAPIError):
        return _database_problem(exc)
    if isinstance(exc, OSError):
        return _one_line(f"{exc.filename or 'filen'}: {exc.strerror or type(exc).__name__}."), EXIT_FIXABLE
    return (
        f"Oväntat fel ({type(exc).__name__}). Kör `uppsikt --debug …` för hela felutskriften "
        "och rapportera den.",
        EXIT_UNEXPECTED,
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _settings_problem(exc: Any) -> str:
    """A ``Settings`` validation error, by environment variable; the value is never shown."""
    problems = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error.get("loc") else "?"
        problems.append(f"UPPSIKT_{field.upper()}: {_swedish_reason(error)}")
    return _one_line("Ogiltig inställning, rätta den i miljön eller i .env: " + "; ".join(problems) + ".")


#: pydantic's error types for the settings' simple fields, in Swedish (the rest as pydantic says them).
_REASONS = {
    "int_parsing": "måste vara ett heltal",
    "float_parsing": "måste vara ett tal",
    "bool_parsing": "måste vara true eller false",
    "less_than_equal": "får vara högst {le}",
    "less_than": "måste vara mindre än {lt}",
    "greater_than_equal": "måste vara minst {ge}",
    "greater_than": "måste vara större än {gt}",
}


def _swedish_reason(error: Any) -> str:
    template = _REASONS.get(str(error.get("type")))
    if template is not None:
        return template.format(**error.get("ctx", {}))
    return str(error.get("msg", "")).removeprefix("Value error, ")


def _database_problem(exc: Any) -> tuple[str, int]:
    """A database failure the operator can act on, named by what to do about it."""
    from app.operations.startup import MIGRATE_HINT, safe_url, sqlite_file

    orig = exc.orig
    text = str(orig or exc)
    sqlstate = getattr(orig, "sqlstate", None)
    try:
        url = _settings().database_url
    except Exception:  # the settings were read once already; this only names the database
        url = ""
    where = safe_url(url) if url else "databasen"
    if "no such table" in text or sqlstate == "42P01":
        return f"Databasen {where} saknar Uppsikts tabeller: {MIGRATE_HINT}.", EXIT_FIXABLE
    if "unable to open database file" in text:
        path = sqlite_file(url) if url else None
        folder = f"mappen {path.parent.resolve()}" if path is not None else "mappen"
        return (
            f"Databasfilen {path or where} kan inte öppnas eller skapas: finns {folder}, "
            "och får Uppsikt skriva där? Ändra annars UPPSIKT_DATABASE_URL.",
            EXIT_FIXABLE,
        )
    if "database is locked" in text:
        return "Databasen är låst av en annan process; försök igen om en stund.", EXIT_FIXABLE
    if sqlstate is None or sqlstate.startswith(("08", "28", "3D")):
        reason = _connection_reason(text, sqlstate)
        return (
            f"Kan inte ansluta till {where}: {reason}. Kontrollera UPPSIKT_DATABASE_URL "
            "och att PostgreSQL är igång.",
            EXIT_FIXABLE,
        )
    return (
        f"Databasfel ({type(orig).__name__ if orig else type(exc).__name__}, kod {sqlstate}). "
        "Kör `uppsikt --debug …` för hela felutskriften.",
        EXIT_UNEXPECTED,
    )


def _connection_reason(text: str, sqlstate: str | None) -> str:
    """What went wrong, from the server's SQLSTATE or (before there is one) libpq's text."""
    if sqlstate == "3D000" or ('database "' in text and "does not exist" in text):
        return "databasen finns inte på servern (skapa den, eller rätta namnet i URL:en)"
    if 'role "' in text and "does not exist" in text:
        return "användaren finns inte på servern"
    if (sqlstate is not None and sqlstate.startswith("28")) or "authentication failed" in text:
        return "inloggningen nekades (fel användare eller lösenord)"
    if "Connection refused" in text:
        return "ingen server tar emot anslutningar där"
    if "translate host name" in text or "Name or service not known" in text:
        return "värdnamnet är okänt"
    if "timeout" in text or "timed out" in text:
        return "servern svarade inte i tid"
    return "anslutningen misslyckades"


if __name__ == "__main__":
    raise SystemExit(main())
