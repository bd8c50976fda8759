"""``GET /v1/search``: what a registrar needs to answer a public-records request."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.search.repository import contains_pattern, fold
from tests.app.search.helpers import BASE, add_comment, flag, register
from tests.factories import LI_ORG, auth, create_account, create_key, create_tenant


@pytest.fixture
def world(session: Session) -> dict[str, Any]:
    a = create_tenant(session, name="a-kommun")
    b = create_tenant(session, name="b-kommun", preset="malmo")
    page = create_account(session, tenant=a, external_id="111", editors=("red@a.se",))
    linkedin = create_account(
        session, tenant=a, platform="linkedin", external_id=LI_ORG, name="A på LinkedIn"
    )
    page_b = create_account(session, tenant=b, external_id="222")
    return {
        "a": a,
        "page": page,
        "linkedin": linkedin,
        "page_b": page_b,
        "registrar": create_key(session, tenant=a, role="registrar"),
        "admin": create_key(session, tenant=a, role="admin"),
        "editor": create_key(session, tenant=a, role="editor", subject="red@a.se"),
        "owner": create_key(session, tenant=a, role="account_owner", subject="agare@example.se"),
        "registrar_b": create_key(session, tenant=b, role="registrar"),
    }


def search(client: TestClient, key: str, **params: Any) -> list[dict[str, Any]]:
    r = client.get("/v1/search", params=params, headers=auth(key))
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def ids(hits: list[dict[str, Any]]) -> list[int]:
    return [h["id"] for h in hits]


def test_fold_and_pattern_are_the_same_on_every_engine() -> None:
    assert fold("ÅSA Öberg ÉMILE Ŋ") == "åsa öberg émile ŋ"
    assert contains_pattern("100%_!") == "%100!%!_!!%"


def test_by_author_account_and_time(client: TestClient, session: Session, world: dict[str, Any]) -> None:
    asa = add_comment(
        session,
        account=world["page"],
        external_id="1",
        author_id="901",
        author_name="Åsa Öberg",
        received_at=BASE,
    )
    anders = add_comment(
        session,
        account=world["page"],
        external_id="2",
        author_id="902",
        author_name="Anders Åberg",
        received_at=BASE + timedelta(days=1),
    )
    member = add_comment(
        session,
        account=world["linkedin"],
        external_id="urn:li:comment:(urn:li:activity:1,1)",
        author_id="urn:li:person:abc",
        author_name=None,
        received_at=BASE + timedelta(days=2),
    )
    add_comment(session, account=world["page_b"], external_id="x", author_id="901", author_name="Åsa Öberg")
    key = world["registrar"]
    # The platform's id matches exactly; a name matches by any part, in any case, å ä ö included.
    assert ids(search(client, key, author="901")) == [asa.id]
    assert ids(search(client, key, author="90")) == []
    assert ids(search(client, key, author="åSA ÖB")) == [asa.id]
    assert ids(search(client, key, author="ÅBERG")) == [anders.id]
    assert ids(search(client, key, author="berg")) == [asa.id, anders.id]
    assert ids(search(client, key, author="urn:li:person:abc")) == [member.id]
    assert ids(search(client, key, account_id=world["linkedin"].id)) == [member.id]
    assert ids(search(client, key, account_id=world["page_b"].id)) == []
    # since is inclusive, until exclusive, on the time the record arrived.
    window = {
        "since": (BASE + timedelta(days=1)).isoformat(),
        "until": (BASE + timedelta(days=2)).isoformat(),
    }
    assert ids(search(client, key, **window)) == [anders.id]
    assert ids(search(client, key, since=(BASE + timedelta(days=1)).isoformat())) == [anders.id, member.id]
    naive = client.get("/v1/search", params={"since": "2031-03-01T00:00:00"}, headers=auth(key))
    assert naive.status_code == 400 and naive.json()["error"] == "BadRequest"
    hit = search(client, key, author="901")[0]
    assert hit["account"] == {
        "id": world["page"].id,
        "platform": "facebook",
        "external_id": "111",
        "display_name": "Kommunen",
    }
    assert hit["author"] == {"external_id": "901", "name": "Åsa Öberg"}
    assert hit["first_received_at"].startswith("2031-03-01T12:00:00")
    assert hit["platform_created_at"].startswith("2031-03-01T12:00:00")
    assert hit["text"] == "Hej kommunen!" and hit["culled_at"] is None and hit["legal_hold"] is False


def test_text_in_any_version_case_insensitive_and_literal(
    client: TestClient, session: Session, world: dict[str, Any]
) -> None:
    edited = add_comment(
        session,
        account=world["page"],
        external_id="1",
        texts=("Vägen vid SKOLAN i Örby är farlig", "Tack för svaret"),
    )
    percent = add_comment(session, account=world["page"], external_id="2", texts=("Rabatt 100% idag",))
    add_comment(session, account=world["page"], external_id="3", texts=("Rabatt 1000 idag, a-b",))
    underscore = add_comment(session, account=world["page"], external_id="4", texts=("fil a_b.txt",))
    key = world["registrar"]
    # An earlier version is found; the hit shows the current text and every version's hash.
    [hit] = search(client, key, text="skolan i ÖRBY")
    assert hit["id"] == edited.id
    assert hit["text"] == "Tack för svaret"
    assert hit["version_count"] == 2 and [v["seq"] for v in hit["versions"]] == [1, 2]
    assert all(len(v["text_sha256"]) == 64 for v in hit["versions"])
    assert ids(search(client, key, text="VÄGEN")) == [edited.id]
    assert ids(search(client, key, text="tack FÖR")) == [edited.id]
    # % and _ are literal characters, not wildcards.
    assert ids(search(client, key, text="100%")) == [percent.id]
    assert ids(search(client, key, text="a_b")) == [underscore.id]
    assert ids(search(client, key, text="%")) == [percent.id]
    assert ids(search(client, key, text="rabatt")) == [percent.id, percent.id + 1]


def test_hidden_and_removed_are_found_with_evidence_queue_and_case_number(
    client: TestClient, session: Session, world: dict[str, Any]
) -> None:
    visible = add_comment(session, account=world["page"], external_id="1", received_at=BASE)
    hidden = add_comment(
        session,
        account=world["page"],
        external_id="2",
        received_at=BASE + timedelta(minutes=1),
        then="hidden",
    )
    by_author = add_comment(
        session,
        account=world["page"],
        external_id="3",
        received_at=BASE + timedelta(minutes=2),
        then="removed",
    )
    removed = add_comment(
        session,
        account=world["page"],
        external_id="4",
        texts=("Du är en idiot",),
        received_at=BASE + timedelta(minutes=3),
    )
    item = flag(session, removed)
    registration = register(session, item, diarienummer="KS 2031/17")
    removed.state = "deleted_by_us"
    session.commit()
    key = world["registrar"]
    hits = search(client, key)
    assert ids(hits) == [visible.id, hidden.id, by_author.id, removed.id]
    assert [h["state"] for h in hits] == ["visible", "hidden", "deleted_by_author", "deleted_by_us"]
    assert ids(search(client, key, state=["hidden", "deleted_by_us"])) == [hidden.id, removed.id]
    hit = hits[-1]
    assert hit["text"] == "Du är en idiot"
    assert hit["queue_item"]["id"] == item.id and hit["queue_item"]["status"] == "open"
    assert hit["queue_item"]["categories"] == ["harassment"]
    assert hit["registration"]["id"] == registration.id
    assert hit["registration"]["diarienummer"] == "KS 2031/17"
    assert hit["registration"]["status"] == "registered"
    [evidence] = hit["evidence"]
    assert evidence["id"] == item.evidence_id
    assert evidence["url"] == f"/v1/evidence/{item.evidence_id}"
    assert evidence["pdf_url"] == f"/v1/evidence/{item.evidence_id}/pdf"
    stored = client.get(evidence["url"], headers=auth(key)).json()
    assert stored["sha256"] == evidence["sha256"]
    assert stored["document"]["comment"]["versions"][0]["text"] == "Du är en idiot"
    pdf = client.get(evidence["pdf_url"], headers=auth(key))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert hits[0]["evidence"] == [] and hits[0]["queue_item"] is None and hits[0]["registration"] is None


def test_pages_in_both_orders(client: TestClient, session: Session, world: dict[str, Any]) -> None:
    people = ["Östen Ö", "bo Berg", "Åsa Å", "Anna A", "Bo Berg", None, "anna a"]
    made = []
    for i, name in enumerate(people):
        made.append(
            add_comment(
                session,
                account=world["page"],
                external_id=str(i),
                author_id=None if name is None else f"id{i}",
                author_name=name,
                received_at=BASE - timedelta(hours=i),  # inserted newest first
            )
        )
    key = world["registrar"]

    def walk(order: str) -> list[int]:
        seen: list[int] = []
        cursor = None
        pages = 0
        while True:
            params: dict[str, Any] = {"order": order, "limit": 3, **({"cursor": cursor} if cursor else {})}
            r = client.get("/v1/search", params=params, headers=auth(key))
            assert r.status_code == 200, r.text
            seen += ids(r.json()["items"])
            cursor = r.json()["next_cursor"]
            pages += 1
            if cursor is None:
                return seen
            assert pages < 10

    chronological = walk("chronological")
    assert chronological == [c.id for c in reversed(made)]
    assert chronological == ids(search(client, key, limit=500))
    by_sender = walk("sender")
    assert by_sender == ids(search(client, key, order="sender", limit=500))
    # By folded name in code-point order (so å before ö, both after z), one person's comments
    # together and oldest first, comments without a known sender last.
    order = [3, 6, 1, 4, 2, 0, 5]
    assert by_sender == [made[i].id for i in order]
    # A cursor is opaque and bound to its order.
    first = client.get("/v1/search", params={"limit": 2}, headers=auth(key)).json()["next_cursor"]
    wrong = client.get("/v1/search", params={"order": "sender", "cursor": first}, headers=auth(key))
    assert wrong.status_code == 400
    junk = client.get("/v1/search", params={"cursor": "not-a-cursor"}, headers=auth(key))
    assert junk.status_code == 400 and junk.json()["error"] == "BadRequest"


def test_roles_and_tenant_isolation(client: TestClient, session: Session, world: dict[str, Any]) -> None:
    mine = add_comment(session, account=world["page"], external_id="1")
    theirs = add_comment(session, account=world["page_b"], external_id="1")
    assert ids(search(client, world["registrar"])) == [mine.id]
    assert ids(search(client, world["admin"])) == [mine.id]
    assert ids(search(client, world["registrar_b"])) == [theirs.id]
    # Naming another tenant's account finds nothing rather than leaking it.
    assert search(client, world["registrar"], account_id=world["page_b"].id) == []
    for key in (world["editor"], world["owner"]):
        r = client.get("/v1/search", headers=auth(key))
        assert r.status_code == 403 and r.json()["error"] == "Forbidden"
    assert client.get("/v1/search").status_code == 401
    assert (
        client.get("/v1/search", params={"order": "random"}, headers=auth(world["registrar"])).status_code
        == 422
    )
