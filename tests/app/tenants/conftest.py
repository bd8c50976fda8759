"""The queue's world (a service wired to fake platform APIs, real classifiers), reused."""

from tests.app.queue.conftest import graph, linkedin_api, world_factory

__all__ = ["graph", "linkedin_api", "world_factory"]
