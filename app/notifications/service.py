"""The message outbox: what is owed to whom, written in the caller's transaction.

Every message is a row, inserted with an idempotency key in the same unit of
work as the decision, registration request or queue item that caused it, so
a rollback takes the message with it and a replay writes nothing twice.  The
worker (``app.notifications.worker``) sends the rows; here are the rules for
what goes out and how an outcome is recorded, each in the moderation log.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.destinations import repository as destinations
from app.errors import Unprocessable
from app.models import (
    Account,
    Comment,
    Decision,
    Destination,
    OutboundMessage,
    QueueItem,
    Registration,
    Tenant,
    utcnow,
)
from app.modlog.service import record
from app.notifications import content, repository
from app.notifications.settings import NotificationSettings, settings_of
from app.policies.clock import add_working_hours, is_working_day
from app.policies.effective import effective_policy

STOCKHOLM = ZoneInfo("Europe/Stockholm")
#: The Standard Webhooks event type of each kind of message.
EVENT_TYPES = {
    "forward": "comment.forwarded",
    "registration": "registration.requested",
    "alert": "queue.item_urgent",
    "overdue": "queue.item_overdue",
    "escalation": "queue.item_escalated",
    "digest": "queue.digest",
}


def stable_message_id(key: str) -> str:
    """The same key gives the same id, so a receiver sees one message however often it is sent."""
    return "msg_" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def queue_message(
    session: Session,
    *,
    tenant_id: int,
    kind: str,
    key: str,
    body: content.Content,
    destination: Destination | None = None,
    recipient: str | None = None,
    account_id: int | None = None,
    comment_id: int | None = None,
    item_id: int | None = None,
    decision_id: int | None = None,
    evidence_id: int | None = None,
    holds_delete: bool = False,
    actor: str,
) -> bool:
    """Owe one message; False if the same key was owed already."""
    if (destination is None) == (recipient is None):
        raise ValueError("a message goes to a destination or to a person's address")
    now = utcnow()
    message_id = stable_message_id(key)
    created = repository.enqueue(
        session,
        {
            "tenant_id": tenant_id,
            "account_id": account_id,
            "comment_id": comment_id,
            "item_id": item_id,
            "decision_id": decision_id,
            "evidence_id": evidence_id,
            "destination_id": destination.id if destination else None,
            "destination_name": destination.name if destination else None,
            "channel": destination.kind if destination else "email",
            "recipient": recipient,
            "kind": kind,
            "event_type": EVENT_TYPES[kind],
            "message_id": message_id,
            "idempotency_key": key,
            "subject": body.subject,
            "body": body.body,
            "data": body.data,
            "holds_delete": holds_delete,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        },
    )
    if created:
        record(
            session,
            tenant_id=tenant_id,
            actor=actor,
            action="message.queued",
            subject_type="message",
            subject_id=message_id,
            account_id=account_id,
            comment_id=comment_id,
            payload={
                "kind": kind,
                "destination": destination.name if destination else "people",
                "item_id": item_id,
                "decision_id": decision_id,
                "evidence_id": evidence_id,
                "holds_delete": holds_delete,
            },
        )
    return created


# -- decisions: forward and registration -----------------------------------------------------


def check_forward_to(session: Session, tenant_id: int, names: Sequence[str]) -> None:
    """An editor's explicit destinations must exist, before anything of the decision is written."""
    found = destinations.by_names(session, tenant_id, names)
    unknown = [n for n in names if n not in found]
    if unknown:
        raise Unprocessable(
            f"Unknown destination(s): {', '.join(unknown)}; an admin adds them under /v1/destinations."
        )


def forward(
    session: Session,
    *,
    item: QueueItem,
    comment: Comment,
    decision: Decision,
    names: Sequence[str],
    evidence_id: int | None,
    actor: str,
) -> tuple[list[str], list[str]]:
    """Owe the comment, its context, the editor's note and the evidence to each destination.

    Returns (sent to, unknown): a policy may name a department the tenant has
    not set up yet; that is logged, not an error (the decision stands).
    """
    found = destinations.by_names(session, item.tenant_id, names)
    account = repository.account(session, comment.account_id)
    assert account is not None
    evidence = repository.evidence(session, evidence_id)
    text = repository.current_text(session, comment)
    queued = []
    for name in names:
        destination = found.get(name)
        if destination is None:
            continue
        body = content.forward(
            item=item,
            comment=comment,
            account=account,
            decision=decision,
            destination_name=name,
            text=text,
            evidence=evidence,
        )
        queue_message(
            session,
            tenant_id=item.tenant_id,
            kind="forward",
            key=f"forward:d{decision.id}:{destination.id}",
            body=body,
            destination=destination,
            account_id=comment.account_id,
            comment_id=comment.id,
            item_id=item.id,
            decision_id=decision.id,
            evidence_id=evidence_id,
            actor=actor,
        )
        queued.append(name)
    return queued, [n for n in names if n not in found]


def registrar_before_removal(tenant: Tenant) -> bool:
    """Whether the tenant's guideline says evidence reaches the registrar before a deletion."""
    return effective_policy(tenant).registrar_before_removal is not None


def notify_registrar(
    session: Session,
    *,
    item: QueueItem,
    comment: Comment,
    registration: Registration | None,
    evidence_id: int | None,
    actor: str,
) -> bool:
    """Owe the registrar the registration request (and the evidence).

    Where the guideline says "sent before deletion" the message holds every
    platform delete of the comment until it is sent (``app.actions.repository``).
    False when the tenant has named no registrar destination.
    """
    tenant = repository.tenant(session, item.tenant_id)
    assert tenant is not None
    name = settings_of(tenant.notifications).registrar
    destination = destinations.by_name(session, tenant.id, name) if name else None
    if destination is None:
        return False
    account = repository.account(session, comment.account_id)
    assert account is not None
    before_removal = registrar_before_removal(tenant)
    body = content.registration(
        item=item,
        comment=comment,
        account=account,
        registration_id=registration.id if registration else None,
        subject_line=registration.subject_line if registration else f"Kommentar på {account.display_name}",
        text=repository.current_text(session, comment),
        evidence=repository.evidence(session, evidence_id),
        before_removal=before_removal,
    )
    return queue_message(
        session,
        tenant_id=tenant.id,
        kind="registration",
        key=f"registrar:i{item.id}:e{evidence_id}",
        body=body,
        destination=destination,
        account_id=comment.account_id,
        comment_id=comment.id,
        item_id=item.id,
        decision_id=registration.decision_id if registration else None,
        evidence_id=evidence_id,
        holds_delete=before_removal,
        actor=actor,
    )


# -- alerts ------------------------------------------------------------------------------------


def is_urgent(item: QueueItem, settings: NotificationSettings) -> bool:
    return item.priority <= settings.alert_priority or bool(
        set(item.categories) & set(settings.alert_categories)
    )


def alert_new_items(session: Session, items: Sequence[QueueItem], *, actor: str) -> int:
    """Tell the account's editors at once about an urgent open item, day or night."""
    done = 0
    tenants: dict[int, Tenant] = {}
    for item in items:
        if item.status != "open":
            continue
        tenant = tenants.get(item.tenant_id) or repository.tenant(session, item.tenant_id)
        assert tenant is not None
        tenants[tenant.id] = tenant
        if not is_urgent(item, settings_of(tenant.notifications)):
            continue
        account = repository.account(session, item.account_id)
        assert account is not None
        done += _to_people(
            session, item=item, account=account, role="editor", kind="alert", suffix="", actor=actor
        )
    return done


def _to_people(
    session: Session, *, item: QueueItem, account: Account, role: str, kind: str, suffix: str, actor: str
) -> int:
    body = content.alert(item=item, account=account, kind=kind)
    done = 0
    for address in repository.member_addresses(session, account.id, role):
        done += queue_message(
            session,
            tenant_id=item.tenant_id,
            kind=kind,
            key=f"{kind}:i{item.id}{suffix}:{address}",
            body=body,
            recipient=address,
            account_id=account.id,
            comment_id=item.comment_id,
            item_id=item.id,
            actor=actor,
        )
    return done


def in_working_time(now: datetime, tenant: Tenant) -> bool:
    return add_working_hours(now, 0, office_hours=effective_policy(tenant).office_hours) == now


def tick(session: Session, *, now: datetime, actor: str) -> int:
    """Overdue items to the editors, later to the account owner; the morning digest.

    Only in the tenant's working time: a reminder at night helps nobody and
    the guidelines ask for daily oversight in working hours.  Idempotent (the
    keys carry the item's due time and the day), so every worker may run it.
    """
    done = 0
    tenants: dict[int, Tenant] = {}

    def tenant_of(tenant_id: int) -> Tenant:
        if tenant_id not in tenants:
            found = repository.tenant(session, tenant_id)
            assert found is not None
            tenants[tenant_id] = found
        return tenants[tenant_id]

    for item in repository.open_overdue(session, now=now):
        tenant = tenant_of(item.tenant_id)
        if not in_working_time(now, tenant):
            continue
        settings = settings_of(tenant.notifications)
        account = repository.account(session, item.account_id)
        assert account is not None and item.due_at is not None
        suffix = f":{item.due_at.isoformat()}"
        done += _to_people(
            session, item=item, account=account, role="editor", kind="overdue", suffix=suffix, actor=actor
        )
        if now >= item.due_at + timedelta(minutes=settings.escalate_after_minutes):
            done += _to_people(
                session,
                item=item,
                account=account,
                role="owner",
                kind="escalation",
                suffix=suffix,
                actor=actor,
            )
    local = now.astimezone(STOCKHOLM)
    if is_working_day(local.date()):
        for account, tenant in repository.accounts_with_tenants(session):
            settings = settings_of(tenant.notifications)
            if not settings.digest or local.hour < settings.digest_hour:
                continue
            counts = repository.queue_counts(
                session, account_id=account.id, now=now, since=now - timedelta(days=1)
            )
            if not counts["open"] and not counts["new"]:
                continue
            day = local.date().isoformat()
            body = content.digest(account=account, day=day, counts=counts)
            for address in repository.member_addresses(session, account.id, "editor"):
                done += queue_message(
                    session,
                    tenant_id=tenant.id,
                    kind="digest",
                    key=f"digest:a{account.id}:{day}:{address}",
                    body=body,
                    recipient=address,
                    account_id=account.id,
                    actor=actor,
                )
    return done


# -- outcomes ----------------------------------------------------------------------------------


def _log(session: Session, message: OutboundMessage, actor: str, action: str, **extra: object) -> None:
    record(
        session,
        tenant_id=message.tenant_id,
        actor=actor,
        action=action,
        subject_type="message",
        subject_id=message.message_id,
        account_id=message.account_id,
        comment_id=message.comment_id,
        payload={
            "kind": message.kind,
            "channel": message.channel,
            "destination": message.destination_name or "people",
            "attempts": message.attempts,
            "item_id": message.item_id,
            **extra,
        },
    )


def mark_sent(session: Session, message: OutboundMessage, *, actor: str) -> None:
    message.status, message.sent_at, message.lease_until = "sent", utcnow(), None
    message.last_error, message.error_code = None, None
    _log(session, message, actor, "message.sent")


def mark_failed(session: Session, message: OutboundMessage, *, reason: str, code: str, actor: str) -> None:
    message.status, message.lease_until = "failed", None
    message.last_error, message.error_code = reason, code
    _log(session, message, actor, "message.failed", code=code)


def retry_later(
    session: Session, message: OutboundMessage, *, delay_s: float, reason: str, code: str
) -> None:
    message.status, message.lease_until = "pending", None
    message.next_attempt_at = utcnow() + timedelta(seconds=delay_s)
    message.last_error, message.error_code = reason, code
