"""The administrator's destinations page: the same service as ``/v1/destinations``."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from app.models import Destination
from tests.app.queue.conftest import World
from tests.fakes.server import serve
from tests.web.conftest import check_page
from tests.web.test_inbox_browser import login_url, sign_in
from tests.web.test_inbox_http import browser_as, csrf

SECRET = "whsec_" + base64.b64encode(b"a-made-up-signing-secret-32bytes").decode()


def test_an_admin_adds_lists_and_removes_destinations(world_factory: Any) -> None:
    world: World = world_factory("haparanda")
    admin = browser_as(world, "admin@kommun.example", role="admin")
    page = admin.get("/mottagare")
    assert page.status_code == 200 and "Inga mottagare än." in page.text
    token = csrf(page.text)

    bad = admin.post(
        "/mottagare", data={"csrf_token": token, "namn": "Soc", "sort": "email", "adress": "inte"}
    )
    assert bad.status_code == 422 and 'href="#adress"' in bad.text and 'value="inte"' in bad.text
    added = admin.post(
        "/mottagare",
        data={"csrf_token": token, "namn": "Socialtjänsten", "sort": "email", "adress": "soc@kommun.example"},
    )
    assert added.status_code == 200 and "Mottagaren är sparad." in added.text
    again = admin.post(
        "/mottagare",
        data={"csrf_token": token, "namn": "Socialtjänsten", "sort": "email", "adress": "x@kommun.example"},
    )
    assert again.status_code == 409 and 'href="#namn"' in again.text
    hook = admin.post(
        "/mottagare",
        data={
            "csrf_token": token,
            "namn": "Ärendesystemet",
            "sort": "webhook",
            "adress": "https://arenden.kommun.example/uppsikt",
            "hemlighet": SECRET,
            "registrator": "1",
        },
    )
    assert hook.status_code == 200 and SECRET not in hook.text and "(signerad)" in hook.text
    api = world.client.get("/v1/destinations", headers={"Authorization": f"Bearer {admin_key(world)}"}).json()
    assert {(d["name"], d["registrar"], d["has_secret"]) for d in api["destinations"]} == {
        ("Socialtjänsten", False, False),
        ("Ärendesystemet", True, True),
    }
    world.session.rollback()
    hook_id = next(d.id for d in world.session.query(Destination) if d.name == "Ärendesystemet")
    assert admin.post(f"/mottagare/{hook_id}/ta-bort", data={}).status_code == 403  # no CSRF token
    removed = admin.post(f"/mottagare/{hook_id}/ta-bort", data={"csrf_token": token})
    assert removed.status_code == 200 and "Ärendesystemet" not in removed.text.split("<h2")[0]


def admin_key(world: World) -> str:
    from tests.factories import create_key

    return create_key(world.session, tenant=world.tenant, role="admin")


def test_only_admins_see_destinations(world_factory: Any) -> None:
    world: World = world_factory("haparanda")
    for role in ("editor", "registrar", "account_owner"):
        person = browser_as(world, f"{role}@kommun.example", role=role)
        assert person.get("/mottagare").status_code == 403
        assert 'href="/mottagare"' not in person.get("/inkorg").text


def test_the_destinations_page_in_a_browser(world_factory: Any, page: Any, screenshots: Path) -> None:
    world: World = world_factory("haparanda")
    with serve(world.client.app) as base:
        sign_in(page, login_url(world, base, "admin@kommun.example", role="admin"))
        page.get_by_role("link", name="Mottagare").click()
        page.wait_for_url("**/mottagare")
        check_page(page, screenshots, "mottagare")
        page.get_by_label("Namn").fill("Tekniska förvaltningen")
        page.get_by_label("Adress").fill("fel-adress")
        page.get_by_role("button", name="Spara mottagaren").click()
        page.locator(".error-summary a[href='#adress']").wait_for()
        check_page(page, screenshots, "mottagare-fel")
        page.get_by_label("Adress").fill("teknik@kommun.example")
        page.get_by_role("button", name="Spara mottagaren").click()
        page.wait_for_url("**klart=sparad")
        assert "Tekniska förvaltningen" in page.locator("table").inner_text()
        check_page(page, screenshots, "mottagare-sparad")
