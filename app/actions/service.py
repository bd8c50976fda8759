"""Enqueueing platform actions and recording their outcome."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.actions import repository
from app.models import Account, Comment, PlatformAction, utcnow
from app.modlog.service import record

#: What our own successful action makes of the comment's state.
STATE_AFTER = {"hide": "hidden", "unhide": "visible", "delete": "deleted_by_us"}
#: Rank in the state ordering, like the platform's own events (app.platforms.EVENT_RANK).
RANK_AFTER = {"hide": 3, "unhide": 2, "delete": 4}


def enqueue(
    session: Session,
    *,
    comment: Comment,
    kind: str,
    target_external_id: str,
    idempotency_key: str,
    item_id: int | None,
    decision_id: int | None,
    evidence_id: int | None,
    message: str | None = None,
    actor: str,
) -> bool:
    now = utcnow()
    created = repository.enqueue(
        session,
        {
            "tenant_id": comment.tenant_id,
            "account_id": comment.account_id,
            "comment_id": comment.id,
            "item_id": item_id,
            "decision_id": decision_id,
            "evidence_id": evidence_id,
            "kind": kind,
            "target_external_id": target_external_id,
            "message": message,
            "idempotency_key": idempotency_key,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        },
    )
    if created:
        record(
            session,
            tenant_id=comment.tenant_id,
            actor=actor,
            action="action.queued",
            subject_type="comment",
            subject_id=comment.id,
            account_id=comment.account_id,
            comment_id=comment.id,
            payload={
                "kind": kind,
                "item_id": item_id,
                "decision_id": decision_id,
                "evidence_id": evidence_id,
                "key": idempotency_key,
            },
        )
    return created


def mark_done(session: Session, action: PlatformAction, *, result_id: str | None, actor: str) -> None:
    now = utcnow()
    action.status, action.done_at, action.lease_until = "done", now, None
    action.result_id, action.last_error, action.error_code = result_id, None, None
    _, comment = repository.target(session, action)
    if action.kind in STATE_AFTER:
        comment.state = STATE_AFTER[action.kind]
        comment.state_at, comment.state_rank, comment.updated_at = now, RANK_AFTER[action.kind], now
    _log_outcome(session, action, actor, "action.done", result_id=result_id)


def mark_failed(session: Session, action: PlatformAction, *, reason: str, code: str, actor: str) -> None:
    action.status, action.done_at, action.lease_until = "failed", utcnow(), None
    action.last_error, action.error_code = reason, code
    _log_outcome(session, action, actor, "action.failed", code=code)


def _log_outcome(
    session: Session, action: PlatformAction, actor: str, name: str, **extra: str | None
) -> None:
    record(
        session,
        tenant_id=action.tenant_id,
        actor=actor,
        action=name,
        subject_type="platform_action",
        subject_id=action.id,
        account_id=action.account_id,
        comment_id=action.comment_id,
        payload={"kind": action.kind, "attempts": action.attempts, "item_id": action.item_id, **extra},
    )


def pause_account(session: Session, account_id: int, *, until: datetime) -> None:
    """No action on the account is called before ``until`` (a throttle covers the whole Page)."""
    account = session.get(Account, account_id)
    if account is not None and (account.actions_paused_until is None or account.actions_paused_until < until):
        account.actions_paused_until = until


#: The platform whose calls clear each alert when they succeed again.
ALERT_PLATFORM = {"linkedin_version_retired": "linkedin"}


def raise_alert(session: Session, account_id: int, *, alert: str, actor: str) -> None:
    """Mark the account with something only the operator can fix; logged once, when it starts."""
    account = session.get(Account, account_id)
    if account is None or account.platform_alert == alert:
        return
    account.platform_alert, account.platform_alert_at = alert, utcnow()
    record(
        session,
        tenant_id=account.tenant_id,
        actor=actor,
        action="account.platform_alert",
        subject_type="account",
        subject_id=account.id,
        account_id=account.id,
        payload={"alert": alert},
    )


def clear_alert(session: Session, account_id: int, *, platform: str, actor: str) -> None:
    """A call that works again ends the alert it disproves."""
    account = session.get(Account, account_id)
    if account is None or account.platform_alert is None:
        return
    if ALERT_PLATFORM.get(account.platform_alert) != platform:
        return
    record(
        session,
        tenant_id=account.tenant_id,
        actor=actor,
        action="account.platform_alert_cleared",
        subject_type="account",
        subject_id=account.id,
        account_id=account.id,
        payload={"alert": account.platform_alert},
    )
    account.platform_alert, account.platform_alert_at = None, None
