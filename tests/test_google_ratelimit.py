"""The shared token-bucket rate limiter, on a fake clock (no real sleeping)."""

from __future__ import annotations

import threading

from sheets_sync.adapters.google.http import RateLimiter, RetryPolicy


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []
        self.lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.slept.append(seconds)
            self.now += seconds


def test_burst_then_steady_rate() -> None:
    clock = FakeClock()
    limiter = RateLimiter(60, burst=5, clock=clock, sleep=clock.sleep)
    for _ in range(5):
        assert limiter.acquire() == 0  # the burst goes out at once
    for _ in range(10):
        limiter.acquire()
    assert clock.slept == [1.0] * 10  # then one a second at 60 per minute
    assert limiter.waited == 10.0


def test_no_window_of_a_minute_exceeds_rate_plus_burst() -> None:
    clock = FakeClock()
    limiter = RateLimiter(50, clock=clock, sleep=clock.sleep)
    stamps = []
    for _ in range(300):
        limiter.acquire()
        stamps.append(clock.now)
    for i, t in enumerate(stamps):
        in_window = sum(1 for u in stamps[i:] if u < t + 60)
        assert in_window <= 50 + limiter.capacity
    assert stamps[-1] >= (300 - limiter.capacity) / 50 * 60 - 1e-6


def test_idle_time_refills_only_up_to_the_burst() -> None:
    clock = FakeClock()
    limiter = RateLimiter(60, burst=3, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        limiter.acquire()
    clock.now += 3600  # an hour idle
    waits = [limiter.acquire() for _ in range(5)]
    assert waits == [0, 0, 0, 1.0, 1.0]


def test_threads_share_one_bucket() -> None:
    # A frozen clock: every reservation queues behind the ones before it, whichever thread
    # makes it, so the waits are exactly 0.5, 1.0, ... (a lost update would repeat one).
    slept: list[float] = []
    lock = threading.Lock()

    def sleep(seconds: float) -> None:
        with lock:
            slept.append(seconds)

    limiter = RateLimiter(120, burst=1, clock=lambda: 0.0, sleep=sleep)
    threads = [threading.Thread(target=lambda: [limiter.acquire() for _ in range(10)])
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(slept) == [0.5 * k for k in range(1, 40)]


def test_backoff_is_exponential_with_full_jitter_and_honours_retry_after() -> None:
    policy = RetryPolicy(max_retries=5, base=1.0, cap=64.0, sleep=lambda s: None,
                         rand=lambda: 0.5)
    assert [policy.delay(n, None) for n in range(8)] == [0.5, 1, 2, 4, 8, 16, 32, 32]
    assert policy.delay(0, 7.0) == 7.0  # Retry-After is a floor
    assert RetryPolicy(rand=lambda: 0.0).delay(3, None) == 0.0
