"""All SQL of the moderation log.  There is deliberately no update or delete."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, cast, exists, func, literal, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from app.models import Comment, LogChainHead, ModerationLogEntry
from app.modlog.chain import GENESIS_HASH
from app.sql import insert_ignore


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


# -- reading ------------------------------------------------------------------------------
# Reads select plain columns, not ORM objects, so a long export or a verification
# holds one page in memory and nothing accumulates in the session.

ENTRY_COLUMNS = (
    ModerationLogEntry.seq,
    ModerationLogEntry.at,
    ModerationLogEntry.actor,
    ModerationLogEntry.action,
    ModerationLogEntry.subject_type,
    ModerationLogEntry.subject_id,
    ModerationLogEntry.account_id,
    ModerationLogEntry.comment_id,
    ModerationLogEntry.payload,
    ModerationLogEntry.prev_hash,
    ModerationLogEntry.hash,
)


@dataclass(frozen=True, slots=True)
class LogQuery:
    """Which entries of one tenant's log to read; ``None`` means no filter."""

    tenant_id: int
    #: Accounts the caller may see; ``None`` means the whole tenant.
    account_ids: frozenset[int] | None = None
    since: datetime | None = None
    until: datetime | None = None
    account_id: int | None = None
    author: str | None = None
    category: str | None = None
    #: An exact action, or a prefix when it ends with a dot (``comment.``).
    action: str | None = None


def begin_snapshot(session: Session) -> None:
    """Start a read transaction that sees one consistent state of the log.

    Verification and exports read in pages; without a snapshot an append
    committed between two pages (or between reading the head and the entries)
    would look like a broken chain.  SQLite's read transactions are snapshots
    already; PostgreSQL needs REPEATABLE READ for it.
    """
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("begin_snapshot must come before the unit of work changes anything")
        session.rollback()
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    else:
        session.connection()


def chain_head(session: Session, tenant_id: int) -> tuple[int, str] | None:
    row = session.execute(
        select(LogChainHead.seq, LogChainHead.hash).where(LogChainHead.tenant_id == tenant_id)
    ).one_or_none()
    return None if row is None else (int(row.seq), str(row.hash))


def _filtered(query: LogQuery) -> Select[Any]:
    entry = ModerationLogEntry
    stmt = select(*ENTRY_COLUMNS).where(entry.tenant_id == query.tenant_id)
    if query.account_ids is not None:
        stmt = stmt.where(entry.account_id.in_(query.account_ids))
    if query.since is not None:
        stmt = stmt.where(entry.at >= query.since)
    if query.until is not None:
        stmt = stmt.where(entry.at < query.until)
    if query.account_id is not None:
        stmt = stmt.where(entry.account_id == query.account_id)
    if query.author is not None:
        by_author = select(Comment.id).where(
            Comment.tenant_id == query.tenant_id,
            (Comment.author_external_id == query.author) | (Comment.author_name == query.author),
        )
        stmt = stmt.where(entry.comment_id.in_(by_author))
    if query.action is not None:
        if query.action.endswith("."):
            # substr, not LIKE: action names contain "_", which LIKE would treat as a wildcard.
            stmt = stmt.where(func.substr(entry.action, 1, len(query.action)) == query.action)
        else:
            stmt = stmt.where(entry.action == query.action)
    return stmt


def _has_category(session: Session, category: str) -> ColumnElement[bool]:
    """``payload.categories`` contains ``category``, in SQL on both databases.

    The column is plain JSON, so PostgreSQL casts it to jsonb for ``@>``; SQLite
    unnests the array with ``json_each``.
    """
    if session.get_bind().dialect.name == "postgresql":
        return cast(ModerationLogEntry.payload, JSONB).contains({"categories": [category]})
    items = func.json_each(ModerationLogEntry.payload, "$.categories").table_valued("value")
    return exists(select(literal(1)).select_from(items).where(items.c.value == category))


def entries_page(session: Session, query: LogQuery, *, after: int | None, limit: int) -> Sequence[Row[Any]]:
    """Up to ``limit`` entries with ``seq > after`` that match, in sequence order
    (``after=None``: from the very first row, whatever its number)."""
    stmt = _filtered(query)
    if after is not None:
        stmt = stmt.where(ModerationLogEntry.seq > after)
    if query.category is not None:
        stmt = stmt.where(_has_category(session, query.category))
    return session.execute(stmt.order_by(ModerationLogEntry.seq).limit(limit)).all()


def iter_entries(
    session: Session,
    query: LogQuery,
    *,
    after: int | None = None,
    limit: int | None = None,
    page_size: int = 500,
) -> Iterator[Row[Any]]:
    """Every matching entry after ``after`` (at most ``limit``), read page by page."""
    remaining = limit
    while remaining is None or remaining > 0:
        size = page_size if remaining is None else min(page_size, remaining)
        page = entries_page(session, query, after=after, limit=size)
        yield from page
        if len(page) < size:
            return
        after = int(page[-1].seq)
        if remaining is not None:
            remaining -= len(page)


# -- completeness: what the log should cover ----------------------------------------------


def ids_where(session: Session, model: Any, tenant_id: int, *where: ColumnElement[bool]) -> set[int]:
    return set(session.scalars(select(model.id).where(model.tenant_id == tenant_id, *where)))


def counts_by(session: Session, model: Any, column: Any, tenant_id: int) -> dict[int, int]:
    rows = session.execute(
        select(column, func.count()).where(model.tenant_id == tenant_id).group_by(column)
    ).all()
    return {int(key): int(n) for key, n in rows if key is not None}


def logged_subject_ids(
    session: Session, tenant_id: int, subject_type: str, actions: tuple[str, ...]
) -> set[int]:
    subject_ids = session.scalars(
        select(ModerationLogEntry.subject_id).where(
            ModerationLogEntry.tenant_id == tenant_id,
            ModerationLogEntry.subject_type == subject_type,
            ModerationLogEntry.action.in_(actions),
        )
    )
    return {int(s) for s in subject_ids if s.isdigit()}


def logged_counts_by_comment(session: Session, tenant_id: int, action: str) -> dict[int, int]:
    rows = session.execute(
        select(ModerationLogEntry.comment_id, func.count())
        .where(ModerationLogEntry.tenant_id == tenant_id, ModerationLogEntry.action == action)
        .group_by(ModerationLogEntry.comment_id)
    ).all()
    return {int(key): int(n) for key, n in rows if key is not None}


def logged_label_counts(session: Session, tenant_id: int) -> dict[int, int]:
    """Labels named by ``learning.labels_recorded`` entries, per queue item.

    One entry names every label of a decision in its payload, so the count is
    read from the payloads (few: one per decision with feedback)."""
    rows = session.execute(
        select(ModerationLogEntry.subject_id, ModerationLogEntry.payload).where(
            ModerationLogEntry.tenant_id == tenant_id,
            ModerationLogEntry.action == "learning.labels_recorded",
        )
    ).all()
    counts: dict[int, int] = {}
    for subject_id, payload in rows:
        if subject_id.isdigit():
            named = len((payload or {}).get("labels") or ())
            counts[int(subject_id)] = counts.get(int(subject_id), 0) + named
    return counts


def logged_counts_by_subject(
    session: Session, tenant_id: int, subject_type: str, action: str
) -> dict[int, int]:
    rows = session.execute(
        select(ModerationLogEntry.subject_id, func.count())
        .where(
            ModerationLogEntry.tenant_id == tenant_id,
            ModerationLogEntry.subject_type == subject_type,
            ModerationLogEntry.action == action,
        )
        .group_by(ModerationLogEntry.subject_id)
    ).all()
    return {int(key): int(n) for key, n in rows if key.isdigit()}
