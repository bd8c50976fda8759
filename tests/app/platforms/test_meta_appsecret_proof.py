"""``appsecret_proof`` on every Graph call, against a fake that requires it (code 100 like Graph)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator

import pytest

from app.platforms.errors import PlatformPermanentError
from app.platforms.meta.client import MetaGraphClient, appsecret_proof
from tests.fakes.graph_api import FakeGraphAPI
from tests.fakes.server import serve

TOKEN = "EAAG-fake-page-token"
SECRET = "app-secret-for-proofs"
FB_ID = "1122334455_667788"


@pytest.fixture(scope="module")
def fake_server() -> Iterator[tuple[FakeGraphAPI, str]]:
    fake = FakeGraphAPI(valid_token=TOKEN)
    with serve(fake.app) as base_url:
        yield fake, base_url


@pytest.fixture
def fake(fake_server: tuple[FakeGraphAPI, str]) -> FakeGraphAPI:
    fake = fake_server[0]
    fake.reset()
    fake.require_appsecret_proof = SECRET
    fake.add_comment(FB_ID, "facebook", "Hej")
    return fake


def test_proof_is_hex_hmac_sha256_of_the_token_keyed_by_the_secret() -> None:
    expected = hmac.new(SECRET.encode(), TOKEN.encode(), hashlib.sha256).hexdigest()
    assert appsecret_proof(TOKEN, SECRET.encode()) == expected


def test_every_call_carries_the_proof_and_is_accepted(
    fake: FakeGraphAPI, fake_server: tuple[FakeGraphAPI, str]
) -> None:
    with MetaGraphClient(base_url=fake_server[1], app_secret=SECRET.encode()) as client:
        client.get_comment(FB_ID, platform="facebook", access_token=TOKEN)
        client.hide_comment(FB_ID, platform="facebook", hidden=True, access_token=TOKEN)
        client.reply(FB_ID, platform="facebook", message="Tack!", access_token=TOKEN)
        client.delete_comment(FB_ID, access_token=TOKEN)

    assert len(fake.calls) == 4
    proof = appsecret_proof(TOKEN, SECRET.encode())
    assert all(call.query.get("appsecret_proof") == proof for call in fake.calls)
    assert fake.comment(FB_ID).deleted


def test_a_call_without_the_proof_is_refused(
    fake: FakeGraphAPI, fake_server: tuple[FakeGraphAPI, str]
) -> None:
    with MetaGraphClient(base_url=fake_server[1]) as client, pytest.raises(PlatformPermanentError) as info:
        client.hide_comment(FB_ID, platform="facebook", hidden=True, access_token=TOKEN)

    assert info.value.code == "appsecret_proof"
    assert "UPPSIKT_META_APP_SECRETS" in info.value.reason
    assert fake.comment(FB_ID).hidden is False


def test_a_wrong_proof_is_refused(fake: FakeGraphAPI, fake_server: tuple[FakeGraphAPI, str]) -> None:
    with (
        MetaGraphClient(base_url=fake_server[1], app_secret=b"another-apps-secret") as client,
        pytest.raises(PlatformPermanentError) as info,
    ):
        client.delete_comment(FB_ID, access_token=TOKEN)

    assert info.value.code == "appsecret_proof"
    assert fake.comment(FB_ID).deleted is False
