"""The sent-log: which reminder went out on which channel, kept where every computer sees it.

It is a hidden sheet `_pengingat` of the period's recap workbook, on either backend, written
through the port. Rows are only ever appended (one row per event), so two computers never
overwrite each other's record; the last row of a key tells its state.

Sending is at most once: a reminder is first *claimed* (a row written before the send), then
its outcome recorded. A send that failed is tried again later; a claim without an outcome (the
process died mid-send) is never resent automatically, because the reminder may have gone out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sheets_sync.domain.patch import SheetPatch, Value, WorkbookPatch

SHEET_LOG = "_pengingat"
HEADER: list[Value] = ["Kunci", "Saluran", "Keadaan", "Waktu", "Penerima", "Keterangan"]
SENT, CLAIMED, FAILED = "dikirim", "diklaim", "gagal"
RETRY_AFTER = timedelta(minutes=15)  # a failed send is tried again after this, then 2x ...
RETRY_MAX = timedelta(hours=4)  # ... at most this apart (a wrong password writes few rows)


@dataclass(frozen=True)
class LogEntry:
    key: str
    channel: str
    state: str
    at: datetime | None
    recipients: str = ""
    detail: str = ""
    failures: int = 0  # failed attempts so far

    def blocks(self, now: datetime) -> bool:
        """Whether this record stops a send now."""
        if self.state in (SENT, CLAIMED):
            return True
        wait = min(RETRY_AFTER * 2 ** max(self.failures - 1, 0), RETRY_MAX)
        return self.at is not None and now - self.at < wait  # failed: wait a while


def parse_log(grid: list[list[Any]] | None) -> dict[tuple[str, str], LogEntry]:
    out: dict[tuple[str, str], LogEntry] = {}
    for row in grid or []:
        cells = [*row, "", "", "", "", "", ""][:6]
        key, channel, state = (str(c or "").strip() for c in cells[:3])
        if not key or key == HEADER[0]:
            continue
        at = cells[3]
        if isinstance(at, str):
            try:
                at = datetime.fromisoformat(at.strip())
            except ValueError:
                at = None
        before = out.get((key, channel))
        failures = (before.failures if before else 0) + (state == FAILED)
        out[(key, channel)] = LogEntry(key, channel, state,
                                       at if isinstance(at, datetime) else None,
                                       str(cells[4] or ""), str(cells[5] or ""), failures)
    return out


def log_patch(entries: list[LogEntry], *, with_header: bool) -> WorkbookPatch:
    rows: list[list[Value]] = [list(HEADER)] if with_header else []
    rows += [[e.key, e.channel, e.state, e.at.isoformat(timespec="seconds") if e.at else "",
              e.recipients, e.detail] for e in entries]
    return WorkbookPatch(sheets=[SheetPatch(SHEET_LOG, hidden=True, append_rows=rows)])
