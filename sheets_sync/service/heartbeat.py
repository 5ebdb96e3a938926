"""The watcher's heartbeat: a small JSON file it rewrites after every cycle, and that
`sync status` reads to say when the watcher last ran (and warn when it has gone quiet).

Local backend: in the workspace folder (the shared folder every PEP computer sees); Google:
beside the config. Written atomically (temp file, then replace), so a reader never sees half.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sheets_sync.domain.calendar import format_datetime_id
from sheets_sync.domain.models import Config

RUNNING, FAILING, STOPPED = "berjalan", "gagal", "berhenti"
# How the watcher runs: a long-lived service, `watch --once` started by a timer every
# `interval` seconds (`--every`), or one run by hand (no next run is promised).
SERVICE, TIMER, MANUAL = "layanan", "timer", "manual"
MODE_TEXT = {SERVICE: "sebagai layanan", TIMER: "oleh penjadwal (timer)",
             MANUAL: "sekali, dijalankan manual"}
MIN_GRACE = timedelta(minutes=2)


@dataclass
class Heartbeat:
    period: str
    state: str  # berjalan | gagal | berhenti
    last_cycle: str  # ISO time of the last cycle (the watcher's clock)
    next_cycle: str  # when the next one is due
    interval: float
    host: str
    pid: int
    cycles: int = 0
    recaps_written: int = 0
    reminders_sent: int = 0
    message: str = ""
    mode: str = SERVICE  # SERVICE | TIMER | MANUAL

    @classmethod
    def start(cls, period: str, interval: float, mode: str = SERVICE) -> Heartbeat:
        return cls(period, RUNNING, "", "", interval, socket.gethostname(), os.getpid(),
                   mode=mode)


def heartbeat_path(config: Config, base_dir: Path) -> Path:
    if config.backend.kind == "local":
        folder = (base_dir / config.backend.local.workspace).resolve()
    else:
        folder = base_dir.resolve()
    return folder / f".pemantau-{config.period.code}.json"


def write_heartbeat(path: Path, beat: Heartbeat) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(asdict(beat), ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def read_heartbeat(path: Path) -> Heartbeat | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Heartbeat(**data)
    except (OSError, ValueError, TypeError):
        return None


def describe(beat: Heartbeat | None, now: datetime, path: Path | None = None) -> tuple[str, bool]:
    """The line `sync status` shows, and whether it is a warning."""
    if beat is None:
        where = f" (tidak ada berkas detak {path})" if path else ""
        return (f"Pemantau (sync watch) belum pernah berjalan untuk periode ini{where}.", False)
    try:
        last = datetime.fromisoformat(beat.last_cycle)
    except ValueError:
        return ("Pemantau baru dimulai, belum selesai satu putaran.", False)
    where = f"di {beat.host}"
    mode = beat.mode if beat.mode in MODE_TEXT else SERVICE
    text = f"Pemantau terakhir berjalan {format_datetime_id(last)} {where} ({MODE_TEXT[mode]}"
    text += f", setiap {_every(beat.interval)})" if mode == TIMER else ")"
    if beat.state == STOPPED and mode == SERVICE:
        return (text + "; sudah dihentikan.", True)
    if mode == MANUAL:  # nobody promised another run: nothing is overdue
        failed = f"; putaran itu gagal: {beat.message}" if beat.state == FAILING else "."
        return (text + failed, beat.state == FAILING)
    try:
        due = datetime.fromisoformat(beat.next_cycle)
    except ValueError:
        due = last + timedelta(seconds=beat.interval)
    # a service is late after two intervals; a timer's run after two missed runs
    grace = (timedelta(seconds=beat.interval) + MIN_GRACE if mode == TIMER
             else max(MIN_GRACE, timedelta(seconds=2 * beat.interval)))
    if now > due + grace:
        what = ("penjadwalnya (systemd timer / Task Scheduler) sudah dua kali tidak "
                "menjalankannya. Periksa penjadwalnya" if mode == TIMER
                else "Periksa layanannya")
        return (text + f"; sudah {_ago(now - last)} tanpa kabar: {what} "
                "(log: sheets-sync-watch.log).", True)
    if beat.state == FAILING:
        return (text + f"; putaran terakhir gagal: {beat.message}", True)
    return (text + f" ({beat.cycles} putaran, {beat.reminders_sent} pengingat terkirim).", False)


def _every(seconds: float) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds / 3600:g} jam"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:g} menit"
    return f"{seconds:g} detik"


def _ago(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} menit"
    if minutes < 48 * 60:
        return f"{minutes // 60} jam"
    return f"{minutes // (24 * 60)} hari"
