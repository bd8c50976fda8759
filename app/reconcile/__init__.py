"""Reconciliation: the safety net under the webhooks (design invariant 9).

A per-account poller lists recent posts and their comments through the
platform's API, compares them with what Uppsikt has stored, and puts what is
missing, edited or deleted into the same inbox as the webhooks (source
``polled``, ``app.platforms.polled``).  The worker's pipeline does the rest,
so a comment found here is stored, assessed, evidenced and queued exactly as
one that came by webhook — and, through shared event keys, only once.
YouTube, which has no comment webhooks, is polled the same way.
"""
