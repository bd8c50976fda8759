"""Fake platforms (Graph API, LinkedIn REST) served over real HTTP in tests.

Design note 6 in shared/style.md: clients are tested against a local fake of
the platform over a real socket, so timeouts, headers and URL encoding are
exercised exactly as in production; ``httpx.MockTransport`` is kept for unit
tests of header parsing.
"""
