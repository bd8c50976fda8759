"""All SQL of queue items, decisions and registrations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import String, cast, func, or_, select, update
from sqlalchemy.orm import Session

from app.models import Account, Decision, PlatformAction, QueueItem, Registration


def item_for_comment(session: Session, comment_id: int) -> QueueItem | None:
    return session.scalars(select(QueueItem).where(QueueItem.comment_id == comment_id)).one_or_none()


def items_for_comments(session: Session, comment_ids: Sequence[int]) -> dict[int, QueueItem]:
    if not comment_ids:
        return {}
    items = session.scalars(select(QueueItem).where(QueueItem.comment_id.in_(comment_ids))).all()
    return {item.comment_id: item for item in items}


def item_in_tenant(session: Session, tenant_id: int, item_id: int) -> QueueItem | None:
    return session.scalars(
        select(QueueItem).where(QueueItem.id == item_id, QueueItem.tenant_id == tenant_id)
    ).one_or_none()


def add(session: Session, obj: object) -> None:
    session.add(obj)
    session.flush()


def add_all(session: Session, objects: Sequence[object]) -> None:
    if objects:
        session.add_all(objects)
        session.flush()


def bump_version(session: Session, item_id: int, expected_version: int, **values: object) -> bool:
    """Compare-and-set on the item's version: False when someone else changed it first."""
    result = session.execute(
        update(QueueItem)
        .where(QueueItem.id == item_id, QueueItem.version == expected_version)
        .values(version=expected_version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def list_items(
    session: Session,
    *,
    tenant_id: int,
    account_ids: frozenset[int] | None,
    status: str | None,
    account_id: int | None,
    category: str | None,
    overdue_before: datetime | None,
    assigned: bool | None,
    now: datetime,
    after: tuple[int, datetime | None, int] | None,
    limit: int,
    police_review: str | None = None,
    not_assessed: bool | None = None,
) -> Sequence[QueueItem]:
    stmt = select(QueueItem).where(QueueItem.tenant_id == tenant_id)
    if account_ids is not None:
        stmt = stmt.where(QueueItem.account_id.in_(account_ids))
    if status is not None:
        stmt = stmt.where(QueueItem.status == status)
    if account_id is not None:
        stmt = stmt.where(QueueItem.account_id == account_id)
    if overdue_before is not None:
        stmt = stmt.where(QueueItem.status == "open", QueueItem.due_at < overdue_before)
    if police_review is not None:
        stmt = stmt.where(QueueItem.police_review == police_review)
    if assigned is True:
        stmt = stmt.where(QueueItem.claimed_until > now)
    elif assigned is False:
        stmt = stmt.where(or_(QueueItem.claimed_until.is_(None), QueueItem.claimed_until <= now))
    # Items without a due time sort last: order by (priority, due_at IS NULL, due_at, id).
    far = datetime(9999, 1, 1, tzinfo=now.tzinfo)
    due = func.coalesce(QueueItem.due_at, far)
    if after is not None:
        p, d, i = after
        d = d or far
        stmt = stmt.where(
            or_(
                QueueItem.priority > p,
                (QueueItem.priority == p) & (due > d),
                (QueueItem.priority == p) & (due == d) & (QueueItem.id > i),
            )
        )
    if category is not None:
        # Categories are a JSON list of fixed codes (validated by the route); matching the
        # quoted code in its text form is exact and works the same on both engines.
        stmt = stmt.where(cast(QueueItem.categories, String).like(f'%"{category}"%'))
    if not_assessed is not None:
        # The recommendation as stored (``json.dumps`` on both engines) lists the categories only
        # a language mark raised; a non-empty list opens with a quoted code.
        marked = cast(QueueItem.recommendation, String).like('%"not_assessed": ["%')
        stmt = stmt.where(marked if not_assessed else ~marked)
    return session.scalars(stmt.order_by(QueueItem.priority, due, QueueItem.id).limit(limit)).all()


def decisions_of(session: Session, item_id: int) -> Sequence[Decision]:
    return session.scalars(select(Decision).where(Decision.item_id == item_id).order_by(Decision.id)).all()


def actions_of_item(session: Session, item_id: int) -> Sequence[PlatformAction]:
    return session.scalars(
        select(PlatformAction).where(PlatformAction.item_id == item_id).order_by(PlatformAction.id)
    ).all()


def registration_for_item(session: Session, item_id: int) -> Registration | None:
    return session.scalars(select(Registration).where(Registration.item_id == item_id)).one_or_none()


def accounts_of_tenant(session: Session, tenant_id: int) -> Sequence[Account]:
    return session.scalars(
        select(Account).where(Account.tenant_id == tenant_id).order_by(Account.display_name, Account.id)
    ).all()
