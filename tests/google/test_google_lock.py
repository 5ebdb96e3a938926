"""One writer per period on Google too: a lock file the service keeps on Drive, with its
holder and time, stale after `lock_stale_minutes` (issue 9, item 5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sheets_sync.adapters.google.store import GoogleStore
from sheets_sync.ports import PeriodLocked, Role
from tests.fakegoogle import FakeGoogle
from tests.google.test_google_support import PERIOD, Sleeps, make_store

T0 = datetime(2026, 10, 5, 3, 0, tzinfo=UTC)


@pytest.fixture
def fake() -> FakeGoogle:
    return FakeGoogle(seed=11)


def _store(fake: FakeGoogle, folder: str, when: list[datetime],
           sleeps: Sleeps | None = None) -> GoogleStore:
    store = make_store(fake, folder_id=folder, sleeps=sleeps)
    store.lock_clock = lambda: when[0]  # type: ignore[method-assign]
    return store


def _locks(fake: FakeGoogle) -> list[str]:
    return [f.id for f in fake.files.values()
            if f.app_properties.get("sheets_sync_lock") == PERIOD and not f.trashed]


def test_a_second_computer_is_told_who_holds_the_period(fake: FakeGoogle) -> None:
    folder = fake.create_folder("Data Kinerja", owner=make_store(fake).account())
    when = [T0]
    first, sleeps = _store(fake, folder, when), Sleeps()
    second = _store(fake, folder, when, sleeps)
    with first.lock(PERIOD):
        assert len(_locks(fake)) == 1
        assert first.find(PERIOD) == []  # the lock is not one of the period's workbooks
        with pytest.raises(PeriodLocked) as caught, second.lock(PERIOD):
            pytest.fail("two writers on one period")
        assert "pep@setwan.example.go.id" in caught.value.message
        assert caught.value.holder.since == T0
        assert len(sleeps.calls) == 3  # it waited a little first
        assert len(_locks(fake)) == 1
    assert _locks(fake) == []  # released
    with second.lock(PERIOD):
        assert len(_locks(fake)) == 1
    with first.lock("2026-TW4"), second.lock(PERIOD):  # another period, another lock
        pass


def test_a_stale_lock_is_taken_over(fake: FakeGoogle) -> None:
    when = [T0]
    crashed = _store(fake, None, when)  # type: ignore[arg-type]
    crashed._take(PERIOD)  # took the lock, then the computer died
    when[0] = T0 + timedelta(minutes=31)
    with _store(fake, None, when).lock(PERIOD):  # type: ignore[arg-type]
        assert len(_locks(fake)) == 1


def test_of_two_racing_computers_the_first_wins(fake: FakeGoogle) -> None:
    when = [T0]
    a, b = _store(fake, None, when), _store(fake, None, when)  # type: ignore[arg-type]
    real = b._create_lock

    def racing(period: str) -> str:
        a._create_lock(period)  # a moment earlier, after b looked
        return real(period)

    b._create_lock = racing  # type: ignore[method-assign]
    with pytest.raises(PeriodLocked):
        b._take(PERIOD)
    assert len(_locks(fake)) == 1  # b trashed its own; a's stays


def test_the_lock_is_never_a_workbook(fake: FakeGoogle) -> None:
    store = make_store(fake)
    with store.lock(PERIOD):
        assert store.find(PERIOD, Role.recap) == [] and store.find(PERIOD) == []
