"""Issue 8: nothing a section typed is ever lost on a shared folder (local backend).

One test (or a few) per finding: racing creates, the period lock, lost updates and the
office lock files, damaged workbooks and backups, permissions, a section's own notes and
fills, a renamed worksheet, temp files after a kill, workbook structure."""

from __future__ import annotations

import json
import os
import socket
import stat
import threading
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from sheets_sync.adapters.local import LocalStore, files, period_lock
from sheets_sync.domain.patch import SheetPatch, WorkbookPatch
from sheets_sync.ports import PeriodLocked, Role, Tags
from tests.backends import LocalEnv
from tests.conftest import small_config_data

PERIOD = "2026-TW3"


# a distributed local workspace (`env`) and short waits for the period lock, from conftest
pytestmark = pytest.mark.usefixtures("short_lock_wait")


@pytest.fixture
def env(distributed_local: LocalEnv) -> LocalEnv:
    return distributed_local


def workspace(env: LocalEnv) -> Path:
    return env.config_path.parent / "workspace"


def path_of(env: LocalEnv, section: str) -> Path:
    return Path(env.section_ref(section).id)


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


# --------------------------------------------------------------------------- 4 damaged files


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def damage_lazily(path: Path) -> None:
    """A valid zip whose worksheet XML is cut off: it opens, then fails while rows are read."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet][: len(parts[sheet]) * 2 // 3]
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


@pytest.mark.parametrize("damage", [truncate, damage_lazily])
def test_a_damaged_workbook_is_reported_by_section_and_the_others_carry_on(env, damage):
    from tests.flows.test_flows import fill_all_valid

    fill_all_valid(env)
    damage(path_of(env, "bagian-2"))
    for command in ("status", "validate", "recap"):
        result = env.run(command, code=4)
        assert "bagian bagian-2" in result.output and "Traceback" not in result.output
        assert "dilewati" in result.output
    assert env.cell("bagian-1", "Kertas Kerja", "B7") == "Valid"  # the others were done
    status = {d["section"]: d for d in json.loads(env.run("status", "--format", "json",
                                                           code=4).stdout)["sections"]}
    assert status["bagian-2"]["state"] == "Tidak dapat dibaca"
    recap = {d["section"]: d for d in json.loads(env.run("recap", "--format", "json",
                                                          code=4).stdout)["sections"]}
    assert recap["bagian-2"]["state"] == "Tidak dapat dibaca"  # never "not distributed"


def test_distribute_carries_on_past_a_damaged_workbook_and_approve_refuses_it(env):
    truncate(path_of(env, "bagian-2"))
    env.data["sections"].append({"id": "bagian-4", "name": "Subbagian 4", "head": "K4",
                                 "editors": ["bagian4@setwan.example"]})
    env.data["indicators"].append({"code": "B4-01", "section": "bagian-4", "sasaran": "S",
                                   "name": "I", "unit": "dokumen", "target": 10})
    env.rewrite(env.data)
    out = env.run("distribute", code=4).output
    assert "bagian bagian-2" in out and env.section_ref("bagian-4")
    out = env.run("approve", "bagian-2", code=4).output  # its one workbook: not usable
    assert "bagian-2" in out and "rusak" in out and "Traceback" not in out


def test_backups_are_kept_outside_and_restore_loses_nothing(env):
    env.type_into("bagian-1", {"B1-01": {"realisasi": 91}}, status="Selesai")
    env.run("validate", code=1)
    env.type_into("bagian-1", {"B1-01": {"realisasi": "x"}})
    env.run("validate", code=1)
    path = path_of(env, "bagian-1")
    kept = files.backups_of(path)
    assert kept and all(files.SERVICE_DIR in p.parts for p in kept)
    assert len(kept) <= files.KEEP_BACKUPS
    assert not [p for p in path.parent.iterdir() if p != path and "bagian-1" in p.name]
    truncate(path)
    damaged = path.read_bytes()
    listing = env.run("restore", "bagian-1", "--list").output
    assert "1" in listing and "sync restore bagian-1 --from N" in listing
    env.run("restore", "bagian-1")
    assert env.cell("bagian-1", "Kertas Kerja", "G10") == "x"  # the last version, back
    assert any(p.read_bytes() == damaged for p in files.backups_of(path))  # kept too
    env.run("restore", "bagian-1", "--from", "9", code=2)
    (path.parent / f".~lock.{path.name}#").write_text("Budi,budi,PC-1,02.12.2026 09:00,;")
    assert "Budi" in env.run("restore", "bagian-1", code=4).output  # open: not under them
    env.run("restore", "tidak-ada", code=2)


# --------------------------------------------------------------------------- 5 permissions


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_rewrite_keeps_the_file_mode_and_new_files_follow_the_umask(tmp_path):
    old = os.umask(0o002)  # a shared folder where the group may write
    try:
        env = LocalEnv(tmp_path, small_config_data())
        env.run("distribute")
        path = path_of(env, "bagian-1")
        assert stat.S_IMODE(path.stat().st_mode) == 0o664
        os.chmod(path, 0o660)
        env.type_into("bagian-1", {"B1-01": {"realisasi": "x"}}, status="Selesai")
        os.chmod(path, 0o660)
        env.run("validate", code=1)
        assert "Perlu" in str(env.cell("bagian-1", "Kertas Kerja", "B7"))  # it was rewritten
        assert stat.S_IMODE(path.stat().st_mode) == 0o660
    finally:
        os.umask(old)


# --------------------------------------------------------------------------- 6 notes, fills


def test_a_sections_own_notes_and_fills_stay(env):
    path = path_of(env, "bagian-1")
    wb = load_workbook(path)
    ws = wb["Kertas Kerja"]
    ws["G10"] = "x"
    ws["G10"].comment = Comment("dari laporan bulan Juli", "Budi")
    ws["I11"].fill = PatternFill(fill_type="solid", fgColor="FF00B050")  # their own green
    ws["G11"] = "y"
    ws["G11"].fill = PatternFill(fill_type="solid", fgColor="FF00B050")
    ws["B7"] = "Selesai"
    wb.save(path)
    env.run("validate", code=1)
    ws = load_workbook(path)["Kertas Kerja"]
    assert ws["G10"].comment.text.startswith("dari laporan bulan Juli")  # theirs kept
    assert "sheets-sync" in ws["G10"].comment.text and len(ws["G10"].comment.text) > 40  # ours
    assert ws["I11"].fill.fgColor.rgb == "FF00B050" and ws["G11"].fill.fgColor.rgb == "FF00B050"
    env.type_into("bagian-1", {"B1-01": {"realisasi": 100}, "B1-02": {"realisasi": 10}},
                  status="Sedang Diisi")
    env.run("validate", code=None)
    ws = load_workbook(path)["Kertas Kerja"]
    assert ws["G10"].comment.text == "dari laporan bulan Juli"  # only ours removed
    assert ws["I11"].fill.fgColor.rgb == "FF00B050" and ws["G11"].fill.fgColor.rgb == "FF00B050"


def test_on_google_a_sections_own_note_elsewhere_stays(tmp_path):
    """Google has one note per cell and no author: only the cells the service marked are
    taken back (the feedback record names them), never whole columns."""
    from tests.backends import GoogleEnv

    env = GoogleEnv(tmp_path, small_config_data())
    env.run("distribute")
    sheet = env._sheet("bagian-1", env.editor("bagian-1"))
    sheet.update_note("I11", "catatan kami sendiri")
    env.type_into("bagian-1", {"B1-01": {"realisasi": "x"}}, status="Selesai")
    env.run("validate", code=1)
    assert "sheets-sync" in env.note("bagian-1", "G10")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 100}}, status="Sedang Diisi")
    env.run("validate", code=None)
    assert env.note("bagian-1", "G10") == ""  # ours, taken back
    assert env.note("bagian-1", "I11") == "catatan kami sendiri"


# --------------------------------------------------------------------------- 7 renamed sheet


def test_a_renamed_worksheet_is_recognised_and_never_duplicated(env):
    path = path_of(env, "bagian-1")
    wb = load_workbook(path)
    wb["Kertas Kerja"].title = "Data Kami"
    wb["Kertas Kerja" if "Kertas Kerja" in wb.sheetnames else "Data Kami"]["B7"] = "Selesai"
    wb.save(path)
    out = env.run("validate", code=4).output
    assert "'Data Kami'" in out and "kembalikan namanya menjadi 'Kertas Kerja'" in out
    assert "Kertas Kerja" not in load_workbook(path).sheetnames  # no second, empty one


# --------------------------------------------------------------------------- 8 temp files


def test_temp_files_go_to_the_hidden_folder_and_leftovers_are_cleaned(env, monkeypatch):
    folder = path_of(env, "bagian-1").parent
    hidden = workspace(env) / PERIOD / files.SERVICE_DIR / files.TMP_DIR
    hidden.mkdir(parents=True, exist_ok=True)
    (hidden / "999-killed.xlsx").write_bytes(b"half")
    (folder / ".tmp-abc123.xlsx").write_bytes(b"half")  # left by an older version
    saved_to: list[Path] = []
    real = files.temp_file
    # Every write goes through a temp file (openpyxl's save and the fast write alike).
    monkeypatch.setattr(files, "temp_file",
                        lambda path, *a: saved_to.append(real(path, *a)) or saved_to[-1])
    env.type_into("bagian-1", {"B1-01": {"realisasi": "x"}}, status="Selesai")
    saved_to.clear()
    env.run("validate", code=1)
    assert saved_to and all(hidden in p.parents for p in saved_to)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        Path(env.section_ref(s).id).name for s in ("bagian-1", "bagian-2", "bagian-3"))
    assert list(hidden.iterdir()) == []


# --------------------------------------------------------------------------- 9 structure


def test_workbook_structure_is_protected_and_meta_very_hidden(env):
    wb = load_workbook(path_of(env, "bagian-1"))
    assert wb.security is not None and wb.security.lockStructure
    assert wb["_meta"].sheet_state == "veryHidden"
