"""Reports for one organisation unit and across periods (issue 22 points 2 and 3):
`sync export REPORT --unit ID` shows only the unit's subtree and is signed by its head, in
PDF, xlsx and CSV; `sync export tren` puts the window's periods side by side with a missing
one as "—"; the rekap's xlsx chart carries the 100 % target line as the recap's does."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pypdf
import pytest
from openpyxl import load_workbook

from sheets_sync.domain.trends import MISSING
from tests.backends import LocalEnv
from tests.conftest import small_config_data

# bagian-1, bagian-2 in "umum"; bagian-4 in "arsip", a unit under "umum"; bagian-3 in
# "sidang"; "umum" and "sidang" under the office "setwan".
UNITS = [
    {"id": "setwan", "name": "Sekretariat DPRD", "head": "Sekretaris DPRD"},
    {"id": "umum", "name": "Bagian Umum dan Keuangan", "head": "Kepala Bagian Umum dan Keuangan",
     "parent": "setwan"},
    {"id": "arsip", "name": "Subbagian Arsip", "head": "Kepala Subbagian Arsip",
     "parent": "umum", "head_name": "Rina Marlina, S.E.", "head_nip": "19800202 200501 2 002"},
    {"id": "sidang", "name": "Bagian Persidangan", "head": "Kepala Bagian Persidangan",
     "parent": "setwan"},
]
UNIT_OF = {"bagian-1": "umum", "bagian-2": "umum", "bagian-3": "sidang", "bagian-4": "arsip"}
SIGNATORY = {"place": "Jambi", "position": "Sekretaris DPRD Provinsi Jambi",
             "name": "Drs. Ahmad Fauzi, M.Si", "nip": "19700101 199503 1 001"}


def tree_data(**extra: Any) -> dict[str, Any]:
    data = small_config_data(sections=4, reports={"signatory": SIGNATORY}, **extra)
    data["units"] = [dict(u) for u in UNITS]
    for s in data["sections"]:
        s["unit"] = UNIT_OF[s["id"]]
    return data


@pytest.fixture
def office(tmp_path: Path) -> LocalEnv:
    env = LocalEnv(tmp_path, tree_data())
    env.run("distribute")
    for n, s in enumerate(env.config.sections, start=1):
        typed = {i.code: {"realisasi": round((i.target or 10) * (0.6 + 0.1 * n), 2)}
                 for i in env.config.indicators_of(s.id)}
        env.type_into(s.id, typed, status="Selesai")
    return env


def export(env: LocalEnv, report: str, fmt: str, *extra: str, code: int = 0) -> tuple[Path, Any]:
    out = env.tmp_path / f"{report}-{'-'.join(extra) or 'kantor'}.{fmt}"
    result = env.run("export", report, "--format", fmt, "--output", str(out), *extra, code=code)
    return out, result


def csv_lines(path: Path) -> list[list[str]]:
    return list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def xlsx_text(path: Path) -> str:
    ws = load_workbook(path).active
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def section_ids_in_csv(path: Path) -> set[str]:
    return {r[2] for r in csv_lines(path) if len(r) > 2 and r[2].startswith("B")} | {
        r[1] for r in csv_lines(path) if len(r) > 1 and r[1].startswith("bagian-")}


# --------------------------------------------------------------------------- --unit


@pytest.mark.parametrize(("unit", "inside", "outside"), [
    ("umum", {"bagian-1", "bagian-2", "bagian-4"}, {"bagian-3"}),  # a deeper unit included
    ("arsip", {"bagian-4"}, {"bagian-1", "bagian-2", "bagian-3"}),  # a unit two levels down
])
def test_unit_limits_every_report_to_its_subtree(office, unit, inside, outside) -> None:
    pengukuran, _ = export(office, "pengukuran", "csv", "--unit", unit)
    codes = {r[2].split("-")[0] for r in csv_lines(pengukuran) if len(r) > 2
             and r[2][:1] == "B" and "-" in r[2]}
    assert codes == {f"B{s.split('-')[1]}" for s in inside}

    renja, _ = export(office, "renja", "csv", "--unit", unit)
    codes = {r[2].split("-")[0] for r in csv_lines(renja) if len(r) > 2
             and r[2][:1] == "B" and "-" in r[2]}
    assert codes == {f"B{s.split('-')[1]}" for s in inside}

    rekap, _ = export(office, "rekap", "csv", "--unit", unit)
    rows = csv_lines(rekap)
    sections = {r[1] for r in rows if len(r) > 1 and r[0].isdigit()}
    assert sections == inside and not sections & outside


def test_the_unit_head_signs_and_the_title_names_the_unit_in_every_format(office) -> None:
    for fmt, read in (("pdf", pdf_text), ("xlsx", xlsx_text),
                      ("csv", lambda p: p.read_text(encoding="utf-8-sig"))):
        path, _ = export(office, "pengukuran", fmt, "--unit", "umum")
        text = read(path)
        assert "BAGIAN UMUM DAN KEUANGAN" in text, fmt
        assert "Kepala Bagian Umum dan Keuangan" in text, fmt
        # the office's own signatory does not sign a unit's report
        assert "Sekretaris DPRD Provinsi Jambi" not in text, fmt
        assert "Ahmad Fauzi" not in text, fmt
    # name and NIP from the config when the unit gives them
    path, _ = export(office, "rekap", "pdf", "--unit", "arsip")
    text = pdf_text(path)
    assert "Kepala Subbagian Arsip" in text and "Rina Marlina, S.E." in text
    assert "19800202 200501 2 002" in text


def test_without_unit_the_office_signs_as_before(office) -> None:
    path, _ = export(office, "pengukuran", "csv")
    text = path.read_text(encoding="utf-8-sig")
    assert "Sekretaris DPRD Provinsi Jambi" in text and "Ahmad Fauzi" in text
    assert {"B1", "B2", "B3", "B4"} <= {r[2].split("-")[0] for r in csv_lines(path)
                                         if len(r) > 2 and "-" in r[2]}


def test_an_unknown_unit_is_a_usage_error_naming_the_known_ones(office) -> None:
    _, result = export(office, "rekap", "pdf", "--unit", "keuangan", code=2)
    assert "keuangan" in result.output
    for known in ("setwan", "umum", "arsip", "sidang"):
        assert known in result.output
    assert "Traceback" not in result.output


def test_unit_without_units_in_the_config_says_so(tmp_path) -> None:
    env = LocalEnv(tmp_path, small_config_data(sections=2))
    env.run("distribute")
    result = env.run("export", "rekap", "--unit", "umum", code=2)
    assert "units:" in result.output


def test_the_rekap_lists_the_units_figures(office) -> None:
    path, _ = export(office, "rekap", "csv")
    rows = csv_lines(path)
    by_id = {r[1]: r for r in rows if len(r) > 3 and r[1] in {u["id"] for u in UNITS}}
    assert set(by_id) == {"setwan", "umum", "arsip", "sidang"}
    assert by_id["umum"][3] == "3/3 diserahkan"  # bagian-1, -2 and, below arsip, -4
    assert by_id["setwan"][3] == "4/4 diserahkan"
    # with --unit only the unit and what lies below it
    path, _ = export(office, "rekap", "csv", "--unit", "umum")
    ids = {r[1] for r in csv_lines(path) if len(r) > 3}
    assert {"umum", "arsip"} <= ids and not ids & {"setwan", "sidang"}


# --------------------------------------------------------------------------- rekap chart


def test_the_rekap_xlsx_chart_has_bars_and_the_target_line(office) -> None:
    path, _ = export(office, "rekap", "xlsx")
    ws = load_workbook(path).active
    charts = ws._charts
    assert len(charts) == 1
    chart = charts[0]
    kinds = [type(chart).__name__, *(type(c).__name__ for c in chart._charts[1:])]
    assert kinds == ["BarChart", "LineChart"]
    series = [s for c in chart._charts for s in c.series]
    assert len(series) == 2
    target_ref = series[1].val.numRef.f  # e.g. 'Rekap Bagian'!$L$9:$L$12
    col = target_ref.split("!")[1].split(":")[0].replace("$", "").rstrip("0123456789")
    bars_ref = series[0].val.numRef.f
    first, last = (int("".join(ch for ch in part if ch.isdigit()))
                   for part in bars_ref.split("!")[1].split(":"))
    assert [ws[f"{col}{r}"].value for r in range(first, last + 1)] == [100] * 4
    assert last - first + 1 == 4  # one bar per section, the unit rows not among them


# --------------------------------------------------------------------------- tren


@pytest.fixture
def with_history(tmp_path: Path) -> LocalEnv:
    history = tmp_path / "riwayat.csv"
    # 2026-TW1 recorded for bagian-1 only; 2026-TW2 for all but bagian-3; nothing earlier
    history.write_text("periode,kode,realisasi\n2026-TW1,B1-01,50\n"
                       "2026-TW2,B1-01,70\n2026-TW2,B2-01,80\n2026-TW2,B4-01,90\n",
                       encoding="utf-8")
    env = LocalEnv(tmp_path, tree_data(history_file=str(history)))
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 90}}, status="Selesai")
    env.type_into("bagian-4", {"B4-01": {"realisasi": 60}}, status="Selesai")
    return env


WINDOW = ["Triwulan IV 2024", "Triwulan I 2025", "Triwulan II 2025", "Triwulan III 2025",
          "Triwulan IV 2025", "Triwulan I 2026", "Triwulan II 2026", "Triwulan III 2026"]


def tren_table(path: Path) -> tuple[list[str], dict[str, list[str]]]:
    rows = csv_lines(path)
    start = next(n for n, r in enumerate(rows) if r and r[0] == "No")
    body = {}
    for r in rows[start + 1:]:
        if not r:
            break
        body[r[1] or r[2]] = r
    return rows[start], body


def test_tren_csv_has_the_window_as_columns_and_a_dash_for_a_missing_period(
        with_history) -> None:
    path, _ = export(with_history, "tren", "csv")
    header, body = tren_table(path)
    assert header[3:11] == WINDOW
    assert header[11:13] == ["Perubahan thd Periode Lalu (poin)",
                             "Perubahan thd Tahun Lalu (poin)"]
    b1 = body["bagian-1"][3:13]
    # only B1-01 has a value in the history file, so the section's mean is that capaian
    assert b1[:5] == [MISSING] * 5
    assert [float(v) for v in b1[5:8]] == [50.0, 70.0, float(body["bagian-1"][10])]
    assert float(b1[8]) == pytest.approx(float(b1[7]) - 70.0)  # against TW II
    assert b1[9] == MISSING  # no TW III 2025
    assert body["bagian-3"][3:11] == [MISSING] * 8
    assert "Rata-rata kantor" in body


def test_tren_with_a_unit_keeps_its_sections_and_names_its_mean(with_history) -> None:
    path, _ = export(with_history, "tren", "csv", "--unit", "arsip")
    header, body = tren_table(path)
    assert header[3:11] == WINDOW
    assert set(body) == {"bagian-4", "Rata-rata Subbagian Arsip"}
    assert float(body["Rata-rata Subbagian Arsip"][9]) == pytest.approx(90.0)  # TW II


def test_tren_renders_as_pdf_with_its_chart_and_as_xlsx(with_history) -> None:
    pdf, _ = export(with_history, "tren", "pdf", "--unit", "umum")
    text = pdf_text(pdf)
    assert "TREN CAPAIAN KINERJA" in text and "BAGIAN UMUM DAN KEUANGAN" in text
    assert "Rata-rata capaian Bagian Umum dan Keuangan per periode (%)" in text
    assert "Kepala Bagian Umum dan Keuangan" in text
    xlsx, _ = export(with_history, "tren", "xlsx")
    ws = load_workbook(xlsx).active
    header = next(r for r in ws.iter_rows(values_only=True) if r[0] == "No")
    assert list(header[3:11]) == WINDOW
    assert len(ws._charts) == 1
    line = ws._charts[0]
    assert type(line).__name__ == "LineChart"
    # a missing period is an empty cell in the chart's data: a gap, never a 0
    ref = line.series[0].val.numRef.f.split("!")[1].replace("$", "")
    row = int("".join(ch for ch in ref.split(":")[0] if ch.isdigit()))
    values = [c.value for c in ws[row]][3:11]
    assert values[:5] == [None] * 5 and all(isinstance(v, (int, float)) for v in values[5:])


def test_tren_of_a_month_compares_with_the_same_month_a_year_earlier(tmp_path) -> None:
    history = tmp_path / "riwayat.csv"
    history.write_text("periode,kode,realisasi\n2025-09,B1-01,70\n2026-08,B1-01,50\n",
                       encoding="utf-8")
    data = tree_data(history_file=str(history))
    data["period"] = "2026-09"
    env = LocalEnv(tmp_path, data)
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 90}}, status="Selesai")
    path, _ = export(env, "tren", "csv")
    header, body = tren_table(path)
    assert header[3] == "September 2025" and header[-3] == "September 2026"
    row = body["bagian-1"]
    assert [float(row[-2]), float(row[-1])] == [40.0, 20.0]  # against August; September 2025
