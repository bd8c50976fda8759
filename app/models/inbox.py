"""The durable inbox: every verified webhook delivery, byte for byte.

A row is written and committed before the platform gets its 2xx; parsing
happens later in the worker.  The database is the queue: ``status``,
``attempts``, ``next_attempt_at``, ``last_error`` and ``handled_at`` are the
whole scheduling state, so a crash at any point loses nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow

DELIVERY_STATUSES = ("pending", "done", "failed")


class WebhookDelivery(Base):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The adapter that parses it: ``meta``, ``linkedin``, ``web`` or ``polled`` (``app.reconcile``).
    source: Mapped[str] = mapped_column(String(20))
    #: Known at ingest only for authenticated ingest (``POST /v1/comments``).
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id", ondelete="RESTRICT"), default=None)
    #: ``source:sha256(body)``: a platform's retry of the same bytes is stored once.
    dedupe_key: Mapped[str] = mapped_column(String(100), unique=True)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    body_sha256: Mapped[str] = mapped_column(String(64))
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    signature_scheme: Mapped[str] = mapped_column(String(40), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    #: Set when culling emptied ``body`` because every comment it carried was culled;
    #: ``body_sha256`` stays, so the log and evidence still point at the same bytes.
    body_culled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    events_count: Mapped[int] = mapped_column(Integer, default=0)
    ignored_count: Mapped[int] = mapped_column(Integer, default=0)
