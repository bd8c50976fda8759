"""Turning findings into one recommendation, traceable to guideline sentences.

An editor who removes a comment may have to defend it to the visitor, to a
journalist or to the registrar, so a recommendation never stands alone: it
lists every rule that matched with the exact sentence of the guideline each
one implements.

Merging is deliberately simple so that editors can predict it: every rule
that matches any finding applies (a rule for a subtype does not hide the
general rule for its category), actions are the union in canonical order,
the most urgent priority and the earliest due time win.  Texts are taken from
the most specific rule that has one (a rule with a subtype beats a general
rule, then the more urgent rule, then file order), because a fault report
needs the fault-report reply, not the generic one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.assessment.language import is_language_mark, marked_only
from app.platforms.capabilities import capabilities
from app.policies.clock import add_working_hours
from app.policies.models import ACTION_LABELS_SV, ACTIONS, FindingLike, Policy, Rule

#: Shown when a platform without hide would need one that only a removal can replace.
NO_HIDE_NOTE = "{label} saknar dölj-funktion; kommentaren kan bara tas bort."
#: Shown when an automatic hide was dropped: nothing runs at once.
NO_AUTO_HIDE_NOTE = (
    "{label} saknar dölj-funktion; ingen åtgärd görs automatiskt, en redaktör tar ställning till borttagning."
)
#: Shown for any other recommended action the platform cannot carry out.
UNSUPPORTED_NOTE = "”{action}” kan inte utföras på {label} via Uppsikt och rekommenderas därför inte."
#: Shown when a rule that only a language mark matched would have acted automatically.
LANGUAGE_NO_AUTO_NOTE = (
    "Språket har inte bedömts: ingen åtgärd görs automatiskt, en redaktör läser texten först."
)
LINKEDIN_NO_HIDE_NOTE = NO_HIDE_NOTE.format(label="LinkedIn")
LINKEDIN_NO_AUTO_HIDE_NOTE = NO_AUTO_HIDE_NOTE.format(label="LinkedIn")


@dataclass(frozen=True, slots=True)
class MatchedRule:
    """A rule that applied, with the guideline sentence it implements."""

    id: str
    category: str
    subtype: tuple[str, ...] | None
    actions: tuple[str, ...]
    quote: str
    source: str
    source_line: int | None
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "subtype": list(self.subtype) if self.subtype is not None else None,
            "actions": list(self.actions),
            "quote": self.quote,
            "source": self.source,
            "source_line": self.source_line,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Recommendation:
    """What the policy recommends for one comment.

    ``actions`` never contains ``none`` next to a real action; it is empty
    when no rule matched, and ``("none",)`` when only rules that allow the
    comment matched (so the editor still sees *why* it may stay).
    ``due_at`` is an aware UTC datetime, or ``None`` when nothing is due.
    """

    policy: str
    platform: str
    flagged: bool
    actions: tuple[str, ...]
    auto_actions: tuple[str, ...]
    priority: int | None
    due_at: datetime | None
    texts: dict[str, str] = field(default_factory=dict)
    forward_to: tuple[str, ...] = ()
    rules: tuple[MatchedRule, ...] = ()
    notes: tuple[str, ...] = ()
    #: Categories only a language mark raised (``question``): what a person has to read, named
    #: so wherever the item's categories are shown (subjects, alerts, the evidence PDF).
    not_assessed: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "platform": self.platform,
            "flagged": self.flagged,
            "actions": list(self.actions),
            "auto_actions": list(self.auto_actions),
            "priority": self.priority,
            "due_at": self.due_at.isoformat() if self.due_at is not None else None,
            "texts": dict(self.texts),
            "forward_to": list(self.forward_to),
            "rules": [r.as_dict() for r in self.rules],
            "notes": list(self.notes),
            "not_assessed": list(self.not_assessed),
        }


def _canonical(actions: set[str]) -> tuple[str, ...]:
    return tuple(a for a in ACTIONS if a in actions)


def _text_rank(rule: Rule, position: int) -> tuple[int, int, int]:
    return (0 if rule.subtype is not None else 1, rule.priority, position)


def recommend(
    policy: Policy,
    findings: Sequence[FindingLike],
    *,
    platform: str,
    received_at: datetime,
    live: bool = False,
) -> Recommendation:
    if received_at.tzinfo is None or received_at.utcoffset() is None:
        raise ValueError("received_at must be timezone-aware")
    platform = platform.lower()

    matched: list[tuple[int, Rule]] = []
    #: Rules only a language mark matched: nobody has read the text, so they never act by themselves.
    unread: set[int] = set()
    for position, rule in enumerate(policy.rules):
        hits = [f for f in findings if rule.matches(f)]
        if hits:
            matched.append((position, rule))
            if all(is_language_mark(f) for f in hits):
                unread.add(position)

    acting = [(pos, r) for pos, r in matched if not r.is_none]
    caps = capabilities(platform, live=live)
    actions: set[str] = set()
    auto: set[str] = set()
    notes: list[str] = []

    def note(text: str) -> None:
        if text not in notes:
            notes.append(text)

    for position, rule in acting:
        rule_actions = set(rule.actions)
        rule_auto = set(rule.auto_actions)
        if position in unread and rule_auto:
            rule_auto.clear()
            note(LANGUAGE_NO_AUTO_NOTE)
        if "hide" in rule_actions and not caps.hide:
            rule_actions.discard("hide")
            if caps.delete and "remove" not in rule_actions:
                note(NO_HIDE_NOTE.format(label=caps.label))
            if "hide" in rule_auto:
                # Never escalate an automatic hide into an automatic removal:
                # a removal cannot be undone, a hide can.
                rule_auto.discard("hide")
                if caps.delete:
                    note(NO_AUTO_HIDE_NOTE.format(label=caps.label))
        for action in caps.cannot(sorted(rule_actions)):
            rule_actions.discard(action)
            note(UNSUPPORTED_NOTE.format(action=ACTION_LABELS_SV[action], label=caps.label))
        actions |= rule_actions
        auto |= rule_auto

    if acting:
        merged_actions = _canonical(actions)
    elif matched:
        merged_actions = ("none",)
    else:
        merged_actions = ()

    due_hours = [r.due_hours for _, r in acting if r.due_hours is not None]
    due_at = (
        add_working_hours(received_at, min(due_hours), office_hours=policy.office_hours)
        if due_hours
        else None
    )

    texts: dict[str, str] = {}
    for _, rule in sorted(acting, key=lambda pr: _text_rank(pr[1], pr[0])):
        for kind, text in rule.texts.model_dump(exclude_none=True).items():
            texts.setdefault(kind, text)

    forward_to: list[str] = []
    for _, rule in acting:
        if rule.forward_to is not None and rule.forward_to not in forward_to:
            forward_to.append(rule.forward_to)

    return Recommendation(
        policy=policy.name,
        platform=platform,
        flagged=bool(acting),
        actions=merged_actions,
        auto_actions=_canonical(auto & set(merged_actions)),
        priority=min(r.priority for _, r in acting) if acting else None,
        due_at=due_at.astimezone(UTC) if due_at is not None else None,
        texts=texts,
        forward_to=tuple(forward_to),
        rules=tuple(
            MatchedRule(
                id=r.id,
                category=r.category,
                subtype=r.subtype,
                actions=tuple(r.actions),
                quote=r.quote,
                source=r.source or policy.source,
                source_line=r.source_line,
                note=r.note,
            )
            for _, r in matched
        ),
        notes=tuple(notes),
        not_assessed=tuple(sorted(marked_only(findings))),
    )
