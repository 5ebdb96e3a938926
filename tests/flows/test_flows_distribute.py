"""The commands end to end, through the real CLI, on both backends (a folder of real .xlsx
files, and Google through gspread against the in-process fake): distribute and status, and
the plain errors a command gives.

Sections type the way they really would: in Excel (local), or through the API as their own
account (Google), where protections apply to them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheets_sync.cli import main
from sheets_sync.ports import Role
from tests.backends import Env, GoogleEnv, LocalEnv
from tests.conftest import small_config_data, write_config


@pytest.fixture(params=["local", "google"])
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Env:
    kind = LocalEnv if request.param == "local" else GoogleEnv
    return kind(tmp_path, small_config_data())


# --------------------------------------------------------------------------- distribute, status


def test_distribute_then_status(env):
    env.run("distribute")
    data = json.loads(env.run("status", "--format", "json").stdout)["sections"]
    assert [d["section"] for d in data] == ["bagian-1", "bagian-2", "bagian-3"]
    assert all(d["state"] == "Belum Diisi" and d["filled"] == 0 and d["total"] == 4 for d in data)
    assert all(d["late"] for d in data)  # NOW is past the deadline and nothing was handed in

    env.type_into("bagian-1", {"B1-01": {"realisasi": 90}}, status="Selesai")
    env.type_into("bagian-2", {"B2-01": {"realisasi": 50}}, status="Sedang Diisi")
    data = {d["section"]: d
            for d in json.loads(env.run("status", "--format", "json").stdout)["sections"]}
    assert (data["bagian-1"]["state"], data["bagian-1"]["filled"], data["bagian-1"]["late"]) == (
        "Selesai", 1, False)
    assert (data["bagian-2"]["filled"], data["bagian-2"]["late"]) == (1, True)


def test_distribute_twice_creates_no_duplicate_and_keeps_typed_values(env):
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": "87,5", "keterangan": "sudah"}})
    assert "0 kertas kerja baru" in env.run("distribute").output
    assert env.count(Role.section) == 3 and env.count(Role.template) == 1
    assert env.cell("bagian-1", "Kertas Kerja", "G10") == "87,5"
    assert env.cell("bagian-1", "Kertas Kerja", "I10") == "sudah"


def test_section_added_later_is_distributed_alone(env):
    env.run("distribute")
    data = env.data
    data["sections"].append({"id": "baru", "name": "Subbagian Baru", "editors": []})
    data["indicators"].append({"code": "N-1", "section": "baru", "name": "X", "target": 5})
    env.rewrite(data)
    out = env.run("distribute").output
    assert "1 kertas kerja baru" in out
    assert env.count(Role.section) == 4
    assert env.cell("baru", "Kertas Kerja", "B10") == "N-1"


def test_crash_between_copy_and_prefill_is_completed_next_run(env, monkeypatch):
    store_type = type(env.store())
    real_apply = store_type.apply
    calls = {"n": 0}

    def crashing_apply(self, ref, patch):
        calls["n"] += 1
        if calls["n"] == 2:  # the second section's prefill: the power goes out
            raise KeyboardInterrupt
        return real_apply(self, ref, patch)

    monkeypatch.setattr(store_type, "apply", crashing_apply)
    assert "aman" in env.run("distribute", code=130).output  # re-running is safe, it says
    monkeypatch.setattr(store_type, "apply", real_apply)
    assert "dilengkapi" in env.run("distribute").output  # the bare copy was finished
    assert env.count(Role.section) == 3
    assert env.cell("bagian-2", "Kertas Kerja", "B10") == "B2-01"


def test_an_office_may_restyle_its_template(env):
    """Columns and header fields are found by their text, never by position."""
    env.use_office_template([
        ["SEKRETARIAT DPRD PROVINSI JAMBI"],
        ["Formulir isian kinerja"],
        [],
        [None, "Status:", None],
        [None, "Unit Kerja:", None],
        [None, "Periode:", None],
        [None, "Batas Waktu:", None],
        [None, "Instansi:", None],
        [],
        [],
        [],
        ["Kode", "Indikator Kinerja", "Catatan Kantor", "Realisasi", "Target", "Satuan",
         "No", "Sasaran", "Keterangan", "Bukti Dukung", "Capaian (%)"],
    ])
    env.run("distribute")
    assert env.cell("bagian-1", "Kertas Kerja", "A13") == "B1-01"  # code in its own column
    assert env.cell("bagian-1", "Kertas Kerja", "E13") == 100  # target under "Target"
    assert env.cell("bagian-1", "Kertas Kerja", "C4") == "Belum Diisi"  # next to "Status:"
    assert env.cell("bagian-1", "Kertas Kerja", "C5") == "Subbagian 1"
    assert env.can_type("bagian-1", "D13") and not env.can_type("bagian-1", "E13")
    env.type_into("bagian-1", {"B1-01": {"realisasi": "abc"}}, status="Selesai")
    report = json.loads(env.run("validate", "--format", "json", code=1).stdout)
    assert ("B1-01", "D13") in {(i["indicator"], i["cell"]) for i in report["issues"]}
    rows = json.loads(env.run("recap", "--format", "json").stdout)["rows"]
    assert next(r for r in rows if r["indicator"] == "B1-02")["target"] == 10


def test_template_command_shows_where_the_table_is(env):
    out = env.run("template").output
    # column names as the sheet shows them, not internal keys
    assert "tabel mulai baris 10" in out and "Realisasi, Capaian (%)" in out
    assert "realisasi" not in out and "budget_real" not in out
    env.run("template")
    assert env.count(Role.template) == 1


# --------------------------------------------------------------------------- errors


def test_unknown_section_option_is_a_usage_error(env):
    env.run("distribute")
    assert "gudang" in env.run("validate", "--section", "gudang", code=2).output
    assert "bagian-1" in env.run("distribute", "--section", "gudang", code=2).output


def test_a_section_cannot_approve_itself(env):
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": "abc"}}, status="Disetujui")
    report = json.loads(env.run("validate", "--format", "json", code=1).stdout)
    assert report["summary"]["valid"] == 0
    assert env.cell("bagian-1", "Kertas Kerja", "B7") == "Perlu Konfirmasi"  # put right
    assert "belum dapat disetujui" in env.run("approve", "bagian-1", code=1).output
    summary = env.recap_grid("Ringkasan") if env.run("recap") else []
    assert next(r for r in summary if r and r[0] == "bagian-1")[3] == "Perlu Konfirmasi"


def test_completing_a_damaged_workbook_keeps_its_records(env):
    """A workbook distributed before history rules were on holds other records in the rows
    the history record would take: completing it must add history, not overwrite them."""
    env.run("distribute")
    from sheets_sync.domain.meta import parse_meta
    from sheets_sync.domain.patch import SheetPatch, WorkbookPatch
    from sheets_sync.domain.review import review_history

    event = json.dumps({"action": "confirm", "who": "ani", "when": "2026-10-05T09:00:00"})
    damaged = {(1, 10): "review:0001", (1, 11): event, (4, 2): ""}  # and the prefill undone
    env.store().apply(env.section_ref("bagian-1"),
                      WorkbookPatch([SheetPatch("_meta", values=damaged)]))
    assert "dilengkapi" in env.run("distribute").output
    meta = parse_meta(env.grid(env.section_ref("bagian-1"), "_meta"))
    assert [e["who"] for e in review_history(meta)] == ["ani"]  # the record survived
    assert "history" in meta.extra


def test_completing_a_damaged_workbook_keeps_the_status(env):
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 90}}, status="Selesai")
    ref = env.section_ref("bagian-1")
    from sheets_sync.domain.patch import SheetPatch, WorkbookPatch

    # the meta sheet damaged by hand: distribute completes the workbook again
    env.store().apply(ref, WorkbookPatch([SheetPatch("_meta", values={(4, 2): ""})]))
    assert "dilengkapi" in env.run("distribute").output
    assert env.cell("bagian-1", "Kertas Kerja", "B7") == "Selesai"
    assert env.cell("bagian-1", "Kertas Kerja", "G10") == 90


@pytest.mark.parametrize("command", ["status", "validate", "recap"])
def test_commands_before_distribute_are_plain(env, command):
    result = env.run(command, code=None)
    assert result.exit_code in (0, 1) and "Traceback" not in result.output


def test_config_error_exit_2_without_traceback(tmp_path):
    result = LocalEnv.__new__(LocalEnv)
    result.config_path = write_config(tmp_path, small_config_data(period="kuartal tiga"))
    out = result.run("status", code=2).output
    assert "Konfigurasi bermasalah" in out and "Traceback" not in out


def test_missing_config_exit_2(tmp_path):
    result = CliRunner().invoke(main, ["--config", str(tmp_path / "x.yaml"), "status"])
    assert result.exit_code == 2 and "sync init" in result.output
