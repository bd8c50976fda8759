"""The moderation log is append-only: no code path may change or remove an entry.

The database cannot enforce this on its own (the application's role may write
the table), so the rule is checked in the source: a change that adds an
update or delete of ``moderation_log`` fails here and has to be argued for.
"""

from __future__ import annotations

import re
from pathlib import Path

APP = Path(__file__).resolve().parents[3] / "app"

#: Anywhere in ``app/``: ORM, Core and raw-SQL writes to the log table.
FORBIDDEN = (
    re.compile(r"\b(?:update|delete)\(\s*ModerationLogEntry\b"),
    re.compile(r"ModerationLogEntry\.__table__\.(?:update|delete)\("),
    re.compile(r"\bUPDATE\s+moderation_log\b", re.IGNORECASE),
    re.compile(r"\bDELETE\s+FROM\s+moderation_log\b", re.IGNORECASE),
    re.compile(r"\bTRUNCATE\b[^\n]*\bmoderation_log\b", re.IGNORECASE),
)
#: In a module that handles log entries, any ``session.delete(…)``.
SESSION_DELETE = re.compile(r"\.delete\(")
MENTIONS_ENTRIES = re.compile(r"\bModerationLogEntry\b|\bmoderation_log\b")


def violations(source: str) -> list[str]:
    found = [m.group(0) for pattern in FORBIDDEN for m in pattern.finditer(source)]
    if MENTIONS_ENTRIES.search(source):
        found += [m.group(0) for m in SESSION_DELETE.finditer(source)]
    return found


def test_no_update_or_delete_path_for_log_entries() -> None:
    files = sorted(APP.rglob("*.py"))
    assert len(files) > 20  # the scan really covers the service
    offenders = {
        str(path.relative_to(APP.parent)): hits
        for path in files
        if (hits := violations(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_scan_recognises_each_kind_of_write() -> None:
    assert violations("session.execute(update(ModerationLogEntry).values(hash='x'))")
    assert violations("stmt = delete( ModerationLogEntry ).where(ModerationLogEntry.seq == 3)")
    assert violations("ModerationLogEntry.__table__.delete()")
    assert violations('conn.exec_driver_sql("delete from moderation_log where seq = 3")')
    assert violations('text("UPDATE moderation_log SET payload = :p")')
    assert violations("entry = session.get(ModerationLogEntry, 1)\nsession.delete(entry)")
    assert not violations("session.delete(draft)")  # other modules may delete their own rows
    assert not violations("session.add(ModerationLogEntry(**fields))")
