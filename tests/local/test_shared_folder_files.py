"""Issue 8: nothing a section typed is ever lost on a shared folder (local backend), in the
workbook files themselves: damaged workbooks and backups, permissions, a section's own notes
and fills, a renamed worksheet, temp files after a kill, workbook structure. One test (or a
few) per finding."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from sheets_sync.adapters.local import files
from tests.backends import LocalEnv, fill_all_valid
from tests.conftest import small_config_data
from tests.local.shared_folder import PERIOD, path_of, workspace

# a distributed local workspace (`env`) and short waits for the period lock, from conftest
pytestmark = pytest.mark.usefixtures("short_lock_wait")


@pytest.fixture
def env(distributed_local: LocalEnv) -> LocalEnv:
    return distributed_local


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
