"""All SQL of the moderation log.  There is deliberately no update or delete."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import insert_ignore
from app.models import LogChainHead, ModerationLogEntry
from app.modlog.chain import GENESIS_HASH


def ensure_head(session: Session, tenant_id: int) -> None:
    insert_ignore(
        session,
        LogChainHead.__table__,
        [{"tenant_id": tenant_id, "seq": 0, "hash": GENESIS_HASH}],
        conflict=["tenant_id"],
    )


def lock_head(session: Session, tenant_id: int) -> LogChainHead:
    head = session.scalars(
        select(LogChainHead).where(LogChainHead.tenant_id == tenant_id).with_for_update()
    ).one_or_none()
    if head is None:
        ensure_head(session, tenant_id)
        head = session.scalars(
            select(LogChainHead).where(LogChainHead.tenant_id == tenant_id).with_for_update()
        ).one()
    return head


def add_entry(session: Session, entry: ModerationLogEntry) -> None:
    session.add(entry)
