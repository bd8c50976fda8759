"""The inbox over HTTP: who sees what (accounts, tenants, roles), filters, keyset paging."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from app.models import Decision, QueueItem, utcnow
from app.web import inbox_view, sessions
from tests.app.queue.conftest import World
from tests.factories import create_account, create_tenant, feed_change, meta_json, page_delivery, sign_meta

PNR_TEXT = "Ring mig, mitt personnummer är 19850101-2390 om ni behöver det för ärendet."
INSULT = "Ni på kommunen är idioter allihop"
LIBRARY_PAGE = "5550000000002"
ITEM_LINK = re.compile(r'href="/inkorg/(\d+)"')


def deliver_to(world: World, page_id: str, comment: str, message: str) -> None:
    change = feed_change(comment=comment, message=message, post="777", page_id=page_id)
    body = meta_json(page_delivery(change, page_id=page_id))
    assert world.client.post("/webhooks/meta", content=body, headers=sign_meta(body)).status_code == 200


def browser_as(world: World, subject: str, role: str = "editor", tenant: str | None = None) -> TestClient:
    """A signed-in browser (the world's app is running; no second lifespan)."""
    _, token = sessions.create_login_link(
        world.session,
        tenant_name=tenant or world.tenant.name,
        subject=subject,
        role=role,
        ttl=timedelta(minutes=5),
    )
    world.session.commit()
    client = TestClient(world.client.app, base_url="http://localhost")
    page = client.get(f"/logga-in/lank/{token}")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    assert client.post(f"/logga-in/lank/{token}", data={"csrf_token": csrf.group(1)}).status_code == 200
    return client


def listed(client: TestClient, **params: str) -> list[int]:
    answer = client.get("/inkorg", params=params)
    assert answer.status_code == 200
    return [int(i) for i in ITEM_LINK.findall(answer.text)]


@pytest.fixture
def world(world_factory: Any) -> World:
    return two_accounts(world_factory)


def two_accounts(world_factory: Any) -> World:
    """Helsingborg's preset, the world's Page and the library's, three comments processed."""
    w: World = world_factory("helsingborg")
    create_account(
        w.session,
        tenant=w.tenant,
        external_id=LIBRARY_PAGE,
        name="Biblioteket",
        owner="bibchef@kommun.example",
        editors=("bib@kommun.example",),
    )
    w.comment(comment="1", message=PNR_TEXT)
    w.comment(comment="2", message=INSULT)
    deliver_to(w, LIBRARY_PAGE, "3", INSULT)
    w.process()
    return w


def test_each_person_sees_the_accounts_they_answer_for(world: World) -> None:
    every = [i["id"] for i in world.items(world.registrar)]
    assert len(every) == 3
    red = browser_as(world, "red@kommun.example")
    library = browser_as(world, "bib@kommun.example")
    registrar = browser_as(world, "reg@kommun.example", role="registrar")
    mine, theirs = listed(red), listed(library)
    assert len(mine) == 2 and len(theirs) == 1 and set(mine) | set(theirs) == set(every)
    assert sorted(listed(registrar)) == sorted(every)
    # The same order as the API: most urgent first.
    assert mine == [i["id"] for i in world.items()]
    # Another account's item is not found, not forbidden (its existence is not told).
    assert red.get(f"/inkorg/{theirs[0]}").status_code == 404
    assert red.get(f"/inkorg/bevis/{theirs[0]}.json").status_code == 404
    # The account filter offers only one's own accounts.
    assert "Biblioteket" not in red.get("/inkorg").text and "Biblioteket" in library.get("/inkorg").text


def test_another_tenants_people_see_nothing(world: World) -> None:
    other = create_tenant(world.session, name="grannkommun")
    create_account(world.session, tenant=other, external_id="5550000000009", editors=("red@kommun.example",))
    stranger = browser_as(world, "red@kommun.example", tenant="grannkommun")
    assert listed(stranger) == []
    assert stranger.get(f"/inkorg/{world.items()[0]['id']}").status_code == 404


def test_filters_by_category_status_and_overdue(world: World) -> None:
    red = browser_as(world, "red@kommun.example")
    items = {i["categories"][0]: i["id"] for i in world.items()}
    assert listed(red, kategori="harassment") == [items["harassment"]]
    assert listed(red, kategori="personal_data") == [items["personal_data"]]
    assert listed(red, status="decided") == []
    r = world.decide(items["harassment"], actions=["none"], reason="Får stå kvar.")
    assert r.status_code == 200, r.text
    assert listed(red, status="decided") == [items["harassment"]]
    assert listed(red) == [items["personal_data"]]
    assert sorted(listed(red, status="alla")) == sorted(items.values())
    assert listed(red, forsenade="1") == []
    world.session.execute(
        update(QueueItem)
        .where(QueueItem.id == items["personal_data"])
        .values(due_at=utcnow() - timedelta(hours=1))
    )
    world.session.commit()
    assert listed(red, forsenade="1") == [items["personal_data"]]
    assert "Försenad" in red.get("/inkorg").text
    # Unknown filter values are ignored, never an error page.
    assert sorted(listed(red, kategori="<script>", konto="x", status="?")) == sorted(items.values())


def test_keyset_paging(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inbox_view, "PAGE_SIZE", 1)
    red = browser_as(world, "red@kommun.example")
    first = red.get("/inkorg")
    next_link = re.search(r'href="(/inkorg\?[^"]*sida=[^"]+)"', first.text)
    assert next_link
    second = red.get(next_link.group(1).replace("&amp;", "&"))
    assert ITEM_LINK.findall(first.text) != ITEM_LINK.findall(second.text)
    assert [int(i) for i in ITEM_LINK.findall(first.text) + ITEM_LINK.findall(second.text)] == [
        i["id"] for i in world.items()
    ]
    assert "Nästa sida" not in second.text
    # The polling script's rows follow the first page only.
    assert red.get("/inkorg/rader").headers["x-inkorg-version"]


def test_a_registrar_cannot_decide(world: World) -> None:
    registrar = browser_as(world, "reg@kommun.example", role="registrar")
    item = world.items()[0]["id"]
    page = registrar.get(f"/inkorg/{item}")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    answer = registrar.post(
        f"/inkorg/{item}/beslut", data={"csrf_token": csrf.group(1), "atgarder": "none", "motivering": "x"}
    )
    assert answer.status_code == 403 and "Din roll" in answer.text
    assert world.item(item)["status"] == "open"
    assert world.item(item)["claimed_by"] is None  # a registrar's visit claims nothing


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


def test_the_account_owner_records_the_police_review(world_factory: Any) -> None:
    world: World = world_factory("harjedalen")
    world.comment(comment="1", message=PNR_TEXT)
    world.comment(comment="2", message=INSULT)
    world.process()
    item, other = world.items()
    assert "police_review" in item["recommended_actions"]
    r = world.decide(item["id"], actions=item["recommended_actions"], reason="Enligt riktlinjerna.")
    assert r.status_code == 200, r.text
    editor = browser_as(world, "red@kommun.example")
    assert "Pröva polisanmälan" not in editor.get(f"/inkorg/{item['id']}").text
    owner = browser_as(world, "chef@kommun.example", role="account_owner")
    # The owner's list holds what waits for their review, and nothing else.
    assert listed(owner, status="alla", polis="1") == [item["id"]]
    assert [i["id"] for i in world.items(world.owner, police_review="pending")] == [item["id"]]
    assert sorted(listed(owner, status="alla")) == sorted([item["id"], other["id"]])
    page = owner.get(f"/inkorg/{item['id']}")
    assert "Pröva polisanmälan" in page.text and "Väntar på kontoansvarigs prövning" in page.text
    url = f"/inkorg/{item['id']}/polisanmalan"
    missing = owner.post(url, data={"csrf_token": csrf(page.text), "polis_motivering": "Inget brott."})
    assert missing.status_code == 400 and 'href="#anmald-ja"' in missing.text
    assert "Inget brott." in missing.text  # what was written stays
    assert owner.post(url, data={"anmald": "nej", "polis_motivering": "x"}).status_code == 403  # no CSRF
    saved = owner.post(
        url, data={"csrf_token": csrf(page.text), "anmald": "nej", "polis_motivering": "Inget brott."}
    )
    assert saved.status_code == 200 and "Inte anmäld – Inget brott." in saved.text
    assert world.item(item["id"])["police_review"] == "not_reported"
    assert listed(owner, status="alla", polis="1") == []
    again = owner.post(url, data={"csrf_token": csrf(page.text), "anmald": "ja", "polis_motivering": "Ändå."})
    assert again.status_code == 409 and "Ingen prövning väntar" in again.text


def test_the_item_page_shows_every_version_and_the_evidence(world: World) -> None:
    red = browser_as(world, "red@kommun.example")
    item = next(i for i in world.items() if "harassment" in i["categories"])
    world.comment(comment="2", message=INSULT + " och korrupta", verb="edited", created=1_700_000_500)
    world.process()
    page = red.get(f"/inkorg/{item['id']}").text
    assert "Versioner" in page and INSULT + " och korrupta" in page and f"<br>{INSULT}</li>" in page
    detail = world.item(item["id"])
    for evidence in detail["evidence"]:
        snapshot = red.get(f"/inkorg/bevis/{evidence['id']}.json").json()
        assert snapshot["sha256"] in page
    assert "<mark>idioter</mark>" in page


def test_the_item_page_shows_the_thread_around_the_comment(world_factory: Any) -> None:
    world: World = world_factory("helsingborg")
    world.comment(comment="1", message="Varför plogas inte Storgatan?")
    world.comment(comment="2", message=INSULT, parent="777_1", created=1_700_000_100)
    world.comment(comment="3", message="Tack för svaret.", created=1_700_000_200)
    world.deliver(
        feed_change(comment="9", post="778", message="Ett annat inlägg", page_id=world.account.external_id)
    )
    world.process()
    item = next(i for i in world.items() if "harassment" in i["categories"])
    page = browser_as(world, "red@kommun.example").get(f"/inkorg/{item['id']}").text
    thread = page[page.index('id="trad-rubrik"') : page.index("Varför kommentaren flaggades")]
    # The post's comments that reached us, oldest first; the other post's are not there.
    assert thread.index("Storgatan") < thread.index("idioter") < thread.index("Tack för svaret.")
    assert "Ett annat inlägg" not in thread
    assert "den som besvaras" in thread[: thread.index("idioter")]
    assert thread.count('aria-current="true"') == 1 and "kommentaren är ett svar" in thread


def test_the_log_page_says_when_records_lack_their_entries(world: World) -> None:
    registrar = browser_as(world, "reg@kommun.example", role="registrar")
    assert "Loggen är hel" in registrar.get("/logg").text
    # A decision written around the log, as the old listener bug let happen.
    item = world.items()[0]["id"]
    world.session.add(
        Decision(tenant_id=world.tenant.id, item_id=item, actor="x", actions=["none"], reason="x")
    )
    world.session.commit()
    page = registrar.get("/logg").text
    assert "Loggen saknar poster" in page and "Loggen är hel" not in page
    assert f"queue_item_decisions {item}" in page


def test_the_decision_form_takes_the_editors_word_on_the_findings(world: World) -> None:
    red = browser_as(world, "red@kommun.example")
    item = next(i for i in world.items() if i["categories"] == ["harassment"])
    page = red.get(f"/inkorg/{item['id']}").text
    assert 'name="omdome-harassment"' in page and 'value="threat"' in page
    url = f"/inkorg/{item['id']}/beslut"
    base = {"csrf_token": csrf(page), "atgarder": "none", "motivering": "Kritik får stå kvar."}

    # Only the findings the item has can be judged; a missed category must be missing.
    for bad, target in (({"omdome-threat": "confirmed"}, "omdomen"), ({"missade": "harassment"}, "missade")):
        refused = red.post(url, data={**base, **bad})
        assert refused.status_code == 400 and f'href="#{target}"' in refused.text
        assert world.item(item["id"])["status"] == "open"

    saved = red.post(url, data={**base, "omdome-harassment": "wrong", "missade": ["profanity", "spam"]})
    assert saved.status_code == 200, saved.text
    [decision] = world.item(item["id"])["decisions"]
    assert sorted((label["category"], label["verdict"]) for label in decision["labels"]) == [
        ("harassment", "wrong"),
        ("profanity", "missed"),
        ("spam", "missed"),
    ]
    assert "Omdöme om fynden: " in saved.text and "Personangrepp, kränkningar och förtal – fel" in saved.text


def test_the_decision_form_forwards_to_the_destinations_chosen(world: World) -> None:
    from app.crypto import TokenCipher
    from app.destinations.service import add_destination
    from app.models import Destination, OutboundMessage

    for name, address in (("Socialtjänsten", "soc@kommun.example"), ("Tekniska", "tek@kommun.example")):
        add_destination(
            world.session,
            tenant=world.tenant,
            name=name,
            kind="email",
            address=address,
            secret=None,
            registrar=False,
            cipher=TokenCipher(world.settings),
            actor="test",
        )
    world.session.commit()
    red = browser_as(world, "red@kommun.example")
    item = next(i for i in world.items() if i["categories"] == ["harassment"])
    page = red.get(f"/inkorg/{item['id']}").text
    assert "Vidarebefordra till" in page and 'value="Socialtjänsten"' in page
    url = f"/inkorg/{item['id']}/beslut"
    base = {"csrf_token": csrf(page), "motivering": "Till socialtjänsten.", "mottagare": "Socialtjänsten"}

    refused = red.post(url, data={**base, "atgarder": "none"})  # a recipient without Vidarebefordra
    assert refused.status_code == 400 and 'href="#mottagare"' in refused.text
    assert world.item(item["id"])["status"] == "open"

    assert red.post(url, data={**base, "atgarder": "forward"}).status_code == 200
    world.session.rollback()
    names = {d.id: d.name for d in world.session.query(Destination)}
    sent_to = {names[m.destination_id] for m in world.session.query(OutboundMessage) if m.destination_id}
    assert sent_to == {"Socialtjänsten"}
