"""What a new user tried on the merged tool (issue 7, the tester's findings): each mistake is a
plain Indonesian message naming the file, field and line, exit 2, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sheets_sync.cli import main
from sheets_sync.ports import Role
from tests.backends import LocalEnv
from tests.config.test_config_mistakes import _fails, _line_of, _yaml
from tests.conftest import small_config_data, write_config

ENV = {"SHEETS_SYNC_NOW": "2026-10-07T10:00"}


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=ENV)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result.exit_code, " ".join(result.output.split())


# --------------------------------------------------------------------------- 1: impossible dates


@pytest.mark.parametrize("written", ["2026-13-27", "2026-02-30", "2026-00-10"])
def test_an_impossible_letter_date_names_file_field_and_line(tmp_path, written):
    path = _yaml(tmp_path, "letter_date: '2026-10-01'", f"letter_date: {written}")
    out = _fails(path)
    assert "opening.letter_date" in out and f"baris {_line_of(path, 'letter_date')}" in out
    assert written in out


# --------------------------------------------------------------------------- 2: sync init


def test_init_into_a_file_path_is_refused_plainly(tmp_path):
    config = write_config(tmp_path, small_config_data())
    before = config.read_text()
    code, out = _run("init", str(config))
    assert code == 2
    assert "bukan folder" in out and str(config) in out and f"sync init {tmp_path}" in out
    assert config.read_text() == before


@pytest.mark.parametrize("where", ["/proc/sheets-sync-test", "FILE/below"])
def test_init_where_nothing_can_be_written_is_refused_plainly(tmp_path, where):
    (tmp_path / "FILE").write_text("x")
    folder = where.replace("FILE", str(tmp_path / "FILE"))
    code, out = _run("init", folder)
    assert code == 2 and "tidak dapat ditulis" in out and folder in out
    assert "Errno" not in out


# --------------------------------------------------------------------------- 3: duplicate keys


def test_a_second_period_line_is_refused_naming_both_lines(tmp_path):
    path = _yaml(tmp_path, "period: 2026-TW3", "period: 2026-TW3\nperiod: 2026-TW2")
    out = _fails(path)
    first = _line_of(path, "period: 2026-TW3")
    assert f"baris {first} dan baris {first + 1}" in out and "'period'" in out
    assert "dua kali" in out


def test_a_pasted_second_backend_block_is_refused(tmp_path):
    path = write_config(tmp_path, small_config_data())
    text = path.read_text()
    path.write_text(text + "backend:\n  kind: google\n")
    out = _fails(path)
    assert (f"baris {_line_of(path, 'backend:')} dan baris "
            f"{len(path.read_text().splitlines()) - 1}") in out


def test_a_duplicate_key_inside_a_section_is_refused(tmp_path):
    path = _yaml(tmp_path, "  name: Subbagian 2", "  name: Subbagian 2\n  name: Subbagian Dua")
    out = _fails(path)
    assert "'name'" in out and f"baris {_line_of(path, 'Subbagian Dua')}" in out


# --------------------------------------------------------------------------- 4: hints


def _with_office_opens(tmp_path: Path, written: str) -> Path:
    return _yaml(tmp_path, "sections:", f"sop:\n  office_opens: {written}\nsections:")


@pytest.mark.parametrize("written", ["'8.00'", "8.00", "8", "8:00", "'25:00'", "'8:00'"])
def test_a_wrong_office_time_gets_a_time_hint(tmp_path, written):
    path = _with_office_opens(tmp_path, written)
    out = _fails(path)
    assert "sop.office_opens" in out and f"baris {_line_of(path, 'office_opens')}" in out
    assert "jam" in out and "08:00" in out
    assert "2026-10-01" not in out and "kalender" not in out and "480" not in out
    if written == "8.00":  # said back as written, not as the number YAML reads (8.0)
        assert f"jam 0{written} dibaca sebagai angka" in out


def test_an_office_time_with_a_zone_is_refused_not_a_crash(tmp_path):
    out = _fails(_with_office_opens(tmp_path, "'08:00+07:00'"))
    assert "sop.office_opens" in out and "zona" in out


def test_a_right_office_time_still_loads(tmp_path):
    from sheets_sync.config import load_config

    config = load_config(_with_office_opens(tmp_path, "'07:30'"))
    assert config.sop.office_opens.strftime("%H:%M") == "07:30"


def test_the_choices_are_listed_in_indonesian(tmp_path):
    path = write_config(tmp_path, small_config_data())
    path.write_text(path.read_text().replace("polarity: negatif", "polarity: negatip", 1))
    out = _fails(path)
    assert "'positif', 'negatif' atau 'rentang'" in out and " or " not in out


# --------------------------------------------------------------------------- 5: export suffix


@pytest.mark.parametrize("fmt", [[], ["--format", "pdf"]])
def test_export_refuses_an_unknown_suffix_as_recap_does(tmp_path, fmt):
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    out = env.run("export", "rekap", "--output", str(tmp_path / "laporan.docx"), *fmt, code=2)
    assert ".pdf, .xlsx atau .csv" in out.output and ".docx" in out.output
    assert not list(tmp_path.glob("laporan*"))
    same = env.run("recap", "--export", str(tmp_path / "r.docx"), code=2)
    assert ".pdf, .xlsx atau .csv" in same.output
    assert "Konfigurasi" not in same.output  # the config is fine: the file name is not
    assert env.store().find(env.config.period.code, Role.recap) == []  # refused before any work


# --------------------------------------------------------------------------- 6: reopen


def test_reopen_refuses_a_section_that_was_never_approved(tmp_path):
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    values = {i.code: {"realisasi": i.target} for i in env.config.indicators_of("bagian-1")}
    values["B1-01"]["realisasi"] = 50  # needs a Keterangan: Perlu Konfirmasi
    env.type_into("bagian-1", values, status="Selesai")
    env.run("validate", code=None)
    before = env.cell("bagian-1", "Kertas Kerja", "B7")
    assert before in ("Perlu Konfirmasi", "Valid", "Selesai")
    out = env.run("reopen", "bagian-1", "--reason", "x", code=2).output
    assert "belum disetujui" in " ".join(out.split()) and "Traceback" not in out
    assert env.cell("bagian-1", "Kertas Kerja", "B7") == before  # nothing changed


def test_reopen_still_undoes_an_approval(tmp_path):
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    values = {i.code: {"realisasi": i.target, "bukti": "https://drive.example/b.pdf"}
              for i in env.config.indicators_of("bagian-1")}
    env.type_into("bagian-1", values, status="Selesai")
    env.run("validate", code=None)
    env.run("approve", "bagian-1")
    env.run("reopen", "bagian-1", "--reason", "revisi")
    assert env.cell("bagian-1", "Kertas Kerja", "B7") == "Sedang Diisi"


# --------------------------------------------------------------------------- 7: indicator file


def _with_csv(tmp_path: Path, rows: str, **extra: object) -> Path:
    data = small_config_data(indicators=0, indicators_file="indikator.csv", **extra)
    path = write_config(tmp_path, data)
    (path.parent / "indikator.csv").write_text(
        "Kode;Bagian;Indikator Kinerja;Satuan;Target\n" + rows, encoding="utf-8")
    return path


def test_a_duplicate_code_in_the_csv_names_the_csv_and_both_lines(tmp_path):
    path = _with_csv(tmp_path, "TU-01;bagian-1;X;dokumen;10\nTU-02;bagian-1;Y;dokumen;5\n"
                               "TU-02;bagian-2;Z;dokumen;5\n")
    code, out = _run("--config", str(path), "status")
    assert code == 2
    assert "indikator.csv, baris 4" in out and "'Kode'" in out and "indikator.csv baris 3" in out
    assert "TU-02" in out and "sync.yaml" not in out


def test_a_csv_code_already_in_the_yaml_names_both_places(tmp_path):
    path = _with_csv(tmp_path, "TU-01;bagian-1;X;dokumen;10\n")
    text = path.read_text()
    path.write_text(text.replace("indicators: []", "indicators:\n- {code: TU-01, section: "
                                 "bagian-2, name: A, unit: dokumen, target: 1}"))
    code, out = _run("--config", str(path), "status")
    assert code == 2 and "indikator.csv, baris 2" in out
    assert f"sync.yaml baris {_line_of(path, 'code: TU-01')}" in out


def test_a_duplicate_code_in_the_yaml_names_both_lines(tmp_path):
    data = small_config_data()
    data["indicators"][1]["code"] = data["indicators"][0]["code"]
    path = write_config(tmp_path, data)
    out = _fails(path)
    lines = [n for n, line in enumerate(path.read_text().splitlines(), 1)
             if line.startswith("- code: B1-01")]
    assert len(lines) == 2 and f"baris {lines[0]} dan sync.yaml baris {lines[1]}" in out


def test_an_unknown_section_in_the_csv_names_the_csv_line(tmp_path):
    path = _with_csv(tmp_path, "TU-01;bagian-1;X;dokumen;10\nTU-02;bagiann-2;Y;dokumen;5\n")
    code, out = _run("--config", str(path), "status")
    assert code == 2 and "indikator.csv, baris 3" in out and "bagiann-2" in out


# --------------------------------------------------------------------------- 8: config vs sheets


def test_status_counts_filled_over_the_config_indicators_only(tmp_path):
    import json

    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    env.type_into("bagian-1", {i.code: {"realisasi": i.target}
                               for i in env.config.indicators_of("bagian-1")})
    data = small_config_data()
    data["indicators"] = [i for i in data["indicators"] if i["code"] != "B1-02"
                          and (i["section"] != "bagian-1" or i["code"] == "B1-01")]
    env.rewrite(data)  # the config now has one indicator for bagian-1; the sheet keeps four
    rows = json.loads(env.run("status", "--format", "json").stdout)["sections"]
    mine = next(r for r in rows if r["section"] == "bagian-1")
    assert (mine["filled"], mine["total"]) == (1, 1)
    table = " ".join(env.run("status").output.split())
    assert "4/1" not in table


def test_a_section_without_indicators_is_a_warning_at_load(tmp_path):
    data = small_config_data()
    data["indicators"] = [i for i in data["indicators"] if i["section"] != "bagian-2"]
    path = write_config(tmp_path, data)
    result = CliRunner().invoke(main, ["--config", str(path), "status"], env=ENV)
    assert result.exit_code == 0, result.output
    err = " ".join(result.stderr.split())
    assert "Perhatian" in err and "'bagian-2'" in err and "sync.yaml" in err
    line = _line_of(path, "id: bagian-2")
    assert f"baris {line}" in err and "bagian-1" not in err


# --------------------------------------------------------------------------- 9: usage errors

ENGLISH = ("No such", "Missing", "Invalid value", "is not one of", "is not a valid", "Error:",
           "Usage:", "Try '", "required", "float", "integer", "TEXT", "FLOAT", "INTEGER",
           "SECTION")


@pytest.mark.parametrize(("args", "expected"), [
    (["status", "--bogus"], "Opsi '--bogus' tidak ada"),
    (["reopen", "bagian-1"], "Opsi wajib belum diisi: '--reason'"),
    (["statsu"], "Perintah 'statsu' tidak ada"),
    (["recap", "--format", "xml"], "bukan salah satu dari"),
    (["watch", "--interval", "abc"], "'abc' bukan angka yang sah"),
    (["restore"], "Argumen wajib belum diisi: 'BAGIAN'"),
    (["restore", "--from", "x", "bagian-1"], "bukan bilangan bulat yang sah"),
])
def test_usage_errors_are_indonesian(config_path, args, expected):
    code, out = _run("--config", str(config_path), *args)
    assert code == 2 and expected in out and "Kesalahan:" in out
    assert not [w for w in ENGLISH if w in out], out


@pytest.mark.parametrize("command", ["confirm", "reopen", "restore", "watch", "approve"])
def test_help_shows_no_english_type_names(config_path, command):
    code, out = _run("--config", str(config_path), command, "--help")
    assert code == 0 and not [w for w in ENGLISH if w in out], out


@pytest.mark.parametrize(("today", "period"), [("2027-02-10T10:30", "2026-TW4"),
                                               ("2026-12-06T20:52", "2026-TW3"),
                                               ("2028-07-03T08:15", "2028-TW2")])
def test_init_opens_the_example_today_so_nobody_is_late_at_once(tmp_path, today, period):
    env = {"SHEETS_SYNC_NOW": today, "COLUMNS": "200"}
    result = CliRunner().invoke(main, ["init", str(tmp_path)], env=env)
    assert result.exit_code == 0, result.output
    config = tmp_path / "config" / "sync.yaml"
    text = config.read_text(encoding="utf-8")
    assert f"period: {period}" in text
    assert f"letter_date: {today[:10]}" in text and f"disposition_at: {today[:16]}" in text
    out = CliRunner().invoke(main, ["--config", str(config), "distribute"], env=env)
    assert out.exit_code == 0, out.output
    import json

    status = CliRunner().invoke(main, ["--config", str(config), "status", "--format", "json"],
                                env=env)
    sections = json.loads(status.stdout)["sections"]
    assert len(sections) == 8 and not any(s["late"] for s in sections)
