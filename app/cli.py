"""The ``uppsikt`` command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from app.platforms.capabilities import PLATFORMS


def _settings():
    from app.settings import Settings

    return Settings()


def _session_factory(settings):
    from app.db import make_engine, make_session_factory

    return make_session_factory(make_engine(settings))


def cmd_migrate(args: argparse.Namespace) -> int:
    from app import schema

    settings = _settings()
    schema.upgrade(settings.database_url)
    print("database at head:", schema.head_revision())
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app import schema
    from app.main import create_app

    settings = _settings()
    if args.demo:
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
            session.commit()
        base = f"http://{args.host}:{args.port}"
        print(
            "\nUppsikt demo is starting on " + base + "\n"
            f"  demo tenant 'demo', Facebook Page {demo.DEMO_PAGE_ID} ('Demo kommun')\n"
            f"  editor key:    {editor_key}\n"
            f"  registrar key: {registrar_key}\n\n"
            "Send a signed sample comment delivery (in another terminal):\n"
            f"  .venv/bin/uppsikt sample-delivery --url {base} --secret {demo.DEMO_META_SECRET}\n"
            "Then read it back:\n"
            f"  curl -H 'Authorization: Bearer {editor_key}' {base}/v1/comments\n",
            flush=True,
        )
    from app.runtime import freeze_long_lived_objects

    app = create_app(settings, on_started=freeze_long_lived_objects)
    uvicorn.run(app, host=args.host, port=args.port, log_config=None, access_log=False)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from app.logging import configure_logging, get_logger
    from app.runtime import lower_priority
    from app.worker.process import WorkerProcess

    settings = _settings()
    configure_logging(settings.log_level, json=settings.log_json)
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
    def run(args: argparse.Namespace) -> int:
        from app.db import session_scope
        from app.errors import UppsiktError

        with session_scope(_session_factory(_settings())) as session:
            try:
                code: int = fn(session, args)
            except UppsiktError as exc:
                print(f"error: {exc.detail}", file=sys.stderr)
                return 2
            session.commit()
            return code

    return run


@_with_session
def cmd_tenant_create(session, args: argparse.Namespace) -> int:
    from app.tenants.service import create_tenant

    tenant = create_tenant(session, name=args.name, preset=args.preset)
    print(f"tenant {tenant.name} created (id {tenant.id}, preset {tenant.preset})")
    return 0


@_with_session
def cmd_tenant_set_policy(session, args: argparse.Namespace) -> int:
    """Replace the tenant's rule overrides (a YAML list), validated against its preset first."""
    import yaml

    from app.modlog.service import record
    from app.policies import PolicyFileError, apply_overrides
    from app.policies.effective import base_policy, load_policies
    from app.tenants.service import require_tenant

    tenant = require_tenant(session, args.name)
    path = Path(args.overrides)
    try:
        overrides = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(overrides, list):
            raise PolicyFileError(f"{path.name}: must be a list of rule overrides")
        load_policies(_settings().policy_dir)
        apply_overrides(base_policy(tenant.preset), overrides, label=path.name)
    except (OSError, yaml.YAMLError, PolicyFileError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
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
    print(f"{len(overrides)} rule overrides set for {tenant.name} (preset {tenant.preset})")
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
    print(f"account {account.id} added: {account.platform} {account.external_id}")
    return 0


@_with_session
def cmd_account_set_token(session, args: argparse.Namespace) -> int:
    from app.crypto import TokenCipher
    from app.errors import NotFound
    from app.modlog.service import record
    from app.tenants.repository import account_by_external_id_in_tenant
    from app.tenants.service import require_tenant

    tenant = require_tenant(session, args.tenant)
    account = account_by_external_id_in_tenant(session, tenant.id, args.external_id)
    if account is None:
        raise NotFound(f"No account {args.external_id} in {args.tenant}.")
    token = sys.stdin.readline().strip()
    if not token:
        print("error: give the access token on standard input", file=sys.stderr)
        return 2
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
    print(f"token stored (encrypted) for account {account.id}")
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
    print(f"(key {key.prefix}, role {key.role}; it is shown only now)", file=sys.stderr)
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
    print(f"{len(rows)} failed deliveries", file=sys.stderr)
    return 0


@_with_session
def cmd_inbox_retry(session, args: argparse.Namespace) -> int:
    from app.models import utcnow
    from app.webhooks import repository

    row = repository.by_id(session, args.id)
    if row is None or row.status != "failed":
        print("error: no failed delivery with that id", file=sys.stderr)
        return 2
    row.status, row.attempts, row.next_attempt_at, row.handled_at = "pending", 0, utcnow(), None
    print(f"delivery {row.id} queued again")
    return 0


def cmd_sample_delivery(args: argparse.Namespace) -> int:
    import httpx

    from app import demo

    body = demo.sample_delivery(page_id=args.page_id, text=args.text)
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": demo.sign_meta(body, args.secret)}
    response = httpx.post(f"{args.url.rstrip('/')}/webhooks/meta", content=body, headers=headers, timeout=10)
    print(response.status_code, response.text)
    return 0 if response.is_success else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="uppsikt", description="Comment moderation for Swedish municipalities."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("migrate", help="upgrade the database to the newest schema").set_defaults(fn=cmd_migrate)

    serve = sub.add_parser("serve", help="run the API (and the in-process worker)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--demo", action="store_true", help="migrate, create a demo tenant and print keys")
    serve.set_defaults(fn=cmd_serve)

    worker = sub.add_parser("worker", help="process the inbox (several may run on PostgreSQL)")
    worker.add_argument("--until-idle", action="store_true", help="stop when nothing is due")
    worker.add_argument("--wake-on-stdin", action="store_true", help=argparse.SUPPRESS)
    worker.set_defaults(fn=cmd_worker)

    openapi = sub.add_parser("openapi", help="print the OpenAPI document as YAML")
    openapi.add_argument("--out")
    openapi.set_defaults(fn=cmd_openapi)

    tenant = sub.add_parser("tenant").add_subparsers(dest="action", required=True)
    create = tenant.add_parser("create")
    create.add_argument("name")
    create.add_argument("--preset", required=True)
    create.set_defaults(fn=cmd_tenant_create)
    set_policy = tenant.add_parser(
        "set-policy", help="override the preset's rules for this tenant (YAML list)"
    )
    set_policy.add_argument("name")
    set_policy.add_argument("--overrides", required=True, help="a YAML file: a list of rule overrides")
    set_policy.set_defaults(fn=cmd_tenant_set_policy)

    account = sub.add_parser("account").add_subparsers(dest="action", required=True)
    add = account.add_parser("add")
    add.add_argument("--tenant", required=True)
    add.add_argument("--platform", required=True, choices=list(PLATFORMS))
    add.add_argument("--external-id", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--owner")
    add.add_argument("--editor", action="append")
    add.set_defaults(fn=cmd_account_add)
    token = account.add_parser("set-token", help="store the account's platform access token, read from stdin")
    token.add_argument("--tenant", required=True)
    token.add_argument("--external-id", required=True)
    token.set_defaults(fn=cmd_account_set_token)

    apikey = sub.add_parser("apikey").add_subparsers(dest="action", required=True)
    key = apikey.add_parser("create")
    key.add_argument("--tenant", required=True)
    key.add_argument("--role", required=True, choices=["editor", "account_owner", "registrar", "admin"])
    key.add_argument("--subject", help="the person (as on the account's owner/editor list)")
    key.add_argument("--name")
    key.set_defaults(fn=cmd_apikey_create)

    inbox = sub.add_parser("inbox").add_subparsers(dest="action", required=True)
    failed = inbox.add_parser("failed", help="list deliveries that could not be processed")
    failed.add_argument("--limit", type=int, default=100)
    failed.set_defaults(fn=cmd_inbox_failed)
    retry = inbox.add_parser("retry", help="queue a failed delivery again")
    retry.add_argument("id", type=int)
    retry.set_defaults(fn=cmd_inbox_retry)

    sample = sub.add_parser("sample-delivery", help="send a signed sample Facebook comment delivery")
    sample.add_argument("--url", default="http://127.0.0.1:8000")
    sample.add_argument("--secret", required=True)
    sample.add_argument("--page-id", default="100000000000001")
    sample.add_argument("--text", default="Hej! När plogas Storgatan? 😊")
    sample.set_defaults(fn=cmd_sample_delivery)
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
)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.fn(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
