"""What editors taught the classifier, and the models retrained from it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class DecisionLabel(Base):
    """One editor's judgement of one category for one comment, made with a decision.

    ``verdict`` is ``confirmed`` or ``wrong`` (about a finding the classifier
    made) or ``missed`` (a category it should have found).  ``text`` is the
    assessed text as it was when the editor decided: what the label is about
    even if the comment is edited later.  Labels belong to their tenant and
    train only that tenant's models.
    """

    __tablename__ = "decision_labels"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="RESTRICT"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("queue_items.id", ondelete="RESTRICT"))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="RESTRICT"))
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="RESTRICT"))
    assessment_id: Mapped[int | None] = mapped_column(Integer, default=None)
    model_version: Mapped[str | None] = mapped_column(String(400), default=None)
    text: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(40))
    verdict: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClassifierModel(Base):
    """A tenant's retrained text model: the artefact's bytes and how it measured.

    ``version`` is what people name it by (``<tenant>-<n>``); ``model_version``
    is the classifier's full version string, which every assessment made
    with it records.  ``active`` marks the one the tenant's comments are
    classified with (none: the shipped model).
    """

    __tablename__ = "classifier_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="RESTRICT"), index=True)
    version: Mapped[str] = mapped_column(String(120), unique=True)
    seq: Mapped[int] = mapped_column(Integer)
    model_version: Mapped[str] = mapped_column(String(400))
    sha256: Mapped[str] = mapped_column(String(64))
    artefact: Mapped[bytes] = mapped_column(LargeBinary)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(default=False, index=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
