"""Two workers appending to the same tenants at once keep one valid chain each.

Appends are serialised per tenant by the chain head's row lock; this runs two
threads, each committing many transactions that record entries for two tenants
(in opposite orders, to tempt a lock cycle), and then checks both chains.
"""

from __future__ import annotations

import itertools
import threading
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import begin_write
from app.models import ModerationLogEntry
from app.modlog.service import record
from tests.factories import auth, create_key, create_tenant

ROUNDS = 40


def _work(
    app: FastAPI, worker: int, tenants: list[int], errors: list[BaseException], start: threading.Barrier
) -> None:
    order = tenants if worker == 0 else list(reversed(tenants))
    try:
        start.wait()
        for n in range(ROUNDS):
            # One session per transaction, as the inbox worker does per batch.
            with app.state.session_factory() as session:
                begin_write(session)
                for tenant_id in order:
                    for part in range(2 if tenant_id == tenants[0] else 1):
                        record(
                            session,
                            tenant_id=tenant_id,
                            actor=f"worker:{worker}",
                            action="test.concurrent",
                            subject_type="test",
                            subject_id=f"{worker}-{n}-{part}",
                            payload={"worker": worker, "round": n, "part": part},
                        )
                session.commit()
    except BaseException as exc:
        errors.append(exc)


def test_concurrent_appends_keep_one_valid_chain_per_tenant(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    a = create_tenant(session, name="a-kommun")
    b = create_tenant(session, name="b-kommun")
    keys = {a.id: create_key(session, tenant=a), b.id: create_key(session, tenant=b)}
    before = {t: _seqs(session, t) for t in keys}
    session.commit()

    errors: list[BaseException] = []
    start = threading.Barrier(2)
    threads = [
        threading.Thread(target=_work, args=(app, w, [a.id, b.id], errors, start), daemon=True)
        for w in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert errors == []

    added = {a.id: 2 * 2 * ROUNDS, b.id: 2 * ROUNDS}
    for tenant_id, key in keys.items():
        expected = len(before[tenant_id]) + added[tenant_id]
        assert _seqs(session, tenant_id) == list(range(1, expected + 1))
        session.commit()
        body: dict[str, Any] = client.get("/v1/log/verify", headers=auth(key)).json()
        assert body["ok"] is True, body
        assert body["entries"] == body["head_seq"] == expected
    # On PostgreSQL both workers really interleaved on the shared chain (SQLite's
    # write lock covers whole transactions, so there one may well run after the other).
    actors = [
        e.actor
        for e in session.scalars(
            select(ModerationLogEntry)
            .where(ModerationLogEntry.tenant_id == a.id, ModerationLogEntry.action == "test.concurrent")
            .order_by(ModerationLogEntry.seq)
        )
    ]
    switches = sum(1 for x, y in itertools.pairwise(actors) if x != y)
    assert len(actors) == 2 * 2 * ROUNDS
    if app.state.engine.dialect.name == "postgresql":
        assert switches > 1


def _seqs(session: Session, tenant_id: int) -> list[int]:
    return list(
        session.scalars(
            select(ModerationLogEntry.seq)
            .where(ModerationLogEntry.tenant_id == tenant_id)
            .order_by(ModerationLogEntry.seq)
        )
    )
