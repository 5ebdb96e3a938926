"""Time zones as Indonesian offices write them: WIB, WITA, WIT, or an offset from UTC."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo

# Indonesia's three time zones; the office's deadlines and hand-in times are its local time.
TIMEZONES = {"WIB": 7, "WITA": 8, "WIT": 9}
_OFFSET_RE = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


def parse_zone(text: str) -> timezone | None:
    """'WIB', 'WITA', 'WIT', '+07:00', 'UTC+7' -> a fixed offset; None when not a zone."""
    t = str(text).strip().upper()
    if t in TIMEZONES:
        return timezone(timedelta(hours=TIMEZONES[t]), t)
    m = _OFFSET_RE.match(t)
    if not m:
        return None
    hours, minutes = int(m.group(2)), int(m.group(3) or 0)
    if hours > 14 or minutes >= 60:
        return None
    sign = -1 if m.group(1) == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def office_clock(when: datetime, zone: tzinfo | None) -> datetime:
    """`when` on the office's clock (naive, as every time the service shows): an aware time
    is converted, a naive one is taken as this computer's local time. No zone: as given."""
    if zone is None:
        return when
    return when.astimezone(zone).replace(tzinfo=None)
