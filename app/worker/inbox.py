"""Processing the inbox: claiming batches and running them through the pipeline.

A batch is claimed, run through every stage of ``app.pipeline`` and marked
done in one transaction.  A delivery the platform's parser cannot read fails
alone (kept, listable).  If anything else in the batch fails, the batch is
rolled back and each of its deliveries runs again in a transaction of its
own, so one bad row is rescheduled with backoff (after
``worker_max_attempts`` marked failed) while the rest go through.  If the
process dies, its transaction dies with it and the rows are simply due again
— so every stored delivery is processed exactly once in effect.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Sequence
from datetime import timedelta

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app import pipeline
from app.assessment.service import TenantClassifier
from app.db import begin_write
from app.evidence.media import FetchedMedia
from app.logging import get_logger
from app.models import WebhookDelivery, utcnow
from app.operations.metrics import Metrics
from app.platforms import PlatformAdapter, adapters
from app.retention.schedule import RetentionSchedule
from app.settings import Settings
from app.unit_of_work import UnitOfWork
from app.webhooks import repository

log = get_logger("app.worker")

#: SQLite: the pause between the worker's write transactions.  The webhook's committer
#: asks for the lock every millisecond (``app.webhooks.group_commit``), so this is enough.
SQLITE_WRITE_GAP_S = 0.0015


class InboxWorker:
    def __init__(
        self,
        session_factory: sessionmaker[UnitOfWork],
        settings: Settings,
        *,
        metrics: Metrics | None = None,
        classify: pipeline.Classify | None = None,
        name: str = "worker",
        rng: random.Random | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.settings = settings
        self.metrics = metrics
        self.classify = classify
        self.name = name
        self.adapters: dict[str, PlatformAdapter] = adapters()
        self.rng = rng or random.Random()
        self._wake = threading.Event()
        #: SQLite: one writer at a time, so classify outside the write lock (``_run_once_single_writer``).
        self._single_writer = settings.database_url.startswith("sqlite")

    def wake(self) -> None:
        self._wake.set()

    def run_once(self) -> int:
        """Process one batch of due deliveries; returns how many rows were handled."""
        if self._single_writer:
            return self._run_once_single_writer()
        session = self.session_factory()
        try:
            begin_write(session)
            rows = repository.claim_due(session, now=utcnow(), limit=self.settings.worker_batch_size)
            if rows:
                self._follow_models(session)
            # PostgreSQL has no single write lock: downloading here holds only these rows' locks.
            media = self._prefetch(pipeline.media_urls(rows, self.adapters))
            return self._process(session, rows, self.classify, media)
        except DBAPIError as exc:
            self._rolled_back(session, exc)
            return 0
        finally:
            session.close()

    def _run_once_single_writer(self) -> int:
        """SQLite has one writer at a time, and a webhook's acknowledgement waits for it.

        So the batch is read and classified (the slow, pure part) outside any
        write transaction, and then written a few deliveries per transaction:
        a delivery arriving meanwhile waits for one short transaction at most.
        """
        with self.session_factory() as session:
            due = repository.claim_due(session, now=utcnow(), limit=self.settings.worker_batch_size)
            ids = [row.id for row in due]
            if due:
                self._follow_models(session)
            classify = pipeline.preclassify(session, due, adapters=self.adapters, classify=self.classify)
            urls = pipeline.media_urls(due, self.adapters)
            session.rollback()
        # Images are downloaded here, with no transaction open (measured: tests/app/evidence/test_media.py).
        media = self._prefetch(urls)
        step = self.settings.worker_sqlite_write_batch
        handled = 0
        for start in range(0, len(ids), step):
            session = self.session_factory()
            try:
                begin_write(session)
                rows = repository.claim_ids(session, ids[start : start + step])
                handled += self._process(session, rows, classify, media)
            except DBAPIError as exc:
                self._rolled_back(session, exc)
                return handled
            finally:
                session.close()
            if start + step < len(ids):
                # A gap between write transactions, for a waiting acknowledgement to take the lock.
                time.sleep(SQLITE_WRITE_GAP_S)
        return handled

    def _follow_models(self, session: Session) -> None:
        """Once per batch: the model each tenant has activated (``uppsikt model activate``)."""
        if isinstance(self.classify, TenantClassifier):
            self.classify.refresh(session)

    def _prefetch(self, urls: list[str]) -> dict[str, FetchedMedia]:
        """The images evidence keeps (``pipeline.prefetch_media``)."""
        return pipeline.prefetch_media(
            urls, max_bytes=self.settings.media_max_bytes, timeout=self.settings.platform_timeout_s
        )

    def _rolled_back(self, session: Session, exc: DBAPIError) -> None:
        # A lost connection or a deadlock: nothing of the batch is kept, every
        # row is due again; the next round retries it.
        session.rollback()
        log.warning(
            "worker.batch.rolled_back", error=type(exc.orig).__name__ if exc.orig else type(exc).__name__
        )

    def _process(
        self,
        session: Session,
        rows: Sequence[WebhookDelivery],
        classify: pipeline.Classify | None,
        media: dict[str, FetchedMedia] | None = None,
    ) -> int:
        """Run claimed rows through the pipeline and commit; a failed batch is run again
        one delivery at a time."""
        if not rows:
            session.rollback()
            return 0
        started = time.perf_counter()
        try:
            outcome = self._run(session, rows, classify, media)
            session.commit()
        except Exception as exc:
            session.rollback()
            if isinstance(exc, DBAPIError) and exc.connection_invalidated:
                raise  # the connection is gone: every row is due again
            if len(rows) == 1:
                self._record_failure(rows[0].id, exc)
                return 1
            return self._one_by_one([row.id for row in rows], classify, media)
        self._observe(rows, outcome, started)
        return len(rows)

    def _run(
        self,
        session: Session,
        rows: Sequence[WebhookDelivery],
        classify: pipeline.Classify | None,
        media: dict[str, FetchedMedia] | None = None,
    ) -> pipeline.Outcome:
        outcome = pipeline.process(
            session, rows, adapters=self.adapters, classify=classify, actor=self.name, media=media
        )
        for failed in outcome.failed:
            self._fail(failed.row, failed.error or "", permanent=True)
        return outcome

    def _one_by_one(
        self, row_ids: list[int], classify: pipeline.Classify | None, media: dict[str, FetchedMedia] | None
    ) -> int:
        """After a failed batch: each delivery in a transaction of its own, so
        only the one that fails is rescheduled."""
        handled = 0
        for row_id in row_ids:
            session = self.session_factory()
            try:
                begin_write(session)
                rows = repository.claim_ids(session, [row_id])
                if not rows:
                    continue  # another worker took it meanwhile, or it is done
                started = time.perf_counter()
                try:
                    outcome = self._run(session, rows, classify, media)
                    session.commit()
                    self._observe(rows, outcome, started)
                except Exception as exc:
                    session.rollback()
                    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
                        raise
                    self._record_failure(row_id, exc)
                handled += 1
            finally:
                session.close()
        return handled

    def _record_failure(self, row_id: int, exc: Exception) -> None:
        if isinstance(exc, DBAPIError):
            error = type(exc.orig).__name__ if exc.orig else type(exc).__name__
        else:
            error = f"{type(exc).__name__}: {str(exc)[:200]}"
        session = self.session_factory()
        try:
            begin_write(session)
            rows = repository.claim_ids(session, [row_id])
            if rows:
                self._fail(rows[0], error, permanent=False)
                session.commit()
        finally:
            session.close()

    def _observe(self, rows: Sequence[WebhookDelivery], outcome: pipeline.Outcome, started: float) -> None:
        if self.metrics:
            now = utcnow()
            for row in rows:
                if row.status == "done":
                    self.metrics.processing_latency.observe(max(0.0, (now - row.received_at).total_seconds()))
        log.info(
            "worker.batch.processed",
            deliveries=outcome.deliveries,
            failed=len(outcome.failed),
            comments=outcome.comments_changed,
            assessed=outcome.assessed,
            queued=outcome.queued,
            first_id=rows[0].id,
            ms=round((time.perf_counter() - started) * 1000, 2),
        )

    def run_until_idle(self, max_rounds: int = 1000) -> int:
        total = 0
        for _ in range(max_rounds):
            done = self.run_once()
            total += done
            if done == 0:
                break
        return total

    def run_forever(self, stop: threading.Event, on_error: Callable[[Exception], None] | None = None) -> None:
        log.info("worker.started", name=self.name)
        # Culling (gallring) runs on a schedule in the same loop; only one worker culls at a time.
        retention = RetentionSchedule(self.session_factory, self.settings, actor=f"{self.name}:retention")
        while not stop.is_set():
            try:
                done = self.run_once()
                retention.maybe_run()
            except Exception as exc:  # the loop must outlive any single failure
                log.exception("worker.round.failed", error=type(exc).__name__)
                if on_error:
                    on_error(exc)
                done = 0
            if done == 0:
                self._wake.wait(self.settings.worker_poll_interval_s)
                self._wake.clear()
        log.info("worker.stopped", name=self.name)

    def _fail(self, row: WebhookDelivery, error: str, *, permanent: bool) -> None:
        row.attempts += 1
        row.last_error = error
        if permanent or row.attempts >= self.settings.worker_max_attempts:
            row.status = "failed"
            row.handled_at = utcnow()
            if self.metrics:
                self.metrics.deliveries_failed.labels(row.source).inc()
            log.warning(
                "worker.delivery.failed",
                delivery_id=row.id,
                source=row.source,
                attempts=row.attempts,
                permanent=permanent,
            )
            return
        delay = min(
            self.settings.worker_backoff_cap_s, self.settings.worker_backoff_base_s * 2 ** (row.attempts - 1)
        )
        row.next_attempt_at = utcnow() + timedelta(seconds=self.rng.uniform(delay / 2, delay))
        log.warning(
            "worker.delivery.retry", delivery_id=row.id, attempts=row.attempts, delay_s=round(delay, 1)
        )


class WorkerThread:
    """The in-process worker of ``uppsikt serve`` (the embedded default)."""

    def __init__(self, worker: InboxWorker) -> None:
        self.worker = worker
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=worker.run_forever, args=(self.stop,), name="uppsikt-worker", daemon=True
        )

    def start(self) -> None:
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.worker.wake()
        self.thread.join(timeout=10)
