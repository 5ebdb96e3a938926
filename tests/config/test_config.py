"""Config loading: the shipped example loads; every mistake names file, field, line, fix."""

from pathlib import Path

import pytest

from sheets_sync.config import load_config
from sheets_sync.domain.errors import ConfigError
from sheets_sync.domain.models import Period, PeriodKind
from tests.conftest import REPO, small_config_data, write_config


def test_shipped_example_is_a_realistic_office():
    config = load_config(REPO / "config" / "sync.yaml")
    assert config.office.name == "Sekretariat DPRD Provinsi Jambi"
    assert config.period.label == "Triwulan III 2026"
    assert 5 <= len(config.sections) <= 40
    for section in config.sections:
        assert 4 <= len(config.indicators_of(section.id)) <= 8, section.id
    assert any(i.polarity.value == "negatif" for i in config.indicators)
    assert any(i.polarity.value == "rentang" for i in config.indicators)
    budgeted = [i for i in config.indicators if i.budget]
    assert budgeted and all(i.budget >= 1_000_000 for i in budgeted)  # '85.000.000' read as Rp


@pytest.mark.parametrize(
    ("text", "kind", "number", "label", "previous"),
    [("2026", PeriodKind.annual, 0, "Tahun 2026", "2025"),
     ("2026-TW1", PeriodKind.quarterly, 1, "Triwulan I 2026", "2025-TW4"),
     ("2026-tw3", PeriodKind.quarterly, 3, "Triwulan III 2026", "2026-TW2"),
     ("2026-01", PeriodKind.monthly, 1, "Januari 2026", "2025-12")],
)
def test_periods(text, kind, number, label, previous):
    p = Period.parse(text)
    assert (p.kind, p.number, p.label, p.previous().code) == (kind, number, label, previous)


def _error(tmp_path: Path, data: dict) -> str:
    with pytest.raises(ConfigError) as exc:
        load_config(write_config(tmp_path, data))
    return exc.value.message


def test_unknown_key_names_the_field_and_line(tmp_path):
    data = small_config_data()
    data["sections"][1]["editor"] = ["x@y.example"]  # typo for 'editors'
    msg = _error(tmp_path, data)
    assert "sync.yaml" in msg and "sections[1].editor" in msg
    assert "baris" in msg and "tidak dikenal" in msg


def test_bad_period_says_what_to_write(tmp_path):
    msg = _error(tmp_path, small_config_data(period="TW3-2026"))
    assert "period" in msg and "2026-TW3" in msg


def test_bad_email_and_polarity(tmp_path):
    data = small_config_data()
    data["sections"][0]["editors"] = ["bukan-email"]
    data["indicators"][0]["polarity"] = "naik"
    msg = _error(tmp_path, data)
    assert "bukan-email" in msg and "bukan alamat e-mail" in msg
    assert "indicators[0].polarity" in msg and "positif" in msg


def test_indicator_of_unknown_section(tmp_path):
    data = small_config_data()
    data["indicators"][0]["section"] = "gudang"
    assert "gudang" in _error(tmp_path, data)


def test_range_needs_bounds(tmp_path):
    data = small_config_data()
    data["indicators"][0].update(polarity="rentang", target=None)
    assert "target_min" in _error(tmp_path, data)


def test_yaml_syntax_error_gives_line(tmp_path):
    path = tmp_path / "sync.yaml"
    path.write_text("period: 2026-TW3\nsections:\n  - id: a\n   name: salah indentasi\n")
    with pytest.raises(ConfigError) as exc:
        load_config(path)
    assert "baris" in exc.value.message and "indentasi" in exc.value.message


def test_missing_config_says_how_to_make_one(tmp_path):
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path / "nope.yaml")
    assert "sync init" in exc.value.message


def test_indicators_from_csv_with_indonesian_numbers(tmp_path):
    data = small_config_data(indicators=0)
    data["indicators_file"] = "indikator.csv"
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "indikator.csv").write_text(
        "Kode;Bagian;Indikator;Satuan;Target;Pagu\n"
        "A-1;bagian-1;Persentase X;%;87,5;Rp 1.500.000\n", encoding="utf-8")
    config = load_config(write_config(tmp_path, data))
    (ind,) = config.indicators
    assert (ind.code, ind.target, ind.budget) == ("A-1", 87.5, 1_500_000)


def test_indicators_file_errors_name_row_and_column(tmp_path):
    data = small_config_data(indicators=0, indicators_file="indikator.csv")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "indikator.csv").write_text(
        "kode,bagian,indikator,target\nA-1,bagian-1,X,100\nA-2,bagian-1,Y,seratus\n")
    msg = _error(tmp_path, data)
    assert "indikator.csv" in msg and "baris 3" in msg and "target" in msg


def test_indicators_from_xlsx(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Kode", "Bagian", "Indikator Kinerja", "Satuan", "Target", "Polaritas"])
    ws.append(["A-1", "bagian-1", "Waktu layanan", "hari", 3, "negatif"])
    (tmp_path / "config").mkdir()
    wb.save(tmp_path / "config" / "ind.xlsx")
    data = small_config_data(indicators=0, indicators_file="ind.xlsx")
    config = load_config(write_config(tmp_path, data))
    assert config.indicators[0].polarity.value == "negatif"


def test_config_saved_as_ansi_by_notepad_still_loads(tmp_path):
    path = write_config(tmp_path, small_config_data())
    text = path.read_text(encoding="utf-8").replace("Subbagian 1", "Subbagian Umum é")
    path.write_bytes(text.encode("cp1252"))
    assert load_config(path).sections[0].name == "Subbagian Umum é"


def test_config_path_that_is_a_folder(tmp_path):
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path)
    assert str(tmp_path) in exc.value.message


def test_damaged_indicators_xlsx_is_a_plain_error(tmp_path):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "ind.xlsx").write_bytes(b"PK not really a workbook")
    msg = _error(tmp_path, small_config_data(indicators=0, indicators_file="ind.xlsx"))
    assert "ind.xlsx" in msg and ".csv" in msg


def test_indicators_csv_saved_as_ansi(tmp_path):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "ind.csv").write_bytes(
        "kode;bagian;indikator;target\nA-1;bagian-1;Pemeliharaan gedung \xe9;10\n".encode("latin-1"))
    config = load_config(write_config(tmp_path, small_config_data(indicators=0,
                                                                  indicators_file="ind.csv")))
    assert config.indicators[0].name.startswith("Pemeliharaan")


def test_bad_pinned_time_is_a_usage_error(tmp_path):
    from click.testing import CliRunner

    from sheets_sync.cli import main

    cfg = write_config(tmp_path, small_config_data())
    result = CliRunner().invoke(main, ["--config", str(cfg), "status"],
                                env={"SHEETS_SYNC_NOW": "besok"})
    assert result.exit_code == 2 and "SHEETS_SYNC_NOW" in result.output
