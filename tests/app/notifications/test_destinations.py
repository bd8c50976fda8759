"""Destinations through the API (admins only, one tenant) and the command line."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Destination, ModerationLogEntry, Tenant
from app.settings import Settings
from tests.conftest import make_settings
from tests.e2e.server import uppsikt
from tests.factories import auth, create_key, create_tenant

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Webhook secrets are encrypted with the service's key, as platform tokens are."""
    return make_settings(database_url, secret_key=SecretStr("test-secret-key-for-tokens"))


def test_admins_add_list_and_remove_destinations(client: TestClient, session: Session) -> None:
    tenant = create_tenant(session, name="haparanda", preset="haparanda")
    admin = create_key(session, tenant=tenant, role="admin")
    editor = create_key(session, tenant=tenant, role="editor", subject="red@kommun.example")
    other = create_key(session, tenant=create_tenant(session, name="malmo", preset="malmo"), role="admin")

    r = client.post(
        "/v1/destinations",
        headers=auth(admin),
        json={
            "name": "Registrator",
            "kind": "webhook",
            "address": "https://diarium.example/hook",
            "secret": SECRET,
            "registrar": True,
        },
    )
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["has_secret"] and created["registrar"] and "secret" not in created
    mail = client.post(
        "/v1/destinations",
        headers=auth(admin),
        json={"name": "Socialtjänsten", "kind": "email", "address": "social@haparanda.example"},
    )
    assert mail.status_code == 201

    listed = client.get("/v1/destinations", headers=auth(admin)).json()["destinations"]
    assert [d["name"] for d in listed] == ["Registrator", "Socialtjänsten"]
    assert SECRET not in json.dumps(listed)
    assert client.get("/v1/destinations", headers=auth(editor)).status_code == 403
    assert client.get("/v1/destinations", headers=auth(other)).json()["destinations"] == []
    assert client.delete(f"/v1/destinations/{created['id']}", headers=auth(other)).status_code == 404

    # The secret is stored encrypted; the registrar is the tenant's setting.
    session.rollback()
    stored = session.scalars(select(Destination).where(Destination.name == "Registrator")).one()
    assert stored.secret_ciphertext is not None and b"whsec_" not in stored.secret_ciphertext
    session.expire_all()
    assert session.get(Tenant, tenant.id).notifications["registrar"] == "Registrator"
    session.rollback()

    assert client.delete(f"/v1/destinations/{created['id']}", headers=auth(admin)).status_code == 204
    session.rollback()
    session.expire_all()
    assert session.get(Tenant, tenant.id).notifications["registrar"] is None
    actions = session.scalars(
        select(ModerationLogEntry.action).where(ModerationLogEntry.action.like("destination.%"))
    ).all()
    assert sorted(actions) == ["destination.added", "destination.added", "destination.removed"]


def test_addresses_and_secrets_are_checked_when_added(client: TestClient, session: Session) -> None:
    tenant = create_tenant(session, name="haparanda", preset="haparanda")
    admin = create_key(session, tenant=tenant, role="admin")

    def add(**body: Any) -> Any:
        return client.post("/v1/destinations", headers=auth(admin), json={"name": "X", **body})

    assert add(kind="email", address="inte-en-adress").status_code == 422
    assert add(kind="webhook", address="https://diarium.example/hook").status_code == 422  # no secret
    assert (
        add(
            kind="webhook", address="https://diarium.example/hook", secret="hemlighet-utan-prefix"
        ).status_code
        == 422
    )
    assert (
        add(
            kind="webhook", address="https://diarium.example/hook", secret="whsec_!!!!inte-base64"
        ).status_code
        == 422
    )
    assert (
        add(kind="webhook", address="http://diarium.example/hook", secret=SECRET).status_code == 422
    )  # plain http
    assert add(kind="teams", address="https://teams.example/hook", secret=SECRET).status_code == 422
    assert add(kind="slack", address="https://hooks.slack.example/x").status_code == 201
    assert add(kind="email", address="a@b.example").status_code == 409  # the name is taken


def test_destination_commands(database_url: str) -> None:
    assert uppsikt(database_url, "migrate").returncode == 0
    assert uppsikt(database_url, "tenant", "create", "helsingborg", "--preset", "helsingborg").returncode == 0
    env_secret = {"UPPSIKT_SECRET_KEY": "cli-test-secret"}
    added = uppsikt(
        database_url,
        "destination",
        "add",
        "--tenant",
        "helsingborg",
        "--name",
        "Registrator",
        "--webhook",
        "https://diarium.example/hook",
        "--registrar",
        stdin=SECRET + "\n",
        env=env_secret,
    )
    assert added.returncode == 0, added.stderr
    assert "Registrator" in added.stdout and "registrator" in added.stdout
    bad = uppsikt(
        database_url,
        "destination",
        "add",
        "--tenant",
        "helsingborg",
        "--name",
        "Diarium",
        "--webhook",
        "https://diarium.example/hook",
        stdin="",
        env=env_secret,
    )
    assert bad.returncode == 2 and bad.stderr.startswith("fel: ") and "whsec_" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    mail = uppsikt(
        database_url,
        "destination",
        "add",
        "--tenant",
        "helsingborg",
        "--name",
        "Stadsbyggnad",
        "--email",
        "stadsbyggnad@helsingborg.example",
    )
    assert mail.returncode == 0, mail.stderr
    listed = uppsikt(database_url, "destination", "list", "--tenant", "helsingborg")
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["name"], r["registrar"]) for r in rows] == [("Registrator", True), ("Stadsbyggnad", False)]
    assert SECRET not in listed.stdout
    removed = uppsikt(
        database_url, "destination", "remove", "--tenant", "helsingborg", "--name", "Stadsbyggnad"
    )
    assert removed.returncode == 0 and "borttagen" in removed.stdout
    missing = uppsikt(
        database_url, "destination", "remove", "--tenant", "helsingborg", "--name", "Stadsbyggnad"
    )
    assert missing.returncode == 2 and "destination list" in missing.stderr
