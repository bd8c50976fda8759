"""Group commit for the inbox: many concurrent deliveries, one transaction.

Durable ingest costs one synchronous commit (an fsync on SQLite, a WAL flush
on PostgreSQL) per transaction, and that — not parsing or HTTP — is what
limits a webhook endpoint.  So concurrent requests hand their row to the
app's ``GroupCommitter`` and wait; a single flusher takes *whatever is queued*
(never waiting for a batch to fill, so a lone delivery is committed at once),
inserts it in one statement, commits once, and only then answers each waiting
request with its own result.

Design invariant 1 holds exactly: a request is answered "stored" or
"duplicate" only after the commit that contains its row has returned; if that
commit fails, every request of the batch fails (the route answers 503 and the
platform retries) and none of its rows is stored, because they were one
transaction.  While one batch commits the next one forms, so the number of
commits per second stays what the database can do while the number of
deliveries per commit grows with the load.

The committer lives on the event loop of the app; the blocking database work
runs in a worker thread (``anyio.to_thread``), one batch at a time.  Its
flusher is a task that exists only while there is work, so nothing has to be
started or stopped with the app.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.db import begin_write
from app.errors import ServiceUnavailable
from app.logging import get_logger
from app.webhooks import repository

log = get_logger("app.webhooks.group_commit")

#: Rows per transaction at most; a burst larger than this is committed in several.
DEFAULT_MAX_BATCH = 256


@dataclass(slots=True)
class _Waiter:
    row: dict[str, Any]
    future: asyncio.Future[bool]


@dataclass(slots=True)
class BatchStats:
    """Counters for tests and metrics: how well deliveries are being grouped."""

    batches: int = 0
    rows: int = 0
    failed_batches: int = 0
    largest: int = 0


class GroupCommitter:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        max_batch: int = DEFAULT_MAX_BATCH,
        on_batch: Callable[[int, float], None] | None = None,
    ) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self.session_factory = session_factory
        self.max_batch = max_batch
        self.on_batch = on_batch
        self.stats = BatchStats()
        self._pending: list[_Waiter] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._flusher: asyncio.Task[None] | None = None

    async def store(self, row: dict[str, Any]) -> bool:
        """Store one inbox row durably; True if new, False if already stored.

        Returns only after the transaction holding the row has committed.
        Raises ``ServiceUnavailable`` if that transaction could not commit.
        """
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            if self._flusher is not None and not self._flusher.done():
                raise RuntimeError("a GroupCommitter serves one event loop at a time")
            # A new loop (a restarted app, a test client): nothing of the old one is pending.
            self._loop, self._pending = loop, []
        waiter = _Waiter(row, loop.create_future())
        self._pending.append(waiter)
        if self._flusher is None or self._flusher.done():
            self._flusher = loop.create_task(self._flush(), name="uppsikt-inbox-group-commit")
        return await waiter.future

    async def _flush(self) -> None:
        batch: list[_Waiter] = []
        try:
            while self._pending:
                batch = self._pending[: self.max_batch]
                del self._pending[: self.max_batch]
                rows = [w.row for w in batch]
                started = asyncio.get_running_loop().time()
                try:
                    inserted, db_seconds = await anyio.to_thread.run_sync(self._commit, rows)
                except DBAPIError as exc:
                    self.stats.failed_batches += 1
                    log.warning(
                        "webhook.group_commit.failed",
                        rows=len(batch),
                        error=type(exc.orig).__name__ if exc.orig else type(exc).__name__,
                    )
                    _fail(batch)
                    batch = []
                    continue
                except Exception as exc:
                    # Not the database's fault, but the answer is the same: no commit, no 2xx.
                    self.stats.failed_batches += 1
                    log.error("webhook.group_commit.error", rows=len(batch), error=type(exc).__name__)
                    _fail(batch)
                    batch = []
                    continue
                seconds = asyncio.get_running_loop().time() - started
                self._record(len(batch), seconds)
                log.info(
                    "webhook.inbox.committed",
                    rows=len(batch),
                    stored=len(inserted),
                    ms=round(seconds * 1000, 2),
                    db_ms=round(db_seconds * 1000, 2),
                )
                _resolve(batch, inserted)
                batch = []
        finally:
            # Cancelled (the loop is closing): nobody may be left waiting for an answer
            # that will never come, and nobody may be told "stored" without a commit.
            _fail(batch + self._pending)
            self._pending = []

    def _commit(self, rows: list[dict[str, Any]]) -> tuple[set[str], float]:
        """One transaction for the batch (runs in a worker thread); returns the
        new keys and the seconds spent in the database."""
        started = time.perf_counter()
        session = self.session_factory()
        try:
            begin_write(session)
            inserted = repository.store_many(session, rows)
            session.commit()
            return inserted, time.perf_counter() - started
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def _record(self, size: int, seconds: float) -> None:
        stats = self.stats
        stats.batches += 1
        stats.rows += size
        stats.largest = max(stats.largest, size)
        if self.on_batch is not None:
            self.on_batch(size, seconds)


def _resolve(batch: list[_Waiter], inserted: set[str]) -> None:
    """Answer each waiter: the first of a key that was inserted is "stored"; a
    second copy of the same bytes in the same batch is a duplicate, as it would
    have been one request later."""
    claimed: set[str] = set()
    for waiter in batch:
        key = waiter.row["dedupe_key"]
        stored = key in inserted and key not in claimed
        claimed.add(key)
        if not waiter.future.done():
            waiter.future.set_result(stored)


def _fail(batch: list[_Waiter]) -> None:
    # One exception object per waiter: each is raised in its own request.
    for waiter in batch:
        if not waiter.future.done():
            waiter.future.set_exception(ServiceUnavailable())


def committer_for(state: Any) -> GroupCommitter:
    """The app's committer (``app.state.group_committer``), made on first use.

    It follows the app's session factory: an app whose lifespan ran again has
    a new engine, and the committer made for the old one is replaced.
    """
    committer: GroupCommitter | None = getattr(state, "group_committer", None)
    factory = state.session_factory
    if committer is None or committer.session_factory is not factory:
        max_batch = state.settings.inbox_commit_max_batch
        committer = GroupCommitter(factory, max_batch=max_batch)
        state.group_committer = committer
    return committer
