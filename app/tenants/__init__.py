"""Tenants, accounts, the people responsible for them, and API keys."""
