"""Durable ingest against its ceiling.

In one run: a bare FastAPI app (reads the body, answers 200) on the same
uvicorn settings as ``uppsikt serve``, then ``uppsikt serve`` itself on SQLite
and on PostgreSQL (a scratch database, dropped afterwards).  Each is driven
with correctly signed Meta deliveries, first at a fixed rate (latency of the
acknowledgement, measured from each request's scheduled time) and then at
full speed (throughput).  Every acknowledged delivery is checked to be in the
database afterwards.  Results go to ``bench/results/ingest-<timestamp>.json``.

    .venv/bin/python bench/ingest.py                    # both databases, 10 s phases
    .venv/bin/python bench/ingest.py --duration 3 --databases sqlite
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import (
    POSTGRES_ADMIN_DSN,
    LoadResult,
    MachineLoad,
    arrange_account,
    bare_serve,
    commit_times,
    cpu_ticks,
    disk_writer,
    free_port,
    machine_info,
    meta_request,
    migrate,
    peak_rss_mb,
    print_table,
    run_load,
    scratch_postgres,
    scratch_sqlite,
    steal_since,
    uppsikt_serve,
    write_results,
)
from sqlalchemy import create_engine, func, select


def stored_rows(url: str) -> int:
    from app.models import WebhookDelivery

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(WebhookDelivery)) or 0)
    finally:
        engine.dispose()


def phases(
    port: int, args: argparse.Namespace, label: str
) -> tuple[LoadResult, LoadResult, dict[str, dict[str, Any]]]:
    """The fixed-rate and the full-speed phase, and what the machine did in each."""
    host = f"127.0.0.1:{port}"

    def requests(run: str) -> Callable[[int], bytes]:
        return lambda seq: meta_request(seq, host=host, run=f"{label}{run}")

    load = MachineLoad()
    fixed = run_load(
        "127.0.0.1",
        port,
        requests("f"),
        connections=args.rate_connections,
        duration=args.duration,
        rate=args.rate,
        warmup=args.warmup,
    )
    machine = {"fixed_rate": load.since()}
    load = MachineLoad()
    full = run_load(
        "127.0.0.1",
        port,
        requests("s"),
        connections=args.connections,
        duration=args.duration,
        warmup=args.warmup,
    )
    machine["full_speed"] = load.since()
    return fixed, full, machine


def row(
    target: str,
    fixed: LoadResult,
    full: LoadResult,
    rss: float | None,
    ceiling: float | None,
    steal: float | None,
) -> dict[str, Any]:
    f, s = fixed.summary(), full.summary()
    failures = (
        sum(n for summary in (f, s) for status, n in summary["statuses"].items() if status != "200")
        + f["transport_errors"]
        + s["transport_errors"]
    )
    return {
        "target": target,
        "full_speed_per_s": s["throughput_per_s"],
        "ratio_to_ceiling": round(s["throughput_per_s"] / ceiling, 3) if ceiling else None,
        "full_p50_ms": s["ack_ms"]["p50"],
        "full_p99_ms": s["ack_ms"]["p99"],
        "full_max_ms": s["ack_ms"]["max"],
        "rate_per_s": f["throughput_per_s"],
        "rate_p50_ms": f["ack_ms"]["p50"],
        "rate_p99_ms": f["ack_ms"]["p99"],
        "rate_max_ms": f["ack_ms"]["max"],
        "non_200": failures,
        "peak_rss_mb": rss,
        "cpu_steal_pct": steal,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds per phase")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each phase")
    parser.add_argument("--rate", type=float, default=1000.0, help="deliveries/s in the fixed-rate phase")
    parser.add_argument(
        "--rate-connections", type=int, default=64, help="connections in the fixed-rate phase"
    )
    parser.add_argument("--connections", type=int, default=64, help="connections in the full-speed phase")
    parser.add_argument(
        "--postgres", default=POSTGRES_ADMIN_DSN, help="admin DSN; a scratch database is made"
    )
    parser.add_argument(
        "--also-routed",
        action="store_true",
        help="also measure each database with UPPSIKT_WEBHOOK_FAST_PATH=false (deliveries through FastAPI)",
    )
    parser.add_argument(
        "--disk-writer",
        action="store_true",
        help="while each target is measured, another process writes and fsyncs 4 MiB at a time"
        " (a noisy neighbour on the disk): what a slow disk does to durable acknowledgements",
    )
    parser.add_argument(
        "--worker-in-process",
        action="store_true",
        help="uppsikt serve with its own supervised worker process, which processes every delivery"
        " (default: off, as an API replica in production)",
    )
    args = parser.parse_args(argv)
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    extra = {"UPPSIKT_WORKER_IN_PROCESS": "true" if args.worker_in_process else "false"}

    results: dict[str, Any] = {
        "benchmark": "ingest",
        "machine": machine_info(postgres_dsn=args.postgres if "postgresql" in databases else None),
        "parameters": {k: v for k, v in vars(args).items() if k != "postgres"},
        "runs": {},
    }
    rows: list[dict[str, Any]] = []

    port = free_port()
    with bare_serve(port=port) as server, disk_writer(args.disk_writer):
        ticks = cpu_ticks()
        fixed, full, machine = phases(port, args, "bare")
        steal = steal_since(ticks)
        rss = peak_rss_mb(server.proc.pid)
    ceiling = full.summary()["throughput_per_s"]
    results["runs"]["ceiling"] = {
        "fixed_rate": fixed.summary(),
        "full_speed": full.summary(),
        "peak_rss_mb": rss,
        "cpu_steal_pct": steal,
        "machine_during": machine,
    }
    rows.append(row("bare FastAPI (ceiling)", fixed, full, rss, ceiling, steal))

    targets = [(database, True) for database in databases]
    if args.also_routed:
        targets += [(database, False) for database in databases]
    for database, fast_path in targets:
        name = database if fast_path else f"{database} (routed)"
        scratch = (
            scratch_sqlite() if database == "sqlite" else scratch_postgres(args.postgres, label="ingest")
        )
        with scratch as url:
            migrate(url)
            if args.worker_in_process:
                # The Page is known, so the worker classifies, snapshots and queues every delivery
                # while the API acknowledges: the worker's full load, not only "unknown page".
                arrange_account(url)
            port = free_port()
            started = time.monotonic()
            env = {**extra, "UPPSIKT_WEBHOOK_FAST_PATH": "true" if fast_path else "false"}
            log = Path(tempfile.mkdtemp(prefix="uppsikt-ingest-log-")) / "server.log"
            with uppsikt_serve(url, port=port, log=log, **env) as server:
                startup_s = round(time.monotonic() - started, 2)
                with disk_writer(args.disk_writer):
                    ticks = cpu_ticks()
                    fixed, full, machine = phases(port, args, database[:2] + ("f" if fast_path else "r"))
                    steal = steal_since(ticks)
                rss = peak_rss_mb(server.proc.pid)
            stored = stored_rows(url)
        acked = fixed.acked_total + full.acked_total
        results["runs"][name] = {
            "fixed_rate": fixed.summary(),
            "full_speed": full.summary(),
            "peak_rss_mb": rss,
            "startup_s": startup_s,
            "cpu_steal_pct": steal,
            "machine_during": machine,
            "group_commits": {
                "fixed_rate": commit_times(log, fixed.window),
                "full_speed": commit_times(log, full.window),
            },
            "acknowledged": acked,
            "stored_rows": stored,
        }
        rows.append(row(f"uppsikt {name}", fixed, full, rss, ceiling, steal))
        commits = results["runs"][name]["group_commits"]["fixed_rate"]
        rows[-1]["commit_p99_ms"] = commits["commit_ms"]["p99"]
        rows[-1]["commit_max_ms"] = commits["commit_ms"]["max"]
        rows[-1]["db_max_ms"] = commits["in_database_ms"]["max"]
        rows[-1]["iowait_pct"] = machine["fixed_rate"].get("iowait_pct")
        shutil.rmtree(log.parent, ignore_errors=True)
        if stored < acked:  # an acknowledged delivery that is not stored breaks invariant 1
            print(
                f"ERROR: {acked} deliveries acknowledged but only {stored} stored ({name})",
                file=sys.stderr,
            )
            results["runs"][name]["invariant_1_violated"] = True

    results["table"] = rows
    print_table(
        rows,
        [
            ("target", "target"),
            ("full_speed_per_s", "full speed /s"),
            ("ratio_to_ceiling", "of ceiling"),
            ("full_p50_ms", "p50 ms"),
            ("full_p99_ms", "p99 ms"),
            ("full_max_ms", "max ms"),
            ("rate_per_s", "fixed /s"),
            ("rate_p50_ms", "p50 ms"),
            ("rate_p99_ms", "p99 ms"),
            ("rate_max_ms", "max ms"),
            ("non_200", "non-200"),
            ("peak_rss_mb", "peak RSS MiB"),
            ("cpu_steal_pct", "steal %"),
            ("commit_p99_ms", "commit p99 ms"),
            ("commit_max_ms", "commit max ms"),
            ("db_max_ms", "in db max ms"),
            ("iowait_pct", "iowait %"),
        ],
    )
    path = write_results("ingest", results)
    print(f"\nresults: {path.relative_to(path.parents[2])}")
    return 1 if any(r.get("invariant_1_violated") for r in results["runs"].values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
