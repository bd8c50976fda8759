"""The webhook fast path answers exactly as the routed endpoints do, and the
batch insert written in each database's SQL stores what the ORM would."""

from __future__ import annotations

import asyncio
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from app.db import begin_write
from app.main import create_app
from app.middleware import SECURITY_HEADERS, request_id_from
from app.models import WebhookDelivery
from app.settings import Settings
from app.webhooks import repository, service
from tests.app.webhooks.test_group_commit import inbox_locked
from tests.conftest import _truncate_postgres
from tests.factories import (
    feed_change,
    linkedin_delivery,
    linkedin_notification,
    meta_json,
    page_delivery,
    sign_linkedin,
    sign_meta,
)

LIMIT = 4096


def _requests() -> list[tuple[str, str, bytes, dict[str, str]]]:
    """(name, path, body, headers): every kind of delivery a platform or an attacker sends."""
    meta = meta_json(page_delivery(feed_change(comment="1", message="Varför är gatlampan trasig?")))
    other = meta_json(page_delivery(feed_change(comment="2", message="Tack för snöröjningen!")))
    linkedin = json.dumps(linkedin_delivery(linkedin_notification())).encode()
    huge = meta_json(page_delivery(feed_change(comment="3", message="x" * (LIMIT + 100))))
    return [
        ("meta stored", "/webhooks/meta", meta, sign_meta(meta)),
        ("meta duplicate", "/webhooks/meta", meta, sign_meta(meta)),
        ("meta with request id", "/webhooks/meta", other, {**sign_meta(other), "X-Request-Id": "abc-123"}),
        ("meta unsigned", "/webhooks/meta", meta, {"Content-Type": "application/json"}),
        ("meta forged", "/webhooks/meta", meta, sign_meta(meta, "not-the-secret")),
        ("meta signed for other bytes", "/webhooks/meta", other + b" ", sign_meta(other)),
        ("meta too large", "/webhooks/meta", huge, sign_meta(huge)),
        ("meta empty", "/webhooks/meta", b"", sign_meta(b"")),
        ("linkedin stored", "/webhooks/linkedin", linkedin, sign_linkedin(linkedin)),
        (
            "linkedin reading B",
            "/webhooks/linkedin",
            linkedin + b"\n",
            sign_linkedin(linkedin + b"\n", reading="B"),
        ),
        ("linkedin duplicate", "/webhooks/linkedin", linkedin, sign_linkedin(linkedin)),
        ("linkedin forged", "/webhooks/linkedin", linkedin, sign_linkedin(linkedin, "nope")),
        ("linkedin signed as meta", "/webhooks/linkedin", meta, sign_meta(meta)),
    ]


def _answers(settings: Settings) -> tuple[list[dict[str, Any]], list[tuple[str, bytes, str]]]:
    """Send every request in order; the answers, and what the inbox holds afterwards."""
    answers = []
    with TestClient(create_app(settings)) as client:
        for name, path, body, headers in _requests():
            r = client.post(path, content=body, headers=headers)
            answers.append(
                {
                    "name": name,
                    "status": r.status_code,
                    "json": r.json(),
                    "content-type": r.headers["content-type"],
                    "request id given back": r.headers.get("x-request-id") == headers.get("X-Request-Id"),
                    "security headers": {k.decode(): r.headers.get(k.decode()) for k, _ in SECURITY_HEADERS},
                }
            )
        with client.app.state.session_factory() as session:  # type: ignore[attr-defined]
            stored = [
                (d.source, d.body, d.signature_scheme)
                for d in session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))
            ]
    return answers, stored


def _fresh(database_url: str, tmp_path: Path, sqlite_template: Path | None) -> str:
    if database_url.startswith("sqlite"):
        assert sqlite_template is not None
        path = tmp_path / "second.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    _truncate_postgres(database_url)
    return database_url


def test_fast_path_answers_every_request_exactly_as_the_routed_endpoints(
    settings: Settings, database_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    fast = settings.model_copy(update={"webhook_max_body_bytes": LIMIT, "webhook_fast_path": True})
    fast_answers, fast_stored = _answers(fast)

    template = request.getfixturevalue("sqlite_template") if database_url.startswith("sqlite") else None
    routed = fast.model_copy(
        update={"webhook_fast_path": False, "database_url": _fresh(database_url, tmp_path, template)}
    )
    routed_answers, routed_stored = _answers(routed)

    for ours, theirs in zip(fast_answers, routed_answers, strict=True):
        assert ours == theirs, ours["name"]
    # And the answers are the right ones, not merely the same.
    by_name = {a["name"]: a for a in fast_answers}
    assert by_name["meta stored"]["json"]["status"] == "stored"
    assert by_name["meta duplicate"]["json"]["status"] == "duplicate"
    assert by_name["linkedin duplicate"]["json"]["status"] == "duplicate"
    assert by_name["meta with request id"]["request id given back"]
    for name in ("meta unsigned", "meta forged", "meta signed for other bytes", "linkedin forged"):
        assert (by_name[name]["status"], by_name[name]["json"]["error"]) == (401, "SignatureInvalid"), name
    assert by_name["meta too large"]["status"] == 413
    assert by_name["meta too large"]["json"]["detail"] == f"The body is larger than {LIMIT} bytes."
    assert all(a["security headers"]["x-content-type-options"] == "nosniff" for a in fast_answers)
    assert fast_stored == routed_stored
    assert [s[2] for s in fast_stored] == [
        "sha256",
        "sha256",
        "sha256",  # the empty body, correctly signed, is kept; the worker marks it failed
        "linkedin-prefixed-body",
        "linkedin-bare-body",
    ]


@pytest.mark.parametrize("fast_path", [True, False])
def test_a_failed_commit_answers_503_with_retry_after_and_stores_nothing(
    settings: Settings, fast_path: bool
) -> None:
    locked = settings.model_copy(update={"db_lock_timeout_ms": 300, "webhook_fast_path": fast_path})
    body = meta_json(page_delivery(feed_change()))
    with TestClient(create_app(locked)) as client:
        with inbox_locked(locked):
            r = client.post("/webhooks/meta", content=body, headers=sign_meta(body))
        assert r.status_code == 503
        assert r.json()["error"] == "ServiceUnavailable"
        assert r.headers["x-frame-options"] == "DENY"
        assert (
            client.post("/webhooks/meta", content=body, headers=sign_meta(body)).json()["status"] == "stored"
        )


def test_an_unexpected_error_answers_500_in_our_shape_and_stores_nothing(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**_: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(service, "delivery_row", broken)
    body = meta_json(page_delivery(feed_change()))
    with TestClient(create_app(settings)) as client:
        r = client.post("/webhooks/meta", content=body, headers=sign_meta(body))
        assert r.status_code == 500
        assert r.json() == {"error": "InternalError", "detail": "An unexpected error occurred."}
        assert r.headers["content-security-policy"].startswith("default-src 'none'")
        assert r.headers["x-request-id"]
        with client.app.state.session_factory() as session:  # type: ignore[attr-defined]
            assert session.scalars(select(WebhookDelivery)).all() == []


def test_a_platform_that_hangs_up_mid_body_gets_no_answer_and_nothing_is_stored(settings: Settings) -> None:
    app = create_app(settings)
    body = meta_json(page_delivery(feed_change()))
    sent: list[dict[str, Any]] = []
    messages = [{"type": "http.request", "body": body[:10], "more_body": True}, {"type": "http.disconnect"}]

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    headers = [(k.lower().encode(), v.encode()) for k, v in sign_meta(body).items()]
    scope = {"type": "http", "method": "POST", "path": "/webhooks/meta", "headers": headers}
    with TestClient(app):  # the lifespan has run: the app is serving
        asyncio.run(app(scope, receive, send))
        with app.state.session_factory() as session:
            assert session.scalars(select(WebhookDelivery)).all() == []
    assert sent == []


def test_other_requests_to_the_webhook_paths_still_go_through_the_router(client: TestClient) -> None:
    assert client.get("/webhooks/meta", params={"hub.mode": "subscribe"}).status_code == 403
    assert client.put("/webhooks/meta", content=b"{}").status_code == 405
    assert client.post("/webhooks/meta/", content=b"{}", follow_redirects=False).status_code == 307


def test_the_batch_insert_names_every_column_the_table_has() -> None:
    """A column added to the model must be added to the hand-written insert (or start NULL)."""
    starts_null = {"id", "last_error", "handled_at", "body_culled_at"}
    columns = {c.name for c in WebhookDelivery.__table__.columns}
    assert set(repository._STORED_COLUMNS) == columns - starts_null
    for sql in (repository._PG_STORE_MANY, repository._SQLITE_STORE_ONE):
        listed = sql.split("(", 1)[1].split(")", 1)[0]
        assert [c.strip() for c in listed.split(",")] == list(repository._STORED_COLUMNS)
    assert all(WebhookDelivery.__table__.c[name].nullable for name in starts_null - {"id"})


def _row(n: int, **changes: Any) -> dict[str, Any]:
    body = meta_json(page_delivery(feed_change(comment=str(n), message=f"Fråga {n}: när öppnar badhuset?")))
    headers = {
        "content-type": "application/json",
        "user-agent": "Mötesbokning/1.0 ☃",
        "x-request-id": f"r{n}",
    }
    row, _ = service.delivery_row(source="meta", body=body, headers=headers, signature_scheme="sha256")
    row.update(changes)
    return row


def _as_stored(session: Session, key: str) -> dict[str, Any]:
    delivery = session.scalars(select(WebhookDelivery).where(WebhookDelivery.dedupe_key == key)).one()
    values = {a.key: getattr(delivery, a.key) for a in inspect(WebhookDelivery).column_attrs}
    return {k: v for k, v in values.items() if k not in ("id", "dedupe_key", "body", "body_sha256")}


def test_the_batch_insert_stores_what_the_orm_would(session: Session) -> None:
    """The same values through the ORM's insert and through ``store_many`` read back identically,
    and the worker's claim (which compares timestamps as the database stores them) sees both."""
    past = datetime(2026, 11, 23, 7, 5, 9, 123456, tzinfo=UTC)
    cases = [
        {},
        {"received_at": past, "next_attempt_at": past - timedelta(microseconds=1)},
        {"received_at": past.replace(microsecond=0), "next_attempt_at": past.replace(microsecond=0)},
        {"headers": {}, "signature_scheme": "linkedin-bare-body", "source": "linkedin"},
    ]
    for n, changes in enumerate(cases):
        by_orm = _row(2 * n, **changes)
        other = _row(2 * n + 1)
        by_batch = {**by_orm, **{k: other[k] for k in ("dedupe_key", "body", "body_sha256")}}
        begin_write(session)
        assert repository.store(session, by_orm)
        assert repository.store_many(session.connection(), [by_batch, by_batch]) == {by_batch["dedupe_key"]}
        session.commit()
        assert repository.store_many(session.connection(), [by_batch]) == set()  # already there
        session.commit()
        assert _as_stored(session, by_batch["dedupe_key"]) == _as_stored(session, by_orm["dedupe_key"]), (
            changes
        )
        # Byte for byte as the database holds them (SQLite compares timestamps as text).
        raw = text(
            "SELECT received_at, next_attempt_at, headers, status"
            " FROM webhook_deliveries WHERE dedupe_key = :k"
        )
        assert (
            session.execute(raw, {"k": by_batch["dedupe_key"]}).one()
            == session.execute(raw, {"k": by_orm["dedupe_key"]}).one()
        )
        session.commit()
    claimed = repository.claim_due(session, now=datetime.now(UTC), limit=100)
    assert len(claimed) == 2 * len(cases)
    session.rollback()


def test_request_ids_are_kept_when_sane_and_made_unique_otherwise() -> None:
    assert request_id_from("abc-123") == "abc-123"
    assert request_id_from(b"abc-123") == "abc-123"
    made = {request_id_from(None) for _ in range(1000)} | {request_id_from("x" * 65), request_id_from("a\nb")}
    assert len(made) == 1002
    assert all(len(r) <= 64 and r.isalnum() for r in made)


def test_the_worker_claims_the_longest_due_first_and_skips_what_is_not_due(session: Session) -> None:
    """Claims follow the (status, next_attempt_at) index: a retried delivery waits behind newer
    ones that are due before it, and one not yet due is not claimed at all."""
    now = datetime.now(UTC)
    due_at = {
        "retried": now - timedelta(seconds=1),
        "old": now - timedelta(seconds=30),
        "new": now - timedelta(seconds=5),
        "later": now + timedelta(seconds=60),
    }
    begin_write(session)
    rows = {name: _row(n, next_attempt_at=at) for n, (name, at) in enumerate(due_at.items())}
    for row in rows.values():  # one at a time: ids in this order, the retried one lowest
        repository.store_many(session.connection(), [row])
    session.commit()
    names = {row["dedupe_key"]: name for name, row in rows.items()}
    claimed = repository.claim_due(session, now=now, limit=10)
    assert [names[d.dedupe_key] for d in claimed] == ["old", "new", "retried"]
    session.rollback()
