"""The CLI run in this process against fake platforms served over real HTTP."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.cli import main
from app.db import make_engine, make_session_factory
from app.models import Account
from app.tenants.service import create_tenant
from tests.conftest import LINKEDIN_SECRET, META_SECRET, make_settings
from tests.fakes.graph_api import FakeGraphAccounts
from tests.fakes.linkedin_api import FakeLinkedInAccounts
from tests.fakes.server import serve

SECRET_KEY = "test-secret-key-for-tokens"


@pytest.fixture(scope="module")
def graph_server() -> Iterator[tuple[FakeGraphAccounts, str]]:
    fake = FakeGraphAccounts()
    with serve(fake.app) as url:
        yield fake, url


@pytest.fixture(scope="module")
def instagram_server() -> Iterator[tuple[FakeGraphAccounts, str]]:
    """A second Graph host: graph.instagram.com for accounts connected through Instagram Login."""
    fake = FakeGraphAccounts()
    with serve(fake.app) as url:
        yield fake, url


@pytest.fixture(scope="module")
def linkedin_server() -> Iterator[tuple[FakeLinkedInAccounts, str]]:
    fake = FakeLinkedInAccounts()
    with serve(fake.app) as url:
        yield fake, url


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


@dataclass
class Cli:
    database_url: str
    env: dict[str, str]
    graph: FakeGraphAccounts
    instagram: FakeGraphAccounts
    linkedin: FakeLinkedInAccounts
    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]

    def __call__(self, *args: str, stdin: str = "") -> Result:
        for key in [k for k in os.environ if k.startswith("UPPSIKT_")]:
            self.monkeypatch.delenv(key)
        for key, value in self.env.items():
            self.monkeypatch.setenv(key, value)
        self.monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        self.capsys.readouterr()
        code = main(list(args))
        out, err = self.capsys.readouterr()
        return Result(code, out, err)

    def accounts(self) -> list[Account]:
        engine = create_engine(self.database_url)
        try:
            with Session(engine) as session:
                return list(session.scalars(select(Account).order_by(Account.id)))
        finally:
            engine.dispose()


@pytest.fixture
def cli(
    database_url: str,
    graph_server: tuple[FakeGraphAccounts, str],
    instagram_server: tuple[FakeGraphAccounts, str],
    linkedin_server: tuple[FakeLinkedInAccounts, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Iterator[Cli]:
    graph, graph_url = graph_server
    instagram, instagram_url = instagram_server
    linkedin, linkedin_url = linkedin_server
    for fake in (graph, instagram):
        fake.reset()
        # "Require App Secret" on, and the app token made from the same secret.
        fake.app_secret = META_SECRET
        fake.require_appsecret_proof = META_SECRET
    linkedin.reset()
    linkedin.client_secret = LINKEDIN_SECRET
    env: dict[str, Any] = {
        "UPPSIKT_DATABASE_URL": database_url,
        "UPPSIKT_SECRET_KEY": SECRET_KEY,
        "UPPSIKT_META_APP_SECRETS": META_SECRET,
        "UPPSIKT_META_APP_ID": graph.app_id,
        "UPPSIKT_META_GRAPH_URL": graph_url,
        "UPPSIKT_INSTAGRAM_GRAPH_URL": instagram_url,
        "UPPSIKT_LINKEDIN_API_URL": linkedin_url,
        "UPPSIKT_LINKEDIN_OAUTH_URL": linkedin_url,
        "UPPSIKT_LINKEDIN_CLIENT_ID": linkedin.client_id,
        "UPPSIKT_LINKEDIN_CLIENT_SECRET": LINKEDIN_SECRET,
        "UPPSIKT_LINKEDIN_APP_ID": linkedin.application_id,
        "UPPSIKT_PUBLIC_URL": "https://uppsikt.kommun.example",
        "UPPSIKT_PLATFORM_TIMEOUT_S": "5",
    }
    runner = Cli(database_url, env, graph, instagram, linkedin, monkeypatch, capsys)
    engine = make_engine(make_settings(database_url))
    try:
        with make_session_factory(engine)() as session:
            create_tenant(session, name="kommun", preset="malmo", actor="test")
            session.commit()
    finally:
        engine.dispose()
    yield runner
