"""The watcher as a service, in-process: outages backed off and survived, a clean stop on
SIGTERM between cycles, the rotating log, the heartbeat `sync status` shows, and (on the
Google fake) reminders sent once each, at office hours, as the SOP fortnight goes by."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
import requests

from sheets_sync.domain.calendar import format_datetime_id
from sheets_sync.flows.collect import collect
from sheets_sync.notify.send import Notifier, make_senders
from sheets_sync.ports import BackendError
from sheets_sync.service.heartbeat import (
    Heartbeat,
    describe,
    heartbeat_path,
    read_heartbeat,
    write_heartbeat,
)
from sheets_sync.service.runner import MAX_BACKOFF, Service, setup_logging
from tests.backends import GoogleEnv, LocalEnv
from tests.conftest import small_config_data
from tests.localservers import smtp_server, webhook_server


class ScriptClock:
    """A fake clock playing a script: each sleep runs the next step (an action at a time);
    when the script ends, the service is asked to stop."""

    def __init__(self, start: datetime, steps: list[tuple[datetime, Callable[[], Any] | None]],
                 stop: threading.Event) -> None:
        self.at, self.steps, self.stop = start, list(steps), stop
        self.slept: list[float] = []

    def now(self) -> datetime:
        return self.at

    def sleep(self, seconds: float, stop: threading.Event) -> None:
        self.slept.append(seconds)
        if not self.steps:
            stop.set()
            return
        self.at, action = self.steps.pop(0)
        if action:
            action()


class Flaky:
    """A store whose listing fails `fails` times (Google down, the network gone), then works."""

    def __init__(self, inner: Any, errors: list[Exception]) -> None:
        self.inner, self.errors = inner, list(errors)

    def changed_since(self, *args: Any) -> Any:
        if self.errors:
            raise self.errors.pop(0)
        return self.inner.changed_since(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_outages_are_backed_off_logged_and_survived(tmp_path):
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    stop = threading.Event()
    t0 = datetime(2026, 10, 2, 10)
    errors: list[Exception] = [
        requests.ConnectionError("Max retries exceeded"),
        BackendError("Google tidak tersedia (HTTP 503).", hint="Tunggu sebentar."),
        OSError(101, "Network is unreachable"), RuntimeError("tak terduga"),
    ] + [OSError(101, "Network is unreachable")] * 8
    beats: list[Heartbeat | None] = []
    beat = tmp_path / "detak.json"
    steps = [(t0 + timedelta(minutes=i), lambda: beats.append(read_heartbeat(beat)))
             for i in range(1, 15)]
    clock = ScriptClock(t0, steps, stop)
    log_file = tmp_path / "log" / "watch.log"
    handler = setup_logging(log_file)
    try:
        Service(env.config, Flaky(env.store(), errors), clock, 60, beat, stop=stop).run()
    finally:
        logging.getLogger("sheets_sync").removeHandler(handler)
        handler.close()
    # 60, 120, 240 ... capped, then back to the interval once it works again
    assert clock.slept[:12] == [min(60 * 2 ** i, MAX_BACKOFF) for i in range(12)]
    assert clock.slept[12:] == [60, 60, 60]
    assert beats[0] is not None and beats[0].state == "gagal"
    assert "Network" in beats[0].message or "jaringan" in beats[0].message
    final = read_heartbeat(beat)
    assert final is not None and final.state == "berhenti" and final.cycles == 3
    log = log_file.read_text(encoding="utf-8")
    assert "Google tidak tersedia (HTTP 503)" in log and "dicoba lagi dalam" in log
    assert "Traceback" in log and "RuntimeError: tak terduga" in log  # the unexpected, in full
    assert "pemantau berhenti" in log


class TermDuringCycle:
    """Sends the process SIGTERM in the middle of its `n`-th cycle (systemd stopping it)."""

    def __init__(self, inner: Any, n: int, sig: int = signal.SIGTERM) -> None:
        self.inner, self.n, self.sig = inner, n, sig

    def changed_since(self, *args: Any) -> Any:
        self.n -= 1
        if self.n == 0:
            os.kill(os.getpid(), self.sig)
        return self.inner.changed_since(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl+C"])
def test_sigterm_stops_between_cycles(tmp_path, sig):
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    stop = threading.Event()
    t0 = datetime(2026, 10, 2, 10)
    cycles: list[tuple[datetime, list[str]]] = []
    steps = [(t0 + timedelta(minutes=1),
              lambda: env.type_into("bagian-1", {"B1-01": {"realisasi": 90}}, status="Selesai")),
             (t0 + timedelta(minutes=2), None), (t0 + timedelta(minutes=3), None)]
    clock = ScriptClock(t0, steps, stop)
    before = signal.getsignal(sig)
    service = Service(env.config, TermDuringCycle(env.store(), 2, sig), clock, 60,
                      tmp_path / "detak.json", stop=stop,
                      on_cycle=lambda now, r, _: cycles.append((now, r.changed)))
    service.run()
    # the cycle under way when the signal came finished its work (bagian-1's feedback and
    # the recap), and no cycle began after it
    assert cycles == [(t0, ["bagian-1", "bagian-2", "bagian-3"]),
                      (t0 + timedelta(minutes=1), ["bagian-1"])]
    status = collect(env.config, env.store()).sheets["bagian-1"].status
    assert status == "Perlu Konfirmasi"  # its feedback was written before stopping
    assert signal.getsignal(sig) == before  # handlers given back
    final = read_heartbeat(tmp_path / "detak.json")
    assert final is not None and final.state == "berhenti" and final.cycles == 2


def test_the_log_file_rotates(tmp_path, monkeypatch):
    import sheets_sync.service.runner as runner

    monkeypatch.setattr(runner, "LOG_BYTES", 2000)
    handler = setup_logging(tmp_path / "watch.log")
    try:
        for i in range(200):
            logging.getLogger("sheets_sync.service").info("putaran %d selesai", i)
    finally:
        logging.getLogger("sheets_sync").removeHandler(handler)
        handler.close()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["watch.log", "watch.log.1", "watch.log.2", "watch.log.3", "watch.log.4",
                     "watch.log.5"]
    assert all(p.stat().st_size <= 2000 for p in tmp_path.iterdir())


def test_heartbeat_in_sync_status_and_the_stale_warning(tmp_path):
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    assert "belum pernah berjalan" in env.run("status").output
    path = heartbeat_path(env.config, env.config_path.parent)
    assert path.parent == (env.config_path.parent / "workspace").resolve()
    beat = Heartbeat.start("2026-TW3", 60)
    beat.last_cycle, beat.next_cycle, beat.cycles = "2026-10-07T09:59:00", "2026-10-07T10:00:00", 7
    write_heartbeat(path, beat)
    text = env.run("status").output  # at NOW, 2026-10-07 10:00
    assert f"Pemantau terakhir berjalan {format_datetime_id(datetime(2026, 10, 7, 9, 59))}" in text
    assert "7 putaran" in text
    line, warn = describe(beat, datetime(2026, 10, 7, 13, 0))
    assert warn and "3 jam tanpa kabar" in line
    beat.state = "berhenti"
    assert "sudah dihentikan" in describe(beat, datetime(2026, 10, 7, 10))[0]


def test_watch_once_from_cron_leaves_a_running_heartbeat(tmp_path):
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    env.run("watch", "--once", "--interval", "300")  # at NOW, 7 Oct 10:00
    beat = read_heartbeat(heartbeat_path(env.config, env.config_path.parent))
    assert beat is not None and (beat.state, beat.cycles) == ("berjalan", 1)
    assert beat.next_cycle == "2026-10-07T10:05:00"
    text = env.run("status").output
    assert "Pemantau terakhir berjalan Rabu, 7 Oktober 2026 pukul 10.00" in text
    assert "dihentikan" not in text and "tanpa kabar" not in text


def test_fortnight_on_the_google_fake_in_process(tmp_path):
    """The SOP fortnight, the watcher in-process on the Google fake: reminders go out once
    each at office hours, the recap is rewritten only when something changed."""
    with smtp_server() as (box, smtp_port), webhook_server() as (hook, hook_port):
        data = small_config_data(notify={
            "enabled": True,
            "email": {"host": "127.0.0.1", "port": smtp_port, "security": "none",
                      "sender": "PEP <pep@setwan.example>"},
            "webhook": {"url": f"http://127.0.0.1:{hook_port}/kirim"}})
        env = GoogleEnv(tmp_path, data)
        env.run("distribute")
        config = env.config
        valid = {s.id: {i.code: {"realisasi": i.target, "bukti": "https://drive.example/b.pdf"}
                        for i in config.indicators_of(s.id)} for s in config.sections}
        low = {**valid["bagian-2"], "B2-01": {"realisasi": 50, "bukti": "https://drive.example/b.pdf"}}
        day = lambda d, h, m=0: datetime(2026, 10, d, h, m)  # noqa: E731
        steps: list[tuple[datetime, Callable[[], Any] | None]] = [
            (day(2, 10), lambda: env.type_into("bagian-1", valid["bagian-1"], status="Selesai")),
            (day(2, 10, 5), None),  # reads back the status its validation set
            (day(5, 7), None),  # Monday, before the office opens
            (day(5, 8), None),  # a working day before the deadline: bagian-2 and -3
            (day(5, 20), lambda: env.type_into("bagian-2", low, status="Selesai")),  # at night
            (day(6, 8), None),  # the confirmation request goes out in the morning
            (day(7, 8), None),  # bagian-3 late; PEP: checking deadline near
            (day(7, 11), lambda: (env.type_into("bagian-3", valid["bagian-3"], status="Selesai"),
                                  env.type_into("bagian-2", {"B2-01": {
                                      "keterangan": "anggaran dipotong (refocusing)"}}))),
            (day(7, 11, 5), None),
            (day(7, 11, 10), None),
            (day(8, 9), None),
        ]
        stop = threading.Event()
        clock = ScriptClock(day(1, 10), steps, stop)
        log: list[tuple[datetime, bool, list[str]]] = []
        store = env.store()
        service = Service(config, store, clock, 60, tmp_path / "detak.json",
                          Notifier(config, make_senders(config, tmp_path)), stop=stop,
                          on_cycle=lambda now, r, sent: log.append(
                              (now, r.recap_written, [f"{o.reminder.kind.value}:"
                                                      f"{o.reminder.section or '-'}:{o.channel}"
                                                      for o in sent])))
        service.run()
    sent = {now: items for now, _, items in log if items}
    assert sent == {
        day(5, 8): [f"sebelum_batas:bagian-{i}:{ch}" for i in (2, 3) for ch in ("email", "webhook")],
        day(6, 8): ["perlu_konfirmasi:bagian-2:email", "perlu_konfirmasi:bagian-2:webhook"],
        day(7, 8): ["terlambat:bagian-3:email", "terlambat:bagian-3:webhook",
                    "batas_periksa:-:email", "batas_periksa:-:webhook"],
        # the cycle that validates the last sections knows the statuses it set: the recap
        # it writes is complete, and leadership is told in the same cycle
        day(7, 11): ["semua_masuk:-:email", "semua_masuk:-:webhook",
                     "rekap_lengkap:-:email", "rekap_lengkap:-:webhook"],
    }
    assert len(box.messages) == 7 and len(hook.requests) == 7
    keys = [m["X-Sheets-Sync-Key"] for m in box.messages]
    assert len(set(keys)) == len(keys)
    confirm = next(m for m in box.messages if "Perlu konfirmasi" in m["Subject"])
    body = confirm.get_body(preferencelist=("plain",)).get_content()
    assert "B2-01" in body and "https://docs.google.com/spreadsheets/d/" in body
    # the recap was rewritten when sections changed, never on an idle cycle
    rewritten = [now for now, wrote, _ in log if wrote]
    assert day(5, 7) not in rewritten and day(8, 9) not in rewritten
    assert day(2, 10) in rewritten and day(5, 20) in rewritten


def test_a_timer_run_is_stale_only_after_two_missed_runs_and_status_says_how_it_runs(tmp_path):
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    env.run("watch", "--once", "--every", "5m")  # at NOW, 7 Oct 10:00, by a timer
    beat = read_heartbeat(heartbeat_path(env.config, env.config_path.parent))
    assert beat is not None and beat.mode == "timer" and beat.interval == 300
    assert beat.next_cycle == "2026-10-07T10:05:00"
    text = " ".join(env.run("status").output.split())
    assert "oleh penjadwal (timer), setiap 5 menit" in text and "tanpa kabar" not in text
    at = datetime(2026, 10, 7, 10, 0)
    for minutes, stale in ((6, False), (11, False), (13, True), (60, True)):
        line, warn = describe(beat, at + timedelta(minutes=minutes))
        assert warn is stale and ("penjadwal" in line) is True, (minutes, line)
        assert ("dua kali tidak menjalankannya" in line) is stale

    # the same from a service running every 5 minutes: late after two intervals too, but
    # it names the service
    service = Heartbeat.start("2026-TW3", 300)
    service.last_cycle, service.next_cycle = "2026-10-07T10:00:00", "2026-10-07T10:05:00"
    line, warn = describe(service, at + timedelta(minutes=16))
    assert warn and "sebagai layanan" in line and "Periksa layanannya" in line

    # a run by hand promises nothing: never stale
    env.run("watch", "--once")
    beat = read_heartbeat(heartbeat_path(env.config, env.config_path.parent))
    assert beat is not None and beat.mode == "manual"
    line, warn = describe(beat, at + timedelta(days=3))
    assert not warn and "manual" in line


def test_every_is_for_a_scheduled_once_and_says_what_it_wants(tmp_path):
    env = LocalEnv(tmp_path, small_config_data())
    assert "--once" in env.run("watch", "--every", "5m", code=2).output
    out = env.run("watch", "--once", "--every", "lima", code=2).output
    assert "5m" in out and "Kesalahan" in out


def test_the_log_is_on_the_offices_clock_whatever_the_machine_is_set_to(tmp_path, monkeypatch):
    """An IT person reads the log beside `sync status`: both on WIB, even on a UTC server."""
    import time as _time

    from sheets_sync.domain.timezones import parse_zone

    monkeypatch.setenv("TZ", "UTC")
    _time.tzset()
    log_file = tmp_path / "watch.log"
    handler = setup_logging(log_file, parse_zone("WIB"))
    try:
        logging.getLogger("sheets_sync.service").info("percobaan")
    finally:
        logging.getLogger("sheets_sync").removeHandler(handler)
        handler.close()
        monkeypatch.undo()
        _time.tzset()
    line = log_file.read_text(encoding="utf-8").strip()
    stamp = datetime.strptime(line[:19], "%Y-%m-%d %H:%M:%S")
    wib_now = datetime.now(parse_zone("WIB")).replace(tzinfo=None)  # type: ignore[arg-type]
    assert abs((wib_now - stamp).total_seconds()) < 120 and line[20:23] == "WIB", line
