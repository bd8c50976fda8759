"""The web pages' routes (none of them in the OpenAPI schema)."""

from __future__ import annotations

from app.web import assets, docs

routers = (assets.router, docs.router)
