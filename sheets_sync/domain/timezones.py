"""Time zones as Indonesian offices write them: WIB, WITA, WIT, or an offset from UTC."""

from __future__ import annotations

import re
from datetime import timedelta, timezone

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
