"""Done when: `sync watch` as a real process on the local backend, over a simulated SOP
fortnight (a clock file moved by the test), sends the right reminders to real SMTP and
webhook servers once each at office hours, rewrites the recap only when something changed,
stops cleanly on SIGTERM, and leaves a heartbeat that `sync status` shows. No secret in its
output or its log."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from sheets_sync.notify.sentlog import SHEET_LOG
from sheets_sync.service.heartbeat import heartbeat_path, read_heartbeat
from tests.backends import LocalEnv
from tests.conftest import small_config_data
from tests.localservers import smtp_server, webhook_server

PASSWORD, TOKEN = "sandi-smtp-RAHASIA-31", "token-webhook-RAHASIA-77"
WAIT = 30.0  # seconds, per step at most (a loaded CI machine); a step takes well under one


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is POSIX")
def test_the_watcher_runs_a_fortnight_as_a_process(tmp_path):
    with smtp_server() as (box, smtp_port), webhook_server() as (hook, hook_port):
        data = small_config_data(notify={
            "enabled": True,
            "email": {"host": "127.0.0.1", "port": smtp_port, "security": "none",
                      "sender": "Subbagian PEP <pep@setwan.example>"},
            "webhook": {"url": f"http://127.0.0.1:{hook_port}/kirim/{{token}}"}})
        data["sections"][1]["name"] = "Subbagian Persidangan dan Risalah"
        env = LocalEnv(tmp_path, data)
        env.run("distribute")
        config = env.config
        valid = {s.id: {i.code: {"realisasi": i.target, "bukti": "https://drive.example/b.pdf"}
                        for i in config.indicators_of(s.id)} for s in config.sections}
        low = {**valid["bagian-2"], "B2-01": {"realisasi": 50, "bukti": "https://drive.example/b.pdf"}}
        beat_file = heartbeat_path(config, env.config_path.parent)
        clock = tmp_path / "jam.txt"
        clock.write_text("2026-10-01T10:00", encoding="utf-8")
        log_file = tmp_path / "log" / "watch.log"
        out_file = tmp_path / "watch.out"
        with out_file.open("w", encoding="utf-8") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "sheets_sync", "--config", str(env.config_path), "watch",
                 "--interval", "60", "--log-file", str(log_file)],
                stdout=out, stderr=subprocess.STDOUT, cwd=tmp_path,
                env={**os.environ, "SHEETS_SYNC_CLOCK_FILE": str(clock),
                     "SHEETS_SYNC_SMTP_PASSWORD": PASSWORD,
                     "SHEETS_SYNC_WEBHOOK_TOKEN": TOKEN, "PYTHONIOENCODING": "utf-8"})
            try:
                def at(when: str) -> dict:
                    """Move the clock; wait until the watcher finished its cycle there."""
                    if when != clock.read_text(encoding="utf-8"):
                        clock.write_text(when, encoding="utf-8")
                    deadline = time.monotonic() + WAIT
                    while time.monotonic() < deadline:
                        beat = read_heartbeat(beat_file)
                        if beat and beat.last_cycle.startswith(when):
                            return {"recaps": beat.recaps_written, "sent": len(box.messages),
                                    "hooks": len(hook.requests)}
                        assert proc.poll() is None, out_file.read_text(encoding="utf-8")
                        time.sleep(0.02)
                    raise AssertionError(f"no cycle at {when}: "
                                         + out_file.read_text(encoding="utf-8"))

                first = at("2026-10-01T10:00")  # distributed: the first cycle makes the recap
                assert first == {"recaps": 1, "sent": 0, "hooks": 0}
                at("2026-10-01T10:01")  # reads back its own writes once
                idle = at("2026-10-01T10:02")
                env.type_into("bagian-1", valid["bagian-1"], status="Selesai")  # early
                assert at("2026-10-02T10:00")["recaps"] == idle["recaps"] + 1
                at("2026-10-02T10:01")
                quiet = at("2026-10-04T10:00")  # Sunday: nothing changed, nothing sent
                assert quiet == at("2026-10-05T07:00")  # Monday before the office opens
                monday = at("2026-10-05T08:00")  # the working day before the deadline
                assert (monday["sent"], monday["hooks"]) == (2, 2)
                assert monday["recaps"] == quiet["recaps"]  # reminders alone: recap untouched
                env.type_into("bagian-2", low, status="Selesai")
                night = at("2026-10-05T20:00")  # checked at night, but nobody is told now
                assert night["sent"] == 2 and night["recaps"] == monday["recaps"] + 1
                assert at("2026-10-06T08:00")["sent"] == 3  # the confirmation request
                assert at("2026-10-07T08:00")["sent"] == 5  # bagian-3 late; PEP: check due
                env.type_into("bagian-3", valid["bagian-3"], status="Selesai")  # late
                env.type_into("bagian-2", {"B2-01": {"keterangan": "anggaran dipotong"}})
                # all handed in (PEP) and, in the same cycle that set them Valid, all valid
                # (leadership)
                assert at("2026-10-07T11:00")["sent"] == 7
                assert at("2026-10-07T11:05")["sent"] == 7
                settled = at("2026-10-07T11:10")
                assert at("2026-10-08T09:00") == settled  # nothing more to say or write

                status = env.run("status").output  # SHEETS_SYNC_NOW: 7 Oct 10:00
                assert "Pemantau terakhir berjalan Kamis, 8 Oktober 2026 pukul 09.00" in status
                proc.send_signal(signal.SIGTERM)
                assert proc.wait(timeout=WAIT) == 0
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
        output = out_file.read_text(encoding="utf-8")
        log = log_file.read_text(encoding="utf-8")

    assert "Pemantau berhenti" in output and "pemantau berhenti" in log
    beat = read_heartbeat(beat_file)
    assert beat is not None and beat.state == "berhenti" and beat.reminders_sent == 14
    assert "sudah dihentikan" in env.run("status").output

    # each reminder arrived once, on both channels
    keys = [m["X-Sheets-Sync-Key"] for m in box.messages]
    assert sorted(k.split("|")[1] + ":" + k.split("|")[2] for k in keys) == sorted([
        "sebelum_batas:bagian-2", "sebelum_batas:bagian-3", "perlu_konfirmasi:bagian-2",
        "terlambat:bagian-3", "batas_periksa:-", "semua_masuk:-", "rekap_lengkap:-"])
    assert sorted(body["kunci"] for _, _, body in hook.requests) == sorted(keys)
    assert all(path == f"/kirim/{TOKEN}" for path, _, _ in hook.requests)
    # Indonesian text and links intact
    confirm = next(m for m in box.messages if "perlu_konfirmasi" in m["X-Sheets-Sync-Key"])
    text = confirm.get_body(preferencelist=("plain",)).get_content()
    assert "Subbagian Persidangan dan Risalah" in text and "B2-01" in text
    assert str(Path(env.section_ref("bagian-2").url)) in text
    leader = next(m for m in box.messages if "rekap_lengkap" in m["X-Sheets-Sync-Key"])
    assert leader["To"] == "sekretaris@setwan.example"
    assert "Rekapitulasi Data Kinerja 2026-TW3" in leader.get_body(
        preferencelist=("plain",)).get_content()
    # every send recorded at office hours on a working day (the watcher's clock)
    sent_at = [datetime.fromisoformat(r[3]) for r in env.recap_grid(SHEET_LOG)[1:]]
    assert sent_at and all(t.weekday() < 5 and 8 <= t.hour < 16 for t in sent_at)
    # no secret in what it printed or logged
    everything = output + log + json.dumps(env.recap_grid(SHEET_LOG))
    assert PASSWORD not in everything and TOKEN not in everything
