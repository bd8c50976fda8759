"""A receiver of Standard Webhooks that verifies like a real one.

It checks ``webhook-signature`` against its own secrets (any one matching
``v1,`` signature passes, as during a rotation), refuses stale timestamps,
and keeps each ``webhook-id`` once, so a test can tell a resend after an
unknown outcome (same id, dropped) from a duplicate (a new id).  ``statuses``
makes the next requests answer an error; ``hold`` keeps a request open until
released, as a receiver that hangs while the sender dies.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def verify(secret: str, headers: dict[str, str], body: bytes, *, tolerance_s: int = 300) -> bool:
    """Standard Webhooks verification, written from the specification."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    msg_id, timestamp = headers.get("webhook-id", ""), headers.get("webhook-timestamp", "")
    if not msg_id or not timestamp.isdigit() or abs(time.time() - int(timestamp)) > tolerance_s:
        return False
    expected = base64.b64encode(
        hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    ).decode()
    for candidate in headers.get("webhook-signature", "").split(" "):
        version, _, signature = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            return True
    return False


@dataclass
class FakeReceiver:
    secret: str | None = None
    #: Every request, verified or not: (headers, body).
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    #: Accepted messages by webhook-id (first copy only).
    accepted: dict[str, dict[str, Any]] = field(default_factory=dict)
    statuses: list[int] = field(default_factory=list)
    hold: threading.Event | None = None
    arrived: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def app(self) -> Starlette:
        return Starlette(routes=[Route("/hook", self._hook, methods=["POST"])])

    async def _hook(self, request: Request) -> Response:
        body = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        with self.lock:
            self.requests.append((headers, body))
        self.arrived.set()
        if self.hold is not None:
            import anyio

            await anyio.to_thread.run_sync(self.hold.wait)
        with self.lock:
            if self.statuses:
                return Response(status_code=self.statuses.pop(0))
        if self.secret is not None and not verify(self.secret, headers, body):
            return Response(status_code=401)
        with self.lock:
            key = headers.get("webhook-id") or f"unsigned-{len(self.requests)}"
            self.accepted.setdefault(key, json.loads(body))
        return Response(status_code=204)
