"""The shape of a moderation policy: what a preset file may say, and nothing else.

A policy is the municipality's guideline turned into data.  Each rule maps a
classifier category (optionally a subtype and a minimum score) to the actions
the guideline asks for, carries the guideline sentence it implements and the
line it stands on, and says how urgent it is.  The models are strict
(``extra="forbid"``) because a misspelt key in a preset would otherwise be
silently ignored and a municipality would think a rule was in force when it
was not.

Cross-field checks (``auto_actions`` ⊆ ``actions``, ``forward_to`` required
for ``forward``, texts required for what gets posted) are field validators
rather than model validators so that the error location names the field; the
loader turns those locations into messages an operator can act on.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Any, Literal, Protocol, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from app.policies.clock import validate_office_hours
from classifiers.types import CATEGORIES

Action = Literal[
    "hide", "remove", "register", "refer", "notify_author", "forward", "police_review", "answer", "none"
]

#: Canonical order of actions, the order a recommendation lists them in:
#: first what happens to the comment, then the records, then the replies.
ACTIONS: tuple[str, ...] = get_args(Action)

#: How an editor reads each action (the web inbox's checkboxes, notes, the PDF).
ACTION_LABELS_SV: dict[str, str] = {
    "hide": "Dölj",
    "unhide": "Visa igen",
    "remove": "Ta bort",
    "register": "Diarieför",
    "refer": "Hänvisa",
    "notify_author": "Meddela skribenten",
    "forward": "Vidarebefordra",
    "police_review": "Polisanmälan – prövning",
    "answer": "Svara",
    "none": "Ingen åtgärd",
}

#: Actions that always need a person's judgement and so may never run
#: automatically: a police report is the account owner's decision
#: (Härjedalen), an answer has to be written, and ``none`` does nothing.
NEVER_AUTOMATIC: frozenset[str] = frozenset({"police_review", "answer", "none"})

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_PLATFORM_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class FindingLike(Protocol):
    """What a rule needs from a finding; ``classifiers.types.Finding`` fits."""

    @property
    def category(self) -> str: ...

    @property
    def subtype(self) -> str | None: ...

    @property
    def score(self) -> float: ...


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class RuleTexts(_Strict):
    """Swedish texts posted to the visitor, in the municipality's voice.

    ``reply`` is posted as a reply for ``refer`` (and may be an acknowledgement
    for ``answer`` or ``forward``); ``notify_author`` tells the visitor that
    the comment was removed (Malmö, Haparanda).
    """

    reply: str | None = Field(default=None, min_length=1)
    notify_author: str | None = Field(default=None, min_length=1)


class Citation(_Strict):
    """A further guideline sentence a rule also rests on."""

    quote: str = Field(min_length=1)
    source_line: int = Field(ge=1)


class Rule(_Strict):
    id: str
    category: str
    subtype: tuple[str, ...] | None = None
    min_score: float | None = Field(default=None, ge=0.0, le=1.0)
    actions: tuple[Action, ...] = Field(min_length=1)
    priority: int = Field(ge=1, le=5)
    due_hours: float | None = Field(default=None, gt=0, validate_default=True)
    auto_actions: tuple[Action, ...] = ()
    texts: RuleTexts = Field(default_factory=RuleTexts, validate_default=True)
    forward_to: str | None = Field(default=None, min_length=1, validate_default=True)
    quote: str = Field(min_length=1)
    source_line: int | None = Field(default=None, ge=1)
    source: str | None = Field(default=None, min_length=1)
    see_also: tuple[Citation, ...] = ()
    note: str | None = None

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if not _ID_RE.match(value):
            raise ValueError("must look like 'municipality.rule_name' (lower case, dots, underscores)")
        return value

    @field_validator("category")
    @classmethod
    def _check_category(cls, value: str) -> str:
        if value not in CATEGORIES:
            raise ValueError(f"unknown category {value!r}; expected one of: {', '.join(CATEGORIES)}")
        return value

    @field_validator("subtype", mode="before")
    @classmethod
    def _subtype_as_tuple(cls, value: Any) -> Any:
        # A single subtype is the common case; a list lets one rule cover
        # siblings such as personnummer and samordningsnummer.
        if isinstance(value, str):
            return (value,)
        return value

    @field_validator("subtype")
    @classmethod
    def _check_subtype(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is not None and (not value or any(not s.strip() for s in value)):
            raise ValueError("must be a non-empty subtype or list of subtypes")
        return value

    @field_validator("actions")
    @classmethod
    def _check_actions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("lists an action twice")
        if "none" in value and len(value) > 1:
            raise ValueError("'none' cannot be combined with other actions")
        return value

    @field_validator("due_hours")
    @classmethod
    def _check_due_hours(cls, value: float | None, info: ValidationInfo) -> float | None:
        actions = info.data.get("actions")
        if value is None and actions is not None and actions != ("none",):
            raise ValueError("is required when the rule recommends an action")
        return value

    @field_validator("auto_actions")
    @classmethod
    def _check_auto_actions(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        forbidden = sorted(set(value) & NEVER_AUTOMATIC)
        if forbidden:
            raise ValueError(f"{', '.join(forbidden)} can never run automatically")
        actions = info.data.get("actions")
        if actions is not None:
            extra = [a for a in value if a not in actions]
            if extra:
                raise ValueError(f"{', '.join(extra)} not among the rule's actions")
        return value

    @field_validator("texts")
    @classmethod
    def _check_texts(cls, value: RuleTexts, info: ValidationInfo) -> RuleTexts:
        actions = info.data.get("actions") or ()
        if "refer" in actions and value.reply is None:
            raise ValueError("needs 'reply' because the rule refers the visitor elsewhere")
        if "notify_author" in actions and value.notify_author is None:
            raise ValueError("needs 'notify_author' because the rule notifies the author")
        return value

    @field_validator("forward_to")
    @classmethod
    def _check_forward_to(cls, value: str | None, info: ValidationInfo) -> str | None:
        actions = info.data.get("actions") or ()
        if "forward" in actions and value is None:
            raise ValueError("is required when the rule forwards the comment")
        if "forward" not in actions and value is not None:
            raise ValueError("is only meaningful when the rule forwards the comment")
        return value

    @property
    def is_none(self) -> bool:
        return self.actions == ("none",)

    def matches(self, finding: FindingLike) -> bool:
        if finding.category != self.category:
            return False
        if self.subtype is not None and finding.subtype not in self.subtype:
            return False
        return finding.score >= (self.min_score or 0.0)


class Retention(_Strict):
    """How long unflagged comments are kept before they are culled (gallras).

    Only comments no rule flagged are culled on this schedule: they are of
    "tillfällig eller ringa betydelse" and stay on the platform itself.
    Flagged items and their evidence are records the registrar decides on.
    ``platforms`` overrides the default where a platform's terms are
    stricter (LinkedIn allows members' comments to be stored for 48 hours).
    """

    unflagged_days: int = Field(ge=0)
    platforms: dict[str, int] = Field(default_factory=dict)
    quote: str | None = Field(default=None, min_length=1)
    source_line: int | None = Field(default=None, ge=1)
    note: str = Field(min_length=1)

    @field_validator("platforms")
    @classmethod
    def _check_platforms(cls, value: dict[str, int]) -> dict[str, int]:
        for platform, days in value.items():
            if not _PLATFORM_RE.match(platform):
                raise ValueError(f"platform {platform!r} must be a lower-case name")
            if days < 0:
                raise ValueError(f"{platform}: must be >= 0 days")
        return value

    def days_for(self, platform: str) -> int:
        return self.platforms.get(platform.lower(), self.unflagged_days)


class AccountRequirement(_Strict):
    """What the guideline asks of the people behind every account, with the sentence that asks it.

    The account register warns about an account that falls short, quoting this.
    ``owner``: at least ``minimum`` account owners (kontoansvarig); ``editors``: at
    least ``minimum`` editors; ``people``: at least ``minimum`` different people,
    owners and editors together (someone to cover for the one who is away).
    """

    require: Literal["owner", "editors", "people"]
    minimum: int = Field(default=1, ge=1, le=20)
    quote: str = Field(min_length=1)
    source_line: int = Field(ge=1)


class Policy(_Strict):
    name: str
    municipality: str = Field(min_length=1)
    source: str = Field(min_length=1)
    office_hours: tuple[time, time] | None = None
    retention: Retention
    #: Who must answer for each account; empty where the guideline says nothing about it.
    accounts: tuple[AccountRequirement, ...] = ()
    #: The guideline sentence that says removed material is sent to the registrar first
    #: (Helsingborg): a platform delete then waits until the registrar's message is sent.
    registrar_before_removal: Citation | None = None
    rules: tuple[Rule, ...] = Field(min_length=1)
    note: str | None = None

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str) -> str:
        if not _NAME_RE.match(value):
            raise ValueError("must be a lower-case identifier such as 'finspang'")
        return value

    @field_validator("office_hours")
    @classmethod
    def _check_office_hours(cls, value: tuple[time, time] | None) -> tuple[time, time] | None:
        validate_office_hours(value)
        return value

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def rules_for(self, category: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.category == category)

    def as_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)
