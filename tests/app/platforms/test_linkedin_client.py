"""LinkedInClient against the fake Community Management API over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from app.platforms.errors import PlatformPermanentError, PlatformTransientError
from app.platforms.linkedin.client import LinkedInClient, encode_urn, parse_comment_urn
from tests.fakes.linkedin_api import FakeLinkedInAPI
from tests.fakes.server import serve

TOKEN = "AQV-fake-linkedin-token"
WRONG_TOKEN = "AQV-revoked-token-9876543210"
ORG = "urn:li:organization:2414183"
OTHER_ORG = "urn:li:organization:1000001"
POST = "urn:li:activity:7312345678901234567"
COMMENT = f"urn:li:comment:({POST},7312345678909999999)"
SHORT_COMMENT = "urn:li:comment:(activity:7312345678901234567,7312345678909999999)"
CLIENT_TIMEOUT = 0.3


@pytest.fixture(scope="module")
def fake_server() -> Iterator[tuple[FakeLinkedInAPI, str]]:
    fake = FakeLinkedInAPI(valid_token=TOKEN, timeout_delay=1.0, retry_after=60)
    with serve(fake.app) as base_url:
        yield fake, base_url


@pytest.fixture
def fake(fake_server: tuple[FakeLinkedInAPI, str]) -> FakeLinkedInAPI:
    fake_server[0].reset()
    fake_server[0].retry_after = 60
    fake_server[0].add_comment(COMMENT, organization_urn=ORG, text="Ni på kommunen är idioter")
    return fake_server[0]


@pytest.fixture
def client(fake_server: tuple[FakeLinkedInAPI, str]) -> Iterator[LinkedInClient]:
    with LinkedInClient(base_url=fake_server[1], timeout=CLIENT_TIMEOUT) as c:
        yield c


# --- URNs -----------------------------------------------------------------------------------------


def test_both_urn_spellings_normalise_to_the_long_form() -> None:
    long_form = parse_comment_urn(COMMENT)
    short_form = parse_comment_urn(SHORT_COMMENT)
    assert long_form == short_form
    assert long_form.post_urn == POST
    assert long_form.comment_id == "7312345678909999999"
    assert short_form.urn == COMMENT
    ugc = parse_comment_urn("urn:li:comment:(urn:li:ugcPost:123,456)")
    assert (ugc.post_urn, ugc.comment_id) == ("urn:li:ugcPost:123", "456")


@pytest.mark.parametrize(
    "bad",
    [
        "urn:li:comment:(urn:li:activity:1/../2,3)",
        "urn:li:comment:(urn:li:person:1,2)",
        "urn:li:activity:123",
        "urn:li:comment:(urn:li:activity:1,2",
        "",
    ],
)
def test_malformed_urns_are_permanent_errors(bad: str) -> None:
    with pytest.raises(PlatformPermanentError) as info:
        parse_comment_urn(bad)
    assert info.value.code == "invalid_id"


def test_encode_urn_escapes_every_reserved_character() -> None:
    assert encode_urn("urn:li:comment:(urn:li:activity:1,2)") == (
        "urn%3Ali%3Acomment%3A%28urn%3Ali%3Aactivity%3A1%2C2%29"
    )


# --- success paths ------------------------------------------------------------------------------


@pytest.mark.parametrize("urn", [COMMENT, SHORT_COMMENT])
def test_delete_sends_the_encoded_path_actor_and_headers(
    fake: FakeLinkedInAPI, client: LinkedInClient, urn: str
) -> None:
    client.delete_comment(urn, organization_urn=ORG, access_token=TOKEN)

    (call,) = fake.calls
    assert call.method == "DELETE"
    assert call.raw_path == (
        "/rest/socialActions/urn%3Ali%3Aactivity%3A7312345678901234567/comments/7312345678909999999"
        "?actor=urn%3Ali%3Aorganization%3A2414183"
    )
    assert call.query == {"actor": ORG}
    assert call.headers["linkedin-version"] == "202607"
    assert call.headers["x-restli-protocol-version"] == "2.0.0"
    assert call.token_valid
    assert fake.comment(COMMENT).deleted is True


def test_reply_posts_the_documented_body_and_returns_the_restli_id(
    fake: FakeLinkedInAPI, client: LinkedInClient
) -> None:
    message = "Hej! Vi har tagit bort kommentaren enligt sidans riktlinjer. /Kommunen"

    new_id = client.reply(SHORT_COMMENT, organization_urn=ORG, message=message, access_token=TOKEN)

    (call,) = fake.calls
    assert call.method == "POST"
    # Created under the comment (§7.1): the comment URN is the path's object, percent-encoded.
    assert call.raw_path == (
        "/rest/socialActions/urn%3Ali%3Acomment%3A%28urn%3Ali%3Aactivity%3A7312345678901234567"
        "%2C7312345678909999999%29/comments"
    )
    stored = fake.comment(new_id)
    assert (stored.text, stored.parent_urn, stored.actor, stored.post_urn) == (message, COMMENT, ORG, POST)
    assert call.headers["content-type"] == "application/json"


def test_a_reply_to_a_reply_goes_under_the_top_level_comment(
    fake: FakeLinkedInAPI, client: LinkedInClient
) -> None:
    first = client.reply(COMMENT, organization_urn=ORG, message="Tack!", access_token=TOKEN)

    # Straight under the reply LinkedIn refuses (two levels deep) ...
    with pytest.raises(PlatformPermanentError):
        client.reply(first, organization_urn=ORG, message="Och igen", access_token=TOKEN)
    # ... so a reply to a reply names the top-level comment as its parent.
    second = client.reply(
        first, organization_urn=ORG, message="Och igen", access_token=TOKEN, parent_comment_urn=COMMENT
    )
    assert fake.comment(second).parent_urn == COMMENT


def test_a_retired_linkedin_version_is_an_operator_alert_not_a_rejection(
    fake: FakeLinkedInAPI, fake_server: tuple[FakeLinkedInAPI, str]
) -> None:
    fake.retired_versions = {"202401"}
    try:
        with (
            LinkedInClient(base_url=fake_server[1], api_version="202401", timeout=CLIENT_TIMEOUT) as c,
            pytest.raises(PlatformTransientError) as info,
        ):
            c.delete_comment(COMMENT, organization_urn=ORG, access_token=TOKEN)
    finally:
        fake.retired_versions = set()
    assert info.value.code == "version_retired"
    assert "UPPSIKT_LINKEDIN_API_VERSION" in info.value.reason
    assert info.value.retry_after == 3600.0
    assert fake.comment(COMMENT).deleted is False


def test_version_header_follows_the_constructor(
    fake_server: tuple[FakeLinkedInAPI, str], fake: FakeLinkedInAPI
) -> None:
    with LinkedInClient(base_url=fake_server[1], api_version="202601", timeout=CLIENT_TIMEOUT) as c:
        c.delete_comment(COMMENT, organization_urn=ORG, access_token=TOKEN)
    assert fake.calls[0].headers["linkedin-version"] == "202601"


# --- faults ---------------------------------------------------------------------------------------


def test_deleting_twice_is_gone(fake: FakeLinkedInAPI, client: LinkedInClient) -> None:
    client.delete_comment(COMMENT, organization_urn=ORG, access_token=TOKEN)
    with pytest.raises(PlatformPermanentError) as info:
        client.delete_comment(COMMENT, organization_urn=ORG, access_token=TOKEN)
    assert info.value.code == "comment_gone"
    assert info.value.reason == "Kommentaren finns inte längre på plattformen."


def test_another_organization_is_refused(fake: FakeLinkedInAPI, client: LinkedInClient) -> None:
    with pytest.raises(PlatformPermanentError) as info:
        client.delete_comment(COMMENT, organization_urn=OTHER_ORG, access_token=TOKEN)
    assert info.value.code == "permission_denied"
    assert fake.comment(COMMENT).deleted is False


def test_429_is_transient_with_retry_after(fake: FakeLinkedInAPI, client: LinkedInClient) -> None:
    fake.fail_next(1, "429")
    with pytest.raises(PlatformTransientError) as info:
        client.reply(COMMENT, organization_urn=ORG, message="Hej", access_token=TOKEN)
    assert (info.value.code, info.value.retry_after) == ("rate_limited", 60.0)
    assert info.value.reason == "Plattformen begränsar antalet anrop; nytt försök om 60 s."

    fake.retry_after = None
    fake.fail_next(1, "429")
    with pytest.raises(PlatformTransientError) as info:
        client.delete_comment(COMMENT, organization_urn=ORG, access_token=TOKEN)
    assert info.value.retry_after is None
    assert info.value.reason == "Plattformen begränsar antalet anrop; nytt försök senare."


@pytest.mark.parametrize(
    ("kind", "error", "code"),
    [
        ("500", PlatformTransientError, "platform_unavailable"),
        ("timeout", PlatformTransientError, "timeout"),
        ("401", PlatformPermanentError, "token_invalid"),
        ("403", PlatformPermanentError, "permission_denied"),
        ("404", PlatformPermanentError, "comment_gone"),
    ],
)
def test_faults_map_to_the_right_error(
    fake: FakeLinkedInAPI, client: LinkedInClient, kind: str, error: type[Exception], code: str
) -> None:
    fake.fail_next(1, kind)  # type: ignore[arg-type]
    with pytest.raises(error) as info:
        client.delete_comment(COMMENT, organization_urn=ORG, access_token=TOKEN)
    assert info.value.code == code  # type: ignore[attr-defined]
    assert fake.comment(COMMENT).deleted is False


def test_401_reason_names_the_status() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"status": 401, "message": "Invalid access token"})

    transport = httpx.MockTransport(handler)
    with (
        LinkedInClient(base_url="https://api.example", transport=transport) as c,
        pytest.raises(PlatformPermanentError) as info,
    ):
        c.delete_comment(COMMENT, organization_urn=ORG, access_token=TOKEN)
    assert info.value.reason == (
        "Åtkomsttoken har gått ut eller är ogiltig (HTTP 401) – kontoansvarig behöver förnya den."
    )


def test_malformed_organization_is_refused_before_any_request(
    fake: FakeLinkedInAPI, client: LinkedInClient
) -> None:
    with pytest.raises(PlatformPermanentError) as info:
        client.delete_comment(COMMENT, organization_urn="urn:li:person:123", access_token=TOKEN)
    assert info.value.code == "invalid_actor"
    assert fake.calls == []


def test_the_token_never_appears_in_errors(fake: FakeLinkedInAPI, client: LinkedInClient) -> None:
    errors: list[Exception] = []
    with pytest.raises(PlatformPermanentError) as info:
        client.delete_comment(COMMENT, organization_urn=ORG, access_token=WRONG_TOKEN)
    assert info.value.code == "token_invalid"
    errors.append(info.value)
    kinds: tuple[Any, ...] = ("429", "500", "timeout", "401", "403", "404")
    for kind in kinds:
        fake.fail_next(1, kind)
        with pytest.raises((PlatformPermanentError, PlatformTransientError)) as caught:
            client.reply(COMMENT, organization_urn=ORG, message="Hej", access_token=WRONG_TOKEN)
        errors.append(caught.value)
    for error in errors:
        rendered = " ".join(
            [str(error), repr(error), str(error.args), str(vars(error)), str(error.__cause__)]
        )
        assert WRONG_TOKEN not in rendered
    assert all(WRONG_TOKEN not in str(call.headers) + call.raw_path for call in fake.calls)
