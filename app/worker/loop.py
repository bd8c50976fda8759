"""The polling loop the outbox threads share (platform actions, messages).

A round does what is due and says how many things it did; after an empty round the
loop sleeps until the poll interval passes or someone wakes it (a decision was just
committed).  A failing round is logged and the loop goes on: one bad row or a lost
connection must not stop a thread that nobody watches.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from app.logging import get_logger

log = get_logger("app.worker")


def poll_until_stopped(
    stop: threading.Event,
    wake: threading.Event,
    one_round: Callable[[], int],
    *,
    interval_s: float,
    failed_event: str,
) -> None:
    while not stop.is_set():
        try:
            done = one_round()
        except Exception as exc:  # the loop must outlive any single failure
            log.exception(failed_event, error=type(exc).__name__)
            done = 0
        if done == 0:
            wake.wait(interval_s)
            wake.clear()


def run_until_idle(run_once: Callable[[], int], max_rounds: int = 100) -> int:
    """Rounds until one finds nothing to do (tests, ``worker --until-idle``); how many things were done."""
    total = 0
    for _ in range(max_rounds):
        done = run_once()
        total += done
        if done == 0:
            break
    return total
