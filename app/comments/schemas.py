"""Comment read models."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class CommentVersionRead(BaseModel):
    seq: int
    text: str
    text_sha256: str
    occurred_at: datetime
    received_at: datetime


class CommentEventRead(BaseModel):
    kind: str
    occurred_at: datetime
    received_at: datetime


class AssessmentRead(BaseModel):
    id: int
    version_seq: int | None
    model_version: str
    categories: list[str]
    findings: list[dict[str, Any]]
    created_at: datetime


class CommentRead(BaseModel):
    id: int
    account_id: int
    platform: str
    external_id: str
    post_external_id: str | None
    parent_external_id: str | None
    author_external_id: str | None
    author_name: str | None
    state: str
    text: str | None
    version_count: int
    platform_created_at: datetime | None
    first_received_at: datetime
    updated_at: datetime
    media_urls: list[str]


class CommentDetail(CommentRead):
    versions: list[CommentVersionRead]
    events: list[CommentEventRead]
    assessments: list[AssessmentRead]
    platform_metadata: dict[str, Any]


class CommentPage(BaseModel):
    items: list[CommentRead]
    next_cursor: str | None
