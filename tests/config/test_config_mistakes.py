"""Config mistakes PEP staff really make (issue 7, finding 7): each is exit 2 with the file, the
field and its line, and what to write; never a traceback, a hang, or a silent guess."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheets_sync.cli import main
from sheets_sync.config import load_config
from tests.conftest import small_config_data, write_config


def _yaml(tmp_path: Path, old: str, new: str) -> Path:
    """The small config, with one line of its YAML text replaced as a person would type it."""
    path = write_config(tmp_path, small_config_data())
    text = path.read_text(encoding="utf-8")
    assert old in text, text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def _fails(path: Path) -> str:
    started = time.monotonic()
    result = CliRunner().invoke(main, ["--config", str(path), "status"],
                                env={"SHEETS_SYNC_NOW": "2026-10-07T10:00"})
    assert time.monotonic() - started < 5, "no hang"
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "sync.yaml" in result.output
    return " ".join(result.output.split())


def test_a_date_that_does_not_exist(tmp_path):
    path = _yaml(tmp_path, "letter_date: '2026-10-01'", "letter_date: 2026-02-30")
    out = _fails(path)
    assert "opening.letter_date" in out and f"baris {_line_of(path, 'letter_date')}" in out
    assert "2026-02-30" in out and "tidak ada di kalender" in out


def test_a_holiday_in_month_13(tmp_path):
    path = _yaml(tmp_path, "sections:", "sop:\n  extra_holidays: [2026-13-01]\nsections:")
    out = _fails(path)
    assert "sop.extra_holidays[0]" in out and f"baris {_line_of(path, 'extra_holidays')}" in out
    assert "2026-13-01" in out


@pytest.mark.parametrize(("written", "expected"), [
    ("2026-10-01T09:00+07:00", datetime(2026, 10, 1, 9, 0)),
    ("2026-10-01T10:00+08:00", datetime(2026, 10, 1, 9, 0)),   # WITA, in Jambi's WIB
    ("'2026-10-01 11:00 WIT'", datetime(2026, 10, 1, 9, 0)),
    ("2026-10-01T02:00Z", datetime(2026, 10, 1, 9, 0)),
    ("2026-10-01T09:00", datetime(2026, 10, 1, 9, 0)),         # no zone: office time
])
def test_disposition_with_a_zone_is_office_time(tmp_path, written, expected):
    path = _yaml(tmp_path, "disposition_at: 2026-10-01T09:00", f"disposition_at: {written}")
    config = load_config(path)
    assert config.opening.disposition_at == expected
    result = CliRunner().invoke(main, ["--config", str(path), "status"],
                                env={"SHEETS_SYNC_NOW": "2026-10-07T10:00"})
    assert result.exit_code == 0, result.output  # deadlines computed, no naive/aware crash


def test_office_in_wita(tmp_path):
    path = _yaml(tmp_path, "  name: Sekretariat DPRD Provinsi Jambi",
                 "  name: Sekretariat DPRD Provinsi Bali\n  timezone: WITA")
    path.write_text(path.read_text().replace("disposition_at: 2026-10-01T09:00",
                                             "disposition_at: 2026-10-01T09:00+07:00"))
    assert load_config(path).opening.disposition_at == datetime(2026, 10, 1, 10, 0)


def test_office_closing_before_it_opens(tmp_path):
    path = _yaml(tmp_path, "sections:", "sop:\n  office_opens: '16:00'\n  office_closes: '08:00'"
                 "\nsections:")
    out = _fails(path)
    assert "sop" in out and "office_closes" in out and f"baris {_line_of(path, 'sop:')}" in out


def test_rating_bands_not_highest_first(tmp_path):
    path = _yaml(tmp_path, "sections:", "rating:\n  bands:\n    - {min: 51, label: Rendah}\n"
                 "    - {min: 91, label: Sangat Tinggi}\n    - {label: Sangat Rendah}\nsections:")
    out = _fails(path)
    assert "rating.bands" in out and f"baris {_line_of(path, 'bands:')}" in out
    assert "tertinggi" in out and "Sangat Tinggi" in out


def test_a_negative_target(tmp_path):
    path = write_config(tmp_path, small_config_data())
    text = path.read_text()
    path.write_text(text.replace("target: 100", "target: -100", 1))
    out = _fails(path)
    assert "indicators[0].target" in out and "negatif" in out
    assert f"baris {_line_of(path, 'target: -100')}" in out


def _csv(tmp_path: Path, text: str) -> Path:
    data = small_config_data(indicators=0, indicators_file="indikator.csv")
    path = write_config(tmp_path, data)
    (path.parent / "indikator.csv").write_text(text, encoding="utf-8")
    return path


def test_an_indicator_file_without_indicators(tmp_path):
    path = _csv(tmp_path, "Kode;Bagian;Indikator Kinerja;Satuan;Target\n")
    result = CliRunner().invoke(main, ["--config", str(path), "status"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    out = " ".join(result.output.split())
    assert "indikator.csv" in out and "tidak berisi satu indikator" in out


def test_csv_errors_name_the_csv_own_column_and_line(tmp_path):
    path = _csv(tmp_path, "Kode;Bagian;Indikator Kinerja;Satuan;Nilai Target\n"
                          "A-1;bagian-1;X;dokumen;10\nA-2;bagian-1;Y;dokumen;sepuluh\n")
    (path.parent / "indikator.csv").write_text(
        (path.parent / "indikator.csv").read_text().replace("Nilai Target", "Target Kinerja"))
    # an unknown header is refused first, by its own name
    assert "Target Kinerja" in _csv_error(path)
    (path.parent / "indikator.csv").write_text(
        "KODE;Bagian;Indikator Kinerja;Satuan;Target\nA-1;bagian-1;X;dokumen;10\n"
        "A-2;bagian-1;Y;dokumen;sepuluh\nA-3;bagian-1;;dokumen;5\n")
    msg = _csv_error(path)
    assert "baris 3" in msg and "'Target'" in msg and "kolom target" not in msg
    (path.parent / "indikator.csv").write_text(
        "KODE;Bagian;Indikator Kinerja;Satuan;Target\nA-1;bagian-1;;dokumen;10\n")
    msg = _csv_error(path)
    assert "baris 2" in msg and "'Indikator Kinerja'" in msg and "kolom name" not in msg
    (path.parent / "indikator.csv").write_text(
        "KODE;Bagian;Indikator Kinerja;Satuan;Target\nA-1;bagian-1;X;dokumen;-5\n")
    msg = _csv_error(path)
    assert "baris 2" in msg and "'Target'" in msg and "negatif" in msg


def _csv_error(path: Path) -> str:
    result = CliRunner().invoke(main, ["--config", str(path), "status"])
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    return " ".join(result.output.split())


def test_csv_indicator_of_an_unknown_section_names_its_line(tmp_path):
    path = _csv(tmp_path, "Kode;Unit Kerja;Indikator Kinerja;Satuan;Target\n"
                          "A-1;bagian-1;X;dokumen;10\nA-2;gudang;Y;dokumen;5\n")
    msg = _csv_error(path)
    assert "indikator.csv" in msg and "baris 3" in msg and "'Unit Kerja'" in msg
    assert "gudang" in msg and "bagian-1" in msg


def test_a_misspelt_section_of_an_indicator_in_the_yaml_names_its_line(tmp_path):
    path = _yaml(tmp_path, "section: bagian-2\n", "section: bagain-2\n")
    out = _fails(path)
    assert f"baris {_line_of(path, 'bagain-2')}" in out
    assert "B2-01" in out and "'bagain-2'" in out and "bagian-2" in out


ENGLISH = ("mapping values", "could not find", "expected", "found", "while scanning",
           "while parsing", "Input should", "not allowed", "character")


@pytest.mark.parametrize(("old", "new", "words"), [
    ("period: 2026-TW3", "period: 2026-TW3\n\tkind: x", "tab"),  # a tab for indentation
    ("name: Subbagian 1", "name: Subbagian 1: Umum", "tanda kutip"),  # ': ' inside a value
    ("name: Subbagian 2", "name 'Subbagian 2'", "titik dua"),  # a key without its colon
    ("head: Kasubbag 3", "head: \"Kasubbag 3", "tanda kutip"),  # a quote never closed
    ("  name: Subbagian 1", "   name: Subbagian 1", "titik dua"),  # one space too many
    ("editors:\n  - bagian1@setwan.example", "editors: [bagian1@setwan.example",
     "ditutup"),  # a list never closed
])
def test_a_yaml_mistake_is_told_in_indonesian_with_line_and_column(tmp_path, old, new, words):
    path = _yaml(tmp_path, old, new)
    out = _fails(path)
    assert "baris" in out and "kolom" in out, out
    problem = out.split("penulisan YAML salah:", 1)[1].split(". Periksa", 1)[0]
    assert words in problem, out
    for english in ENGLISH:
        assert english not in out, (english, out)


@pytest.mark.parametrize(("old", "new", "words"), [
    ("period: 2026-TW3", "period: 2026-TW3\nrekap:\n  batas_capaian: -5", "harus lebih dari 0"),
    ("period: 2026-TW3", "period: 2026-TW3\nrekap: 120", "kunci: nilai"),
    ("editors:\n  - bagian1@setwan.example", "editors: 5", "daftar"),
])
def test_a_wrong_kind_of_value_is_told_in_indonesian(tmp_path, old, new, words):
    path = _yaml(tmp_path, old, new)
    out = _fails(path)
    assert words in out, out
    assert "Input should" not in out and "valid" not in out.replace("Valid", ""), out


def test_an_os_error_on_the_config_is_told_in_indonesian(tmp_path):
    folder = tmp_path / "sync.yaml"
    folder.mkdir()  # a folder where the config file should be
    result = CliRunner().invoke(main, ["--config", str(folder), "status"])
    out = " ".join(result.output.split())
    assert result.exit_code == 2 and "folder, bukan berkas" in out, out
    assert "Is a directory" not in out and "Errno" not in out


def test_one_editor_may_be_written_without_a_list(tmp_path):
    """`editors: tu@...` is a list of one address, as the person who wrote it means; a list
    where one is needed and something else is written says both ways to write one."""
    path = _yaml(tmp_path, "  editors:\n  - bagian1@setwan.example",
                 "  editors: Bagian1@setwan.example")
    config = load_config(path)
    assert config.section("bagian-1").editors == ["bagian1@setwan.example"]
    path = _yaml(tmp_path / "b", "  editors:\n  - bagian1@setwan.example", "  editors: {a: 1}")
    out = _fails(path)
    assert "[a, b]" in out and "diawali '-'" in out


def test_a_misspelt_key_is_answered_with_the_key_meant(tmp_path):
    path = _yaml(tmp_path, "  name: Sekretariat DPRD Provinsi Jambi",
                 "  name: Sekretariat DPRD Provinsi Jambi\n  shortname: Setwan")
    out = _fails(path)
    assert "office.shortname" in out and "maksudnya 'short_name'?" in out
    path = _yaml(tmp_path / "b", "  head: Kasubbag 1", "  head: Kasubbag 1\n  editor: a@b.go.id")
    out = _fails(path)
    assert "maksudnya 'editors'?" in out
    path = _yaml(tmp_path / "c", "  head: Kasubbag 1", "  head: Kasubbag 1\n  zzz: 1")
    assert "maksudnya" not in _fails(path)  # nothing close: no guess
