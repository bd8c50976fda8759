"""MetaGraphClient against the fake Graph API over real HTTP, plus header-parsing units."""

from __future__ import annotations

import json
import random
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from app.platforms.errors import (
    USAGE_EXHAUSTED_WAIT_S,
    PlatformPermanentError,
    PlatformTransientError,
    compute_backoff,
    retry_after_from_headers,
)
from app.platforms.meta.client import MetaGraphClient
from tests.fakes.graph_api import FakeGraphAPI
from tests.fakes.server import serve

TOKEN = "EAAG-fake-page-token"
WRONG_TOKEN = "EAAG-expired-token-0123456789"
FB_ID = "1122334455_667788"
IG_ID = "17865799348089039"
CLIENT_TIMEOUT = 0.3


@pytest.fixture(scope="module")
def fake_server() -> Iterator[tuple[FakeGraphAPI, str]]:
    fake = FakeGraphAPI(valid_token=TOKEN, timeout_delay=1.0, retry_after=120, throttle_minutes=2)
    with serve(fake.app) as base_url:
        yield fake, base_url


@pytest.fixture
def fake(fake_server: tuple[FakeGraphAPI, str]) -> FakeGraphAPI:
    fake_server[0].reset()
    fake_server[0].add_comment(FB_ID, "facebook", "Du är en idiot")
    fake_server[0].add_comment(IG_ID, "instagram", "Köp billiga solglasögon här")
    return fake_server[0]


@pytest.fixture
def client(fake_server: tuple[FakeGraphAPI, str]) -> Iterator[MetaGraphClient]:
    with MetaGraphClient(base_url=fake_server[1], timeout=CLIENT_TIMEOUT) as c:
        yield c


# --- success paths ------------------------------------------------------------------------------


def test_hide_facebook_sends_is_hidden_and_hides(fake: FakeGraphAPI, client: MetaGraphClient) -> None:
    client.hide_comment(FB_ID, platform="facebook", hidden=True, access_token=TOKEN)

    (call,) = fake.calls
    assert (call.method, call.path, call.form) == ("POST", f"/v25.0/{FB_ID}", {"is_hidden": "true"})
    assert call.token_valid
    assert fake.comment(FB_ID).hidden is True

    client.hide_comment(FB_ID, platform="facebook", hidden=False, access_token=TOKEN)
    assert fake.calls[-1].form == {"is_hidden": "false"}
    assert fake.comment(FB_ID).hidden is False


def test_hide_instagram_sends_hide(fake: FakeGraphAPI, client: MetaGraphClient) -> None:
    client.hide_comment(IG_ID, platform="instagram", hidden=True, access_token=TOKEN)

    (call,) = fake.calls
    assert (call.method, call.path, call.form) == ("POST", f"/v25.0/{IG_ID}", {"hide": "true"})
    assert fake.comment(IG_ID).hidden is True


def test_token_goes_in_the_authorization_header_not_the_url(
    fake: FakeGraphAPI, client: MetaGraphClient
) -> None:
    client.get_comment(FB_ID, platform="facebook", access_token=TOKEN)

    (call,) = fake.calls
    assert call.token_valid
    assert "access_token" not in call.raw_path
    assert TOKEN not in call.raw_path
    assert "access_token" not in call.query


def test_delete_then_delete_again_is_gone(fake: FakeGraphAPI, client: MetaGraphClient) -> None:
    client.delete_comment(FB_ID, access_token=TOKEN)

    assert (fake.calls[0].method, fake.calls[0].path) == ("DELETE", f"/v25.0/{FB_ID}")
    assert fake.comment(FB_ID).deleted is True

    with pytest.raises(PlatformPermanentError) as info:
        client.delete_comment(FB_ID, access_token=TOKEN)
    # 100/33 also means "missing permissions": never told to editors as proof that it is gone.
    assert info.value.code == "object_unavailable"
    assert "kan också bero på behörighet eller fel token" in info.value.reason
    assert "finns inte längre" not in info.value.reason


@pytest.mark.parametrize(
    ("platform", "comment_id", "edge"), [("facebook", FB_ID, "comments"), ("instagram", IG_ID, "replies")]
)
def test_reply_uses_the_platform_edge_and_returns_the_new_id(
    fake: FakeGraphAPI, client: MetaGraphClient, platform: str, comment_id: str, edge: str
) -> None:
    message = "Hej! Vi har dolt kommentaren enligt våra riktlinjer för sidan. /Kommunen"

    new_id = client.reply(comment_id, platform=platform, message=message, access_token=TOKEN)  # type: ignore[arg-type]

    (call,) = fake.calls
    assert (call.method, call.path, call.form) == (
        "POST",
        f"/v25.0/{comment_id}/{edge}",
        {"message": message},
    )
    stored = fake.comment(new_id)
    assert stored.message == message and stored.parent_id == comment_id


def test_get_comment_returns_the_fields_and_records_usage(
    fake: FakeGraphAPI, client: MetaGraphClient
) -> None:
    fake.app_usage = {"call_count": 42, "total_time": 7, "total_cputime": 5}

    body = client.get_comment(IG_ID, platform="instagram", access_token=TOKEN)

    assert body["text"] == "Köp billiga solglasögon här"
    assert body["hidden"] is False
    assert fake.calls[0].query["fields"].split(",")[:3] == ["id", "text", "username"]
    assert client.last_usage["app"] == {"call_count": 42, "total_time": 7, "total_cputime": 5}
    assert client.last_usage["business"][FakeGraphAPI.PAGE_ID][0]["type"] == "pages"


def test_api_version_is_in_the_path(fake_server: tuple[FakeGraphAPI, str], fake: FakeGraphAPI) -> None:
    old = MetaGraphClient(base_url=fake_server[1] + "/", api_version="v24.0", timeout=CLIENT_TIMEOUT)
    with old, pytest.raises(PlatformPermanentError) as info:
        old.delete_comment(FB_ID, access_token=TOKEN)
    assert fake.calls[0].path == f"/v24.0/{FB_ID}"
    assert info.value.code == "rejected"  # the fake only speaks v25.0
    assert fake.comment(FB_ID).deleted is False


# --- faults ---------------------------------------------------------------------------------------


def test_http_429_is_transient_with_retry_after(fake: FakeGraphAPI, client: MetaGraphClient) -> None:
    fake.fail_next(1, "429")

    with pytest.raises(PlatformTransientError) as info:
        client.delete_comment(FB_ID, access_token=TOKEN)

    assert info.value.code == "rate_limited"
    assert info.value.retry_after == 120
    assert info.value.reason == "Plattformen begränsar antalet anrop; nytt försök om 120 s."
    assert fake.comment(FB_ID).deleted is False
    client.delete_comment(FB_ID, access_token=TOKEN)  # the fault was one request only
    assert fake.comment(FB_ID).deleted is True


@pytest.mark.parametrize("code", [80001, 4, 32, 613])
def test_throttle_codes_are_transient_and_read_the_buc_header(
    fake: FakeGraphAPI, client: MetaGraphClient, code: int
) -> None:
    fake.fail_next(1, "throttle", code=code)

    with pytest.raises(PlatformTransientError) as info:
        client.hide_comment(FB_ID, platform="facebook", hidden=True, access_token=TOKEN)

    assert info.value.code == "rate_limited"
    assert info.value.retry_after == 120.0  # estimated_time_to_regain_access = 2 minutes
    assert "120 s" in info.value.reason
    assert str(code) in (info.value.detail or "")
    assert client.last_usage["business"][FakeGraphAPI.PAGE_ID][0]["estimated_time_to_regain_access"] == 2


def test_500_without_graph_body_is_transient(fake: FakeGraphAPI, client: MetaGraphClient) -> None:
    fake.fail_next(1, "500")

    with pytest.raises(PlatformTransientError) as info:
        client.reply(FB_ID, platform="facebook", message="Hej", access_token=TOKEN)

    assert info.value.code == "platform_unavailable"
    assert "HTTP 500" in info.value.reason
    assert info.value.retry_after is None


def test_timeout_is_transient(fake: FakeGraphAPI, client: MetaGraphClient) -> None:
    fake.fail_next(1, "timeout")

    with pytest.raises(PlatformTransientError) as info:
        client.delete_comment(FB_ID, access_token=TOKEN)

    assert info.value.code == "timeout"
    assert info.value.reason == "Plattformen svarade inte i tid; nytt försök senare."


def test_expired_token_fault_is_permanent_190(fake: FakeGraphAPI, client: MetaGraphClient) -> None:
    fake.fail_next(1, "190")

    with pytest.raises(PlatformPermanentError) as info:
        client.delete_comment(FB_ID, access_token=TOKEN)

    assert info.value.code == "token_invalid"
    assert info.value.reason == (
        "Åtkomsttoken har gått ut eller är ogiltig (kod 190) – kontoansvarig behöver förnya den."
    )


def test_gone_fault_is_permanent(fake: FakeGraphAPI, client: MetaGraphClient) -> None:
    fake.fail_next(1, "gone")

    with pytest.raises(PlatformPermanentError) as info:
        client.hide_comment(IG_ID, platform="instagram", hidden=True, access_token=TOKEN)

    assert info.value.code == "object_unavailable"


@pytest.mark.parametrize("code", [10, 200, 299])
def test_permission_codes_are_permanent(fake: FakeGraphAPI, client: MetaGraphClient, code: int) -> None:
    fake.fail_next(1, "permission", code=code)

    with pytest.raises(PlatformPermanentError) as info:
        client.delete_comment(FB_ID, access_token=TOKEN)

    assert info.value.code == "permission_denied"
    assert f"kod {code}" in info.value.reason


def test_unknown_comment_is_unavailable_not_gone(fake: FakeGraphAPI, client: MetaGraphClient) -> None:
    with pytest.raises(PlatformPermanentError) as info:
        client.get_comment("1122334455_999", platform="facebook", access_token=TOKEN)
    assert info.value.code == "object_unavailable"


def test_connection_refused_is_transient() -> None:
    c = MetaGraphClient(base_url=closed_port_url(), timeout=CLIENT_TIMEOUT)
    with c, pytest.raises(PlatformTransientError) as info:
        c.delete_comment(FB_ID, access_token=TOKEN)
    assert info.value.code == "connection_error"


@pytest.mark.parametrize("bad_id", ["", "..", "../me", "123/feed", "1?x=2", "a b"])
def test_malformed_ids_are_refused_before_any_request(
    fake: FakeGraphAPI, client: MetaGraphClient, bad_id: str
) -> None:
    with pytest.raises(PlatformPermanentError) as info:
        client.delete_comment(bad_id, access_token=TOKEN)
    assert info.value.code == "invalid_id"
    assert fake.calls == []


def test_the_token_never_appears_in_errors(fake: FakeGraphAPI, client: MetaGraphClient) -> None:
    errors: list[Exception] = []
    with pytest.raises(PlatformPermanentError) as info:
        client.delete_comment(FB_ID, access_token=WRONG_TOKEN)
    errors.append(info.value)
    assert info.value.code == "token_invalid"
    kinds: tuple[Any, ...] = ("429", "throttle", "500", "timeout", "190", "gone", "permission")
    for kind in kinds:
        fake.fail_next(1, kind)
        with pytest.raises((PlatformPermanentError, PlatformTransientError)) as caught:
            client.reply(FB_ID, platform="facebook", message="Hej", access_token=WRONG_TOKEN)
        errors.append(caught.value)

    for error in errors:
        rendered = " ".join(
            [str(error), repr(error), str(error.args), str(vars(error)), str(error.__cause__)]
        )
        assert WRONG_TOKEN not in rendered
    assert all(not call.token_valid for call in fake.calls)
    assert all(WRONG_TOKEN not in json.dumps(vars_of(call)) for call in fake.calls)


def vars_of(call: object) -> dict[str, object]:
    return {name: getattr(call, name) for name in call.__slots__}  # type: ignore[attr-defined]


def closed_port_url() -> str:
    """A port that nothing listens on: bind, learn the port, close."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# --- headers and backoff (unit) -----------------------------------------------------------------


def test_retry_after_seconds_and_http_date() -> None:
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    assert retry_after_from_headers({"Retry-After": "30"}, now=now) == 30.0
    date = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert retry_after_from_headers({"retry-after": date}, now=now) == 90.0
    assert retry_after_from_headers({"Retry-After": "soon"}, now=now) is None
    assert retry_after_from_headers({}, now=now) is None


def test_buc_header_takes_the_slowest_object_in_minutes() -> None:
    header = json.dumps(
        {
            "111": [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 3}],
            "222": [
                {"type": "instagram", "call_count": 50, "estimated_time_to_regain_access": 0},
                {"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 11},
            ],
        }
    )
    assert retry_after_from_headers({"X-Business-Use-Case-Usage": header}) == 660.0
    idle = json.dumps({"111": [{"type": "pages", "estimated_time_to_regain_access": 0}]})
    assert retry_after_from_headers({"X-Business-Use-Case-Usage": idle}) is None
    assert retry_after_from_headers({"X-Business-Use-Case-Usage": "{not json"}) is None


def test_app_usage_at_100_percent_suggests_a_wait() -> None:
    full = json.dumps({"call_count": 12, "total_time": 100, "total_cputime": 40})
    assert retry_after_from_headers({"X-App-Usage": full}) == USAGE_EXHAUSTED_WAIT_S
    busy = json.dumps({"call_count": 99, "total_time": 99, "total_cputime": 99})
    assert retry_after_from_headers({"X-App-Usage": busy}) is None
    both = {"X-App-Usage": full, "Retry-After": "900"}
    assert retry_after_from_headers(both) == 900.0


def test_client_reads_headers_through_mock_transport() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == f"Bearer {TOKEN}"
        return httpx.Response(
            403,
            json={
                "error": {"message": "(#32) Page request limit reached", "code": 32, "type": "OAuthException"}
            },
            headers={"X-App-Usage": json.dumps({"call_count": 100, "total_time": 3, "total_cputime": 3})},
        )

    c = MetaGraphClient(base_url="https://graph.example", transport=httpx.MockTransport(handler))
    with c, pytest.raises(PlatformTransientError) as info:
        c.delete_comment(FB_ID, access_token=TOKEN)
    assert info.value.retry_after == USAGE_EXHAUSTED_WAIT_S
    assert c.last_usage["app"]["call_count"] == 100


def test_backoff_grows_with_full_jitter_and_respects_retry_after() -> None:
    rng = random.Random(7)
    samples = {
        attempt: [compute_backoff(attempt, retry_after=None, rng=rng) for _ in range(400)]
        for attempt in (1, 4, 20)
    }
    assert all(0 <= s <= 2.0 for s in samples[1])
    assert all(0 <= s <= 16.0 for s in samples[4])
    assert max(samples[4]) > 8.0  # the ceiling doubled three times, and jitter uses the range
    assert all(0 <= s <= 900.0 for s in samples[20])
    assert max(samples[20]) > 450.0
    assert compute_backoff(10_000, retry_after=None, rng=rng) <= 900.0
    assert all(compute_backoff(2, retry_after=120.0, rng=rng) >= 120.0 for _ in range(50))
    assert compute_backoff(1, retry_after=3600.0, rng=rng) == 3600.0  # a platform's wait is not capped
    assert compute_backoff(1, retry_after=None, rng=random.Random(1)) == compute_backoff(
        1, retry_after=None, rng=random.Random(1)
    )
