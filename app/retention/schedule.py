"""Running culling from the worker loop, every ``retention_interval_s``.

The last run is read from the moderation log (the newest ``retention.run``
entry that was not a dry run, per tenant), so the schedule survives restarts
and is shared by every worker.  Several workers may call ``maybe_run`` at
once: only the one that takes the retention guard runs — a PostgreSQL
advisory lock held on its own connection for the whole run (released with
the connection if the process dies), plus a lock per database inside the
process for SQLite, where only one process writes at a time anyway.  A
worker that finds the guard taken, or nothing due, does not look again before
the next run can be due, so a worker polling every 0.2 s reads the log about
once per interval.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.db import commit
from app.errors import UppsiktError
from app.logging import get_logger
from app.models import ModerationLogEntry, Tenant, utcnow
from app.retention.service import ACTION, run_retention
from app.settings import Settings
from app.unit_of_work import UnitOfWork

log = get_logger("app.retention")

#: The PostgreSQL advisory lock key of culling ("uppsikt" + 1, as a signed 64-bit number).
ADVISORY_KEY = 0x7570_7073_696B_7401
#: How far back the schedule looks for the last real run among dry runs.
LOOKBACK_ENTRIES = 20

_local_locks: dict[str, threading.Lock] = {}
_local_locks_guard = threading.Lock()


def _local_lock(engine: Engine) -> threading.Lock:
    key = engine.url.render_as_string(hide_password=True)
    with _local_locks_guard:
        return _local_locks.setdefault(key, threading.Lock())


@contextmanager
def retention_guard(engine: Engine) -> Iterator[bool]:
    """Yields True to the one caller that may run culling now, False to any other."""
    local = _local_lock(engine)
    if not local.acquire(blocking=False):
        yield False
        return
    try:
        if engine.dialect.name != "postgresql":
            yield True
            return
        with engine.connect() as conn:
            acquired = bool(conn.scalar(select(func.pg_try_advisory_lock(ADVISORY_KEY))))
            conn.commit()
            try:
                yield acquired
            finally:
                if acquired:
                    conn.scalar(select(func.pg_advisory_unlock(ADVISORY_KEY)))
                    conn.commit()
    finally:
        local.release()


def last_run_at(session: Session, tenant_id: int) -> datetime | None:
    rows = session.execute(
        select(ModerationLogEntry.at, ModerationLogEntry.payload)
        .where(ModerationLogEntry.tenant_id == tenant_id, ModerationLogEntry.action == ACTION)
        .order_by(ModerationLogEntry.seq.desc())
        .limit(LOOKBACK_ENTRIES)
    ).all()
    for at, payload in rows:
        if not (isinstance(payload, dict) and payload.get("dry_run")):
            return at
    return None


class RetentionSchedule:
    def __init__(
        self,
        session_factory: sessionmaker[UnitOfWork],
        settings: Settings,
        *,
        actor: str = "retention:schedule",
    ) -> None:
        self.session_factory = session_factory
        self.settings = settings
        self.actor = actor
        self._not_before: datetime | None = None

    def maybe_run(self, now: datetime | None = None) -> bool:
        """Cull every tenant whose last run is ``retention_interval_s`` old; True if any ran."""
        interval_s = self.settings.retention_interval_s
        if interval_s <= 0:
            return False
        now = now or utcnow()
        if self._not_before is not None and now < self._not_before:
            return False
        interval = timedelta(seconds=interval_s)
        # Until this round ends well, look again no sooner than this (a failing run must not spin).
        self._not_before = now + min(interval, timedelta(minutes=5))
        session = self.session_factory()
        engine = session.get_bind()
        assert isinstance(engine, Engine)
        try:
            with retention_guard(engine) as acquired:
                if not acquired:
                    return False
                due, next_due = self._due(session, now, interval)
                session.rollback()
                ran = False
                for tenant_id in due:
                    try:
                        run_retention(
                            session,
                            now=now,
                            dry_run=False,
                            tenant_id=tenant_id,
                            commit=commit,
                            actor=self.actor,
                        )
                        ran = True
                    except UppsiktError as exc:
                        session.rollback()
                        log.warning("retention.tenant_failed", tenant_id=tenant_id, error=exc.name)
                self._not_before = min([now + interval, *next_due])
                return ran
        finally:
            session.close()

    def _due(self, session: Session, now: datetime, interval: timedelta) -> tuple[list[int], list[datetime]]:
        due: list[int] = []
        later: list[datetime] = []
        for tenant_id in session.scalars(select(Tenant.id).order_by(Tenant.id)).all():
            last = last_run_at(session, tenant_id)
            if last is None or now - last >= interval:
                due.append(tenant_id)
            else:
                later.append(last + interval)
        return due, later
