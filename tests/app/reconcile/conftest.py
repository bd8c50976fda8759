"""A service wired to fake Graph, LinkedIn and YouTube APIs over real HTTP, webhooks "down"."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.actions.worker import ActionWorker
from app.assessment.service import default_classifier
from app.crypto import TokenCipher
from app.main import create_app
from app.models import Account, Comment, CommentEvent, CommentVersion, Tenant
from app.reconcile.runner import ListingClients, reconcile_account
from app.reconcile.service import RunSummary
from app.settings import Settings
from app.worker.inbox import InboxWorker
from tests.conftest import make_settings
from tests.factories import create_account, create_key, create_tenant
from tests.fakes.graph_api import FakeGraphAPI
from tests.fakes.linkedin_api import FakeLinkedInAPI
from tests.fakes.server import serve
from tests.fakes.youtube_api import FakeYouTubeAPI

GRAPH_TOKEN = "EAAG-fake-page-token"
LINKEDIN_TOKEN = "AQV-fake-linkedin-token"
YOUTUBE_TOKEN = "ya29.fake-youtube-token"


@pytest.fixture(scope="module")
def fakes() -> Iterator[dict[str, Any]]:
    graph, linkedin, youtube = (
        FakeGraphAPI(retry_after=1, throttle_minutes=0),
        FakeLinkedInAPI(),
        FakeYouTubeAPI(),
    )
    with serve(graph.app) as g, serve(linkedin.app) as li, serve(youtube.app) as yt:
        yield {"graph": (graph, g), "linkedin": (linkedin, li), "youtube": (youtube, yt)}


@dataclass
class World:
    client: TestClient
    session: Session
    settings: Settings
    tenant: Tenant
    worker: InboxWorker
    actions: ActionWorker
    clients: ListingClients
    graph: FakeGraphAPI
    linkedin: FakeLinkedInAPI
    youtube: FakeYouTubeAPI
    editor: str
    accounts: dict[str, Account] = field(default_factory=dict)

    def account(self, platform: str, external_id: str, token: str) -> Account:
        account = create_account(
            self.session,
            tenant=self.tenant,
            platform=platform,
            external_id=external_id,
            editors=("red@kommun.example",),
        )
        account.access_token_ciphertext = TokenCipher(self.settings).encrypt(token)
        self.session.commit()
        self.accounts[platform] = account
        return account

    def reconcile(self, platform: str, **kw: Any) -> RunSummary:
        summary = reconcile_account(
            self.client.app.state.session_factory,  # type: ignore[attr-defined]
            self.settings,
            self.clients,
            account_id=self.accounts[platform].id,
            actor="test:reconcile",
            **kw,
        )
        self.worker.run_until_idle()
        return summary

    def comments(self, platform: str) -> dict[str, Comment]:
        self.session.rollback()
        rows = self.session.scalars(select(Comment).where(Comment.account_id == self.accounts[platform].id))
        return {c.external_id: c for c in rows}

    def versions(self, comment: Comment) -> list[str]:
        self.session.rollback()
        return list(
            self.session.scalars(
                select(CommentVersion.text)
                .where(CommentVersion.comment_id == comment.id)
                .order_by(CommentVersion.seq)
            )
        )

    def current_text(self, comment: Comment) -> str | None:
        self.session.rollback()
        return self.session.scalar(
            select(CommentVersion.text).where(CommentVersion.id == comment.current_version_id)
        )

    def events(self, comment: Comment) -> int:
        self.session.rollback()
        return int(
            self.session.scalar(
                select(func.count()).select_from(CommentEvent).where(CommentEvent.comment_id == comment.id)
            )
            or 0
        )


@pytest.fixture
def world(database_url: str, fakes: dict[str, Any]) -> Iterator[World]:
    graph, graph_url = fakes["graph"]
    linkedin, linkedin_url = fakes["linkedin"]
    youtube, youtube_url = fakes["youtube"]
    graph.reset()
    linkedin.reset()
    linkedin._init_listing()
    youtube.reset()
    settings = make_settings(
        database_url,
        meta_graph_url=graph_url,
        linkedin_api_url=linkedin_url,
        youtube_api_url=f"{youtube_url}/youtube/v3",
        secret_key=SecretStr("test-secret-key-for-tokens"),
        platform_timeout_s=2.0,
        action_backoff_base_s=0.01,
        action_backoff_cap_s=0.05,
    )
    app = create_app(settings)
    with TestClient(app) as client, app.state.session_factory() as session:
        tenant = create_tenant(session, name="helsingborg", preset="helsingborg")
        factory = app.state.session_factory
        world = World(
            client=client,
            session=session,
            settings=settings,
            tenant=tenant,
            worker=InboxWorker(factory, settings, classify=default_classifier()),
            actions=ActionWorker(factory, settings, name="actions:test"),
            clients=ListingClients(settings, factory),
            graph=graph,
            linkedin=linkedin,
            youtube=youtube,
            editor=create_key(session, tenant=tenant, role="editor", subject="red@kommun.example"),
        )
        try:
            yield world
        finally:
            world.actions.close()
            world.clients.close()
