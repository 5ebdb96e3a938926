"""A report as a print-ready PDF, made on the machine with ReportLab (no network, no office
suite): A4 landscape, the office header, the table with its header row repeated on every page,
page numbers "Halaman n dari N", notes, an optional bar chart and the signature block.

Font: Bitstream Vera (shipped inside the reportlab wheel), embedded as TrueType: it covers
Latin-1 and the punctuation Indonesian text uses, and text extraction reads it back exactly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from sheets_sync.reports.model import Report
from sheets_sync.reports.text import display

FONT, FONT_BOLD = "Vera", "VeraBd"
PAGE = landscape(A4)
F4 = landscape((215 * mm, 330 * mm))  # "kertas F4" (folio), common in Indonesian offices
MARGIN = 12 * mm
HEADER_BLUE = colors.HexColor("#1F4E78")
GROUP_BLUE = colors.HexColor("#DDEBF7")


def _fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))  # found in reportlab's own fonts/
        pdfmetrics.registerFont(TTFont(FONT_BOLD, "VeraBd.ttf"))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT,
                                      boldItalic=FONT_BOLD)


def _style(size: float, *, bold: bool = False, align: int = TA_LEFT,
           color: Any = colors.black) -> ParagraphStyle:
    return ParagraphStyle("c", fontName=FONT_BOLD if bold else FONT, fontSize=size,
                          leading=size * 1.22, alignment=align, textColor=color)


def _numbered(title: str, page: tuple[float, float]) -> type[Canvas]:
    """A canvas that knows the page count when it saves: 'Halaman n dari N' on every page."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(FONT, 7)
                self.setFillColor(colors.grey)
                self.drawString(MARGIN, 7 * mm, title)
                self.drawRightString(page[0] - MARGIN, 7 * mm,
                                     f"Halaman {self._pageNumber} dari {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


PADDING = 2  # left and right cell padding (points)
SMALLEST = 4.5  # the smallest table font (points) before words may break


def _texts(report: Report) -> list[list[str]]:
    """Each data row's cells as printed (headings: empty; they span the row)."""
    out = []
    for row in report.rows:
        if row.heading:
            out.append([])
            continue
        cells = []
        for value, col in zip(row.cells, report.columns, strict=False):
            # narrow number columns: long words print as their short mark (legend in the notes)
            text = (report.abbreviations.get(value, value)
                    if isinstance(value, str) and col.kind != "text" else value)
            cells.append(display(text, col.kind))
        out.append(cells)
    return out


def _longest_word(text: str, font: str, size: float) -> float:
    return max((pdfmetrics.stringWidth(w, font, size) for w in text.split()), default=0.0)


def _needed(report: Report, texts: list[list[str]], size: float) -> list[float]:
    """Per column the width its longest word (or number) needs, so nothing breaks mid-word."""
    need = [_longest_word(c.title, FONT_BOLD, size) for c in report.columns]
    for row, cells in zip(report.rows, texts, strict=True):
        if row.heading:
            need[0] = max(need[0], _longest_word(str(row.cells[0] or ""), FONT_BOLD, size))
        for i, text in enumerate(cells):
            need[i] = max(need[i], _longest_word(text, FONT, size))
    return [n + 2 * PADDING + 1 for n in need]


def _fit(relative: list[float], need: list[float], width: float) -> list[float]:
    """Widths in proportion to `relative`, none below its need, summing to `width`."""
    fixed: dict[int, float] = {}
    while True:
        rest = [i for i in range(len(relative)) if i not in fixed]
        if not rest:
            scale = width / sum(need)
            return [n * scale for n in need]
        free, total = width - sum(fixed.values()), sum(relative[i] for i in rest)
        share = {i: relative[i] / total * free for i in rest}
        short = [i for i in rest if share[i] < need[i]]
        if not short:
            return [fixed.get(i, share.get(i, 0.0)) for i in range(len(relative))]
        fixed.update({i: need[i] for i in short})


def _layout(report: Report, size: float, width: float) -> tuple[float, list[float]]:
    """The table font size and column widths: the font shrinks until every word fits."""
    texts = _texts(report)
    need = _needed(report, texts, size)
    while sum(need) > width and size > SMALLEST:
        size = round(size - 0.25, 2)
        need = _needed(report, texts, size)
    return size, _fit([c.width for c in report.columns], need, width)


def _table(report: Report, size: float, width: float) -> Table:
    size, widths = _layout(report, size, width)
    head = [Paragraph(escape(c.title), _style(size, bold=True, align=TA_CENTER,
                                              color=colors.white)) for c in report.columns]
    data: list[list[Any]] = [head]
    style: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BLUE),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#808080")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING), ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    for r, (row, texts) in enumerate(zip(report.rows, _texts(report), strict=True), start=1):
        if row.heading:
            text = next((str(v) for v in row.cells[1:] if v not in (None, "")), "")
            data.append([Paragraph(escape(str(row.cells[0] or "")), _style(size, bold=True)),
                         Paragraph(escape(text), _style(size, bold=True))]
                        + [""] * (len(report.columns) - 2))
            style += [("SPAN", (1, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), GROUP_BLUE)]
            if r < len(report.rows) and not report.rows[r].heading:
                style.append(("NOSPLIT", (0, r), (-1, r + 1)))  # a heading keeps its first row
            continue
        cells = []
        for value, text, col in zip(row.cells, texts, report.columns, strict=False):
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            align = TA_RIGHT if numeric else (TA_CENTER if col.key == "no" else TA_LEFT)
            if isinstance(value, str) and col.kind != "text" and value in report.abbreviations:
                align = TA_CENTER
            cells.append(Paragraph(escape(text), _style(size, align=align)))
        data.append(cells)
    return Table(data, colWidths=widths, repeatRows=1, style=TableStyle(style))


def _chart(report: Report, width: float) -> Drawing:
    assert report.chart is not None
    chart = report.chart
    drawing = Drawing(width, 56 * mm)
    bars = VerticalBarChart()
    bars.x, bars.y, bars.width, bars.height = 20 * mm, 12 * mm, min(200 * mm, width - 25 * mm), 36 * mm
    bars.data = [list(chart.values)]  # None: no bar (a section without a computable mean)
    bars.categoryAxis.categoryNames = chart.labels
    bars.categoryAxis.labels.fontName, bars.categoryAxis.labels.fontSize = FONT, 6
    bars.categoryAxis.labels.angle, bars.categoryAxis.labels.boxAnchor = 20, "ne"
    bars.valueAxis.labels.fontName, bars.valueAxis.labels.fontSize = FONT, 6
    bars.valueAxis.valueMin = 0
    top = max([v for v in chart.values if v is not None] + [100])
    bars.valueAxis.valueMax = (int(top // 20) + 1) * 20
    bars.valueAxis.valueStep = 20
    bars.bars[0].fillColor = HEADER_BLUE
    bars.barLabels.fontName, bars.barLabels.fontSize = FONT, 6
    bars.barLabelFormat = lambda v: display(v)
    bars.barLabels.nudge = 6
    drawing.add(bars)
    drawing.add(String(20 * mm, 51 * mm, chart.title, fontName=FONT_BOLD, fontSize=9))
    return drawing


def write_pdf(report: Report, path: Path) -> None:
    _fonts()
    path.parent.mkdir(parents=True, exist_ok=True)
    page = F4 if report.wide else PAGE
    width = page[0] - 2 * MARGIN
    doc = SimpleDocTemplate(str(path), pagesize=page, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=14 * mm,
                            title=f"{report.title} {report.period_label}", author=report.office)
    story: list[Any] = []
    for n, line in enumerate(report.header_lines):
        story.append(Paragraph(escape(line), _style(12 if n == 0 else 9.5, bold=n < 3,
                                                    align=TA_CENTER)))
    story.append(Paragraph(escape(f"Tanggal: {report.date_text}"), _style(8.5, align=TA_CENTER)))
    story.append(Spacer(1, 4 * mm))
    size = 6 if len(report.columns) > 14 else 7.5
    story.append(_table(report, size, width))
    if report.chart and report.chart.labels:
        story += [Spacer(1, 3 * mm), _chart(report, width)]
    tail: list[Any] = [Spacer(1, 2 * mm)]
    tail += [Paragraph(escape(note), _style(6.5)) for note in report.notes]
    lines = report.signature_lines()
    sign = [Paragraph(escape(line), _style(9, bold=n == len(lines) - 2, align=TA_CENTER))
            for n, line in enumerate(lines)]
    tail += [Spacer(1, 3 * mm),
             Table([["", p] for p in sign], colWidths=[width - 85 * mm, 85 * mm],
                   style=TableStyle([("TOPPADDING", (0, 0), (-1, -1), 0),
                                     ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))]
    story.append(KeepTogether(tail))  # the signature never stands alone on a page
    doc.build(story, canvasmaker=_numbered(f"{report.title} — {report.period_label}", page))
