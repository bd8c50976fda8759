"""Images a comment carried, kept as evidence.

Platform CDN links expire within days, and an image can itself be the
personal data or the threat the comment is judged for: so when evidence is
taken, the photo, GIF or video thumbnail is downloaded and its bytes kept
here, content-addressed by SHA-256 (the same image on two comments is stored
once).  ``CommentMedia`` says which comment carried which image from which
link; culling a comment removes its links and every image no longer linked.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class MediaBlob(Base):
    __tablename__ = "media_blobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CommentMedia(Base):
    __tablename__ = "comment_media"
    __table_args__ = (UniqueConstraint("comment_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    source_url: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
