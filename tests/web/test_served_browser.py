"""The whole path in a browser against the real ``uppsikt serve`` process and its worker.

Nothing runs in the test's process but the browser and the fake Graph API: the sign-in
link comes from ``uppsikt login-link``, the signed delivery goes over HTTP to the served
webhook, the supervised worker process assesses it, the editor sees it arrive without a
reload, decides by keyboard alone, and the fake Graph API receives exactly one DELETE.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from app import schema
from app.crypto import TokenCipher
from app.db import make_engine, make_session_factory
from tests.conftest import make_settings
from tests.e2e.server import running_server, server_env
from tests.factories import create_account, create_tenant, feed_change, meta_json, page_delivery, sign_meta
from tests.fakes.graph_api import FakeGraphAPI
from tests.fakes.server import serve
from tests.web.conftest import check_page
from tests.web.test_inbox_browser import tab_to

PAGE = "5550000000031"
SECRET_KEY = "served-browser-test-key"
TOKEN = "EAAG-served-browser-page-token"
EDITOR = ("--role", "editor", "--base-url")
THREAT = "Jag vet var du bor och jag ska döda dig"


@pytest.fixture
def graph() -> Iterator[tuple[FakeGraphAPI, str]]:
    fake = FakeGraphAPI(valid_token=TOKEN)
    with serve(fake.app) as url:
        yield fake, url


def login_link(database_url: str, base: str, tenant: str, subject: str) -> str:
    """A link printed by the real command, as an operator would send it."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.cli",
            "login-link",
            "--tenant",
            tenant,
            "--subject",
            subject,
            *EDITOR,
            base,
        ],
        env=server_env(database_url),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def test_a_comment_from_webhook_to_platform_delete_in_the_browser(
    database_url: str, graph: tuple[FakeGraphAPI, str], page: Any, screenshots: Path
) -> None:
    fake, graph_url = graph
    schema.upgrade(database_url)
    settings = make_settings(database_url, meta_graph_url=graph_url, secret_key=SecretStr(SECRET_KEY))
    engine = make_engine(settings)
    try:
        with make_session_factory(engine)() as s:
            tenant = create_tenant(s, name="serverad", preset="malmo")
            account = create_account(s, tenant=tenant, external_id=PAGE, editors=("red1@example.se",))
            account.access_token_ciphertext = TokenCipher(settings).encrypt(TOKEN)
            s.commit()
    finally:
        engine.dispose()

    extra = {"UPPSIKT_META_GRAPH_URL": graph_url, "UPPSIKT_SECRET_KEY": SECRET_KEY}
    with running_server(database_url, **extra) as (_, base):
        page.goto(login_link(database_url, base, "serverad", "red1@example.se"))
        tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Logga in'")
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base}/inkorg")
        page.evaluate("window.__same_page = true")

        fake.add_comment("880_1", "facebook", THREAT)
        body = meta_json(
            page_delivery(feed_change(comment="1", post="880", page_id=PAGE, message=THREAT), page_id=PAGE)
        )
        assert (
            httpx.post(f"{base}/webhooks/meta", content=body, headers=sign_meta(body), timeout=10).status_code
            == 200
        )

        # The worker process assesses it; the open inbox shows it without a reload.
        row = page.locator("#inkorg tbody tr[data-item]").first
        row.wait_for(timeout=20_000)
        assert page.evaluate("window.__same_page") is True
        assert "döda dig" in row.inner_text()
        check_page(page, screenshots, "serverad-inkorg")
        item_id = row.get_attribute("data-item")

        tab_to(page, f"el.getAttribute('href') === '/inkorg/{item_id}'")
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/inkorg/{item_id}")
        # Only removal: untick whatever the policy preselected, tick "Ta bort", by keyboard.
        preselected = page.locator("input[name=atgarder]:checked").evaluate_all(
            "els => els.map(e => e.value)"
        )
        for value in preselected:
            tab_to(page, f"el.name === 'atgarder' && el.value === '{value}'")
            page.keyboard.press("Space")
        tab_to(page, "el.name === 'atgarder' && el.value === 'remove'")
        page.keyboard.press("Space")
        tab_to(page, "el.id === 'motivering'")
        page.keyboard.type("Hot mot en anställd tas bort.")
        tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('beslut')")
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/inkorg/{item_id}?sparat=1")

        # The worker process carries the removal out: one DELETE, then the item shows it done.
        deadline = time.monotonic() + 20
        while not [c for c in fake.calls if c.method == "DELETE"]:
            assert time.monotonic() < deadline, "the platform never received the DELETE"
            time.sleep(0.1)
        time.sleep(1.0)  # a second DELETE would have had time to arrive
        deletes = [c for c in fake.calls if c.method == "DELETE"]
        assert len(deletes) == 1 and deletes[0].path.endswith("/880_1")
        assert fake.comment("880_1").deleted
        for _ in range(50):
            page.reload()
            if "Utförd" in page.locator("main").inner_text():
                break
            time.sleep(0.2)
        assert "Utförd" in page.locator("main").inner_text()
        check_page(page, screenshots, "serverad-beslutad")
