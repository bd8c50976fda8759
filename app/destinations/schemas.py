"""Destination request and response models; requests refuse unknown fields."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DestinationKind = Literal["email", "webhook", "teams", "slack"]


class DestinationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, description="The name a policy or decision uses.")
    kind: DestinationKind
    address: str = Field(min_length=3, max_length=500, description="An e-mail address or an https URL.")
    secret: str | None = Field(
        default=None,
        min_length=10,
        max_length=2000,
        description="A webhook's signing secret(s), `whsec_<base64>`; space-separated while rotating.",
    )
    registrar: bool = Field(default=False, description="Registration requests go to this destination.")


class DestinationRead(BaseModel):
    id: int
    name: str
    kind: str
    address: str
    has_secret: bool
    registrar: bool
    created_at: datetime
    pending: int = Field(description="Messages waiting to be sent (or being sent).")
    failed: int = Field(description="Messages that could not be sent.")
    last_error: str | None = Field(description="Why the newest failed message failed, in Swedish.")


class DestinationList(BaseModel):
    destinations: list[DestinationRead]
