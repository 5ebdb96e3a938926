"""Optional backend abilities are declared in the store's type (`ports.Capabilities`), and the
guard passes them on: a flow asks the declaration, never probes the store."""

from __future__ import annotations

from pathlib import Path

from sheets_sync.adapters.google import GoogleStore
from sheets_sync.adapters.google.http import RateLimiter
from sheets_sync.adapters.local import LocalStore
from sheets_sync.flows.guard import GuardedStore
from sheets_sync.ports import Capabilities, paces_by_bucket
from sheets_sync.settings.backend import GoogleBackend
from tests.fakegoogle import FakeGoogle
from tests.test_google_support import PEP, FakeClock, Sleeps, make_store


def test_the_local_store_paces_nothing_and_counts_no_calls(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    assert store.capabilities == Capabilities(paces_by_bucket=False, counts_calls=False)
    assert store.stats() == {}
    assert not paces_by_bucket(GuardedStore(store, "2026-TW3", writing=False))


def test_the_google_store_counts_calls_and_paces_per_bucket_under_the_quota() -> None:
    fake = FakeGoogle(seed=3)
    store = make_store(fake)
    assert store.capabilities == Capabilities(paces_by_bucket=True, counts_calls=True)
    guarded = GuardedStore(store, "2026-TW3", writing=False)
    assert guarded.capabilities == store.capabilities
    guarded.find("2026-TW3")
    assert guarded.stats() == {"drive.files.list": 1}


def test_under_one_shared_rate_the_google_store_does_not_pace_per_bucket() -> None:
    clock = FakeClock()
    store = GoogleStore.from_session(FakeGoogle(seed=3).session(PEP), GoogleBackend(),
                                     account=PEP, sleep=Sleeps(),
                                     limiter=RateLimiter(50, clock=clock, sleep=clock.sleep))
    assert store.capabilities == Capabilities(paces_by_bucket=False, counts_calls=True)
