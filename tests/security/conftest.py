"""A fake Graph API over real HTTP, shared by the module's tests (reset per world)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.graph_api import FakeGraphAPI
from tests.fakes.server import serve


@pytest.fixture(scope="module")
def graph() -> Iterator[tuple[FakeGraphAPI, str]]:
    fake = FakeGraphAPI(timeout_delay=1.0, retry_after=1, throttle_minutes=0)
    with serve(fake.app) as url:
        yield fake, url
