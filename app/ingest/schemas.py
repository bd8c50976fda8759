"""Strict request models for ``POST /v1/comments``: unknown fields are refused."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class CommentIngestItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    external_id: str = Field(min_length=1, max_length=300)
    kind: Literal["added", "edited", "removed", "hidden", "unhidden"] = "added"
    text: str | None = Field(default=None, max_length=200_000)
    author_external_id: str | None = Field(default=None, max_length=300)
    author_name: str | None = Field(default=None, max_length=300)
    post_external_id: str | None = Field(default=None, max_length=300)
    parent_external_id: str | None = Field(default=None, max_length=300)
    created_at: datetime | None = Field(default=None, description="When the comment was written (ISO-8601)")


class CommentIngest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account_id: int = Field(ge=1, le=2**31 - 1)
    comments: list[CommentIngestItem] = Field(min_length=1, max_length=1000)


class IngestAck(BaseModel):
    status: Literal["stored", "duplicate"]
    sha256: str
    comments: int
