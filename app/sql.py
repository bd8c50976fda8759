"""The few statements that are written differently for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignore(
    session: Session, table: Any, rows: Sequence[dict[str, Any]], *, conflict: Sequence[str]
) -> int:
    """``INSERT … ON CONFLICT DO NOTHING`` on either database; returns rows inserted."""
    return len(inserted(session, table, rows, conflict=conflict))


def inserted(
    session: Session,
    table: Any,
    rows: Sequence[dict[str, Any]],
    *,
    conflict: Sequence[str],
    returning: Sequence[str] = (),
) -> list[Any]:
    """``INSERT … ON CONFLICT DO NOTHING`` on either database; returns the rows
    that were inserted, as the ``returning`` columns (the primary key by default).

    The rows are parameters of one statement built once per table (not values
    inlined into a new statement per call), so SQLAlchemy compiles it once and
    sends a batch in one round trip.  Every row must name the same columns.
    """
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    key = (table.name, tuple(conflict), tuple(returning), dialect)
    stmt = _INSERT_IGNORE.get(key)
    if stmt is None:
        ins: Any = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
        columns = [table.c[name] for name in returning] or list(table.primary_key.columns)
        stmt = ins.on_conflict_do_nothing(index_elements=list(conflict)).returning(*columns)
        _INSERT_IGNORE[key] = stmt
    # RETURNING, not rowcount: drivers disagree on rowcount for multi-row inserts.
    params = rows[0] if len(rows) == 1 else list(rows)
    return list(session.execute(stmt, params).all())


_INSERT_IGNORE: dict[tuple[str, tuple[str, ...], tuple[str, ...], str], Any] = {}


def insert_returning_ids(session: Session, model: Any, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` in one round trip; their new ids, in the order of ``rows``.

    For the worker's batches, where the ORM's unit of work costs more than the
    database: the caller builds its objects from the rows and these ids.
    """
    if not rows:
        return []
    stmt = insert(model).returning(model.id, sort_by_parameter_order=True)
    return [int(i) for i in session.execute(stmt, list(rows)).scalars()]
