"""Comments as the platform shows them, every distinct text they have had, and
the platform events that changed them.

A comment is an allmän handling from the moment it is published, so nothing
here is ever overwritten: an edit adds a version, a removal changes the state
and keeps the text.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow

COMMENT_STATES = ("visible", "hidden", "deleted_by_author", "deleted_by_us")


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (
        UniqueConstraint("account_id", "external_id"),
        Index("ix_comments_tenant_received", "tenant_id", "first_received_at"),
        Index("ix_comments_tenant_author", "tenant_id", "author_external_id"),
        Index("ix_comments_account_post", "account_id", "post_external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="RESTRICT"))
    #: No index of its own: the unique (account_id, external_id) index serves every lookup by
    #: account, and a second one let a plan cached while the table was small read every
    #: comment of the account for each new comment (migration 0005).
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="RESTRICT"))
    platform: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(300))
    post_external_id: Mapped[str | None] = mapped_column(String(300), default=None)
    parent_external_id: Mapped[str | None] = mapped_column(String(300), default=None)
    author_external_id: Mapped[str | None] = mapped_column(String(300), default=None)
    author_name: Mapped[str | None] = mapped_column(String(300), default=None)
    state: Mapped[str] = mapped_column(String(30), default="visible")
    #: Ordering key of the event that set ``state``: (time, rank).  Events that arrive
    #: out of order only change the state if they are newer, so every arrival order
    #: converges on the same final state.
    state_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    state_rank: Mapped[int] = mapped_column(Integer, default=-1)
    current_version_id: Mapped[int | None] = mapped_column(Integer, default=None)
    current_version_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    platform_created_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    first_received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    media_urls: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: A legal hold stops culling of this comment (as ``Account.legal_hold`` does for a whole account).
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Set when culling (gallring) removed the text and personal data; hashes and metadata stay.
    culled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    #: Platform metadata as given (post decoration, media type, …), without the text.
    platform_metadata: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class CommentVersion(Base):
    """One distinct text of a comment.

    ``text`` is what PostgreSQL can hold and search (NUL removed, unpaired
    surrogates replaced); when that differs from what the platform sent,
    ``text_exact`` keeps the original bytes (UTF-8 with surrogates passed
    through) so the record stays faithful.  ``text_sha256`` is over the exact form.
    """

    __tablename__ = "comment_versions"
    __table_args__ = (UniqueConstraint("comment_id", "text_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    text_exact: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    text_sha256: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivery_id: Mapped[int | None] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="SET NULL"), default=None
    )


class CommentEvent(Base):
    """A platform event applied to a comment; ``event_key`` makes replays no-ops."""

    __tablename__ = "comment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    event_key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivery_id: Mapped[int | None] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="SET NULL"), default=None
    )


class Assessment(Base):
    """What the classifiers found in one comment version, for one model version."""

    __tablename__ = "assessments"
    __table_args__ = (UniqueConstraint("comment_version_id", "model_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="RESTRICT"), index=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    comment_version_id: Mapped[int] = mapped_column(ForeignKey("comment_versions.id", ondelete="CASCADE"))
    #: Room for a tenant's retrained model's name (``app.learning``) and an own model's
    #: (``+remote:<name>``, ``app.assessment.remote``).
    model_version: Mapped[str] = mapped_column(String(400))
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
