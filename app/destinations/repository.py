"""All SQL of destinations."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Destination, OutboundMessage


def by_name(session: Session, tenant_id: int, name: str) -> Destination | None:
    return session.scalars(
        select(Destination).where(Destination.tenant_id == tenant_id, Destination.name == name)
    ).first()


def by_names(session: Session, tenant_id: int, names: Sequence[str]) -> dict[str, Destination]:
    if not names:
        return {}
    rows = session.scalars(
        select(Destination).where(Destination.tenant_id == tenant_id, Destination.name.in_(list(names)))
    ).all()
    return {d.name: d for d in rows}


def in_tenant(session: Session, tenant_id: int, destination_id: int) -> Destination | None:
    return session.scalars(
        select(Destination).where(Destination.tenant_id == tenant_id, Destination.id == destination_id)
    ).first()


def of_tenant(session: Session, tenant_id: int) -> Sequence[Destination]:
    return session.scalars(
        select(Destination).where(Destination.tenant_id == tenant_id).order_by(Destination.name)
    ).all()


def add(session: Session, destination: Destination) -> None:
    session.add(destination)
    session.flush()


def delete(session: Session, destination: Destination) -> None:
    session.delete(destination)
    session.flush()


def message_counts(session: Session, tenant_id: int) -> dict[tuple[int, str], int]:
    """Messages per destination and status."""
    rows = session.execute(
        select(OutboundMessage.destination_id, OutboundMessage.status, func.count())
        .where(OutboundMessage.tenant_id == tenant_id, OutboundMessage.destination_id.is_not(None))
        .group_by(OutboundMessage.destination_id, OutboundMessage.status)
    ).all()
    return {(int(d or 0), str(s)): int(n) for d, s, n in rows}


def last_errors(session: Session, tenant_id: int) -> dict[int, str]:
    """The newest failure's reason per destination."""
    rows = session.execute(
        select(OutboundMessage.destination_id, OutboundMessage.last_error)
        .where(
            OutboundMessage.tenant_id == tenant_id,
            OutboundMessage.status == "failed",
            OutboundMessage.destination_id.is_not(None),
        )
        .order_by(OutboundMessage.id)
    ).all()
    return {int(d or 0): str(e) for d, e in rows if e}


def fail_unsent(session: Session, destination_id: int, reason: str) -> int:
    """Messages still owed to a destination that is being removed: failed, visibly, not dropped."""
    rows = session.scalars(
        select(OutboundMessage).where(
            OutboundMessage.destination_id == destination_id,
            OutboundMessage.status.in_(("pending", "sending")),
        )
    ).all()
    for m in rows:
        m.status, m.last_error, m.error_code, m.lease_until = "failed", reason, "destination_removed", None
    return len(rows)
