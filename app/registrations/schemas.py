"""Registration queue request and response models; requests refuse unknown fields."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

#: What a comment is in the register: an incoming record (tryckfrihetsförordningen ch. 2).
KIND = "inkommen handling"


class RegistrationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    diarienummer: str = Field(
        min_length=1,
        max_length=100,
        description="The case number the registrar assigned, e.g. `KS 2024/567` "
        "(checked against the municipality's format).",
        examples=["KS 2024/567"],
    )


class Sender(BaseModel):
    """The author exactly as the platform gave it (not verified by anyone)."""

    name: str | None
    external_id: str | None


class Channel(BaseModel):
    platform: str
    name: str = Field(description="The platform's name as people write it, e.g. `Facebook`.")


class AccountRef(BaseModel):
    id: int
    platform: str
    external_id: str
    display_name: str


class VersionRead(BaseModel):
    seq: int
    text: str
    text_sha256: str
    occurred_at: datetime
    received_at: datetime


class EvidenceLink(BaseModel):
    id: int
    reason: str
    taken_at: datetime
    sha256: str
    json_url: str = Field(description="`/v1/evidence/{id}`")
    pdf_url: str = Field(description="`/v1/evidence/{id}/pdf`")


class DecisionRef(BaseModel):
    id: int
    actor: str
    decided_at: datetime
    reason: str
    actions: list[str]


class RegistrationRead(BaseModel):
    id: int
    status: Literal["pending", "registered"]
    kind: str = Field(description=f"Always `{KIND}` (an incoming public record).")
    subject_line: str = Field(description="Suggested ärendemening, in Swedish.")
    diarienummer: str | None
    registered_by: str | None
    registered_at: datetime | None
    requested_at: datetime
    item_id: int
    comment_id: int
    comment_external_id: str
    comment_state: str
    received_at: datetime = Field(description="When the service first received the comment.")
    platform_created_at: datetime | None = Field(description="When the platform says it was written.")
    sender: Sender
    channel: Channel
    account: AccountRef
    text: str | None = Field(description="The current text.")
    versions: list[VersionRead] = Field(description="Every text the comment has had, oldest first.")
    categories: list[str]
    evidence_id: int | None = Field(description="The snapshot the request was made on.")
    evidence: list[EvidenceLink] = Field(description="Every snapshot of the comment, oldest first.")
    decision: DecisionRef | None = Field(
        description="The decision that asked for registration; when the policy asked by itself, the "
        "latest decision that confirmed it; null if no person has decided."
    )
    package_url: str = Field(description="`/v1/registrations/{id}/package`: a zip to file.")


class RegistrationPage(BaseModel):
    items: list[RegistrationRead]
    next_cursor: str | None
