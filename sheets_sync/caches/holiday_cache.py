"""National holidays kept on disk, so that a command does not import the `holidays` package.

Importing the package and building Indonesia's calendar (Islamic, Chinese and Hindu lunar
tables) takes about a quarter of a second on every command, for the same dozen dates a year.
Each year's dates are kept as JSON in the user's cache folder (`config_cache.cache_folder`),
named by the installed package's file stamp: upgrading `holidays` (new cuti bersama decrees)
computes them afresh. Any trouble with the cache only means asking the package.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
from datetime import date
from pathlib import Path

from sheets_sync.caches.config_cache import cache_folder, keep
from sheets_sync.domain import calendar


@functools.cache
def national_holidays(year: int) -> dict[date, str]:
    file = _file(year)
    if file is not None:
        with contextlib.suppress(OSError, ValueError, TypeError):
            kept = json.loads(file.read_text(encoding="utf-8"))
            return {date.fromisoformat(day): str(name) for day, name in kept.items()}
    found = calendar.holidays_from_package(year)
    if file is not None:
        keep(file, json.dumps({d.isoformat(): n for d, n in found.items()}, ensure_ascii=False))
    return found


def _file(year: int) -> Path | None:
    folder = cache_folder()
    spec = importlib.util.find_spec("holidays")
    if folder is None or spec is None or not spec.origin:
        return None
    try:
        stat = Path(spec.origin).stat()
    except OSError:
        return None
    stamp = hashlib.sha256(repr((spec.origin, stat.st_mtime_ns, stat.st_size,
                                 calendar.HOLIDAY_SET)).encode()).hexdigest()[:16]
    return folder / f"holidays-{stamp}-{year}.json"


def use_cache() -> None:
    """Let the working calendar take national holidays from this cache."""
    calendar.use_holiday_source(national_holidays)
