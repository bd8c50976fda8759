"""One engine factory and one session factory (units of work, ``app.unit_of_work``).

SQLite (the embedded default) runs in WAL mode with foreign keys on and full
synchronous commits (an acknowledged delivery survives a power cut, not only a
killed process); units of work that read before they write take the write
lock up front (``begin_write``) so two writers queue on the busy timeout
instead of failing on a lock upgrade halfway through.  PostgreSQL is production; workers
there claim rows with ``FOR UPDATE SKIP LOCKED``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from app.settings import Settings
from app.unit_of_work import UnitOfWork


def make_engine(settings: Settings) -> Engine:
    url = settings.database_url
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": settings.db_lock_timeout_ms / 1000},
            pool_size=settings.db_pool_size,
        )
        _configure_sqlite(engine, settings.db_lock_timeout_ms)
        return engine
    return create_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_pre_ping=True,
        connect_args={"options": f"-c lock_timeout={settings.db_lock_timeout_ms}"},
    )


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the driver so BEGIN IMMEDIATE below is ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(WRITE_INTENT, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


WRITE_INTENT = "uppsikt_write_intent"


def begin_write(session: Session) -> None:
    """Start a unit of work that will read and then write.

    On SQLite this takes the write lock at BEGIN (waiting on the busy timeout),
    because a read transaction that later tries to write fails at once if
    another writer committed in between.  A read-only transaction already open
    (authentication, say) is ended first; pending changes are a programming
    error.  On PostgreSQL the intent changes nothing.
    """
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("begin_write must come before the unit of work changes anything")
        session.rollback()
    session.connection(execution_options={WRITE_INTENT: True})


def make_session_factory(engine: Engine) -> sessionmaker[UnitOfWork]:
    """The one session factory: every session is a unit of work that owns its log entries."""
    return sessionmaker(bind=engine, class_=UnitOfWork, expire_on_commit=False, autoflush=False)


@contextmanager
def session_scope(factory: sessionmaker[UnitOfWork]) -> Iterator[Session]:
    """A session for a unit of work outside a request (worker, CLI).

    It never commits by itself: the caller commits where the unit of work ends,
    so that "only the edge commits" holds outside HTTP too.
    """
    session = factory()
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def commit(session: Session) -> None:
    """Commit at the edge; a database that cannot commit answers 503 so that a
    platform retries instead of believing its delivery was stored."""
    from sqlalchemy.exc import DBAPIError

    from app.errors import ServiceUnavailable

    try:
        session.commit()
    except DBAPIError:
        session.rollback()
        raise ServiceUnavailable() from None
