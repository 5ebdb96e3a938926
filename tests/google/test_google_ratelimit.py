"""The shared token-bucket rate limiter, on a fake clock (no real sleeping)."""

from __future__ import annotations

import threading

from sheets_sync.adapters.google.http import (
    QuotaLimiter,
    RateLimiter,
    RetryPolicy,
    endpoint_kind,
    quota_bucket,
)
from sheets_sync.settings.backend import GoogleBackend
from tests.google.test_google_auth import pem  # noqa: F401  (the fixture: a service-account key)


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


# ---------------------------------------------------------------- one bucket per quota (issue 12)


def test_sheets_reads_writes_and_drive_are_paced_apart() -> None:
    # 100 reads interleaved with 100 writes at 50 a minute each: with one shared bucket the
    # 200 calls take ~4 minutes; Google counts them in two buckets, so ~2 minutes suffice.
    def run(limiter: RateLimiter | QuotaLimiter, clock: FakeClock) -> float:
        for _ in range(100):
            limiter.acquire("sheets.values.batchGet")
            limiter.acquire("sheets.batchUpdate")
        return clock.now

    shared_clock, split_clock = FakeClock(), FakeClock()
    shared = run(RateLimiter(50, clock=shared_clock, sleep=shared_clock.sleep), shared_clock)
    split = run(QuotaLimiter({"sheets_read": 50, "sheets_write": 50, "drive": 100},
                             clock=split_clock, sleep=split_clock.sleep), split_clock)
    assert shared >= (200 - 5) / 50 * 60 - 1e-6
    assert split <= (100 - 5) / 50 * 60 + 1e-6
    assert split < shared * 0.55


def test_each_bucket_stays_within_its_own_rate() -> None:
    clock = FakeClock()
    limiter = QuotaLimiter({"sheets_read": 50, "sheets_write": 40, "drive": 90},
                           clock=clock, sleep=clock.sleep)
    kinds = ["sheets.get", "sheets.values.update", "drive.permissions.create",
             "drive.files.copy", "sheets.values.batchGet"]
    stamps: dict[str, list[float]] = {"sheets_read": [], "sheets_write": [], "drive": []}
    for n in range(600):
        kind = kinds[n % len(kinds)]
        limiter.acquire(kind)
        stamps[quota_bucket(kind)].append(clock.now)
    for name, rate in (("sheets_read", 50), ("sheets_write", 40), ("drive", 90)):
        times = stamps[name]
        burst = limiter.buckets[name].capacity
        assert max(sum(1 for u in times[i:] if u < t + 60) for i, t in enumerate(times)) \
            <= rate + burst


def test_endpoints_fall_in_google_quota_buckets() -> None:
    reads = ["sheets.get", "sheets.values.get", "sheets.values.batchGet"]
    writes = ["sheets.batchUpdate", "sheets.values.update", "sheets.values.append",
              "sheets.values.clear", "sheets.values.batchUpdate", "sheets.create",
              "sheets.sheets.copyTo"]
    drive = ["drive.files.list", "drive.files.copy", "drive.permissions.create", "drive.about.get"]
    assert {quota_bucket(k) for k in reads} == {"sheets_read"}
    assert {quota_bucket(k) for k in writes} == {"sheets_write"}
    assert {quota_bucket(k) for k in drive} == {"drive"}
    assert quota_bucket(endpoint_kind(
        "GET", "https://sheets.googleapis.com/v4/spreadsheets/abc/values:batchGet")) \
        == "sheets_read"


def _rates(settings: GoogleBackend) -> dict[str, float]:
    return {n: b.rate * 60 for n, b in QuotaLimiter.from_settings(settings).buckets.items()}


def test_quota_defaults_stay_below_google_per_user_limits() -> None:
    rates = _rates(GoogleBackend())
    assert rates == {"sheets_read": 50, "sheets_write": 50, "drive": 100}
    assert rates["sheets_read"] < 60 and rates["sheets_write"] < 60


def test_old_requests_per_minute_still_paces_every_bucket() -> None:
    assert _rates(GoogleBackend.model_validate({"requests_per_minute": 30})) == \
        {"sheets_read": 30, "sheets_write": 30, "drive": 30}
    both = GoogleBackend.model_validate({"requests_per_minute": 30,
                                         "quota": {"sheets_read": 40}})
    assert _rates(both) == {"sheets_read": 40, "sheets_write": 50, "drive": 100}


def test_a_clock_read_behind_the_bucket_waits_for_the_bucket() -> None:
    # A benchmark's virtual clock per thread may read earlier than another thread's last
    # call: the token must not refill backwards, and the wait counts from the bucket's time.
    times = iter([10.0, 10.0, 4.0])  # construction, then two calls
    slept: list[float] = []
    limiter = RateLimiter(60, burst=1, clock=lambda: next(times), sleep=slept.append)
    assert limiter.acquire() == 0
    assert limiter.acquire() == 7.0  # the next slot is at 11.0, seen from 4.0


def test_doctor_checks_each_sheets_bucket_against_google(tmp_path, pem) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    import json

    from sheets_sync.adapters.google.doctor import run_doctor
    from sheets_sync.settings.backend import GoogleQuota
    from tests.fakegoogle import FakeGoogle
    from tests.google.test_google_auth import config_for, sa_json

    (tmp_path / "credentials.json").write_text(json.dumps(sa_json(pem)))
    fake = FakeGoogle()

    def rate_check(**google: object):  # type: ignore[no-untyped-def]
        checks = run_doctor(config_for(fake, auth="service_account", **google), tmp_path,
                            mount=fake.mount)
        return next(c for c in checks if c.label == "Batas laju (rate limit)")

    assert rate_check().ok and "baca 50, tulis 50, Drive 100" in rate_check().detail
    too_fast = rate_check(quota=GoogleQuota(sheets_write=120))
    assert not too_fast.ok and "quota" in too_fast.hint
    assert not rate_check(requests_per_minute=90).ok  # the old single rate, every bucket
