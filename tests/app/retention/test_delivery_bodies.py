"""Culling empties the raw deliveries too, but only those that carried nothing still kept."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import WebhookDelivery, utcnow
from app.retention.service import run_retention
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


def test_delivery_bodies_are_emptied_with_their_comments(
    client: TestClient, session: Session, worker: InboxWorker
) -> None:
    tenant = create_tenant(session, name="malmo", preset="malmo")
    create_account(session, tenant=tenant, external_id="111")
    registrar = create_key(session, tenant=tenant, role="registrar")
    only_one = meta_json(
        page_delivery(feed_change(comment="1", page_id="111", message="Markör-ett om parken"), page_id="111")
    )
    shared = meta_json(
        page_delivery(
            feed_change(comment="2", page_id="111", message="Markör-två"),
            feed_change(comment="3", page_id="111", message="Markör-tre"),
            page_id="111",
        )
    )
    for body in (only_one, shared):
        assert client.post("/webhooks/meta", content=body, headers=sign_meta(body)).status_code == 200
    worker.run_until_idle()
    session.commit()
    # Comment 3 is put on legal hold, so the delivery it shares with comment 2 must keep its bytes.
    from app.models import Comment

    held = session.scalars(select(Comment).where(Comment.external_id == "900_3")).one()
    held.legal_hold = True
    session.commit()
    report = run_retention(session, now=utcnow() + timedelta(days=400), dry_run=False)
    session.commit()
    assert report.totals.culled == 2
    rows = {d.body_sha256: d for d in session.scalars(select(WebhookDelivery))}
    import hashlib

    first, second = rows[hashlib.sha256(only_one).hexdigest()], rows[hashlib.sha256(shared).hexdigest()]
    assert first.body == b"" and first.body_culled_at is not None and first.headers == {}
    assert second.body == shared and second.body_culled_at is None
    assert b"Mark" not in first.body
    verify = client.get("/v1/log/verify", headers=auth(registrar)).json()
    assert verify["ok"] is True
