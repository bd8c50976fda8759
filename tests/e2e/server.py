"""Run ``uppsikt serve`` as a real process for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    from tests.conftest import LINKEDIN_SECRET, META_SECRET, VERIFY_TOKEN

    env = {k: v for k, v in os.environ.items() if not k.startswith("UPPSIKT_")}
    env.update(
        {
            "UPPSIKT_DATABASE_URL": database_url,
            "UPPSIKT_META_APP_SECRETS": META_SECRET,
            "UPPSIKT_META_VERIFY_TOKEN": VERIFY_TOKEN,
            "UPPSIKT_LINKEDIN_CLIENT_SECRET": LINKEDIN_SECRET,
            "UPPSIKT_WORKER_POLL_INTERVAL_S": "0.05",
            "UPPSIKT_RETENTION_INTERVAL_S": "0",
            # Workers as fast as the API while another test process shares the cores; their
            # niceness itself is tested in tests/app/test_cli.py.
            "UPPSIKT_WORKER_NICE": "0",
            # Tests that poll must not trip the per-key rate limit (tests/app/auth covers it).
            "UPPSIKT_RATE_LIMIT_PER_MINUTE": "100000",
            "UPPSIKT_RATE_LIMIT_BURST": "10000",
            **extra,
        }
    )
    return env


def uppsikt(
    database_url: str,
    *args: str,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """``uppsikt ARGS…`` as an operator runs it: a new process on the test's database."""
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        env=server_env(database_url, **(env or {})),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@contextmanager
def running_server(
    database_url: str, *, port: int | None = None, timeout: float = 60.0, **extra: str
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = port or free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=server_env(database_url, **extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"server exited: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}"
                )
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("server did not start")
            time.sleep(0.1)
        yield proc, base
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stderr:
            proc.stderr.close()
