"""The service's clock: the real one, or a file a test (or a rehearsal) moves by hand.

`SHEETS_SYNC_CLOCK_FILE=path` makes the watcher read "now" from that file (an ISO time) and
run one cycle each time its content changes: a fortnight of the SOP can then be played in
seconds, deterministically. Without that variable nothing here differs from `datetime.now`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Protocol

from sheets_sync.domain.errors import UsageProblem

CLOCK_ENV = "SHEETS_SYNC_CLOCK_FILE"


class Clock(Protocol):
    def now(self) -> datetime: ...

    def sleep(self, seconds: float, stop: threading.Event) -> None:
        """Wait `seconds`, or less when asked to stop."""
        ...


class SystemClock:
    """The machine's local time (or whatever `now` the CLI pins: SHEETS_SYNC_NOW)."""

    def __init__(self, now: Callable[[], datetime] | None = None) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now() if self._now else datetime.now().replace(microsecond=0)

    def sleep(self, seconds: float, stop: threading.Event) -> None:
        stop.wait(seconds)


class FileClock:
    """Time as written in a file; sleeping lasts until the file says another time."""

    def __init__(self, path: Path, poll: float = 0.02) -> None:
        self.path = path
        self.poll = poll
        self._last = ""

    def _text(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8").strip()
        except OSError:
            return ""

    def now(self) -> datetime:
        text = self._text()
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise UsageProblem(f"{CLOCK_ENV}: {self.path} tidak berisi waktu ISO ({text!r}).") from None
        self._last = text
        return value

    def sleep(self, seconds: float, stop: threading.Event) -> None:
        while not stop.is_set() and self._text() in ("", self._last):
            stop.wait(self.poll)


def clock_from_env(now: Callable[[], datetime] | None = None) -> Clock:
    path = os.environ.get(CLOCK_ENV)
    return FileClock(Path(path)) if path else SystemClock(now)
