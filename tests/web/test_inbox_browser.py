"""The web inbox in a real browser against the app served by uvicorn.

A signed Facebook delivery goes over HTTP to the served app, the worker processes it,
and an editor signed in with a one-time link finds it in the queue, sees a new one
arrive without reloading, opens an item and decides with the keyboard alone.  Every page
is audited with axe-core and photographed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from app.web import sessions
from tests.app.queue.conftest import World
from tests.e2e.server import free_port
from tests.factories import feed_change, meta_json, page_delivery, sign_meta
from tests.fakes.oidc_provider import CLIENT_ID, CLIENT_SECRET
from tests.fakes.server import serve
from tests.web.conftest import check_page, serve_app

PNR_TEXT = "Ring mig, mitt personnummer är 19850101-2390 om ni behöver det för ärendet."
INSULT = "Ni på kommunen är idioter allihop"


@pytest.fixture
def served(world_factory: Any) -> Iterator[tuple[World, str]]:
    """The world's app (its lifespan already run by the world's client) served over HTTP."""
    world: World = world_factory("helsingborg")
    with serve(world.client.app) as base:
        yield world, base


def deliver(world: World, base: str, comment: str, message: str) -> None:
    world.graph.add_comment(f"777_{comment}", "facebook", message)
    change = feed_change(comment=comment, message=message, post="777", page_id=world.account.external_id)
    body = meta_json(page_delivery(change, page_id=world.account.external_id))
    answer = httpx.post(f"{base}/webhooks/meta", content=body, headers=sign_meta(body), timeout=10)
    assert answer.status_code == 200
    world.process()


def login_url(world: World, base: str, subject: str, role: str = "editor") -> str:
    _, token = sessions.create_login_link(
        world.session, tenant_name=world.tenant.name, subject=subject, role=role, ttl=timedelta(minutes=10)
    )
    world.session.commit()
    return f"{base}/logga-in/lank/{token}"


def sign_in(page: Any, url: str, screenshots: Path | None = None) -> None:
    page.goto(url)
    if screenshots is not None:
        check_page(page, screenshots, "inloggningslank")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/inkorg")


def tab_to(page: Any, predicate_js: str, limit: int = 60) -> None:
    """Press Tab until the focused element satisfies ``predicate_js`` (given ``el``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {predicate_js}; }})()"):
            # Focus is always visible: our own outline, never none.
            assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
            return
    raise AssertionError(f"no focusable element matched {predicate_js}")


def test_editor_works_the_inbox_by_keyboard(
    served: tuple[World, str], page: Any, browser: Any, screenshots: Path
) -> None:
    world, base = served
    page.goto(f"{base}/")
    check_page(page, screenshots, "startsida")
    assert page.locator("a[href='/docs']").count() >= 1

    # The first Tab reaches the skip link; it moves focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Hoppa till innehållet"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "innehall"

    deliver(world, base, "1", PNR_TEXT)
    sign_in(page, login_url(world, base, "red@kommun.example"), screenshots)

    # The queue: the comment with its triggering words marked, in Swedish.
    rows = page.locator("#inkorg tbody tr[data-item]")
    assert rows.count() == 1
    row = rows.first
    assert row.locator("mark").first.inner_text() == "19850101-2390"
    text = row.inner_text()
    assert "Testa Testsson" in text and "Facebook" in text and "Kommunen" in text
    assert "Personuppgifter" in text and "Dölj" in text and "Diarieför" in text
    check_page(page, screenshots, "inkorg")

    # A new comment appears without a reload (the page's own script polls its rows).
    page.evaluate("window.__same_page = true")
    deliver(world, base, "2", INSULT)
    rows.nth(1).wait_for(timeout=15_000)
    assert page.evaluate("window.__same_page") is True
    assert "uppdaterades" in page.locator("#inkorg-status").inner_text()
    item_id = world.items()[0]["id"]  # the most urgent first, as in the API
    assert rows.first.get_attribute("data-item") == str(item_id)

    # Open the most urgent item with the keyboard.
    tab_to(page, f"el.getAttribute('href') === '/inkorg/{item_id}'")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/inkorg/{item_id}")
    assert page.locator(".comment-text mark").first.inner_text() == "19850101-2390"
    assert "Dig, till" in page.locator("#hanteras").inner_text()  # claimed on open
    detail = world.item(item_id)
    assert detail["claimed_by"] == "user:red@kommun.example"
    sha = world.client.get(
        detail["evidence"][0]["json"], headers={"Authorization": f"Bearer {world.registrar}"}
    )
    assert sha.json()["sha256"] in page.locator("main").inner_text()
    assert page.locator("blockquote").count() >= 1  # the guideline sentence
    check_page(page, screenshots, "kommentar")

    # The evidence links work with the browser's session (no API key in the browser).
    pdf = page.request.get(f"{base}/inkorg/bevis/{detail['evidence'][0]['id']}.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"

    # Without a reason the form answers with an error summary linking to the field.
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('beslut')")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    assert page.locator(".error-summary a[href='#motivering']").count() == 1
    check_page(page, screenshots, "kommentar-fel")

    # Decide by keyboard: the recommendation is preselected; write the reason; submit.
    recommended = set(detail["recommended_actions"])
    checked = set(page.locator("input[name=atgarder]:checked").evaluate_all("els => els.map(e => e.value)"))
    assert checked == recommended
    page.locator(".error-summary a[href='#motivering']").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "motivering"
    page.keyboard.type("Personnummer ska inte synas.")
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('beslut')")
    submit_name = page.evaluate("document.activeElement.textContent")
    assert "beslut" in submit_name
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/inkorg/{item_id}?sparat=1")
    assert "Beslutet är sparat." in page.locator("main").inner_text()
    decided = world.item(item_id)
    assert decided["status"] == "decided"
    assert set(decided["decisions"][0]["actions"]) == recommended
    assert decided["decisions"][0]["actor"] == "user:red@kommun.example"
    check_page(page, screenshots, "kommentar-beslutad")

    # A form without the session's CSRF token is refused and decides nothing.
    second = world.items(status="open")[0]["id"]
    refused = page.request.post(
        f"{base}/inkorg/{second}/beslut", form={"atgarder": "none", "motivering": "x"}, max_redirects=0
    )
    assert refused.status == 403
    assert world.item(second)["status"] == "open"


def test_a_conflicting_decision_is_explained_and_keeps_the_form(
    served: tuple[World, str], browser: Any, screenshots: Path
) -> None:
    world, base = served
    deliver(world, base, "1", INSULT)
    [item] = world.items()
    contexts = [browser.new_context(locale="sv-SE") for _ in range(2)]
    try:
        first, second = (c.new_page() for c in contexts)
        sign_in(first, login_url(world, base, "red@kommun.example"))
        sign_in(second, login_url(world, base, "red2@kommun.example"))
        first.goto(f"{base}/inkorg/{item['id']}")
        second.goto(f"{base}/inkorg/{item['id']}")
        # The second editor sees who holds the item.
        assert "red@kommun.example" in second.locator("#hanteras").inner_text()
        first.fill("#motivering", "Personangrepp.")
        first.get_by_role("button", name="Spara beslut").click()
        first.wait_for_url("**?sparat=1")

        second.fill("#motivering", "Mitt eget beslut, som inte får försvinna.")
        second.get_by_role("button", name="Spara beslut").click()
        summary = second.locator(".error-summary")
        summary.wait_for()
        assert "Någon annan hann" in summary.inner_text()
        # Nothing the second editor wrote is lost; the form now changes the new decision.
        assert second.input_value("#motivering") == "Mitt eget beslut, som inte får försvinna."
        assert second.get_by_role("button", name="Spara ändrat beslut").count() == 1
        second.watch = _Quiet()
        check_page(second, screenshots, "kommentar-konflikt")
        assert len(world.item(item["id"])["decisions"]) == 1
    finally:
        for context in contexts:
            context.close()


class _Quiet:
    def csp_violations(self) -> list[str]:
        return []


def test_registrar_registers_and_reads_the_log(
    served: tuple[World, str], page: Any, screenshots: Path
) -> None:
    world, base = served
    deliver(world, base, "1", PNR_TEXT)
    [item] = world.items()
    r = world.decide(item["id"], actions=item["recommended_actions"], reason="Personnummer ska inte synas.")
    assert r.status_code == 200, r.text
    sign_in(page, login_url(world, base, "reg@kommun.example", role="registrar"))
    page.get_by_role("link", name="Registrering").click()
    page.wait_for_url("**/registrering")
    assert "Inkommen kommentar på Facebook" in page.locator("h2").first.inner_text()
    check_page(page, screenshots, "registrering")

    package = page.request.get(
        base + page.get_by_role("link", name="Ladda ner paketet").first.get_attribute("href")
    )
    assert package.status == 200 and package.headers["content-type"] == "application/zip"

    field = page.get_by_label("Diarienummer för registrering")
    field.fill("inte ett nummer")
    page.get_by_role("button", name="Spara diarienummer").click()
    page.locator(".error-summary").wait_for()
    assert field.input_value() == "inte ett nummer"  # kept for correction
    check_page(page, screenshots, "registrering-fel")
    page.locator(".error-summary a").click()
    page.keyboard.press("Control+A")
    page.keyboard.type("KS 2026/123")
    page.keyboard.press("Enter")
    page.wait_for_url("**/registrering?sparat=1")
    registrations = world.client.get(
        "/v1/registrations", headers={"Authorization": f"Bearer {world.registrar}"}
    )
    assert registrations.json()["items"][0]["diarienummer"] == "KS 2026/123"

    page.get_by_role("link", name="Moderationslogg").click()
    page.wait_for_url("**/logg")
    assert "Loggen är hel" in page.locator("main").inner_text()
    assert "registration.registered" in page.locator("table").inner_text()
    check_page(page, screenshots, "logg")
    csv = page.request.get(f"{base}/logg.csv")
    assert csv.status == 200 and "registration.registered" in csv.text()

    # A public-records request: search by sender with the keyboard, open the evidence.
    page.get_by_role("link", name="Sök handlingar").click()
    page.wait_for_url("**/sok")
    check_page(page, screenshots, "sok")
    tab_to(page, "el.id === 'avsandare'")
    page.keyboard.type("testsson")
    page.keyboard.press("Enter")
    page.wait_for_url("**sok=1**")
    hit = page.locator("tr[data-comment]")
    assert hit.count() == 1 and "KS 2026/123" in hit.inner_text()
    check_page(page, screenshots, "sok-traffar")
    evidence = page.request.get(base + hit.get_by_role("link", name="Bevis").first.get_attribute("href"))
    assert evidence.status == 200 and evidence.headers["content-type"] == "application/pdf"
    page.get_by_label("Från och med").fill("2026-03-02")
    page.get_by_label("Till och med").fill("2026-03-01")
    page.get_by_role("button", name="Sök").click()
    page.locator(".error-summary a[href='#till']").wait_for()
    check_page(page, screenshots, "sok-fel")

    page.get_by_role("link", name="Konton").click()
    page.wait_for_url("**/konton")
    assert "Kommunen" in page.locator("main").inner_text()
    check_page(page, screenshots, "konton")


def test_an_editor_has_no_registrar_pages(served: tuple[World, str], page: Any, screenshots: Path) -> None:
    world, base = served
    used = login_url(world, base, "red@kommun.example")
    sign_in(page, used)
    assert page.get_by_role("link", name="Registrering").count() == 0
    for path in ("/registrering", "/logg", "/logg.csv", "/sok"):
        assert page.request.get(base + path).status == 403
    # The pages that say no are pages too: audited like the rest.
    page.goto(f"{base}/registrering")
    assert "Ingen behörighet" in page.locator("h1").inner_text()
    check_page(page, screenshots, "ingen-behorighet")
    page.goto(f"{base}/inkorg/999999")
    assert "Hittades inte" in page.locator("h1").inner_text()
    check_page(page, screenshots, "hittades-inte")
    page.goto(used)
    assert "Länken går inte att använda" in page.locator("h1").inner_text()
    check_page(page, screenshots, "lanken-anvand")


def test_sign_in_with_the_identity_provider_in_a_browser(
    world_factory: Any, provider: Any, page: Any, screenshots: Path
) -> None:
    port = free_port()
    world: World = world_factory(
        "helsingborg",
        oidc_issuer=provider.issuer,
        oidc_audience="uppsikt-api",
        oidc_jwks_url=f"{provider.issuer}/jwks",
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=SecretStr(CLIENT_SECRET),
        oidc_redirect_url=f"http://127.0.0.1:{port}/logga-in/oidc/callback",
    )
    provider.tamper = {}
    provider.person = {
        "email": "red@kommun.example",
        "email_verified": True,
        "uppsikt_tenant": world.tenant.name,
        "uppsikt_role": "editor",
    }
    with serve_app(world.client.app, port=port, lifespan="off") as base:
        page.goto(f"{base}/")
        check_page(page, screenshots, "startsida-oidc")
        page.get_by_role("link", name="Logga in med kommunens inloggning").click()
        page.wait_for_url(f"{base}/inkorg")
        assert "Inloggad som red@kommun.example (redaktör)" in page.locator("header").inner_text()
        cookie = next(c for c in page.context.cookies() if c["name"] == "uppsikt_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        # Sign out with the keyboard: the session ends on the server too.
        tab_to(page, "el.textContent.trim() === 'Logga ut'")
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base}/?utloggad=1")
        assert page.request.get(f"{base}/inkorg", max_redirects=0).status == 303


def test_everything_works_without_javascript(served: tuple[World, str], browser: Any) -> None:
    world, base = served
    deliver(world, base, "1", INSULT)
    [item] = world.items()
    context = browser.new_context(locale="sv-SE", java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, login_url(world, base, "red@kommun.example"))
        page.get_by_label("Kategori").select_option("harassment")
        page.get_by_role("button", name="Filtrera").click()
        page.wait_for_url("**kategori=harassment**")
        page.get_by_role("link", name=f"Kommentar {item['id']}").click()
        page.get_by_label("Ingen åtgärd").check()
        for action in item["recommended_actions"]:
            page.locator(f"input[name=atgarder][value={action}]").uncheck()
        page.get_by_label("Motivering").fill("Kritik mot kommunen får stå kvar.")
        page.get_by_role("group", name="Personangrepp, kränkningar och förtal").get_by_label("Fel").check()
        page.get_by_role("button", name="Spara beslut").click()
        page.wait_for_url("**?sparat=1")
    finally:
        context.close()
    decided = world.item(item["id"])
    assert decided["status"] == "decided" and decided["decisions"][0]["actions"] == ["none"]
    assert decided["decisions"][0]["labels"] == [{"category": "harassment", "verdict": "wrong"}]


def test_police_review_form_is_accessible(world_factory: Any, page: Any, screenshots: Path) -> None:
    world: World = world_factory("harjedalen")
    with serve(world.client.app) as base:
        deliver(world, base, "1", PNR_TEXT)
        [item] = world.items()
        assert (
            world.decide(item["id"], actions=item["recommended_actions"], reason="Riktlinjen.").status_code
            == 200
        )
        sign_in(page, login_url(world, base, "chef@kommun.example", role="account_owner"))
        page.get_by_role("link", name="Polisanmälan", exact=True).click()
        page.wait_for_url("**polis=1")
        check_page(page, screenshots, "polisanmalan-lista")
        page.get_by_role("link", name=f"Kommentar {item['id']}").click()
        page.wait_for_url(f"**/inkorg/{item['id']}")
        page.get_by_role("button", name="Spara prövningen").click()
        page.locator(".error-summary").wait_for()
        check_page(page, screenshots, "polisanmalan-fel")
        page.get_by_label("Ja, det är polisanmält").check()
        page.get_by_label("Motivering till prövningen").fill("Olaga hot mot anställd.")
        page.get_by_role("button", name="Spara prövningen").click()
        page.wait_for_url("**?sparat=1")
        check_page(page, screenshots, "polisanmalan-sparad")
    assert world.item(item["id"])["police_review"] == "reported"


def test_a_planted_session_id_is_replaced_at_sign_in(served: tuple[World, str], page: Any) -> None:
    world, base = served
    # The attacker opens a sign-in page of their own and gets an anonymous session id …
    attacker_link = login_url(world, base, "red2@kommun.example")
    planted = httpx.get(attacker_link).cookies["uppsikt_session"]
    # … and plants it in the victim's browser, who then signs in.
    page.context.add_cookies([{"name": "uppsikt_session", "value": planted, "url": base}])
    sign_in(page, login_url(world, base, "red@kommun.example"))
    current = next(c["value"] for c in page.context.cookies() if c["name"] == "uppsikt_session")
    assert current != planted
    with httpx.Client(base_url=base, cookies={"uppsikt_session": planted}) as attacker:
        assert attacker.get("/inkorg").status_code == 303
