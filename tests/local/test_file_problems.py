"""Issue 21: a workbook that cannot be used is named for what it is, with the next step."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sheets_sync.adapters.local.workbook_io import Skipped, apply_file, read_file
from sheets_sync.domain.patch import SheetPatch, WorkbookPatch
from tests.backends import LocalEnv
from tests.conftest import small_config_data

CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def compound(*streams: str) -> bytes:
    """A compound-file header and a directory naming `streams`, as Excel writes them."""
    body = b"".join(s.encode("utf-16-le").ljust(64, b"\0") + b"\0" * 64 for s in streams)
    return CFB + b"\0" * (512 - len(CFB)) + body + b"\0" * 1024


KINDS = {
    "encrypted": (compound("Root Entry", "EncryptionInfo", "EncryptedPackage"),
                  ("kata sandi", "hapus kata sandinya")),
    "xls": (compound("Root Entry", "Workbook", "\x05SummaryInformation"),
            (".xls", "simpan sebagai")),
    "biff": (b"\x09\x08\x10\x00\x00\x06\x05\x00" + b"\x00" * 200, (".xls", "simpan sebagai")),
    "csv": (b"kode;realisasi\nB1-01;90\nB1-02;8,5\n", ("teks", "CSV")),
    "html": (b"<html><body><table><tr><td>1</td></tr></table></body></html>", ("teks",)),
}


def package(*parts: tuple[str, bytes]) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for part, data in parts:
            z.writestr(part, data)
    return buf.getvalue()


KINDS.update({
    "ods": (package(("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
                    ("content.xml", b"<x/>")), (".ods", "simpan sebagai")),
    "xlsb": (package(("[Content_Types].xml", b"<x/>"), ("xl/workbook.bin", b"\0")),
             (".xlsb", "simpan sebagai")),
    "docx": (package(("[Content_Types].xml", b"<x/>"), ("word/document.xml", b"<x/>")),
             ("Word",)),
    "zip": (package(("foto.jpg", b"\xff\xd8")), ("arsip zip",)),
})


@pytest.mark.parametrize("name", sorted(KINDS))
def test_a_file_that_is_not_an_xlsx_is_named_for_what_it_is(tmp_path: Path, name: str):
    data, words = KINDS[name]
    path = tmp_path / "bagian-1.xlsx"
    path.write_bytes(data)
    result = read_file(path, ("Kertas Kerja",))
    assert isinstance(result, Skipped)
    assert "bagian-1.xlsx" in result.reason
    for word in words:
        assert word in result.reason, (name, result.reason)
    assert "BadZipFile" not in result.reason and "rusak" not in result.reason


def real_workbook(tmp_path: Path) -> tuple[LocalEnv, Path]:
    env = LocalEnv(tmp_path, small_config_data(sections=2, indicators=2))
    env.run("distribute")
    return env, Path(env.section_ref("bagian-1").id)


def test_a_truncated_workbook_is_damaged_and_a_copy_still_arriving_is_not(tmp_path: Path):
    _env, path = real_workbook(tmp_path)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    damaged = read_file(path, ("Kertas Kerja",))
    assert isinstance(damaged, Skipped) and "rusak" in damaged.reason
    assert "sync restore" in damaged.reason

    # the same half file while a sync client still writes its temporary copy beside it
    (path.parent / f"{path.name}.part").write_bytes(whole[:100])
    arriving = read_file(path, ("Kertas Kerja",))
    assert isinstance(arriving, Skipped) and "sinkronisasi" in arriving.reason
    assert "Coba lagi" in arriving.reason and "rusak" not in arriving.reason

    path.write_bytes(b"")
    (path.parent / f"{path.name}.part").unlink()
    empty = read_file(path, ("Kertas Kerja",))
    assert isinstance(empty, Skipped) and "kosong" in empty.reason


def test_a_read_only_workbook_is_not_called_open_elsewhere(tmp_path: Path):
    env, path = real_workbook(tmp_path)
    env.type_into("bagian-1", {"B1-01": {"realisasi": 90}}, status="Selesai")
    before = path.read_bytes()
    os.chmod(path, 0o444)
    try:
        result = apply_file(path, WorkbookPatch(sheets=[SheetPatch("Validasi")]))
        assert isinstance(result, Skipped)
        assert "hanya-baca" in result.reason and "dibuka" not in result.reason
        out = env.run("validate", code=None).output
        assert path.read_bytes() == before  # nothing written into it
        assert "hanya-baca" in out and "sedang dibuka" not in out
    finally:
        os.chmod(path, 0o644)


def test_the_cli_names_the_real_cause_and_exits_with_the_skipped_code(tmp_path: Path):
    env, path = real_workbook(tmp_path)
    shutil.copyfile(path, path.with_suffix(".bak"))
    path.write_bytes(KINDS["encrypted"][0])
    result = env.run("recap", code=4)
    assert "kata sandi" in result.output and "Traceback" not in result.output
    assert "BadZipFile" not in result.output


def test_an_indicators_file_that_is_no_xlsx_is_named_for_what_it_is(tmp_path: Path):
    from sheets_sync.config import load_config
    from sheets_sync.domain.errors import ConfigError
    from tests.conftest import write_config

    data = small_config_data(sections=1, indicators=1)
    data.pop("indicators")
    data["indicators_file"] = "indikator.xlsx"
    path = write_config(tmp_path, data)
    (path.parent / "indikator.xlsx").write_bytes(KINDS["encrypted"][0])
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "kata sandi" in err.value.message and "indicators_file" in err.value.message
    assert "sync restore" not in err.value.message
