"""Exports people can use (issue 19 points 4 and 5): CSV that other tools read with the same
numbers, xlsx with the recap's formats and a print setup, PDF charts whose axis fits the data,
a signature block that never stands alone, and the Renja evaluation in form E.81's layout."""

from __future__ import annotations

import csv
import json
import math
import re
from datetime import date
from pathlib import Path

import pypdf
import pytest
from openpyxl import load_workbook

from sheets_sync.domain.models import Aggregation
from sheets_sync.domain.presentation import PERCENT, RUPIAH, band_style
from sheets_sync.domain.quarters import attach, ytd_rating
from sheets_sync.domain.recap import Recap, RecapRow
from sheets_sync.domain.rules.history import History
from sheets_sync.reports.axis import STEPS, max_ticks, value_axis
from sheets_sync.reports.build import renja
from sheets_sync.reports.model import BarChart, Column, Report, Row
from sheets_sync.reports.text import display
from tests.backends import LocalEnv
from tests.conftest import small_config_data

SIGNATORY = {"place": "Jambi", "position": "Sekretaris DPRD Provinsi Jambi",
             "name": "Drs. Ahmad Fauzi, M.Si", "nip": "19700101 199503 1 001"}
MM = 72 / 25.4


def table(path: Path, delimiter: str = ",") -> tuple[list[list[str]], list[str], list[list[str]]]:
    """All lines, the table's header and its body, read with the csv module."""
    lines = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines(),
                            delimiter=delimiter))
    start = next(n for n, r in enumerate(lines) if r and r[0] == "No")
    body = []
    for r in lines[start + 1:]:
        if not r:
            break
        body.append(r)
    return lines, lines[start], body


def as_float(text: str, decimal: str = ".") -> float | None:
    try:
        return float(text.replace(decimal, ".")) if decimal != "." else float(text)
    except ValueError:
        return None


@pytest.fixture
def office(tmp_path: Path) -> LocalEnv:
    data = small_config_data(sections=3, indicators=4, reports={"signatory": SIGNATORY})
    data["indicators"][0]["target"] = 12000  # a number Indonesians write 12.000
    env = LocalEnv(tmp_path, data)
    env.run("distribute")
    for s in env.config.sections:
        typed = {i.code: {"realisasi": round((i.target or 10) * 0.87, 2)}
                 for i in env.config.indicators_of(s.id)}
        env.type_into(s.id, typed, status="Selesai")
    return env


# --------------------------------------------------------------------------- CSV


@pytest.mark.parametrize(("locale", "delimiter", "decimal"), [("intl", ",", "."),
                                                              ("id", ";", ",")])
def test_csv_numbers_read_back_as_the_recap_json_says(office, tmp_path, locale, delimiter,
                                                      decimal):
    data = json.loads(office.run("recap", "--format", "json").stdout)
    by_code = {r["indicator"]: r for r in data["rows"]}
    out = tmp_path / f"p-{locale}.csv"
    office.run("export", "pengukuran", "--format", "csv", "--csv-locale", locale,
               "--output", str(out))
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    lines, header, body = table(out, delimiter)
    assert ["Tanggal", "2026-10-07"] in lines  # ISO date
    k, t = header.index("Kode"), header.index("Target")
    r, c = header.index("Realisasi"), header.index("Capaian (%)")
    rows = {row[k]: row for row in body if row[k]}
    assert set(rows) == set(by_code)
    for code, row in rows.items():
        want = by_code[code]
        assert as_float(row[t], decimal) == want["target"]
        assert as_float(row[r], decimal) == want["realisasi"]
        assert as_float(row[c], decimal) == want["capaian"]
    assert rows["B1-01"][t] == "12000"  # never 12.000 (12 in any other tool)
    fractional = [row[r] for row in rows.values() if (as_float(row[r], decimal) or 0) % 1]
    other = "." if decimal == "," else ","
    assert fractional and all(decimal in v and other not in v for v in fractional)


def test_csv_id_locale_keeps_typed_text_neutralised(tmp_path):
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 5, "keterangan": "@SUM(1;2)"}},
                  status="Selesai")
    out = tmp_path / "p.csv"
    env.run("export", "pengukuran", "--format", "csv", "--csv-locale", "id", "--output", str(out))
    cells = [c for row in csv.reader(out.read_text(encoding="utf-8-sig").splitlines(),
                                     delimiter=";") for c in row]
    assert "'@SUM(1;2)" in cells  # quoted whole, never split at its semicolon or run


# --------------------------------------------------------------------------- xlsx


def test_xlsx_export_has_formats_band_colours_and_a_print_setup(office, tmp_path):
    out = tmp_path / "p.xlsx"
    office.run("export", "pengukuran", "--output", str(out))
    ws = load_workbook(out).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    head = next(n for n, r in enumerate(rows, start=1) if r[0] == "No")
    titles = rows[head - 1]
    cap, pred = titles.index("Capaian (%)") + 1, titles.index("Predikat") + 1
    pagu = titles.index("Pagu (Rp)") + 1
    scheme = office.config.rating
    seen = 0
    for r in range(head + 1, ws.max_row + 1):
        value = ws.cell(r, cap).value
        if isinstance(value, (int, float)) and ws.cell(r, 1).value is not None:
            assert ws.cell(r, cap).number_format == PERCENT
            label = ws.cell(r, pred).value
            style = band_style(scheme, label)
            assert style is not None
            assert ws.cell(r, pred).fill.fgColor.rgb == "FF" + style.fill.lstrip("#")
            seen += 1
        if isinstance(ws.cell(r, pagu).value, (int, float)):
            assert ws.cell(r, pagu).number_format == RUPIAH
    assert seen >= 3
    setup = ws.page_setup
    assert setup.orientation == "landscape" and setup.paperSize == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)  # one page wide
    assert ws.print_title_rows == f"${head}:${head}"
    assert ws.page_margins.left >= 0.5
    footer = ws.oddFooter
    assert "&P" in footer.center.text and "&D" in footer.right.text
    assert "Triwulan III 2026" in footer.left.text


def test_f4_paper_from_the_config_reaches_xlsx_and_pdf(tmp_path):
    env = LocalEnv(tmp_path, small_config_data(reports={"paper": "F4"}))
    env.run("distribute")
    env.run("export", "rekap", "--output", str(tmp_path / "r.xlsx"))
    assert load_workbook(tmp_path / "r.xlsx").active.page_setup.paperSize == 14  # Folio
    env.run("export", "rekap", "--output", str(tmp_path / "r.pdf"))
    box = pypdf.PdfReader(tmp_path / "r.pdf").pages[0].mediabox
    assert float(box.width) == pytest.approx(330 * MM, abs=1)  # landscape F4
    assert float(box.height) == pytest.approx(215 * MM, abs=1)


def test_long_text_wraps_in_a_column_sized_for_it(tmp_path):
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    long = ("Kegiatan sosialisasi dijadwalkan ulang karena agenda pimpinan berubah; " * 30)[:2000]
    env.type_into("bagian-1", {"B1-01": {"realisasi": 50, "keterangan": long}}, status="Selesai")
    out = tmp_path / "renja.xlsx"
    env.run("export", "renja", "--output", str(out))
    ws = load_workbook(out).active
    # in the table's Keterangan (and again, whole, in the faktor block under the table)
    cell = next(c for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and long[:60] in c.value)
    assert cell.alignment.wrap_text
    width = ws.column_dimensions[cell.column_letter].width
    height = ws.row_dimensions[cell.row].height
    assert 30 <= width <= 80  # sized for it, not a page-wide strip
    lines = height / 13  # 10 pt text
    assert lines * width * 1.1 >= len(cell.value) * 0.95  # every line has room in the row
    assert height <= 409


def test_rekap_chart_comes_before_the_signature_on_a_page_of_its_own(tmp_path):
    env = LocalEnv(tmp_path, small_config_data(sections=6, reports={"signatory": SIGNATORY}))
    env.run("distribute")
    out = tmp_path / "rekap.xlsx"
    env.run("export", "rekap", "--output", str(out))
    ws = load_workbook(out).active
    (chart,) = ws._charts
    anchor = chart.anchor._from.row + 1  # 1-based
    name_row = next(c.row for row in ws.iter_rows() for c in row if c.value == SIGNATORY["name"])
    table_end = max(c.row for row in ws.iter_rows() for c in row
                    if isinstance(c.value, str) and c.value.startswith("bagian-"))
    assert table_end < anchor < name_row
    assert anchor + 20 <= name_row  # the chart's rows end before the signature
    breaks = [b.id for b in ws.row_breaks.brk]
    assert any(table_end <= b < anchor for b in breaks)  # it starts a page: never split


# --------------------------------------------------------------------------- PDF


def report_of(n: int, *, notes: int = 2, chart: bool = False) -> Report:
    report = Report("pengukuran", "LAPORAN UJI", "Kantor Uji", "Triwulan III 2026", "",
                    date(2026, 10, 7),
                    [Column("No", 3, key="no"), Column("Kode", 8, key="kode"),
                     Column("Indikator", 30), Column("Capaian (%)", 8, "percent", "capaian"),
                     Column("Keterangan", 20)])
    report.signatory.name, report.signatory.position = "Nama Penanda Tangan", "Sekretaris"
    report.rows = [Row([k, f"KODE-{k:03d}", f"Indikator nomor {k}", 80.0 + k % 30,
                        "sesuai rencana"]) for k in range(1, n + 1)]
    report.notes = [f"Catatan {k}: " + "penjelasan yang panjang " * 20 for k in range(notes)]
    if chart:
        report.chart = BarChart("Capaian", [f"b{k}" for k in range(8)], [90.0] * 8)
    return report


@pytest.mark.parametrize("n", [1, 30, 200])
@pytest.mark.parametrize("notes", [0, 3, 40])
def test_pdf_signature_shares_its_page_with_table_rows(tmp_path, n, notes):
    from sheets_sync.reports.pdf import write_pdf

    out = tmp_path / f"r{n}-{notes}.pdf"
    write_pdf(report_of(n, notes=notes, chart=n == 30), out)
    pages = [p.extract_text() for p in pypdf.PdfReader(out).pages]
    (sign,) = [t for t in pages if "Nama Penanda Tangan" in t]
    assert re.search(r"KODE-\d{3}", sign)  # never alone on a page
    assert f"KODE-{n:03d}" in sign  # with the last rows
    assert all(f"Halaman {k} dari {len(pages)}" in t for k, t in enumerate(pages, start=1))
    every = " ".join(pages)
    assert all(f"KODE-{k:03d}" in every for k in range(1, n + 1))
    if notes:
        assert f"Catatan {notes - 1}:" in every


@pytest.mark.parametrize("top", [0, 0.4, 3, 12, 55, 99.9, 100, 101, 180, 640, 2000, 15e6])
@pytest.mark.parametrize("most", [3, 5, 7, 10])
def test_axis_steps_are_1_2_5_and_few_enough(top, most):
    step, axis_max = value_axis(top, most)
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, s) for s in STEPS)
    assert axis_max >= top and axis_max / step <= most + 1e-9
    assert math.isclose(axis_max / step, round(axis_max / step))  # ends on a step
    labels = [display(k * step) for k in range(round(axis_max / step) + 1)]
    assert len(set(labels)) == len(labels)  # no two labels print the same
    if top > 0:
        assert axis_max <= top * 1.08 + 2.5 * step  # no empty half axis


def test_axis_tick_count_keeps_labels_apart():
    assert max_ticks(100, 6) == 7  # 36 mm axis, 6 pt labels
    assert max_ticks(30, 6) == 2
    for height in (20, 50, 100, 300):
        n = max_ticks(height, 6)
        assert height / n >= 6 * 2  # each label has at least its own height of room


# --------------------------------------------------------------------------- renja (E.81)


def renja_row(code: str, realisasi: float, budget_real: float | None, note: str) -> RecapRow:
    return RecapRow(section="bagian-1", section_name="Subbagian 1", code=code,
                    sasaran="Sasaran uji", indicator=f"Indikator {code}", unit="dokumen",
                    target=10, realisasi=realisasi, capaian=realisasi * 10, rating="",
                    keterangan=note, bukti=None, budget=1_000_000.0, budget_real=budget_real,
                    budget_capaian=None, status="Selesai", counts=True)


def test_renja_remark_is_written_as_sentences(config):
    """A year-to-date taken without the earlier quarters says so as a sentence of its own:
    "... Sangat Tinggi. Tanpa TW I, TW II (tidak ada data)", never ". tanpa"."""
    for ind in config.indicators:
        if ind.code == "B1-02":
            ind.aggregation = Aggregation.last
    recap = Recap(rows=[renja_row("B1-02", 10, None, "")])
    attach(config, recap.rows, History())
    (row,) = renja(config, recap, date(2026, 10, 7)).rows
    remark = str(row.cells[-1])
    assert "Tanpa TW I" in remark and ". tanpa" not in remark, remark


def test_renja_has_the_form_e81_columns_filled_from_what_the_office_keeps(config):
    for ind in config.indicators:
        if ind.code in ("B1-02", "B1-03"):
            ind.budget = 1_000_000  # pagu from the indicator file
            ind.aggregation = Aggregation.sum
    history = History()
    for q, (value, spent) in ((1, (3, 200_000)), (2, (3, 300_000))):
        history.add(f"2026-TW{q}", "B1-02", value)
        history.add(f"2026-TW{q}", "B1-02", spent, "budget_real")
    recap = Recap(rows=[renja_row("B1-02", 4, 250_000, "pelatihan selesai lebih awal"),
                        renja_row("B1-03", 2, None, "pengadaan tertunda")])
    attach(config, recap.rows, history)
    report = renja(config, recap, date(2026, 10, 7))
    for want in ("Target Renstra (akhir periode)", "Realisasi Renstra s.d. 2025",
                 "Target Renja 2026", "Realisasi TW I", "Realisasi TW II", "Realisasi TW III",
                 "Realisasi TW IV", "Realisasi s.d. TW III", "Capaian Renja (%)",
                 "Realisasi Renstra s.d. 2026", "Capaian Renstra (%)"):
        assert [c.title for c in report.columns if c.group == want] == ["K", "Rp"], want
    assert [c.title for c in report.columns if not c.group] == [
        "No", "Sasaran", "Kode", "Indikator Kinerja", "Satuan", "Unit Penanggung Jawab",
        "Keterangan"]
    first, second = report.rows

    def get(row: Row, key: str) -> object:
        return row.cells[report.column(key)]

    assert get(first, "pagu") == 1_000_000
    assert [get(first, f"anggaran_tw{q}") for q in (1, 2, 3, 4)] == [200_000, 300_000,
                                                                      250_000, None]
    assert [get(first, f"tw{q}") for q in (1, 2, 3, 4)] == [3, 3, 4, None]
    assert get(first, "realisasi_sd") == 10 and get(first, "anggaran_sd") == 750_000
    assert get(first, "capaian_anggaran") == 75.0
    assert get(second, "anggaran_sd") is None  # a quarter's spending unknown: no total
    for key in ("renstra_target", "renstra_pagu", "renstra_sd", "renstra_capaian"):
        assert get(first, key) is None  # not kept here: blank, and the notes say why
    assert any("Renstra" in n and "dikosongkan" in n for n in report.notes)
    assert first.rating == ytd_rating(recap.rows[0].quarters, config.rating)
    assert first.rating not in ("", "tidak dapat dihitung")
    remark = str(get(first, "keterangan"))
    assert f"Predikat s.d. TW III: {first.rating}" in remark
    assert "pelatihan selesai lebih awal" in remark
    assert "pengadaan tertunda" in str(get(second, "keterangan"))
    import re
    for row in report.rows:  # each part of the remark a sentence: never ". tanpa ..."
        assert not re.search(r"(?<![sS]\.d)\. [a-z]", str(get(row, "keterangan"))), row
    summary = dict(report.summary)
    assert list(summary)[:2] == ["Rata-rata capaian kinerja (%)", "Predikat kinerja"]
    assert "B1-02" in str(summary["Faktor pendorong keberhasilan pencapaian"])
    assert "pengadaan tertunda" in str(summary["Faktor penghambat pencapaian kinerja"])
    assert "Tindak lanjut yang diperlukan dalam triwulan berikutnya" in summary


def test_renja_renders_in_every_format_with_the_form_header(tmp_path):
    env = LocalEnv(tmp_path, small_config_data(reports={"signatory": SIGNATORY}))
    env.run("distribute")
    env.type_into("bagian-1", {"B1-02": {"realisasi": 8, "budget_real": 400_000,
                                         "keterangan": "sesuai jadwal"}}, status="Selesai")
    for fmt in ("pdf", "xlsx", "csv"):
        env.run("export", "renja", "--output", str(tmp_path / f"r.{fmt}"))
    _, header, body = table(tmp_path / "r.csv")
    row = next(r for r in body if r[header.index("Kode")] == "B1-02")
    assert row[header.index("Realisasi TW III (Rp)")] == "400000"
    assert row[header.index("Target Renja 2026 (Rp)")] == "1000000"
    ws = load_workbook(tmp_path / "r.xlsx").active
    merged = {str(m) for m in ws.merged_cells.ranges}
    top = next(c for row in ws.iter_rows() for c in row if c.value == "Realisasi TW III")
    assert f"{top.coordinate}:{ws.cell(top.row, top.column + 1).coordinate}" in merged
    assert ws.cell(top.row + 1, top.column).value == "K"
    # the form's column numbers under the header, (1) to the last, repeated with it
    numbers = [c.value for c in ws[top.row + 2] if c.value]
    assert numbers == [f"({n})" for n in range(1, len(header) + 1)]
    assert ws.print_title_rows == f"${top.row}:${top.row + 2}"  # all header rows repeat
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "r.pdf").pages)
    assert "EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH" in text
    assert "(1)" in text and f"({len(header)})" in text
    assert "Faktor penghambat pencapaian kinerja" in text and SIGNATORY["name"] in text


@pytest.mark.parametrize("words", [300, 6000])
def test_pdf_with_a_summary_taller_than_a_page_still_ends_with_the_signature(tmp_path, words):
    from sheets_sync.reports.pdf import write_pdf

    report = report_of(5)
    report.summary = [("Faktor penghambat pencapaian kinerja", "kendala anggaran " * words),
                      ("Tindak lanjut", "(diisi oleh evaluator)")]
    out = tmp_path / "s.pdf"
    write_pdf(report, out)
    pages = [p.extract_text() for p in pypdf.PdfReader(out).pages]
    assert "Nama Penanda Tangan" in pages[-1]
    assert sum(t.count("kendala") for t in pages) == words  # nothing of it lost
