"""The queue's world (fake Graph API, real classifiers), reused to arrange an account's history."""

from __future__ import annotations

from tests.app.queue.conftest import graph, linkedin_api, world_factory

__all__ = ["graph", "linkedin_api", "world_factory"]
