"""Rate limits: a token bucket per principal on the REST API, and one per client
address for failed authentications."""

from __future__ import annotations

import math
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.principal import Principal
from app.ratelimit import TokenBucket
from app.settings import Settings
from tests.conftest import make_settings
from tests.factories import auth, create_key, create_tenant, meta_json, page_delivery, sign_meta

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_its_burst_then_refills_at_its_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(per_minute=60, capacity=3, clock=clock)
    assert [bucket.take("a") for _ in range(3)] == [None, None, None]
    assert bucket.take("a") == 1  # one token a second: wait one second
    assert bucket.take("b") is None  # another caller has its own bucket
    clock.now += 1.0
    assert bucket.take("a") is None and bucket.take("a") == 1
    clock.now += 0.25
    assert bucket.peek("a") == 1  # still short of one token; a partial second rounds up
    clock.now += 100
    assert [bucket.take("a") for _ in range(4)] == [None, None, None, 1]  # never more than the burst


def test_retry_after_is_whole_seconds_until_the_next_token() -> None:
    clock = FakeClock()
    bucket = TokenBucket(per_minute=4, capacity=1, clock=clock)  # a token every 15 s
    assert bucket.take("a") is None
    assert bucket.take("a") == 15
    clock.now += 14.5
    assert bucket.take("a") == 1
    assert bucket.peek("a") == 1


def test_zero_per_minute_turns_the_limit_off_and_the_table_stays_bounded() -> None:
    off = TokenBucket(per_minute=0, capacity=1)
    assert all(off.take("a") is None for _ in range(1000))
    clock = FakeClock()
    bounded = TokenBucket(per_minute=60, capacity=2, clock=clock, max_buckets=100)
    for n in range(1000):
        bounded.take(f"ip:{n}")
        clock.now += 0.001
    assert len(bounded) <= 100


def test_an_oidc_user_and_a_key_have_separate_budgets() -> None:
    user = Principal(tenant_id=1, role="editor", subject="anna@a.example", key_id=None, account_ids=None)
    same_name_elsewhere = Principal(
        tenant_id=2, role="editor", subject="anna@a.example", key_id=None, account_ids=None
    )
    key = Principal(tenant_id=1, role="editor", subject="anna@a.example", key_id=7, account_ids=None)
    assert len({user.rate_key, same_name_elsewhere.rate_key, key.rate_key}) == 3


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(
        database_url, rate_limit_per_minute=60, rate_limit_burst=3, auth_failures_per_minute=4
    )


@pytest.fixture
def keys(session: Session) -> dict[str, Any]:
    tenant = create_tenant(session, name="a-kommun")
    return {"one": create_key(session, tenant=tenant), "two": create_key(session, tenant=tenant)}


@SQLITE_ONLY
def test_a_key_over_its_limit_gets_429_with_retry_after(client: TestClient, keys) -> None:
    statuses = [client.get("/v1/accounts", headers=auth(keys["one"])).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = client.get("/v1/comments", headers=auth(keys["one"]))  # the budget is the key's, not the path's
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"
    assert refused.json() == {
        "error": "TooManyRequests",
        "detail": "The request rate limit of this key or user is exhausted.",
    }
    assert client.get("/v1/accounts", headers=auth(keys["two"])).status_code == 200


@SQLITE_ONLY
def test_health_metrics_and_webhooks_are_not_limited(client: TestClient, keys) -> None:
    for _ in range(5):
        client.get("/v1/accounts", headers=auth(keys["one"]))
    assert {client.get("/healthz").status_code for _ in range(10)} == {200}
    assert {client.get("/metrics").status_code for _ in range(5)} == {200}
    body = meta_json(page_delivery())
    statuses = {
        client.post("/webhooks/meta", content=body, headers=sign_meta(body)).status_code for _ in range(6)
    }
    assert statuses == {200}


@SQLITE_ONLY
def test_repeated_failed_authentications_block_the_address(client: TestClient, keys) -> None:
    started = time.monotonic()
    for n in range(4):
        response = client.get("/v1/accounts", headers=auth(f"upk_000000000000_guess{n}"))
        assert response.status_code == 401
    blocked = client.get("/v1/accounts", headers=auth("upk_000000000000_guess5"))
    elapsed = time.monotonic() - started
    assert blocked.status_code == 429
    # Four failures a minute: one more every 15 s, less what has refilled since the first
    # failure (a loaded machine can take a second over the five requests).
    assert math.ceil(15 - elapsed) <= int(blocked.headers["retry-after"]) <= 15
    assert blocked.json()["error"] == "TooManyRequests"
    # While blocked even a valid key is not tried, so guessing cannot go on in the background.
    assert client.get("/v1/accounts", headers=auth(keys["one"])).status_code == 429
    # A request without any credentials is no guess: it is simply told to authenticate.
    assert client.get("/v1/accounts").status_code == 401


@SQLITE_ONLY
def test_valid_requests_do_not_spend_the_failure_budget(client: TestClient, keys) -> None:
    for _ in range(3):
        assert client.get("/v1/accounts", headers=auth(keys["one"])).status_code == 200
        assert client.get("/v1/accounts", headers=auth(keys["two"])).status_code == 200
    for n in range(4):
        assert client.get("/v1/accounts", headers=auth(f"upk_000000000000_x{n}")).status_code == 401
