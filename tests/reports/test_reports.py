"""The formal reports (sync export): the PDF read back, the exports agreeing with the recap
workbook and with `recap --format json`, section text staying text, values that do not count."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

import pypdf
import pytest
from openpyxl import load_workbook

from sheets_sync.domain.numbers import format_number
from sheets_sync.domain.quarters import attach
from sheets_sync.domain.recap import Recap, RecapRow
from sheets_sync.domain.rules.history import History
from sheets_sync.reports.build import pengukuran, renja
from tests.backends import LocalEnv
from tests.conftest import small_config_data

SIGNATORY = {"place": "Jambi", "position": "Sekretaris DPRD Provinsi Jambi",
             "name": "Drs. Ahmad Fauzi, M.Si", "nip": "19700101 199503 1 001"}


def pdf_pages(path: Path) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(path).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def csv_number(text: str) -> float | None:
    """A CSV cell read as any other tool reads it: a plain number, or None."""
    try:
        return float(text)
    except ValueError:
        return None


def csv_table(path: Path, delimiter: str = ",") -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines(),
                           delimiter=delimiter))
    start = next(n for n, r in enumerate(rows) if r and r[0] == "No")
    body = []
    for r in rows[start + 1:]:
        if not r:
            break
        body.append(r)
    return rows[start], body


@pytest.fixture
def office(tmp_path) -> LocalEnv:
    env = LocalEnv(tmp_path, small_config_data(sections=8, indicators=10,
                                               reports={"signatory": SIGNATORY}))
    env.run("distribute")
    for n, s in enumerate(env.config.sections):
        if n == 7:
            continue  # one section hands nothing in
        env.type_into(s.id, {i.code: {"realisasi": round((i.target or 10) * (0.5 + k * 0.07), 2),
                                      "keterangan": "sesuai rencana"}
                             for k, i in enumerate(env.config.indicators_of(s.id))},
                      status="Selesai")
    return env


def test_pengukuran_pdf_for_80_indicators_reads_back_and_fits_three_pages(office, tmp_path):
    out = tmp_path / "pengukuran.pdf"
    office.run("export", "pengukuran", "--format", "pdf", "--output", str(out))
    pages = pdf_pages(out)
    # one line per indicator: ~35 rows on the first page (under the office header), ~40 after
    assert 2 <= len(pages) <= 3
    for n, text in enumerate(pages, start=1):
        assert "Indikator Kinerja" in text and "Capaian" in text  # header row on every page
        assert f"Halaman {n} dari {len(pages)}" in text
    first, everything, last = flat(pages[0]), flat(" ".join(pages)), flat(pages[-1])
    assert "LAPORAN PENGUKURAN KINERJA" in first and "SEKRETARIAT DPRD PROVINSI JAMBI" in first
    assert "PERIODE TRIWULAN III 2026" in first and "050/1/SETDA" in first
    assert "Tanggal: 7 Oktober 2026" in first
    config = office.config
    for i in config.indicators:
        assert i.code in everything
    for line in ("Jambi, 7 Oktober 2026", SIGNATORY["position"], SIGNATORY["name"],
                 f"NIP. {SIGNATORY['nip']}"):
        assert line in last  # the signature block closes the report
    assert "1.000.000" in everything  # pagu in Indonesian format
    assert "Sasaran uji" in everything  # the sasaran heading row


def test_pdf_first_page_renders_landscape(office, tmp_path):
    pdfium = pytest.importorskip("pypdfium2")
    out = tmp_path / "rekap.pdf"
    office.run("export", "rekap", "--format", "pdf", "--output", str(out))
    image = pdfium.PdfDocument(str(out))[0].render(scale=1).to_pil().convert("L")
    assert image.width > image.height  # landscape
    dark = sum(image.histogram()[:128])
    assert dark > 2000  # text, table and chart drawn, not a blank page
    text = flat(" ".join(pdf_pages(out)))
    assert "Rata-rata capaian per bagian (%)" in text  # the bar chart's title


def test_every_export_agrees_with_the_recap_and_its_json(office, tmp_path):
    result = office.run("recap", "--format", "json", "--export", str(tmp_path / "r.xlsx"))
    data = json.loads(result.stdout)
    json_rows = {r["indicator"]: r for r in (data["rows"] if isinstance(data, dict) else data)}
    grid = office.recap_grid("Rekap Indikator")
    head = grid[0]
    sheet = {r[head.index("Kode")]: r for r in grid[1:]}
    capaian = {c: sheet[c][head.index("Capaian (%)")] for c in sheet}
    capaian = {c: (None if v in ("", None) else v) for c, v in capaian.items()}
    assert capaian == {c: r["capaian"] for c, r in json_rows.items()}
    assert any(v is not None for v in capaian.values()) and any(v is None for v in capaian.values())

    for fmt in ("csv", "xlsx", "pdf"):
        office.run("export", "pengukuran", "--format", fmt, "--output", str(tmp_path / f"p.{fmt}"))
    header, body = csv_table(tmp_path / "p.csv")
    k, c = header.index("Kode"), header.index("Capaian (%)")
    from_csv = {r[k]: csv_number(r[c]) for r in body if r[k]}
    assert from_csv == capaian

    ws = load_workbook(tmp_path / "p.xlsx").active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    top = next(n for n, r in enumerate(rows) if r[0] == "No")
    hk, hc = rows[top].index("Kode"), rows[top].index("Capaian (%)")
    from_xlsx = {r[hk]: (r[hc] if isinstance(r[hc], (int, float)) else None)
                 for r in rows[top + 1:] if r[hk] and r[0] is not None}
    assert from_xlsx == capaian
    # `recap --export` is the same report
    ws2 = load_workbook(tmp_path / "r.xlsx").active
    assert [list(r) for r in ws2.iter_rows(values_only=True)][top:] == rows[top:]

    text = flat(" ".join(pdf_pages(tmp_path / "p.pdf")))
    codes = sorted(capaian, key=lambda c: text.index(c))
    for a, b in zip(codes, [*codes[1:], None], strict=True):
        segment = text[text.index(a): text.index(b) if b else len(text)]
        want = "tidak dapat dihitung" if capaian[a] is None else format_number(capaian[a])
        assert want in segment, (a, segment)

    # the per-section summary: recap Ringkasan, rekap export
    office.run("export", "rekap", "--format", "csv", "--output", str(tmp_path / "k.csv"))
    header, body = csv_table(tmp_path / "k.csv")
    means = {r[1]: csv_number(r[header.index("Rata-rata Capaian (%)")]) for r in body}
    summary = office.recap_grid("Ringkasan")
    top = next(n for n, r in enumerate(summary) if r and r[0] == "Kode Bagian")
    col = summary[top].index("Rata-rata Capaian (%)")
    assert means == {r[0]: (None if r[col] in ("", None, "—") else r[col]) for r in summary[top + 1:]
                     if r and r[0]}


def test_section_text_stays_text_in_every_export(tmp_path):
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    risky = {"B1-01": "+62 811 7400", "B1-02": "-cmd|' /C calc'!A0", "B1-03": "@SUM(1+1)"}
    env.type_into("bagian-1", {c: {"realisasi": 5, "keterangan": v} for c, v in risky.items()},
                  status="Selesai")
    env.type_into("bagian-2", {"B2-01": {"realisasi": -1}}, status="Selesai")
    for fmt in ("csv", "xlsx", "pdf"):
        env.run("export", "pengukuran", "--format", fmt, "--output", str(tmp_path / f"p.{fmt}"))
    cells = [c for row in csv.reader((tmp_path / "p.csv").read_text(encoding="utf-8-sig")
                                     .splitlines()) for c in row]
    for value in risky.values():
        assert "'" + value in cells  # neutralised: a spreadsheet shows it, never runs it
    assert "-1" in cells  # a number stays a number
    ws = load_workbook(tmp_path / "p.xlsx").active
    typed = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for value in risky.values():
        assert value in typed and typed[value].data_type == "s"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    text = " ".join(pdf_pages(tmp_path / "p.pdf"))
    assert "+62 811 7400" in text and "@SUM(1+1)" in text


def test_csv_neutralises_every_formula_start(tmp_path):
    from sheets_sync.reports.model import Column, Report, Row
    from sheets_sync.reports.tabular import write_csv, write_xlsx

    starts = ["=1+1", "+1", "-1+1", "@A1", "\tx", "\rx", "\nx"]
    report = Report("pengukuran", "T", "Kantor", "Tahun 2026", "", date(2026, 1, 5),
                    [Column("No", 1), Column("Keterangan", 5), Column("Angka", 2, "number")],
                    [Row([n, v, -2.5]) for n, v in enumerate(starts, start=1)])
    write_csv(report, tmp_path / "t.csv")
    rows = list(csv.reader((tmp_path / "t.csv").open(encoding="utf-8-sig", newline="")))
    body = [r for r in rows if len(r) == 3 and r[0].isdigit()]
    assert [r[1] for r in body] == ["'" + v for v in starts]
    assert {r[2] for r in body} == {"-2.5"}  # a negative number is no formula: untouched
    write_xlsx(report, tmp_path / "t.xlsx")
    cells = {c.value: c for row in load_workbook(tmp_path / "t.xlsx").active.iter_rows()
             for c in row}
    # (xlsx stores a CR as a line break: '\rx' reads back as '\nx')
    assert all(cells[v.replace("\r", "\n")].data_type == "s" for v in starts)
    assert all(c.data_type != "f" for c in cells.values())


def test_a_value_that_does_not_count_is_shown_as_not_counted(config):
    row = RecapRow(section="bagian-1", section_name="Subbagian 1", code="B1-01",
                   sasaran="Sasaran uji", indicator="Indikator 1", unit="%", target=100,
                   realisasi=900, capaian=900.0, rating="Sangat Tinggi", keterangan="cek",
                   bukti=None, budget=None, budget_real=None, budget_capaian=None,
                   status="Selesai", counts=False, not_counted_reason="nilai tidak wajar")
    recap = Recap(rows=[row])
    attach(config, recap.rows, History())
    report = pengukuran(config, recap, date(2026, 10, 7))
    (data,) = [r for r in report.rows if not r.heading]
    assert data.cells[report.column("predikat")] == "tidak dihitung"
    assert "tidak dihitung: nilai tidak wajar" in data.cells[report.column("keterangan")]
    assert data.cells[report.column("realisasi")] == 900  # shown
    r = renja(config, recap, date(2026, 10, 7))
    (data,) = [x for x in r.rows if not x.heading]
    assert data.cells[r.column("realisasi_sd")] is None  # not in the year to date
    assert any("tidak dihitung" in n for n in r.notes)


def test_renja_needs_a_quarterly_period(tmp_path):
    env = LocalEnv(tmp_path, small_config_data(period="2026"))
    env.run("distribute")
    result = env.run("export", "renja", "--format", "pdf", code=2)
    assert "triwulan" in result.output and "Traceback" not in result.output


def test_export_default_name_and_recap_export_pdf(tmp_path, monkeypatch):
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    monkeypatch.chdir(tmp_path)
    env.run("export", "pengukuran", "--format", "csv")
    assert (tmp_path / "pengukuran-kinerja-2026-TW3.csv").exists()
    env.run("recap", "--export", str(tmp_path / "lap.pdf"))
    assert "LAPORAN PENGUKURAN KINERJA" in pdf_pages(tmp_path / "lap.pdf")[0]
    bad = env.run("recap", "--export", str(tmp_path / "lap.doc"), code=2)
    assert ".pdf, .xlsx atau .csv" in bad.output
    env.run("export", "rekap", "--output", str(tmp_path / "rekap.xlsx"))  # format from the name
    ws = load_workbook(tmp_path / "rekap.xlsx").active
    assert len(ws._charts) == 1 and ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows  # the header row printed again on every page
    clash = env.run("export", "rekap", "--format", "pdf", "--output", str(tmp_path / "x.csv"),
                    code=2)
    assert "samakan" in clash.output
