"""A tenant's notification settings (``tenants.notifications``), validated.

Defaults follow the guidelines: urgent items (priority 1, threats, sekretess,
personnummer) are told to the editors at once; an item still open two working
hours after its due time goes to the account owner (kontoansvarig, the
substitute the guidelines ask for); a digest each working morning.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.errors import Unprocessable


class NotificationSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: The destination registration requests (and evidence before deletion) go to.
    registrar: str | None = Field(default=None, min_length=1, max_length=100)
    #: A new item at this priority or more urgent (1 is the most urgent) alerts the editors at once.
    alert_priority: int = Field(default=1, ge=1, le=5)
    #: Categories that alert whatever the priority.
    alert_categories: tuple[str, ...] = ("threat", "confidential")
    #: Minutes after the due time before an open item goes to the account owner as well.
    escalate_after_minutes: int = Field(default=120, ge=0, le=7 * 24 * 60)
    #: A morning digest per account on working days, from this hour (Stockholm time).
    digest: bool = True
    digest_hour: int = Field(default=8, ge=0, le=23)


def settings_of(raw: dict[str, Any] | None) -> NotificationSettings:
    try:
        return NotificationSettings.model_validate(raw or {})
    except ValidationError:
        raise Unprocessable(
            "Tenantens aviseringsinställningar (notifications) är ogiltiga – rätta dem innan något skickas."
        ) from None
