"""The daily token check, run from the outbox worker's loop.

Which accounts are due is read from the accounts themselves (``token_checked_at``),
so the schedule survives restarts and is shared by every worker; two workers that
check the same account at once only write the same answer twice.  A round checks
a few accounts at most and a worker looks again no sooner than a minute later, so
hundreds of accounts spread over the day instead of arriving at Meta in one burst.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import sessionmaker

from app.connections import repository
from app.connections.service import PlatformClients, check_accounts
from app.crypto import TokenCipher
from app.logging import get_logger
from app.models import utcnow
from app.settings import Settings
from app.unit_of_work import UnitOfWork

log = get_logger("app.connections")

#: Accounts checked per round, and the pause between rounds.
ROUND_SIZE = 10
ROUND_PAUSE = timedelta(minutes=1)


class TokenCheckSchedule:
    def __init__(self, session_factory: sessionmaker[UnitOfWork], settings: Settings, *, actor: str) -> None:
        self.session_factory = session_factory
        self.settings = settings
        self.actor = actor
        self.clients = PlatformClients(settings)
        self.cipher = TokenCipher(settings)
        self._not_before: datetime | None = None

    def close(self) -> None:
        self.clients.close()

    def maybe_run(self, now: datetime | None = None) -> int:
        """Check the tokens that are due; returns how many were checked."""
        interval = self.settings.token_check_interval_s
        if interval <= 0 or not self.settings.secret_key.get_secret_value():
            return 0
        now = now or utcnow()
        if self._not_before is not None and now < self._not_before:
            return 0
        self._not_before = now + ROUND_PAUSE
        with self.session_factory() as session:
            due = repository.account_ids_due_for_check(
                session, checked_before=now - timedelta(seconds=interval), limit=ROUND_SIZE
            )
        if not due:
            return 0
        results = check_accounts(
            self.session_factory, due, clients=self.clients, cipher=self.cipher, actor=self.actor
        )
        for account, health in results:
            if health.problem or health.missing_scopes:
                log.warning(
                    "connections.token_problem",
                    account_id=account.id,
                    problem=health.problem,
                    missing_scopes=health.missing_scopes,
                )
        log.info("connections.tokens_checked", count=len(results))
        return len(results)
