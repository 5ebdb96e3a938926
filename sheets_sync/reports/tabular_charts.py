"""The charts of the .xlsx reports, on the page after the notes (`tabular.write_xlsx`): the
rekap's capaian bars with the 100 % target line (drawn as the recap workbook draws it:
`sheets_sync.xlsx.charts`), and the Tren report's mean per period as a line.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RichTextProperties,
)
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sheets_sync.domain import presentation as pres
from sheets_sync.reports.model import Report
from sheets_sync.xlsx.charts import add_target_line

CHART_ROWS = 22  # rows a chart covers (10 cm at 15 pt a row, and a margin)
TARGET_TITLE = "Target Capaian (%)"
TARGET_PERCENT = 100


def bar_chart(ws: Worksheet, report: Report, first: int, last: int, at: int) -> None:
    """The rekap's capaian bars (rows first..last of the table) with the 100 % line."""
    assert report.chart is not None
    col = report.column("capaian") + 1
    chart = BarChart()
    chart.title = report.chart.title
    chart.add_data(Reference(ws, min_col=col, min_row=first - 1, max_row=last),
                   titles_from_data=True)
    categories = Reference(ws, min_col=report.column("kode") + 1, min_row=first, max_row=last)
    chart.set_categories(categories)
    # the 100 % line: a column of 100s beside the table, hidden (the chart still reads it)
    target = len(report.columns) + 1
    ws.cell(first - 1, target).value = TARGET_TITLE
    for r in range(first, last + 1):
        ws.cell(r, target).value = TARGET_PERCENT
    ws.column_dimensions[get_column_letter(target)].hidden = True
    chart.visible_cells_only = False  # Excel and LibreOffice: plot the hidden column too
    add_target_line(chart, Reference(ws, min_col=target, min_row=first - 1, max_row=last),
                    categories)
    chart.legend.position = "b"
    # category names slanted, so long section ids never run into each other
    chart.x_axis.txPr = RichText(
        bodyPr=RichTextProperties(rot=-2700000, vert="horz"),
        p=[Paragraph(pPr=ParagraphProperties(defRPr=CharacterProperties(sz=800)),
                     endParaRPr=CharacterProperties())])
    chart.y_axis.number_format = "0"
    chart.y_axis.title = report.chart.unit
    chart.width, chart.height = 24, 10
    ws.add_chart(chart, f"B{at}")


def line_chart(ws: Worksheet, report: Report, at: int) -> int:
    """The chart's data in two rows under the report's own period columns (a period without
    data is an empty cell: a gap in the line, never a 0), the 100 % line in a third, and the
    line chart under them. Returns the next free row."""
    spec = report.line_chart
    assert spec is not None
    n = len(spec.labels)
    titles = [c.title for c in report.columns]
    start = titles.index(spec.labels[0]) + 1 if spec.labels[0] in titles else 2
    label_col = max(1, start - 1)
    rows = (("Periode", spec.labels), (spec.title, spec.values),
            (TARGET_TITLE, [TARGET_PERCENT] * n))
    for k, (label, values) in enumerate(rows):
        cell = ws.cell(at + k, label_col, label)
        cell.font = Font(bold=True, size=10)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        for i, v in enumerate(values):
            c = ws.cell(at + k, start + i, v)
            c.alignment = Alignment(wrap_text=True, horizontal="center" if k == 0 else "right")
            if k:
                c.number_format = pres.PERCENT
    ws.row_dimensions[at].height = 28
    ws.row_dimensions[at + 1].height = 28
    chart = LineChart()
    chart.title = spec.title
    last = start + n - 1
    chart.add_data(Reference(ws, min_col=label_col, max_col=last, min_row=at + 1,
                             max_row=at + 1), from_rows=True, titles_from_data=True)
    categories = Reference(ws, min_col=start, max_col=last, min_row=at, max_row=at)
    chart.set_categories(categories)
    chart.series[0].marker.symbol = "circle"
    chart.series[0].smooth = False
    add_target_line(chart, Reference(ws, min_col=label_col, max_col=last, min_row=at + 2,
                                     max_row=at + 2), categories, from_rows=True)
    chart.display_blanks = "gap"
    chart.y_axis.scaling.min = 0
    chart.y_axis.number_format = "0"
    chart.y_axis.title = spec.unit
    chart.legend.position = "b"
    chart.width, chart.height = 24, 10
    ws.add_chart(chart, f"{get_column_letter(label_col)}{at + 4}")
    return at + 4 + CHART_ROWS
