"""Rendering a `WorkbookPatch` into an openpyxl workbook (the local backend's one write).

What a section put on its sheet stays: a note of its own is kept (ours is added below it,
marked, and later removed alone: `notes`), and a fill colour of its own is never replaced by
the service's highlight or taken away with it (`formats`). Sheets the service hides are
"very hidden" (Excel offers no menu to show them) and the workbook structure is protected
(sheets cannot be deleted, renamed or unhidden by accident).
"""

from __future__ import annotations

from typing import Any

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.comments import Comment
from openpyxl.styles import Protection as CellProtection
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sheets_sync.adapters.local.xlsx import formats, sheet_setup
from sheets_sync.adapters.local.xlsx.notes import merged_note
from sheets_sync.adapters.local.xlsx.xlsx_present import present
from sheets_sync.domain.patch import (
    CHART_HEIGHT_PX,
    CHART_WIDTH_PX,
    CellRange,
    Chart,
    Format,
    Formula,
    SheetPatch,
    WorkbookPatch,
)
from sheets_sync.ports import Grid
from sheets_sync.xlsx.charts import add_target_line


def render(wb: Any, patch: WorkbookPatch) -> None:
    for title in patch.delete_sheets:
        if title in wb.sheetnames and len(wb.sheetnames) > 1:
            wb.remove(wb[title])
    for sp in patch.sheets:
        _render_sheet(wb, sp)
    # Sheets cannot be deleted, renamed, moved or unhidden by accident (no password: this
    # guards against slips, it is not a security boundary).
    wb.security = WorkbookProtection(lockStructure=True)


def _render_sheet(wb: Any, sp: SheetPatch) -> None:
    if sp.title in wb.sheetnames:
        ws = wb[sp.title]
        if sp.clear:
            index = wb.index(ws)
            was_hidden = ws.sheet_state
            wb.remove(ws)
            ws = wb.create_sheet(sp.title, index)
            ws.sheet_state = was_hidden
    else:
        ws = wb.create_sheet(sp.title, sp.index)

    for (row, col), value in sp.values.items():
        cell = ws.cell(row=row, column=col)
        if (row, col) in sp.expected and not same_value(cell.value, sp.expected[(row, col)]):
            continue  # changed since the flow read it: the section's value stays
        _put(cell, value)
    for rng, fmt in sp.formats:
        _format(ws, rng, fmt)
    for rng in sp.clear_notes:
        for row in ws.iter_rows(min_row=rng.top, max_row=rng.bottom, min_col=rng.left,
                                max_col=rng.right):
            for cell in row:
                if cell.comment is not None:
                    _set_note(cell, "")
    for (row, col), text in sp.notes.items():
        _set_note(ws.cell(row=row, column=col), text)
    if sp.hidden is not None:
        ws.sheet_state = sheet_setup.state(sp.hidden)
    if sp.frozen_rows is not None or sp.frozen_cols is not None:
        _freeze(ws, sp.frozen_rows, sp.frozen_cols)
    for col, pixels in sp.column_widths.items():
        ws.column_dimensions[get_column_letter(col)].width = sheet_setup.column_width(pixels)
    if sp.row_outline:
        # the fold's +/- beside the unit's own line, above the rows it folds
        ws.sheet_properties.outlinePr.summaryBelow = False
        for row, level in sp.row_outline.items():
            ws.row_dimensions[row].outlineLevel = level
    for v in sp.validations:
        sqref = v.range.a1
        ws.data_validations.dataValidation = [
            dv for dv in ws.data_validations.dataValidation if str(dv.sqref) != sqref
        ]
        if v.kind == "list":
            dv = DataValidation(type="list", formula1='"' + ",".join(v.options) + '"',
                                allow_blank=True, showDropDown=False)
        else:
            dv = DataValidation(type="decimal", operator="greaterThanOrEqual",
                                formula1=str(v.minimum if v.minimum is not None else -1e308),
                                allow_blank=True)
        dv.error, dv.errorTitle, dv.showErrorMessage = v.message, "Isian tidak sesuai", True
        dv.add(sqref)
        ws.add_data_validation(dv)
    if sp.protection is not None:
        # Lock everything in use, then unlock the editable ranges: a re-apply (approve,
        # reopen) must be able to take back what an earlier one opened.
        locked = CellProtection(locked=True)
        for row in ws.iter_rows(min_row=1, max_row=max(ws.max_row, 1),
                                max_col=max(ws.max_column, 1)):
            for cell in row:
                if not cell.protection.locked:
                    cell.protection = locked
        for rng in sp.protection.editable:
            for r in range(rng.top, rng.bottom + 1):
                for c in range(rng.left, rng.right + 1):
                    ws.cell(row=r, column=c).protection = CellProtection(locked=False)
        ws.protection.sheet = True
        ws.protection.formatColumns = False  # sections may widen columns to read
    for values in sp.append_rows:
        row = ws.max_row + 1 if ws.max_row > 1 or ws.cell(1, 1).value is not None else 1
        for col, value in enumerate(values, start=1):
            _put(ws.cell(row=row, column=col), value)
    if sp.charts:
        ws._charts = []  # replace, as on Google
        for spec in sp.charts:
            ws.add_chart(bar_chart(ws, spec),
                         f"{get_column_letter(spec.anchor[1])}{spec.anchor[0]}")
    present(ws, sp)


def _freeze(ws: Any, rows: int | None, cols: int | None) -> None:
    """Freeze header rows and/or first columns; None keeps what is frozen now."""
    now_rows = now_cols = 0
    if ws.freeze_panes:
        letters, row = coordinate_from_string(ws.freeze_panes)
        now_rows, now_cols = row - 1, column_index_from_string(letters) - 1
    rows = now_rows if rows is None else rows
    cols = now_cols if cols is None else cols
    ws.freeze_panes = f"{get_column_letter(cols + 1)}{rows + 1}" if rows or cols else None


def bar_chart(ws: Any, spec: Chart) -> BarChart:
    """Bars of the series; the target column, if any, as a line over them (same axes)."""
    if spec.kind == "line":
        return _line_chart(ws, spec)
    chart = BarChart()
    chart.title = spec.title
    chart.add_data(Reference(ws, min_col=spec.series.left, min_row=spec.series.top,
                             max_row=spec.series.bottom), titles_from_data=True)
    categories = Reference(ws, min_col=spec.categories.left, min_row=spec.categories.top + 1,
                           max_row=spec.categories.bottom)
    chart.set_categories(categories)
    if spec.target is not None:
        add_target_line(chart, Reference(ws, min_col=spec.target.left, min_row=spec.target.top,
                                         max_row=spec.target.bottom), categories)
    chart.legend.position = "b"
    chart.y_axis.scaling.min = 0  # bars from zero: a short bar never looks a third of another
    chart.y_axis.delete = False  # openpyxl 3.1 hides axes unless told (LibreOffice shows none)
    chart.x_axis.delete = False
    chart.width, chart.height = CHART_WIDTH_PX / 37.8, CHART_HEIGHT_PX / 37.8  # cm
    return chart


def _line_chart(ws: Any, spec: Chart) -> LineChart:
    """A value over periods (Tren); a lone period still shows as a point."""
    chart = LineChart()
    chart.title = spec.title
    chart.add_data(Reference(ws, min_col=spec.series.left, min_row=spec.series.top,
                             max_row=spec.series.bottom), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=spec.categories.left,
                                   min_row=spec.categories.top + 1,
                                   max_row=spec.categories.bottom))
    for series in chart.series:
        series.marker.symbol = "circle"
    chart.legend = None
    chart.width, chart.height = CHART_WIDTH_PX / 37.8, CHART_HEIGHT_PX / 37.8  # cm
    return chart


def _set_note(cell: Any, ours: str) -> None:
    """Make the service's part of the cell's note `ours` ("" removes it), keeping the
    section's own note text as it is (`notes.merged_note`)."""
    old = cell.comment
    note = merged_note((old.text or "", old.author or "") if old is not None else None, ours)
    cell.comment = Comment(*note) if note is not None else None


def same_value(a: Any, b: Any) -> bool:
    return ("" if a is None else str(a).strip()) == ("" if b is None else str(b).strip())


def _put(cell: Any, value: Any) -> None:
    if isinstance(value, Formula):
        cell.value = value.text
        return
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text that looks like a formula stays text, as RAW on Google


def _format(ws: Worksheet, rng: CellRange, fmt: Format) -> None:
    for r in range(rng.top, rng.bottom + 1):
        for c in range(rng.left, rng.right + 1):
            format_cell(ws.cell(row=r, column=c), fmt)


def format_cell(cell: Any, fmt: Format) -> None:
    """Apply `fmt` onto what the cell has (attributes `fmt` leaves as None stay)."""
    font = formats.font(fmt, lambda: cell.font)
    if font is not None:
        cell.font = font
    fill = formats.fill(fmt, lambda: cell.fill)
    if fill is not None:
        cell.fill = fill
    if fmt.number_format is not None:
        cell.number_format = fmt.number_format
    alignment = formats.alignment(fmt, lambda: cell.alignment)
    if alignment is not None:
        cell.alignment = alignment


def trim(grid: Grid) -> Grid:
    """Drop trailing empty cells and rows, as Google's values API does."""
    out: Grid = []
    for row in grid:
        end = len(row)
        while end and row[end - 1] in (None, ""):
            end -= 1
        out.append(row[:end])
    while out and not out[-1]:
        out.pop()
    return out


