"""SOP deadlines in Indonesian working days.

Not working: Saturdays, Sundays, national holidays and cuti bersama (the `holidays` package,
country ID, categories public and government), plus the office's own `extra_holidays`;
`extra_working_days` wins over all of those (a Saturday worked to make up a bridge day).

The SOP clock starts at the Sekretaris's disposition (step 1). Step 2 has 2 working *hours*,
steps 3-5 whole working days; a deadline of N working days is the office's closing time on
the N-th working day after the day the previous step was due.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sheets_sync.domain.models import MONTHS_ID, Config, Sop

HOLIDAY_SET = ("ID", ("public", "government"), "id")  # country, categories, names' language


@functools.cache
def holidays_from_package(year: int) -> dict[date, str]:
    """One year's national holidays and cuti bersama, from the `holidays` package."""
    import holidays  # a quarter of a second to import and build: only when asked

    country, categories, language = HOLIDAY_SET
    found = holidays.country_holidays(country, categories=categories, language=language,
                                      years=year)
    return {day: name for day, name in found.items() if day.year == year}


# Where national holidays come from: the package, unless a source is set with
# `use_holiday_source` (the CLI sets `caches.holiday_cache`, the same dates from disk).
national_holidays: Callable[[int], Mapping[date, str]] = holidays_from_package


def use_holiday_source(source: Callable[[int], Mapping[date, str]]) -> None:
    """Take each year's national holidays from `source` (same answers as the package, e.g.
    kept on disk); calendars built afterwards ask it."""
    global national_holidays
    national_holidays = source

_DAYS_ID = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


class WorkingCalendar:
    def __init__(self, sop: Sop) -> None:
        self.sop = sop
        self._extra_off = set(sop.extra_holidays)
        self._extra_on = set(sop.extra_working_days)
        self._years: dict[int, Mapping[date, str]] = {}

    def _national(self, year: int) -> Mapping[date, str]:
        found = self._years.get(year)
        if found is None:
            found = self._years[year] = national_holidays(year)
        return found

    def holiday_name(self, day: date) -> str | None:
        if day in self._extra_on:
            return None
        if day in self._extra_off:
            return "Libur lokal"
        return self._national(day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        if day in self._extra_on:
            return True
        return (day.weekday() < 5 and day not in self._extra_off
                and day not in self._national(day.year))

    def next_working_day(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """Closing time of the `days`-th working day after `start`'s day."""
        day = start.date()
        for _ in range(days):
            day = self.next_working_day(day)
        return datetime.combine(day, self.sop.office_closes)

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """`start` plus `hours` of office time, carried over to the next working day."""
        opens, closes = self.sop.office_opens, self.sop.office_closes
        at = start
        if not self.is_working_day(at.date()) or at.time() >= closes:
            at = datetime.combine(self.next_working_day(at.date()), opens)
        elif at.time() < opens:
            at = datetime.combine(at.date(), opens)
        remaining = timedelta(hours=hours)
        while True:
            left_today = datetime.combine(at.date(), closes) - at
            if remaining <= left_today:
                return at + remaining
            remaining -= left_today
            at = datetime.combine(self.next_working_day(at.date()), opens)


@dataclass(frozen=True)
class SopStep:
    number: int
    activity: str
    actor: str
    standard: str  # the SOP's "mutu baku", as written
    output: str
    due: datetime | None


def sop_schedule(config: Config) -> list[SopStep]:
    """The five SOP steps with their due times, counted from the disposition."""
    d = config.sop.durations
    cal = WorkingCalendar(config.sop)
    start = config.opening.disposition_at
    due: list[datetime | None] = [None] * 5
    if start is not None:
        due[0] = start
        due[1] = cal.add_working_hours(start, d.distribute_hours)
        due[2] = cal.add_working_days(due[1], d.fill_days)
        due[3] = cal.add_working_days(due[2], d.check_days)
        due[4] = cal.add_working_days(due[3], d.recap_days)
    rows = [
        ("Sekretaris menugaskan Kasubbag PEP melaporkan data kinerja", "Sekretaris",
         f"{d.disposition_minutes} menit", "Disposisi"),
        ("Menyiapkan kertas kerja dan mengirim ke setiap bagian", "Kasubbag PEP",
         f"{d.distribute_hours:g} jam", "Pendistribusian kertas kerja"),
        ("Mengukur dan mengisi data capaian kinerja", "Seluruh Kasie/Kasubbag",
         f"{d.fill_days} hari kerja", "Data kinerja"),
        ("Memeriksa kertas kerja; konfirmasi ke bagian bila perlu", "Kasubbag PEP",
         f"{d.check_days} hari kerja", "Data kinerja yang valid"),
        ("Merekapitulasi data kinerja", "Analis", f"{d.recap_days} hari kerja",
         "Rekapitulasi Data Kinerja"),
    ]
    return [SopStep(n + 1, a, who, std, out, due[n]) for n, (a, who, std, out) in enumerate(rows)]


def fill_deadline(config: Config) -> datetime | None:
    """When sections must have filled their worksheets (SOP step 3)."""
    return sop_schedule(config)[2].due


def format_datetime_id(value: datetime | None) -> str:
    """'Kamis, 8 Oktober 2026 pukul 16.00'."""
    if value is None:
        return "-"
    return (f"{_DAYS_ID[value.weekday()]}, {value.day} {MONTHS_ID[value.month - 1]} "
            f"{value.year} pukul {value:%H.%M}")
