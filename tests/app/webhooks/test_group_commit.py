"""Group commit: many deliveries per transaction, each acknowledged only after
the commit that holds it, and a failed commit fails every request in it."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from app.db import make_engine, make_session_factory
from app.errors import ServiceUnavailable
from app.main import create_app
from app.models import WebhookDelivery
from app.settings import Settings
from app.webhooks import repository, service
from app.webhooks.group_commit import GroupCommitter
from tests.factories import feed_change, meta_json, page_delivery, sign_meta


def body_for(n: int) -> bytes:
    return meta_json(page_delivery(feed_change(comment=str(n), message=f"Hej kommunen, fråga nummer {n}")))


def row_for(body: bytes) -> dict[str, Any]:
    row, _ = service.delivery_row(
        source="meta", body=body, headers={"content-type": "application/json"}, signature_scheme="sha256"
    )
    return row


def stored_keys(database_url: str) -> list[str]:
    """Read from a connection of its own: what another process would see."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return list(conn.scalars(select(WebhookDelivery.dedupe_key)))
    finally:
        engine.dispose()


@pytest.fixture
def factory(settings: Settings) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(settings)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def new_committer(factory: sessionmaker[Session]) -> Iterator[Callable[..., GroupCommitter]]:
    """Committers on ``factory``, each closed (its connection given back) after the test."""
    made: list[GroupCommitter] = []

    def make(**options: Any) -> GroupCommitter:
        made.append(GroupCommitter(factory, **options))
        return made[-1]

    yield make
    for committer in made:
        committer.close()


async def store_all(committer: GroupCommitter, rows: list[dict[str, Any]]) -> list[Any]:
    return await asyncio.gather(*(committer.store(r) for r in rows), return_exceptions=True)


@contextmanager
def inbox_locked(settings: Settings) -> Iterator[None]:
    """Hold the inbox's write lock from outside, as another process might."""
    blocker: Any
    if settings.is_sqlite:
        blocker = sqlite3.connect(settings.database_url.removeprefix("sqlite:///"), isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
    else:
        blocker = psycopg.connect(settings.database_url.replace("+psycopg", ""))
        blocker.execute("LOCK TABLE webhook_deliveries IN ACCESS EXCLUSIVE MODE")
    try:
        yield
    finally:
        blocker.rollback()
        blocker.close()


def test_concurrent_deliveries_share_one_commit_and_each_gets_its_own_answer(
    new_committer: Callable[..., GroupCommitter], database_url: str
) -> None:
    committer = new_committer()
    rows = [row_for(body_for(n)) for n in range(40)]

    results = asyncio.run(store_all(committer, rows))

    assert results == [True] * 40
    # Everything queued before the flusher ran went into one transaction.
    assert (committer.stats.batches, committer.stats.rows, committer.stats.largest) == (1, 40, 40)
    assert sorted(stored_keys(database_url)) == sorted(r["dedupe_key"] for r in rows)


def test_duplicates_in_one_batch_and_across_batches_are_stored_once(
    new_committer: Callable[..., GroupCommitter], database_url: str
) -> None:
    committer = new_committer()
    first, second = body_for(1), body_for(2)
    assert asyncio.run(store_all(committer, [row_for(first)])) == [True]

    results = asyncio.run(store_all(committer, [row_for(second), row_for(first), row_for(second)]))

    # The first copy of new bytes is "stored", a second copy in the same batch is a
    # duplicate, and bytes stored by an earlier batch are a duplicate too.
    assert results == [True, False, False]
    assert committer.stats.batches == 2
    assert len(stored_keys(database_url)) == 2


def test_a_burst_larger_than_the_batch_limit_is_committed_in_several(
    new_committer: Callable[..., GroupCommitter], database_url: str
) -> None:
    committer = new_committer(max_batch=4)
    results = asyncio.run(store_all(committer, [row_for(body_for(n)) for n in range(10)]))
    assert results == [True] * 10
    assert (committer.stats.batches, committer.stats.largest) == (3, 4)
    assert len(stored_keys(database_url)) == 10


def test_a_failed_commit_fails_every_member_and_stores_none(settings: Settings, database_url: str) -> None:
    fast = settings.model_copy(update={"db_lock_timeout_ms": 200})
    engine = make_engine(fast)
    try:
        committer = GroupCommitter(make_session_factory(engine))
        rows = [row_for(body_for(n)) for n in range(6)]
        with inbox_locked(fast):
            results = asyncio.run(store_all(committer, rows))
        assert all(isinstance(r, ServiceUnavailable) for r in results), results
        assert (committer.stats.failed_batches, committer.stats.rows) == (1, 0)
        assert stored_keys(database_url) == []
        # The platform retries once the database is back; now they are stored.
        assert asyncio.run(store_all(committer, rows)) == [True] * 6
        committer.close()
    finally:
        engine.dispose()


def test_the_committer_recovers_after_a_failed_batch(
    new_committer: Callable[..., GroupCommitter], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    committer = new_committer()
    real = repository.store_many
    transactional = database_url.startswith("sqlite")

    def broken(connection: Connection, rows: Any) -> set[str]:
        if transactional:
            real(connection, rows)  # the rows reach the database, but the transaction must not commit
        # On PostgreSQL the insert is the commit (one statement in autocommit): nothing
        # runs after it that could fail, so the bug comes before it.
        raise RuntimeError("a bug in the batch")

    monkeypatch.setattr(repository, "store_many", broken)
    failed = asyncio.run(store_all(committer, [row_for(body_for(n)) for n in range(3)]))
    assert all(isinstance(r, ServiceUnavailable) for r in failed)
    assert stored_keys(database_url) == []

    monkeypatch.setattr(repository, "store_many", real)
    assert asyncio.run(store_all(committer, [row_for(body_for(n)) for n in range(3)])) == [True] * 3
    assert len(stored_keys(database_url)) == 3


def test_many_concurrent_webhooks_are_answered_only_after_they_are_visible(
    client: TestClient, database_url: str
) -> None:
    bodies = [body_for(n) for n in range(48)]

    def deliver(body: bytes) -> tuple[int, str, bool]:
        r = client.post("/webhooks/meta", content=body, headers=sign_meta(body))
        key = f"meta:{r.json().get('sha256')}"
        # Checked the moment the answer arrives, from a connection the app does not own.
        return r.status_code, r.json().get("status", ""), key in stored_keys(database_url)

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(deliver, bodies))

    assert answers == [(200, "stored", True)] * len(bodies)
    assert len(stored_keys(database_url)) == len(bodies)
    # The same bytes again, concurrently: every copy is a duplicate, none is stored twice.
    with ThreadPoolExecutor(max_workers=6) as pool:
        again = list(pool.map(deliver, bodies[:6]))
    assert again == [(200, "duplicate", True)] * 6
    assert len(stored_keys(database_url)) == len(bodies)


def test_concurrent_webhooks_whose_commit_fails_all_answer_503(settings: Settings, database_url: str) -> None:
    fast = settings.model_copy(update={"db_lock_timeout_ms": 300})
    bodies = [body_for(n) for n in range(8)]
    with TestClient(create_app(fast)) as locked_client:

        def deliver(body: bytes) -> Any:
            return locked_client.post("/webhooks/meta", content=body, headers=sign_meta(body))

        with inbox_locked(fast), ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(deliver, bodies))
        assert [a.status_code for a in answers] == [503] * len(bodies)
        assert {a.json()["error"] for a in answers} == {"ServiceUnavailable"}
        assert stored_keys(database_url) == []
        # Retried after the lock is gone: stored, and "stored" (not "duplicate").
        assert {deliver(b).json()["status"] for b in bodies} == {"stored"}
    assert len(stored_keys(database_url)) == len(bodies)


def test_a_connection_the_server_closed_is_replaced_and_the_batch_still_stored(
    new_committer: Callable[..., GroupCommitter], database_url: str
) -> None:
    """The committer keeps one connection between batches; when PostgreSQL has closed it
    (a restart, an idle timeout, an operator) the next batch is stored on a new one
    instead of failing its platforms' deliveries with 503."""
    if not database_url.startswith("postgresql"):
        pytest.skip("a server that closes connections is PostgreSQL's")
    committer = new_committer()
    assert asyncio.run(store_all(committer, [row_for(body_for(1))])) == [True]
    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as admin:
        killed = admin.execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    assert killed is not None and killed[0] >= 1

    results = asyncio.run(store_all(committer, [row_for(body_for(n)) for n in range(2, 5)]))

    assert results == [True] * 3
    assert committer.stats.failed_batches == 0
    assert len(stored_keys(database_url)) == 4


def test_the_committer_holds_one_connection_and_gives_it_back_on_close(
    factory: sessionmaker[Session], new_committer: Callable[..., GroupCommitter]
) -> None:
    committer = new_committer()
    pool = factory.kw["bind"].pool
    for n in range(3):
        assert (
            asyncio.run(store_all(committer, [row_for(body_for(10 * n + i)) for i in range(3)])) == [True] * 3
        )
    assert pool.checkedout() == 1  # the same connection for every batch, not one per batch
    committer.close()
    assert pool.checkedout() == 0
    # Closed is not broken: the next batch takes a connection again.
    assert asyncio.run(store_all(committer, [row_for(body_for(99))])) == [True]
