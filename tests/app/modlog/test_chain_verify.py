"""``GET /v1/log/verify`` against a chain tampered with directly in the database.

Each tamper goes through a separate connection with plain SQL, as someone with
database access would do it, and verification must name the row it hit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import JSON, Engine, String, bindparam, text
from sqlalchemy.orm import Session

from app.models import UTCDateTime
from app.modlog.chain import entry_hash
from app.modlog.verify import verify_tenant
from tests.app.modlog.helpers import append
from tests.factories import auth, create_account, create_key, create_tenant

TOTAL = 9  # tenant.created, account.created, apikey.created and six notes
BAD = 5


@pytest.fixture
def chain(session: Session) -> dict[str, Any]:
    a = create_tenant(session, name="a-kommun")
    create_account(session, tenant=a, external_id="111")
    key_a = create_key(session, tenant=a, role="registrar")
    append(session, a.id, TOTAL - 3)
    b = create_tenant(session, name="b-kommun")
    key_b = create_key(session, tenant=b, role="registrar")
    append(session, b.id, 3)
    return {"a": a.id, "b": b.id, "key_a": key_a, "key_b": key_b}


def verify(client: TestClient, key: str) -> dict[str, Any]:
    r = client.get("/v1/log/verify", headers=auth(key))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def execute(engine: Engine, sql: str, **params: Any) -> list[Any]:
    """Plain SQL on a separate connection; ``payload`` and ``at`` are bound and read
    with the column types so the same statement works on both databases."""
    clause = text(sql)
    for name, type_ in (("payload", JSON()), ("at", UTCDateTime())):
        if f":{name}" in sql:
            clause = clause.bindparams(bindparam(name, type_=type_))
    statement = clause.columns(at=UTCDateTime(), hash=String()) if sql.startswith("SELECT") else clause
    with engine.begin() as conn:
        result = conn.execute(statement, params)
        return list(result.all()) if result.returns_rows else []


def entry_at(engine: Engine, t: int, seq: int) -> datetime:
    [(at, _)] = execute(
        engine, "SELECT at, hash FROM moderation_log WHERE tenant_id = :t AND seq = :s", t=t, s=seq
    )
    assert at.tzinfo is not None
    return at


def test_an_untouched_chain_verifies(client: TestClient, chain: dict[str, Any]) -> None:
    body = verify(client, chain["key_a"])
    assert body["ok"] is True
    assert body["entries"] == body["head_seq"] == TOTAL
    assert len(body["head_hash"]) == 64
    other = verify(client, chain["key_b"])
    assert other == {
        "ok": True,
        "entries": 5,
        "head_seq": 5,
        "head_hash": other["head_hash"],
        "records_checked": 0,
    }
    assert other["head_hash"] != body["head_hash"]


def test_an_empty_log_verifies(client: TestClient, chain: dict[str, Any], raw_engine: Engine) -> None:
    execute(raw_engine, "DELETE FROM moderation_log WHERE tenant_id = :t", t=chain["a"])
    execute(
        raw_engine,
        "UPDATE log_chain_heads SET seq = 0, hash = :h WHERE tenant_id = :t",
        h="0" * 64,
        t=chain["a"],
    )
    assert verify(client, chain["key_a"]) == {
        "ok": True,
        "entries": 0,
        "head_seq": 0,
        "head_hash": "0" * 64,
        "records_checked": 0,
    }


def _change_payload(engine: Engine, t: int) -> None:
    execute(
        engine,
        "UPDATE moderation_log SET payload = :payload WHERE tenant_id = :t AND seq = :s",
        payload={"i": 2, "note": "ändrad i efterhand"},
        t=t,
        s=BAD,
    )


def _delete_middle(engine: Engine, t: int) -> None:
    execute(engine, "DELETE FROM moderation_log WHERE tenant_id = :t AND seq = :s", t=t, s=BAD)


def _delete_last(engine: Engine, t: int) -> None:
    execute(engine, "DELETE FROM moderation_log WHERE tenant_id = :t AND seq = :s", t=t, s=TOTAL)


def _swap_pair(engine: Engine, t: int) -> None:
    sql = "UPDATE moderation_log SET seq = :new WHERE tenant_id = :t AND seq = :old"
    execute(engine, sql, t=t, old=BAD, new=-1)
    execute(engine, sql, t=t, old=BAD + 1, new=BAD)
    execute(engine, sql, t=t, old=-1, new=BAD + 1)


def _change_hash(engine: Engine, t: int) -> None:
    execute(
        engine,
        "UPDATE moderation_log SET hash = :h WHERE tenant_id = :t AND seq = :s",
        h="f" * 64,
        t=t,
        s=BAD,
    )


def _change_at(engine: Engine, t: int) -> None:
    earlier = entry_at(engine, t, BAD) - timedelta(seconds=1)
    execute(
        engine, "UPDATE moderation_log SET at = :at WHERE tenant_id = :t AND seq = :s", at=earlier, t=t, s=BAD
    )


def _append_forged(engine: Engine, t: int) -> None:
    """A well-formed entry, correctly chained and hashed, added without moving the head."""
    [(at, prev)] = execute(
        engine, "SELECT at, hash FROM moderation_log WHERE tenant_id = :t AND seq = :s", t=t, s=TOTAL
    )
    fields: dict[str, Any] = {
        "tenant_id": t,
        "seq": TOTAL + 1,
        "at": at,
        "actor": "test",
        "action": "test.note",
        "subject_type": "test",
        "subject_id": "x",
        "account_id": None,
        "comment_id": None,
        "payload": {"forged": True},
        "prev_hash": prev,
    }
    execute(
        engine,
        "INSERT INTO moderation_log (tenant_id, seq, at, actor, action, subject_type, subject_id, "
        "payload, prev_hash, hash) VALUES (:tenant_id, :seq, :at, :actor, :action, :subject_type, "
        ":subject_id, :payload, :prev_hash, :hash)",
        **{k: v for k, v in fields.items() if k not in ("account_id", "comment_id")},
        hash=entry_hash(**fields),
    )


def _rewrite_and_relink(engine: Engine, t: int) -> None:
    """An entry rewritten with a correctly recomputed hash (SHA-256 needs no key), and the
    next entry's link moved to it.  Only because each entry's hash covers its ``prev_hash``
    does the next entry then fail to verify."""
    [row] = execute(
        engine,
        "SELECT seq, at, actor, action, subject_type, subject_id, account_id, comment_id, prev_hash "
        "FROM moderation_log WHERE tenant_id = :t AND seq = :s",
        t=t,
        s=BAD,
    )
    fields: dict[str, Any] = {
        "tenant_id": t,
        "seq": BAD,
        "at": row.at,
        "actor": row.actor,
        "action": row.action,
        "subject_type": row.subject_type,
        "subject_id": row.subject_id,
        "account_id": row.account_id,
        "comment_id": row.comment_id,
        "payload": {"i": 2, "note": "ändrad i efterhand"},
        "prev_hash": row.prev_hash,
    }
    forged = entry_hash(**fields)
    execute(
        engine,
        "UPDATE moderation_log SET payload = :payload, hash = :h WHERE tenant_id = :t AND seq = :s",
        payload=fields["payload"],
        h=forged,
        t=t,
        s=BAD,
    )
    execute(
        engine,
        "UPDATE moderation_log SET prev_hash = :h WHERE tenant_id = :t AND seq = :s",
        h=forged,
        t=t,
        s=BAD + 1,
    )


TAMPERS: dict[str, tuple[Callable[[Engine, int], None], int, str]] = {
    "changed payload": (_change_payload, BAD, "hash mismatch"),
    "deleted middle entry": (_delete_middle, BAD, f"sequence gap (expected {BAD}, found {BAD + 1})"),
    "deleted last entry": (_delete_last, TOTAL, "head does not match last entry"),
    "swapped pair": (_swap_pair, BAD, "prev_hash does not match previous entry"),
    "changed hash": (_change_hash, BAD, "hash mismatch"),
    "changed time": (_change_at, BAD, "hash mismatch"),
    "rewritten entry, next link moved": (_rewrite_and_relink, BAD + 1, "hash mismatch"),
    "forged entry after the head": (_append_forged, TOTAL + 1, "head does not match last entry"),
}


@pytest.mark.parametrize("tamper", list(TAMPERS))
def test_tampering_names_the_first_bad_entry(
    tamper: str, client: TestClient, session: Session, chain: dict[str, Any], raw_engine: Engine
) -> None:
    change, bad_seq, reason = TAMPERS[tamper]
    change(raw_engine, chain["a"])
    body = verify(client, chain["key_a"])
    assert body == {"ok": False, "entries_checked": bad_seq - 1, "first_bad_seq": bad_seq, "reason": reason}
    # Reading in small pages gives the same answer across page boundaries.
    report = verify_tenant(session, chain["a"], page_size=2)
    session.rollback()
    assert (report.ok, report.first_bad_seq, report.reason) == (False, bad_seq, reason)
    # The other tenant's chain is untouched.
    assert verify(client, chain["key_b"])["ok"] is True
