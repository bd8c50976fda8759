"""A service wired to fake platform APIs over real HTTP, with the real classifiers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy.orm import Session

from app.actions.worker import ActionWorker
from app.assessment.service import default_classifier
from app.crypto import TokenCipher
from app.main import create_app
from app.models import Account, Tenant
from app.settings import Settings
from app.worker.inbox import InboxWorker
from tests.conftest import META_SECRET, make_settings
from tests.factories import (
    auth,
    create_account,
    create_key,
    create_tenant,
    feed_change,
    meta_json,
    page_delivery,
    sign_meta,
)
from tests.fakes.graph_api import FakeGraphAccounts, FakeGraphAPI
from tests.fakes.linkedin_api import FakeLinkedInAPI
from tests.fakes.server import serve

PAGE = "5550000000001"
POST = f"{PAGE}_777"
TOKEN = "EAAG-fake-page-token"  # the fake Graph API's valid token


@pytest.fixture(scope="module")
def graph() -> Iterator[tuple[FakeGraphAPI, str]]:
    fake = FakeGraphAccounts(timeout_delay=1.0, retry_after=1, throttle_minutes=0)
    with serve(fake.app) as url:
        yield fake, url


@pytest.fixture(scope="module")
def linkedin_api() -> Iterator[tuple[FakeLinkedInAPI, str]]:
    fake = FakeLinkedInAPI()
    with serve(fake.app) as url:
        yield fake, url


@dataclass
class World:
    client: TestClient
    session: Session
    settings: Settings
    graph: FakeGraphAPI
    worker: InboxWorker
    actions: ActionWorker
    tenant: Tenant
    account: Account
    editor: str
    owner: str
    registrar: str

    def deliver(self, *changes: dict[str, Any]) -> None:
        body = meta_json(page_delivery(*changes, page_id=self.account.external_id))
        assert self.client.post("/webhooks/meta", content=body, headers=sign_meta(body)).status_code == 200

    def comment(self, *, comment: str = "1", message: str, **kw: Any) -> None:
        self.graph.add_comment(f"777_{comment}", "facebook", message)
        self.deliver(
            feed_change(comment=comment, message=message, post="777", page_id=self.account.external_id, **kw)
        )

    def process(self) -> None:
        self.worker.run_until_idle()
        self.actions.run_until_idle()

    def items(self, key: str | None = None, **params: Any) -> list[dict[str, Any]]:
        r = self.client.get("/v1/queue", params=params, headers=auth(key or self.editor))
        assert r.status_code == 200, r.text
        return list(r.json()["items"])

    def item(self, item_id: int, key: str | None = None) -> dict[str, Any]:
        r = self.client.get(f"/v1/queue/{item_id}", headers=auth(key or self.editor))
        assert r.status_code == 200, r.text
        return dict(r.json())

    def decide(self, item_id: int, key: str | None = None, **body: Any) -> Any:
        return self.client.post(f"/v1/queue/{item_id}/decision", headers=auth(key or self.editor), json=body)


def build_world(
    database_url: str,
    graph: tuple[FakeGraphAPI, str],
    linkedin_url: str,
    preset: str,
    **settings_overrides: Any,
) -> Iterator[World]:
    fake, url = graph
    fake.reset()
    fake.add_comment(POST, "facebook", "Inlägg: vinterväghållningen i kommunen")
    # The app has "Require App Secret" on: the worker must prove the first Meta secret.
    fake.require_appsecret_proof = META_SECRET
    if isinstance(fake, FakeGraphAccounts):  # the Page itself, readable with its token
        fake.add_page(PAGE, "Kommunen", page_token=TOKEN, managers=[])
    settings = make_settings(
        database_url,
        meta_graph_url=url,
        linkedin_api_url=linkedin_url,
        secret_key=SecretStr("test-secret-key-for-tokens"),
        platform_timeout_s=0.5,
        action_backoff_base_s=0.01,
        action_backoff_cap_s=0.05,
        **settings_overrides,
    )
    app = create_app(settings)
    with TestClient(app) as client, app.state.session_factory() as session:
        tenant = create_tenant(session, name=preset, preset=preset)
        account = create_account(
            session,
            tenant=tenant,
            external_id=PAGE,
            owner="chef@kommun.example",
            editors=("red@kommun.example", "red2@kommun.example"),
        )
        account.access_token_ciphertext = TokenCipher(settings).encrypt(TOKEN)
        session.commit()
        world = World(
            client=client,
            session=session,
            settings=settings,
            graph=fake,
            worker=InboxWorker(app.state.session_factory, settings, classify=default_classifier()),
            actions=ActionWorker(app.state.session_factory, settings, name="actions:test"),
            tenant=tenant,
            account=account,
            editor=create_key(session, tenant=tenant, role="editor", subject="red@kommun.example"),
            owner=create_key(session, tenant=tenant, role="account_owner", subject="chef@kommun.example"),
            registrar=create_key(session, tenant=tenant, role="registrar"),
        )
        try:
            yield world
        finally:
            world.actions.close()


@pytest.fixture
def world_factory(
    database_url: str, graph: tuple[FakeGraphAPI, str], linkedin_api: tuple[FakeLinkedInAPI, str]
) -> Iterator[Any]:
    opened: list[Iterator[World]] = []

    def make(preset: str = "helsingborg", **overrides: Any) -> World:
        gen = build_world(database_url, graph, linkedin_api[1], preset, **overrides)
        opened.append(gen)
        return next(gen)

    yield make
    for gen in opened:
        gen.close()
