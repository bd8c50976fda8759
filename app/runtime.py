"""Process-wide settings that belong to a long-running process, not to the app.

Only the entry points (``uppsikt serve``, ``uppsikt worker``) call these: a
test process builds many apps and must keep its collector as it is.
"""

from __future__ import annotations

import gc
import os


def freeze_long_lived_objects() -> None:
    """Keep the collector away from everything built at start-up.

    After start-up a process holds ≈180,000 objects that live as long as it
    does (modules, the classifier's models, the app).  Every full collection
    walks all of them — ≈80 ms measured on a 2-core machine, during which no
    request is answered: that pause was most of the webhook's p99.  Frozen,
    they are never scanned again; garbage made later is collected as usual.
    """
    gc.collect()
    gc.freeze()


def lower_priority(niceness: int) -> int:
    """Run this process at ``niceness`` or lower priority; returns the niceness it has.

    Workers do throughput work, API replicas latency work: a platform waits for
    each acknowledgement and retries or gives up when it is slow, while a backlog
    only drains a little later.  Where both share cores (one machine, or a node
    with several containers) the kernel should prefer the API.  Measured with
    ``bench/backlog.py --worker-nice`` on 2 cores (bench/README.md), four workers
    at niceness 10 instead of 0 halved an API replica's median ack latency while
    draining and cut its p99 by a third, with no loss of drain rate beyond the
    runs' noise.  Never raises priority: a process started nicer than asked stays
    as it is.
    """
    if not hasattr(os, "setpriority"):  # not a Unix: nothing to do
        return 0
    current = os.getpriority(os.PRIO_PROCESS, 0)
    if niceness > current:
        os.setpriority(os.PRIO_PROCESS, 0, niceness)
    return os.getpriority(os.PRIO_PROCESS, 0)
