"""The registrar's log API: pages, filters, NDJSON stream and CSV export."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.settings import Settings
from app.worker.inbox import InboxWorker
from tests.app.modlog.helpers import append
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

NDJSON = {"Accept": "application/x-ndjson"}
CSV_HEADER = [
    "löpnummer",
    "tidpunkt (UTC)",
    "utförare",
    "händelse",
    "objekttyp",
    "objekt-id",
    "konto-id",
    "kommentar-id",
    "uppgifter (JSON)",
    "föregående hash",
    "hash",
]


def fake_classify(text: str, _context: dict[str, Any] | None) -> Any:
    """Stands in for the classifier so the worker records real ``comment.assessed`` entries."""
    categories = {"threat"} if "hot" in text else set()
    if "idiot" in text:
        categories.add("insult")
    return SimpleNamespace(findings=[], categories=categories, model_version="test-1")


@pytest.fixture
def world(app: FastAPI, client: TestClient, session: Session, settings: Settings) -> dict[str, Any]:
    a = create_tenant(session, name="a-kommun")
    b = create_tenant(session, name="b-kommun", preset="malmo")
    page_a = create_account(session, tenant=a, external_id="111", editors=("red@a.se",))
    web_a = create_account(session, tenant=a, platform="web", external_id="site-a", owner=None)
    page_b = create_account(session, tenant=b, external_id="222")
    world = {
        "a": a,
        "b": b,
        "page_a": page_a,
        "web_a": web_a,
        "page_b": page_b,
        "registrar_a": create_key(session, tenant=a, role="registrar"),
        "admin_a": create_key(session, tenant=a, role="admin"),
        "editor_a": create_key(session, tenant=a, role="editor", subject="red@a.se"),
        "owner_a": create_key(session, tenant=a, role="account_owner", subject="agare@example.se"),
        "registrar_b": create_key(session, tenant=b, role="registrar"),
    }
    deliver(
        client,
        "111",
        feed_change(comment="1", page_id="111", message="Tack för en fin dag!"),
        feed_change(
            comment="2",
            page_id="111",
            message="Jag ska slå dig, det är ett hot, idiot",
            extra={"from": {"id": "77", "name": "Kalle Test"}},
        ),
    )
    deliver(client, "222", feed_change(comment="9", page_id="222", message="Ett hot i en annan kommun"))
    worker = InboxWorker(app.state.session_factory, settings, classify=fake_classify)
    assert worker.run_until_idle() == 2
    return world


def deliver(client: TestClient, page_id: str, *changes: dict[str, Any]) -> None:
    body = meta_json(page_delivery(*changes, page_id=page_id))
    assert client.post("/webhooks/meta", content=body, headers=sign_meta(body)).status_code == 200


def pull_all(client: TestClient, key: str, **params: Any) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    after = 0
    while True:
        r = client.get("/v1/log", params={**params, "after": after, "limit": 1000}, headers=auth(key))
        assert r.status_code == 200, r.text
        page = r.json()
        entries += page["entries"]
        if page["next_after"] is None:
            return entries
        after = page["next_after"]


def actions(entries: list[dict[str, Any]]) -> list[str]:
    return [e["action"] for e in entries]


def test_only_registrar_and_admin_read_the_log(client: TestClient, world: dict[str, Any]) -> None:
    for path in ("/v1/log", "/v1/log.csv", "/v1/log/verify"):
        assert client.get(path).status_code == 401
        for role in ("editor_a", "owner_a"):
            r = client.get(path, headers=auth(world[role]))
            assert r.status_code == 403, (path, role)
            assert r.json()["error"] == "Forbidden"
        for role in ("registrar_a", "admin_a"):
            assert client.get(path, headers=auth(world[role])).status_code == 200, (path, role)


def test_entries_are_the_tenants_own_in_sequence_order(client: TestClient, world: dict[str, Any]) -> None:
    entries = pull_all(client, world["registrar_a"])
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    assert actions(entries)[:3] == ["tenant.created", "account.created", "account.created"]
    assert actions(entries).count("comment.stored") == 2
    assert actions(entries).count("comment.assessed") == 2
    prev = "0" * 64
    for e in entries:
        assert e["prev_hash"] == prev
        prev = e["hash"]
    assert set(e) >= {"at", "actor", "subject_type", "subject_id", "account_id", "comment_id", "payload"}
    other = pull_all(client, world["registrar_b"])
    assert not {e["hash"] for e in entries} & {e["hash"] for e in other}
    assert all(e["account_id"] in (None, world["page_b"].id) for e in other)


def test_pages_follow_after_and_limit(client: TestClient, world: dict[str, Any]) -> None:
    everything = pull_all(client, world["registrar_a"])
    key = auth(world["registrar_a"])
    first = client.get("/v1/log", params={"limit": 4}, headers=key).json()
    assert [e["seq"] for e in first["entries"]] == [1, 2, 3, 4]
    assert first["next_after"] == 4
    rest = client.get("/v1/log", params={"after": 4, "limit": 1000}, headers=key).json()
    assert first["entries"] + rest["entries"] == everything
    assert rest["next_after"] is None
    exact = client.get("/v1/log", params={"after": 4, "limit": len(everything) - 4}, headers=key).json()
    assert exact["next_after"] is None  # nothing more matches: no empty extra page
    default = client.get("/v1/log", headers=key).json()
    assert default["entries"] == everything[:100]
    for bad in ({"limit": 0}, {"limit": 1001}, {"after": -1}):
        assert client.get("/v1/log", params=bad, headers=key).status_code == 422


def test_filters(client: TestClient, session: Session, world: dict[str, Any]) -> None:
    a, key = world["a"], world["registrar_a"]
    old = datetime(2020, 3, 1, 12, 0, tzinfo=UTC)
    append(session, a.id, 2, action="test.old", at=old)
    append(session, a.id, 1, action="test.older", at=datetime(2019, 1, 1, tzinfo=UTC))

    by_author = pull_all(client, key, author="Kalle Test")
    assert actions(by_author) == ["comment.stored", "comment.assessed"]
    assert pull_all(client, key, author="77") == by_author
    assert len({e["comment_id"] for e in by_author}) == 1
    assert pull_all(client, key, author="Ingen Alls") == []

    threat = pull_all(client, key, category="threat")
    assert actions(threat) == ["comment.assessed"]
    assert threat[0]["payload"]["categories"] == ["insult", "threat"]
    assert pull_all(client, key, category="insult") == threat
    assert pull_all(client, key, category="thre") == []  # whole categories, not substrings

    comment_entries = pull_all(client, key, action="comment.")
    assert set(actions(comment_entries)) == {"comment.stored", "comment.assessed"}
    assert actions(pull_all(client, key, action="comment.stored")) == ["comment.stored"] * 2
    assert pull_all(client, key, action="comment") == []  # no dot: exact only

    on_page = pull_all(client, key, account_id=world["page_a"].id)
    assert {e["account_id"] for e in on_page} == {world["page_a"].id}
    assert "account.created" in actions(on_page)
    assert "comment.stored" not in actions(pull_all(client, key, account_id=world["web_a"].id))

    window = pull_all(client, key, since="2020-01-01T00:00:00Z", until="2021-01-01T00:00:00Z")
    assert actions(window) == ["test.old", "test.old"]
    assert actions(pull_all(client, key, until="2020-03-01T12:00:00+00:00")) == ["test.older"]
    assert "test.older" not in actions(pull_all(client, key, since="2020-03-01T13:00:00+01:00"))
    r = client.get("/v1/log", params={"since": "2020-01-01T00:00:00"}, headers=auth(key))
    assert r.status_code == 400
    assert "time zone" in r.json()["detail"]

    both = pull_all(client, key, action="comment.", category="threat", author="Kalle Test")
    assert both == threat
    # Filters never reach another tenant's entries.
    assert pull_all(client, world["registrar_b"], author="Kalle Test") == []
    assert actions(pull_all(client, world["registrar_b"], category="threat")) == ["comment.assessed"]


def test_filtered_pages_keep_their_page_semantics(
    client: TestClient, session: Session, world: dict[str, Any]
) -> None:
    a, key = world["a"], auth(world["registrar_a"])
    for _ in range(3):
        append(session, a.id, 2, action="test.noise")
        append(session, a.id, 1, action="test.signal")
    seen: list[int] = []
    after = 0
    pages = 0
    while True:
        page = client.get(
            "/v1/log", params={"action": "test.signal", "after": after, "limit": 2}, headers=key
        ).json()
        pages += 1
        seen += [e["seq"] for e in page["entries"]]
        if page["next_after"] is None:
            break
        assert len(page["entries"]) == 2
        after = page["next_after"]
    assert pages == 2
    assert seen == [e["seq"] for e in pull_all(client, world["registrar_a"], action="test.signal")]
    assert len(seen) == 3


def test_incremental_pull_gets_every_entry_once_while_appending(
    client: TestClient, session: Session, world: dict[str, Any]
) -> None:
    a, key = world["a"], auth(world["registrar_a"])
    received: list[int] = []
    after = 0
    appended = 0
    while True:
        page = client.get("/v1/log", params={"after": after, "limit": 3}, headers=key).json()
        received += [e["seq"] for e in page["entries"]]
        if page["entries"]:
            after = page["entries"][-1]["seq"]
        if appended < 5:  # new entries land between pages
            append(session, a.id, 2, action="test.live")
            appended += 1
        elif page["next_after"] is None:
            break
    assert received == list(range(1, len(received) + 1))
    assert received[-1] == world_head(client, world["registrar_a"])
    assert actions(pull_all(client, world["registrar_a"], action="test.live")) == ["test.live"] * 10


def world_head(client: TestClient, key: str) -> int:
    body = client.get("/v1/log/verify", headers=auth(key)).json()
    assert body["ok"] is True
    return int(body["head_seq"])


def test_ndjson_streams_the_same_entries(
    client: TestClient, session: Session, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.modlog.routes.STREAM_PAGE", 4)  # several pages from a small log
    append(session, world["a"].id, 7)
    key = world["registrar_a"]
    r = client.get("/v1/log", headers={**auth(key), **NDJSON})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/x-ndjson")
    lines = r.text.splitlines()
    assert r.text.endswith("\n")
    assert [json.loads(line) for line in lines] == pull_all(client, key)

    r = client.get(
        "/v1/log", params={"after": 3, "limit": 5, "action": "test."}, headers={**auth(key), **NDJSON}
    )
    assert [json.loads(line) for line in r.text.splitlines()] == pull_all(client, key, action="test.")[:5]
    r = client.get("/v1/log", params={"after": 10_000}, headers={**auth(key), **NDJSON})
    assert r.status_code == 200
    assert r.text == ""


def read_csv(content: bytes, delimiter: str = ",") -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def csv_row(entry: dict[str, Any]) -> list[str]:
    fields = ["seq", "at", "actor", "action", "subject_type", "subject_id", "account_id", "comment_id"]
    return [("" if entry[f] is None else str(entry[f])) for f in fields] + [
        json.dumps(entry["payload"], ensure_ascii=False, sort_keys=True),
        entry["prev_hash"],
        entry["hash"],
    ]


def test_csv_export_matches_the_json_entries(
    client: TestClient, session: Session, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.modlog.routes.STREAM_PAGE", 4)
    append(
        session,
        world["a"].id,
        1,
        actor='Handläggare; registrator, "Ö"',
        payload={"text": "rad 1\nrad 2; med, skiljetecken", "ärende": "KS 2024/567"},
    )
    key = world["registrar_a"]
    entries = pull_all(client, key)
    r = client.get("/v1/log.csv", headers=auth(key))
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in r.headers["content-disposition"]
    rows = read_csv(r.content)
    assert rows[0] == CSV_HEADER
    assert rows[1:] == [csv_row(e) for e in entries]
    assert json.loads(rows[-1][8])["text"] == "rad 1\nrad 2; med, skiljetecken"

    r = client.get("/v1/log.csv", params={"sep": "semicolon"}, headers=auth(key))
    assert r.content.decode("utf-8-sig").splitlines()[0] == ";".join(CSV_HEADER)
    assert read_csv(r.content, ";") == rows

    filtered = read_csv(client.get("/v1/log.csv", params={"category": "threat"}, headers=auth(key)).content)
    assert filtered[1:] == [csv_row(e) for e in pull_all(client, key, category="threat")]
    assert read_csv(client.get("/v1/log.csv", params={"after": 10_000}, headers=auth(key)).content) == [
        CSV_HEADER
    ]
    assert client.get("/v1/log.csv", params={"sep": "tab"}, headers=auth(key)).status_code == 422


def test_csv_cells_that_excel_would_run_as_formulas_are_defused(
    client: TestClient, session: Session, world: dict[str, Any]
) -> None:
    append(
        session, world["a"].id, 1, actor='=HYPERLINK("http://example.invalid","klicka")', subject_id="-1+2"
    )
    rows = read_csv(
        client.get("/v1/log.csv", params={"action": "test.note"}, headers=auth(world["registrar_a"])).content
    )
    assert rows[1][2] == '\'=HYPERLINK("http://example.invalid","klicka")'
    assert rows[1][5] == "'-1+2"
