"""A per-client token bucket: ``rate`` requests a minute, with bursts up to ``rate``.

>>> limiter = RateLimiter(per_minute=2)
>>> limiter.hit("10.0.0.1"); limiter.hit("10.0.0.1")
>>> limiter.hit("10.0.0.1")
Traceback (most recent call last):
...
curbside.errors.RateLimited: Too many requests: the limit is 2 a minute. Try again in 30 s.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from curbside.errors import RateLimited


class RateLimiter:
    """Token buckets by client key; memory stays bounded by dropping the fullest (idle) buckets."""

    def __init__(self, per_minute: int, *, max_clients: int = 10_000, clock: Callable[[], float] = time.monotonic):
        self.capacity = float(per_minute)
        self.refill_per_s = per_minute / 60.0
        self.max_clients = max_clients
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        """Takes one token from ``key``'s bucket; raises ``RateLimited`` (with ``retry_after`` s) if empty."""
        now = self._clock()
        with self._lock:
            tokens, at = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - at) * self.refill_per_s)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                retry_after = max(1, math.ceil((1.0 - tokens) / self.refill_per_s))
                exc = RateLimited(
                    f"Too many requests: the limit is {int(self.capacity)} a minute. Try again in {retry_after} s."
                )
                exc.retry_after = retry_after  # type: ignore[attr-defined]
                raise exc
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > self.max_clients:
                self._prune(now)

    def _prune(self, now: float) -> None:
        # Buckets that have refilled completely carry no state worth keeping.
        full = [k for k, (t, at) in self._buckets.items() if t + (now - at) * self.refill_per_s >= self.capacity]
        for k in full:
            del self._buckets[k]
        while len(self._buckets) > self.max_clients:  # still too many: drop the oldest
            del self._buckets[next(iter(self._buckets))]
