"""How fast one worker drains the inbox, against the classifier's own speed.

Issue 12's target: one worker processes deliveries at no less than half the
rate at which ``classifiers.classify`` alone handles the same comments in one
process, on SQLite and on PostgreSQL.  The difference is the worker's
bookkeeping: parsing, comments and versions, assessments, the policy, evidence
snapshots and queue items for the flagged ones, and the moderation log.

For each database a scratch database gets a tenant with one Facebook Page and
``--deliveries`` signed comment deliveries (the texts of ``common.TEXTS``:
about half of them are flagged, so snapshots and queue items are part of the
work).  Then, in this process, after a warm-up that builds the classifier:

* ``classify``: the same comment texts through ``classifiers.classify``;
* ``drain``: an ``InboxWorker`` runs until the inbox is empty (the process
  start is not counted; ``uppsikt worker --until-idle`` adds about two seconds
  of imports and model loading once).

Afterwards every delivery must be done exactly once: as many comments,
versions and ``comment.stored`` entries as deliveries, and the log verifies.

    .venv/bin/python bench/drain.py                        # 3,000 deliveries, SQLite and PostgreSQL
    .venv/bin/python bench/drain.py --deliveries 1000 --db sqlite
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import time
from collections.abc import Iterator
from typing import Any

from common import (
    TEXTS,
    arrange_account,
    machine_info,
    migrate,
    print_table,
    scratch_postgres,
    scratch_sqlite,
    store_deliveries,
    write_results,
)
from sqlalchemy import func, select

from app.models import Comment, CommentVersion, ModerationLogEntry, QueueItem, WebhookDelivery

CHUNK = 2000


def fill_inbox(url: str, count: int) -> None:
    store_deliveries(url, count, run="d")


@contextlib.contextmanager
def database(kind: str) -> Iterator[str]:
    with scratch_sqlite() if kind == "sqlite" else scratch_postgres(label="drain") as url:
        yield url


def classify_rate(count: int) -> float:
    import classifiers

    texts = [f"{TEXTS[seq % len(TEXTS)]} (#{seq})" for seq in range(count)]
    started = time.perf_counter()
    for text in texts:
        classifiers.classify(text, {"platform": "facebook"})
    return count / (time.perf_counter() - started)


def drain(url: str, count: int) -> dict[str, Any]:
    from app.db import make_engine, make_session_factory
    from app.settings import Settings
    from app.worker.inbox import InboxWorker

    settings = Settings(database_url=url)
    engine = make_engine(settings)
    try:
        factory = make_session_factory(engine)
        from app.assessment.service import default_classifier, warm_up

        warm_up()
        worker = InboxWorker(factory, settings, classify=default_classifier())
        started = time.perf_counter()
        handled = worker.run_until_idle(max_rounds=100_000)
        seconds = time.perf_counter() - started
        with factory() as session:

            def tally(model: Any, *where: Any) -> int:
                return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

            counts = {
                "deliveries_done": tally(WebhookDelivery, WebhookDelivery.status == "done"),
                "comments": tally(Comment),
                "versions": tally(CommentVersion),
                "stored_entries": tally(ModerationLogEntry, ModerationLogEntry.action == "comment.stored"),
                "queue_items": tally(QueueItem),
            }
            from app.modlog.verify import verify_tenant

            tenant_id = int(session.scalar(select(func.min(Comment.tenant_id))) or 0)
            report = verify_tenant(session, tenant_id)
        exactly_once = all(
            counts[k] == count for k in ("deliveries_done", "comments", "versions", "stored_entries")
        )
        return {
            "handled": handled,
            "seconds": round(seconds, 3),
            "per_second": round(count / seconds, 1),
            **counts,
            "exactly_once": exactly_once,
            "log_ok": bool(report.ok),
        }
    finally:
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--deliveries", type=int, default=3000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    import classifiers
    from app.logging import configure_logging

    configure_logging("WARNING")

    classifiers.warm_up()
    classify_rate(200)  # per-word caches filled as a running worker's would be
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    rows = []
    for kind in kinds:
        with database(kind) as url:
            migrate(url)
            arrange_account(url)
            fill_inbox(url, args.deliveries)
            rate = classify_rate(args.deliveries)
            result = drain(url, args.deliveries)
            rows.append(
                {
                    "db": kind,
                    "classify_per_s": round(rate, 1),
                    **result,
                    "share_of_classify": round(result["per_second"] / rate, 3),
                }
            )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print_table(
        rows,
        [
            ("db", "db"),
            ("classify_per_s", "classify/s"),
            ("per_second", "drain/s"),
            ("share_of_classify", "share"),
            ("queue_items", "queued"),
            ("exactly_once", "exactly once"),
            ("log_ok", "log ok"),
        ],
    )
    print(f"peak RSS {rss:.0f} MiB (target: share ≥ 0.5 on each database)")
    path = write_results(
        "drain",
        {
            "machine": machine_info(),
            "deliveries": args.deliveries,
            "rows": rows,
            "peak_rss_mb": round(rss, 1),
        },
    )
    print(f"results: {path}")
    return 0 if all(r["exactly_once"] and r["log_ok"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
