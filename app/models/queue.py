"""Evidence, the decision queue, decisions, the platform-action outbox and
registration requests: the second half of the data flow."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class EvidenceSnapshot(Base):
    """An immutable record of a comment as it was when it was judged.

    ``document`` is the whole snapshot (every version, post and parent as known,
    platform metadata, the raw deliveries, the assessment and recommendation);
    ``sha256`` is over its canonical JSON, so a registrar can show that the
    filed copy is unchanged.  There is no update path.
    """

    __tablename__ = "evidence_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="RESTRICT"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="RESTRICT"))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="RESTRICT"), index=True)
    comment_version_id: Mapped[int | None] = mapped_column(Integer, default=None)
    assessment_id: Mapped[int | None] = mapped_column(Integer, default=None)
    reason: Mapped[str] = mapped_column(String(40))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(String(64))


class QueueItem(Base):
    """One item per comment that needs a person: flagged, or a question to answer."""

    __tablename__ = "queue_items"
    __table_args__ = (
        UniqueConstraint("comment_id"),
        Index("ix_queue_items_tenant_status_order", "tenant_id", "status", "priority", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="RESTRICT"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="RESTRICT"), index=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="RESTRICT"))
    #: ``open`` waits for a decision; ``decided`` has one (a later decision may reverse it).
    status: Mapped[str] = mapped_column(String(20), default="open")
    priority: Mapped[int] = mapped_column(Integer, default=3)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    recommendation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    assessment_id: Mapped[int | None] = mapped_column(Integer, default=None)
    evidence_id: Mapped[int | None] = mapped_column(Integer, default=None)
    claimed_by: Mapped[str | None] = mapped_column(String(200), default=None)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    #: Police review (Härjedalen): ``pending`` until the account owner records an outcome.
    police_review: Mapped[str | None] = mapped_column(String(20), default=None)
    police_review_reason: Mapped[str | None] = mapped_column(Text, default=None)
    police_reviewed_by: Mapped[str | None] = mapped_column(String(200), default=None)
    #: Optimistic concurrency: every change bumps it; a decision based on an old one gets 409.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class Decision(Base):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="RESTRICT"))
    item_id: Mapped[int] = mapped_column(ForeignKey("queue_items.id", ondelete="RESTRICT"), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    actions: Mapped[list[str]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    reply_text: Mapped[str | None] = mapped_column(Text, default=None)
    followed_recommendation: Mapped[bool] = mapped_column(default=False)
    reverses_decision_id: Mapped[int | None] = mapped_column(Integer, default=None)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PlatformAction(Base):
    """The outbox: one call to make on a platform, retried until done or failed.

    ``idempotency_key`` makes enqueueing the same action twice a no-op; a
    running action holds a lease so a crashed worker's action is picked up again.
    """

    __tablename__ = "platform_actions"
    __table_args__ = (Index("ix_platform_actions_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="RESTRICT"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="RESTRICT"))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="RESTRICT"), index=True)
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("queue_items.id", ondelete="RESTRICT"), default=None
    )
    decision_id: Mapped[int | None] = mapped_column(Integer, default=None)
    evidence_id: Mapped[int | None] = mapped_column(Integer, default=None)
    #: ``hide``, ``unhide``, ``delete``, ``reply``.
    kind: Mapped[str] = mapped_column(String(20))
    target_external_id: Mapped[str] = mapped_column(String(300))
    message: Mapped[str | None] = mapped_column(Text, default=None)
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    #: ``pending`` → ``running`` (leased) → ``done`` | ``failed``.
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    error_code: Mapped[str | None] = mapped_column(String(40), default=None)
    result_id: Mapped[str | None] = mapped_column(String(300), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class Registration(Base):
    """A request to register (diarieföra) a comment, and the case number once registered."""

    __tablename__ = "registrations"
    __table_args__ = (UniqueConstraint("item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="RESTRICT"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("queue_items.id", ondelete="RESTRICT"))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="RESTRICT"))
    evidence_id: Mapped[int | None] = mapped_column(Integer, default=None)
    decision_id: Mapped[int | None] = mapped_column(Integer, default=None)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    subject_line: Mapped[str] = mapped_column(Text)
    diarienummer: Mapped[str | None] = mapped_column(String(100), default=None)
    registered_by: Mapped[str | None] = mapped_column(String(200), default=None)
    registered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
