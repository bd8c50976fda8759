"""Draining a stored backlog with 1, 2 and 4 worker processes on PostgreSQL.

A scratch database gets a tenant with one Facebook Page and ``--deliveries``
inbox rows inserted in bulk: realistic signed Meta bodies, each a distinct
comment on that Page, exactly as the webhook would have stored them.  For each
worker count, a copy of that database is drained by that many ``uppsikt
worker`` processes while ``uppsikt serve`` (API only) receives new deliveries
at ``--ingest-rate`` per second, so the acknowledgement latency under a
draining backlog is measured too.  Afterwards every delivery must have been
processed exactly once: as many comments, comment versions, comment events
and "comment.stored" log entries as deliveries, none failed.  Results go to
``bench/results/backlog-<timestamp>.json``.

    .venv/bin/python bench/backlog.py                           # 100,000 rows, 1/2/4 workers
    .venv/bin/python bench/backlog.py --deliveries 5000 --workers 1,2
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import psycopg
from common import (
    BENCH_PAGE_ID,
    POSTGRES_ADMIN_DSN,
    LoadResult,
    arrange_account,
    cpu_ticks,
    free_port,
    machine_info,
    meta_request,
    migrate,
    peak_rss_mb,
    print_table,
    run_load,
    server_env,
    sqlalchemy_url,
    steal_since,
    stop,
    store_deliveries,
    uppsikt_serve,
    write_results,
)
from sqlalchemy import create_engine, func, select

from app.models import Comment, CommentEvent, CommentVersion, ModerationLogEntry, WebhookDelivery

#: Rows per INSERT while building the backlog.
CHUNK = 2000
#: The Page of the deliveries received while draining: known to no tenant.
UNKNOWN_PAGE_ID = "200000000000999"


def fill_backlog(url: str, count: int) -> None:
    store_deliveries(url, count, run="b", chunk=CHUNK)


@contextlib.contextmanager
def template_and_copies(admin_dsn: str, count: int) -> Iterator[Any]:
    """One prepared database, and a function that clones it per run (``CREATE
    DATABASE … TEMPLATE`` copies files: far faster than inserting again)."""
    base, _, _ = admin_dsn.rpartition("/")
    prefix = f"uppsikt_backlog_{os.getpid()}"
    template = f"{prefix}_tpl"
    made: list[str] = []
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{template}"')
    made.append(template)
    try:
        url = sqlalchemy_url(f"{base}/{template}")
        started = time.monotonic()
        migrate(url)
        arrange_account(url)
        fill_backlog(url, count)
        print(f"backlog of {count} deliveries stored in {time.monotonic() - started:.1f} s", flush=True)

        def clone(label: str) -> str:
            name = f"{prefix}_{label}"
            with psycopg.connect(admin_dsn, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            made.append(name)
            return sqlalchemy_url(f"{base}/{name}")

        yield clone
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            for name in made:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pending(url: str, *, up_to_id: int | None = None) -> int:
    dsn = url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(dsn) as conn:
        query = "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'"
        if up_to_id is not None:
            row = conn.execute(query + " AND id <= %s", (up_to_id,)).fetchone()
        else:
            row = conn.execute(query).fetchone()
    return int(row[0]) if row else 0


def tally(url: str, backlog: int) -> dict[str, Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:

            def count(model: Any, *where: Any) -> int:
                return int(conn.scalar(select(func.count()).select_from(model).where(*where)) or 0)

            deliveries = WebhookDelivery.__table__.c
            first, last = conn.execute(
                select(func.min(deliveries.handled_at), func.max(deliveries.handled_at)).where(
                    deliveries.id <= backlog
                )
            ).one()
            return {
                "deliveries": count(WebhookDelivery),
                "done": count(WebhookDelivery, WebhookDelivery.status == "done"),
                "failed": count(WebhookDelivery, WebhookDelivery.status == "failed"),
                "pending": count(WebhookDelivery, WebhookDelivery.status == "pending"),
                "comments": count(Comment),
                "distinct_comment_ids": int(
                    conn.scalar(select(func.count(func.distinct(Comment.external_id)))) or 0
                ),
                "comment_versions": count(CommentVersion),
                "comment_events": count(CommentEvent),
                "log_comment_stored": count(
                    ModerationLogEntry, ModerationLogEntry.action == "comment.stored"
                ),
                "log_delivery_received": count(
                    ModerationLogEntry, ModerationLogEntry.action == "delivery.received"
                ),
                "received_while_draining": count(WebhookDelivery, WebhookDelivery.id > backlog),
                "received_ignored_once": count(
                    WebhookDelivery,
                    WebhookDelivery.id > backlog,
                    WebhookDelivery.events_count == 0,
                    WebhookDelivery.ignored_count == 1,
                ),
                "backlog_first_handled_at": _iso(first),
                "backlog_last_handled_at": _iso(last),
                "backlog_processing_s": (last - first).total_seconds() if first and last else None,
            }
    finally:
        engine.dispose()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def exactly_once(t: dict[str, Any], backlog: int) -> bool:
    n = backlog
    return (
        t["done"] == t["deliveries"] == n + t["received_while_draining"]
        and t["failed"] == 0
        and t["pending"] == 0
        and t["received_ignored_once"] == t["received_while_draining"]
        and t["comments"] == t["distinct_comment_ids"] == n
        and t["comment_versions"] == n
        and t["comment_events"] == n
        and t["log_comment_stored"] == n
        and t["log_delivery_received"] == n
    )


def drain(url: str, workers: int, args: argparse.Namespace) -> dict[str, Any]:
    env = server_env(
        url,
        UPPSIKT_WORKER_BATCH_SIZE=str(args.batch_size),
        UPPSIKT_LOG_LEVEL=args.worker_log_level,
        UPPSIKT_WORKER_NICE=str(args.worker_nice),
    )
    port = free_port()
    with uppsikt_serve(url, port=port) as api:
        stop_ingest = threading.Event()
        ingest: dict[str, LoadResult] = {}

        def send() -> None:
            ingest["result"] = run_load(
                "127.0.0.1",
                port,
                lambda seq: meta_request(
                    seq, host=f"127.0.0.1:{port}", run=f"i{workers}-", page_id=UNKNOWN_PAGE_ID
                ),
                connections=16,
                duration=float("inf"),
                rate=args.ingest_rate,
                warmup=0.0,
                stop=stop_ingest,
            )

        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "app.cli", "worker"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(workers)
        ]
        started = time.monotonic()
        ticks = cpu_ticks()
        sender = threading.Thread(target=send, name="ingest") if args.ingest_rate > 0 else None
        if sender:
            sender.start()
        progress: list[tuple[float, int]] = []
        try:
            # Ingest runs while the stored backlog drains; then the rest is finished.
            while (left := pending(url, up_to_id=args.deliveries)) > 0:
                progress.append((round(time.monotonic() - started, 1), left))
                if any(p.poll() is not None for p in procs):
                    raise RuntimeError("a worker exited while draining")
                if time.monotonic() - started > args.timeout:
                    raise TimeoutError(f"not drained after {args.timeout} s ({left} left)")
                time.sleep(0.5)
            backlog_drained_s = time.monotonic() - started
            steal = steal_since(ticks)
            stop_ingest.set()
            if sender:
                sender.join()
            while pending(url) > 0:
                if time.monotonic() - started > args.timeout:
                    raise TimeoutError("new deliveries not processed in time")
                time.sleep(0.2)
            rss = {
                "api": peak_rss_mb(api.proc.pid),
                "workers": [peak_rss_mb(p.pid) for p in procs],
            }
        finally:
            stop_ingest.set()
            for p in procs:
                stop(p)
    counts = tally(url, args.deliveries)
    processing_s = counts["backlog_processing_s"]
    ingest_summary = ingest["result"].summary() if "result" in ingest else None
    return {
        "workers": workers,
        "backlog": args.deliveries,
        "drained_wall_s": round(backlog_drained_s, 2),
        "drain_rate_wall_per_s": round(args.deliveries / backlog_drained_s, 1),
        "drain_rate_per_s": round(args.deliveries / processing_s, 1) if processing_s else None,
        "ingest_while_draining": ingest_summary,
        "peak_rss_mb": rss,
        "cpu_steal_pct": steal,
        "counts": counts,
        "exactly_once": exactly_once(counts, args.deliveries),
        "progress": progress[:: max(1, len(progress) // 60)],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--deliveries", type=int, default=100_000, help="stored backlog size")
    parser.add_argument("--workers", default="1,2,4", help="worker counts, comma-separated")
    parser.add_argument("--ingest-rate", type=float, default=50.0, help="new deliveries/s while draining")
    parser.add_argument("--batch-size", type=int, default=20, help="UPPSIKT_WORKER_BATCH_SIZE")
    parser.add_argument(
        "--worker-nice", type=int, default=10, help="UPPSIKT_WORKER_NICE of the workers (the default is 10)"
    )
    parser.add_argument("--worker-log-level", default="INFO", help="UPPSIKT_LOG_LEVEL of the workers")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per worker count")
    parser.add_argument(
        "--postgres", default=POSTGRES_ADMIN_DSN, help="admin DSN; scratch databases are made"
    )
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.workers.split(",") if n.strip()]

    results: dict[str, Any] = {
        "benchmark": "backlog",
        "machine": machine_info(postgres_dsn=args.postgres),
        "parameters": {k: v for k, v in vars(args).items() if k != "postgres"},
        "page_id": BENCH_PAGE_ID,
        "runs": [],
    }
    with template_and_copies(args.postgres, args.deliveries) as clone:
        for workers in counts:
            url = clone(f"w{workers}")
            run = drain(url, workers, args)
            results["runs"].append(run)
            print(
                f"{workers} worker(s): {run['drain_rate_per_s']}/s, exactly once: {run['exactly_once']}",
                flush=True,
            )

    base = results["runs"][0]["drain_rate_per_s"] if results["runs"] else None
    rows = []
    for run in results["runs"]:
        ingest = run["ingest_while_draining"] or {"ack_ms": {}, "throughput_per_s": None}
        rows.append(
            {
                "workers": run["workers"],
                "drain_per_s": run["drain_rate_per_s"],
                "scaling": round(run["drain_rate_per_s"] / base, 2)
                if base and run["drain_rate_per_s"]
                else None,
                "wall_s": run["drained_wall_s"],
                "ingest_per_s": ingest["throughput_per_s"],
                "ingest_p50": ingest["ack_ms"].get("p50"),
                "ingest_p99": ingest["ack_ms"].get("p99"),
                "ingest_max": ingest["ack_ms"].get("max"),
                "exactly_once": run["exactly_once"],
                "rss_api": run["peak_rss_mb"]["api"],
                "rss_workers": max(r for r in run["peak_rss_mb"]["workers"] if r is not None),
                "steal": run["cpu_steal_pct"],
            }
        )
    results["table"] = rows
    print()
    print_table(
        rows,
        [
            ("workers", "workers"),
            ("drain_per_s", "drain /s"),
            ("scaling", "× 1 worker"),
            ("wall_s", "wall s"),
            ("ingest_per_s", "ingest /s"),
            ("ingest_p50", "ack p50 ms"),
            ("ingest_p99", "ack p99 ms"),
            ("ingest_max", "ack max ms"),
            ("exactly_once", "exactly once"),
            ("rss_api", "API RSS MiB"),
            ("rss_workers", "worker RSS MiB (max)"),
            ("steal", "steal %"),
        ],
    )
    path = write_results("backlog", results)
    print(f"\nresults: {path.relative_to(path.parents[2])}")
    return 0 if all(run["exactly_once"] for run in results["runs"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
