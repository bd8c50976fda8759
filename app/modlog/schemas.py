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
    ok: Literal[True]
    entries: int
    head_seq: int
    head_hash: str


class ChainBroken(BaseModel):
    ok: Literal[False]
    entries_checked: int = Field(description="Entries that verified before the first bad one.")
    first_bad_seq: int = Field(description="The first entry that does not verify (or is missing).")
    reason: str
