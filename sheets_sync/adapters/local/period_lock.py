"""One writer per period on a shared folder: a lock file in the period's hidden folder.

The lock file appears whole in one step (written beside it, then hard-linked in, which fails
if a lock is there) and holds who took it (user, computer, process, since) and how long it
lasts unrenewed. While held, a heartbeat touches it every quarter of that time. A second
process waits briefly, then is told who holds it, since and until when. A lock is stale, and
taken over at once, when its process is gone (same computer), when it was not renewed in
time (another computer; judged by the share's own clock, so two computers' clocks need not
agree), or when it is empty or unreadable (a kill while it was made). Taking over goes
through a second exclusive file, so two takers can never both remove a fresh lock.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, tzinfo
from pathlib import Path

from sheets_sync.domain.timezones import office_clock
from sheets_sync.ports import BackendError, LockHolder, PeriodLocked

LOCK_NAME = "kunci-periode.json"
DEFAULT_WAIT = 5.0  # seconds a second process waits before it says who holds the lock
BREAKER_STALE = 60.0  # seconds: a take-over takes milliseconds; older is a crashed taker
UNREADABLE_GRACE = 2.0  # seconds: a lock being written (share without hard links) is short
LEGACY_LASTS = 15 * 60.0  # a lock by an older version: renewed only every few minutes


def _user() -> str:
    try:
        return getpass.getuser() or "?"
    except (KeyError, OSError):
        return "?"


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":
        # os.kill(pid, 0) would send Ctrl+C on Windows: ask the kernel instead.
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


class PeriodLock:
    def __init__(self, folder: Path, period: str, *, wait: float | None = None,
                 stale_after: float = 60, poll: float = 0.1, zone: tzinfo | None = None) -> None:
        self.zone = zone  # the office's clock, for the times in messages
        self.folder = folder
        self.period = period
        self.path = folder / LOCK_NAME
        self.wait = DEFAULT_WAIT if wait is None else wait
        self.stale_after = stale_after
        self.poll = poll
        self.host = socket.gethostname()
        self._stop: threading.Event | None = None
        self._content = b""
        self._touched = 0.0

    # ------------------------------------------------------------------ holding

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        self.acquire()
        try:
            yield
        finally:
            self.release()

    def acquire(self) -> None:
        try:
            self._acquire()
        except OSError as exc:
            raise BackendError(
                f"kunci periode {self.path} tidak dapat dibuat "
                f"({exc.strerror or type(exc).__name__}).",
                hint="Periksa bahwa folder kerja (backend.local.workspace) dapat ditulis dan "
                     "bukan sebuah berkas.",
            ) from None

    def _acquire(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.wait
        while True:
            if self._try_create():
                self._start_heartbeat()
                return
            holder, raw = self._holder()
            if holder is not None and self._stale(holder):
                self._take_over(raw)
                continue
            if time.monotonic() >= deadline:
                raise self._locked(holder)
            time.sleep(self.poll)

    def release(self) -> None:
        if self._stop is not None:
            self._stop.set()
            self._stop = None
        # remove it only if it is still ours (a take-over after a long pause must not lose
        # the new holder's lock)
        with contextlib.suppress(OSError):
            if self.path.read_bytes() == self._content:
                self.path.unlink()

    def _try_create(self) -> bool:
        me = {"user": _user(), "host": self.host, "pid": os.getpid(),
              "since": datetime.now().astimezone().isoformat(timespec="seconds"),
              "expires_after": self.stale_after}
        content = json.dumps(me).encode()
        # Written whole beside it first, then linked in: a kill at any step leaves no lock,
        # or a whole one, never an empty one that would block the office.
        # a fresh name: a draft a kill left may be a second name of a live lock file
        tmp = self.folder / f"{LOCK_NAME}.{os.getpid()}-{uuid.uuid4().hex[:12]}.tmp"
        try:
            with open(tmp, "xb") as out:
                out.write(content)
                out.flush()
                with contextlib.suppress(OSError):
                    os.fsync(out.fileno())
            try:
                os.link(tmp, self.path)
            except FileExistsError:
                return False
            except OSError:  # a share without hard links: an exclusive create
                try:
                    fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
                except FileExistsError:
                    return False
                with os.fdopen(fd, "wb") as out:
                    out.write(content)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
        self._content = content
        return True

    def _start_heartbeat(self) -> None:
        stop = threading.Event()
        self._stop = stop
        every = max(1.0, self.stale_after / 4)

        def beat() -> None:
            while not stop.wait(every):
                with contextlib.suppress(OSError):
                    os.utime(self.path)

        threading.Thread(target=beat, name="period-lock-heartbeat", daemon=True).start()

    # ------------------------------------------------------------------ judging the holder

    def _holder(self) -> tuple[LockHolder | None, bytes]:
        try:
            raw = self.path.read_bytes()
            touched = self.path.stat().st_mtime
        except FileNotFoundError:
            return None, b""
        self._touched = touched
        try:
            data = json.loads(raw)
            user, host, pid = str(data["user"]), str(data["host"]), int(data["pid"])
            since = datetime.fromisoformat(str(data["since"]))
            lasts = float(data.get("expires_after") or max(LEGACY_LASTS, self.stale_after))
        except (ValueError, KeyError, TypeError):
            # empty or half-written (a kill while it was made): nobody holds it
            return LockHolder(who="kunci rusak", host="?", pid=0,
                              since=datetime.fromtimestamp(touched),
                              until=datetime.fromtimestamp(touched + UNREADABLE_GRACE)), raw
        return LockHolder(who=f"{user} di {host} (proses {pid})", host=host, pid=pid,
                          since=since, until=datetime.fromtimestamp(touched + lasts)), raw

    def _stale(self, holder: LockHolder) -> bool:
        if holder.host == self.host and holder.pid > 0:
            return not _alive(holder.pid)
        lasts = (holder.until.timestamp() - self._touched) if holder.until else self.stale_after
        return self._share_now() - self._touched > lasts

    def _share_now(self) -> float:
        """The time on the share's clock (a file touched now), which dated the lock too."""
        probe = self.folder / f"{LOCK_NAME}.jam-{os.getpid()}"
        try:
            probe.touch()
            now = probe.stat().st_mtime
            probe.unlink()
            return now
        except OSError:
            return time.time()

    def peek(self) -> LockHolder | None:
        """Who holds the lock now (None: free, or stale and so free to take)."""
        holder, _raw = self._holder()
        if holder is None or self._stale(holder):
            return None
        return holder

    def _take_over(self, raw: bytes) -> None:
        breaker = self.path.with_name(LOCK_NAME + ".ambil-alih")
        try:
            fd = os.open(breaker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
        except FileExistsError:
            with contextlib.suppress(OSError):
                if time.time() - breaker.stat().st_mtime > BREAKER_STALE:
                    breaker.unlink()
            time.sleep(self.poll)
            return
        os.close(fd)
        try:
            # still the very lock judged stale? (another taker may have replaced it already)
            with contextlib.suppress(FileNotFoundError):
                if self.path.read_bytes() == raw:
                    self.path.unlink()
        finally:
            breaker.unlink()

    def _locked(self, holder: LockHolder | None) -> PeriodLocked:
        if holder is None:  # it went away just now: report the last try plainly
            holder = LockHolder(who="proses lain", host="?", pid=0, since=datetime.now())
        until = (f", diperpanjang selama bekerja, berlaku sampai "
                 f"{office_clock(holder.until, self.zone):%H:%M:%S}") \
            if holder.until else ""
        return PeriodLocked(
            f"periode {self.period} sedang dikerjakan oleh {holder.who} sejak "
            f"{office_clock(holder.since, self.zone):%d-%m-%Y %H:%M}{until}.",
            holder,
            hint="Tunggu sampai perintah itu selesai, lalu jalankan lagi. Bila prosesnya "
                 "sudah berhenti di komputer ini, kuncinya langsung diambil alih; dari "
                 f"komputer lain yang mati, setelah {self.stale_after:g} detik tanpa "
                 "diperpanjang (backend.lock_stale_minutes).",
        )
