"""The config's SOP clock: the time standards of the SOP steps, office hours and days off,
and the opening letter and disposition that start the clock (SOP step 1)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from pydantic import Field, field_validator, model_validator

from sheets_sync.domain.timezones import TIMEZONES, parse_zone
from sheets_sync.settings.strict import Strict


class SopDurations(Strict):
    """Time standards ('mutu baku') of the SOP steps."""

    disposition_minutes: int = 15  # step 1
    distribute_hours: float = 2  # step 2
    fill_days: int = 3  # step 3, working days
    check_days: int = 2  # step 4, working days
    recap_days: int = 2  # step 5, working days


class Sop(Strict):
    durations: SopDurations = Field(default_factory=SopDurations)
    office_opens: time = time(8, 0)
    office_closes: time = time(16, 0)
    extra_holidays: list[date] = Field(default_factory=list, description="local days off")
    extra_working_days: list[date] = Field(
        default_factory=list, description="days worked although the national calendar is off"
    )

    @field_validator("office_opens", "office_closes", mode="before")
    @classmethod
    def _clock_time(cls, v: Any) -> Any:
        """Only a time of day as text: pydantic would read a number (`8`, or `8:00` unquoted,
        which YAML 1.1 reads as 480) as seconds since midnight in UTC."""
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            # YAML reads 08.00 as the number 8.0 and 8:00 as 480: say it as it was written
            shown = (f"{int(v):02d}.{round(v % 1 * 100):02d}" if isinstance(v, float)
                     else f"{v // 60:02d}:{v % 60:02d}" if v >= 60 else str(v))
            raise ValueError(f"jam {shown} dibaca sebagai angka, bukan jam; tulis jam dalam "
                             f"tanda kutip seperti '08:00'")
        return v

    @field_validator("office_opens", "office_closes")
    @classmethod
    def _office_time(cls, v: time) -> time:
        if v.tzinfo is not None:  # office hours are the office's own time (office.timezone)
            raise ValueError(f"jam kantor ditulis tanpa zona waktu, seperti "
                             f"'{v:%H:%M}' (zona kantor diatur di office.timezone)")
        return v

    @model_validator(mode="after")
    def _hours(self) -> Sop:
        if self.office_closes <= self.office_opens:
            raise ValueError(
                f"office_closes ({self.office_closes:%H:%M}) harus sesudah office_opens "
                f"({self.office_opens:%H:%M}); jam kantor biasa mis. 08:00 sampai 16:00")
        return self


class Opening(Strict):
    """SOP step 1: the Surat Sekda and the Sekretaris's disposition start the clock."""

    letter_number: str = ""
    letter_date: date | None = None
    disposition_at: datetime | None = None  # with a zone: converted to the office's time

    @field_validator("disposition_at", mode="before")
    @classmethod
    def _zone_word(cls, v: Any) -> Any:
        """'2026-10-01 09:00 WITA' -> an aware datetime (pydantic reads '+08:00' itself)."""
        if isinstance(v, str):
            parts = v.strip().rsplit(" ", 1)
            if len(parts) == 2 and parts[1].upper() in TIMEZONES:
                zone = parse_zone(parts[1])
                try:
                    return datetime.fromisoformat(parts[0].strip()).replace(tzinfo=zone)
                except ValueError:
                    return v
        return v
