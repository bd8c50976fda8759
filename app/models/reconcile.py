"""What the reconciler and the polled platforms need to remember between runs.

Webhooks are the fast path; reconciliation through the platforms' APIs is the
safety net (design invariant 9).  Each account keeps when it was last
reconciled and, after a throttle answer, when the platform said it may be
asked again, so a scheduled run never hammers a platform that asked for
quiet.  YouTube's Data API is budgeted in quota units per day for the whole
Google Cloud project, so the units spent are counted per platform and day in
the database, where every worker process sees the same count.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime


class ReconcileState(Base):
    __tablename__ = "reconcile_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), unique=True)
    last_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    #: The end of the last run that listed everything it meant to: the next run's window starts here.
    last_complete_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    #: No call to the platform for this account before this time (a throttle or quota answer).
    resume_after: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    #: The counts of the last run (listed, missing, edited, deleted …), for operators.
    last_counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ApiQuotaUsage(Base):
    """Units spent against a platform's daily quota (YouTube: the day in Pacific time)."""

    __tablename__ = "api_quota_usage"
    __table_args__ = (UniqueConstraint("platform", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    #: ``YYYY-MM-DD`` in the platform's own quota day.
    day: Mapped[str] = mapped_column(String(10))
    units: Mapped[int] = mapped_column(Integer, default=0)
