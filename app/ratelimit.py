"""Token buckets, in process.

One bucket per caller (an API key, an OIDC subject in a tenant, or a client
address for failed authentications).  The buckets live in the memory of one
API process: with several replicas behind a load balancer each replica keeps
its own buckets, so the effective limit is the configured one times the number
of replicas.  That is acceptable for what the limit is for — keeping one
runaway script or a stolen key from swamping the service — and it costs no
database write per request.

Idle buckets are full again after ``capacity / rate`` seconds and are then
indistinguishable from a new bucket, so they are dropped; the table also has a
hard size cap so that a flood of made-up keys or addresses cannot grow it
without bound.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

#: Beyond this many buckets the fullest (longest idle) ones are dropped first.
MAX_BUCKETS = 50_000


class TokenBucket:
    """``capacity`` requests at once, refilled at ``per_minute`` a minute.

    ``per_minute`` of 0 turns the limit off (every ``take`` succeeds).
    """

    def __init__(
        self,
        *,
        per_minute: int,
        capacity: int,
        clock: Callable[[], float] = time.monotonic,
        max_buckets: int = MAX_BUCKETS,
    ) -> None:
        if per_minute < 0 or capacity < 1:
            raise ValueError("per_minute must be >= 0 and capacity >= 1")
        self.rate = per_minute / 60.0
        self.capacity = float(capacity)
        self.clock = clock
        self.max_buckets = max_buckets
        self._lock = threading.Lock()
        #: key -> (tokens, time of that count)
        self._buckets: dict[str, tuple[float, float]] = {}

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def take(self, key: str) -> int | None:
        """Spend one token; ``None`` if there was one, else the seconds until there is."""
        if not self.enabled:
            return None
        with self._lock:
            now = self.clock()
            tokens = self._level(key, now)
            if tokens >= 1.0:
                self._store(key, tokens - 1.0, now)
                return None
            self._store(key, tokens, now)
            return self._wait(tokens)

    def peek(self, key: str) -> int | None:
        """Like ``take`` without spending: is there a token left for ``key``?"""
        if not self.enabled:
            return None
        with self._lock:
            tokens = self._level(key, self.clock())
            return None if tokens >= 1.0 else self._wait(tokens)

    def __len__(self) -> int:
        return len(self._buckets)

    def _level(self, key: str, now: float) -> float:
        tokens, at = self._buckets.get(key, (self.capacity, now))
        return min(self.capacity, tokens + (now - at) * self.rate)

    def _wait(self, tokens: float) -> int:
        # Retry-After is whole seconds; round up so a client that waits exactly that long succeeds.
        return max(1, math.ceil((1.0 - tokens) / self.rate))

    def _store(self, key: str, tokens: float, now: float) -> None:
        self._buckets[key] = (tokens, now)
        if len(self._buckets) > self.max_buckets:
            self._prune(now)

    def _prune(self, now: float) -> None:
        full_after = self.capacity / self.rate
        self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < full_after}
        if len(self._buckets) > self.max_buckets:
            # Still too many active buckets: keep the most recently used half.
            keep = sorted(self._buckets.items(), key=lambda kv: kv[1][1], reverse=True)
            self._buckets = dict(keep[: self.max_buckets // 2])
