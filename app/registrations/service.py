"""The registrar's side of registration (diarieföring).

Requests are made by decisions and auto-actions (``app.queue.service``); here a
registrar lists them, records the case number (diarienummer) the register gave,
and downloads a package to file.  Recording a number is a compare-and-set from
``pending``: two registrars at once give one success and one 409, and a
number once recorded is never overwritten.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.errors import BadRequest, Conflict, NotFound, Unprocessable
from app.models import Decision, EvidenceSnapshot, Registration, utcnow
from app.modlog.service import record
from app.platforms.capabilities import label
from app.principal import Principal
from app.registrations import repository
from app.registrations.package import build_package, package_filename
from app.registrations.schemas import (
    KIND,
    AccountRef,
    Channel,
    DecisionRef,
    EvidenceLink,
    RegistrationPage,
    RegistrationRead,
    Sender,
    VersionRead,
)

#: Common shapes of Swedish case numbers; the first one the municipality's format accepts is
#: shown as the example when a number is refused.
EXAMPLE_NUMBERS = (
    "KS 2024/567",
    "KS 2024/567-1",
    "KS-2024/567",
    "KS-2024-567",
    "KS 2024-567",
    "KS2024/567",
    "KS 2024:567",
    "2024/567",
    "2024-567",
    "2024.567",
)


@dataclass(frozen=True, slots=True)
class Package:
    content: bytes
    filename: str


# -- the case-number format -------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _compiled(source: str) -> re.Pattern[str] | None:
    try:
        return re.compile(source)
    except (re.error, RecursionError, OverflowError):
        return None


def check_diarienummer(value: str, pattern: str) -> str:
    """The number as it will be stored (NFC, trimmed), or 422 naming the expected format.

    A municipality's format is an administrator's regular expression; one that does not
    compile refuses every number with a message that says so, rather than accepting numbers
    it was meant to reject.
    """
    compiled = _compiled(pattern)
    if compiled is None:
        raise Unprocessable(
            "The municipality's case-number format (diarienummer_pattern) is not a valid regular "
            "expression, so no number can be checked; ask an administrator to correct it."
        )
    number = unicodedata.normalize("NFC", value).strip()
    if number and compiled.fullmatch(number):
        return number
    example = next((e for e in EXAMPLE_NUMBERS if compiled.fullmatch(e)), None)
    hint = f", for example '{example}'" if example else ""
    raise Unprocessable(
        f"The diarienummer does not have the municipality's case-number format (regular expression "
        f"{pattern}){hint}."
    )


def pattern_for(session: Session, tenant_id: int, default: str) -> str:
    tenant = repository.tenant(session, tenant_id)
    return (tenant.diarienummer_pattern if tenant is not None else None) or default


# -- reading ----------------------------------------------------------------------------------


def get(session: Session, principal: Principal, registration_id: int) -> Registration:
    registration = repository.in_tenant(session, principal.tenant_id, registration_id)
    if registration is None:
        raise NotFound("No such registration.")
    comment = repository.comments(session, [registration.comment_id]).get(registration.comment_id)
    if comment is None or not principal.may_see_account(comment.account_id):
        raise NotFound("No such registration.")
    return registration


def decode_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    if not cursor.isascii() or not cursor.isdigit() or len(cursor) > 18:
        raise BadRequest("The cursor is not valid.")
    return int(cursor)


def list_page(
    session: Session, *, principal: Principal, status: str | None, cursor: str | None, limit: int
) -> RegistrationPage:
    rows = repository.page(
        session,
        tenant_id=principal.tenant_id,
        account_ids=principal.account_ids,
        status=status,
        after_id=decode_cursor(cursor),
        limit=limit + 1,
    )
    shown = list(rows[:limit])
    return RegistrationPage(
        items=views(session, shown), next_cursor=str(shown[-1].id) if len(rows) > limit else None
    )


def view(session: Session, registration: Registration) -> RegistrationRead:
    return views(session, [registration])[0]


def views(session: Session, registrations: Sequence[Registration]) -> list[RegistrationRead]:
    """Read models for a page, loading what they need in one query per table."""
    comment_ids = [r.comment_id for r in registrations]
    comments = repository.comments(session, comment_ids)
    accounts = repository.accounts(session, [c.account_id for c in comments.values()])
    items = repository.items(session, [r.item_id for r in registrations])
    versions = repository.versions(session, comment_ids)
    snapshots = repository.evidence(session, comment_ids)
    decisions = repository.decisions(session, items.keys())
    out = []
    for reg in registrations:
        comment = comments[reg.comment_id]
        account = accounts[comment.account_id]
        item = items.get(reg.item_id)
        comment_versions = versions.get(comment.id, [])
        current = next((v for v in comment_versions if v.id == comment.current_version_id), None)
        decision = _decision_of(reg, decisions.get(reg.item_id, []))
        out.append(
            RegistrationRead(
                id=reg.id,
                status="registered" if reg.status == "registered" else "pending",
                kind=KIND,
                subject_line=reg.subject_line,
                diarienummer=reg.diarienummer,
                registered_by=reg.registered_by,
                registered_at=reg.registered_at,
                requested_at=reg.created_at,
                item_id=reg.item_id,
                comment_id=comment.id,
                comment_external_id=comment.external_id,
                comment_state=comment.state,
                received_at=comment.first_received_at,
                platform_created_at=comment.platform_created_at,
                sender=Sender(name=comment.author_name, external_id=comment.author_external_id),
                channel=Channel(platform=comment.platform, name=label(comment.platform)),
                account=AccountRef(
                    id=account.id,
                    platform=account.platform,
                    external_id=account.external_id,
                    display_name=account.display_name,
                ),
                text=current.text if current is not None else None,
                versions=[
                    VersionRead(
                        seq=v.seq,
                        text=v.text,
                        text_sha256=v.text_sha256,
                        occurred_at=v.occurred_at,
                        received_at=v.received_at,
                    )
                    for v in comment_versions
                ],
                categories=list(item.categories) if item is not None else [],
                evidence_id=reg.evidence_id,
                evidence=[_link(s) for s in snapshots.get(comment.id, [])],
                decision=None
                if decision is None
                else DecisionRef(
                    id=decision.id,
                    actor=decision.actor,
                    decided_at=decision.decided_at,
                    reason=decision.reason,
                    actions=list(decision.actions),
                ),
                package_url=f"/v1/registrations/{reg.id}/package",
            )
        )
    return out


def _decision_of(registration: Registration, decisions: Sequence[Decision]) -> Decision | None:
    """The decision that asked for registration; when the policy asked by itself, the latest
    decision on the item that confirmed it (the person the registrar would ask)."""
    if registration.decision_id is not None:
        return next((d for d in decisions if d.id == registration.decision_id), None)
    confirming = [d for d in decisions if "register" in d.actions]
    return confirming[-1] if confirming else None


def _link(snapshot: EvidenceSnapshot) -> EvidenceLink:
    return EvidenceLink(
        id=snapshot.id,
        reason=snapshot.reason,
        taken_at=snapshot.taken_at,
        sha256=snapshot.sha256,
        json_url=f"/v1/evidence/{snapshot.id}",
        pdf_url=f"/v1/evidence/{snapshot.id}/pdf",
    )


# -- registering ------------------------------------------------------------------------------


def register(
    session: Session,
    *,
    principal: Principal,
    registration_id: int,
    diarienummer: str,
    default_pattern: str,
) -> Registration:
    registration = get(session, principal, registration_id)
    if registration.status != "pending":
        raise Conflict(f"Kommentaren är redan diarieförd som {registration.diarienummer}.")
    number = check_diarienummer(diarienummer, pattern_for(session, principal.tenant_id, default_pattern))
    now = utcnow()
    if not repository.mark_registered(
        session, registration.id, diarienummer=number, registered_by=principal.actor, registered_at=now
    ):
        raise Conflict("Någon annan diarieförde kommentaren i samma stund – ladda om och se numret.")
    session.refresh(registration)
    comment = repository.comments(session, [registration.comment_id])[registration.comment_id]
    record(
        session,
        tenant_id=registration.tenant_id,
        actor=principal.actor,
        action="registration.registered",
        subject_type="registration",
        subject_id=registration.id,
        account_id=comment.account_id,
        comment_id=comment.id,
        payload={
            "diarienummer": number,
            "item_id": registration.item_id,
            "evidence_id": registration.evidence_id,
        },
        at=now,
    )
    return registration


# -- the package ------------------------------------------------------------------------------


def package(session: Session, *, principal: Principal, registration_id: int) -> Package:
    registration = get(session, principal, registration_id)
    read = view(session, registration)
    tenant = repository.tenant(session, registration.tenant_id)
    snapshots = repository.evidence(session, [registration.comment_id]).get(registration.comment_id, [])
    content = build_package(read, snapshots, municipality=tenant.name if tenant is not None else "")
    return Package(content=content, filename=package_filename(read))
