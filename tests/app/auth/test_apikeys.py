"""The API-key lifecycle: expiry, listing, creation, rotation with a grace period,
revocation, tenant isolation, the moderation log, and the CLI commands."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.cli import main as cli_main
from app.models import ApiKey, ModerationLogEntry, utcnow
from app.tenants.service import create_api_key
from tests.factories import auth, create_account, create_key, create_tenant


@pytest.fixture
def world(session: Session) -> dict[str, Any]:
    a = create_tenant(session, name="a-kommun")
    b = create_tenant(session, name="b-kommun")
    create_account(session, tenant=a, external_id="111", editors=("anna@a.example", "bo@a.example"))
    return {
        "a": a,
        "b": b,
        "admin": create_key(session, tenant=a, role="admin", subject="it@a.example"),
        "registrar": create_key(session, tenant=a, role="registrar"),
        "editor": create_key(session, tenant=a, role="editor", subject="anna@a.example"),
        "b_admin": create_key(session, tenant=b, role="admin"),
        "b_registrar": create_key(session, tenant=b, role="registrar"),
    }


def _prefix(plaintext: str) -> str:
    return plaintext.split("_")[1]


def _secret(plaintext: str) -> str:
    return plaintext.split("_", 2)[2]


def _key(session: Session, plaintext: str) -> ApiKey:
    session.expire_all()
    key = session.scalars(select(ApiKey).where(ApiKey.prefix == _prefix(plaintext))).one()
    session.commit()
    return key


def _keys_listed(client: TestClient, admin: str) -> dict[str, dict[str, Any]]:
    response = client.get("/v1/apikeys", headers=auth(admin))
    assert response.status_code == 200, response.text
    return {k["prefix"]: k for k in response.json()["keys"]}


def test_an_expired_key_is_refused_like_an_unknown_one(client: TestClient, session: Session, world) -> None:
    _, expired = create_api_key(
        session, tenant=world["a"], role="registrar", expires_at=utcnow() - timedelta(seconds=1), actor="test"
    )
    _, valid = create_api_key(
        session, tenant=world["a"], role="registrar", expires_at=utcnow() + timedelta(hours=1), actor="test"
    )
    session.commit()
    refused = client.get("/v1/accounts", headers=auth(expired))
    unknown = client.get("/v1/accounts", headers=auth(f"upk_{_prefix(expired)}_not-the-secret"))
    assert refused.status_code == unknown.status_code == 401
    assert refused.json() == unknown.json() == {"error": "Unauthorized", "detail": "Invalid API key."}
    assert client.get("/v1/accounts", headers=auth(valid)).status_code == 200


def test_the_listing_shows_the_tenants_keys_without_secrets(
    client: TestClient, session: Session, world
) -> None:
    assert client.get("/v1/accounts", headers=auth(world["editor"])).status_code == 200
    keys = _keys_listed(client, world["admin"])
    assert set(keys) == {_prefix(world[k]) for k in ("admin", "registrar", "editor")}
    editor = keys[_prefix(world["editor"])]
    assert editor["role"] == "editor" and editor["subject"] == "anna@a.example" and editor["active"] is True
    assert editor["last_used_at"] is not None
    assert keys[_prefix(world["registrar"])]["last_used_at"] is None
    assert set(editor) == {
        "id", "prefix", "role", "subject", "name", "created_at",
        "expires_at", "revoked_at", "last_used_at", "active",
    }  # fmt: skip
    raw = client.get("/v1/apikeys", headers=auth(world["admin"])).text
    for name in ("admin", "registrar", "editor"):
        assert world[name] not in raw
        assert _key(session, world[name]).key_hash not in raw


def test_an_admin_creates_a_key_that_is_shown_once_and_works(
    client: TestClient, session: Session, world
) -> None:
    response = client.post(
        "/v1/apikeys",
        headers=auth(world["admin"]),
        json={"role": "editor", "subject": "bo@a.example", "name": "Bos mobil", "expires_in_days": 30},
    )
    assert response.status_code == 201, response.text
    created = response.json()
    plaintext = created["plaintext"]
    assert plaintext.startswith(f"upk_{created['key']['prefix']}_")
    assert created["key"]["name"] == "Bos mobil" and created["key"]["role"] == "editor"
    stored = _key(session, plaintext)
    assert stored.expires_at is not None
    assert timedelta(days=29, hours=23) < stored.expires_at - utcnow() <= timedelta(days=30)
    # The key reaches exactly the accounts where bo is an editor.
    accounts = client.get("/v1/accounts", headers=auth(plaintext)).json()["accounts"]
    assert [a["external_id"] for a in accounts] == ["111"]
    # Never shown again.
    assert plaintext not in client.get("/v1/apikeys", headers=auth(world["admin"])).text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role": "editor"}, "body"),  # an editor key without a person would see nothing
        ({"role": "superuser"}, "role"),
        ({"role": "registrar", "expires_in_days": 0}, "expires_in_days"),
        ({"role": "registrar", "expires_in_days": 100_000}, "expires_in_days"),
    ],
)
def test_a_malformed_key_request_is_refused(client: TestClient, world, body, field) -> None:
    response = client.post("/v1/apikeys", headers=auth(world["admin"]), json=body)
    assert response.status_code == 422
    assert any(field in e["loc"] for e in response.json()["detail"])


def test_revocation_takes_effect_at_once_and_is_idempotent(
    client: TestClient, session: Session, world
) -> None:
    editor_id = _key(session, world["editor"]).id
    assert client.get("/v1/accounts", headers=auth(world["editor"])).status_code == 200
    response = client.delete(f"/v1/apikeys/{editor_id}", headers=auth(world["admin"]))
    assert response.status_code == 200
    assert response.json()["active"] is False and response.json()["revoked_at"] is not None
    assert client.get("/v1/accounts", headers=auth(world["editor"])).status_code == 401
    again = client.delete(f"/v1/apikeys/{editor_id}", headers=auth(world["admin"]))
    assert again.status_code == 200 and again.json()["revoked_at"] == response.json()["revoked_at"]
    revocations = _log(session, world["a"].id, "apikey.revoked")
    assert len(revocations) == 1


def test_rotation_with_a_grace_period(client: TestClient, session: Session, world) -> None:
    old = _key(session, world["editor"])
    response = client.post(
        f"/v1/apikeys/{old.id}/rotate", headers=auth(world["admin"]), json={"grace_seconds": 3600}
    )
    assert response.status_code == 201, response.text
    new_plaintext = response.json()["plaintext"]
    new = _key(session, new_plaintext)
    assert (new.role, new.subject, new.name, new.tenant_id) == (
        old.role,
        old.subject,
        old.name,
        old.tenant_id,
    )
    assert new.prefix != old.prefix
    # Both work during the grace period, with the same reach.
    for key in (world["editor"], new_plaintext):
        listed = client.get("/v1/accounts", headers=auth(key))
        assert listed.status_code == 200 and [a["external_id"] for a in listed.json()["accounts"]] == ["111"]
    retiring = _keys_listed(client, world["admin"])[old.prefix]
    assert retiring["active"] is True and retiring["revoked_at"] is not None
    assert _key(session, world["editor"]).revoked_at - utcnow() > timedelta(minutes=59)  # type: ignore[operator]
    # A key already being replaced cannot be rotated again (it would get two successors).
    twice = client.post(f"/v1/apikeys/{old.id}/rotate", headers=auth(world["admin"]))
    assert twice.status_code == 409
    # When the grace period is over the old key is refused and the new one still works.
    session.execute(
        update(ApiKey).where(ApiKey.id == old.id).values(revoked_at=utcnow() - timedelta(seconds=1))
    )
    session.commit()
    assert client.get("/v1/accounts", headers=auth(world["editor"])).status_code == 401
    assert client.get("/v1/accounts", headers=auth(new_plaintext)).status_code == 200


def test_rotation_without_grace_revokes_at_once_and_keeps_the_lifetime(
    client: TestClient, session: Session, world
) -> None:
    key, plaintext = create_api_key(
        session, tenant=world["a"], role="registrar", name="export", expires_at=utcnow() + timedelta(days=10),
        actor="test",
    )  # fmt: skip
    session.commit()
    response = client.post(f"/v1/apikeys/{key.id}/rotate", headers=auth(world["admin"]))
    assert response.status_code == 201
    assert client.get("/v1/accounts", headers=auth(plaintext)).status_code == 401
    new = _key(session, response.json()["plaintext"])
    assert new.expires_at is not None and new.name == "export"
    assert timedelta(days=9, hours=23) < new.expires_at - utcnow() <= timedelta(days=10)
    too_long = client.post(
        f"/v1/apikeys/{new.id}/rotate", headers=auth(world["admin"]), json={"grace_seconds": 86_401}
    )
    assert too_long.status_code == 422


def test_another_tenants_keys_are_invisible_and_untouchable(
    client: TestClient, session: Session, world
) -> None:
    b_key = _key(session, world["b_registrar"])
    for method, path in (("DELETE", f"/v1/apikeys/{b_key.id}"), ("POST", f"/v1/apikeys/{b_key.id}/rotate")):
        response = client.request(method, path, headers=auth(world["admin"]))
        assert response.status_code == 404, (method, response.text)
        assert response.json() == {"error": "NotFound", "detail": "Nyckeln finns inte."}
    assert client.get("/v1/accounts", headers=auth(world["b_registrar"])).status_code == 200
    assert _key(session, world["b_registrar"]).revoked_at is None
    assert _prefix(world["b_registrar"]) not in _keys_listed(client, world["admin"])
    assert set(_keys_listed(client, world["b_admin"])) == {
        _prefix(world["b_admin"]),
        _prefix(world["b_registrar"]),
    }
    assert client.delete("/v1/apikeys/999999", headers=auth(world["admin"])).status_code == 404


@pytest.mark.parametrize("role", ["registrar", "editor"])
def test_only_admins_manage_keys(client: TestClient, session: Session, world, role: str) -> None:
    target = _key(session, world["registrar"]).id
    headers = auth(world[role])
    assert client.get("/v1/apikeys", headers=headers).status_code == 403
    assert client.post("/v1/apikeys", headers=headers, json={"role": "admin"}).status_code == 403
    assert client.post(f"/v1/apikeys/{target}/rotate", headers=headers).status_code == 403
    assert client.delete(f"/v1/apikeys/{target}", headers=headers).status_code == 403
    assert _key(session, world["registrar"]).revoked_at is None
    assert len(session.scalars(select(ApiKey).where(ApiKey.tenant_id == world["a"].id)).all()) == 3


def test_every_key_change_is_logged_without_the_key(client: TestClient, session: Session, world) -> None:
    admin = _key(session, world["admin"])
    created = client.post("/v1/apikeys", headers=auth(world["admin"]), json={"role": "registrar"}).json()
    rotated = client.post(f"/v1/apikeys/{created['key']['id']}/rotate", headers=auth(world["admin"])).json()
    client.delete(f"/v1/apikeys/{rotated['key']['id']}", headers=auth(world["admin"]))
    entries = [e for e in _log(session, world["a"].id) if e.action.startswith("apikey.")]
    # The person behind the key when it names one, else the key.
    ours = [
        e for e in entries if e.actor == (f"user:{admin.subject}" if admin.subject else f"apikey:{admin.id}")
    ]
    assert [e.action for e in ours] == [
        "apikey.created",
        "apikey.created",
        "apikey.rotated",
        "apikey.revoked",
    ]
    rotation = ours[2]
    assert rotation.subject_id == str(created["key"]["id"])
    assert rotation.payload["prefix"] == created["key"]["prefix"]
    assert rotation.payload["new_prefix"] == rotated["key"]["prefix"]
    secrets = [created["plaintext"], rotated["plaintext"]]
    hashes = [_key(session, s).key_hash for s in secrets]
    text = repr([(e.payload, e.subject_id, e.actor) for e in entries])
    assert not any(s in text or _secret(s) in text for s in secrets)
    assert not any(h in text for h in hashes)


def test_keys_and_secrets_never_reach_the_log(
    client: TestClient, session: Session, world, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    editor = world["editor"]
    client.get("/v1/accounts", headers=auth(editor))
    client.get("/v1/accounts", headers=auth(editor[:-4] + "AAAA"))
    rotated = client.post(
        f"/v1/apikeys/{_key(session, editor).id}/rotate", headers=auth(world["admin"])
    ).json()
    text = caplog.text
    assert "auth.apikey.refused" in text and _prefix(editor) in text  # the refusal names the prefix
    for secret in (editor, rotated["plaintext"]):
        assert _secret(secret) not in text


def test_cli_lists_rotates_and_revokes(
    client: TestClient,
    session: Session,
    world,
    app: FastAPI,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The commands run in this process on the app's own database connections.
    monkeypatch.setattr("app.cli._session_factory", lambda _settings: app.state.session_factory)
    # The start-up check reads the same database through the settings.
    monkeypatch.setenv("UPPSIKT_DATABASE_URL", app.state.settings.database_url)
    registrar = world["registrar"]
    assert cli_main(["apikey", "rotate", "--tenant", "a-kommun", "--prefix", _prefix(registrar)]) == 0
    new_plaintext = capsys.readouterr().out.strip()
    assert new_plaintext.startswith("upk_") and new_plaintext != registrar
    assert client.get("/v1/accounts", headers=auth(registrar)).status_code == 401
    assert client.get("/v1/accounts", headers=auth(new_plaintext)).status_code == 200

    assert cli_main(["apikey", "revoke", "--tenant", "a-kommun", "--prefix", _prefix(new_plaintext)]) == 0
    capsys.readouterr()
    assert client.get("/v1/accounts", headers=auth(new_plaintext)).status_code == 401

    # Another tenant's prefix is not found through this tenant's name.
    assert cli_main(["apikey", "revoke", "--tenant", "a-kommun", "--prefix", _prefix(world["b_admin"])]) == 2
    assert "ingen API-nyckel" in capsys.readouterr().err
    assert client.get("/v1/apikeys", headers=auth(world["b_admin"])).status_code == 200

    assert cli_main(["apikey", "list", "--tenant", "a-kommun"]) == 0
    listed = capsys.readouterr().out
    assert _prefix(new_plaintext) in listed and _secret(new_plaintext) not in listed
    actions = [(e.action, e.actor) for e in _log(session, world["a"].id) if e.actor == "cli"]
    assert actions == [("apikey.created", "cli"), ("apikey.rotated", "cli"), ("apikey.revoked", "cli")]


def _log(session: Session, tenant_id: int, action: str | None = None) -> list[ModerationLogEntry]:
    session.expire_all()
    query = select(ModerationLogEntry).where(ModerationLogEntry.tenant_id == tenant_id)
    if action is not None:
        query = query.where(ModerationLogEntry.action == action)
    rows = list(session.scalars(query.order_by(ModerationLogEntry.seq)).all())
    session.commit()
    return rows
