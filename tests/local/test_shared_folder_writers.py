"""Issue 8: nothing a section typed is ever lost on a shared folder (local backend), where
more than one writer meets: racing creates, the period lock, lost updates and the office
lock files. One test (or a few) per finding."""

from __future__ import annotations

import json
import os
import socket
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sheets_sync.adapters.local import LocalStore, files, period_lock
from sheets_sync.domain.patch import SheetPatch, WorkbookPatch
from sheets_sync.ports import PeriodLocked, Role, Tags
from tests.backends import LocalEnv
from tests.local.shared_folder import PERIOD, path_of, workspace

# a distributed local workspace (`env`) and short waits for the period lock, from conftest
pytestmark = pytest.mark.usefixtures("short_lock_wait")


@pytest.fixture
def env(distributed_local: LocalEnv) -> LocalEnv:
    return distributed_local


# --------------------------------------------------------------------------- 1 racing creates


def test_copy_never_replaces_an_existing_workbook(env):
    """A distribute working from an out-of-date file list copies onto a filled workbook."""
    env.type_into("bagian-1", {"B1-01": {"realisasi": 77, "keterangan": "isian kami"}})
    before = path_of(env, "bagian-1").read_bytes()
    store = env.store()
    (template,) = store.find(PERIOD, Role.template)
    ref = env.section_ref("bagian-1")
    again = store.copy(template, ref.name.split(" - ", 1)[1], Tags(Role.section, PERIOD, "bagian-1"))
    assert again.id == ref.id  # adopted
    assert path_of(env, "bagian-1").read_bytes() == before
    again = store.create(template.name, Tags(Role.template, PERIOD),
                         WorkbookPatch([SheetPatch("Lain")]))
    assert again.id == template.id and len(store.find(PERIOD, Role.template)) == 1


def test_two_racing_creates_make_one_file(tmp_path):
    store = LocalStore(tmp_path / "ws")
    source = store.create("T", Tags(Role.template, PERIOD), WorkbookPatch([SheetPatch("A")]))
    barrier = threading.Barrier(6)
    seen: list[int] = []  # the file each racer ended up with: never replaced, so one inode

    def one(_: int) -> None:
        barrier.wait()
        ref = store.copy(source, "X", Tags(Role.section, PERIOD, "s1"))
        seen.append(os.stat(ref.id).st_ino)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.find(PERIOD, Role.section)) == 1 and len(set(seen)) == 1
    assert list((tmp_path / "ws" / PERIOD / "kertas-kerja").iterdir()) == [
        Path(store.find(PERIOD, Role.section)[0].id)]  # no temp file beside it


# --------------------------------------------------------------------------- 2 the period lock


def write_lock(env: LocalEnv, *, host: str, pid: int, age_minutes: float = 0) -> Path:
    path = workspace(env) / PERIOD / files.SERVICE_DIR / period_lock.LOCK_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    since = datetime.now() - timedelta(minutes=age_minutes)
    path.write_text(json.dumps({"user": "pep2", "host": host, "pid": pid,
                                "since": since.isoformat(timespec="seconds")}))
    stamp = since.timestamp()
    os.utime(path, (stamp, stamp))
    return path


def test_a_second_writer_waits_then_says_who_holds_the_period(env):
    lock = write_lock(env, host="PC-PEP-2", pid=4242)
    before = path_of(env, "bagian-1").read_bytes()
    out = env.run("validate", code=3).output
    assert "pep2 di PC-PEP-2 (proses 4242)" in out and "sejak" in out
    assert "Traceback" not in out
    assert path_of(env, "bagian-1").read_bytes() == before  # nothing written
    assert lock.exists()  # not ours to remove
    env.run("status")  # reading needs no lock


def test_a_stale_lock_is_taken_over(env):
    # the same computer, a process that is gone
    write_lock(env, host=socket.gethostname(), pid=2**22 + 12345)
    env.run("recap")
    # another computer, not refreshed for longer than backend.lock_stale_minutes
    lock = write_lock(env, host="PC-PEP-2", pid=4242, age_minutes=16)
    env.run("recap")
    assert not lock.exists()  # released at the end


def test_the_stale_age_is_configurable(env):
    write_lock(env, host="PC-PEP-2", pid=4242, age_minutes=16)
    env.data["backend"]["lock_stale_minutes"] = 60
    env.rewrite(env.data)
    assert "PC-PEP-2" in env.run("recap", code=3).output


def test_two_takers_of_a_stale_lock_never_both_hold_it(tmp_path):
    folder = tmp_path / "lock"
    folder.mkdir()
    (folder / period_lock.LOCK_NAME).write_text(json.dumps(
        {"user": "x", "host": socket.gethostname(), "pid": 2**22 + 54321, "since": "2026-01-01"}))
    held, refused = [], []
    barrier = threading.Barrier(8)
    inside = threading.Lock()

    def take(n: int) -> None:
        lock = period_lock.PeriodLock(folder, PERIOD, wait=0.3, poll=0.01)
        barrier.wait()
        try:
            lock.acquire()
        except PeriodLocked:
            refused.append(n)
            return
        assert inside.acquire(blocking=False), "two holders at once"
        held.append(n)
        threading.Event().wait(0.5)  # hold it past the others' wait
        inside.release()
        lock.release()

    threads = [threading.Thread(target=take, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(held) == 1 and len(refused) == 7


def test_watch_holds_the_lock_per_cycle_only(env, monkeypatch):
    lock = workspace(env) / PERIOD / files.SERVICE_DIR / period_lock.LOCK_NAME
    seen = []
    from sheets_sync.service.clock import SystemClock

    def sleep(_clock: SystemClock, seconds: float, _stop: object) -> None:
        seen.append(lock.exists())  # let go while waiting
        raise KeyboardInterrupt

    from sheets_sync.cli.app import App

    real_let_go = App.let_go

    def let_go(self: App) -> None:
        seen.append(lock.exists())  # held during the cycle
        real_let_go(self)

    monkeypatch.setattr(App, "let_go", let_go)
    monkeypatch.setattr(SystemClock, "sleep", sleep)
    env.run("watch", "--interval", "5", code=130)
    assert seen == [True, False]


# --------------------------------------------------------------------------- 3 lost updates


def test_excel_and_libreoffice_lock_files_are_respected(env):
    env.type_into("bagian-1", {"B1-01": {"realisasi": "x"}}, status="Selesai")
    env.type_into("bagian-2", {"B2-01": {"realisasi": "y"}}, status="Selesai")
    p1, p2 = path_of(env, "bagian-1"), path_of(env, "bagian-2")
    user = b"Budi"
    (p1.parent / f"~${p1.name[2:]}").write_bytes(bytes([len(user)]) + user + b" " * 49)
    (p2.parent / f".~lock.{p2.name}#").write_text("Siti Aminah,siti,PC-KEU,02.12.2026 09:00,;")
    before = p1.read_bytes(), p2.read_bytes()
    out = env.run("validate", code=1).output  # the errors are found; the feedback waits
    assert "bagian bagian-1" in out and "Budi" in out
    assert "bagian bagian-2" in out and "Siti Aminah" in out
    assert (p1.read_bytes(), p2.read_bytes()) == before  # never written while open


def test_watch_never_claims_or_forgets_a_workbook_open_in_excel(env):
    """A cycle that had to leave a workbook alone says so, not "written", and the next cycle
    (a new `watch --once` from a scheduler) tries it again until its feedback is written."""
    env.type_into("bagian-1", {"B1-01": {"realisasi": -5}}, status="Selesai")
    path = path_of(env, "bagian-1")
    owner = path.parent / f"~${path.name[2:]}"
    owner.write_bytes(bytes([4]) + b"Budi" + b" " * 49)
    before = path.read_bytes()
    first = env.run("watch", "--once", code=4).output
    assert "bagian bagian-1" in first and "Budi" in first
    claimed = first.split("umpan balik ditulis:")[1].split(";")[0]
    assert "bagian-1" not in claimed  # not claimed as written
    assert path.read_bytes() == before
    again = env.run("watch", "--once", code=4).output  # still open: still named
    assert "bagian bagian-1" in again
    owner.unlink()  # Budi closes Excel
    env.run("watch", "--once")
    assert env.cell("bagian-1", "Kertas Kerja", "B7") == "Perlu Konfirmasi"


def test_a_save_in_the_last_instant_before_the_swap_is_kept(env, monkeypatch):
    """A section saves after our content check and right before the file is swapped in."""
    path = path_of(env, "bagian-1")
    real = files.keep_mode
    calls = {"n": 0}

    def race(tmp: Path, like: os.stat_result | None) -> None:
        real(tmp, like)
        calls["n"] += 1
        if calls["n"] == 1:
            wb = load_workbook(path)
            wb["Kertas Kerja"]["G10"] = 55
            wb.save(path)

    monkeypatch.setattr(files, "keep_mode", race)
    store = env.store()
    store.apply(env.section_ref("bagian-1"),
                WorkbookPatch([SheetPatch("Validasi", clear=True, values={(1, 1): "x"})]))
    wb = load_workbook(path)
    assert wb["Kertas Kerja"]["G10"].value == 55 and wb["Validasi"]["A1"].value == "x"
    assert calls["n"] == 2  # started again from the section's version
