"""Times in lock messages are on the office's clock (office.timezone), whatever zone the
computer running `sync` is set to (issue 21, point 6)."""

from __future__ import annotations

import json
import os
import socket
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from sheets_sync.adapters.local.period_lock import LOCK_NAME, PeriodLock
from sheets_sync.domain.timezones import office_clock, parse_zone
from sheets_sync.ports import PeriodLocked

WIT = parse_zone("WIT")


def test_a_held_lock_is_told_in_office_time(tmp_path: Path) -> None:
    # held by this very process (alive, same computer): a second writer is told who and when
    (tmp_path / LOCK_NAME).write_text(json.dumps({
        "user": "pep1", "host": socket.gethostname(), "pid": os.getpid(),
        "since": "2026-10-07T01:30:00+00:00", "expires_after": 60}))
    lock = PeriodLock(tmp_path, "2026-TW3", wait=0, zone=WIT)
    with pytest.raises(PeriodLocked) as caught, lock.held():
        pass
    assert "sejak 07-10-2026 10:30" in caught.value.message  # 01:30 UTC is 10:30 WIT


def test_office_clock_takes_a_naive_time_as_this_computers() -> None:
    local = datetime(2026, 10, 7, 8, 0)
    expected = local.astimezone(UTC).astimezone(timezone(timedelta(hours=7)))
    assert office_clock(local, parse_zone("WIB")) == expected.replace(tzinfo=None)
    assert office_clock(local, None) == local
