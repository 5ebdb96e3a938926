"""One writer per period on Google: a small file the service keeps on Drive.

The lock is an empty file in the service's folder, tagged `sheets_sync_lock=<period>` (never
a role/period tag, so `find` does not list it), its holder (account, computer, process,
since when) in its description. Drive has no conditional write, so taking it is: look (1
files.list); when free, create ours (1 files.create, never twice: a one-off marker is looked
for after a lost answer), then look again: of two that raced, the one created first wins and
the other trashes its own and waits; a failure of that second look trashes ours too (no lock
is left behind by a half-done take). While held, the lock is renewed (its description says
until when) every quarter of `lock_stale_minutes` (default 1). A lock not renewed in time, or
whose process is gone on this same computer, is stale: trashed and taken over (by the same
race rule). Release: trash, in a `finally` that never fails the command; a lock whose trash
failed lapses by itself, and this computer's next run takes it over at once.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sheets_sync.adapters.google.base import (
    ALL_DRIVES,
    DRIVE_FILES,
    KEY_CREATE,
    _parse_time,
    _quote,
)
from sheets_sync.adapters.google.writing import Writing
from sheets_sync.adapters.local.period_lock import _alive
from sheets_sync.domain.timezones import office_clock
from sheets_sync.ports import LockHolder, PeriodLocked

KEY_LOCK = "sheets_sync_lock"
LOCK_FIELDS = "id,name,createdTime,description,appProperties"
LEGACY_LASTS = timedelta(minutes=30)  # a lock by an older version, never renewed
WAITS = (2.0, 4.0, 8.0)  # seconds between looks before giving up: a short command may end


class Locking(Writing):
    lock_clock: Callable[[], datetime] = staticmethod(lambda: datetime.now(UTC))

    @contextlib.contextmanager
    def lock(self, period: str) -> Iterator[None]:
        mine = self._take(period)
        stop = threading.Event()
        try:
            renew = threading.Thread(target=self._renew, args=(mine, self._holder(), stop),
                                     daemon=True,
                                     name="period-lock-renewal")
            renew.start()
            yield
        finally:
            stop.set()
            with contextlib.suppress(Exception):  # never hide the command's own error
                self._trash(mine)

    def _renew(self, mine: str, me: LockHolder, stop: threading.Event) -> None:
        """The heartbeat: while the command works, the lock says it lasts a while longer."""
        every = self.settings.lock_stale_minutes * 60 / 4
        while not stop.wait(every):
            with contextlib.suppress(Exception):  # a missed renewal: the next one may do
                self._json("patch", f"{DRIVE_FILES}/{mine}",
                           params={**ALL_DRIVES, "fields": "id"},
                           body={"description": self._description(me)})

    def _description(self, holder: LockHolder) -> str:
        return json.dumps({"who": holder.who, "host": holder.host, "pid": holder.pid,
                           "since": holder.since.isoformat(),
                           "renewed": self.lock_clock().isoformat(),
                           "expires_after": self.settings.lock_stale_minutes * 60})

    def _stale(self, other: LockHolder) -> bool:
        if other.host == socket.gethostname() and other.pid > 0 and other.pid != os.getpid() \
                and not _alive(other.pid):
            return True  # its process on this computer is gone: no need to wait
        until = other.until or other.since + LEGACY_LASTS  # an older version's lock
        return self.lock_clock() > until

    def lock_holder(self, period: str) -> LockHolder | None:
        """Who holds the period now (for `status`); None when free or stale."""
        for data in self._locks(period):
            other = _read_holder(data)
            if not self._stale(other):
                return other
        return None

    def _holder(self) -> LockHolder:
        host = socket.gethostname() or "?"
        who = f"{self.account() or 'sheets-sync'} di {host} (proses {os.getpid()})"
        return LockHolder(who=who, host=host, pid=os.getpid(), since=self.lock_clock())

    def _locks(self, period: str) -> list[dict[str, Any]]:
        q = [f"appProperties has {{ key='{KEY_LOCK}' and value={_quote(period)} }}",
             "trashed = false"]
        if self.folder_id:
            q.append(f"{_quote(self.folder_id)} in parents")
        params: dict[str, Any] = {"q": " and ".join(q), "pageSize": 100,
                                  "fields": f"files({LOCK_FIELDS})", **ALL_DRIVES,
                                  "includeItemsFromAllDrives": "true"}
        if not self.folder_id:
            params["corpora"] = "allDrives"
        found = self._json("get", DRIVE_FILES, params=params).get("files", [])
        return sorted(found, key=lambda d: (str(d.get("createdTime", "")), str(d["id"])))

    def _take(self, period: str) -> str:
        holder: LockHolder | None = None
        for wait in (*WAITS, None):
            with self._errors(f"mengambil kunci periode {period} di Drive", self.folder_id):
                locks = self._locks(period)
                live = []
                for data in locks:
                    other = _read_holder(data)
                    if self._stale(other):
                        self._trash(str(data["id"]))  # its process died: take over
                    else:
                        live.append((data, other))
                if not live:
                    mine = self._create_lock(period)
                    try:
                        first = self._locks(period)
                    except BaseException:  # ours must not outlive a failed look
                        with contextlib.suppress(Exception):
                            self._trash(mine)
                        raise
                    if first and str(first[0]["id"]) == mine:
                        return mine
                    self._trash(mine)  # another computer was a moment earlier
                    live = [(d, _read_holder(d)) for d in first if str(d["id"]) != mine]
                holder = live[0][1] if live else holder
            if wait is None:
                break
            self.http.retry.sleep(wait)
        assert holder is not None
        raise PeriodLocked(
            f"Periode {period} sedang dikerjakan oleh {holder.who} sejak "
            f"{office_clock(holder.since, self.zone):%d-%m-%Y %H:%M} (kunci di Google Drive).",
            holder,
            hint="Tunggu perintah itu selesai, lalu jalankan lagi. Kunci diperpanjang selama "
                 "perintah itu bekerja; bila komputer itu mati, kunci kedaluwarsa "
                 f"{self.settings.lock_stale_minutes:g} menit setelah perpanjangan terakhir "
                 "(backend.google.lock_stale_minutes); di komputer ini, proses yang sudah "
                 "berhenti langsung diambil alih.")

    def _create_lock(self, period: str) -> str:
        token = secrets.token_hex(12)
        holder = self._holder()
        body: dict[str, Any] = {
            "name": f"sheets-sync kunci {period}", "mimeType": "text/plain",
            "appProperties": {KEY_LOCK: period, KEY_CREATE: token},
            "description": self._description(holder),
        }
        if self.folder_id:
            body["parents"] = [self.folder_id]
        q = [f"appProperties has {{ key='{KEY_CREATE}' and value={_quote(token)} }}"]
        data = self._make_once(DRIVE_FILES, {**ALL_DRIVES, "fields": "id"}, body,
                               lambda: next(iter(self._list(q)), None),
                               f"mengambil kunci periode {period}")
        return str(data["id"])


def _read_holder(data: dict[str, Any]) -> LockHolder:
    try:
        info = json.loads(data.get("description") or "{}")
        since = datetime.fromisoformat(info["since"])
        renewed = datetime.fromisoformat(info.get("renewed") or info["since"])
        lasts = info.get("expires_after")
        until = renewed + timedelta(seconds=float(lasts)) if lasts else None
        return LockHolder(who=str(info["who"]), host=str(info.get("host", "?")),
                          pid=int(info.get("pid", 0)), since=since, until=until)
    except (ValueError, KeyError, TypeError):
        # unreadable: judged by its creation time
        created = _parse_time(data.get("createdTime"))
        since = created.astimezone(UTC) if created else datetime.now(UTC)
        return LockHolder(who="proses lain", host="?", pid=0, since=since)
