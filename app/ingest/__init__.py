"""Authenticated ingest for sources without a webhook of their own."""
