"""The PDF reports' charts (ReportLab drawings): the rekap's capaian bars and the Tren
report's mean per period as a line; both with a value axis in 1-2-5 steps chosen from the
data (`axis.py`, labels that never collide) and the dashed 100 % target line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.units import mm

from sheets_sync.domain.presentation import HEADER_FILL, TARGET_LINE
from sheets_sync.reports.axis import max_ticks, value_axis
from sheets_sync.reports.model import BarChart, LineChart
from sheets_sync.reports.text import display

FONT, FONT_BOLD = "Vera", "VeraBd"
HEADER_BLUE = colors.HexColor(HEADER_FILL)
TARGET = colors.HexColor(TARGET_LINE)
LABEL_SIZE = 6


def _target_line(drawing: Drawing, x: float, y0: float, width: float, height: float,
                 axis_max: float, unit: str) -> None:
    """The dashed 100 % target line across the plot, labelled at its right end."""
    y = y0 + height * 100 / axis_max
    drawing.add(Line(x, y, x + width, y, strokeColor=TARGET, strokeWidth=0.8,
                     strokeDashArray=[3, 2]))
    drawing.add(String(x + width + 2, y - 2, f"target 100 {unit}", fontName=FONT,
                       fontSize=LABEL_SIZE, fillColor=TARGET))


def bar_chart(chart: BarChart, width: float) -> Drawing:
    """Bars per section (a label over each while they fit) and the dashed 100 % line."""
    drawing = Drawing(width, 60 * mm)
    bars = VerticalBarChart()
    many = len(chart.labels) > 12
    bars.x, bars.y = 20 * mm, (18 if many else 12) * mm
    bars.width, bars.height = min(240 * mm, width - 25 * mm), 36 * mm
    bars.data = [list(chart.values)]  # None: no bar (a section without a computable mean)
    bars.categoryAxis.categoryNames = chart.labels
    bars.categoryAxis.labels.fontName = FONT
    bars.categoryAxis.labels.fontSize = 5 if many else 6
    bars.categoryAxis.labels.angle = 60 if many else 20
    bars.categoryAxis.labels.boxAnchor = "ne"
    axis_max = _value_axis(bars.valueAxis, chart.values, bars.height, label_size=6)
    bars.bars[0].fillColor = HEADER_BLUE
    if len(chart.labels) <= 30:  # a label over every bar while they do not touch
        bars.barLabels.fontName, bars.barLabels.fontSize = FONT, 5.5
        bars.barLabelFormat = lambda v: display(v)
        bars.barLabels.nudge = 6
    drawing.add(bars)
    _target_line(drawing, bars.x, bars.y, bars.width, bars.height, axis_max, chart.unit)
    drawing.add(String(20 * mm, 55 * mm, chart.title, fontName=FONT_BOLD, fontSize=9))
    return drawing


def _value_axis(axis: Any, values: Sequence[float | None], height: float,
                label_size: float) -> float:
    """A chart's value axis from 0, in 1-2-5 steps as many as its height holds, reaching the
    largest value and at least 100 (%); returns its top."""
    axis.labels.fontName, axis.labels.fontSize = FONT, label_size
    top = max([v for v in values if v is not None] + [100])
    step, axis_max = value_axis(top, max_ticks(height, label_size))
    axis.valueMin, axis.valueMax, axis.valueStep = 0, axis_max, step
    axis.labelTextFormat = lambda v: display(v)
    return axis_max


def _runs(values: list[float | None]) -> list[list[float | None]]:
    """One series per run of periods with data (None elsewhere): ReportLab would join the
    points on either side of a missing period; as separate series the line breaks there."""
    out: list[list[float | None]] = []
    for i, v in enumerate(values):
        if v is None:
            continue
        if i == 0 or values[i - 1] is None:
            out.append([None] * len(values))
        out[-1][i] = v
    return out


def line_chart(chart: LineChart, width: float) -> Drawing:
    """The mean per period as a line with a labelled point per period; a period without
    data is a gap (no point, the line broken there), never a 0."""
    drawing = Drawing(width, 60 * mm)
    plot = HorizontalLineChart()
    plot.x, plot.y = 20 * mm, 14 * mm
    plot.width, plot.height = min(240 * mm, width - 25 * mm), 36 * mm
    runs = _runs(list(chart.values))
    plot.data = runs or [[None] * len(chart.values)]
    plot.joinedLines = 1
    for n in range(len(plot.data)):
        plot.lines[n].strokeColor = HEADER_BLUE
        plot.lines[n].strokeWidth = 1.5
        plot.lines[n].symbol = makeMarker("FilledCircle", size=4, fillColor=HEADER_BLUE,
                                          strokeColor=HEADER_BLUE)
    plot.categoryAxis.categoryNames = chart.labels
    plot.categoryAxis.labels.fontName = FONT
    plot.categoryAxis.labels.fontSize = LABEL_SIZE
    plot.categoryAxis.labels.angle = 20 if len(chart.labels) > 8 else 0
    plot.categoryAxis.labels.boxAnchor = "ne" if len(chart.labels) > 8 else "n"
    axis_max = _value_axis(plot.valueAxis, chart.values, plot.height, LABEL_SIZE)
    drawing.add(plot)
    slot = plot.width / max(1, len(chart.values))
    for i, v in enumerate(chart.values):  # the value over each point
        if v is not None:
            y = plot.y + plot.height * v / axis_max
            above = not 0 < (plot.y + plot.height * 100 / axis_max) - y < 10  # the 100 % line
            drawing.add(String(plot.x + (i + 0.5) * slot, y + 4 if above else y - 9,
                               display(v), fontName=FONT, fontSize=5.5, textAnchor="middle"))
    _target_line(drawing, plot.x, plot.y, plot.width, plot.height, axis_max, chart.unit)
    drawing.add(String(20 * mm, 55 * mm, chart.title, fontName=FONT_BOLD, fontSize=9))
    return drawing
