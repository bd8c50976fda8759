"""Processing the inbox.

A batch is claimed, processed and marked done in one transaction, each row in
its own savepoint: a row that fails is rolled back alone and rescheduled with
backoff (after ``worker_max_attempts`` it is marked failed, kept and listable),
while the rest of the batch commits.  If the process dies, the transaction
dies with it and the rows are simply due again — so every stored delivery is
processed exactly once in effect.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.actions.worker import ActionWorker
from app.comments.service import AssessHook, apply_event
from app.db import begin_write
from app.logging import get_logger
from app.models import Account, Tenant, WebhookDelivery, utcnow
from app.modlog.service import discard_after, pending, record
from app.operations.metrics import Metrics
from app.platforms import MalformedDelivery, PlatformAdapter, adapters
from app.retention.schedule import RetentionSchedule
from app.settings import Settings
from app.tenants import repository as tenant_repository
from app.webhooks import repository

log = get_logger("app.worker")

#: The platforms a delivery source's events may name.
SOURCE_PLATFORMS = {"meta": ("facebook", "instagram"), "linkedin": ("linkedin",)}


@dataclass(slots=True)
class _Batch:
    """What one batch looks up once: the accounts its events name, and their tenants.

    Held here because the session's identity map keeps an object only while
    something refers to it; without this every comment re-read its tenant.
    """

    accounts: dict[tuple[str, str], Account | None] = field(default_factory=dict)
    tenants: dict[int, Tenant | None] = field(default_factory=dict)


class InboxWorker:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        settings: Settings,
        *,
        metrics: Metrics | None = None,
        assess: AssessHook | None = None,
        name: str = "worker",
        rng: random.Random | None = None,
        actions: ActionWorker | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.settings = settings
        self.metrics = metrics
        self.assess = assess
        self.name = name
        self.adapters: dict[str, PlatformAdapter] = adapters()
        self.rng = rng or random.Random()
        self._wake = threading.Event()
        #: The outbox runs in the same loop, so one process drains both queues.
        self.actions = actions

    def wake(self) -> None:
        self._wake.set()

    def run_once(self) -> int:
        """Process one batch of due deliveries; returns how many rows were handled."""
        session = self.session_factory()
        try:
            begin_write(session)
            rows = repository.claim_due(session, now=utcnow(), limit=self.settings.worker_batch_size)
            batch = _Batch()
            for row in rows:
                self._handle(session, row, batch)
            session.commit()
            return len(rows)
        except DBAPIError as exc:
            # A lost connection or a deadlock: nothing of the batch is kept, every
            # row is due again; the next round retries it.
            session.rollback()
            log.warning(
                "worker.batch.rolled_back", error=type(exc.orig).__name__ if exc.orig else type(exc).__name__
            )
            return 0
        finally:
            session.close()

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
                if self.actions is not None:
                    done += self.actions.run_once()
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

    # -- one row --------------------------------------------------------------------------

    def _handle(self, session: Session, row: WebhookDelivery, batch: _Batch) -> None:
        mark = len(pending(session))
        started = time.perf_counter()
        try:
            with session.begin_nested():
                self._process(session, row, batch)
        except MalformedDelivery as exc:
            discard_after(session, mark)
            self._fail(row, str(exc), permanent=True)
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise  # the connection is gone: the whole batch is retried
            # A row the database refuses (bad data, a deadlock) fails alone; the savepoint
            # is rolled back and the rest of the batch goes on, so one row cannot stall the inbox.
            discard_after(session, mark)
            self._fail(row, f"{type(exc.orig).__name__ if exc.orig else type(exc).__name__}", permanent=False)
        except Exception as exc:
            discard_after(session, mark)
            self._fail(row, f"{type(exc).__name__}: {str(exc)[:200]}", permanent=False)
        else:
            if self.metrics:
                self.metrics.processing_latency.observe(
                    max(0.0, (utcnow() - row.received_at).total_seconds())
                )
            log.info(
                "worker.delivery.processed",
                delivery_id=row.id,
                source=row.source,
                events=row.events_count,
                ignored=row.ignored_count,
                ms=round((time.perf_counter() - started) * 1000, 2),
            )

    def _process(self, session: Session, row: WebhookDelivery, batch: _Batch) -> None:
        result = self.adapters[row.source].parse(row.body)
        applied = 0
        ignored = len(result.ignored)
        tenants: set[int] = set()
        for event in result.events:
            key = (event.platform, event.account_external_id)
            if key not in batch.accounts:
                batch.accounts[key] = found = tenant_repository.account_by_platform_id(session, *key)
                if found is not None:
                    batch.tenants[found.tenant_id] = tenant_repository.tenant_by_id(session, found.tenant_id)
            account = batch.accounts[key]
            allowed = SOURCE_PLATFORMS.get(row.source)
            if (
                account is None
                or (allowed is not None and event.platform not in allowed)
                or (row.tenant_id is not None and account.tenant_id != row.tenant_id)
            ):
                ignored += 1
                log.info("worker.event.unknown_account", delivery_id=row.id, platform=event.platform)
                continue
            if account.tenant_id not in tenants:
                tenants.add(account.tenant_id)
                record(
                    session,
                    tenant_id=account.tenant_id,
                    actor=self.name,
                    action="delivery.received",
                    subject_type="delivery",
                    subject_id=row.id,
                    payload={
                        "source": row.source,
                        "sha256": row.body_sha256,
                        "received_at": row.received_at.isoformat(),
                        "signature": row.signature_scheme,
                    },
                )
            if (
                apply_event(
                    session,
                    account=account,
                    event=event,
                    delivery_id=row.id,
                    actor=self.name,
                    assess=self.assess,
                )
                is not None
            ):
                applied += 1
        if result.ignored:
            log.info(
                "worker.delivery.ignored_parts", delivery_id=row.id, reasons=sorted(set(result.ignored))[:10]
            )
        row.status = "done"
        row.handled_at = utcnow()
        row.events_count = applied
        row.ignored_count = ignored
        row.last_error = None

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
