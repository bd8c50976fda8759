"""The application factory.

``create_app(settings)`` builds everything from one ``Settings`` object; a
lifespan owns the engine, the session factory, the metrics and (in the
embedded default) the in-process worker.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Receive, Scope, Send

from app import schema
from app.auth import build_auth_state
from app.comments.routes import router as comments_router
from app.db import make_engine, make_session_factory
from app.destinations.routes import router as destinations_router
from app.errors import (
    BadRequest,
    DatabaseNotReady,
    PayloadTooLarge,
    TooManyRequests,
    UppsiktError,
    responses,
)
from app.evidence.routes import router as evidence_router
from app.ingest.routes import router as ingest_router
from app.logging import configure_logging, get_logger
from app.middleware import BodyLimitMiddleware, JsonDepthMiddleware, RequestContextMiddleware, add_cors
from app.modlog.routes import router as modlog_router
from app.operations.metrics import Metrics
from app.operations.routes import router as operations_router
from app.policies.effective import load_policies
from app.queue.routes import router as queue_router
from app.registrations.routes import router as registrations_router
from app.search.routes import router as search_router
from app.settings import Settings
from app.tenants.keys import router as apikeys_router
from app.tenants.routes import known_parties_router
from app.tenants.routes import router as tenants_router
from app.tenants.scope import HEADER as SCOPE_HEADER
from app.tenants.scope import HEADER_DOC as SCOPE_HEADER_DOC
from app.tenants.scope import NoAccountsHeaderMiddleware
from app.web.routes import routers as web_routers
from app.webhooks import fast_path
from app.webhooks.routes import router as webhooks_router
from app.worker.supervisor import WorkerSupervisor

log = get_logger("app")

DESCRIPTION = """Uppsikt receives comments from municipal Facebook, Instagram and LinkedIn accounts,
classifies them against the municipality's guidelines, keeps evidence, queues decisions for
editors and keeps a hash-chained moderation log for the registrar."""


class UppsiktAPI(FastAPI):
    """FastAPI, with the webhook deliveries taken off before the framework's stack.

    See ``app.webhooks.fast_path`` for why; every other request, and every
    delivery when ``webhook_fast_path`` is off, goes through FastAPI as usual.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        source = fast_path.source_for(scope) if self.state.settings.webhook_fast_path else None
        if source is None:
            await super().__call__(scope, receive, send)
        else:
            await fast_path.serve_delivery(self.state, source, scope, receive, send)

    def openapi(self) -> dict[str, Any]:
        """The generated document, with the header every ``GET /v1/…`` may carry (app.tenants.scope)."""
        document = super().openapi()
        document.setdefault("components", {}).setdefault("headers", {})[SCOPE_HEADER] = SCOPE_HEADER_DOC
        reference = {"$ref": f"#/components/headers/{SCOPE_HEADER}"}
        for path, operations in document.get("paths", {}).items():
            if not path.startswith("/v1/"):
                continue
            ok = operations.get("get", {}).get("responses", {}).get("200")
            if ok is not None:
                ok["headers"] = {**ok.get("headers", {}), SCOPE_HEADER: dict(reference)}
        return document


def create_app(settings: Settings | None = None, *, on_started: Callable[[], None] | None = None) -> FastAPI:
    """The app; ``on_started`` runs once start-up is complete (the classifier loaded)."""
    settings = settings or Settings()
    configure_logging(settings.log_level, json=settings.log_json)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # A broken policy file stops the service here, naming the file, rule and field,
        # rather than at the first comment that needs it.
        load_policies(settings.policy_dir)
        engine = make_engine(settings)
        factory = make_session_factory(engine)
        app.state.engine = engine
        app.state.session_factory = factory
        app.state.head_revision = schema.head_revision()
        supervisor: WorkerSupervisor | None = None
        if settings.worker_in_process:
            supervisor = WorkerSupervisor(settings)
            supervisor.start()
            app.state.wake_worker = supervisor.wake
            app.state.worker_supervisor = supervisor
        log.info("app.started", database=engine.dialect.name, worker_in_process=settings.worker_in_process)
        if on_started is not None:
            on_started()
        try:
            yield
        finally:
            if supervisor is not None:
                supervisor.close()
            committer = getattr(app.state, "group_committer", None)
            if committer is not None:
                committer.close()
            engine.dispose()
            log.info("app.stopped")

    app = UppsiktAPI(
        title="Uppsikt",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by app.web.docs from our own assets
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.metrics = Metrics.create()
    app.state.wake_worker = lambda: None
    app.state.auth = build_auth_state(settings)
    # The last added runs first: request context (headers on every answer), CORS, body limit, JSON depth,
    # and innermost the hint for a key that sees no account.
    app.add_middleware(NoAccountsHeaderMiddleware)
    app.add_middleware(JsonDepthMiddleware, max_depth=settings.json_max_depth)
    app.add_middleware(
        BodyLimitMiddleware,
        max_body_bytes=settings.max_body_bytes,
        webhook_max_body_bytes=settings.webhook_max_body_bytes,
    )
    add_cors(app, settings.cors_origins)
    app.add_middleware(RequestContextMiddleware)
    _install_error_handlers(app)
    # Platforms reach only the webhooks (by signature); operators the health and metrics.
    for router in (webhooks_router, operations_router):
        app.include_router(router)
    # Every REST route can meet the body limit, the JSON checks and the rate limit.
    api_errors = responses(BadRequest, PayloadTooLarge, TooManyRequests)
    for router in (
        ingest_router,
        comments_router,
        modlog_router,
        tenants_router,
        known_parties_router,
        apikeys_router,
        queue_router,
        evidence_router,
        registrations_router,
        search_router,
        destinations_router,
    ):
        app.include_router(router, responses=api_errors)
    for router in web_routers:
        app.include_router(router)
    return app


def _schema_missing(exc: DBAPIError) -> bool:
    """A table that does not exist: the database was never migrated (or was migrated away)."""
    return "no such table" in str(exc.orig) or getattr(exc.orig, "sqlstate", None) == "42P01"


_HTTP_ERROR_NAMES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    413: "PayloadTooLarge",
    415: "UnsupportedMediaType",
    429: "TooManyRequests",
}


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Unknown paths, wrong methods and unparsable bodies get the same error shape as ours.
        name = _HTTP_ERROR_NAMES.get(exc.status_code, "HTTPError")
        detail = exc.detail if isinstance(exc.detail, str) else "The request could not be handled."
        return JSONResponse(
            {"error": name, "detail": detail},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(UppsiktError)
    async def _uppsikt_error(_: Request, exc: UppsiktError) -> JSONResponse:
        return JSONResponse(
            {"error": exc.name, "detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        # Location and message only: never echo the input back (it may hold personal data).
        detail = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        return JSONResponse({"error": "ValidationError", "detail": detail}, status_code=422)

    @app.exception_handler(DBAPIError)
    async def _database_error(_: Request, exc: DBAPIError) -> JSONResponse:
        orig = exc.orig
        log.error(
            "app.database_error",
            error=type(orig).__name__ if orig else type(exc).__name__,
            code=getattr(orig, "sqlite_errorname", None) or getattr(orig, "sqlstate", None),
        )
        if _schema_missing(exc):
            # Not a passing outage: retrying will not help until someone migrates.
            return JSONResponse(
                {"error": "DatabaseNotReady", "detail": DatabaseNotReady.default_detail},
                status_code=503,
                headers={"Retry-After": "60"},
            )
        return JSONResponse(
            {"error": "ServiceUnavailable", "detail": "The database is unavailable; retry later."},
            status_code=503,
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.error("app.unexpected_error", error=type(exc).__name__)
        return JSONResponse(
            {"error": "InternalError", "detail": "An unexpected error occurred."}, status_code=500
        )
