"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from sqlalchemy import text

from app import schema
from app.connections import repository as connections_repository
from app.connections.health import health_warnings
from app.models import utcnow
from app.notifications import repository as messages_repository
from app.webhooks import repository as inbox_repository

router = APIRouter(tags=["operations"])


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    database: bool
    migrations: str


@router.get("/healthz", operation_id="healthz", response_model=Health)
def healthz() -> Health:
    """The process is alive."""
    return Health(status="ok")


@router.get(
    "/readyz",
    operation_id="readyz",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "Not ready"}},
)
def readyz(request: Request) -> Readiness | JSONResponse:
    """The database answers and its schema is at the migrations' head."""
    engine = request.app.state.engine
    database, revision = False, "unknown"
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        database = True
        current = schema.current_revision(engine)
        revision = "head" if current == request.app.state.head_revision else f"behind ({current})"
    except Exception:  # any database failure means not ready; details stay in the logs
        database = False
    ready = database and revision == "head"
    body = Readiness(status="ready" if ready else "not ready", database=database, migrations=revision)
    return body if ready else JSONResponse(body.model_dump(), status_code=503)


@router.get(
    "/metrics",
    operation_id="metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
)
def metrics(request: Request) -> Response:
    """Prometheus metrics."""
    m = request.app.state.metrics
    try:
        with request.app.state.session_factory() as session:
            m.inbox_backlog.set(inbox_repository.backlog(session))
            _account_health(m, session, request.app.state.settings.token_expiry_warning_days)
            m.messages.clear()
            for tenant, destination, status, count in messages_repository.status_counts(session):
                m.messages.labels(tenant=tenant, destination=destination, status=status).set(count)
    except Exception:  # a metrics scrape must not fail because the database is away
        m.inbox_backlog.set(float("nan"))
    return Response(generate_latest(m.registry), media_type=CONTENT_TYPE_LATEST)


def _account_health(m: Any, session: Any, expiry_warning_days: int) -> None:
    """Connection warnings of every account, counted by code (the same as the register shows)."""
    now = utcnow()
    warnings: Counter[str] = Counter()
    alerts: Counter[str] = Counter()
    for account in connections_repository.all_accounts(session):
        for warning in health_warnings(account, now=now, expiry_warning_days=expiry_warning_days):
            warnings[warning.code] += 1
        if account.platform_alert:
            alerts[account.platform_alert] += 1
    m.account_warnings.clear()
    m.account_alerts.clear()
    for code, count in warnings.items():
        m.account_warnings.labels(code).set(count)
    for alert, count in alerts.items():
        m.account_alerts.labels(alert).set(count)
