"""What a user is told about a workbook the service could not use: the restore command with
the section filled in, who has a file open (from Excel's or LibreOffice's lock file), and a
closing line that fits what befell the files (a deleted one is restored, not re-run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheets_sync.adapters.local import file_problems
from sheets_sync.adapters.local.workbook_io import Skipped, read_file
from sheets_sync.cli.main import skipped_closing
from sheets_sync.flows.guard import SkippedFile
from tests.backends import LocalEnv
from tests.conftest import small_config_data


def _text_named_xlsx(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("Kode;Realisasi\nB1-01;77\n", encoding="utf-8")
    return path


def test_a_text_file_named_xlsx_names_the_sections_restore_command(tmp_path: Path) -> None:
    path = _text_named_xlsx(tmp_path / "kertas-kerja",
                            "keuangan - Kertas Kerja 2026-TW3 - Subbagian Keuangan.xlsx")
    got = read_file(path, ("Kertas Kerja",))
    assert isinstance(got, Skipped)
    assert "sync restore keuangan'" in got.reason
    assert "<bagian>" not in got.reason


def test_the_recap_is_restored_as_rekap(tmp_path: Path) -> None:
    path = _text_named_xlsx(tmp_path / "rekap", "Rekapitulasi Data Kinerja 2026-TW3.xlsx")
    message = file_problems.unreadable(path)
    assert "sync restore rekap'" in message and "<bagian>" not in message


def test_a_file_of_no_known_section_gets_no_placeholder(tmp_path: Path) -> None:
    message = file_problems.unreadable(_text_named_xlsx(tmp_path, "data.xlsx"))
    assert "<" not in message and "sync restore" in message


def _excel_lock(path: Path, user: str) -> None:
    raw = user.encode("cp1252")
    (path.parent / f"~${path.name}").write_bytes(bytes([len(raw)]) + raw.ljust(53, b" "))


def _libre_lock(path: Path, user: str) -> None:
    (path.parent / f".~lock.{path.name}#").write_text(
        f"{user},sari,PC-KEUANGAN,06.12.2026 10:00,file:///C:/Users/sari;", encoding="utf-8")


@pytest.mark.parametrize("lock", [_excel_lock, _libre_lock])
def test_a_file_held_open_names_who_has_it(tmp_path: Path, lock) -> None:
    path = tmp_path / "keuangan - Kertas Kerja.xlsx"
    path.write_bytes(b"PK\x03\x04")
    lock(path, "Bu Sari")
    message = file_problems.not_permitted(path)
    assert "sedang dibuka oleh Bu Sari" in message and "sejak" in message
    assert "program lain" not in message


def test_a_file_held_without_a_lock_file_says_a_program_holds_it(tmp_path: Path) -> None:
    path = tmp_path / "keuangan - Kertas Kerja.xlsx"
    path.write_bytes(b"PK\x03\x04")
    assert "program lain" in file_problems.not_permitted(path)


def test_the_closing_line_fits_what_befell_the_files() -> None:
    gone = SkippedFile("keuangan", "keuangan - Kertas Kerja", "hilang", missing=True)
    open_ = SkippedFile("humas", "humas - Kertas Kerja", "sedang dibuka oleh Bu Sari")
    assert "ditutup atau diperbaiki" not in skipped_closing([gone])
    assert "sync restore" in skipped_closing([gone])
    mixed = skipped_closing([gone, open_])
    assert "sync restore" in mixed and "ditutup" in mixed
    assert "sync restore" not in skipped_closing([open_])


def test_a_deleted_workbook_ends_with_restore_not_close(tmp_path: Path) -> None:
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 77}}, status="Selesai")
    env.run("validate", code=None)  # a backup of it now exists
    Path(env.section_ref("bagian-1").id).unlink()
    out = " ".join(env.run("status", code=4).output.split())
    assert "sync restore bagian-1" in out
    assert "ditutup atau diperbaiki" not in out
