"""The retry policy: exponential back-off with full jitter, and which statuses retry."""

from __future__ import annotations

import random

import pytest

from notifier.http_sender import RetryPolicy, is_retryable_status


def test_the_ceiling_doubles_from_the_base_up_to_the_cap() -> None:
    policy = RetryPolicy(max_attempts=10, base=0.5, cap=8.0)

    assert [policy.ceiling(n) for n in range(1, 8)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_a_huge_attempt_number_stays_at_the_cap() -> None:
    assert RetryPolicy(base=0.5, cap=8.0).ceiling(10_000) == 8.0


@pytest.mark.parametrize("attempt", [1, 2, 3, 4, 5, 9])
def test_full_jitter_spans_zero_to_the_ceiling(attempt: int) -> None:
    policy = RetryPolicy(max_attempts=10, base=0.5, cap=8.0)
    rng = random.Random(attempt)

    delays = [policy.delay(attempt, rng) for _ in range(2000)]

    ceiling = policy.ceiling(attempt)
    assert all(0.0 <= d <= ceiling for d in delays)
    assert min(delays) < 0.05 * ceiling
    assert max(delays) > 0.95 * ceiling


def test_a_zero_base_never_waits() -> None:
    assert RetryPolicy(base=0.0, cap=8.0).delay(3, random.Random(1)) == 0.0


def test_retries_stop_at_max_attempts() -> None:
    policy = RetryPolicy(max_attempts=4)

    assert [policy.should_retry(n, True) for n in (1, 2, 3, 4, 5)] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_a_non_retryable_failure_is_never_retried() -> None:
    assert not RetryPolicy(max_attempts=4).should_retry(1, False)


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504, 599])
def test_throttling_and_server_errors_are_retried(status: int) -> None:
    assert is_retryable_status(status)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 408, 409, 422, 300, 307])
def test_other_client_errors_are_not_retried(status: int) -> None:
    assert not is_retryable_status(status)
