"""Browser tests: Debian's Chromium driven by Playwright against the app served by uvicorn.

The browser is the system's ``chromium`` (never a download by ``playwright install``).
Outside CI a machine without it skips these tests with the reason; under ``CI=true`` a
missing browser fails them, so CI never passes by running none.

Every page a test visits can be audited with axe-core (vendored in ``vendor/``, injected
through the DevTools protocol, which the page's Content-Security-Policy does not govern)
and photographed into the session's temporary folder.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.server import serve

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
#: Impacts that fail an audit.
FAILING_IMPACTS = ("serious", "critical")


def chromium_executable() -> str:
    """The system Chromium, or a skip (a failure under CI) naming what is missing."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    reason = "no chromium on PATH: install it with 'apt-get install -y chromium' (.ci/run does)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = chromium_executable()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            # Root in a container has no user namespaces for Chromium's sandbox.
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        try:
            yield launched
        finally:
            launched.close()


class PageWatch:
    """A page and what its console said (CSP violations arrive there)."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def csp_violations(self) -> list[str]:
        return [e for e in self.errors if "Content Security Policy" in e]


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    context.set_default_timeout(10_000)
    new_page = context.new_page()
    new_page.watch = PageWatch(new_page)
    try:
        yield new_page
    finally:
        context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where each page's photograph goes for people to look at after a run:
    ``test-output/screenshots/`` in the repository (ignored by git), or under
    ``UPPSIKT_TEST_OUTPUT``.  A later run overwrites the same page's picture."""
    base = Path(os.environ.get("UPPSIKT_TEST_OUTPUT") or Path(__file__).resolve().parents[2] / "test-output")
    folder = base / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def audit(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now (WCAG 2.x A/AA)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in FAILING_IMPACTS
    ]


def heading_levels(page: Any) -> list[int]:
    return [
        int(tag[1])
        for tag in page.locator("h1, h2, h3, h4, h5, h6").evaluate_all(
            "els => els.map(e => e.tagName.toLowerCase())"
        )
    ]


def overflow_at_200_percent(page: Any, screenshots: Path, name: str) -> int:
    """How many CSS pixels the page scrolls sideways at 200 % zoom on a 1280-pixel screen.

    Zooming to 200 % halves the viewport in CSS pixels, so a 640-pixel-wide viewport is
    what the page lays out for; content must reflow instead of running off the side
    (WCAG 1.4.4 and 1.4.10).  Wide tables scroll inside their own focusable region.
    """
    size = page.viewport_size
    page.set_viewport_size({"width": 640, "height": 720})
    try:
        page.screenshot(path=str(screenshots / f"{name}-200procent.png"), full_page=True)
        return int(
            page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        )
    finally:
        page.set_viewport_size(size)


def check_page(page: Any, screenshots: Path, name: str) -> None:
    """Screenshot, then fail on accessibility violations, headings out of order, CSP reports,
    and on sideways scrolling at 200 % zoom."""
    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)
    overflow = overflow_at_200_percent(page, screenshots, name)
    assert overflow <= 0, f"{name}: {overflow} px wider than the window at 200 % zoom"
    violations = audit(page)
    assert violations == [], f"{name}: axe-core violations {violations}"
    levels = heading_levels(page)
    # One h1; an error summary's h2 may come before it (GOV.UK puts the summary first).
    assert levels.count(1) == 1, f"{name}: headings {levels}"
    steps = [b - a for a, b in itertools.pairwise(levels)]
    assert all(step <= 1 for step in steps), f"{name}: a heading level is skipped in {levels}"
    assert page.evaluate("document.documentElement.lang") == "sv", name
    assert page.locator("a.skip-link[href='#innehall']").count() == 1, name
    assert page.watch.csp_violations() == [], f"{name}: {page.watch.csp_violations()}"


@contextmanager
def serve_app(
    app: Any, *, port: int = 0, lifespan: str = "on", startup_timeout: float = 30.0
) -> Iterator[str]:
    """Serve the application with uvicorn in a thread; yield its base URL.

    ``lifespan="off"`` serves an app whose lifespan already runs (a test client's), on
    the same engine; ``port`` is for a test that must know the address in advance.
    """
    with serve(app, port=port, lifespan=lifespan, startup_timeout=startup_timeout) as base:
        yield base


@pytest.fixture(scope="module")
def provider() -> Iterator[Any]:
    """A fake OpenID Connect provider over real HTTP."""
    from tests.fakes.oidc_provider import FakeOidcProvider
    from tests.fakes.server import serve

    fake = FakeOidcProvider()
    with serve(fake.app) as url:
        fake.issuer = url
        yield fake


# The queue's world (a service wired to fake platform APIs, real classifiers) for the inbox tests.
from tests.app.queue.conftest import graph, linkedin_api, world_factory  # noqa: E402, F401
