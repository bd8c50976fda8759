"""Read models of the records search."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class SearchAccount(BaseModel):
    id: int
    platform: str
    external_id: str
    display_name: str


class SearchAuthor(BaseModel):
    external_id: str | None
    name: str | None


class SearchVersion(BaseModel):
    """A version's place and fingerprint; its text is only in ``text`` (current) or the comment API."""

    seq: int
    text_sha256: str
    occurred_at: datetime
    received_at: datetime


class SearchEvidence(BaseModel):
    id: int
    sha256: str
    reason: str
    taken_at: datetime
    url: str = Field(description="The snapshot as JSON")
    pdf_url: str = Field(description="The snapshot as a PDF to file")


class SearchQueueItem(BaseModel):
    id: int
    status: str
    categories: list[str]
    decided_at: datetime | None


class SearchRegistration(BaseModel):
    id: int
    status: str
    diarienummer: str | None
    registered_at: datetime | None


class SearchHit(BaseModel):
    id: int
    account: SearchAccount
    platform: str
    external_id: str
    post_external_id: str | None
    parent_external_id: str | None
    author: SearchAuthor
    state: str
    first_received_at: datetime = Field(description="When Uppsikt received it: the record's time of arrival")
    platform_created_at: datetime | None
    text: str | None = Field(description="The current text; null once the comment is culled")
    culled_at: datetime | None
    legal_hold: bool = Field(description="Culling is stopped for the comment or its whole account")
    version_count: int
    versions: list[SearchVersion]
    evidence: list[SearchEvidence]
    queue_item: SearchQueueItem | None
    registration: SearchRegistration | None


class SearchPage(BaseModel):
    items: list[SearchHit]
    next_cursor: str | None
