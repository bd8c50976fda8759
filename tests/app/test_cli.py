"""The ``uppsikt`` command line, run as a real process against both databases."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, select

from app.models import AccountMember, ApiKey
from app.unit_of_work import UnitOfWork
from tests.e2e.server import server_env, uppsikt


def test_tenant_account_and_key_commands(database_url: str) -> None:
    assert uppsikt(database_url, "migrate").returncode == 0
    created = uppsikt(database_url, "tenant", "create", "finspang", "--preset", "finspang")
    assert created.returncode == 0, created.stderr
    bad_preset = uppsikt(database_url, "tenant", "create", "x", "--preset", "nowhere")
    assert bad_preset.returncode == 2 and "Okänt förval" in bad_preset.stderr
    added = uppsikt(
        database_url,
        "account",
        "add",
        "--tenant",
        "finspang",
        "--platform",
        "facebook",
        "--external-id",
        "123",
        "--name",
        "Finspångs kommun",
        "--owner",
        "chef@finspang.example",
        "--editor",
        "a@finspang.example",
        "--editor",
        "b@finspang.example",
    )
    assert added.returncode == 0, added.stderr
    duplicate = uppsikt(
        database_url,
        "account",
        "add",
        "--tenant",
        "finspang",
        "--platform",
        "facebook",
        "--external-id",
        "123",
        "--name",
        "igen",
    )
    assert duplicate.returncode == 2
    bad_urn = uppsikt(
        database_url,
        "account",
        "add",
        "--tenant",
        "finspang",
        "--platform",
        "linkedin",
        "--external-id",
        "123",
        "--name",
        "LI",
    )
    assert bad_urn.returncode == 2 and "urn:li:organization" in bad_urn.stderr
    key = uppsikt(
        database_url,
        "apikey",
        "create",
        "--tenant",
        "finspang",
        "--role",
        "editor",
        "--subject",
        "a@finspang.example",
    )
    assert key.returncode == 0
    plaintext = key.stdout.strip()
    assert plaintext.startswith("upk_")
    engine = create_engine(database_url)
    try:
        with UnitOfWork(engine) as s:
            stored = s.scalars(select(ApiKey)).one()
            assert plaintext not in (stored.key_hash, stored.prefix)  # only a hash is kept
            assert stored.key_hash != plaintext and len(stored.key_hash) == 64
            roles = sorted((m.role, m.subject) for m in s.scalars(select(AccountMember)))
            assert roles == [
                ("editor", "a@finspang.example"),
                ("editor", "b@finspang.example"),
                ("owner", "chef@finspang.example"),
            ]
    finally:
        engine.dispose()
    failed = uppsikt(database_url, "inbox", "failed")
    assert failed.returncode == 0 and "0 misslyckade leveranser" in failed.stderr


def test_worker_until_idle_and_failed_listing(database_url: str) -> None:
    from app import schema
    from app.db import make_engine, make_session_factory
    from app.webhooks.service import accept_delivery
    from tests.conftest import make_settings

    schema.upgrade(database_url)
    engine = make_engine(make_settings(database_url))
    with make_session_factory(engine)() as s:
        accept_delivery(s, source="meta", body=b"not json", headers={}, signature_scheme="sha256")
        s.commit()
    engine.dispose()
    run = uppsikt(database_url, "worker", "--until-idle")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.strip().splitlines()[-1]) == {"processed": 1, "actions": 0}
    failed = uppsikt(database_url, "inbox", "failed")
    [line] = failed.stdout.strip().splitlines()
    assert json.loads(line)["error"].startswith("body is not JSON")
    retry = uppsikt(database_url, "inbox", "retry", str(json.loads(line)["id"]))
    assert retry.returncode == 0
    assert "0 misslyckade leveranser" in uppsikt(database_url, "inbox", "failed").stderr


def test_a_worker_process_runs_at_the_configured_niceness_and_never_raises_it(database_url: str) -> None:
    from app import schema

    schema.upgrade(database_url)
    env = {**server_env(database_url), "UPPSIKT_WORKER_NICE": "7"}
    run = subprocess.run(
        [sys.executable, "-m", "app.cli", "worker", "--until-idle"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    logged = [json.loads(line) for line in run.stderr.splitlines() if '"worker.priority"' in line]
    assert [entry["nice"] for entry in logged] == [max(7, os.getpriority(os.PRIO_PROCESS, 0))]

    # Started nicer than asked (an operator's `nice -n 15`), it stays at 15.
    check = (
        "import os; from app.runtime import lower_priority;"
        " os.nice(15 - os.nice(0)); print(lower_priority(3))"
    )
    nicer = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=60, check=True
    )
    assert nicer.stdout.strip() == "15"


def test_tenant_policy_overrides_are_validated_and_take_effect(database_url: str, tmp_path: Path) -> None:
    from app import schema
    from app.db import make_engine, make_session_factory
    from app.models import Tenant
    from app.policies.effective import effective_policy
    from tests.conftest import make_settings

    schema.upgrade(database_url)
    assert uppsikt(database_url, "tenant", "create", "malmo", "--preset", "malmo").returncode == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: malmo.party_political\n  priority: 0\n", encoding="utf-8")
    refused = uppsikt(database_url, "tenant", "set-policy", "malmo", "--overrides", str(bad))
    assert refused.returncode == 2
    assert (
        "bad.yaml" in refused.stderr
        and "malmo.party_political" in refused.stderr
        and "priority" in refused.stderr
    )
    good = tmp_path / "overrides.yaml"
    good.write_text(
        "- id: malmo.party_political\n  actions: [hide]\n  priority: 2\n  due_hours: 8\n"
        "  note: Vi döljer partipolitiska inlägg under valrörelsen.\n",
        encoding="utf-8",
    )
    ok = uppsikt(database_url, "tenant", "set-policy", "malmo", "--overrides", str(good))
    assert ok.returncode == 0, ok.stderr
    engine = make_engine(make_settings(database_url))
    try:
        with make_session_factory(engine)() as s:
            tenant = s.scalars(select(Tenant).where(Tenant.name == "malmo")).one()
            rule = effective_policy(tenant).rule("malmo.party_political")
            assert rule is not None and list(rule.actions) == ["hide"]
    finally:
        engine.dispose()
