"""The account register: who answers for each account, and what is missing.

Every warning cites the tenant's own guideline (its preset's ``accounts:``), and
a key that sees no account is told why its lists are empty.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.policies import load_preset, preset_source
from tests.factories import auth, create_account, create_key, create_tenant

HELSINGBORG_17 = (
    "Alla stadens konton ska ha minst två utsedda redaktörer, oavsett vilket syfte eller hur många "
    "följare kontot har."
)
HARJEDALEN_50 = "Varje konto ska ha en utsedd kontoansvarig som ansvarar för att lagar och riktlinjer följs."
HARJEDALEN_98 = (
    "Minst två medarbetare ska ha behörighet till ett konto för att minska risken att förlora tillgång "
    "till kontot och för att hantera det under ledigheter."
)
MALMO_90 = (
    "Den som ansvarar för det sociala mediet ska avsätta tillräckliga resurser för detta och utse ersättare "
    "för den som har det dagliga ansvaret vid dennes frånvaro."
)


def warning(code: str, text: str, municipality: str, line: int, quote: str) -> dict[str, Any]:
    return {
        "code": code,
        "text": f"{text} Riktlinjen för {municipality}, rad {line}: ”{quote}”",
        "quote": quote,
        "source_line": line,
    }


def too_few_editors(n: int) -> dict[str, Any]:
    noun = "redaktör" if n == 1 else "redaktörer"
    return warning(
        "too_few_editors", f"Kontot har {n} {noun}, minst 2 krävs.", "Helsingborgs stad", 17, HELSINGBORG_17
    )


HARJEDALEN_NO_OWNER = warning(
    "no_owner", "Kontot saknar kontoansvarig.", "Härjedalens kommun", 50, HARJEDALEN_50
)
HARJEDALEN_NOBODY = warning(
    "too_few_people",
    "0 personer ansvarar för kontot, minst 2 krävs så att någon kan ta över vid frånvaro.",
    "Härjedalens kommun",
    98,
    HARJEDALEN_98,
)


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
        "tenant_a": a,
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
    # Never connected or checked: an empty connection, and no connection warnings.
    assert [a.pop("connection")["token_checked_at"] for a in accounts] == [None, None, None]
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
            "warnings": [too_few_editors(1)],  # Helsingborg's guideline names no account owner
        },
        {
            "id": world["site"].id,
            "platform": "web",
            "external_id": "site-a",
            "display_name": "Webbplatsen",
            "owners": ["chef@a.se"],
            "editors": [],
            "legal_hold": True,
            "warnings": [too_few_editors(0)],
        },
    ]
    assert [
        {k: v for k, v in a.items() if k != "connection"} for a in register(client, world["admin"])
    ] == accounts


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
    assert other[0]["warnings"] == [HARJEDALEN_NO_OWNER, HARJEDALEN_NOBODY]
    assert client.get("/v1/accounts").status_code == 401


def test_a_malmo_tenant_is_held_to_malmos_guideline_only(client: TestClient, session: Session) -> None:
    malmo = create_tenant(session, name="malmo", preset="malmo")
    alone = create_account(
        session, tenant=malmo, external_id="333", name="Malmö", owner=None, editors=("a@m.se",)
    )
    pair = create_account(
        session, tenant=malmo, external_id="334", name="Malmö 2", owner="c@m.se", editors=("a@m.se",)
    )
    key = create_key(session, tenant=malmo, role="registrar")
    accounts = {a["id"]: a["warnings"] for a in register(client, key)}
    substitute = warning(
        "too_few_people",
        "1 person ansvarar för kontot, minst 2 krävs så att någon kan ta över vid frånvaro.",
        "Malmö stad",
        90,
        MALMO_90,
    )
    # One editor and no owner: Malmö asks for a substitute, not for two editors or a kontoansvarig.
    assert accounts == {alone.id: [substitute], pair.id: []}


@pytest.mark.parametrize("preset", ["finspang", "haparanda", "harjedalen", "helsingborg", "malmo"])
def test_every_warning_quotes_the_tenants_own_guideline_on_its_line(
    client: TestClient, session: Session, preset: str
) -> None:
    tenant = create_tenant(session, name=f"t-{preset}", preset=preset)
    create_account(session, tenant=tenant, external_id=f"9{len(preset)}", name="Tomt", owner=None, editors=())
    [account] = register(client, create_key(session, tenant=tenant, role="admin"))
    policy = load_preset(preset)
    assert [w["quote"] for w in account["warnings"]] == [r.quote for r in policy.accounts]
    lines = preset_source(policy.source).splitlines()
    for w in account["warnings"]:
        assert policy.municipality in w["text"] and w["quote"] in w["text"]
        assert " ".join(w["quote"].split()[:4]) in lines[w["source_line"] - 1], w


def test_a_key_that_sees_no_account_is_told_why(
    client: TestClient, world: dict[str, Any], session: Session
) -> None:
    nobody = create_key(session, tenant=world["tenant_a"], role="editor", subject="ny@a.se")
    r = client.get("/v1/accounts", headers=auth(nobody))
    assert r.status_code == 200 and r.json()["accounts"] == []
    assert r.headers["Uppsikt-Warning"] == "no_accounts"
    assert r.json()["warnings"] == [
        {
            "code": "no_accounts",
            "text": "ny@a.se är inte redaktör för något konto, så alla listor är tomma: ange personen med "
            "--editor när kontot läggs till (`uppsikt account add`), eller rätta nyckelns --subject.",
            "quote": None,
            "source_line": None,
        }
    ]
    [hint] = client.get("/v1/accounts", headers=auth(world["editor_without_subject"])).json()["warnings"]
    assert hint["code"] == "no_accounts" and "--subject <personen>" in hint["text"]
    # The other lists are empty too, and say so in the header.
    for path in ("/v1/comments", "/v1/queue"):
        listed = client.get(path, headers=auth(nobody))
        assert listed.status_code == 200 and listed.headers["Uppsikt-Warning"] == "no_accounts", path
        # A key that sees accounts, and one that sees all of them, get no such header.
        for key in ("editor_anna", "registrar"):
            assert "Uppsikt-Warning" not in client.get(path, headers=auth(world[key])).headers, (path, key)
    seen = client.get("/v1/accounts", headers=auth(world["editor_anna"]))
    assert "Uppsikt-Warning" not in seen.headers and seen.json()["warnings"] == []
