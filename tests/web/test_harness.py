"""The browser harness itself: the system Chromium runs, axe-core finds what it should."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.main import create_app
from tests.conftest import make_settings
from tests.web.conftest import audit, serve_app

GOOD = """<!doctype html><html lang="sv"><head><title>Prov</title></head><body>
<main><h1>Prov</h1><form><label for="q">Sök</label><input id="q" name="q"></form></main></body></html>"""
BAD = """<!doctype html><html><head><title>Prov</title></head><body>
<main><h1>Prov</h1><form><input name="q"><img src="x.png"></form></main></body></html>"""


def test_axe_passes_a_labelled_form(page: Any) -> None:
    page.set_content(GOOD)
    assert audit(page) == []


def test_axe_finds_an_unlabelled_control_and_a_missing_language(page: Any) -> None:
    page.set_content(BAD)
    found = {v["id"] for v in audit(page)}
    assert {"label", "html-has-lang", "image-alt"} <= found


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_browser_reaches_the_app_served_by_uvicorn(page: Any, database_url: str, tmp_path: Path) -> None:
    with serve_app(create_app(make_settings(database_url))) as base:
        response = page.goto(f"{base}/healthz")
        assert response is not None and response.status == 200
        assert '"ok"' in page.content()


def test_a_missing_browser_fails_under_ci_and_skips_with_the_reason_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.web import conftest

    monkeypatch.setattr(conftest.shutil, "which", lambda _name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install -y chromium"):
        conftest.chromium_executable()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="no chromium on PATH"):
        conftest.chromium_executable()
