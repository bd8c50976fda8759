"""A service wired to a local SMTP server and a local webhook receiver, over real protocols."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from app.models import OutboundMessage
from app.notifications.worker import MessageWorker
from tests.app.queue.conftest import World, build_world, graph, linkedin_api  # noqa: F401 - fixtures
from tests.factories import auth, create_key
from tests.fakes.server import serve
from tests.fakes.smtp import FakeSMTP, serve_smtp
from tests.fakes.webhook_receiver import FakeReceiver

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MAIL_FROM = "Uppsikt <uppsikt@kommun.example>"


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[FakeSMTP, int]]:
    fake = FakeSMTP()
    with serve_smtp(fake) as port:
        yield fake, port


@pytest.fixture(scope="module")
def receiver_server() -> Iterator[tuple[FakeReceiver, str]]:
    fake = FakeReceiver(secret=SECRET)
    with serve(fake.app) as url:
        yield fake, f"{url}/hook"


@dataclass
class Notified:
    world: World
    smtp: FakeSMTP
    receiver: FakeReceiver
    hook_url: str
    messages: MessageWorker
    admin: str

    def add_destination(self, **body: Any) -> dict[str, Any]:
        r = self.world.client.post("/v1/destinations", json=body, headers=auth(self.admin))
        assert r.status_code == 201, r.text
        return dict(r.json())

    def rows(self, *kinds: str) -> list[OutboundMessage]:
        """The outbox, or the messages of these kinds (urgent items also alert the editors)."""
        self.world.session.rollback()
        query = select(OutboundMessage).order_by(OutboundMessage.id)
        if kinds:
            query = query.where(OutboundMessage.kind.in_(kinds))
        return list(self.world.session.scalars(query).all())

    def send_until_settled(self, *kinds: str, timeout_s: float = 10.0) -> list[OutboundMessage]:
        """Run the sender until no message waits; backoffs in these tests are milliseconds."""
        deadline = time.monotonic() + timeout_s
        while True:
            self.messages.run_until_idle()
            rows = self.rows(*kinds)
            if all(r.status in ("sent", "failed") for r in rows) or time.monotonic() > deadline:
                return rows
            time.sleep(0.02)


@pytest.fixture
def notified(
    database_url: str,
    graph: Any,  # noqa: F811
    linkedin_api: Any,  # noqa: F811
    smtp: tuple[FakeSMTP, int],
    receiver_server: tuple[FakeReceiver, str],
) -> Iterator[Callable[..., Notified]]:
    opened: list[tuple[Iterator[World], MessageWorker]] = []
    fake_smtp, port = smtp
    receiver, hook_url = receiver_server

    def make(preset: str = "haparanda", **overrides: Any) -> Notified:
        fake_smtp.received.clear()
        fake_smtp.faults.clear()
        fake_smtp.stall_s = 0.0
        fake_smtp.users.clear()
        receiver.requests.clear()
        receiver.accepted.clear()
        receiver.statuses.clear()
        receiver.hold = None
        receiver.arrived.clear()
        values: dict[str, Any] = {
            "smtp_url": f"smtp://127.0.0.1:{port}",
            "mail_from": MAIL_FROM,
            "smtp_timeout_s": 2.0,
            "webhook_timeout_s": 2.0,
            "message_backoff_base_s": 0.01,
            "message_backoff_cap_s": 0.02,
            "notification_tick_s": 0,
            "public_url": "https://uppsikt.kommun.example",
        }
        values.update(overrides)
        gen = build_world(database_url, graph, linkedin_api[1], preset, **values)
        world = next(gen)
        worker = MessageWorker(world.client.app.state.session_factory, world.settings, name="messages:test")  # type: ignore[attr-defined]
        opened.append((gen, worker))
        admin = create_key(world.session, tenant=world.tenant, role="admin")
        return Notified(world, fake_smtp, receiver, hook_url, worker, admin)

    yield make
    for gen, worker in opened:
        worker.close()
        gen.close()
