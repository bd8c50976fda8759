"""No secret and no personal data in any log line, during a full end-to-end run.

Everything a real installation writes is captured: the stderr of ``uppsikt serve`` and of
a separate ``uppsikt worker`` (at DEBUG), and every record of the in-process logging when the
same run goes through the app in this process.  The run touches every path that handles a
secret or a comment: both handshakes, signed deliveries carrying a personnummer and a
made-up name, a delivery with a bad signature, API calls with good and bad keys, and a
decision whose actions call the (fake) Graph API with the page's access token.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import create_engine

from app.actions.worker import ActionWorker
from app.assessment.service import default_classifier
from app.crypto import TokenCipher
from app.main import create_app
from app.unit_of_work import UnitOfWork
from app.worker.inbox import InboxWorker
from tests.conftest import make_settings
from tests.e2e.server import free_port, server_env
from tests.factories import (
    auth,
    create_account,
    create_key,
    create_tenant,
    feed_change,
    meta_json,
    page_delivery,
    sign_meta,
)
from tests.fakes.graph_api import FakeGraphAPI
from tests.fakes.server import serve
from tests.security.tenancy import skatteverket_personnummer

META_SECRET = "meta-app-secret-LOGSECRET-7f3a"
VERIFY_TOKEN = "verify-token-LOGSECRET-91c2"
LINKEDIN_SECRET = "linkedin-secret-LOGSECRET-44d0"
PAGE_TOKEN = "EAAG-page-token-LOGSECRET-5b8e"
SECRET_KEY = "fernet-source-LOGSECRET-0d17"
PAGE = "5550000000401"
PNR = skatteverket_personnummer(20)
AUTHOR = "Hemlig Författarsson"
NAMED_IN_TEXT = "Kalle Hemligsson"
TEXT = f"LOGMARKORTEXT min granne {NAMED_IN_TEXT} har personnummer {PNR}, ring honom"
BAD_SIGNATURE_TEXT = "LOGMARKORFORGED en förfalskad leverans"
UNKNOWN_KEY = "upk_nosuchkey_LOGSECRETKEYMATERIAL0000000000000000"


def forbidden_strings(api_keys: list[str]) -> list[str]:
    """Each secret and piece of personal data, also as a JSON log line would escape it."""
    plain = [
        META_SECRET,
        VERIFY_TOKEN,
        LINKEDIN_SECRET,
        PAGE_TOKEN,
        SECRET_KEY,
        UNKNOWN_KEY,
        *api_keys,
        *(key.split("_", 2)[2] for key in api_keys),  # the secret part alone
        "LOGMARKORTEXT",
        "LOGMARKORFORGED",
        PNR,
        PNR.replace("-", ""),
        AUTHOR,
        NAMED_IN_TEXT,
    ]
    escaped = [json.dumps(s)[1:-1] for s in plain]
    return sorted(set(plain + escaped))


def exercise(
    client: Any, keys: dict[str, str], graph: FakeGraphAPI, wait_for: Callable[[Callable[[], bool]], None]
) -> None:
    """One end-to-end run through ``client`` (a TestClient or an httpx.Client on a server)."""
    graph.add_comment(f"{PAGE}_780", "facebook", "Inlägg om skolskjutsen")
    graph.add_comment("780_secret1", "facebook", TEXT)
    hub = {"hub.mode": "subscribe", "hub.challenge": "31337"}
    assert client.get("/webhooks/meta", params={**hub, "hub.verify_token": VERIFY_TOKEN}).status_code == 200
    assert client.get("/webhooks/meta", params={**hub, "hub.verify_token": "fel-token"}).status_code == 403
    assert client.get("/webhooks/linkedin", params={"challengeCode": "abc-123"}).status_code == 200

    change = feed_change(comment="secret1", post="780", page_id=PAGE, message=TEXT)
    change["value"]["from"] = {"id": "5550009", "name": AUTHOR}
    body = meta_json(page_delivery(change, page_id=PAGE))
    assert (
        client.post("/webhooks/meta", content=body, headers=sign_meta(body, META_SECRET)).status_code == 200
    )
    forged = meta_json(page_delivery(feed_change(comment="forged", message=BAD_SIGNATURE_TEXT), page_id=PAGE))
    assert client.post("/webhooks/meta", content=forged, headers=sign_meta(forged, "fel")).status_code == 401
    linkedin_forged = b'{"notifications": [{"text": "LOGMARKORFORGED"}]}'
    r = client.post("/webhooks/linkedin", content=linkedin_forged, headers={"X-LI-Signature": "00" * 32})
    assert r.status_code == 401

    assert client.get("/v1/comments", headers=auth(UNKNOWN_KEY)).status_code == 401
    assert client.get("/v1/comments", headers={"Authorization": UNKNOWN_KEY}).status_code == 401

    def queued() -> bool:
        r = client.get("/v1/queue", headers=auth(keys["editor"]))
        return r.status_code == 200 and bool(r.json()["items"])

    wait_for(queued)
    [item] = client.get("/v1/queue", headers=auth(keys["editor"])).json()["items"]
    assert client.get(f"/v1/queue/{item['id']}", headers=auth(keys["editor"])).status_code == 200
    assert client.get("/v1/log", headers=auth(keys["registrar"])).status_code == 200
    assert client.get("/v1/log.csv", headers=auth(keys["registrar"])).status_code == 200
    assert (
        client.get("/v1/comments", params={"author": AUTHOR}, headers=auth(keys["registrar"])).status_code
        == 200
    )
    decision = client.post(
        f"/v1/queue/{item['id']}/decision",
        headers=auth(keys["editor"]),
        json={"actions": ["remove"], "reason": "Personnummer i kommentaren."},
    )
    assert decision.status_code == 200, decision.text

    def removed() -> bool:
        return graph.comment("780_secret1").deleted

    wait_for(removed)
    # The platform call carried the token (the fake checks it), so the secret path ran.
    assert any(c.token_valid and c.method == "DELETE" for c in graph.calls)


def arrange(url: str, settings_secret_key: str) -> dict[str, str]:
    engine = create_engine(url)
    try:
        with UnitOfWork(engine) as s:
            tenant = create_tenant(s, preset="helsingborg")
            account = create_account(s, tenant=tenant, external_id=PAGE, editors=("red@logg.example",))
            settings = make_settings(url, secret_key=SecretStr(settings_secret_key))
            account.access_token_ciphertext = TokenCipher(settings).encrypt(PAGE_TOKEN)
            s.commit()
            return {
                "editor": create_key(s, tenant=tenant, role="editor", subject="red@logg.example"),
                "registrar": create_key(s, tenant=tenant, role="registrar"),
            }
    finally:
        engine.dispose()


def polling(
    timeout: float = 30.0, step: Callable[[], None] | None = None
) -> Callable[[Callable[[], bool]], None]:
    def wait_for(predicate: Callable[[], bool]) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if step is not None:
                step()
            if predicate():
                return
            assert time.monotonic() < deadline, f"{predicate.__name__} not reached in time"
            time.sleep(0.1)

    return wait_for


def find(text: str, forbidden: list[str]) -> list[str]:
    return [s for s in forbidden if s in text]


# -- real processes --------------------------------------------------------------------------


@contextmanager
def processes(url: str, graph_url: str, logs: Path) -> Iterator[str]:
    port = free_port()
    env = server_env(
        url,
        UPPSIKT_META_APP_SECRETS=META_SECRET,
        UPPSIKT_META_VERIFY_TOKEN=VERIFY_TOKEN,
        UPPSIKT_LINKEDIN_CLIENT_SECRET=LINKEDIN_SECRET,
        UPPSIKT_SECRET_KEY=SECRET_KEY,
        UPPSIKT_META_GRAPH_URL=graph_url,
        UPPSIKT_WORKER_IN_PROCESS="false",
        UPPSIKT_LOG_LEVEL="DEBUG",
        UPPSIKT_ACTION_BACKOFF_BASE_S="0.05",
        UPPSIKT_ACTION_BACKOFF_CAP_S="0.1",
    )
    started = []
    for name, argv in (
        ("api", ["serve", "--host", "127.0.0.1", "--port", str(port)]),
        ("worker", ["worker"]),
    ):
        with (logs / f"{name}.log").open("wb") as err:
            started.append(
                subprocess.Popen(
                    [sys.executable, "-m", "app.cli", *argv], env=env, stdout=subprocess.DEVNULL, stderr=err
                )
            )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the API did not start"
            time.sleep(0.1)
        yield base
    finally:
        for proc in started:
            proc.terminate()
        for proc in started:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.mark.slow
def test_no_secret_or_personal_data_in_the_logs_of_serve_and_worker(
    database_url: str, tmp_path: Path
) -> None:
    keys = arrange(database_url, SECRET_KEY)
    fake = FakeGraphAPI(valid_token=PAGE_TOKEN, timeout_delay=0.5)
    with serve(fake.app) as graph_url, processes(database_url, graph_url, tmp_path) as base:
        with httpx.Client(base_url=base, timeout=10) as client:
            exercise(client, keys, fake, polling())
        time.sleep(0.3)  # let the last log lines reach the files
    api_log = (tmp_path / "api.log").read_text(encoding="utf-8", errors="replace")
    worker_log = (tmp_path / "worker.log").read_text(encoding="utf-8", errors="replace")
    # The logs are really there and cover the paths that handle secrets and comments.
    assert "webhook.delivery.rejected" in api_log
    assert "worker.batch.processed" in worker_log
    assert "actions.result" in worker_log
    forbidden = forbidden_strings(list(keys.values()))
    assert not find(api_log, forbidden), [line for line in api_log.splitlines() if find(line, forbidden)][:5]
    assert not find(worker_log, forbidden), [
        line for line in worker_log.splitlines() if find(line, forbidden)
    ][:5]


# -- in process ------------------------------------------------------------------------------


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name == "httpx2" and "http://testserver/" in record.getMessage():
            return  # the test's own client logging the URLs it calls, not the service
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name} {text}")


@pytest.fixture
def all_logging() -> Iterator[_Collect]:
    collect = _Collect()
    root = logging.getLogger()
    level = root.level
    quiet = {
        name: logging.getLogger(name).level for name in ("httpx", "httpcore", "httpx2", "uvicorn.access")
    }
    root.addHandler(collect)
    root.setLevel(logging.DEBUG)
    for name in quiet:
        # Even the chatty libraries at DEBUG: a client that logged a URL with a token would show.
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield collect
    finally:
        root.removeHandler(collect)
        root.setLevel(level)
        for name, old in quiet.items():
            logging.getLogger(name).setLevel(old)


def test_no_secret_or_personal_data_in_in_process_logging(database_url: str, all_logging: _Collect) -> None:
    keys = arrange(database_url, SECRET_KEY)
    fake = FakeGraphAPI(valid_token=PAGE_TOKEN, timeout_delay=0.5)
    with serve(fake.app) as graph_url:
        settings = make_settings(
            database_url,
            meta_app_secrets=SecretStr(META_SECRET),
            meta_verify_token=SecretStr(VERIFY_TOKEN),
            linkedin_client_secret=SecretStr(LINKEDIN_SECRET),
            secret_key=SecretStr(SECRET_KEY),
            meta_graph_url=graph_url,
            log_level="DEBUG",
            action_backoff_base_s=0.02,
            action_backoff_cap_s=0.05,
            rate_limit_per_minute=0,
        )
        app = create_app(settings)
        # create_app configures logging (the first time it replaces the root handlers):
        # attach after it, at DEBUG, and count from here.
        root = logging.getLogger()
        if all_logging not in root.handlers:
            root.addHandler(all_logging)
        root.setLevel(logging.DEBUG)
        all_logging.lines.clear()
        with TestClient(app) as client:
            worker = InboxWorker(app.state.session_factory, settings, classify=default_classifier())
            actions = ActionWorker(app.state.session_factory, settings, name="actions:logs")

            def step() -> None:
                worker.run_until_idle()
                actions.run_until_idle()

            try:
                exercise(client, keys, fake, polling(step=step))
            finally:
                actions.close()
    text = "\n".join(all_logging.lines)
    assert "worker.batch.processed" in text and "webhook.delivery.rejected" in text
    forbidden = forbidden_strings(list(keys.values()))
    leaks = [line for line in all_logging.lines if find(line, forbidden)]
    assert not leaks, leaks[:5]
