"""The moderation log: append-only and hash-chained per tenant.

Each entry's hash covers its canonical form including the previous entry's
hash, so changing, removing or reordering any row breaks verification from
that row on.  ``log_chain_heads`` holds each tenant's last sequence number and
hash; appending locks that one row, which serialises appends per tenant while
leaving the rest of a transaction parallel.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime


class ModerationLogEntry(Base):
    __tablename__ = "moderation_log"
    __table_args__ = (
        UniqueConstraint("tenant_id", "seq"),
        # A comment's history (search, evidence, the archive) without reading the whole log.
        Index("ix_moderation_log_tenant_comment", "tenant_id", "comment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="RESTRICT"))
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    subject_type: Mapped[str] = mapped_column(String(40))
    #: Room for a retrained model's name, ``<tenant>-<n>`` (``app.learning``).
    subject_id: Mapped[str] = mapped_column(String(200))
    account_id: Mapped[int | None] = mapped_column(Integer, default=None)
    comment_id: Mapped[int | None] = mapped_column(Integer, default=None)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class LogChainHead(Base):
    __tablename__ = "log_chain_heads"

    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="RESTRICT"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))
