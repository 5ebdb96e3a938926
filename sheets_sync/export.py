"""Export of the formal report table ("Tabel Pengukuran Kinerja") to .xlsx or .csv, in the
shape used in Indonesian performance reports: per section, per sasaran, each indicator with
target, realisasi, capaian and predikat, and the budget alongside where there is one."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from sheets_sync.domain.models import Config
from sheets_sync.domain.recap import Recap
from sheets_sync.errors import ConfigError

HEADERS = ("No", "Bagian", "Sasaran", "Indikator Kinerja", "Satuan", "Target", "Realisasi",
           "Capaian (%)", "Predikat", "Pagu (Rp)", "Realisasi Anggaran (Rp)",
           "Capaian Anggaran (%)", "Keterangan")


def report_rows(recap: Recap) -> list[list[object]]:
    rows = []
    for n, r in enumerate(recap.rows, start=1):
        rows.append([n, r.section_name, r.sasaran, r.indicator, r.unit, r.target, r.realisasi,
                     r.capaian if r.capaian is not None else "tidak dapat dihitung", r.rating,
                     r.budget, r.budget_real, r.budget_capaian, r.keterangan])
    return rows


def _csv_safe(value: object) -> object:
    """Text a section typed that Excel would run as a formula when opening the CSV
    (=, +, -, @) gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def export_report(config: Config, recap: Recap, path: Path) -> None:
    suffix = path.suffix.lower()
    rows = report_rows(recap)
    if suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8-sig") as fh:  # BOM: Excel reads UTF-8
            writer = csv.writer(fh)
            writer.writerow(HEADERS)
            writer.writerows([[_csv_safe(v) for v in row] for row in rows])
        return
    if suffix != ".xlsx":
        raise ConfigError(f"--export {path}: pakai nama berkas berakhiran .xlsx atau .csv.")
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Pengukuran Kinerja"
    ws.append([f"TABEL PENGUKURAN KINERJA {config.period.label.upper()}"])
    ws.append([config.office.name])
    ws.append([])
    ws.append(list(HEADERS))
    for cell in ws[4]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill(fill_type="solid", fgColor="FF1F4E78")
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws["A1"].font = Font(bold=True, size=13)
    for row in rows:
        # Values go in as data: a typed text starting with '=' must not become a formula.
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    for letter, width in zip("ABCDEFGHIJKLM", (5, 28, 36, 44, 11, 10, 11, 11, 14, 16, 18, 12, 36),
                             strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A5"
    ws.page_setup.orientation = "landscape"  # the formal table is printed: one page wide
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
