"""Queue request and response models; requests refuse unknown fields."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.api_types import Category

DecisionAction = Literal[
    "hide",
    "unhide",
    "remove",
    "register",
    "refer",
    "notify_author",
    "forward",
    "police_review",
    "answer",
    "none",
]


class TextSpan(BaseModel):
    start: int = Field(description="Offset of the first character in `text_excerpt`.")
    end: int = Field(description="Offset just past the last character.")


class QueueItemRead(BaseModel):
    id: int
    account_id: int
    comment_id: int
    status: str
    priority: int
    due_at: datetime | None
    overdue: bool
    categories: list[str]
    recommended_actions: list[str]
    claimed_by: str | None
    claimed_until: datetime | None
    police_review: str | None
    comment_state: str
    version: int
    created_at: datetime
    updated_at: datetime
    platform: str | None = Field(default=None, description="Listings only: where the comment is.")
    author_name: str | None = Field(default=None, description="Listings only: who wrote the comment.")
    text_excerpt: str | None = Field(
        default=None, description="Listings only: the assessed text, at most 280 characters."
    )
    highlights: list[TextSpan] = Field(
        default_factory=list,
        description="Listings only: the words that triggered a finding, in `text_excerpt`.",
    )


class QueuePage(BaseModel):
    items: list[QueueItemRead]
    next_cursor: str | None


class ActionRead(BaseModel):
    id: int
    kind: str
    status: str
    attempts: int
    last_error: str | None
    error_code: str | None
    decision_id: int | None
    created_at: datetime
    done_at: datetime | None


class FindingFeedback(BaseModel):
    """An editor's judgement of one of the item's findings."""

    model_config = ConfigDict(extra="forbid")

    category: Category = Field(
        description=(
            "The category of a finding the item has, or, with `wrong`, one named in "
            "`missed_categories` for the same text before (withdrawing that label)."
        )
    )
    verdict: Literal["confirmed", "wrong"]


class LabelRead(BaseModel):
    category: str
    verdict: str = Field(description="`confirmed`, `wrong` or `missed`.")


class DecisionRead(BaseModel):
    id: int
    actor: str
    actions: list[str]
    reason: str
    reply_text: str | None
    followed_recommendation: bool
    reverses_decision_id: int | None
    decided_at: datetime
    labels: list[LabelRead] = Field(
        default_factory=list, description="What the editor said about the findings with this decision."
    )


class QueueItemDetail(QueueItemRead):
    comment: dict[str, Any]
    findings: list[dict[str, Any]]
    recommendation: dict[str, Any]
    evidence: list[dict[str, Any]]
    decisions: list[DecisionRead]
    actions: list[ActionRead]
    registration: dict[str, Any] | None
    police_review_reason: str | None


class DecisionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    actions: list[DecisionAction] = Field(min_length=1, max_length=10)
    reason: str = Field(min_length=1, max_length=2000)
    reply_text: str | None = Field(default=None, min_length=1, max_length=8000)
    expected_version: int | None = Field(default=None, ge=1, le=2**31)
    reverse_previous: bool = False
    take_over: bool = Field(
        default=False, description="Decide although another person holds a claim on the item (logged)."
    )
    finding_feedback: list[FindingFeedback] = Field(
        default_factory=list,
        max_length=40,
        description=(
            "Per finding: was it right?  Kept as a label for the tenant's model (`uppsikt model retrain`)."
        ),
    )
    missed_categories: list[Category] = Field(
        default_factory=list,
        max_length=40,
        description="Categories the classifier should have found; kept as labels like `finding_feedback`.",
    )
    forward_to: list[Annotated[str, Field(min_length=1, max_length=100)]] | None = Field(
        default=None,
        max_length=10,
        description="With `forward`: the destinations to send to (default: those the policy names).",
    )


class DecisionResult(BaseModel):
    item: QueueItemDetail
    decision: DecisionRead


class PoliceReviewCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reported: bool
    reason: str = Field(min_length=1, max_length=2000)
