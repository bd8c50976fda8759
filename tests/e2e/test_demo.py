"""``uppsikt serve --demo``, the README's first command: the printed sign-in links work.

The real command runs in an empty folder as a new user would start it; the test reads
what it prints, follows each person's link like a browser (confirm page, CSRF token,
session cookie) and checks that the person lands where their role works.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.e2e.server import free_port

REPO = Path(__file__).resolve().parents[2]
LINK = re.compile(
    r"^\s+(redaktör|registrator|kontoansvarig|administratör):\s+(http://\S+/logga-in/lank/\S+)$"
)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("UPPSIKT_")}
    env.update(
        PYTHONPATH=str(REPO),
        UPPSIKT_DATABASE_URL=f"sqlite:///{tmp_path / 'uppsikt.db'}",
        UPPSIKT_WORKER_NICE="0",
        UPPSIKT_RETENTION_INTERVAL_S="0",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--demo", "--host", "127.0.0.1", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout or []], daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    try:
        links: dict[str, str] = {}
        printed: list[str] = []
        deadline = time.monotonic() + 60
        while len(links) < 4:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"serve --demo printed no sign-in links: {printed}") from None
            printed.append(line)
            if found := LINK.match(line.rstrip("\n")):
                links[found[1]] = found[2]
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the demo server did not start"
            time.sleep(0.1)
        yield base, links
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


@contextmanager
def follow(link: str) -> Iterator[httpx.Client]:
    """Open the link, confirm on its page (with the form's CSRF token): a signed-in client."""
    with httpx.Client(timeout=10, follow_redirects=True) as client:
        yield _signed_in(client, link)


def _signed_in(client: httpx.Client, link: str) -> httpx.Client:
    page = client.get(link)
    assert page.status_code == 200, page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    signed_in = client.post(link, data={"csrf_token": csrf[1]})
    assert signed_in.status_code == 200 and str(signed_in.url).endswith("/inkorg"), signed_in.text
    return client


def test_serve_demo_prints_a_working_sign_in_link_per_person(demo: tuple[str, dict[str, str]]) -> None:
    base, links = demo
    assert all(link.startswith(base) for link in links.values())

    with follow(links["redaktör"]) as editor:
        inbox = editor.get(f"{base}/inkorg")
        assert "Inloggad som redaktor1@demo.example (redaktör)" in inbox.text
        assert "Demo kommun" in inbox.text  # the demo Page is this editor's to watch
        assert editor.get(f"{base}/registrering").status_code == 403

    with follow(links["registrator"]) as registrar:
        assert registrar.get(f"{base}/registrering").status_code == 200
        assert registrar.get(f"{base}/logg").status_code == 200

    with follow(links["kontoansvarig"]) as owner:
        assert "(kontoansvarig)" in owner.get(f"{base}/inkorg").text

    with follow(links["administratör"]) as admin:
        assert admin.get(f"{base}/egna-uppgifter").status_code == 200
        assert admin.get(f"{base}/mottagare").status_code == 200

    # Each link signs in once.
    with httpx.Client(timeout=10) as stranger:
        again = stranger.get(links["redaktör"])
    assert again.status_code == 404 and "redan använd" in again.text
