"""One writer per period on a shared folder: a lock file in the period's hidden folder.

The lock file is created exclusively (O_EXCL) and holds who took it (user, computer, process,
since). While held, a heartbeat touches it, so a lock left by a computer that went away is
recognised by its age. A second process waits briefly, then is told who holds it and since
when. A stale lock (its process gone on this computer, or not touched for the configured age
when held from another computer) is taken over; taking over goes through a second exclusive
file, so two takers can never both remove a fresh lock.
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
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from sheets_sync.ports import BackendError, LockHolder, PeriodLocked

LOCK_NAME = "kunci-periode.json"
DEFAULT_WAIT = 5.0  # seconds a second process waits before it says who holds the lock
BREAKER_STALE = 60.0  # seconds: a take-over takes milliseconds; older is a crashed taker


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
                 stale_after: float = 15 * 60, poll: float = 0.1) -> None:
        self.folder = folder
        self.period = period
        self.path = folder / LOCK_NAME
        self.wait = DEFAULT_WAIT if wait is None else wait
        self.stale_after = stale_after
        self.poll = poll
        self.host = socket.gethostname()
        self._stop: threading.Event | None = None
        self._content = b""

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
              "since": datetime.now().isoformat(timespec="seconds")}
        content = json.dumps(me).encode()
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
        except FileExistsError:
            return False
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            out.flush()
            with contextlib.suppress(OSError):
                os.fsync(out.fileno())
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
        try:
            data = json.loads(raw)
            user, host, pid = str(data["user"]), str(data["host"]), int(data["pid"])
            since = datetime.fromisoformat(str(data["since"]))
        except (ValueError, KeyError, TypeError):
            # half-written by a taker that crashed, or unreadable: judge it by its age alone
            user, host, pid, since = "?", "?", 0, datetime.fromtimestamp(touched)
        holder = LockHolder(who=f"{user} di {host} (proses {pid})", host=host, pid=pid,
                            since=since)
        self._touched = touched
        return holder, raw

    def _stale(self, holder: LockHolder) -> bool:
        if holder.host == self.host and holder.pid > 0:
            return not _alive(holder.pid)
        return time.time() - self._touched > self.stale_after

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
        minutes = round(self.stale_after / 60)
        return PeriodLocked(
            f"periode {self.period} sedang dikerjakan oleh {holder.who} sejak "
            f"{holder.since:%d-%m-%Y %H:%M}.",
            holder,
            hint="Tunggu sampai perintah itu selesai, lalu jalankan lagi. Bila komputer itu "
                 f"mati atau perintahnya macet, kuncinya dianggap basi setelah {minutes} menit "
                 "(backend.lock_stale_minutes) dan diambil alih otomatis.",
        )
