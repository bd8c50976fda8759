"""The administrator's page of the municipality's own details: the same service as
``/v1/tenant/known-parties``, one value per line, in real Chromium too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.app.queue.conftest import World
from tests.factories import auth, create_key
from tests.fakes.server import serve
from tests.web.conftest import check_page
from tests.web.test_inbox_browser import login_url, sign_in
from tests.web.test_inbox_http import browser_as, csrf


def test_an_admin_sets_the_lists_one_per_line(world_factory: Any) -> None:
    world: World = world_factory("haparanda")
    admin = browser_as(world, "admin@kommun.example", role="admin")
    page = admin.get("/egna-uppgifter")
    assert page.status_code == 200 and "<textarea" in page.text
    token = csrf(page.text)

    bad = admin.post(
        "/egna-uppgifter",
        data={"csrf_token": token, "telefonnummer": "0922-150 00\nring växeln", "foretradare": "Anna Berg"},
    )
    assert bad.status_code == 400 and 'href="#telefonnummer"' in bad.text
    assert "Telefonnummer: nummer 2 är inget telefonnummer" in bad.text
    assert "ring växeln</textarea>" in bad.text  # what was typed stays in the form

    saved = admin.post(
        "/egna-uppgifter",
        data={
            "csrf_token": token,
            "telefonnummer": "0922-150 00\n\n",
            "epost": "Kommunen@Haparanda.example",
            "foretradare": "Anna Berg\r\nPer-Olof Ek",
        },
    )
    assert saved.status_code == 200 and "Uppgifterna är sparade." in saved.text
    assert "Anna Berg\nPer-Olof Ek</textarea>" in saved.text
    api = world.client.get(
        "/v1/tenant/known-parties", headers=auth(create_key(world.session, tenant=world.tenant, role="admin"))
    )
    assert api.json() == {
        "phones": ["0922-150 00"],
        "emails": ["kommunen@haparanda.example"],
        "public_officials": ["Anna Berg", "Per-Olof Ek"],
    }
    refused = admin.post("/egna-uppgifter", data={"telefonnummer": ""})
    assert refused.status_code == 403  # no CSRF token: nothing changes
    assert "0922-150 00</textarea>" in admin.get("/egna-uppgifter").text


def test_only_admins_see_the_page(world_factory: Any) -> None:
    world: World = world_factory("haparanda")
    for role in ("editor", "registrar", "account_owner"):
        person = browser_as(world, f"{role}@kommun.example", role=role)
        assert person.get("/egna-uppgifter").status_code == 403
        assert 'href="/egna-uppgifter"' not in person.get("/inkorg").text


def test_the_page_in_a_browser(world_factory: Any, page: Any, screenshots: Path) -> None:
    world: World = world_factory("haparanda")
    with serve(world.client.app) as base:
        sign_in(page, login_url(world, base, "admin@kommun.example", role="admin"))
        page.get_by_role("link", name="Egna uppgifter").click()
        page.wait_for_url("**/egna-uppgifter")
        check_page(page, screenshots, "egna-uppgifter")
        page.get_by_label("Offentliga företrädare").fill("Anna Berg\n070-123 45 67")
        page.get_by_role("button", name="Spara uppgifterna").click()
        page.locator(".error-summary a[href='#foretradare']").wait_for()
        check_page(page, screenshots, "egna-uppgifter-fel")
        page.locator(".error-summary a[href='#foretradare']").press("Enter")
        page.keyboard.press("Control+a")
        page.keyboard.type("Anna Berg")
        page.get_by_role("button", name="Spara uppgifterna").click()
        page.wait_for_url("**klart=sparad")
        assert page.get_by_label("Offentliga företrädare").input_value() == "Anna Berg"
        check_page(page, screenshots, "egna-uppgifter-sparad")
