"""All SQL of the records search.

Matching is case-insensitive the same way on SQLite and PostgreSQL: both
sides are folded by ``fold`` — ASCII and the letters in ``FOLD`` (Swedish, the
national minority languages Finnish, Meänkieli and Sami, and the accented
letters common in names) to lower case, nothing else.  SQLite's ``lower()``
knows only ASCII and PostgreSQL's depends on the database's locale, so
relying on either would make "Åsa" findable on one engine and not on the
other.  In SQL the fold is one ``translate()`` on PostgreSQL and ``fold``
itself, registered as a function on the connection, on SQLite.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, String, and_, case, exists, false, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from app.models import Account, Comment, CommentVersion, EvidenceSnapshot, QueueItem, Registration

#: Upper-case letters beyond ASCII and their lower-case forms.
FOLD: dict[str, str] = {
    "Å": "å", "Ä": "ä", "Ö": "ö", "Æ": "æ", "Ø": "ø", "É": "é", "È": "è", "Ê": "ê", "Ë": "ë",
    "Á": "á", "À": "à", "Â": "â", "Í": "í", "Ï": "ï", "Ó": "ó", "Ô": "ô", "Ú": "ú", "Ü": "ü",
    "Ç": "ç", "Ñ": "ñ", "Š": "š", "Ž": "ž", "Č": "č", "Đ": "đ", "Ŋ": "ŋ", "Ŧ": "ŧ", "Ð": "ð",
    "Þ": "þ",
}  # fmt: skip
_UPPER = string.ascii_uppercase + "".join(FOLD)
_LOWER = string.ascii_lowercase + "".join(FOLD.values())
_TABLE = str.maketrans(_UPPER, _LOWER)
SQLITE_FOLD = "uppsikt_fold"
LIKE_ESCAPE = "!"


def fold(value: str) -> str:
    return value.translate(_TABLE)


def _fold_or_none(value: object) -> object:
    return fold(value) if isinstance(value, str) else value


class folded(FunctionElement[str]):
    """``fold`` in SQL."""

    type = String()
    inherit_cache = True
    name = "folded"


@compiles(folded, "postgresql")
def _folded_postgresql(element: folded, compiler: SQLCompiler, **kw: Any) -> str:
    # Constants from this module (letters only, no quotes), so inlining them is safe.
    return f"translate({compiler.process(element.clauses, **kw)}, '{_UPPER}', '{_LOWER}')"


@compiles(folded, "sqlite")
def _folded_sqlite(element: folded, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{SQLITE_FOLD}({compiler.process(element.clauses, **kw)})"


class sort_folded(folded):
    """``fold`` in SQL, compared by code point on every engine (PostgreSQL's ``COLLATE "C"``;
    SQLite's default), so an order and its cursor mean the same whatever the database's locale."""

    inherit_cache = True
    name = "sort_folded"


@compiles(sort_folded, "postgresql")
def _sort_folded_postgresql(element: sort_folded, compiler: SQLCompiler, **kw: Any) -> str:
    return f'({_folded_postgresql(element, compiler, **kw)}) COLLATE "C"'


@compiles(sort_folded, "sqlite")
def _sort_folded_sqlite(element: sort_folded, compiler: SQLCompiler, **kw: Any) -> str:
    return _folded_sqlite(element, compiler, **kw)


def fold_sql(expr: Any) -> ColumnElement[str]:
    return folded(expr)


def prepare(session: Session) -> None:
    """Make ``fold_sql`` callable on this session's connection (SQLite needs the function registered)."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        raw: Any = connection.connection.driver_connection
        raw.create_function(SQLITE_FOLD, 1, _fold_or_none, deterministic=True)


def contains_pattern(needle: str) -> str:
    """A LIKE pattern for "contains ``needle``" (folded), with LIKE's wildcards taken literally."""
    escaped = (
        fold(needle)
        .replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )
    return f"%{escaped}%"


@dataclass(frozen=True, slots=True)
class SearchQuery:
    tenant_id: int
    #: Accounts the caller may see; ``None`` means the whole tenant.
    account_ids: frozenset[int] | None
    account_id: int | None = None
    author: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None
    states: tuple[str, ...] | None = None
    order: str = "chronological"


def sort_keys(order: str) -> tuple[ColumnElement[Any], ...]:
    """The ordering columns; the last two are always (first received, id), so a key is unique."""
    tail: tuple[ColumnElement[Any], ...] = (
        Comment.first_received_at.expression,
        Comment.id.expression,
    )
    if order == "chronological":
        return tail
    # By sender: people in name order (the id where the platform gives no name), each
    # person's comments in time order; comments without any known sender (culled) last.
    unknown = case((and_(Comment.author_name.is_(None), Comment.author_external_id.is_(None)), 1), else_=0)
    name = sort_folded(func.coalesce(Comment.author_name, Comment.author_external_id, ""))
    author_id = sort_folded(func.coalesce(Comment.author_external_id, ""))
    return (unknown, name, author_id, *tail)


def _after(keys: Sequence[ColumnElement[Any]], values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows after ``values`` in the order of ``keys``, written out so both engines type every value."""
    clauses = []
    for i, key in enumerate(keys):
        equal = [k == v for k, v in zip(keys[:i], values[:i], strict=True)]
        clauses.append(and_(*equal, key > values[i]))
    return or_(*clauses)


def search(session: Session, query: SearchQuery, *, after: Sequence[Any] | None, limit: int) -> Sequence[Any]:
    """Matching comments in ``query.order``; rows carry the comment and its sort key values."""
    prepare(session)
    keys = sort_keys(query.order)
    stmt = select(Comment, *keys).where(Comment.tenant_id == query.tenant_id)
    if query.account_ids is not None:
        stmt = stmt.where(Comment.account_id.in_(query.account_ids) if query.account_ids else false())
    if query.account_id is not None:
        stmt = stmt.where(Comment.account_id == query.account_id)
    if query.author is not None:
        stmt = stmt.where(
            or_(
                Comment.author_external_id == query.author,
                fold_sql(Comment.author_name).like(contains_pattern(query.author), escape=LIKE_ESCAPE),
            )
        )
    if query.since is not None:
        stmt = stmt.where(Comment.first_received_at >= query.since)
    if query.until is not None:
        stmt = stmt.where(Comment.first_received_at < query.until)
    if query.states:
        stmt = stmt.where(Comment.state.in_(query.states))
    if query.text is not None:
        # Every version, not only the current text: an edit must not hide what was written.
        stmt = stmt.where(
            exists(
                select(CommentVersion.id).where(
                    CommentVersion.comment_id == Comment.id,
                    fold_sql(CommentVersion.text).like(contains_pattern(query.text), escape=LIKE_ESCAPE),
                )
            )
        )
    if after is not None:
        stmt = stmt.where(_after(keys, after))
    return session.execute(stmt.order_by(*keys).limit(limit)).all()


# -- what a hit shows ---------------------------------------------------------------------


def accounts(session: Session, account_ids: set[int]) -> dict[int, Account]:
    if not account_ids:
        return {}
    return {a.id: a for a in session.scalars(select(Account).where(Account.id.in_(account_ids)))}


def versions(session: Session, comment_ids: list[int]) -> Sequence[Any]:
    """Every version's place and hash (no text: a version's text may be long)."""
    if not comment_ids:
        return []
    return session.execute(
        select(
            CommentVersion.id,
            CommentVersion.comment_id,
            CommentVersion.seq,
            CommentVersion.text_sha256,
            CommentVersion.occurred_at,
            CommentVersion.received_at,
        )
        .where(CommentVersion.comment_id.in_(comment_ids))
        .order_by(CommentVersion.comment_id, CommentVersion.seq)
    ).all()


def texts(session: Session, version_ids: list[int]) -> dict[int, str]:
    if not version_ids:
        return {}
    rows = session.execute(
        select(CommentVersion.id, CommentVersion.text).where(CommentVersion.id.in_(version_ids))
    ).all()
    return {int(r.id): str(r.text) for r in rows}


def evidence(session: Session, comment_ids: list[int]) -> Sequence[Any]:
    if not comment_ids:
        return []
    return session.execute(
        select(
            EvidenceSnapshot.id,
            EvidenceSnapshot.comment_id,
            EvidenceSnapshot.sha256,
            EvidenceSnapshot.reason,
            EvidenceSnapshot.taken_at,
        )
        .where(EvidenceSnapshot.comment_id.in_(comment_ids))
        .order_by(EvidenceSnapshot.id)
    ).all()


def queue_items(session: Session, comment_ids: list[int]) -> dict[int, QueueItem]:
    if not comment_ids:
        return {}
    return {
        q.comment_id: q
        for q in session.scalars(select(QueueItem).where(QueueItem.comment_id.in_(comment_ids)))
    }


def registrations(session: Session, comment_ids: list[int]) -> dict[int, Registration]:
    if not comment_ids:
        return {}
    rows = session.scalars(
        select(Registration).where(Registration.comment_id.in_(comment_ids)).order_by(Registration.id)
    )
    return {r.comment_id: r for r in rows}
