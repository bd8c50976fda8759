"""What the remote-model tests share: the settings, the texts, and an endpoint that answers raw bytes.

``tests.fakes.text_classifier`` answers well-formed scores; the answers that must not
be trusted (an integer of 400 digits, nesting deeper than the parser goes, a body of
megabytes, one byte at a time) are bytes that JSONResponse would never write.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from app.settings import Settings

RUDE = "Du är en riktig idiot och borde skämmas, Testa Testsson"
MILD = "Tack för att ni plogade Storgatan så snabbt i morse"
PNR = "Mitt personnummer är 19121212-1212 och du är en idiot"
#: The built-in model finds hate speech and harassment in it.
SLUR = "Du är en riktig idiot och jävla svartskalle"
TOKEN = "remote-model-token"
TENANT = "kommun"  # tests.factories.create_tenant's default name


def remote_settings(url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "remote_model_url": url,
        "remote_model_token": SecretStr(TOKEN),
        "remote_model_categories": "harassment,hate_speech",
        "remote_model_labels": "toxic=harassment",
        "remote_model_timeout_s": 0.5,
        "remote_model_pause_s": 60.0,
        "remote_model_name": "kb-bert-test",
        "remote_model_tenants": TENANT,
    }
    values.update(overrides)
    return Settings(**values)


class RawEndpoint:
    """``POST /predict`` answers ``body`` with ``status``; with ``gap_s`` one byte at a time."""

    def __init__(self) -> None:
        self.status = 200
        self.body = b"[]"
        self.gap_s = 0.0
        #: Sent as ``Content-Encoding`` when set (the body is then already encoded).
        self.encoding: str | None = None
        self.requests = 0
        #: The ``Accept-Encoding`` of the latest request.
        self.accept_encoding: str | None = None
        #: When a trickled answer stopped being sent (finished, or the client went away).
        self.stopped_at: float | None = None
        self.app = Starlette(routes=[Route("/predict", self._predict, methods=["POST"])])

    async def _predict(self, request: Request) -> Response:
        await request.body()
        self.requests += 1
        self.accept_encoding = request.headers.get("accept-encoding")
        if self.gap_s:
            return StreamingResponse(self._trickle(), media_type="application/json")
        headers = {"Content-Encoding": self.encoding} if self.encoding else None
        return Response(self.body, status_code=self.status, media_type="application/json", headers=headers)

    async def _trickle(self) -> AsyncIterator[bytes]:
        try:
            for i in range(len(self.body)):
                yield self.body[i : i + 1]
                await asyncio.sleep(self.gap_s)
        finally:
            self.stopped_at = time.monotonic()
