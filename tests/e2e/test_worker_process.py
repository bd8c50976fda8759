"""``uppsikt serve`` runs its worker as a supervised child process.

The worker used to be a thread of the API process and took the interpreter
lock from the event loop that acknowledges deliveries.  Now it is a process of
its own: at the configured niceness, restarted if it dies, stopped with the
server — and it stops by itself if the server is killed outright.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
import pytest

from tests.e2e.server import running_server
from tests.e2e.test_crash_safety import arrange, counts, wait_for
from tests.factories import feed_change, meta_json, page_delivery, sign_meta

pytestmark = pytest.mark.slow


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.extend(int(p) for p in text)
    return found


def worker_child(pid: int) -> int | None:
    for child in children(pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        except FileNotFoundError:
            continue
        if b"worker" in cmdline:
            return child
    return None


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def niceness(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def send(base: str, comment: str) -> None:
    body = meta_json(page_delivery(feed_change(comment=comment, message=f"Hej {comment}")))
    assert (
        httpx.post(f"{base}/webhooks/meta", content=body, headers=sign_meta(body), timeout=10).status_code
        == 200
    )


def test_the_worker_is_a_supervised_process(database_url: str) -> None:
    arrange(database_url)
    with running_server(database_url, UPPSIKT_WORKER_NICE="7") as (proc, base):
        wait_for(lambda: worker_child(proc.pid) is not None)
        first = worker_child(proc.pid)
        assert first is not None and first != proc.pid
        # The child lowers its own priority once it has started (acknowledgements go first).
        wait_for(lambda: niceness(first) == 7)
        assert niceness(proc.pid) == 0
        send(base, "a")
        wait_for(lambda: counts(database_url)["done"] == 1)

        os.kill(first, signal.SIGKILL)
        wait_for(lambda: worker_child(proc.pid) not in (None, first), timeout=20)
        second = worker_child(proc.pid)
        assert second is not None
        send(base, "b")
        # The new worker loads the classifier before it takes work: on a loaded 2-core
        # machine that alone can take 15-20 s.
        wait_for(lambda: counts(database_url)["done"] == 2, timeout=60)

        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    assert not alive(second)


def test_the_worker_stops_when_the_server_is_killed(database_url: str) -> None:
    arrange(database_url)
    with running_server(database_url) as (proc, _base):
        wait_for(lambda: worker_child(proc.pid) is not None)
        child = worker_child(proc.pid)
        assert child is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    deadline = time.monotonic() + 20
    while alive(child):
        assert time.monotonic() < deadline, "the orphaned worker kept running"
        time.sleep(0.1)


def test_worker_in_process_false_starts_no_worker(database_url: str) -> None:
    arrange(database_url)
    with running_server(database_url, UPPSIKT_WORKER_IN_PROCESS="false") as (proc, base):
        send(base, "c")
        time.sleep(1.0)
        assert worker_child(proc.pid) is None
        assert counts(database_url)["done"] == 0
