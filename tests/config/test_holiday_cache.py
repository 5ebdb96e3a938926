"""National holidays kept on disk: the same dates as the package, without importing it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from sheets_sync.caches import holiday_cache
from sheets_sync.domain import calendar
from sheets_sync.domain.calendar import WorkingCalendar
from sheets_sync.domain.models import Sop


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("SHEETS_SYNC_CACHE", str(tmp_path))
    holiday_cache.national_holidays.cache_clear()
    monkeypatch.setattr(calendar, "national_holidays", holiday_cache.national_holidays)
    yield tmp_path
    holiday_cache.national_holidays.cache_clear()


def test_cached_dates_are_the_package_dates_and_need_no_package(
        cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = holiday_cache.national_holidays(2026)
    assert first == calendar.holidays_from_package(2026)
    assert "Idul Fitri" in (first.get(date(2026, 3, 20)) or "")
    assert len(list(cache.glob("holidays-*-2026.json"))) == 1

    holiday_cache.national_holidays.cache_clear()  # a new process: the package is not asked

    def no_package(year: int) -> dict[date, str]:
        raise AssertionError("asked the package again")

    monkeypatch.setattr(calendar, "holidays_from_package", no_package)
    cal = WorkingCalendar(Sop())
    assert not cal.is_working_day(date(2026, 8, 17))  # Hari Kemerdekaan
    assert cal.is_working_day(date(2026, 8, 18))
    assert cal.holiday_name(date(2026, 3, 20)) == first[date(2026, 3, 20)]


def test_a_damaged_cache_file_only_means_asking_the_package(cache: Path) -> None:
    holiday_cache.national_holidays(2027)
    for file in cache.glob("holidays-*-2027.json"):
        file.write_text('{"2027-01-01": ', encoding="utf-8")
    holiday_cache.national_holidays.cache_clear()
    assert holiday_cache.national_holidays(2027) == calendar.holidays_from_package(2027)
