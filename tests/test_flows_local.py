"""Every command end to end on the local backend, through the real CLI, on real .xlsx files.

Sections' typing is done the way Excel does it: open the workbook, change input cells, save.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_sync.adapters.local import LocalStore
from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.domain.worksheet import locate
from sheets_sync.flows.watch import Watcher
from sheets_sync.ports import Role
from tests.conftest import small_config_data, write_config

NOW = "2026-10-07T10:00"  # after the fill deadline (Tue 6 Oct 16:00)


def run(config_path: Path, *args: str, code: int | None = 0) -> Any:
    result = CliRunner().invoke(main, ["--config", str(config_path), *args],
                                env={"SHEETS_SYNC_NOW": NOW}, catch_exceptions=False)
    if code is not None:
        assert result.exit_code == code, result.output
    return result


def section_file(config_path: Path, section: str) -> Path:
    config = load_config(config_path)
    store = LocalStore(config_path.parent / config.backend.local.workspace)
    (ref,) = [r for r in store.find(config.period.code, Role.section) if r.tags.section == section]
    return Path(ref.id)


def type_into(config_path: Path, section: str, values: dict[str, dict[str, Any]],
              status: str | None = None, who: str = "Budi") -> None:
    """As a section in Excel: {indicator code: {column key: value}}, then save."""
    config = load_config(config_path)
    path = section_file(config_path, section)
    wb = load_workbook(path)
    ws = wb[config.labels.sheet_worksheet]
    layout = locate([list(r) for r in ws.iter_rows(values_only=True)], config.labels)
    rows = {ws.cell(r, layout.columns["code"]).value: r
            for r in range(layout.first_row, ws.max_row + 1)}
    for code, cells in values.items():
        for key, value in cells.items():
            ws.cell(rows[code], layout.columns[key]).value = value
    if status:
        ws.cell(*layout.header_cells["status"]).value = status
    wb.properties.lastModifiedBy = who
    wb.save(path)


def cell(config_path: Path, section: str, sheet: str, a1: str) -> Any:
    return load_workbook(section_file(config_path, section))[sheet][a1].value


def fill_all_valid(config_path: Path) -> None:
    config = load_config(config_path)
    for s in config.sections:
        type_into(config_path, s.id, {
            i.code: {"realisasi": i.target, "bukti": "https://drive.example/bukti.pdf"}
            for i in config.indicators_of(s.id)}, status="Selesai")


# --------------------------------------------------------------------------- init, demo


def test_init_writes_a_config_that_distributes(tmp_path):
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 0, result.output
    cfg = tmp_path / "config" / "sync.yaml"
    assert cfg.exists() and (tmp_path / "config" / "indikator.csv").exists()
    run(cfg, "distribute")
    assert len(list((tmp_path / "workspace" / "2026-TW3" / "kertas-kerja").glob("*.xlsx"))) == 8
    again = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert again.exit_code == 2 and "--force" in again.output  # never overwrites silently


def test_demo_runs_the_whole_flow_and_says_where(tmp_path):
    result = CliRunner().invoke(main, ["demo", "--workspace", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    for step in ("sync distribute", "sync status", "sync validate", "sync recap"):
        assert step in result.output
    assert str(tmp_path / "demo") in result.output
    assert (tmp_path / "demo" / "laporan-kinerja.xlsx").exists()
    recap = list((tmp_path / "demo" / "workspace" / "2026-TW3" / "rekap").glob("*.xlsx"))
    assert len(recap) == 1
    summary = load_workbook(recap[0])["Ringkasan"]
    late = [r for r in summary.iter_rows(values_only=True) if r and r[6] == "Ya"]
    assert [r[0] for r in late] == ["humas"]  # exactly the section the demo left unfinished


# --------------------------------------------------------------------------- distribute


def test_distribute_then_status(config_path):
    run(config_path, "distribute")
    data = json.loads(run(config_path, "status", "--format", "json").stdout)
    assert [d["section"] for d in data] == ["bagian-1", "bagian-2", "bagian-3"]
    assert all(d["state"] == "Belum Diisi" and d["filled"] == 0 and d["total"] == 4 for d in data)
    assert all(d["late"] for d in data)  # NOW is past the deadline and nothing was handed in

    type_into(config_path, "bagian-1", {"B1-01": {"realisasi": 90}}, status="Selesai")
    type_into(config_path, "bagian-2", {"B2-01": {"realisasi": 50}}, status="Sedang Diisi")
    data = {d["section"]: d for d in json.loads(run(config_path, "status", "--format", "json").stdout)}
    assert (data["bagian-1"]["state"], data["bagian-1"]["filled"], data["bagian-1"]["late"]) == (
        "Selesai", 1, False)
    assert (data["bagian-2"]["filled"], data["bagian-2"]["late"]) == (1, True)
    assert data["bagian-1"]["changed_by"] == "Budi"


def test_distribute_twice_creates_no_duplicate_and_keeps_typed_values(config_path):
    run(config_path, "distribute")
    type_into(config_path, "bagian-1", {"B1-01": {"realisasi": "87,5", "keterangan": "sudah"}})
    out = run(config_path, "distribute").output
    assert "0 kertas kerja baru" in out
    files = list(section_file(config_path, "bagian-1").parent.glob("*.xlsx"))
    assert len(files) == 3
    assert cell(config_path, "bagian-1", "Kertas Kerja", "G10") == "87,5"
    assert cell(config_path, "bagian-1", "Kertas Kerja", "I10") == "sudah"


def test_section_added_later_is_distributed_alone(tmp_path):
    data = small_config_data(sections=2)
    cfg = write_config(tmp_path, data)
    run(cfg, "distribute")
    first = section_file(cfg, "bagian-1").stat().st_mtime_ns
    data["sections"].append({"id": "baru", "name": "Subbagian Baru", "editors": []})
    data["indicators"].append({"code": "N-1", "section": "baru", "name": "X", "target": 5})
    write_config(tmp_path, data)
    out = run(cfg, "distribute").output
    assert "1 kertas kerja baru" in out
    assert section_file(cfg, "bagian-1").stat().st_mtime_ns == first  # untouched
    assert cell(cfg, "baru", "Kertas Kerja", "B10") == "N-1"


def test_crash_between_copy_and_prefill_is_completed_next_run(config_path, monkeypatch):
    calls = {"n": 0}
    real_apply = LocalStore.apply

    def crashing_apply(self, ref, patch):
        calls["n"] += 1
        if calls["n"] == 2:  # the second section's prefill: the power goes out
            raise KeyboardInterrupt
        return real_apply(self, ref, patch)

    monkeypatch.setattr(LocalStore, "apply", crashing_apply)
    result = run(config_path, "distribute", code=130)
    assert "aman" in result.output  # tells the user re-running is safe
    monkeypatch.setattr(LocalStore, "apply", real_apply)
    out = run(config_path, "distribute").output
    assert "dilengkapi" in out  # the copied-but-not-prefilled workbook was finished
    assert len(list(section_file(config_path, "bagian-1").parent.glob("*.xlsx"))) == 3
    assert cell(config_path, "bagian-2", "Kertas Kerja", "B10") == "B2-01"


# --------------------------------------------------------------------------- validate


def test_validate_reports_and_writes_feedback_into_the_section_sheet(config_path):
    run(config_path, "distribute")
    fill_all_valid(config_path)
    type_into(config_path, "bagian-2", {"B2-01": {"realisasi": "sembilan puluh"}})
    result = run(config_path, "validate", "--format", "json", code=1)
    report = json.loads(result.stdout)
    assert report["summary"]["errors"] >= 1 and report["summary"]["sections"] == 3
    bad = [i for i in report["issues"] if i["severity"] == "error"]
    assert {(i["section"], i["indicator"], i["cell"]) for i in bad} == {("bagian-2", "B2-01", "G10")}
    # the section sees it in its own sheet, in Indonesian, and its status changed
    wb = load_workbook(section_file(config_path, "bagian-2"))
    rows = list(wb["Validasi"].iter_rows(values_only=True))
    assert any("sembilan puluh" in " ".join(str(c) for c in r if c) for r in rows[1:])
    assert wb["Kertas Kerja"]["G10"].value == "sembilan puluh"  # never changed by validation
    assert wb["Kertas Kerja"]["G10"].comment is not None
    assert cell(config_path, "bagian-2", "Kertas Kerja", "B7") == "Perlu Konfirmasi"
    assert cell(config_path, "bagian-1", "Kertas Kerja", "B7") == "Valid"


def test_validate_twice_writes_nothing_new_and_fixes_clear_feedback(config_path):
    run(config_path, "distribute")
    fill_all_valid(config_path)
    type_into(config_path, "bagian-2", {"B2-01": {"realisasi": -3}})
    run(config_path, "validate", code=1)
    before = section_file(config_path, "bagian-1").stat().st_mtime_ns
    second = run(config_path, "validate", code=1).output
    assert "Umpan balik ditulis" not in second
    assert section_file(config_path, "bagian-1").stat().st_mtime_ns == before
    type_into(config_path, "bagian-2", {"B2-01": {"realisasi": 100}}, status="Selesai")
    assert "0 error" in run(config_path, "validate").output
    wb = load_workbook(section_file(config_path, "bagian-2"))
    assert wb["Kertas Kerja"]["G10"].comment is None
    assert wb["Kertas Kerja"]["B7"].value == "Valid"


def test_validate_dry_run_writes_nothing(config_path):
    run(config_path, "distribute")
    type_into(config_path, "bagian-1", {"B1-01": {"realisasi": "x"}}, status="Selesai")
    before = section_file(config_path, "bagian-1").read_bytes()
    run(config_path, "validate", "--dry-run", code=1)
    assert section_file(config_path, "bagian-1").read_bytes() == before


def test_structure_tamper_is_reported(config_path):
    run(config_path, "distribute")
    path = section_file(config_path, "bagian-1")
    wb = load_workbook(path)
    wb["Kertas Kerja"]["F10"] = 1  # someone lowered a target (protection removed in Excel)
    wb.save(path)
    report = json.loads(run(config_path, "validate", "--format", "json", code=None).stdout)
    tamper = [i for i in report["issues"] if i["section"] == "bagian-1" and i["cell"] == "F10"]
    assert tamper and tamper[0]["severity"] == "error"


# --------------------------------------------------------------------------- recap, export


def test_recap_json_and_workbook(config_path, tmp_path):
    run(config_path, "distribute")
    type_into(config_path, "bagian-1", {"B1-01": {"realisasi": "87,5"}, "B1-04": {"realisasi": 3}},
              status="Selesai")
    rows = json.loads(run(config_path, "recap", "--format", "json",
                          "--export", str(tmp_path / "laporan.csv")).stdout)
    by_code = {r["indicator"]: r for r in rows}
    assert by_code["B1-01"] == {"section": "bagian-1", "indicator": "B1-01", "target": 100.0,
                                "realisasi": 87.5, "capaian": 87.5, "rating": "Tinggi"}
    assert by_code["B1-04"]["capaian"] == 170.0  # 'hari' is negative polarity: (2*10-3)/10
    assert by_code["B2-01"]["capaian"] is None
    assert "Tinggi" in (tmp_path / "laporan.csv").read_text(encoding="utf-8-sig")
    config = load_config(config_path)
    (recap,) = LocalStore(config_path.parent / "workspace").find(config.period.code, Role.recap)
    wb = load_workbook(recap.id)
    assert wb.sheetnames == ["Ringkasan", "Rekap Indikator", "Validasi", "Jadwal SOP", "Audit"]
    assert len(wb["Ringkasan"]._charts) == 1


def test_recap_audit_appends_changes_and_never_rewrites(config_path):
    run(config_path, "distribute")
    run(config_path, "recap")
    type_into(config_path, "bagian-1", {"B1-01": {"realisasi": 80}}, who="Siti")
    run(config_path, "recap")
    type_into(config_path, "bagian-1", {"B1-01": {"realisasi": 85}}, who="Siti")
    run(config_path, "recap")
    config = load_config(config_path)
    (recap,) = LocalStore(config_path.parent / "workspace").find(config.period.code, Role.recap)
    audit = [r for r in load_workbook(recap.id)["Audit"].iter_rows(values_only=True)]
    changes = [r for r in audit[1:] if r[2] == "B1-01"]
    assert [(r[5], r[6], r[7]) for r in changes] == [(None, 80, "Siti"), (80, 85, "Siti")]


def test_text_starting_with_equals_reaches_the_recap_as_text(config_path):
    run(config_path, "distribute")
    type_into(config_path, "bagian-1", {"B1-01": {"keterangan": "=HYPERLINK(\"http://evil\")"}})
    # openpyxl saved that as a formula, as Excel would for a typed '=': the recap must not
    # turn it into a live formula in its own workbook
    run(config_path, "recap")
    config = load_config(config_path)
    (recap,) = LocalStore(config_path.parent / "workspace").find(config.period.code, Role.recap)
    ws = load_workbook(recap.id)["Rekap Indikator"]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


# --------------------------------------------------------------------------- watch


class CountingStore:
    """Wraps a store and counts port calls: the local stand-in for the Google call budget."""

    def __init__(self, inner: LocalStore) -> None:
        self.inner, self.calls = inner, []
        self.identity = inner.identity

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.inner, name)
        if not callable(attr):
            return attr

        def counted(*args: Any, **kwargs: Any) -> Any:
            refs = args[0] if name == "read_many" else [None]
            self.calls.extend([name] * max(len(refs), 1) if name == "read_many" else [name])
            return attr(*args, **kwargs)
        return counted


def test_watch_reads_only_what_changed(config_path):
    from datetime import datetime

    run(config_path, "distribute")
    config = load_config(config_path)
    store = CountingStore(LocalStore(config_path.parent / "workspace"))
    watcher = Watcher(config, store)
    now = datetime(2026, 10, 5, 10, 0)
    first = watcher.cycle(now)
    assert first.changed == ["bagian-1", "bagian-2", "bagian-3"] and first.recap_written

    store.calls.clear()
    idle = watcher.cycle(now)  # our own feedback and recap writes are not "changes"
    assert (idle.changed, store.calls) == ([], ["changed_since"])

    type_into(config_path, "bagian-2", {"B2-01": {"realisasi": "abc"}}, status="Selesai")
    store.calls.clear()
    busy = watcher.cycle(now)
    assert busy.changed == ["bagian-2"] and busy.feedback_written == ["bagian-2"]
    assert store.calls.count("read_many") == 1  # one section read, not three
    assert busy.errors == 4  # "abc", and the three rows left empty although "Selesai"


def test_watch_once_from_the_cli(config_path):
    run(config_path, "distribute")
    out = run(config_path, "watch", "--once").output
    assert "berubah: bagian-1, bagian-2, bagian-3" in out


# --------------------------------------------------------------------------- errors


def test_config_error_exit_2_without_traceback(tmp_path):
    data = small_config_data(period="kuartal tiga")
    result = run(write_config(tmp_path, data), "status", code=2)
    assert "Konfigurasi bermasalah" in result.output and "Traceback" not in result.output


def test_missing_config_exit_2(tmp_path):
    result = run(tmp_path / "tidak-ada.yaml", "status", code=2)
    assert "sync init" in result.output


def test_corrupt_workbook_is_a_backend_error_exit_3(config_path):
    run(config_path, "distribute")
    section_file(config_path, "bagian-1").write_bytes(b"not a zip")
    result = run(config_path, "validate", code=3)
    assert "bagian-1" in result.output and "cadangan" in result.output


def test_unknown_section_option(config_path):
    run(config_path, "distribute")
    result = run(config_path, "validate", "--section", "gudang", code=3)
    assert "gudang" in result.output


@pytest.mark.parametrize("command", ["status", "validate", "recap"])
def test_commands_before_distribute_are_plain(config_path, command):
    result = run(config_path, command, code=None)
    assert result.exit_code in (0, 1) and "Traceback" not in result.output
