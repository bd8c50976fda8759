"""What one group commit costs, by the way it is sent to the database.

Every acknowledgement waits for the commit holding its delivery, and for the
one in flight before it, so a commit's time is most of an acknowledgement's
latency at a steady rate.  This measures a batch of inbox rows (the same rows
and the same ``store_many`` as the webhooks) committed three ways, on a quiet
machine, with nothing else running:

- ``group committer``: what the app does (``GroupCommitter._commit``): one
  connection kept between batches; on PostgreSQL one statement in autocommit
  mode, one round trip;
- ``pooled session``: a session from the pool per batch, as the committer did
  before: the pool's pre-ping, ``BEGIN``, the insert, ``COMMIT`` — four round
  trips on PostgreSQL;
- ``round trip``: an empty statement on a held connection, the floor of any
  request to the server (PostgreSQL only).

    .venv/bin/python bench/commit.py                      # both databases, batches of 1, 3 and 32
    .venv/bin/python bench/commit.py --databases postgresql --commits 200
"""

from __future__ import annotations

import argparse
import contextlib
import time
from collections.abc import Callable
from typing import Any

from common import (
    POSTGRES_ADMIN_DSN,
    MachineLoad,
    machine_info,
    migrate,
    percentile,
    print_table,
    scratch_postgres,
    scratch_sqlite,
    write_results,
)

from app.db import begin_write, make_engine, make_session_factory
from app.settings import Settings
from app.webhooks import repository, service
from app.webhooks.group_commit import GroupCommitter

#: Distinct rows across every measurement of a run (each batch starts 1,000 further on).
_sequence = iter(range(10**9))


def inbox_rows(count: int, start: int) -> list[dict[str, Any]]:
    rows = []
    for n in range(start, start + count):
        body = f'{{"object":"page","entry":[{{"id":"1","seq":{n}}}]}}'.encode()
        row, _ = service.delivery_row(
            source="meta", body=body, headers={"content-type": "application/json"}, signature_scheme="sha256"
        )
        rows.append(row)
    return rows


def timed(commit: Callable[[list[dict[str, Any]]], object], batch: int, commits: int) -> dict[str, Any]:
    times: list[float] = []
    for i in range(commits + 20):
        rows = inbox_rows(batch, next(_sequence) * 1000)
        started = time.perf_counter()
        commit(rows)
        if i >= 20:  # the first ones warm the connection, the statement cache and the pool
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50_ms": percentile(times, 50), "p90_ms": percentile(times, 90), "p99_ms": percentile(times, 99)}


def measure(url: str, batches: list[int], commits: int) -> list[dict[str, Any]]:
    engine = make_engine(Settings(database_url=url))
    factory = make_session_factory(engine)
    committer = GroupCommitter(factory)

    def pooled_session(rows: list[dict[str, Any]]) -> None:
        with factory() as session:
            begin_write(session)
            repository.store_many(session.connection(), rows)
            session.commit()

    ways: list[tuple[str, Callable[[list[dict[str, Any]]], object]]] = [
        ("group committer", committer._commit),
        ("pooled session", pooled_session),
    ]
    results = []
    try:
        for batch in batches:
            for name, commit in ways:
                results.append({"way": name, "batch": batch, **timed(commit, batch, commits)})
        if engine.dialect.name == "postgresql":
            with engine.connect() as conn:
                raw = conn.connection.dbapi_connection
                assert raw is not None
                cursor = raw.cursor()  # one cursor: only the statement's round trip is timed

                def round_trip(_rows: list[dict[str, Any]]) -> None:
                    cursor.execute(";")

                results.append({"way": "round trip", "batch": 0, **timed(round_trip, 0, commits)})
    finally:
        committer.close()
        engine.dispose()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    parser.add_argument("--batches", default="1,3,32", help="rows per commit, comma-separated")
    parser.add_argument("--commits", type=int, default=500, help="measured commits per way and batch size")
    parser.add_argument(
        "--postgres", default=POSTGRES_ADMIN_DSN, help="admin DSN; a scratch database is made"
    )
    args = parser.parse_args(argv)
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    batches = [int(b) for b in args.batches.split(",")]

    rows: list[dict[str, Any]] = []
    machine: dict[str, Any] = {}
    for database in databases:
        scratch = (
            scratch_sqlite() if database == "sqlite" else scratch_postgres(args.postgres, label="commit")
        )
        with scratch as url:
            migrate(url)
            load = MachineLoad()
            rows += [{"database": database, **r} for r in measure(url, batches, args.commits)]
            machine[database] = load.since()
    print_table(
        rows,
        [
            ("database", "database"),
            ("way", "way"),
            ("batch", "rows"),
            ("p50_ms", "p50 ms"),
            ("p90_ms", "p90 ms"),
            ("p99_ms", "p99 ms"),
        ],
    )
    with contextlib.suppress(KeyError):
        print({d: m["iowait_pct"] for d, m in machine.items()}, "iowait % while measuring")
    path = write_results(
        "commit",
        {
            "benchmark": "commit",
            "machine": machine_info(postgres_dsn=args.postgres if "postgresql" in databases else None),
            "parameters": {k: v for k, v in vars(args).items() if k != "postgres"},
            "machine_during": machine,
            "table": rows,
        },
    )
    print(f"\nresults: {path.relative_to(path.parents[2])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
