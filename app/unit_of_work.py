"""The unit of work: one database transaction and the log entries it owes.

Every session the service opens is a ``UnitOfWork`` (``app.db`` makes them).
Services record moderation-log entries on it (``app.modlog.service.record``);
they are written, hash-chained, inside the transaction at ``commit()`` and
forgotten at ``rollback()`` or ``close()``.  A part of the work that may fail
on its own runs in ``savepoint()``: if it is rolled back, so are exactly the
entries it recorded, and every other entry stays (design invariant 5).  This
replaces global session listeners, which could not tell a savepoint's
rollback from the transaction's and lost the other rows' entries.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import Session

from app.modlog.journal import Journal


class UnitOfWork(Session):
    """A session that owns the moderation-log entries of its transaction."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.journal = Journal()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Run a part of the work that is rolled back alone if it raises."""
        mark = self.journal.mark()
        try:
            with self.begin_nested():
                yield
        except BaseException:
            self.journal.discard_after(mark)
            raise

    def commit(self) -> None:
        if self.journal.entries:
            self.journal.write(self)
        super().commit()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.journal.clear()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.journal.clear()


def unit_of_work(session: Session) -> UnitOfWork:
    """The unit of work behind a session; a plain session cannot record log entries."""
    if not isinstance(session, UnitOfWork):
        raise TypeError("moderation log entries need a UnitOfWork session (app.db.make_session_factory)")
    return session
