"""Every command end to end, through the real CLI, on both backends: a folder of real .xlsx
files, and Google through gspread against the in-process fake of Sheets and Drive.

Sections type the way they really would: in Excel (local), or through the API as their own
account (Google), where protections apply to them.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_sync.adapters.local import LocalStore
from sheets_sync.cli import main
from sheets_sync.flows.watch import Watcher
from sheets_sync.ports import Role
from tests.backends import Env, GoogleEnv, LocalEnv
from tests.conftest import small_config_data, write_config


@pytest.fixture(params=["local", "google"])
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Env:
    kind = LocalEnv if request.param == "local" else GoogleEnv
    return kind(tmp_path, small_config_data())


def fill_all_valid(env: Env) -> None:
    config = env.config
    for s in config.sections:
        env.type_into(s.id, {i.code: {"realisasi": i.target, "bukti": "https://drive.example/b.pdf"}
                             for i in config.indicators_of(s.id)}, status="Selesai")


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


# --------------------------------------------------------------------------- validate


def test_validate_reports_and_writes_feedback_into_the_section_sheet(env):
    env.run("distribute")
    fill_all_valid(env)
    env.type_into("bagian-2", {"B2-01": {"realisasi": "sembilan puluh"}})
    report = json.loads(env.run("validate", "--format", "json", code=1).stdout)
    assert report["summary"]["errors"] >= 1 and report["summary"]["sections"] == 3
    bad = [i for i in report["issues"] if i["severity"] == "error"]
    assert {(i["section"], i["indicator"], i["cell"]) for i in bad} == {("bagian-2", "B2-01", "G10")}
    # the section sees it in its own sheet, in Indonesian, and its status changed
    rows = env.grid(env.section_ref("bagian-2"), "Validasi")
    assert any("sembilan puluh" in " ".join(str(c) for c in r if c) for r in rows[1:])
    assert env.cell("bagian-2", "Kertas Kerja", "G10") == "sembilan puluh"  # never changed
    assert "sembilan puluh" in env.note("bagian-2", "G10")
    assert env.cell("bagian-2", "Kertas Kerja", "B7") == "Perlu Konfirmasi"
    assert env.cell("bagian-1", "Kertas Kerja", "B7") == "Valid"


def test_validate_twice_writes_nothing_new_and_fixes_clear_feedback(env):
    env.run("distribute")
    fill_all_valid(env)
    env.type_into("bagian-2", {"B2-01": {"realisasi": -3}})
    assert "Umpan balik ditulis ke 3 lembar" in env.run("validate", code=1).output
    assert "Umpan balik ditulis" not in env.run("validate", code=1).output  # nothing new
    env.type_into("bagian-2", {"B2-01": {"realisasi": 100}}, status="Selesai")
    out = env.run("validate").output
    assert "0 kesalahan" in out and "ditulis ke 1 lembar" in out
    assert env.note("bagian-2", "G10") == ""
    assert env.cell("bagian-2", "Kertas Kerja", "B7") == "Valid"


def test_validate_dry_run_writes_nothing(env):
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": "x"}}, status="Selesai")
    before = env.section_ref("bagian-1").modified
    env.run("validate", "--dry-run", code=1)
    assert env.section_ref("bagian-1").modified == before
    assert env.cell("bagian-1", "Kertas Kerja", "B7") == "Selesai"


# --------------------------------------------------------------------------- review loop


@pytest.fixture
def reviewed(env):
    env.run("distribute")
    config = env.config
    values = {i.code: {"realisasi": i.target, "bukti": "https://drive.example/b.pdf"}
              for i in config.indicators_of("bagian-1")}
    values["B1-01"]["realisasi"] = 50  # 50 %: needs a Keterangan (a warning)
    env.type_into("bagian-1", values, status="Selesai")
    return env


def test_confirm_approve_reopen(reviewed):
    env = reviewed
    checked = json.loads(env.run("validate", "--format", "json").stdout)
    warning = next(i for i in checked["issues"] if i["section"] == "bagian-1")
    assert warning["severity"] == "warning"
    assert env.can_type("bagian-1", "G10") and not env.can_type("bagian-1", "F10")

    assert "belum dapat disetujui" in env.run("approve", "bagian-1", code=1).output
    out = env.run("confirm", "bagian-1", warning["key"], "--note", "Sudah dicek", "--by", "ani")
    assert "dikonfirmasi" in out.output and "Valid" in out.output
    env.run("validate", "--section", "bagian-1")  # exit 0: nothing blocks any more

    env.run("approve", "bagian-1", "--by", "budi")
    assert env.cell("bagian-1", "Kertas Kerja", "B7") == "Disetujui"
    assert not env.can_type("bagian-1", "G10")  # the inputs are locked now
    assert not env.can_type("bagian-1", "B7")
    assert env.cell("bagian-1", "Kertas Kerja", "G10") == 50  # nothing typed was touched

    out = env.run("reopen", "bagian-1", "--reason", "Revisi", "--format", "json")
    assert json.loads(out.stdout)["status"] == "Sedang Diisi"
    assert env.can_type("bagian-1", "G10") and env.can_type("bagian-1", "B7")
    assert not env.can_type("bagian-1", "F10")

    env.run("recap")
    audit = env.recap_grid("Audit")
    assert sum(any("ani" in str(c) for c in row) for row in audit) >= 1
    assert sum(any("budi" in str(c) for c in row) for row in audit) >= 1


@pytest.mark.parametrize(("args", "code", "text"), [
    (["confirm", "humas", "x:y", "--note", "n"], 2, "tidak ada di konfigurasi"),
    (["confirm", "bagian-1", "x:y", "--note", "n"], 2, "tidak ada pada lembar ini"),
    (["confirm", "bagian-1", "x:y"], 2, "--note"),
    (["reopen", "bagian-2", "--reason", "r"], 0, "masih terbuka"),
    (["approve", "bagian-2"], 2, "Belum Diisi"),
])
def test_review_messages_and_exit_codes(reviewed, args, code, text):
    result = reviewed.run(*args, code=code)
    assert text in result.output and "Traceback" not in result.output


# --------------------------------------------------------------------------- recap


def test_recap_json_and_workbook(env, tmp_path):
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": "87,5"}, "B1-04": {"realisasi": 3}},
                  status="Selesai")
    rows = json.loads(env.run("recap", "--format", "json",
                              "--export", str(tmp_path / "laporan.csv")).stdout)["rows"]
    by_code = {r["indicator"]: r for r in rows}
    b1 = {k: by_code["B1-01"][k] for k in ("section", "indicator", "target", "realisasi",
                                           "capaian", "rating", "counts", "not_counted_reason")}
    assert b1 == {"section": "bagian-1", "indicator": "B1-01", "target": 100.0,
                  "realisasi": 87.5, "capaian": 87.5, "rating": "Tinggi",
                  "counts": True, "not_counted_reason": None}  # TW I-IV: test_quarters
    assert by_code["B1-04"]["capaian"] == 170.0  # 'hari' is negative polarity: (2*10-3)/10
    assert by_code["B2-01"]["capaian"] is None
    assert "Tinggi" in (tmp_path / "laporan.csv").read_text(encoding="utf-8-sig")
    summary = env.recap_grid("Ringkasan")
    late = {r[0] for r in summary if len(r) > 6 and r[6] == "Ya"}
    assert late == {"bagian-2", "bagian-3"}  # bagian-1 handed in; the others are late


def test_recap_audit_appends_changes_and_never_rewrites(env):
    env.run("distribute")
    env.run("recap")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 80}})
    env.run("recap")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 85}})
    env.run("recap")
    audit = env.recap_grid("Audit")
    changes = [r for r in audit[1:] if r[2] == "B1-01"]
    assert [(r[5] if r[5] != "" else None, r[6]) for r in changes] == [(None, 80), (80, 85)]
    assert audit[0][0] == "Waktu" and sum(r[0] == "Waktu" for r in audit) == 1


def test_recap_audit_lines_of_one_recap_are_in_time_order(env):
    """A review done at 10:00 and a value change the 11:00 recap notices: the approval's
    line comes first, as it happened first."""
    from datetime import datetime

    from sheets_sync.flows.recap import recap
    from sheets_sync.flows.review import approve

    env.run("distribute")
    env.run("recap")
    env.type_into("bagian-1", {f"B1-0{n}": {"realisasi": 9, "keterangan": "Sesuai rencana",
                                            "bukti": "https://drive.example/bukti.pdf"}
                               for n in range(1, 5)}, status="Selesai")
    env.run("validate")
    config, store = env.config, env.store()
    approve(config, store, "bagian-1", "pep", datetime(2026, 10, 7, 10, 0))
    recap(config, store, datetime(2026, 10, 7, 11, 0))
    times = [r[0] for r in env.recap_grid("Audit")[1:] if r and r[0]]
    assert len(times) > 1 and any("10:00" in t for t in times)
    assert times == sorted(times)


# --------------------------------------------------------------------------- watch


def test_watch_reads_only_what_changed(env):
    env.run("distribute")
    store = Counting(env.store())
    watcher = Watcher(env.config, store)
    now = datetime(2026, 10, 5, 10, 0)
    first = watcher.cycle(now)
    assert first.changed == ["bagian-1", "bagian-2", "bagian-3"] and first.recap_written

    settle = watcher.cycle(now)  # our own writes moved the files: read once more, no change
    assert (settle.changed, settle.recap_written) == ([], False)
    store.calls.clear()
    idle = watcher.cycle(now)
    assert (idle.changed, store.calls) == ([], ["changed_since"])

    env.type_into("bagian-2", {"B2-01": {"realisasi": "abc"}}, status="Selesai")
    store.calls.clear()
    busy = watcher.cycle(now)
    assert busy.changed == ["bagian-2"] and busy.feedback_written == ["bagian-2"]
    # one listing, one section read (not three), its feedback, then the recap: read, write,
    # sharing check
    assert store.calls == ["changed_since", "read", "apply_many", "read", "apply", "share"]
    assert busy.errors == 4  # "abc", and the three rows left empty although "Selesai"


def test_watch_once_from_the_cli(env):
    env.run("distribute")
    out = env.run("watch", "--once").output
    assert "pertama kali dibaca: bagian-1, bagian-2, bagian-3; berubah: -" in out


class Counting:
    """Counts port calls (a read_many of n files counts n reads)."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.calls = inner, []
        self.identity = getattr(inner, "identity", None)

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.inner, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            if name == "read_many":
                self.calls.extend(["read"] * len(args[0]))
            else:
                self.calls.append(name)
            return attr(*args, **kwargs)
        return counted if callable(attr) else attr


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


# --------------------------------------------------------------------------- local only


def test_init_writes_a_config_that_distributes(tmp_path):
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 0, result.output
    cfg = tmp_path / "config" / "sync.yaml"
    assert (tmp_path / "config" / "indikator.csv").exists()
    assert CliRunner().invoke(main, ["--config", str(cfg), "distribute"]).exit_code == 0
    assert len(list((tmp_path / "workspace").glob("*/kertas-kerja/*.xlsx"))) == 8
    again = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert again.exit_code == 2 and "--force" in again.output  # never overwrites silently


def test_demo_runs_the_whole_flow_and_says_where(tmp_path):
    result = CliRunner().invoke(main, ["demo", "--workspace", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    for step in ("sync distribute", "sync status", "sync validate", "sync recap"):
        assert step in result.output
    assert str(tmp_path / "demo") in result.output
    assert (tmp_path / "demo" / "laporan-kinerja.xlsx").exists()
    (recap,) = (tmp_path / "demo" / "workspace" / "2026-TW3" / "rekap").glob("*.xlsx")
    summary = load_workbook(recap)["Ringkasan"]
    late = [r for r in summary.iter_rows(values_only=True) if r and r[6] == "Ya"]
    # exactly the section the demo left unfinished, and the one that handed in an hour late
    assert sorted(r[0] for r in late) == ["fasilitasi-anggaran", "humas"]
    by_code = {r[0]: r for r in late}
    assert by_code["fasilitasi-anggaran"][14] == "Tidak"  # handed in, not on time
    assert by_code["humas"][13] in (None, "")  # not handed in at all
    assert len(summary._charts) == 2  # capaian and indicators filled per section


def test_csv_export_does_not_let_typed_text_run_as_a_formula(tmp_path):
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 80, "keterangan": "@SUM(1+1)"},
                               "B1-02": {"realisasi": 8, "keterangan": "-cmd|calc"},
                               "B1-04": {"realisasi": -1}}, status="Selesai")
    env.run("recap", "--export", str(tmp_path / "laporan.csv"))
    import csv

    rows = list(csv.reader((tmp_path / "laporan.csv").read_text(encoding="utf-8-sig").splitlines()))
    cells = [c for row in rows for c in row]
    assert "'@SUM(1+1)" in cells and "'-cmd|calc" in cells
    assert "-1" in cells or "-1.0" in cells  # a number stays a number


def test_typed_formula_reaches_the_recap_as_text(tmp_path):
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    # openpyxl saves this as a formula, as Excel would for a typed '=': the recap must not
    # turn it into a live formula in its own workbook
    env.type_into("bagian-1", {"B1-01": {"keterangan": '=HYPERLINK("http://evil")'}})
    env.run("recap")
    (recap,) = env.store().find(env.config.period.code, Role.recap)
    ws = load_workbook(recap.id)["Rekap Indikator"]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_structure_tamper_is_reported(tmp_path):
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    path = env.section_ref("bagian-1").id
    wb = load_workbook(path)
    wb["Kertas Kerja"]["F10"] = 1  # a target lowered (protection removed in Excel)
    wb.save(path)
    report = json.loads(env.run("validate", "--format", "json", code=None).stdout)
    tamper = [i for i in report["issues"] if i["section"] == "bagian-1" and i["cell"] == "F10"]
    assert tamper and tamper[0]["severity"] == "error"


def test_corrupt_workbook_is_skipped_by_section_exit_4(tmp_path):
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    Path(env.section_ref("bagian-1").id).write_bytes(b"not a zip")
    out = env.run("validate", code=4).output
    assert "bagian bagian-1" in out and "sync restore" in out


def test_many_sections_use_the_process_pool(tmp_path):
    env = LocalEnv(tmp_path, small_config_data(sections=9, indicators=2))
    env.run("distribute")
    store = LocalStore(tmp_path / "config" / "workspace", processes=2)
    refs = store.find("2026-TW3", Role.section)
    assert len(store.read_many(refs, ["Kertas Kerja"])) == 9


def test_workspace_that_is_a_file_is_a_plain_error(tmp_path):
    data = small_config_data()
    data["backend"]["local"]["workspace"] = "bukan-folder.txt"
    env = LocalEnv(tmp_path, data)
    (env.config_path.parent / "bukan-folder.txt").write_text("x")
    out = env.run("distribute", code=3).output
    assert "bukan-folder.txt" in out and "Traceback" not in out
