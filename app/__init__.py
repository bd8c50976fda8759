"""Uppsikt: the comment-moderation service (FastAPI app, database, worker, CLI)."""
