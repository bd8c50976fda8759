"""A fake text-classification endpoint (Hugging Face text-embeddings-inference ``/predict`` shape).

``POST /predict`` with ``{"inputs": text}`` answers ``[{"label": …, "score": …}, …]``
(https://huggingface.github.io/text-embeddings-inference/ — "predict").  The test sets
the scores per text, and can make the next answers fail, hang or talk nonsense.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Literal

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

Fault = Literal["500", "hang", "nonsense"]


class FakeTextClassifier:
    def __init__(self, *, token: str = "", hang_s: float = 3.0) -> None:
        self.token = token
        self.hang_s = hang_s
        #: text -> [(label, score)]; any other text gets ``default``.
        self.answers: dict[str, list[tuple[str, float]]] = {}
        self.default: list[tuple[str, float]] = [("harassment", 0.01)]
        self.requests: list[dict[str, Any]] = []
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self.app = Starlette(routes=[Route("/predict", self._predict, methods=["POST"])])

    def fail_next(self, n: int, kind: Fault) -> None:
        with self._lock:
            self._faults.extend([kind] * n)

    async def _predict(self, request: Request) -> Response:
        body = await request.json()
        with self._lock:
            self.requests.append({"body": body, "authorization": request.headers.get("authorization")})
            fault = self._faults.pop(0) if self._faults else None
        if self.token and request.headers.get("authorization") != f"Bearer {self.token}":
            return JSONResponse({"error": "Unauthorized"}, status_code=401)
        if fault == "500":
            return JSONResponse({"error": "model overloaded"}, status_code=500)
        if fault == "hang":
            await asyncio.sleep(self.hang_s)
        if fault == "nonsense":
            return JSONResponse([{"label": "harassment", "score": 7}])
        scores = self.answers.get(str(body.get("inputs")), self.default)
        return JSONResponse([{"label": label, "score": score} for label, score in scores])
