"""The figures leadership sees are true (issue 7): percentages typed natively, which values
count, plausibility, targets changed after distribution. On both backends, through the CLI.

Layout of the small config's sheets: the table header is row 9; bagian-1's indicators are
B1-01 (%, row 10), B1-02 (dokumen, row 11), B1-03 (kegiatan, row 12), B1-04 (hari, negatif,
row 13); Target is column F, Realisasi G, Keterangan I, Bukti Dukung J.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from sheets_sync.domain.meta import SNAPSHOT_ROW
from sheets_sync.domain.numbers import PercentValue
from tests.backends import Env, GoogleEnv, LocalEnv
from tests.conftest import small_config_data

LINK = "https://drive.example/bukti.pdf"


@pytest.fixture(params=["local", "google"])
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Env:
    kind = LocalEnv if request.param == "local" else GoogleEnv
    data = small_config_data()
    for ind in data["indicators"]:
        if ind["code"] == "B1-01":
            ind["target"] = 80  # a percentage indicator with target 80 %
    return kind(tmp_path, data)


def recap_json(env: Env) -> dict[str, Any]:
    return json.loads(env.run("recap", "--format", "json", code=None).stdout)


def rows_of(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["indicator"]: r for r in data["rows"]}


def section_of(data: dict[str, Any], section: str) -> dict[str, Any]:
    return next(s for s in data["sections"] if s["section"] == section)


def issues_of(env: Env) -> list[dict[str, Any]]:
    return json.loads(env.run("validate", "--format", "json", code=None).stdout)["issues"]


def indonesian(env: Env, section: str) -> None:
    """The section's spreadsheet in the Indonesian locale, as an office's own sheets are (so
    `87,5%` typed in Sheets is a number). Excel's locale is the computer's: the local harness
    types as an Indonesian Excel does."""
    if isinstance(env, GoogleEnv):
        import gspread

        client = gspread.Client(None, session=env.fake.session("pep@setwan.example"))  # type: ignore[arg-type]
        client.open_by_key(env.section_ref(section).id).batch_update({"requests": [
            {"updateSpreadsheetProperties": {"properties": {"locale": "id_ID"},
                                             "fields": "locale"}}]})


def stored_cell(env: Env, section: str, a1: str) -> tuple[Any, str]:
    """What the section's cell holds, and how it is shown: read past the service's adapter."""
    ref = env.section_ref(section)
    if isinstance(env, LocalEnv):
        cell = load_workbook(ref.id)["Kertas Kerja"][a1]
        return cell.value, cell.number_format
    import gspread

    book = gspread.Client(None, session=env.fake.session("pep@setwan.example")).open_by_key(ref.id)  # type: ignore[arg-type]
    ws = book.worksheet("Kertas Kerja")
    raw = ws.get(a1, value_render_option=gspread.utils.ValueRenderOption.unformatted)
    shown = ws.get(a1, value_render_option=gspread.utils.ValueRenderOption.formatted)
    return raw[0][0], shown[0][0]


# --------------------------------------------------------------------------- 1 percentages


def test_a_percentage_typed_natively_is_read_as_the_percentage(env):
    env.run("distribute")
    indonesian(env, "bagian-1")
    env.type_into("bagian-1", {"B1-01": {"realisasi": "87,5%", "bukti": LINK}}, status="Selesai")
    # the cell really holds the fraction with a percent format, as Excel and Sheets store it
    raw, shown = stored_cell(env, "bagian-1", "G10")
    assert raw == 0.875 and "%" in shown
    assert env.cell("bagian-1", "Kertas Kerja", "G10") == 87.5  # the service reads 87,5

    row = rows_of(recap_json(env))["B1-01"]
    assert (row["realisasi"], row["capaian"], row["rating"]) == (87.5, 109.38, "Sangat Tinggi")
    assert not [i for i in issues_of(env) if i["indicator"] == "B1-01"
                and i["severity"] != "info"]  # 87,5 % is a fine percentage: nothing to say
    # nothing the section typed was changed by validate or recap
    assert stored_cell(env, "bagian-1", "G10") == (raw, shown)


def test_both_google_read_paths_see_the_percent_format(tmp_path):
    env = GoogleEnv(tmp_path, small_config_data())
    env.run("distribute")
    indonesian(env, "bagian-1")
    env.type_into("bagian-1", {"B1-01": {"realisasi": "87,5%"}, "B1-02": {"realisasi": "12,5"}})
    store, ref = env.store(), env.section_ref("bagian-1")
    env.fake.reset_counts()
    first = store.read(ref, ["Kertas Kerja"])  # not known yet: spreadsheets.get with metadata
    again = store.read(ref, ["Kertas Kerja"])  # known: spreadsheets.get of the sheet only
    assert env.fake.count() == 2  # one call per read, whatever the path
    assert first == again
    assert isinstance(again["Kertas Kerja"][9][6], PercentValue)
    assert again["Kertas Kerja"][9][6] == 87.5 and again["Kertas Kerja"][10][6] == 12.5


def test_a_percent_format_in_the_local_store_is_read_whatever_the_pattern(tmp_path):
    from openpyxl import Workbook

    from sheets_sync.adapters.local import LocalStore
    from sheets_sync.ports import FileRef, Role, Tags

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "A"
    formats = ["0%", "0.0%", "#,##0.00%;[Red]-#,##0.00%", '0"%"', "0\\%", "General", "0.00"]
    for col, fmt in enumerate(formats, start=1):
        ws.cell(1, col, 0.1).number_format = fmt
    path = tmp_path / "a.xlsx"
    wb.save(path)
    got = LocalStore(tmp_path).read(FileRef(str(path), "a", Tags(Role.recap, "x")), ["A"])
    # a % inside quotes or escaped is a literal sign: the number is shown as it is
    assert got["A"][0] == [10.0, 10.0, 10.0, 0.1, 0.1, 0.1, 0.1]
    assert [type(v) is PercentValue for v in got["A"][0]] == [True] * 3 + [False] * 4


# --------------------------------------------------------------------------- 3 what counts


def test_a_value_with_an_open_error_is_shown_but_not_counted(env):
    env.run("distribute")
    env.type_into("bagian-1", {
        "B1-01": {"realisasi": 80, "bukti": LINK},  # capaian 100
        "B1-02": {"realisasi": 8, "keterangan": "dua dokumen menyusul", "bukti": LINK},  # 80
        "B1-03": {"realisasi": 10, "bukti": LINK},  # 100
        "B1-04": {"realisasi": -3, "keterangan": "cepat", "bukti": LINK},  # negative: an error
    }, status="Selesai")
    data = recap_json(env)
    b4 = rows_of(data)["B1-04"]
    assert b4["realisasi"] == -3 and b4["capaian"] == 230.0  # shown as typed and computed
    assert b4["counts"] is False and b4["rating"] == ""
    assert "kesalahan" in b4["not_counted_reason"] and "di luar batas" in b4["not_counted_reason"]
    assert rows_of(data)["B1-01"]["counts"] is True
    assert rows_of(data)["B1-01"]["not_counted_reason"] is None
    summary = section_of(data, "bagian-1")
    # the average is over 100, 80 and 100 only: not lifted by the invalid 230
    assert (summary["mean_capaian"], summary["rating"], summary["counted"]) == (93.33,
                                                                                 "Sangat Tinggi", 3)
    assert summary["errors"] == 1 and summary["filled"] == 4 and summary["total"] == 4

    # the recap workbook says it too
    grid = env.recap_grid("Rekap Indikator")
    head = grid[0]
    row = next(r for r in grid if r[head.index("Kode")] == "B1-04")
    assert row[head.index("Dihitung")] == "Tidak"
    assert "kesalahan terbuka" in row[head.index("Alasan Tidak Dihitung")]


def test_an_implausible_value_warns_at_its_cell_and_does_not_count_until_confirmed(env):
    data = env.data
    for ind in data["indicators"]:
        if ind["code"] == "B1-02":
            ind["target"] = 120  # 120 dokumen
    env.rewrite(data)
    env.run("distribute")
    indonesian(env, "bagian-1")
    env.type_into("bagian-1", {
        "B1-01": {"realisasi": 80, "bukti": LINK},
        "B1-02": {"realisasi": "Rp 1.500.000,-", "keterangan": "sesuai SP2D", "bukti": LINK},
        "B1-03": {"realisasi": "50%", "keterangan": "setengah", "bukti": LINK},
    }, status="Selesai")
    found = issues_of(env)
    unit = {i["indicator"]: i for i in found if i["rule"] == "kewajaran-satuan"}
    high = {i["indicator"]: i for i in found if i["rule"] == "kewajaran"}
    rp, pct = unit["B1-02"], unit["B1-03"]
    # another unit than the indicator's: an error, and nothing else about its capaian (a
    # capaian of 1.250.000 % means nothing: no confirmable warning, no Keterangan request)
    assert rp["severity"] == "error" and rp["cell"] == "G11" and "rupiah" in rp["message"]
    assert "dikonfirmasi" not in rp["message"] and "sync confirm" not in rp["suggestion"]
    assert "B1-02" not in high
    assert not [i for i in found if i["indicator"] == "B1-02" and i["rule"] != "kewajaran-satuan"
                and i["severity"] != "info"]
    assert pct["cell"] == "G12" and "persen" in pct["message"]  # a % in a count of activities
    assert pct["severity"] == "error"

    data = recap_json(env)
    rows = rows_of(data)
    assert rows["B1-02"]["counts"] is False and "tidak wajar" in rows["B1-02"]["not_counted_reason"]
    assert rows["B1-03"]["counts"] is False
    assert section_of(data, "bagian-1")["mean_capaian"] == 100.0  # B1-01 only

    # a unit mismatch cannot be confirmed away; a capaian above the maximum can
    out = env.run("confirm", "bagian-1", "kewajaran-satuan:B1-03", "--note", "ok", code=2)
    assert "tidak dapat dikonfirmasi" in out.output
    data = recap_json(env)
    rows = rows_of(data)
    assert rows["B1-03"]["counts"] is False and rows["B1-02"]["counts"] is False
    assert "rupiah" in rows["B1-02"]["not_counted_reason"]
    assert section_of(data, "bagian-1")["mean_capaian"] == 100.0


def test_a_confirmed_high_capaian_counts_and_a_plain_count_needs_no_unit_check(env):
    env.run("distribute")
    env.type_into("bagian-1", {"B1-02": {"realisasi": 40, "keterangan": "banyak permintaan",
                                         "bukti": LINK}}, status="Selesai")  # capaian 400 %
    found = [i for i in issues_of(env) if i["indicator"] == "B1-02"]
    assert {i["rule"] for i in found if i["rule"].startswith("kewajaran")} == {"kewajaran"}
    env.run("confirm", "bagian-1", "kewajaran:B1-02", "--note", "dikonfirmasi by telepon")
    assert rows_of(recap_json(env))["B1-02"]["counts"] is True


def test_an_amount_of_money_typed_natively_for_a_count_is_implausible(env):
    env.run("distribute")
    indonesian(env, "bagian-1")
    # Excel and Sheets turn a typed "Rp 12" into the number 12 with a rupiah format
    env.type_into("bagian-1", {"B1-02": {"realisasi": "Rp 12", "keterangan": "ok"}})
    raw, shown = stored_cell(env, "bagian-1", "G11")
    assert raw == 12 and "Rp" in shown
    found = [i for i in issues_of(env) if i["indicator"] == "B1-02"
             and i["rule"].startswith("kewajaran")]
    # capaian 120 % is plausible in itself: the unit is what is wrong
    assert len(found) == 1 and "rupiah" in found[0]["message"]
    assert found[0]["rule"] == "kewajaran-satuan" and found[0]["severity"] == "error"
    assert rows_of(recap_json(env))["B1-02"]["counts"] is False


def test_the_plausibility_rule_is_configurable_and_at_least_a_warning(tmp_path):
    from sheets_sync.domain.errors import ConfigError

    base = small_config_data()
    rules = [{"id": "kewajaran", "kind": "plausibility", "max_capaian": 150, "units": False}]
    env = LocalEnv(tmp_path, {**base, "rules": rules})
    env.run("distribute")
    env.type_into("bagian-1", {"B1-02": {"realisasi": 16}, "B1-03": {"realisasi": "5%"}})
    found = {i["indicator"]: i for i in issues_of(env)}
    assert "160" in found["B1-02"]["message"] and "B1-03" not in found  # units not checked
    env.rewrite({**base, "rules": [{**rules[0], "severity": "info"}]})
    with pytest.raises(ConfigError, match="info"):
        env.config  # noqa: B018


# --------------------------------------------------------------------------- 8 targets changed


def test_a_target_changed_after_distribution_is_reported_and_updated_on_request(env):
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 72, "keterangan": "lihat lampiran",
                                         "bukti": LINK}}, status="Selesai")
    data = env.data
    for ind in data["indicators"]:
        if ind["code"] == "B1-01":
            ind["target"] = 90
    env.rewrite(data)

    out = env.run("distribute").output
    assert "Target berubah" in out and "B1-01" in out and "80" in out and "90" in out
    assert env.cell("bagian-1", "Kertas Kerja", "F10") == 80  # not written without the option
    used = [i for i in issues_of(env) if i["rule"] == "target-dipakai"]
    assert len(used) == 1 and used[0]["cell"] == "F10" and used[0]["severity"] == "info"
    assert "(90)" in used[0]["message"] and "(80)" in used[0]["message"]
    assert rows_of(recap_json(env))["B1-01"]["capaian"] == 80.0  # 72 / 90

    out = env.run("distribute", "--update-targets").output
    assert "diperbarui" in out
    assert env.cell("bagian-1", "Kertas Kerja", "F10") == 90
    meta = env.grid(env.section_ref("bagian-1"), "_meta")
    snap = next(r for r in meta[SNAPSHOT_ROW - 1:] if r and r[0] == "B1-01")
    assert snap[2] == 90
    # what the section typed is untouched, and nothing is reported any more
    assert env.cell("bagian-1", "Kertas Kerja", "G10") == 72
    assert env.cell("bagian-1", "Kertas Kerja", "I10") == "lihat lampiran"
    assert env.cell("bagian-1", "Kertas Kerja", "B7") in ("Selesai", "Perlu Konfirmasi")
    assert not [i for i in issues_of(env) if i["rule"] in ("target-dipakai", "struktur")]
    assert "Target berubah" not in env.run("distribute").output


@pytest.mark.parametrize(("severity", "counts"), [("info", True), ("warning", False)])
def test_with_history_an_outlier_warning_also_keeps_a_value_from_counting(tmp_path, severity,
                                                                           counts):
    history = tmp_path / "riwayat.csv"
    history.write_text("periode,kode,realisasi\n2025-TW3,B1-02,10\n2025-TW4,B1-02,9\n"
                       "2026-TW1,B1-02,10\n2026-TW2,B1-02,11\n", encoding="utf-8")
    rules = [{"id": "pencilan", "kind": "outlier", "severity": severity},
             {"id": "kewajaran", "kind": "plausibility"}]
    env = LocalEnv(tmp_path, {**small_config_data(), "rules": rules,
                              "history_file": str(history)})
    env.run("distribute")
    env.type_into("bagian-1", {"B1-02": {"realisasi": 25}},  # capaian 250 %: plausible
                  status="Selesai")
    found = [i for i in issues_of(env) if i["indicator"] == "B1-02"]
    assert [i["rule"] for i in found] == ["pencilan"]
    row = rows_of(recap_json(env))["B1-02"]
    assert row["counts"] is counts and row["capaian"] == 250.0
