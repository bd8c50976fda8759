"""/docs works offline: Swagger UI from our own files under a policy that allows only them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.web.assets import DOCS_CSP
from tests.conftest import make_settings
from tests.web.conftest import serve_app

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@SQLITE_ONLY
def test_docs_render_the_operations_in_a_real_browser(
    page: Any, database_url: str, screenshots: Path
) -> None:
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    with serve_app(create_app(make_settings(database_url))) as base:
        response = page.goto(f"{base}/docs")
        assert response is not None and response.headers["content-security-policy"] == DOCS_CSP
        page.locator(".opblock").first.wait_for()
        summaries = page.locator(".opblock-summary-path").all_inner_texts()
        page.screenshot(path=str(screenshots / "docs.png"), full_page=True)
    assert any(path.startswith("/v1/queue") for path in summaries), summaries
    assert len(summaries) > 20
    # Nothing came from anywhere but the service, and the policy blocked nothing it needed.
    assert requested and all(url.startswith(base) for url in requested), requested
    assert page.watch.csp_violations() == []


@SQLITE_ONLY
def test_docs_page_names_only_its_own_assets(database_url: str) -> None:
    with TestClient(create_app(make_settings(database_url))) as client:
        html = client.get("/docs").text
        assert "cdn" not in html.lower() and "https://" not in html
        assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
        assert client.get("/static/swagger/LICENSE").status_code == 404  # only asset types
        assert client.get("/static/..%2F..%2Fsettings.py").status_code == 404
