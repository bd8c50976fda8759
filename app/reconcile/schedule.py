"""Reconciliation on a schedule, in a thread of the worker process.

Every ``reconcile_interval_s`` each account with a token on a listable
platform gets a run.  The run state in the database decides who runs it:
``repository.claim_due`` marks it started in one conditional ``UPDATE``, so
with several workers exactly one wins, and an account whose platform asked
for a pause (``resume_after``) is not due until then.  The thread is apart
from the inbox loop because listing waits on platforms (up to the client
timeout per call): new comments must not wait behind it.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from sqlalchemy.orm import sessionmaker

from app.db import begin_write
from app.logging import get_logger
from app.models import utcnow
from app.reconcile import repository
from app.reconcile.runner import ListingClients, reconcile_account
from app.reconcile.service import POLLED_PLATFORMS, RunSummary
from app.settings import Settings
from app.unit_of_work import UnitOfWork

log = get_logger("app.reconcile")

#: The schedule looks for due accounts at most this often.
TICK_S = 30.0


class ReconcileSchedule:
    def __init__(
        self,
        session_factory: sessionmaker[UnitOfWork],
        settings: Settings,
        *,
        actor: str = "reconcile:schedule",
        clients: ListingClients | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.settings = settings
        self.actor = actor
        #: Made on the first run that has an account to list (a worker without any starts faster).
        self._clients = clients

    @property
    def clients(self) -> ListingClients:
        if self._clients is None:
            self._clients = ListingClients(self.settings, self.session_factory)
        return self._clients

    def close(self) -> None:
        if self._clients is not None:
            self._clients.close()

    def run_due(self, now: datetime | None = None) -> list[RunSummary]:
        """Run every account that is due now; returns what the runs found."""
        interval = self.settings.reconcile_interval_s
        if interval <= 0:
            return []
        now = now or utcnow()
        session = self.session_factory()
        try:
            candidates = [a.id for a in repository.pollable_accounts(session, POLLED_PLATFORMS)]
            session.rollback()
        finally:
            session.close()
        summaries = []
        for account_id in candidates:
            if not self._claim(account_id, now, now - timedelta(seconds=interval)):
                continue
            try:
                summaries.append(
                    reconcile_account(
                        self.session_factory,
                        self.settings,
                        self.clients,
                        account_id=account_id,
                        actor=self.actor,
                        claimed=True,
                        now=now,
                    )
                )
            except Exception as exc:  # one account's failure must not stop the others
                log.exception("reconcile.account_failed", account_id=account_id, error=type(exc).__name__)
        return summaries

    def _claim(self, account_id: int, now: datetime, started_before: datetime) -> bool:
        session = self.session_factory()
        try:
            begin_write(session)
            claimed = repository.claim_due(session, account_id, now=now, started_before=started_before)
            session.commit()
            return claimed
        finally:
            session.close()

    def run_forever(self, stop: threading.Event) -> None:
        if self.settings.reconcile_interval_s <= 0:
            return
        log.info("reconcile.started", interval_s=self.settings.reconcile_interval_s)
        while not stop.is_set():
            try:
                self.run_due()
            except Exception as exc:  # the loop must outlive any single failure
                log.exception("reconcile.round.failed", error=type(exc).__name__)
            stop.wait(min(TICK_S, self.settings.reconcile_interval_s))
