"""Fixtures of the moderation log tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import NullPool


@pytest.fixture
def raw_engine(database_url: str) -> Iterator[Engine]:
    """A connection to the same database that bypasses the application, as a
    person with database access (or an attacker) would."""
    engine = create_engine(database_url, poolclass=NullPool)
    yield engine
    engine.dispose()
