"""structlog, configured once.

Events are dotted names (``webhook.delivery.stored``) with bound context
(request id, tenant, delivery id).  Never log comment text, names, identity
numbers, tokens or secrets: log ids, hashes and categories.  Standard-library
loggers (uvicorn, alembic) are routed through the same renderer so an operator
gets one JSON stream.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

_configured = False


def configure_logging(level: str = "INFO", *, json: bool = True) -> None:
    global _configured
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    # Swedish as it is written (å, ä, ö), not as \u escapes: people read these lines too.
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False) if json else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    root = logging.getLogger()
    if not _configured:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(formatter)
        root.handlers = [handler]
        _configured = True
    root.setLevel(level.upper())
    for noisy in ("uvicorn.access", "httpx", "httpcore", "presidio-analyzer"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)
