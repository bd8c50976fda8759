"""The moderation log is complete: every committed change has its entries, and
verification says so — or names what is missing.

Issue 12: a worker batch with a malformed delivery lost the log entries of
every other row in it, and ``/v1/log/verify`` still answered ``ok``.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.assessment.service import default_classifier
from app.models import Assessment, Comment, Decision, ModerationLogEntry, QueueItem, WebhookDelivery, utcnow
from app.modlog.service import record
from app.settings import Settings
from app.unit_of_work import UnitOfWork
from app.worker.inbox import InboxWorker
from tests.factories import (
    auth,
    create_account,
    create_key,
    create_tenant,
    feed_change,
    meta_json,
    page_delivery,
    sign_meta,
)

TEXTS = (
    "Tack för en fin dag i parken!",
    "Ring mig på 070-123 45 67 om bygglovet.",
    "Ni är helt värdelösa idioter på kommunen.",
    "När öppnar badhuset igen?",
)


def deliver(client: TestClient, payload: Any) -> None:
    body = meta_json(payload)
    assert client.post("/webhooks/meta", content=body, headers=sign_meta(body)).status_code == 200


def entries_by_comment(session: Session, action: str) -> dict[int, int]:
    session.commit()
    rows = session.execute(
        select(ModerationLogEntry.comment_id, func.count())
        .where(ModerationLogEntry.action == action)
        .group_by(ModerationLogEntry.comment_id)
    ).all()
    return {int(c): int(n) for c, n in rows}


@pytest.fixture
def world(session: Session) -> dict[str, Any]:
    tenant = create_tenant(session)
    page = create_account(session, tenant=tenant)
    return {"tenant": tenant, "page": page, "registrar": create_key(session, tenant=tenant, role="registrar")}


def test_a_batch_with_malformed_deliveries_keeps_every_other_rows_entries(
    app: FastAPI, client: TestClient, session: Session, settings: Settings, world: dict[str, Any]
) -> None:
    # 60 comments interleaved with 15 verified, valid-JSON deliveries of the wrong shape.
    for i in range(60):
        deliver(client, page_delivery(feed_change(comment=str(i), message=f"{TEXTS[i % 4]} (#{i})")))
        if i % 4 == 3:
            deliver(client, {"object": "page", "entry": f"not a list {i}"})
    worker = InboxWorker(app.state.session_factory, settings, classify=default_classifier())
    worker.run_until_idle()

    session.commit()
    statuses = session.execute(
        select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status)
    ).all()
    assert dict(statuses) == {"done": 60, "failed": 15}
    comments = set(session.scalars(select(Comment.id)))
    assert len(comments) == 60
    assert set(entries_by_comment(session, "comment.stored")) == comments
    assert set(entries_by_comment(session, "comment.assessed")) == comments
    queued = set(session.scalars(select(QueueItem.comment_id)))
    assert queued, "some of the texts are flagged"
    assert set(entries_by_comment(session, "evidence.snapshot_taken")) == queued

    verified = client.get("/v1/log/verify", headers=auth(world["registrar"])).json()
    assert verified["ok"] is True and verified["records_checked"] >= 60 * 2 + 2 * len(queued)


def test_a_rolled_back_savepoint_takes_only_its_own_entries(
    app: FastAPI, client: TestClient, world: dict[str, Any]
) -> None:
    tenant_id = world["tenant"].id

    def note(session: Session, text: str) -> None:
        record(
            session,
            tenant_id=tenant_id,
            actor="test",
            action="test.note",
            subject_type="test",
            subject_id=text,
        )

    with app.state.session_factory() as session:
        assert isinstance(session, UnitOfWork)
        note(session, "before")
        with pytest.raises(RuntimeError), session.savepoint():
            note(session, "inside")
            raise RuntimeError("this part fails")
        with session.savepoint():
            note(session, "kept savepoint")
        note(session, "after")
        session.commit()
        notes = session.scalars(
            select(ModerationLogEntry.subject_id)
            .where(ModerationLogEntry.action == "test.note")
            .order_by(ModerationLogEntry.seq)
        ).all()
    assert notes == ["before", "kept savepoint", "after"]


def test_a_rolled_back_unit_of_work_writes_nothing_and_the_next_one_starts_clean(
    app: FastAPI, client: TestClient, world: dict[str, Any]
) -> None:
    tenant_id = world["tenant"].id
    with app.state.session_factory() as session:
        record(
            session,
            tenant_id=tenant_id,
            actor="test",
            action="test.note",
            subject_type="test",
            subject_id="no",
        )
        session.rollback()
        record(
            session,
            tenant_id=tenant_id,
            actor="test",
            action="test.note",
            subject_type="test",
            subject_id="yes",
        )
        session.commit()
        notes = session.scalars(
            select(ModerationLogEntry.subject_id).where(ModerationLogEntry.action == "test.note")
        ).all()
    assert notes == ["yes"]


def test_a_plain_session_cannot_record(app: FastAPI, client: TestClient, world: dict[str, Any]) -> None:
    with Session(app.state.engine) as session, pytest.raises(TypeError, match="UnitOfWork"):
        record(session, tenant_id=world["tenant"].id, actor="t", action="a", subject_type="s", subject_id=1)


def test_verify_names_records_that_lack_their_entries(
    app: FastAPI, client: TestClient, session: Session, settings: Settings, world: dict[str, Any]
) -> None:
    deliver(
        client, page_delivery(feed_change(comment="1", message="Ni är värdelösa idioter, ring 070-123 45 67"))
    )
    InboxWorker(app.state.session_factory, settings, classify=default_classifier()).run_until_idle()
    headers = auth(world["registrar"])
    assert client.get("/v1/log/verify", headers=headers).json()["ok"] is True

    # Records written around the log (as the old listener bug did): verification must not say ok.
    session.commit()
    comment = session.scalars(select(Comment)).one()
    item = session.scalars(select(QueueItem)).one()
    now = utcnow()
    with app.state.engine.begin() as conn:
        conn.execute(
            insert(Comment.__table__),
            [
                {
                    "tenant_id": comment.tenant_id,
                    "account_id": comment.account_id,
                    "platform": "facebook",
                    "external_id": "unlogged",
                    "state": "visible",
                    "state_rank": 0,
                    "first_received_at": now,
                    "updated_at": now,
                    "media_urls": [],
                    "platform_metadata": {},
                }
            ],
        )
        conn.execute(
            insert(Decision.__table__),
            [
                {
                    "tenant_id": item.tenant_id,
                    "item_id": item.id,
                    "actor": "someone",
                    "actions": ["none"],
                    "reason": "utan logg",
                    "followed_recommendation": False,
                    "decided_at": now,
                }
            ],
        )
        conn.execute(
            insert(Assessment.__table__),
            [
                {
                    "tenant_id": comment.tenant_id,
                    "comment_id": comment.id,
                    "comment_version_id": comment.current_version_id,
                    "model_version": "x",
                    "categories": [],
                    "findings": [],
                    "created_at": now,
                }
            ],
        )
    body = client.get("/v1/log/verify", headers=headers).json()
    session.commit()
    unlogged = session.scalars(select(Comment).where(Comment.external_id == "unlogged")).one()
    assert body["ok"] is False and body["missing_count"] == 3
    missing = {(m["record"], m["record_id"], m["expected_action"]) for m in body["missing"]}
    assert missing == {
        ("comment", unlogged.id, "comment.stored"),
        ("queue_item_decisions", item.id, "queue.decided"),
        ("comment_assessments", comment.id, "comment.assessed"),
    }


def test_a_comment_first_seen_without_text_has_its_entry(
    app: FastAPI, client: TestClient, session: Session, worker: InboxWorker, world: dict[str, Any]
) -> None:
    change = feed_change(comment="7", message="x")
    del change["value"]["message"]
    deliver(client, page_delivery(change))
    worker.run_until_idle()
    session.commit()
    comment = session.scalars(select(Comment)).one()
    assert comment.current_version_id is None
    assert entries_by_comment(session, "comment.stored") == {comment.id: 1}
    assert client.get("/v1/log/verify", headers=auth(world["registrar"])).json()["ok"] is True
