"""Fixtures: every database test runs on SQLite and on a real PostgreSQL.

The schema is always built by running the migrations.  Isolation per test: a
copy of a migrated SQLite file, or a PostgreSQL database (one per test
session and xdist worker) whose tables are truncated before each test.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy.orm import Session

from app import schema
from app.main import create_app
from app.models import Base
from app.settings import Settings
from app.worker.inbox import InboxWorker

POSTGRES_ADMIN_URL = os.environ.get("UPPSIKT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
META_SECRET = "test-meta-secret"
OLD_META_SECRET = "test-meta-secret-old"
LINKEDIN_SECRET = "test-linkedin-secret"
VERIFY_TOKEN = "test-verify-token"


def _sqlalchemy_url(dsn: str) -> str:
    return dsn.replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "uppsikt.db"
    schema.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url(worker_id: str) -> Iterator[str]:
    name = f"uppsikt_test_{worker_id}_{os.getpid()}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:  # a clear failure, never a silent skip
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {exc}. Start it (see .ci/run).")
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")
    url = _sqlalchemy_url(f"{base}/{name}")
    schema.upgrade(url)
    yield url
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _truncate_postgres(url: str) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "uppsikt.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    _truncate_postgres(url)
    return url


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "meta_app_secrets": SecretStr(f"{META_SECRET},{OLD_META_SECRET}"),
        "meta_verify_token": SecretStr(VERIFY_TOKEN),
        "linkedin_client_secret": SecretStr(LINKEDIN_SECRET),
        "worker_in_process": False,
        "worker_backoff_base_s": 0.001,
        "worker_backoff_cap_s": 0.001,
        "db_lock_timeout_ms": 3000,
        "retention_interval_s": 0,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def session(client: TestClient, app: FastAPI) -> Iterator[Session]:
    """A session on the app's database, for arranging data and checking results.

    Tests commit what they arrange (the app sees only committed rows) and end
    their read transactions before calling the app, via ``session.commit()``.
    """
    with app.state.session_factory() as s:
        yield s


@pytest.fixture
def worker(app: FastAPI, settings: Settings, client: TestClient) -> InboxWorker:
    return InboxWorker(app.state.session_factory, settings, metrics=app.state.metrics)
