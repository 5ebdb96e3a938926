"""The commands end to end through the real CLI where only the local backend applies: init,
the demo, exports, typed formulas, tampering, damaged workbooks, the process pool."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_sync.adapters.local import LocalStore
from sheets_sync.cli import main
from sheets_sync.ports import Role
from tests.backends import LocalEnv
from tests.conftest import small_config_data

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
