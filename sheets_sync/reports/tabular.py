"""A report as .csv and as .xlsx: the same header block, table, notes and signature block as
the PDF. Section text stays text in both (see `reports.text`)."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from sheets_sync.reports.model import Report
from sheets_sync.reports.text import display, neutralise

HEADER_FILL = "FF1F4E78"
GROUP_FILL = "FFDDEBF7"


def write_csv(report: Report, path: Path) -> None:
    """Numbers in Indonesian style (`1.234,5`, quoted where needed), risky text neutralised."""
    kinds = [c.kind for c in report.columns]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8-sig") as fh:  # BOM: Excel reads UTF-8
        writer = csv.writer(fh)
        for line in report.header_lines:
            writer.writerow([neutralise(line)])
        writer.writerow([f"Tanggal: {report.date_text}"])
        writer.writerow([])
        writer.writerow([c.title for c in report.columns])
        for row in report.rows:
            writer.writerow([display(neutralise(v), k)  # type: ignore[arg-type]
                             for v, k in zip(row.cells, kinds, strict=False)])
        writer.writerow([])
        for note in report.notes:
            writer.writerow([neutralise(note)])
        writer.writerow([])
        for line in report.signature_lines():
            writer.writerow([neutralise(line)] if line else [])


def write_xlsx(report: Report, path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = {"pengukuran": "Pengukuran Kinerja", "renja": "Evaluasi Renja",
                "rekap": "Rekap Bagian"}.get(report.key, report.key.title())
    ncol = len(report.columns)
    row = 1
    for n, line in enumerate([*report.header_lines, f"Tanggal: {report.date_text}"]):
        cell = ws.cell(row, 1, line)
        cell.data_type = "s"
        cell.font = Font(bold=n < 3, size=13 if n == 0 else 11)
        cell.alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncol)
        row += 1
    row += 1
    head = row
    thin = Side(style="thin", color="FF808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for c, col in enumerate(report.columns, start=1):
        cell = ws.cell(head, c, col.title)
        cell.font = Font(bold=True, color="FFFFFFFF")
        cell.fill = PatternFill(fill_type="solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = box
        ws.column_dimensions[get_column_letter(c)].width = max(5.0, col.width * 1.6)
    for r in report.rows:
        row += 1
        for c, (value, col) in enumerate(zip(r.cells, report.columns, strict=False), start=1):
            cell = ws.cell(row, c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # typed text that starts with '=' stays text
            elif col.kind == "money":
                cell.number_format = "#,##0"
            cell.border = box
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if r.heading:
                cell.font = Font(bold=True)
                cell.fill = PatternFill(fill_type="solid", fgColor=GROUP_FILL)
    last = row
    row += 2
    for note in report.notes:
        ws.cell(row, 1, note).data_type = "s"
        row += 1
    row += 1
    sign_col = max(1, ncol - 3)
    for line in report.signature_lines():
        if line:
            cell = ws.cell(row, sign_col, line)
            cell.data_type = "s"
            cell.alignment = Alignment(horizontal="center")
            ws.merge_cells(start_row=row, start_column=sign_col, end_row=row, end_column=ncol)
        row += 1
    if report.chart and report.rows:
        _chart(ws, report, head, last)
    ws.freeze_panes = ws.cell(head + 1, 1)
    ws.print_title_rows = f"{head}:{head}"  # the header row again on every printed page
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.oddFooter.center.text = "Halaman &P dari &N"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def _chart(ws: object, report: Report, head: int, last: int) -> None:
    assert report.chart is not None
    col = report.column("capaian") + 1
    chart = BarChart()
    chart.title = report.chart.title
    chart.add_data(Reference(ws, min_col=col, min_row=head, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=report.column("kode") + 1, min_row=head + 1,
                                   max_row=last))
    chart.legend = None
    chart.width, chart.height = 24, 10
    ws.add_chart(chart, f"B{ws.max_row + 2}")  # type: ignore[attr-defined]
