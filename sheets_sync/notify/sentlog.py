"""The sent-log: which reminder went out on which channel, kept where every computer sees it.

It is a hidden sheet `_pengingat` of the period's recap workbook, on either backend, written
through the port. Rows are only ever appended (one row per event), so two computers never
overwrite each other's record; the last row of a key tells its state.

Sending is once: a reminder is first *claimed* (a row written before the send, naming this
computer), then its outcome recorded. Between the two, this computer notes in a small journal
of its own (`journal_note`, flushed to disk) that it starts sending and that it has sent. A
claim left without an outcome (the process was killed, or the outcome could not be written) is
settled by this computer's next run, under the period's lock: sent per the journal -> recorded
as sent; never started -> sent now; started but not known to have finished -> not sent again
(it may have gone out). A send that failed is tried again later.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sheets_sync.domain.patch import SheetPatch, Value, WorkbookPatch

SHEET_LOG = "_pengingat"
HEADER: list[Value] = ["Kunci", "Saluran", "Keadaan", "Waktu", "Penerima", "Keterangan"]
SENT, CLAIMED, FAILED = "dikirim", "diklaim", "gagal"
SENDING = "mengirim"  # in the journal only: the send has started
CLAIMED_BY = "diklaim oleh "  # + this computer's name, in the claim's Keterangan
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


def journal_ready(path: Path | None) -> bool:
    """Whether this computer can keep its journal (a read-only folder: it cannot, and then
    its claims are never resent, as before the journal)."""
    if path is None:
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8"):
            return True
    except OSError:
        return False


def journal_note(path: Path | None, entry: LogEntry, state: str) -> None:
    """One line in this computer's journal, on disk before the next step (see above)."""
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"key": entry.key, "channel": entry.channel, "state": state,
                       "claimed": entry.at.isoformat(timespec="seconds") if entry.at else "",
                       "to": entry.recipients})
    with open(path, "a", encoding="utf-8") as out:
        out.write(line + "\n")
        out.flush()
        with contextlib.suppress(OSError):
            os.fsync(out.fileno())


def journal_read(path: Path | None) -> dict[tuple[str, str, str], dict[str, str]]:
    """(key, channel, claim time) -> the last line about that claim."""
    out: dict[tuple[str, str, str], dict[str, str]] = {}
    if path is None or not path.is_file():
        return out
    for line in path.read_text("utf-8", "replace").splitlines():
        try:
            data = json.loads(line)
            out[(str(data["key"]), str(data["channel"]), str(data["claimed"]))] = data
        except (ValueError, KeyError, TypeError):
            continue  # a line cut off by a kill: that step did not finish
    return out
