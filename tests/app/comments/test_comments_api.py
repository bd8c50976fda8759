"""The comment read API and authenticated ingest, scoped to tenant and accounts."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

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


@pytest.fixture
def world(session: Session) -> dict[str, Any]:
    a = create_tenant(session, name="a-kommun")
    b = create_tenant(session, name="b-kommun", preset="malmo")
    page_a = create_account(session, tenant=a, external_id="111", editors=("red@a.se",))
    web_a = create_account(session, tenant=a, platform="web", external_id="site-a", editors=("other@a.se",))
    page_b = create_account(session, tenant=b, external_id="222")
    return {
        "a": a,
        "b": b,
        "page_a": page_a,
        "web_a": web_a,
        "page_b": page_b,
        "registrar_a": create_key(session, tenant=a, role="registrar"),
        "admin_a": create_key(session, tenant=a, role="admin"),
        "editor_a": create_key(session, tenant=a, role="editor", subject="red@a.se"),
        "registrar_b": create_key(session, tenant=b, role="registrar"),
    }


def deliver(client: TestClient, page_id: str, *changes: dict[str, Any]) -> None:
    body = meta_json(page_delivery(*changes, page_id=page_id))
    assert client.post("/webhooks/meta", content=body, headers=sign_meta(body)).status_code == 200


def test_list_is_tenant_scoped_newest_first_and_paginated(
    client: TestClient, worker: InboxWorker, world: dict[str, Any]
) -> None:
    deliver(
        client,
        "111",
        *[feed_change(comment=str(i), page_id="111", message=f"kommentar {i}") for i in range(5)],
    )
    deliver(client, "222", feed_change(comment="x", page_id="222", message="annan kommun"))
    worker.run_until_idle()
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        r = client.get("/v1/comments", params=params, headers=auth(world["registrar_a"]))
        assert r.status_code == 200
        page = r.json()
        seen += [c["text"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"kommentar {i}" for i in reversed(range(5))]
    r = client.get("/v1/comments", headers=auth(world["registrar_b"]))
    assert [c["text"] for c in r.json()["items"]] == ["annan kommun"]


def test_filters(client: TestClient, worker: InboxWorker, world: dict[str, Any]) -> None:
    deliver(
        client,
        "111",
        feed_change(comment="1", page_id="111"),
        feed_change(comment="2", page_id="111", extra={"from": {"id": "77", "name": "Kalle Test"}}),
    )
    deliver(client, "111", feed_change(comment="2", verb="remove", message=None, page_id="111"))
    worker.run_until_idle()
    key = auth(world["registrar_a"])
    by_author = client.get("/v1/comments", params={"author": "Kalle Test"}, headers=key).json()["items"]
    assert [c["external_id"] for c in by_author] == ["900_2"]
    deleted = client.get("/v1/comments", params={"state": "deleted_by_author"}, headers=key).json()["items"]
    assert [c["external_id"] for c in deleted] == ["900_2"]
    other_account = client.get("/v1/comments", params={"account_id": world["web_a"].id}, headers=key).json()
    assert other_account["items"] == []
    future = client.get("/v1/comments", params={"since": "2999-01-01T00:00:00Z"}, headers=key).json()
    assert future["items"] == []


def test_detail_shows_versions_and_events_and_hides_other_tenants(
    client: TestClient, worker: InboxWorker, world: dict[str, Any]
) -> None:
    deliver(client, "111", feed_change(page_id="111", message="Första"))
    deliver(
        client,
        "111",
        feed_change(page_id="111", verb="edited", message="Andra", extra={"edited_time": 1_700_000_500}),
    )
    worker.run_until_idle()
    [item] = client.get("/v1/comments", headers=auth(world["registrar_a"])).json()["items"]
    detail = client.get(f"/v1/comments/{item['id']}", headers=auth(world["registrar_a"])).json()
    assert [v["text"] for v in detail["versions"]] == ["Första", "Andra"]
    assert [e["kind"] for e in detail["events"]] == ["added", "edited"]
    assert detail["text"] == "Andra"
    r = client.get(f"/v1/comments/{item['id']}", headers=auth(world["registrar_b"]))
    assert r.status_code == 404
    assert "Andra" not in r.text


def test_editor_sees_only_accounts_they_edit(
    client: TestClient, worker: InboxWorker, world: dict[str, Any]
) -> None:
    deliver(client, "111", feed_change(page_id="111"))
    r = client.post(
        "/v1/comments",
        headers=auth(world["admin_a"]),
        json={"account_id": world["web_a"].id, "comments": [{"external_id": "w1", "text": "Från webben"}]},
    )
    assert r.status_code == 202
    worker.run_until_idle()
    admin = client.get("/v1/comments", headers=auth(world["admin_a"])).json()["items"]
    editor = client.get("/v1/comments", headers=auth(world["editor_a"])).json()["items"]
    assert len(admin) == 2
    assert [c["account_id"] for c in editor] == [world["page_a"].id]


def test_ingest_is_strict_and_scoped(client: TestClient, worker: InboxWorker, world: dict[str, Any]) -> None:
    admin = auth(world["admin_a"])
    unknown_field = client.post(
        "/v1/comments",
        headers=admin,
        json={"account_id": world["web_a"].id, "comments": [{"external_id": "1", "x": 1}]},
    )
    assert unknown_field.status_code == 422
    other_tenant = client.post(
        "/v1/comments",
        headers=auth(world["registrar_b"]),
        json={"account_id": world["page_b"].id, "comments": [{"external_id": "1"}]},
    )
    assert other_tenant.status_code == 403  # registrars read; they do not ingest
    foreign_account = client.post(
        "/v1/comments",
        headers=admin,
        json={"account_id": world["page_b"].id, "comments": [{"external_id": "1"}]},
    )
    assert foreign_account.status_code == 404
    editor_elsewhere = client.post(
        "/v1/comments",
        headers=auth(world["editor_a"]),
        json={"account_id": world["web_a"].id, "comments": [{"external_id": "1"}]},
    )
    assert editor_elsewhere.status_code == 404
    ok = client.post(
        "/v1/comments",
        headers=admin,
        json={
            "account_id": world["web_a"].id,
            "comments": [
                {
                    "external_id": "c1",
                    "text": "Hej\u0000 med NUL och \u202eRTL",
                    "author_name": "Webbesökare",
                    "created_at": "2026-11-20T10:00:00+01:00",
                }
            ],
        },
    )
    assert ok.status_code == 202
    worker.run_until_idle()
    [item] = client.get("/v1/comments", headers=admin).json()["items"]
    assert item["platform"] == "web" and item["author_name"] == "Webbesökare"
    assert item["text"] == "Hej med NUL och \u202eRTL"  # NUL kept exactly in the version's exact bytes
    assert item["platform_created_at"].startswith("2026-11-20T09:00:00")


def test_authentication_errors(client: TestClient, world: dict[str, Any]) -> None:
    for headers in ({}, {"Authorization": "Basic abc"}, auth("upk_nope_nope"), auth(world["admin_a"] + "x")):
        r = client.get("/v1/comments", headers=headers)
        assert r.status_code == 401
        assert r.json()["error"] == "Unauthorized"
