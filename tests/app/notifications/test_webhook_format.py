"""The outbound webhook formats: Standard Webhooks signatures and the Slack message shape."""

from __future__ import annotations

import base64
import json

import pytest

from app.destinations.service import parse_secrets
from app.errors import Unprocessable
from app.notifications.webhooks import sign, slack_message, standard_body

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
