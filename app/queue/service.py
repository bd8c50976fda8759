"""Editors' work on the decision queue.

Items are made by the pipeline (``app.pipeline``: evidence first, then the
item, then any automatic action).  ``decide`` turns an editor's decision into outbox actions, a registration
request, a forward or a police review.  Two editors deciding at once: the
compare-and-set on the item's version lets exactly one win; the other gets
409.  A later decision may reverse an earlier one, with a reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.actions import repository as actions_repository
from app.actions import service as actions
from app.assessment import language
from app.errors import Conflict, Forbidden, NotFound, Unprocessable
from app.evidence import repository as evidence_repository
from app.evidence.service import ensure_current_snapshot
from app.learning import service as learning
from app.models import (
    Account,
    Assessment,
    Comment,
    Decision,
    QueueItem,
    Registration,
    Tenant,
    utcnow,
)
from app.modlog.service import record
from app.notifications import service as notifications
from app.platforms.capabilities import capabilities, is_live_comment, label, missing_sv
from app.principal import Principal
from app.queue import repository

#: Actions an editor may decide on; ``unhide`` reverses a hide.
DECISION_ACTIONS = (
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
)


@dataclass(frozen=True, slots=True)
class FindingView:
    """A stored finding, readable by the policy (category, subtype, score)."""

    category: str
    subtype: str | None
    score: float


def findings_of(assessment: Assessment) -> list[FindingView]:
    return [
        FindingView(f["category"], f.get("subtype"), float(f.get("score", 0))) for f in assessment.findings
    ]


def log_item(session: Session, item: QueueItem, actor: str, action: str, payload: dict[str, Any]) -> None:
    record(
        session,
        tenant_id=item.tenant_id,
        actor=actor,
        action=action,
        subject_type="queue_item",
        subject_id=item.id,
        account_id=item.account_id,
        comment_id=item.comment_id,
        payload=payload,
    )


# -- registration requests (diarieföring) --------------------------------------------------


def subject_line(comment: Comment, account: Account, item: QueueItem) -> str:
    labels = language.categories_sv(
        item.categories, language.not_assessed(item.recommendation), none="synpunkt"
    )
    platform = label(comment.platform)
    return f"Inkommen kommentar på {platform} ({account.display_name}) – {labels}"


def request_registration(
    session: Session,
    *,
    item: QueueItem,
    comment: Comment,
    decision_id: int | None,
    evidence_id: int | None,
    actor: str,
) -> Registration:
    existing = repository.registration_for_item(session, item.id)
    if existing is not None:
        return existing
    account = session.get(Account, comment.account_id)
    assert account is not None
    registration = Registration(
        tenant_id=item.tenant_id,
        item_id=item.id,
        comment_id=comment.id,
        evidence_id=evidence_id,
        decision_id=decision_id,
        status="pending",
        subject_line=subject_line(comment, account, item),
    )
    repository.add(session, registration)
    log_item(
        session,
        item,
        actor,
        "registration.requested",
        {"registration_id": registration.id, "evidence_id": evidence_id},
    )
    notifications.notify_registrar(
        session, item=item, comment=comment, registration=registration, evidence_id=evidence_id, actor=actor
    )
    return registration


# -- editors ------------------------------------------------------------------------------


def get_item(session: Session, principal: Principal, item_id: int) -> QueueItem:
    item = repository.item_in_tenant(session, principal.tenant_id, item_id)
    if item is None or not principal.may_see_account(item.account_id):
        raise NotFound("No such queue item.")
    return item


def held_by_other(item: QueueItem, principal: Principal) -> str | None:
    """Who else holds a live claim on the item, if anyone."""
    live = item.claimed_until is not None and item.claimed_until > utcnow()
    if item.claimed_by and item.claimed_by != principal.actor and live:
        return item.claimed_by
    return None


def _take_over(
    session: Session, item: QueueItem, principal: Principal, holder: str, *, take_over: bool
) -> None:
    """Another person's claim stands unless this one takes the item over on purpose (logged)."""
    if not take_over:
        raise Conflict(f"{holder} is handling the item; send take_over=true to take it over.")
    log_item(session, item, principal.actor, "queue.claim_taken_over", {"from": holder})


def claim(
    session: Session, *, principal: Principal, item_id: int, ttl: timedelta, take_over: bool = False
) -> QueueItem:
    item = get_item(session, principal, item_id)
    now = utcnow()
    if item.status == "decided":
        raise Conflict("The item is already decided; there is nothing to claim.")
    holder = held_by_other(item, principal)
    if holder is not None:
        _take_over(session, item, principal, holder, take_over=take_over)
    if not repository.bump_version(
        session, item.id, item.version, claimed_by=principal.actor, claimed_until=now + ttl, updated_at=now
    ):
        raise Conflict("The item changed; reload and try again.")
    session.refresh(item)
    log_item(
        session,
        item,
        principal.actor,
        "queue.item_claimed",
        {"until": item.claimed_until.isoformat() if item.claimed_until else None},
    )
    return item


def decide(
    session: Session,
    *,
    principal: Principal,
    item_id: int,
    actions_requested: list[str],
    reason: str,
    reply_text: str | None,
    expected_version: int | None,
    reverse_previous: bool,
    take_over: bool = False,
    finding_feedback: Sequence[tuple[str, str]] = (),
    missed_categories: Sequence[str] = (),
    forward_to: list[str] | None = None,
) -> tuple[QueueItem, Decision]:
    """Decide an item; ``finding_feedback`` (category, confirmed/wrong) and ``missed_categories``
    become labels the tenant's model can be retrained on (``app.learning``)."""
    item = get_item(session, principal, item_id)
    holder = held_by_other(item, principal)
    if holder is not None and item.status != "decided":
        _take_over(session, item, principal, holder, take_over=take_over)
    comment = session.get(Comment, item.comment_id)
    assert comment is not None
    wanted = list(dict.fromkeys(actions_requested))
    _validate_actions(wanted, comment, item, reply_text)
    judged = learning.check_feedback(session, item=item, feedback=finding_feedback, missed=missed_categories)
    if forward_to:
        if "forward" not in wanted:
            raise Unprocessable("forward_to needs the action 'forward'.")
        notifications.check_forward_to(session, item.tenant_id, forward_to)
    if expected_version is not None and expected_version != item.version:
        raise Conflict(f"The item is at version {item.version}, not {expected_version}; reload it.")
    if item.status == "decided" and not reverse_previous:
        raise Conflict(
            "The item is already decided; to change the decision send reverse_previous=true with a reason."
        )
    now = utcnow()
    previous = repository.decisions_of(session, item.id)
    if not repository.bump_version(
        session,
        item.id,
        item.version,
        status="decided",
        decided_at=now,
        updated_at=now,
        claimed_by=None,
        claimed_until=None,
    ):
        raise Conflict("Another decision on this item was made at the same moment; reload it.")
    recommended = item.recommendation.get("actions", [])
    decision = Decision(
        tenant_id=item.tenant_id,
        item_id=item.id,
        actor=principal.actor,
        actions=wanted,
        reason=reason,
        reply_text=reply_text,
        followed_recommendation=sorted(wanted) == sorted(recommended),
        reverses_decision_id=previous[-1].id if previous and reverse_previous else None,
        decided_at=now,
    )
    repository.add(session, decision)
    session.refresh(item)
    log_item(
        session,
        item,
        principal.actor,
        "queue.decided",
        {
            "decision_id": decision.id,
            "actions": wanted,
            "followed_recommendation": decision.followed_recommendation,
            "reverses": decision.reverses_decision_id,
        },
    )
    learning.record_labels(
        session,
        item=item,
        comment=comment,
        decision=decision,
        assessment=judged,
        feedback=finding_feedback,
        missed=missed_categories,
        actor=principal.actor,
    )
    _carry_out(
        session,
        item=item,
        comment=comment,
        decision=decision,
        reply_text=reply_text,
        actor=principal.actor,
        forward_to=list(dict.fromkeys(forward_to or [])),
    )
    return item, decision


def _validate_actions(wanted: list[str], comment: Comment, item: QueueItem, reply_text: str | None) -> None:
    if not wanted:
        raise Unprocessable("Choose at least one action (or 'none').")
    unknown = [a for a in wanted if a not in DECISION_ACTIONS]
    if unknown:
        raise Unprocessable(f"Unknown actions: {', '.join(unknown)}.")
    if "none" in wanted and len(wanted) > 1:
        raise Unprocessable("'none' cannot be combined with other actions.")
    live = is_live_comment(comment.platform_metadata)
    unsupported = capabilities(comment.platform, live=live).cannot(wanted)
    if unsupported:
        raise Unprocessable(
            f"{missing_sv(comment.platform, unsupported[0], live=live)}: "
            "choose among the actions it can carry out."
        )
    texts = item.recommendation.get("texts", {})
    if {"refer", "answer"} & set(wanted) and not (reply_text or texts.get("reply")):
        raise Unprocessable("reply_text is required for refer and answer (the policy has no text to post).")


def _carry_out(
    session: Session,
    *,
    item: QueueItem,
    comment: Comment,
    decision: Decision,
    reply_text: str | None,
    actor: str,
    forward_to: list[str] | None = None,
) -> None:
    wanted = set(decision.actions)
    texts = item.recommendation.get("texts", {})
    deleted_by_author = comment.state == "deleted_by_author"
    needs_evidence = bool({"hide", "remove"} & wanted) and not deleted_by_author
    evidence = ensure_current_snapshot(session, comment=comment, actor=actor) if needs_evidence else None
    evidence_id = evidence.id if evidence else item.evidence_id

    def enqueue(kind: str, target: str, message: str | None = None) -> None:
        actions.enqueue(
            session,
            comment=comment,
            kind=kind,
            target_external_id=target,
            message=message,
            idempotency_key=f"d{decision.id}:{kind}:{target}",
            item_id=item.id,
            decision_id=decision.id,
            evidence_id=evidence_id,
            actor=actor,
        )

    # Replies first: a reply to a comment cannot be posted after it is hidden (Instagram) or removed.
    if {"refer", "answer"} & wanted and not deleted_by_author:
        enqueue("reply", comment.external_id, reply_text or texts.get("reply"))
    if "notify_author" in wanted and texts.get("notify_author") and not deleted_by_author:
        # On Facebook the notice goes on the post, where it survives the comment's removal.
        target = (
            comment.post_external_id
            if comment.platform == "facebook" and comment.post_external_id
            else comment.external_id
        )
        enqueue("reply", target, texts["notify_author"])
    if not deleted_by_author:
        # An auto-action may already have done (or queued) the same thing: never twice.
        last = actions_repository.latest_visibility_action(session, comment.id)
        if "hide" in wanted and not (last is not None and last.kind == "hide"):
            enqueue("hide", comment.external_id)
        if "unhide" in wanted and last is not None and last.kind == "hide":
            enqueue("unhide", comment.external_id)
        if "remove" in wanted and not actions_repository.our_delete_exists(session, comment.id):
            if "register" not in wanted:
                # Where the guideline says so, the evidence reaches the registrar before the delete.
                tenant = session.get(Tenant, item.tenant_id)
                if tenant is not None and notifications.registrar_before_removal(tenant):
                    notifications.notify_registrar(
                        session,
                        item=item,
                        comment=comment,
                        registration=repository.registration_for_item(session, item.id),
                        evidence_id=evidence_id,
                        actor=actor,
                    )
            enqueue("delete", comment.external_id)
    if "register" in wanted:
        request_registration(
            session, item=item, comment=comment, decision_id=decision.id, evidence_id=evidence_id, actor=actor
        )
    if "forward" in wanted:
        names = forward_to or list(item.recommendation.get("forward_to", []))
        sent, unknown = notifications.forward(
            session,
            item=item,
            comment=comment,
            decision=decision,
            names=names,
            evidence_id=evidence_id,
            actor=actor,
        )
        log_item(
            session,
            item,
            actor,
            "queue.forwarded",
            {"to": names, "queued": sent, "unknown_destinations": unknown, "decision_id": decision.id},
        )
    if "police_review" in wanted and item.police_review is None:
        item.police_review = "pending"
        log_item(session, item, actor, "queue.police_review_requested", {"decision_id": decision.id})


def record_police_review(
    session: Session, *, principal: Principal, item_id: int, reported: bool, reason: str
) -> QueueItem:
    item = get_item(session, principal, item_id)
    if principal.role not in ("account_owner", "admin"):
        raise Forbidden("Only the account owner decides on a police report.")
    if item.police_review != "pending":
        raise Conflict("No police review is pending on this item.")
    now = utcnow()
    if not repository.bump_version(
        session,
        item.id,
        item.version,
        police_review="reported" if reported else "not_reported",
        police_review_reason=reason,
        police_reviewed_by=principal.actor,
        updated_at=now,
    ):
        raise Conflict("The item changed; reload and try again.")
    session.refresh(item)
    log_item(session, item, principal.actor, "queue.police_review_recorded", {"reported": reported})
    return item


def list_items(
    session: Session,
    *,
    principal: Principal,
    status: str | None,
    account_id: int | None,
    category: str | None,
    overdue: bool | None,
    assigned: bool | None,
    after: tuple[int, datetime | None, int] | None,
    limit: int,
    police_review: str | None = None,
    not_assessed: bool | None = None,
) -> list[QueueItem]:
    now = utcnow()
    return list(
        repository.list_items(
            session,
            tenant_id=principal.tenant_id,
            account_ids=principal.account_ids,
            status=status,
            account_id=account_id,
            category=category,
            overdue_before=now if overdue else None,
            assigned=assigned,
            now=now,
            after=after,
            limit=limit,
            police_review=police_review,
            not_assessed=not_assessed,
        )
    )


def evidence_ids(session: Session, comment_id: int) -> list[int]:
    return [e.id for e in evidence_repository.for_comment(session, comment_id)]
