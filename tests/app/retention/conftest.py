"""The queue tests' world (app, fake Graph API, real classifiers), for the end-to-end test here."""

from tests.app.queue.conftest import graph, linkedin_api, world_factory

__all__ = ["graph", "linkedin_api", "world_factory"]
