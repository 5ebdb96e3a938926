"""Issue 7, finding 9: one language. click's own messages, the --help texts and the words
shared with the sheets appear in Indonesian."""

from __future__ import annotations

from click.testing import CliRunner

from sheets_sync.cli import main
from tests.conftest import small_config_data, write_config

ENGLISH = ("Usage:", "Error:", "Missing option", "No such command", "Options", "Commands",
           "Show this message and exit", "Try '", "for help", "[default:", "is not one of")


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), env={"SHEETS_SYNC_NOW": "2026-10-07T10:00"})
    return result.output


def _no_english(out: str) -> None:
    for phrase in ENGLISH:
        assert phrase not in out, (phrase, out)


def test_help_is_indonesian():
    out = _run("--help")
    _no_english(out)
    assert "Penggunaan: sync [OPSI] PERINTAH [ARGUMEN]..." in out.replace("main", "sync")
    assert "Opsi:" in out and "Perintah:" in out and "Tampilkan bantuan ini" in out
    assert "[bawaan: config/sync.yaml]" in out
    _no_english(_run("status", "--help"))
    _no_english(_run("confirm", "--help"))
    for command in ("validate", "approve"):
        assert "error" not in _run(command, "--help").lower().replace("kesalahan", "")


def test_usage_errors_are_indonesian(tmp_path):
    cfg = str(write_config(tmp_path, small_config_data()))
    missing = CliRunner().invoke(main, ["--config", cfg, "confirm", "bagian-1", "x"])
    assert missing.exit_code == 2
    _no_english(missing.output)
    assert "Kesalahan: Opsi wajib belum diisi: '--note'" in missing.output
    assert "Coba 'main confirm --help' untuk bantuan." in missing.output

    unknown = CliRunner().invoke(main, ["--config", cfg, "statsu"])
    assert unknown.exit_code == 2
    _no_english(unknown.output)
    assert "Kesalahan: Perintah 'statsu' tidak ada." in unknown.output

    choice = CliRunner().invoke(main, ["--config", cfg, "status", "--format", "xml"])
    assert choice.exit_code == 2
    _no_english(choice.output)
    assert "'xml' bukan salah satu dari 'table', 'json', 'csv'" in choice.output


def test_the_screen_says_kesalahan_as_the_sheet_does(tmp_path):
    from sheets_sync.domain.feedback import SEVERITY_LABELS
    from sheets_sync.domain.models import Severity

    cfg = str(write_config(tmp_path, small_config_data()))
    env = {"SHEETS_SYNC_NOW": "2026-10-07T10:00", "COLUMNS": "200"}
    CliRunner().invoke(main, ["--config", cfg, "distribute"], env=env)
    ws = next((tmp_path / "config" / "workspace" / "2026-TW3" / "kertas-kerja").glob(
        "bagian-1*.xlsx"))
    from openpyxl import load_workbook

    wb = load_workbook(ws)
    wb["Kertas Kerja"]["G10"] = -5
    wb["Kertas Kerja"]["B7"] = "Selesai"
    wb.save(ws)
    out = CliRunner().invoke(main, ["--config", cfg, "validate"], env=env).output
    word = SEVERITY_LABELS[Severity.error]
    assert word == "Kesalahan"
    assert word in out and "Error" not in out and " error" not in out
    sheet = load_workbook(ws)["Validasi"]
    assert any(row[1] == word for row in sheet.iter_rows(values_only=True))
