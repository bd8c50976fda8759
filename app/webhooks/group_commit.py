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
runs in a worker thread (``anyio.to_thread``), one batch at a time, on one
connection the committer keeps.  Its flusher is a task that exists only while
there is work, so nothing has to be started or stopped with the app; the app
closes the connection when it stops.

Every round trip of a commit is waited for by every request of its batch and
of the batch forming behind it, so a commit makes as few as it can.  On
PostgreSQL the batch is one ``INSERT … SELECT FROM unnest(…)`` on a connection
in autocommit mode: one statement is one transaction, committed (WAL flushed)
before the server answers it — one round trip where a pooled session made
four (the pool's pre-ping, BEGIN, the insert, COMMIT): for three rows on a
2-core machine 0.76 ms instead of 1.49 (p50, ``bench/commit.py``).  The
pool's pre-ping guarded against a connection the server had closed; instead a
batch whose connection turns out to be gone is retried once on a new one.  On
SQLite the batch is ``BEGIN IMMEDIATE``, one insert per row and ``COMMIT``,
all in-process.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import sessionmaker

from app.db import WRITE_INTENT
from app.errors import ServiceUnavailable
from app.logging import get_logger
from app.unit_of_work import UnitOfWork
from app.webhooks import repository

log = get_logger("app.webhooks.group_commit")

#: SQLite: how often a batch waiting for the write lock asks for it again.
SQLITE_LOCK_POLL_S = 0.001
#: Rows per transaction at most; a burst larger than this is committed in several.
DEFAULT_MAX_BATCH = 256


@dataclass(slots=True)
class _Waiter:
    row: dict[str, Any]
    future: asyncio.Future[bool]
    #: ``time.perf_counter()`` when the row was handed over (uvloop's clock has
    #: millisecond resolution, too coarse for commits of one or two ms).
    queued_at: float


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
        session_factory: sessionmaker[UnitOfWork],
        *,
        max_batch: int = DEFAULT_MAX_BATCH,
        on_batch: Callable[[int, float], None] | None = None,
        lock_timeout_s: float = 5.0,
    ) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self.session_factory = session_factory
        self.max_batch = max_batch
        self.on_batch = on_batch
        #: SQLite: how long a batch waits for the write lock before the deliveries answer 503.
        self.lock_timeout_s = lock_timeout_s
        self.stats = BatchStats()
        self._pending: list[_Waiter] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._flusher: asyncio.Task[None] | None = None
        #: Used only by ``_commit``, which runs one batch at a time.
        self._connection: Connection | None = None

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
        waiter = _Waiter(row, loop.create_future(), time.perf_counter())
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
                started = time.perf_counter()
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
                seconds = time.perf_counter() - started
                self._record(len(batch), seconds)
                # ms: the whole commit as the requests wait for it; db_ms: the part in the
                # database; queued_ms: how long the oldest row waited for the batch to start.
                log.info(
                    "webhook.inbox.committed",
                    rows=len(batch),
                    stored=len(inserted),
                    ms=round(seconds * 1000, 2),
                    db_ms=round(db_seconds * 1000, 2),
                    queued_ms=round((started - batch[0].queued_at) * 1000, 2),
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
        new keys and the seconds spent in the database.

        A connection found closed by the server (a restart, an idle timeout, a
        terminated backend) is replaced and the batch tried once more.  Were it
        closed after the server committed but before it answered, the retry
        finds the rows there and answers them "duplicate": still stored, still 2xx.
        """
        started = time.perf_counter()
        try:
            inserted = self._insert(rows)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
            log.info("webhook.group_commit.reconnect")
            inserted = self._insert(rows)
        return inserted, time.perf_counter() - started

    def _insert(self, rows: list[dict[str, Any]]) -> set[str]:
        connection = self._connection or self._connect()
        try:
            if connection.dialect.name == "postgresql":
                return repository.store_many(connection, rows)  # autocommit: one transaction
            return self._insert_sqlite(connection, rows)
        except DBAPIError as exc:
            if exc.connection_invalidated:
                self.close()
            raise
        except BaseException:
            self.close()  # in an unknown state: the next batch starts on a new connection
            raise

    def _insert_sqlite(self, connection: Connection, rows: list[dict[str, Any]]) -> set[str]:
        """SQLite has one writer.  Its own busy handler sleeps ever longer (1 ms, 2, 5 … 100 ms
        between tries), so a waiting acknowledgement could miss every short gap between a
        worker's transactions; this connection asks again every millisecond instead."""
        deadline = time.monotonic() + self.lock_timeout_s
        while True:
            try:
                with connection.begin():
                    return repository.store_many(connection, rows)
            except OperationalError as exc:
                if not _locked(exc) or time.monotonic() > deadline:
                    raise
            time.sleep(SQLITE_LOCK_POLL_S)

    def _connect(self) -> Connection:
        engine = self.session_factory.kw["bind"]
        connection = engine.connect()
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT")
        else:
            # We wait for the lock ourselves (_insert_sqlite); on the driver's connection, so that
            # no transaction is begun by it.
            raw: Any = connection.connection.dbapi_connection
            raw.execute("PRAGMA busy_timeout=0")
            connection.execution_options(**{WRITE_INTENT: True})  # BEGIN IMMEDIATE
        self._connection = connection
        return connection

    def close(self) -> None:
        """Give the committer's connection back; the next batch takes a new one."""
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    def _record(self, size: int, seconds: float) -> None:
        stats = self.stats
        stats.batches += 1
        stats.rows += size
        stats.largest = max(stats.largest, size)
        if self.on_batch is not None:
            self.on_batch(size, seconds)


def _locked(exc: OperationalError) -> bool:
    return "locked" in str(exc.orig) or "busy" in str(exc.orig)


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
        if committer is not None:
            committer.close()
        max_batch = state.settings.inbox_commit_max_batch
        committer = GroupCommitter(
            factory, max_batch=max_batch, lock_timeout_s=state.settings.db_lock_timeout_ms / 1000
        )
        state.group_committer = committer
    return committer
