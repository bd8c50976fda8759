"""The account register: who answers for each account, and what is missing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import auth, create_account, create_key, create_tenant

TOO_FEW = {
    "code": "too_few_editors",
    "text": "Kontot har färre än två redaktörer (Helsingborg kräver minst två namngivna redaktörer).",
}
NO_OWNER = {
    "code": "no_owner",
    "text": "Kontot saknar kontoansvarig (Härjedalen kräver en kontoansvarig chef per konto).",
}


@pytest.fixture
def world(session: Session) -> dict[str, Any]:
    a = create_tenant(session, name="a-kommun")
    b = create_tenant(session, name="b-kommun", preset="harjedalen")
    full = create_account(
        session,
        tenant=a,
        external_id="111",
        name="Kommunen",
        owner="chef@a.se",
        editors=("anna@a.se", "bo@a.se"),
    )
    lonely = create_account(
        session,
        tenant=a,
        platform="instagram",
        external_id="17841400000000009",
        name="Kulturhuset",
        owner=None,
        editors=("anna@a.se",),
    )
    site = create_account(
        session,
        tenant=a,
        platform="web",
        external_id="site-a",
        name="Webbplatsen",
        owner="chef@a.se",
        editors=(),
    )
    site.legal_hold = True
    session.commit()
    other = create_account(session, tenant=b, external_id="222", name="Annan kommun", owner=None, editors=())
    return {
        "full": full,
        "lonely": lonely,
        "site": site,
        "other": other,
        "registrar": create_key(session, tenant=a, role="registrar"),
        "admin": create_key(session, tenant=a, role="admin"),
        "editor_bo": create_key(session, tenant=a, role="editor", subject="bo@a.se"),
        "editor_anna": create_key(session, tenant=a, role="editor", subject="anna@a.se"),
        "owner": create_key(session, tenant=a, role="account_owner", subject="chef@a.se"),
        "editor_without_subject": create_key(session, tenant=a, role="editor"),
        "registrar_b": create_key(session, tenant=b, role="registrar"),
    }


def register(client: TestClient, key: str) -> list[dict[str, Any]]:
    r = client.get("/v1/accounts", headers=auth(key))
    assert r.status_code == 200, r.text
    accounts: list[dict[str, Any]] = r.json()["accounts"]
    return accounts


def test_register_lists_responsibility_and_warnings(client: TestClient, world: dict[str, Any]) -> None:
    accounts = register(client, world["registrar"])
    assert accounts == [
        {
            "id": world["full"].id,
            "platform": "facebook",
            "external_id": "111",
            "display_name": "Kommunen",
            "owners": ["chef@a.se"],
            "editors": ["anna@a.se", "bo@a.se"],
            "legal_hold": False,
            "warnings": [],
        },
        {
            "id": world["lonely"].id,
            "platform": "instagram",
            "external_id": "17841400000000009",
            "display_name": "Kulturhuset",
            "owners": [],
            "editors": ["anna@a.se"],
            "legal_hold": False,
            "warnings": [TOO_FEW, NO_OWNER],
        },
        {
            "id": world["site"].id,
            "platform": "web",
            "external_id": "site-a",
            "display_name": "Webbplatsen",
            "owners": ["chef@a.se"],
            "editors": [],
            "legal_hold": True,
            "warnings": [TOO_FEW],
        },
    ]
    assert register(client, world["admin"]) == accounts


def test_register_is_scoped_to_tenant_and_to_the_callers_accounts(
    client: TestClient, world: dict[str, Any]
) -> None:
    def ids(key: str) -> list[int]:
        return [a["id"] for a in register(client, world[key])]

    assert ids("editor_bo") == [world["full"].id]
    assert ids("editor_anna") == [world["full"].id, world["lonely"].id]
    assert ids("owner") == [world["full"].id, world["site"].id]
    assert ids("editor_without_subject") == []
    other = register(client, world["registrar_b"])
    assert [a["id"] for a in other] == [world["other"].id]
    assert other[0]["warnings"] == [TOO_FEW, NO_OWNER]
    assert client.get("/v1/accounts").status_code == 401
