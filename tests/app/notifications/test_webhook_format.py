"""The outbound webhook formats: Standard Webhooks signatures and the Slack message shape."""

from __future__ import annotations

import asyncio
import base64
import json
import threading
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from app.destinations.service import parse_secrets
from app.errors import Unprocessable
from app.notifications import webhooks
from app.notifications.webhooks import sign, slack_message, standard_body
from tests.fakes.server import serve

# The example in the Standard Webhooks specification's reference implementations.
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_BODY = b'{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_signature_matches_the_specification_example() -> None:
    keys = parse_secrets(SPEC_SECRET)
    assert sign(keys, message_id=SPEC_ID, timestamp=SPEC_TIMESTAMP, body=SPEC_BODY) == SPEC_SIGNATURE


def test_rotation_signs_with_every_secret() -> None:
    other = "whsec_" + base64.b64encode(b"k" * 32).decode()
    signature = sign(
        parse_secrets(f"{other}  {SPEC_SECRET}"), message_id=SPEC_ID, timestamp=SPEC_TIMESTAMP, body=SPEC_BODY
    )
    first, second = signature.split(" ")
    assert second == SPEC_SIGNATURE and first.startswith("v1,") and first != second


@pytest.mark.parametrize("secret", ["", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_###", "whsec_" + "QUJD"])
def test_secrets_that_cannot_sign_are_refused(secret: str) -> None:
    with pytest.raises(Unprocessable):
        parse_secrets(secret)


def test_bodies_are_json_of_the_documented_shapes() -> None:
    body = json.loads(
        standard_body(event_type="comment.forwarded", created_at="2026-12-03T08:00:00+00:00", data={"a": 1})
    )
    assert body == {"type": "comment.forwarded", "timestamp": "2026-12-03T08:00:00+00:00", "data": {"a": 1}}
    slack = slack_message(
        title="Brådskande i Uppsikt", text="Ärende 7.", link="https://uppsikt.example/inkorg/7"
    )
    assert slack["text"] == "Brådskande i Uppsikt"
    assert [b["type"] for b in slack["blocks"]] == ["header", "section", "section"]
    assert slack["blocks"][0]["text"] == {"type": "plain_text", "text": "Brådskande i Uppsikt"}
    assert slack["blocks"][2]["text"]["text"] == "<https://uppsikt.example/inkorg/7|Öppna i Uppsikt>"


def test_a_receiver_whose_answer_never_ends_does_not_hold_the_worker() -> None:
    """The receiver accepts, then trickles a body for ten seconds: httpx's per-read timeout
    never fires on it, so only not reading the body keeps the send short."""

    async def trickle() -> AsyncIterator[bytes]:
        for _ in range(500):
            yield b" "
            await asyncio.sleep(0.02)

    async def hook(request: Request) -> Response:
        await request.body()
        return StreamingResponse(trickle(), status_code=200, media_type="application/json")

    app = Starlette(routes=[Route("/hook", hook, methods=["POST"])])
    with serve(app) as url, httpx.Client(timeout=1.0) as client:
        outcome: list[object] = []

        def send_once() -> None:
            try:
                outcome.append(webhooks.post(client, f"{url}/hook", b"{}"))
            except Exception as exc:  # shown by the assertion below
                outcome.append(exc)

        send = threading.Thread(target=send_once, daemon=True)
        send.start()
        send.join(timeout=3.0)
        assert not send.is_alive(), "the send waited for the receiver's body"
        assert outcome == [None]  # delivered: a 200 is success, whatever its body
