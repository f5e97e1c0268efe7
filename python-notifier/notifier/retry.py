"""Retry policy: exponential back-off with full jitter."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """Up to ``max_attempts`` tries; after failed try n, wait uniform(0, min(cap, base*2^(n-1)))."""

    max_attempts: int = 4
    base: float = 0.5
    cap: float = 8.0

    def ceiling(self, attempt: int) -> float:
        """The longest wait after failed attempt ``attempt`` (1-based)."""
        return min(self.cap, self.base * 2 ** min(attempt - 1, 62))

    def delay(self, attempt: int, rng: random.Random) -> float:
        """A full-jitter wait after failed attempt ``attempt``."""
        return rng.uniform(0.0, self.ceiling(attempt))

    def should_retry(self, attempt: int, retryable: bool) -> bool:
        """Whether to try again after failed attempt ``attempt``."""
        return retryable and attempt < self.max_attempts


def is_retryable_status(status: int) -> bool:
    """HTTP statuses worth another try: 429 and 5xx (other 4xx will not get better)."""
    return status == 429 or 500 <= status <= 599
