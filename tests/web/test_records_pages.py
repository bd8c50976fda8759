"""The registrar's search for public-records requests and the account register, over HTTP.

The pages call the same services as ``GET /v1/search`` and ``GET /v1/accounts``; the
tests hold them to the API's answers and check what only the page does: whole Swedish
days, errors that point to their field, paging that neither repeats nor skips.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from app.web import registrar_routes
from tests.app.queue.conftest import World
from tests.factories import create_account
from tests.web.test_inbox_http import LIBRARY_PAGE, browser_as, two_accounts

HIT = re.compile(r'<tr data-comment="(\d+)">')


def hits(client: TestClient, **params: Any) -> list[int]:
    answer = client.get("/sok", params={"sok": "1", **params})
    assert answer.status_code == 200, answer.text
    return [int(i) for i in HIT.findall(answer.text)]


def api_hits(world: World, **params: Any) -> list[int]:
    answer = world.client.get(
        "/v1/search", params=params, headers={"Authorization": f"Bearer {world.registrar}"}
    )
    assert answer.status_code == 200, answer.text
    return [hit["id"] for hit in answer.json()["items"]]


@pytest.fixture
def world(world_factory: Any) -> World:
    w = two_accounts(world_factory)
    w.comment(
        comment="4",
        message="Tack för snöröjningen!",
        extra={"from": {"id": "5550099", "name": "Anna Exempelsson"}},
    )
    w.process()
    return w


def test_the_search_finds_what_the_api_finds(world: World) -> None:
    registrar = browser_as(world, "reg@kommun.example", role="registrar")
    opened = registrar.get("/sok")
    assert opened.status_code == 200 and "Träffar" not in opened.text  # no search before one is asked for
    every = hits(registrar)
    assert len(every) == 4 and every == api_hits(world)
    assert (
        hits(registrar, avsandare="anna") == api_hits(world, author="anna")
        and len(hits(registrar, avsandare="anna")) == 1
    )
    assert (
        sorted(hits(registrar, text="idioter")) == sorted(api_hits(world, text="idioter"))
        and len(hits(registrar, text="idioter")) == 2
    )
    by_sender = hits(registrar, ordning="sender")
    assert by_sender == api_hits(world, order="sender") and by_sender != every
    library = next(a.id for a in world.session.query(type(world.account)).filter_by(external_id=LIBRARY_PAGE))
    assert len(hits(registrar, konto=str(library))) == 1
    # Helsingborg's preset hides a personnummer at once; nothing is removed yet.
    hidden = hits(registrar, tillstand="hidden")
    assert len(hidden) == 1 and hidden == api_hits(world, state="hidden")
    assert hits(registrar, tillstand="deleted_by_us") == []
    assert sorted(hits(registrar, tillstand=["visible", "hidden"])) == sorted(every)
    page = registrar.get("/sok", params={"sok": "1", "avsandare": "anna"}).text
    assert "Tack för snöröjningen!" in page and "Anna Exempelsson" in page


def test_dates_are_whole_swedish_days(world: World) -> None:
    registrar = browser_as(world, "reg@kommun.example", role="registrar")
    today = datetime.now(ZoneInfo("Europe/Stockholm")).date()
    assert len(hits(registrar, fran=today.isoformat(), till=today.isoformat())) == 4
    assert hits(registrar, till=(today - timedelta(days=1)).isoformat()) == []
    assert hits(registrar, fran=(today + timedelta(days=1)).isoformat()) == []


@pytest.mark.parametrize(
    ("params", "target", "text"),
    [
        ({"fran": "1 mars"}, "fran", "Skriv från-datumet som år-månad-dag"),
        ({"fran": "2026-03-02", "till": "2026-03-01"}, "till", "Till-datumet ligger före från-datumet."),
        ({"konto": "999999"}, "konto", "Välj ett av kontona i listan."),
        ({"sida": "inte-en-sida"}, "avsandare", "Sidan hör till en annan sökning"),
    ],
)
def test_a_bad_search_says_which_field_to_correct(
    world: World, params: dict[str, str], target: str, text: str
) -> None:
    registrar = browser_as(world, "reg@kommun.example", role="registrar")
    answer = registrar.get("/sok", params={"sok": "1", **params})
    assert answer.status_code == 400
    assert f'<a href="#{target}">{text}' in answer.text
    assert "Traceback" not in answer.text and "Träffar" not in answer.text


def test_the_search_pages_without_repeating_or_skipping(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registrar_routes, "PAGE_SIZE", 3)
    registrar = browser_as(world, "reg@kommun.example", role="registrar")
    first = registrar.get("/sok", params={"sok": "1", "ordning": "sender"})
    seen = [int(i) for i in HIT.findall(first.text)]
    link = re.search(r'<a href="(/sok\?[^"]+)">Nästa sida</a>', first.text)
    assert link and len(seen) == 3
    second = registrar.get(link.group(1).replace("&amp;", "&"))
    seen += [int(i) for i in HIT.findall(second.text)]
    assert "Nästa sida" not in second.text
    assert seen == api_hits(world, order="sender")


def test_only_registrars_and_admins_search(world: World) -> None:
    editor = browser_as(world, "red@kommun.example")
    assert editor.get("/sok", params={"sok": "1"}).status_code == 403
    assert 'href="/sok"' not in editor.get("/inkorg").text
    anonymous = TestClient(world.client.app, base_url="http://localhost")
    assert anonymous.get("/sok", follow_redirects=False).status_code == 303


def test_the_account_register_page_is_the_apis_register(world: World) -> None:
    create_account(
        world.session,
        tenant=world.tenant,
        external_id="5550000000077",
        name="Kulturhuset",
        owner=None,
        editors=(),
    )
    registrar = browser_as(world, "reg@kommun.example", role="registrar")
    page = registrar.get("/konton").text
    register = world.client.get("/v1/accounts", headers={"Authorization": f"Bearer {world.registrar}"}).json()
    for account in register["accounts"]:
        assert account["display_name"] in page
        for warning in account["warnings"]:
            assert warning["text"].replace("”", "&#8221;") in page or warning["text"] in page
    culture = next(a for a in register["accounts"] if a["display_name"] == "Kulturhuset")
    assert culture["warnings"] and "Riktlinjen för Helsingborg" in culture["warnings"][0]["text"]
    assert "Inget saknas enligt riktlinjen." in page  # the accounts that lack nothing say so

    # An editor sees only the accounts they answer for.
    library = browser_as(world, "bib@kommun.example").get("/konton").text
    assert "Biblioteket" in library and "Kulturhuset" not in library


def test_a_person_who_answers_for_no_account_is_told_why(world: World) -> None:
    nobody = browser_as(world, "vikarie@kommun.example").get("/konton").text
    assert "vikarie@kommun.example är inte redaktör för något konto" in nobody
