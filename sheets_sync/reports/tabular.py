"""A report as .xlsx: the same header block, table, notes and signature block as the PDF,
with the recap's number formats and band colours (`domain.presentation`) and a print setup
(the config's paper, landscape, one page wide, header rows on every page, footer).

Long text wraps in a column sized for it, and each row is as tall as its longest cell needs
(Excel and LibreOffice do not grow a row for wrapped text written by a program).

The rekap's chart goes after the notes and before the signature block, starting a new page
(a manual page break): one landscape page holds the whole chart and the signature under it,
so the chart is never split and the signature never stands alone. A separate chart sheet
would print after the signed page, outside the signed report.
"""

from __future__ import annotations

import math
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from sheets_sync.domain import presentation as pres
from sheets_sync.reports.csvfile import write_csv
from sheets_sync.reports.model import Cell, Report
from sheets_sync.reports.tabular_charts import CHART_ROWS, bar_chart, line_chart
from sheets_sync.reports.text import display

__all__ = ["write_csv", "write_xlsx"]

SHEET_TITLES = {"pengukuran": "Pengukuran Kinerja", "renja": "Evaluasi Renja",
                "rekap": "Rekap Bagian"}
FORMATS = {"number": pres.DECIMAL, "percent": pres.PERCENT, "money": pres.RUPIAH}
PAPER_CODES = {"A4": 9, "F4": 14}  # OOXML paperSize: 9 = A4, 14 = Folio 8.5 x 13 in (F4)
FONT_SIZE = 10
LINE_PT = 13.0  # one line of 10 pt text
MAX_ROW_PT = 409.0  # the tallest row Excel allows
WIDE_TEXT = 60.0  # a column of long text grows up to this many characters
THIN = Side(style="thin", color="FF808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _argb(colour: str) -> str:
    return "FF" + colour.lstrip("#").upper()


def _lines(text: str, chars: float, *, bold: bool = False) -> int:
    """Lines a text takes wrapped at word boundaries in a column `chars` characters wide."""
    per_line = max(1.0, chars * (0.95 if bold else 1.1))  # 10 pt text, 11 pt char widths
    lines = 0
    for part in text.split("\n"):
        used, lines = 0.0, lines + 1
        for word in part.split():
            need = len(word) if used == 0 else used + 1 + len(word)
            if need <= per_line:
                used = need
            elif used == 0 or len(word) > per_line:  # a word longer than a line breaks
                lines += math.ceil(len(word) / per_line) - (used == 0)
                used = len(word) % per_line
            else:
                lines, used = lines + 1, len(word)
    return max(1, lines)


def _height(lines: int) -> float:
    return min(MAX_ROW_PT, lines * LINE_PT + 3)


def _widths(report: Report) -> list[float]:
    """Column widths in characters: the relative widths, and a text column widened (up to
    WIDE_TEXT) when its longest cell would otherwise need a row taller than Excel allows."""
    widths = []
    for i, col in enumerate(report.columns):
        # never a header word broken in two (bold letters are wider)
        word = max((len(w) for w in col.title.split()), default=0) * 1.15 + 1.5
        width = max(5.0, col.width * 1.6, word)
        if col.kind != "text":  # a number never shows as ####: room for its longest value
            shown = [len(display(r.cells[i])) + (3 if col.kind == "money" else 2)
                     for r in report.rows if i < len(r.cells)
                     and isinstance(r.cells[i], (int, float)) and not r.heading]
            width = max([width, *shown])
        else:
            texts = [r.cells[i] for r in report.rows if i < len(r.cells) and not r.heading
                     and isinstance(r.cells[i], str)]
            # a code or a unit whole on its line (a word longer than 30 letters may break)
            word = max((len(w) for t in texts for w in str(t).split()), default=0)
            width = max(width, min(30.0, word * 1.1 + 1))
            longest = max((len(str(t)) for t in texts), default=0)
            rows_allowed = (MAX_ROW_PT - 3) / LINE_PT
            need = longest / (rows_allowed * 1.1)
            width = max(width, min(WIDE_TEXT, need))
        widths.append(round(width, 1))
    return widths


def _put(ws: Worksheet, row: int, col: int, value: Cell, kind: str = "text") -> XlCell:
    cell = ws.cell(row, col)
    assert isinstance(cell, XlCell)  # callers write a merged range's first cell only
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # typed text that starts with '=' stays text
    elif isinstance(value, (int, float)) and kind in FORMATS:
        # a whole number as WHOLE: Excel shows `#,##0.##` on 100 as "100," (a dangling comma)
        by_value = pres.number_format_for(value) if kind == "number" else None
        cell.number_format = by_value or FORMATS[kind]
    return cell


def _merged_text(ws: Worksheet, row: int, first: int, last: int, text: Cell, chars: float,
                 *, bold: bool = False, kind: str = "text") -> None:
    """`text` in one cell merged over columns first..last, wrapped, its row tall enough."""
    cell = _put(ws, row, first, text, kind)
    cell.alignment = Alignment(wrap_text=True, vertical="top",
                               horizontal="left")
    cell.font = Font(bold=bold, size=FONT_SIZE)
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    lines = _lines(str(text if text is not None else ""), chars)
    ws.row_dimensions[row].height = max(ws.row_dimensions[row].height or 0, _height(lines))


def _header(ws: Worksheet, report: Report, top: int) -> int:
    """The table's header: one row, or two when columns are grouped (E.81: K and Rp under
    each heading), and the column numbers where the form has them. Returns the last header
    row."""
    two = report.grouped
    bottom = top + 1 if two else top
    for c, col in enumerate(report.columns, start=1):
        for r in range(top, bottom + 1):
            cell = ws.cell(r, c)
            cell.font = Font(bold=True, color=_argb(pres.HEADER_FONT), size=FONT_SIZE)
            cell.fill = PatternFill(fill_type="solid", fgColor=_argb(pres.HEADER_FILL))
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            cell.border = BOX
        ws.cell(bottom, c).value = col.title
    if two:
        for title, first, last in report.header_spans():
            ws.cell(top, first + 1).value = title
            if last > first or not report.columns[first].group:
                ws.merge_cells(start_row=top, start_column=first + 1,
                               end_row=top if report.columns[first].group else bottom,
                               end_column=last + 1)
    widths = _widths(report)
    if two:  # a group title wraps over its columns' width together
        ws.row_dimensions[top].height = _height(max(
            _lines(title, sum(widths[first:last + 1]), bold=True)
            for title, first, last in report.header_spans() if report.columns[first].group))
        ws.row_dimensions[bottom].height = _height(max(
            _lines(c.title, w, bold=True) - 1 for c, w in zip(report.columns, widths,
                                                            strict=True) if not c.group) or 1)
    else:
        ws.row_dimensions[top].height = _height(max(
            _lines(c.title, w, bold=True) for c, w in zip(report.columns, widths, strict=True)))
    if report.numbered:  # the form's column numbers, printed with the header on every page
        bottom += 1
        for c, text in enumerate(report.column_numbers(), start=1):
            cell = ws.cell(bottom, c, text)
            cell.font = Font(size=FONT_SIZE - 1)
            cell.fill = PatternFill(fill_type="solid", fgColor=_argb(pres.SUBTLE_FILL))
            cell.alignment = Alignment(horizontal="center")
            cell.border = BOX
    return bottom


def write_xlsx(report: Report, path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_TITLES.get(report.key, report.key.title())
    ncol = len(report.columns)
    widths = _widths(report)
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    total = sum(widths)
    row = 1
    bold = len(report.header_lines) - bool(report.letter)  # all but the letter's line
    for n, line in enumerate([*report.header_lines, f"Tanggal: {report.date_text}"]):
        cell = _put(ws, row, 1, line)
        cell.font = Font(bold=n < bold, size=13 if n == 0 else 11)
        cell.alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncol)
        row += 1
    head = row + 1
    row = _header(ws, report, head)
    first_data = row + 1
    for r in report.rows:
        row += 1
        lines = 1
        band = report.band(r.rating)
        for c, (value, col) in enumerate(zip(r.cells, report.columns, strict=False), start=1):
            cell = _put(ws, row, c, value, col.kind)
            cell.border = BOX
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.font = Font(bold=r.heading or r.strong, size=FONT_SIZE)
            if r.heading:
                cell.fill = PatternFill(fill_type="solid", fgColor=_argb(pres.SUBTLE_FILL))
            elif col.banded and band is not None:
                cell.fill = PatternFill(fill_type="solid", fgColor=_argb(band.fill))
                cell.font = Font(bold=r.strong, color=_argb(band.font), size=FONT_SIZE)
            if isinstance(value, str) and not r.heading:
                lines = max(lines, _lines(value, widths[c - 1]))
        if r.heading:  # its text spans the row (as in the PDF)
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=ncol)
            lines = _lines(str(r.cells[1] or ""), total - widths[0])
        ws.row_dimensions[row].height = _height(lines)
    row += 1
    label_cols = min(4, max(1, ncol - 1))
    label_chars = sum(widths[:label_cols])
    for label, text in report.summary:  # part of the form: boxed, under the table
        row += 1
        _merged_text(ws, row, 1, label_cols, label, label_chars, bold=True)
        kind = "percent" if isinstance(text, (int, float)) else "text"
        _merged_text(ws, row, label_cols + 1, ncol, text, total - label_chars, kind=kind)
        for c in range(1, ncol + 1):
            ws.cell(row, c).border = BOX
    row += 1
    for note in report.notes:
        row += 1
        _merged_text(ws, row, 1, ncol, note, total)
    row += 2
    if report.chart and report.chart.labels:
        ws.row_breaks.append(Break(id=row - 1))  # the chart starts a page, whole
        # the bars are the first rows (the sections); unit rows, if any, come after them
        bar_chart(ws, report, first_data, first_data + len(report.chart.labels) - 1, row)
        row += CHART_ROWS
    elif report.line_chart and report.line_chart.labels:
        ws.row_breaks.append(Break(id=row - 1))
        row = line_chart(ws, report, row)
    sign_col = max(1, ncol - 3)
    for line in report.signature_lines():
        if line:
            cell = _put(ws, row, sign_col, line)
            cell.alignment = Alignment(horizontal="center")
            ws.merge_cells(start_row=row, start_column=sign_col, end_row=row, end_column=ncol)
        row += 1
    ws.freeze_panes = ws.cell(first_data, 1)
    _page_setup(ws, report, pres.PageSetup(paper=report.paper, repeat_rows=first_data - 1),
                head)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def _page_setup(ws: Worksheet, report: Report, setup: pres.PageSetup, head: int) -> None:
    ws.print_title_rows = f"{head}:{setup.repeat_rows}"  # the header again on every page
    ws.page_setup.orientation = "landscape" if setup.landscape else "portrait"
    ws.page_setup.paperSize = PAPER_CODES[setup.paper]
    ws.sheet_properties.pageSetUpPr.fitToPage = setup.fit_width
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    inch = setup.margins_cm / 2.54
    ws.page_margins = PageMargins(left=inch, right=inch, top=inch, bottom=inch + 0.2,
                                  header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.left.text = report.footer
    ws.oddFooter.center.text = "Halaman &P dari &N"
    ws.oddFooter.right.text = "Dicetak &D"
    for part in (ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right):
        part.size = 8
