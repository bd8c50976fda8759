"""A sender killed mid-send loses nothing and duplicates nothing.

The worker process marks the message ``sending`` and commits before it
calls the receiver; here it is killed (SIGKILL) while the receiver holds
the request open.  After the lease another worker cannot know whether the
message arrived and sends it again with the same ``webhook-id``: the
receiver keeps one copy, the row ends ``sent`` once, the log says so once.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from typing import Any

from tests.app.notifications.conftest import SECRET
from tests.e2e.server import server_env
from tests.factories import auth

SENDER = """
from app.db import make_engine, make_session_factory
from app.notifications.worker import MessageWorker
from app.settings import Settings

settings = Settings()
MessageWorker(make_session_factory(make_engine(settings)), settings, name="messages:doomed").run_once()
"""


def test_a_sender_killed_mid_send_loses_nothing_and_sends_one_message(notified: Any) -> None:
    n = notified("haparanda", message_lease_s=0.5)
    n.add_destination(name="Ärendesystem", kind="webhook", address=n.hook_url, secret=SECRET)
    n.world.comment(message="Det är ett stort hål i gatan utanför skolan, kan ni laga det?")
    n.world.process()
    [item] = n.world.items()
    r = n.world.decide(item["id"], actions=["refer", "forward"], reason="x", forward_to=["Ärendesystem"])
    assert r.status_code == 200, r.text
    n.receiver.hold = threading.Event()
    env = server_env(
        n.world.settings.database_url,
        UPPSIKT_SECRET_KEY="test-secret-key-for-tokens",
        UPPSIKT_MESSAGE_LEASE_S="0.5",
    )
    doomed = subprocess.Popen([sys.executable, "-c", SENDER], env=env)
    try:
        assert n.receiver.arrived.wait(60), "the sender never reached the receiver"
        [row] = n.rows("forward")
        assert (row.status, row.attempts) == ("sending", 1)  # marked before the send, committed
        doomed.kill()
        doomed.wait(10)
    finally:
        if doomed.poll() is None:
            doomed.kill()
            doomed.wait(10)
        n.receiver.hold.set()
    n.receiver.hold = None

    time.sleep(0.6)  # the dead sender's lease runs out
    [row] = n.send_until_settled("forward")
    assert (row.status, row.attempts) == ("sent", 2)
    assert [h["webhook-id"] for h, _ in n.receiver.requests] == [row.message_id] * 2
    assert list(n.receiver.accepted) == [row.message_id]  # the receiver keeps one copy
    entries = n.world.client.get("/v1/log", headers=auth(n.world.registrar), params={"limit": 1000}).json()
    sent = [
        e for e in entries["entries"] if e["action"] == "message.sent" and e["subject_id"] == row.message_id
    ]
    assert len(sent) == 1
    assert not [e for e in entries["entries"] if e["action"] == "message.failed"]
