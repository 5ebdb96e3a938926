"""Findings of a new-user tester on figures and the formal reports (after issues 7 and 11).

Layout of the small config's sheets: the table header is row 9; bagian-1's indicators are
B1-01 (%, row 10), B1-02 (dokumen, row 11), B1-03 (kegiatan, row 12), B1-04 (hari, negatif,
row 13); Target is column F, Realisasi G, Capaian H.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sheets_sync.domain.capaian import compute
from sheets_sync.domain.models import Indicator, Polarity
from sheets_sync.domain.numbers import PercentValue
from sheets_sync.domain.quarters import attach
from sheets_sync.domain.recap import Recap, RecapRow
from sheets_sync.domain.rules.history import History
from sheets_sync.domain.worksheet_prefill import capaian_formula, percent_read
from sheets_sync.reports.build import pengukuran, renja
from tests.backends import LocalEnv
from tests.conftest import small_config_data
from tests.fakegoogle.values import evaluate

COLS = {"target": 6, "realisasi": 7, "capaian": 8}
PERCENT_TEST = 'IFERROR(RIGHT(TO_TEXT(G10),1)="%",LEFT(CELL("format",G10),1)="P")'


def sheet_shows(formula: str, typed: float, percent_formatted: bool, target: float) -> float:
    """What a spreadsheet shows for the capaian formula. The format test is what Sheets
    (TO_TEXT keeps the "%") or Excel/LibreOffice (CELL("format") is "P0".."P2") answer for the
    cell; the rest is plain arithmetic, evaluated by the fake's formula evaluator."""
    text = formula.replace(PERCENT_TEST, "TRUE" if percent_formatted else "FALSE")
    cells = {(10, 6): target, (10, 7): typed}
    return evaluate(text, lambda _sheet, r, c: cells.get((r + 1, c + 1)))


def text_of(formula: object) -> str:
    assert formula is not None
    return str(formula.text)  # type: ignore[attr-defined]


def indicator(unit: str, polarity: Polarity = Polarity.positive, **kw: object) -> Indicator:
    return Indicator(code="X-01", section="s", sasaran="S", name="Uji", unit=unit,
                     polarity=polarity, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("polarity", [Polarity.positive, Polarity.negative])
def test_the_sheets_capaian_of_a_percent_indicator_matches_the_service(polarity):
    ind = indicator("%", polarity, target=80)
    formula = text_of(capaian_formula(ind, 10, COLS))
    assert PERCENT_TEST in formula
    # 87,5% typed in Excel: 0.875 in a percent-formatted cell; 87,5 typed plainly: 87.5
    for typed, formatted in ((0.875, True), (87.5, False)):
        service = compute(polarity, PercentValue.from_fraction(0.875) if formatted else typed,
                          80, percent_unit=True).value
        assert sheet_shows(formula, typed, formatted, 80) == pytest.approx(service)
    assert sheet_shows(formula, 0.875, True, 80) != pytest.approx(0.88)


def test_a_range_percent_indicator_reads_the_percent_format_too():
    ind = indicator("persen", Polarity.range, target_min=60, target_max=80)
    formula = text_of(capaian_formula(ind, 10, COLS))
    assert formula.count(percent_read("G10")) >= 1
    assert sheet_shows(formula, 0.9, True, 0) == pytest.approx(
        compute(Polarity.range, PercentValue.from_fraction(0.9), None, 60, 80,
                percent_unit=True).value)


def test_a_count_indicator_keeps_the_plain_formula():
    formula = text_of(capaian_formula(indicator("dokumen", target=10), 10, COLS))
    assert "TO_TEXT" not in formula and "CELL" not in formula
    assert sheet_shows(formula, 8, False, 10) == 80


def test_the_template_and_update_targets_write_the_percent_aware_formula(tmp_path: Path):
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")

    def formulas() -> tuple[str, str]:
        ws = load_workbook(env.section_ref("bagian-1").id)["Kertas Kerja"]
        return str(ws["H10"].value), str(ws["H11"].value)

    pct, count = formulas()
    assert PERCENT_TEST in pct and "TO_TEXT" not in count
    data = env.data
    for ind in data["indicators"]:
        if ind["code"] == "B1-01":
            ind["target"] = 90
    env.rewrite(data)
    env.run("distribute", "--update-targets")
    pct, _ = formulas()
    assert PERCENT_TEST in pct


# --------------------------------------------------------------------------- reports


def not_counted_row(**kw: object) -> RecapRow:
    base: dict[str, object] = dict(
        section="bagian-1", section_name="Subbagian 1", code="B1-02", sasaran="Sasaran uji",
        indicator="Indikator 2", unit="dokumen", target=10, realisasi=-2, capaian=-20.0,
        rating="", keterangan="salah ketik", bukti=None, budget=None, budget_real=None,
        budget_capaian=None, status="Selesai", counts=False,
        not_counted_reason="ada error terbuka: Realisasi bernilai -2, di luar batas "
                           "(paling sedikit 0).")
    base.update(kw)
    return RecapRow(**base)  # type: ignore[arg-type]


def test_renja_marks_a_value_that_does_not_count(config):
    recap = Recap(rows=[not_counted_row(), not_counted_row(code="B1-03", realisasi=7,
                                                           capaian=70.0, counts=True,
                                                           not_counted_reason=None)])
    attach(config, recap.rows, History())
    report = renja(config, recap, date(2026, 10, 7))
    bad, good = [r for r in report.rows if not r.heading]
    assert bad.cells[report.column("tw3")] == -2  # shown as typed
    assert bad.rating == "tidak dihitung"
    remark = bad.cells[report.column("keterangan")]
    assert isinstance(remark, str) and remark.startswith("TW III tidak dihitung: ada error")
    assert good.rating != "tidak dihitung"
    assert "tidak dihitung" not in str(good.cells[report.column("keterangan")])


def test_remarks_never_end_a_reason_with_two_full_stops(config):
    recap = Recap(rows=[not_counted_row()])
    attach(config, recap.rows, History())
    report = pengukuran(config, recap, date(2026, 10, 7))
    (row,) = [r for r in report.rows if not r.heading]
    remark = str(row.cells[report.column("keterangan")])
    assert ".." not in remark and remark.endswith("(paling sedikit 0). salah ketik")


def pdf_text_pages(path: Path) -> list[str]:
    import pypdf

    return [p.extract_text() for p in pypdf.PdfReader(path).pages]


@pytest.fixture
def grouped_office(tmp_path: Path) -> LocalEnv:
    """80 indicators in sasaran groups of 3, long unit names and a capaian of 15.000.000 %."""
    data = small_config_data(sections=8, indicators=10)
    for n, ind in enumerate(data["indicators"]):
        ind["sasaran"] = f"Sasaran ke-{n // 3 + 1} meningkatnya kualitas pelayanan"
        if ind["unit"] == "kegiatan":
            ind["unit"] = "dokumen/kegiatan"
    env = LocalEnv(tmp_path, data)
    env.run("distribute")
    for s in env.config.sections:
        typed = {i.code: {"realisasi": 8, "keterangan": "ok"} for i in env.config.indicators_of(s.id)}
        first = env.config.indicators_of(s.id)[1]  # a count with target 10
        typed[first.code] = {"realisasi": 1_500_000, "keterangan": "ok"}
        env.type_into(s.id, typed, status="Selesai")
    return env


def test_pengukuran_pdf_fills_sasaran_keeps_headings_and_breaks_no_word(grouped_office,
                                                                           tmp_path):
    out = tmp_path / "p.pdf"
    grouped_office.run("export", "pengukuran", "--format", "pdf", "--output", str(out))
    pages = pdf_text_pages(out)
    assert len(pages) >= 2
    words = " ".join(pages).split()
    assert "15.000.000" in words  # the capaian whole, never "15.000.00" + "0"
    assert words.count("dokumen/kegiatan") >= 8  # the unit whole
    heading = re.compile(r"^[IVXLC]+\s+Sasaran ke-\d+", re.MULTILINE)
    for text in pages:
        found = list(heading.finditer(text))
        if found:  # a heading is followed by at least one of its rows on the same page
            assert re.search(r"B\d-\d\d", text[found[-1].end():]), text[-400:]
    # the Sasaran column of an indicator row says its sasaran
    report_text = re.sub(r"\s+", " ", " ".join(pages))
    assert re.search(r"\d+ Sasaran ke-1 meningkatnya kualitas pelayanan B1-01", report_text)
    # the formula note states the floor at 0 and the above-range rule
    assert "paling kecil 0" in report_text and "(2b - R)/b x 100" in report_text


def test_renja_pdf_breaks_no_word(grouped_office, tmp_path):
    out = tmp_path / "r.pdf"
    grouped_office.run("export", "renja", "--format", "pdf", "--output", str(out))
    words = " ".join(pdf_text_pages(out)).split()
    for whole in ("dokumen/kegiatan", "Renstra", "Realisasi", "Penanggung"):
        assert whole in words, whole


def test_a_sasaran_heading_is_never_left_alone_at_the_foot_of_a_page(tmp_path: Path):
    from sheets_sync.reports.model import Column, Report, Row
    from sheets_sync.reports.pdf import write_pdf

    def stranded(fillers: int) -> bool:
        report = Report(key="pengukuran", title="UJI", office="Kantor", period_label="TW III",
                        letter="", made_on=date(2026, 10, 7),
                        columns=[Column("No", 3), Column("Indikator", 30), Column("Nilai", 6)])
        codes = iter(range(1, 1000))
        for g in range(1, 6):
            report.rows.append(Row([f"G{g}", f"Sasaran ke-{g}", None], heading=True))
            for _ in range(fillers if g == 1 else 12):
                report.rows.append(Row([next(codes), f"Indikator X-{next(codes):03d}", 1]))
        out = tmp_path / f"h{fillers}.pdf"
        write_pdf(report, out)
        for text in pdf_text_pages(out):
            found = list(re.finditer(r"^G\d\s+Sasaran ke-\d", text, re.MULTILINE))
            if found and not re.search(r"X-\d{3}", text[found[-1].end():]):
                return True
        return False

    # a heading lands at every position of the page as the first group grows
    assert not [f for f in range(20, 44) if stranded(f)]


def test_backup_times_are_shown_on_the_office_clock(tmp_path: Path) -> None:
    """`sync restore --list` shows when each backup was made in the office's time (WIB),
    not in the zone the computer happens to be set to (a server on UTC)."""
    import os
    from datetime import datetime

    from sheets_sync.adapters.local import files

    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 91}}, status="Selesai")
    env.run("validate", code=1)  # the rows left empty are errors
    path = Path(env.section_ref("bagian-1").id)
    backup = files.backups_of(path)[0]
    made = datetime(2026, 10, 6, 2, 0, tzinfo=UTC).timestamp()  # 09:00 WIB
    os.utime(backup, (made, made))
    listing = env.run("restore", "bagian-1", "--list").output
    assert "06-10-2026 09:00:00" in listing


def _saved_as_excel_would(path: Path, formula: str, result: str) -> None:
    """Give a formula typed through openpyxl the result Excel saves beside it."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        members = [(i, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in members:
            if info.filename.startswith("xl/worksheets/"):
                text = data.decode("utf-8")
                text = re.sub(rf"<f>{re.escape(formula)}</f><v ?/>",
                              f"<f>{formula}</f><v>{result}</v>", text)
                data = text.encode("utf-8")
            z.writestr(info, data)


@pytest.mark.parametrize("command", [["approve", "bagian-1"], ["reopen", "bagian-1"]])
def test_a_formula_result_survives_the_writes_openpyxl_still_does(
        tmp_path: Path, command: list[str]) -> None:
    """Approval and reopening lock or unlock the sheet through openpyxl, which saves every
    formula without its result: the Realisasi a section typed as =2*4 must still read 8."""
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    filled = {f"B1-0{n}": {"realisasi": 9, "keterangan": "Sesuai rencana",
                           "bukti": "https://drive.example/bukti.pdf"} for n in range(1, 5)}
    filled["B1-02"]["realisasi"] = "=2*4"
    env.type_into("bagian-1", filled, status="Selesai")
    path = Path(env.section_ref("bagian-1").id)
    _saved_as_excel_would(path, "2*4", "8")
    env.run("validate")
    env.run("approve", "bagian-1")
    if command[0] == "reopen":
        env.run("reopen", "bagian-1", "--reason", "perbaiki bukti")
    rows = json.loads(env.run("recap", "--format", "json").stdout)["rows"]
    assert next(r for r in rows if r["indicator"] == "B1-02")["realisasi"] == 8
    wb = load_workbook(path)  # the formula itself is kept too
    assert any(c.value == "=2*4" for row in wb["Kertas Kerja"].iter_rows() for c in row)


def test_since_when_a_workbook_is_open_is_told_on_the_office_clock(tmp_path: Path) -> None:
    import os
    from datetime import UTC, datetime

    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 91}}, status="Selesai")
    path = Path(env.section_ref("bagian-1").id)
    lock = path.parent / f"~${path.name}"
    lock.write_bytes(bytes([4]) + b"Budi" + b" " * 49)
    opened = datetime(2026, 10, 6, 2, 0, tzinfo=UTC).timestamp()  # 09:00 WIB
    os.utime(lock, (opened, opened))
    out = " ".join(env.run("validate", code=None).output.split())
    assert "Budi" in out and "06-10-2026 09:00" in out
