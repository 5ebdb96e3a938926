"""SOP deadlines in Indonesian working days (weekends, holidays, cuti bersama, overrides)."""

from datetime import date, datetime, time

from sheets_sync.domain.calendar import WorkingCalendar, format_datetime_id, sop_schedule
from sheets_sync.domain.models import Config, Opening, Sop


def test_idul_fitri_2026_cuti_bersama_are_not_working_days():
    cal = WorkingCalendar(Sop())
    # 2026: Nyepi 19 March, Idul Fitri 21-22 March, cuti bersama 18, 20, 23, 24 March
    for day in (18, 19, 20, 23, 24):
        assert not cal.is_working_day(date(2026, 3, day)), day
    assert cal.is_working_day(date(2026, 3, 17))
    assert cal.is_working_day(date(2026, 3, 25))
    assert "Idul Fitri" in (cal.holiday_name(date(2026, 3, 20)) or "")


def test_fill_deadline_jumps_over_the_lebaran_holidays():
    cal = WorkingCalendar(Sop())
    distributed = cal.add_working_hours(datetime(2026, 3, 17, 15, 0), 2)
    # one hour left on the 17th, the next working day is the 25th
    assert distributed == datetime(2026, 3, 25, 9, 0)
    # 3 working days: 26, 27 (Fri), 30 (Mon) -> closing time on the 30th
    assert cal.add_working_days(distributed, 3) == datetime(2026, 3, 30, 16, 0)


def test_local_overrides():
    sop = Sop(extra_holidays=[date(2026, 10, 6)], extra_working_days=[date(2026, 10, 10)])
    cal = WorkingCalendar(sop)
    assert not cal.is_working_day(date(2026, 10, 6))  # a Tuesday made a local holiday
    assert cal.is_working_day(date(2026, 10, 10))  # a Saturday worked
    assert cal.holiday_name(date(2026, 10, 6)) == "Libur lokal"
    start = datetime(2026, 10, 5, 9, 0)  # Monday
    assert cal.add_working_days(start, 2) == datetime(2026, 10, 8, 16, 0)


def test_working_hours_before_opening_start_at_opening():
    cal = WorkingCalendar(Sop(office_opens=time(7, 30), office_closes=time(16, 0)))
    assert cal.add_working_hours(datetime(2026, 10, 5, 6, 0), 2) == datetime(2026, 10, 5, 9, 30)
    # a Saturday start waits for Monday
    assert cal.add_working_hours(datetime(2026, 10, 3, 10, 0), 1) == datetime(2026, 10, 5, 8, 30)


def test_schedule_counts_every_step_from_the_disposition():
    config = Config.model_validate({
        "period": "2026-TW3", "sections": [],
        "opening": Opening(disposition_at=datetime(2026, 10, 1, 9, 0)).model_dump(),
    })
    steps = sop_schedule(config)
    assert [s.number for s in steps] == [1, 2, 3, 4, 5]
    assert steps[1].due == datetime(2026, 10, 1, 11, 0)
    assert steps[2].due == datetime(2026, 10, 6, 16, 0)  # Thu 1 Oct + 3 wd: 2, 5, 6
    assert steps[3].due == datetime(2026, 10, 8, 16, 0)
    assert steps[4].due == datetime(2026, 10, 12, 16, 0)


def test_no_disposition_means_no_deadlines_yet():
    config = Config.model_validate({"period": "2026", "sections": []})
    assert all(s.due is None for s in sop_schedule(config))
    assert format_datetime_id(None) == "-"


def test_indonesian_date_text():
    assert format_datetime_id(datetime(2026, 10, 8, 16, 0)) == "Kamis, 8 Oktober 2026 pukul 16.00"


def test_a_holiday_source_set_through_the_hook_is_what_new_calendars_ask():
    from sheets_sync.domain import calendar

    asked: list[int] = []

    def source(year: int) -> dict[date, str]:
        asked.append(year)
        return {date(year, 7, 1): "Libur uji"}

    before = calendar.national_holidays
    calendar.use_holiday_source(source)
    try:
        cal = WorkingCalendar(Sop())
        assert not cal.is_working_day(date(2031, 7, 1))
        assert cal.holiday_name(date(2031, 7, 1)) == "Libur uji"
        assert asked == [2031]
    finally:
        calendar.use_holiday_source(before)
