"""A platform's daily API budget, counted in the database so every process shares it.

YouTube's Data API gives a Google Cloud project a number of units per day
(``UPPSIKT_YOUTUBE_DAILY_QUOTA``); past it every call fails until midnight
Pacific time — also the moderation calls editors are waiting for.  So each
call spends its units here *before* it is made, in a short transaction of its
own (never inside another: it is called between platform requests), and a
call that would go over the budget is not made at all.
"""

from __future__ import annotations

from sqlalchemy.orm import sessionmaker

from app.db import begin_write
from app.models import utcnow
from app.platforms.youtube.client import QuotaExhausted, quota_day
from app.reconcile import repository
from app.unit_of_work import UnitOfWork


class DailyQuota:
    def __init__(self, session_factory: sessionmaker[UnitOfWork], *, platform: str, limit: int) -> None:
        self.session_factory = session_factory
        self.platform = platform
        self.limit = limit

    def spend(self, units: int) -> None:
        """Count ``units`` against today's budget, or raise ``QuotaExhausted`` without counting."""
        now = utcnow()
        session = self.session_factory()
        try:
            begin_write(session)
            ok = repository.spend_quota(
                session, platform=self.platform, day=quota_day(now), units=units, limit=self.limit
            )
            session.commit()
        finally:
            session.close()
        if not ok:
            raise QuotaExhausted(now)
