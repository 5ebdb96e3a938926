"""Chart pieces for every .xlsx the service writes: the one home for how a capaian chart
carries its 100 % target line, so the recap workbook (`adapters/local/xlsx`) and the rekap
and tren exports (`reports/tabular_charts.py`) draw it alike (the PDF draws the same line,
in the same colour: `presentation.TARGET_LINE`).
"""

from __future__ import annotations

from openpyxl.chart import LineChart, Reference
from openpyxl.chart._chart import ChartBase

from sheets_sync.domain.presentation import TARGET_LINE

TARGET_WIDTH_EMU = 28575  # 2.25 pt


def add_target_line(chart: ChartBase, target: Reference, categories: Reference, *,
                    from_rows: bool = False) -> None:
    """Draw `target` (a column, or a row when `from_rows`: its first cell the series name,
    then 100 in every cell) as a red line over `chart` (bars, or another line), on the same
    axes and categories."""
    line = LineChart()
    line.add_data(target, titles_from_data=True, from_rows=from_rows)
    line.set_categories(categories)
    series = line.series[0]
    series.graphicalProperties.line.solidFill = TARGET_LINE.lstrip("#")
    series.graphicalProperties.line.width = TARGET_WIDTH_EMU
    series.smooth = False
    series.marker.symbol = "none"
    chart += line
