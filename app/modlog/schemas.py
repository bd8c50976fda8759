"""Read models of the moderation log."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class LogEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int
    at: datetime
    actor: str
    action: str
    subject_type: str
    subject_id: str
    account_id: int | None
    comment_id: int | None
    payload: dict[str, Any]
    prev_hash: str
    hash: str


class LogPage(BaseModel):
    entries: list[LogEntryRead]
    next_after: int | None = Field(
        description="Pass as `after` for the next page; null when no more entries match right now "
        "(pull again later with `after` set to the last `seq` you received)."
    )


class ChainVerified(BaseModel):
    """The chain verifies and every record has its entries."""

    ok: Literal[True]
    entries: int
    head_seq: int
    head_hash: str
    records_checked: int = Field(description="Records whose log entries were found (comments, decisions, …).")


class MissingLogEntry(BaseModel):
    record: str = Field(description="What kind of record lacks its entry (comment, queue_item_decisions, …).")
    record_id: int = Field(description="The record's id (for per-parent counts: the comment or queue item).")
    expected_action: str = Field(description="The log action that should be there.")


class LogIncomplete(BaseModel):
    """The chain verifies, but records exist whose entries were never written."""

    ok: Literal[False]
    entries: int
    records_checked: int
    missing_count: int
    missing: list[MissingLogEntry] = Field(description="The first missing entries (at most 50).")
    reason: str


class ChainBroken(BaseModel):
    ok: Literal[False]
    entries_checked: int = Field(description="Entries that verified before the first bad one.")
    first_bad_seq: int = Field(description="The first entry that does not verify (or is missing).")
    reason: str
