"""Where messages go (destinations) and the message outbox.

A destination is a tenant's named receiver: a department's or the
registrar's mailbox, a records system's webhook, a Teams or Slack channel.
A webhook's signing secret is stored encrypted like platform tokens.  The
outbox holds every message the service owes someone, written in the same
transaction as the decision or item that caused it, and sent by the worker.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow

#: ``email`` a mailbox; ``webhook`` a signed Standard Webhooks receiver; ``teams``/``slack`` an
#: incoming-webhook URL that takes a card (these cannot verify a signature).
DESTINATION_KINDS = ("email", "webhook", "teams", "slack")


class Destination(Base):
    __tablename__ = "destinations"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    #: The name policies and decisions use (``forward_to``), e.g. ``Socialtjänsten``.
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    #: An e-mail address or an https URL.
    address: Mapped[str] = mapped_column(String(500))
    #: ``whsec_…`` signing secrets (space-separated during a rotation), encrypted; never logged.
    secret_ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboundMessage(Base):
    """One message owed to a destination or a person, sent until sent or failed.

    ``message_id`` is stable: a webhook retried after an unknown outcome carries
    the same ``webhook-id`` and an e-mail the same ``Message-ID``, so a receiver
    can drop the second copy.  ``holds_delete`` keeps the platform delete of the
    same comment waiting until this message is sent (evidence to the registrar
    before deletion, Helsingborg).
    """

    __tablename__ = "outbound_messages"
    __table_args__ = (
        Index("ix_outbound_messages_status_next", "status", "next_attempt_at"),
        Index("ix_outbound_messages_comment_holds", "comment_id", "holds_delete"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="RESTRICT"), index=True)
    account_id: Mapped[int | None] = mapped_column(Integer, default=None)
    comment_id: Mapped[int | None] = mapped_column(Integer, default=None)
    item_id: Mapped[int | None] = mapped_column(Integer, default=None)
    decision_id: Mapped[int | None] = mapped_column(Integer, default=None)
    evidence_id: Mapped[int | None] = mapped_column(Integer, default=None)
    #: The destination, or None for a person's own address (alerts to editors).
    destination_id: Mapped[int | None] = mapped_column(Integer, default=None, index=True)
    destination_name: Mapped[str | None] = mapped_column(String(100), default=None)
    #: ``email``, ``webhook``, ``teams``, ``slack``: fixed when the message is written.
    channel: Mapped[str] = mapped_column(String(20))
    #: A person's e-mail address; None means the destination's address at send time.
    recipient: Mapped[str | None] = mapped_column(String(320), default=None)
    #: ``forward``, ``registration``, ``alert``, ``overdue``, ``escalation``, ``digest``.
    kind: Mapped[str] = mapped_column(String(20))
    #: The Standard Webhooks event type, e.g. ``comment.forwarded``.
    event_type: Mapped[str] = mapped_column(String(60))
    message_id: Mapped[str] = mapped_column(String(100), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(300), unique=True)
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    holds_delete: Mapped[bool] = mapped_column(Boolean, default=False)
    #: ``pending`` → ``sending`` (leased) → ``sent`` | ``failed``.
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    error_code: Mapped[str | None] = mapped_column(String(40), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
