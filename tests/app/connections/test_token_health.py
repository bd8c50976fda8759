"""Token health: checked on demand (``uppsikt account check-tokens``) and daily by the worker,
kept on the account, and shown in the register, ``/metrics`` and the CLI."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select

from app.connections.schedule import TokenCheckSchedule
from app.crypto import TokenCipher
from app.main import create_app
from app.models import Account, ModerationLogEntry, utcnow
from app.tenants.service import add_account, require_tenant
from tests.app.connections.conftest import SECRET_KEY, Cli
from tests.conftest import META_SECRET, make_settings
from tests.factories import auth, create_key

PAGE_OK = "104500000000001"
PAGE_SOON = "104500000000002"
PAGE_DEAD = "104500000000003"
ORG = "urn:li:organization:2414183"
ALL_PAGE_SCOPES = (
    "pages_show_list",
    "pages_manage_metadata",
    "pages_read_engagement",
    "pages_manage_engagement",
    "pages_read_user_content",
)


def _settings(cli: Cli) -> object:
    return make_settings(
        cli.database_url,
        secret_key=SecretStr(SECRET_KEY),
        meta_app_secrets=SecretStr(META_SECRET),
        meta_app_id=cli.graph.app_id,
        meta_graph_url=cli.env["UPPSIKT_META_GRAPH_URL"],
        linkedin_api_url=cli.env["UPPSIKT_LINKEDIN_API_URL"],
        linkedin_oauth_url=cli.env["UPPSIKT_LINKEDIN_OAUTH_URL"],
        linkedin_client_id=cli.linkedin.client_id,
        linkedin_client_secret=SecretStr(cli.env["UPPSIKT_LINKEDIN_CLIENT_SECRET"]),
    )


def _arrange(cli: Cli, app: object) -> None:
    """Four accounts: a healthy Page, one whose token expires in 5 days and lacks a permission,
    one whose token is revoked, and a LinkedIn organisation whose token is healthy."""
    soon = int((utcnow() + timedelta(days=5)).timestamp())
    cli.graph.add_page(PAGE_OK, "Kommunen", page_token="EAAG-ok", managers=[], scopes=ALL_PAGE_SCOPES)
    cli.graph.add_page(
        PAGE_SOON, "Biblioteket", page_token="EAAG-soon", managers=[], scopes=ALL_PAGE_SCOPES[:4]
    )
    cli.graph.token("EAAG-soon").expires_at = soon
    cli.graph.add_page(PAGE_DEAD, "Simhallen", page_token="EAAG-dead", managers=[])
    cli.graph.token("EAAG-dead").valid = False
    cli.linkedin.add_member_token(
        "AQV-li",
        person_urn="urn:li:person:x",
        scopes=["r_organization_social", "w_organization_social", "rw_organization_admin"],
    )
    cipher = TokenCipher(app.state.settings)  # type: ignore[attr-defined]
    with app.state.session_factory() as session:  # type: ignore[attr-defined]
        tenant = require_tenant(session, "kommun")
        for platform, external_id, token in (
            ("facebook", PAGE_OK, "EAAG-ok"),
            ("facebook", PAGE_SOON, "EAAG-soon"),
            ("facebook", PAGE_DEAD, "EAAG-dead"),
            ("linkedin", ORG, "AQV-li"),
        ):
            account = add_account(
                session,
                tenant=tenant,
                platform=platform,
                external_id=external_id,
                display_name=external_id,
                owner="chef@kommun.example",
                editors=("a@kommun.example", "b@kommun.example"),
                actor="test",
            )
            account.access_token_ciphertext = cipher.encrypt(token)
        session.commit()


def test_check_tokens_reports_stores_and_warns_everywhere(cli: Cli) -> None:
    app = create_app(_settings(cli))  # type: ignore[arg-type]
    with TestClient(app) as client:
        _arrange(cli, app)

        result = cli("account", "check-tokens", "--tenant", "kommun")

        assert result.code == 1  # something needs doing
        by_account = {line.split(" (", 1)[0]: line for line in result.lines}
        assert "Token fungerar" in by_account[f"facebook {PAGE_OK}"]
        assert "saknar behörigheten pages_read_user_content" in by_account[f"facebook {PAGE_SOON}"]
        assert "ogiltig eller återkallad" in by_account[f"facebook {PAGE_DEAD}"]
        assert "Token fungerar" in by_account[f"linkedin {ORG}"]
        debug = [c for c in cli.graph.calls if c.path.endswith("/debug_token")]
        assert len(debug) == 3 and all("input_token" in c.query for c in debug)

        with app.state.session_factory() as session:
            admin = create_key(session, tenant=require_tenant(session, "kommun"), role="admin")
        register = client.get("/v1/accounts", headers=auth(admin)).json()["accounts"]
        codes = {a["external_id"]: [w["code"] for w in a["warnings"]] for a in register}
        assert codes[PAGE_OK] == [] and codes[ORG] == []
        assert codes[PAGE_SOON] == ["token_expiring", "token_missing_scopes"]
        assert codes[PAGE_DEAD] == ["token_invalid"]
        soon = next(a for a in register if a["external_id"] == PAGE_SOON)
        assert soon["connection"]["token_missing_scopes"] == ["pages_read_user_content"]
        assert soon["connection"]["token_expires_at"] is not None
        text = next(w["text"] for w in soon["warnings"] if w["code"] == "token_expiring")
        assert "går ut" in text and "uppsikt account connect" in text

        metrics = client.get("/metrics").text
        assert 'uppsikt_account_warnings{code="token_invalid"} 1.0' in metrics
        assert 'uppsikt_account_warnings{code="token_expiring"} 1.0' in metrics
        assert 'uppsikt_account_warnings{code="token_missing_scopes"} 1.0' in metrics

        with app.state.session_factory() as session:
            logged = session.scalars(
                select(ModerationLogEntry).where(ModerationLogEntry.action == "account.token_checked")
            ).all()
        assert len(logged) == 4


def test_the_worker_checks_due_tokens_once_per_interval(cli: Cli) -> None:
    settings = _settings(cli)
    app = create_app(settings)  # type: ignore[arg-type]
    with TestClient(app):
        _arrange(cli, app)
        schedule = TokenCheckSchedule(app.state.session_factory, settings, actor="worker:tokens")  # type: ignore[arg-type]
        try:
            assert schedule.maybe_run() == 4
            assert schedule.maybe_run() == 0  # not again within a minute
            schedule._not_before = None
            assert schedule.maybe_run() == 0  # nothing is due for another day
            later = utcnow() + timedelta(seconds=settings.token_check_interval_s + 60)  # type: ignore[attr-defined]
            assert schedule.maybe_run(now=later) == 4
        finally:
            schedule.close()
        with app.state.session_factory() as session:
            dead = session.scalars(select(Account).where(Account.external_id == PAGE_DEAD)).one()
            assert dead.token_problem == "invalid"
