"""Prometheus metrics.  Each app instance has its own registry so several apps
in one process (tests, the benchmark's ceiling app) never collide."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


@dataclass
class Metrics:
    registry: CollectorRegistry
    deliveries_received: Counter
    deliveries_rejected: Counter
    deliveries_failed: Counter
    inbox_backlog: Gauge
    processing_latency: Histogram
    account_warnings: Gauge
    account_alerts: Gauge
    messages: Gauge

    @classmethod
    def create(cls) -> Metrics:
        registry = CollectorRegistry()
        return cls(
            registry=registry,
            deliveries_received=Counter(
                "uppsikt_deliveries_received",
                "Webhook deliveries stored in the inbox.",
                ["source"],
                registry=registry,
            ),
            deliveries_rejected=Counter(
                "uppsikt_deliveries_rejected",
                "Deliveries refused before storing.",
                ["source", "reason"],
                registry=registry,
            ),
            deliveries_failed=Counter(
                "uppsikt_deliveries_failed",
                "Deliveries the worker marked failed.",
                ["source"],
                registry=registry,
            ),
            inbox_backlog=Gauge(
                "uppsikt_inbox_backlog", "Deliveries waiting to be processed.", registry=registry
            ),
            processing_latency=Histogram(
                "uppsikt_processing_latency_seconds",
                "From delivery received to processed.",
                buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
                registry=registry,
            ),
            account_warnings=Gauge(
                "uppsikt_account_warnings",
                "Accounts with a connection warning (token expiring or expired, invalid, missing "
                "permissions, operator alert), by warning code; read at each scrape.",
                ["code"],
                registry=registry,
            ),
            account_alerts=Gauge(
                "uppsikt_account_alerts",
                "Accounts with an alert only the operator can fix (e.g. linkedin_version_retired).",
                ["alert"],
                registry=registry,
            ),
            messages=Gauge(
                "uppsikt_messages",
                "Outbound messages per tenant, destination and status; failed ones need a person.",
                ["tenant", "destination", "status"],
                registry=registry,
            ),
        )
