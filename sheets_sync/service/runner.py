"""`sync watch` as a service that runs for weeks.

Around the watch cycle (flows.watch) it adds what running unattended needs:
- an outage (Google or the network down, a file locked) is logged and the next attempt
  backs off (interval, 2x, 4x ... up to MAX_BACKOFF), then carries on where it was;
- SIGTERM (systemd, docker stop) and Ctrl+C stop it cleanly *between* cycles: a cycle that
  has begun writing finishes first; a second Ctrl+C stops at once;
- a rotating log file (standard logging);
- the heartbeat file that `sync status` shows;
- the reminders that are due, sent after each cycle (sheets_sync.notify).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import FrameType
from typing import Any

from sheets_sync.domain.models import Config
from sheets_sync.domain.os_words import why
from sheets_sync.domain.validation import evaluate_all
from sheets_sync.flows.collect import index_files
from sheets_sync.flows.watch import CycleResult, Watcher
from sheets_sync.notify.send import Notifier, Outcome, section_states
from sheets_sync.ports import BackendError, FileRef, Role, WorkbookStore
from sheets_sync.service.clock import Clock
from sheets_sync.service.heartbeat import (
    FAILING,
    RUNNING,
    SERVICE,
    STOPPED,
    Heartbeat,
    write_heartbeat,
)

log = logging.getLogger("sheets_sync.service")

MAX_BACKOFF = 15 * 60.0  # seconds: an outage is retried at least every quarter of an hour
LOG_BYTES, LOG_BACKUPS = 1_000_000, 5


def setup_logging(path: Path, zone: tzinfo | None = None) -> logging.Handler:
    """A rotating log file for the `sheets_sync` loggers (1 MB x 5 files), its times on the
    office's clock (`zone`, e.g. WIB) as every other time the service shows, whatever zone
    this computer is set to."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS,
                                  encoding="utf-8")
    label = f" {zone.tzname(None)}" if zone is not None and zone.tzname(None) else ""
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s",
                                  datefmt=f"%Y-%m-%d %H:%M:%S{label}")
    if zone is not None:
        formatter.converter = lambda secs: datetime.fromtimestamp(secs or 0, zone).timetuple()
    handler.setFormatter(formatter)
    root = logging.getLogger("sheets_sync")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return handler


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM and the first Ctrl+C ask for a stop between cycles; a second Ctrl+C stops now."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals can only be caught on the main thread (tests run the loop in-process)
        return
    names = ["SIGTERM", "SIGINT", "SIGBREAK"]  # SIGBREAK: Ctrl+Break on Windows
    sigs = [getattr(signal, n) for n in names if hasattr(signal, n)]
    previous = {s: signal.getsignal(s) for s in sigs}

    def ask(signum: int, _frame: FrameType | None) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        log.info("sinyal %s diterima: berhenti setelah putaran ini", signal.Signals(signum).name)
        stop.set()

    for s in sigs:
        signal.signal(s, ask)
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@dataclass
class Service:
    config: Config
    store: WorkbookStore
    clock: Clock
    interval: float
    heartbeat: Path
    notifier: Notifier | None = None
    mode: str = SERVICE  # heartbeat.SERVICE, TIMER (`--once --every`) or MANUAL (`--once`)
    # told the cycle's own time: the clock is not read again (a test's clock may move on)
    on_cycle: Callable[[datetime, CycleResult, list[Outcome]], None] = lambda *_: None
    on_error: Callable[[datetime, str, float], None] = lambda *_: None
    on_idle: Callable[[], None] = lambda: None  # between cycles: e.g. let go of the period lock
    stop: threading.Event = field(default_factory=threading.Event)
    _recap: FileRef | None = None

    def run(self, *, once: bool = False) -> None:
        watcher = Watcher(self.config, self.store)
        beat = Heartbeat.start(self.config.period.code, self.interval, self.mode)
        failures = 0
        explained: set[str] = set()  # a failure (e.g. an expired login) is explained once
        if once:
            log.info("pemantau: satu putaran, periode %s", beat.period)
        else:
            log.info("pemantau mulai: periode %s, setiap %g detik", beat.period, self.interval)
        with stop_on_signals(self.stop):
            while not self.stop.is_set():
                now = self.clock.now()
                try:
                    result = watcher.cycle(now)
                    outcomes = self._remind(watcher, now)
                except Exception as exc:
                    failures += 1
                    delay = min(self.interval * 2 ** (failures - 1), MAX_BACKOFF)
                    message = _explain(exc)
                    if once:  # `sync watch --once` (cron): report and exit with its code
                        self._beat(beat, now, self.interval, FAILING, message)
                        raise
                    log.warning("putaran gagal (%d kali berturut-turut): %s; dicoba lagi dalam "
                                "%g detik", failures, message, delay,
                                exc_info=not isinstance(exc, (BackendError, OSError)))
                    self._beat(beat, now, delay, FAILING, message)
                    brief = exc.message if isinstance(exc, BackendError) else message
                    self.on_error(now, brief if brief in explained else message, delay)
                    explained.add(brief)
                else:
                    failures = 0
                    beat.cycles += 1
                    beat.recaps_written += result.recap_written
                    beat.reminders_sent += sum(o.state == "dikirim" for o in outcomes)
                    if result.changed or result.recap_written:
                        first = set(result.first_read)
                        changed = ", ".join(s for s in result.changed if s not in first)
                        log.info("berubah: %s%s; rekap diperbarui", changed or "-",
                                 f"; pertama kali dibaca: {len(first)} bagian" if first else "")
                    delay = self.interval
                    self._beat(beat, now, delay, RUNNING, "")
                    self.on_cycle(now, result, outcomes)
                if once:  # the next run is cron's: the heartbeat says when it is due
                    return
                self.on_idle()
                self.clock.sleep(delay, self.stop)
        self._beat(beat, self.clock.now(), 0, STOPPED, "")
        log.info("pemantau berhenti")

    def _beat(self, beat: Heartbeat, now: datetime, delay: float, state: str, msg: str) -> None:
        beat.state, beat.message = state, msg
        if state != STOPPED:
            beat.last_cycle = now.isoformat(timespec="seconds")
            beat.next_cycle = (now + timedelta(seconds=delay)).isoformat(timespec="seconds")
        try:
            write_heartbeat(self.heartbeat, beat)
        except OSError as exc:  # the heartbeat must never stop the work
            log.warning("detak %s tidak dapat ditulis: %s", self.heartbeat, exc)

    def _remind(self, watcher: Watcher, now: datetime) -> list[Outcome]:
        if self.notifier is None or not self.config.notify.enabled:
            return []
        confirm = self.config.labels.status_confirm
        # open issues are listed only in a confirmation reminder: evaluate just those sections
        asking = {s: sh for s, sh in watcher.sheets.items() if sh.status == confirm}
        issues = evaluate_all(self.config, asking) if asking else []
        states = section_states(self.config, watcher.sheets, issues)
        try:
            return self.notifier.run(self.store, self._find_recap, now, states)
        except Exception:
            self._recap = None  # the recap may have been replaced: look it up again
            raise

    def _find_recap(self) -> FileRef | None:
        if self._recap is None:  # one listing, the first time a reminder is due
            # the same choice as every flow makes when two recaps exist: the oldest
            found = index_files(self.config, self.store.find(self.config.period.code, Role.recap))
            self._recap = found.recap
        return self._recap


def _explain(exc: BaseException) -> str:
    if isinstance(exc, BackendError):
        return exc.message + (f" {exc.hint}" if exc.hint else "")
    if isinstance(exc, OSError):
        return f"jaringan atau berkas tidak dapat dijangkau ({why(exc)})"
    text: Any = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"
