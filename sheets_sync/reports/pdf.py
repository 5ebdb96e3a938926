"""A report as a print-ready PDF, made on the machine with ReportLab (no network, no office
suite): the config's paper (A4 or F4) landscape, the office header, an optional bar chart
(its value axis in 1-2-5 steps from the data, with the 100 % line), the table with its header
rows repeated on every page, the form's summary rows, notes, page numbers "Halaman n dari N"
and the signature block, which always shares its page with the table's last rows.

Font: Bitstream Vera (shipped inside the reportlab wheel), embedded as TrueType: it covers
Latin-1 and the punctuation Indonesian text uses, and text extraction reads it back exactly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from sheets_sync.domain.presentation import PAPER_MM, SUBTLE_FILL
from sheets_sync.reports.model import Report
from sheets_sync.reports.pdf_charts import FONT, FONT_BOLD, HEADER_BLUE, bar_chart, line_chart
from sheets_sync.reports.text import display

MARGIN = 12 * mm
GROUP_BLUE = colors.HexColor(SUBTLE_FILL)


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
LONG_TEXT = 80  # characters: a column with a longer cell is a column of long text


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
    # a group title (E.81: "Realisasi TW I" over K and Rp) shares its longest word's width
    # out over the columns under it
    for title, first, last in report.header_spans() if report.grouped else []:
        if report.columns[first].group:
            share = _longest_word(title, FONT_BOLD, size) / (last - first + 1)
            for i in range(first, last + 1):
                need[i] = max(need[i], share)
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
    relative = [c.width for c in report.columns]
    # a column of long text (a Keterangan of sentences) keeps its share of the width, else
    # narrow columns would squeeze it into a strip many lines tall
    long_text = [max((len(t[i]) for t in texts if i < len(t)), default=0) > LONG_TEXT
                 for i in range(len(relative))]
    floor = [width * r / sum(relative) if long else 0.0
             for r, long in zip(relative, long_text, strict=True)]

    def needed(at: float) -> list[float]:
        return [max(n, f) for n, f in zip(_needed(report, texts, at), floor, strict=True)]

    need = needed(size)
    while sum(need) > width and size > SMALLEST:
        size = round(size - 0.25, 2)
        need = needed(size)
    return size, _fit(relative, need, width)


TAIL_ROWS = 3  # data rows kept on the signature's page
SIGN_WIDTH = 85 * mm


def _head_rows(report: Report, size: float) -> tuple[list[list[Any]], list[tuple[Any, ...]]]:
    """The header: one row, or two when columns are grouped (E.81: K and Rp under each)."""
    def cell(text: str) -> Paragraph:
        return Paragraph(escape(text), _style(size, bold=True, align=TA_CENTER,
                                              color=colors.white))

    rows, style = _titles(report, cell)
    if report.numbered:  # the form's column numbers, under the titles, repeated with them
        numbers = [Paragraph(text, _style(size * 0.85, align=TA_CENTER))
                   for text in report.column_numbers()]
        style.append(("BACKGROUND", (0, len(rows)), (-1, len(rows)), GROUP_BLUE))
        rows.append(numbers)
    return rows, style


def _titles(report: Report, cell: Any) -> tuple[list[list[Any]], list[tuple[Any, ...]]]:
    n = len(report.columns)
    if not report.grouped:
        return [[cell(c.title) for c in report.columns]], [
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_BLUE)]
    top: list[Any] = [""] * n
    bottom: list[Any] = [cell(c.title) if c.group else "" for c in report.columns]
    style: list[tuple[Any, ...]] = [("BACKGROUND", (0, 0), (-1, 1), HEADER_BLUE),
                                    ("VALIGN", (0, 0), (-1, 1), "MIDDLE")]
    for title, first, last in report.header_spans():
        top[first] = cell(title)
        grouped = bool(report.columns[first].group)
        style.append(("SPAN", (first, 0), (last, 0 if grouped else 1)))
    return [top, bottom], style


def _table(report: Report, size: float, width: float, *, notes_inside: bool = True,
           keep: int = TAIL_ROWS) -> Table:
    """The table, with the form's summary rows, the notes (when `notes_inside`) and the
    signature block as its last rows: the last `keep` data rows, everything after them and
    the signature are one unsplittable block, so the signature never stands alone."""
    size, widths = _layout(report, size, width)
    data, style = _head_rows(report, size)
    heads = len(data)
    style += [
        ("VALIGN", (0, heads), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING), ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    n = len(report.columns)
    for r, (row, texts) in enumerate(zip(report.rows, _texts(report), strict=True),
                                     start=heads):
        if row.heading:
            text = next((str(v) for v in row.cells[1:] if v not in (None, "")), "")
            data.append([Paragraph(escape(str(row.cells[0] or "")), _style(size, bold=True)),
                         Paragraph(escape(text), _style(size, bold=True))] + [""] * (n - 2))
            style += [("SPAN", (1, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), GROUP_BLUE)]
            if r - heads + 1 < len(report.rows) and not report.rows[r - heads + 1].heading:
                style.append(("NOSPLIT", (0, r), (-1, r + 1)))  # a heading keeps its first row
            continue
        band = report.band(row.rating)
        cells = []
        for c, (value, text, col) in enumerate(zip(row.cells, texts, report.columns,
                                                   strict=False)):
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            align = TA_RIGHT if numeric else (TA_CENTER if col.key == "no" else TA_LEFT)
            if isinstance(value, str) and col.kind != "text" and value in report.abbreviations:
                align = TA_CENTER
            ink = colors.black
            if col.banded and band is not None:
                style.append(("BACKGROUND", (c, r), (c, r), colors.HexColor(band.fill)))
                ink = colors.HexColor(band.font)
            cells.append(Paragraph(escape(text), _style(size, align=align, color=ink,
                                                        bold=row.strong)))
        data.append(cells)
    last_data = len(data) - 1
    # the form's summary (E.81: rata-rata, predikat, faktor, tindak lanjut): boxed rows
    split = _columns_for(widths, 60 * mm, from_left=True)
    for label, value in report.summary:
        r = len(data)
        data.append([Paragraph(escape(label), _style(size, bold=True))] + [""] * split
                    + [Paragraph(escape(display(value)), _style(size))]
                    + [""] * (n - split - 2))
        style += [("SPAN", (0, r), (split, r)), ("SPAN", (split + 1, r), (-1, r))]
    style.append(("GRID", (0, 0), (-1, len(data) - 1), 0.4, colors.HexColor("#808080")))
    if notes_inside and report.notes:
        data.append([Spacer(1, 2 * mm)] + [""] * (n - 1))
        for note in report.notes:
            data.append([Paragraph(escape(note), _style(6.5))] + [""] * (n - 1))
            style.append(("SPAN", (0, len(data) - 1), (-1, len(data) - 1)))
    sign = _columns_for(widths, SIGN_WIDTH, from_left=False)
    lines = report.signature_lines()
    data.append([Spacer(1, 3 * mm)] + [""] * (n - 1))
    for k, line in enumerate(lines):
        r = len(data)
        data.append([""] * sign + [Paragraph(escape(line), _style(9, bold=k == len(lines) - 2,
                                                                  align=TA_CENTER))]
                    + [""] * (n - sign - 1))
        style += [("SPAN", (sign, r), (-1, r)), ("TOPPADDING", (0, r), (-1, r), 0),
                  ("BOTTOMPADDING", (0, r), (-1, r), 0)]
    if keep >= 0:
        first_kept = max(heads, last_data - keep + 1) if keep else last_data + 1
        style.append(("NOSPLIT", (0, first_kept), (-1, -1)))
    # keep < 0: a tail taller than a page: rows may even split inside (else ReportLab fails)
    return Table(data, colWidths=widths, repeatRows=heads, style=TableStyle(style),
                 splitInRow=int(keep < 0))


def _columns_for(widths: list[float], room: float, *, from_left: bool) -> int:
    """From the left: the last column index whose columns 0..i give `room`; from the right:
    the first index whose columns i..end give it."""
    if from_left:
        total = 0.0
        for i, w in enumerate(widths[:-1]):
            total += w
            if total >= room:
                return i
        return max(0, len(widths) - 2)
    total = 0.0
    for i in range(len(widths) - 1, 0, -1):
        total += widths[i]
        if total >= room:
            return i
    return 1 if len(widths) > 1 else 0


def _fitting_table(report: Report, size: float, width: float, height: float) -> tuple[Table, bool]:
    """The table whose unsplittable tail (last rows, summary, notes, signature) fits on one
    page: the notes move after the table when they make it too tall, then fewer rows are
    kept. Returns the table and whether the notes are inside it."""
    for notes_inside, keep in ((True, TAIL_ROWS), (False, TAIL_ROWS), (False, 1)):
        table = _table(report, size, width, notes_inside=notes_inside, keep=keep)
        table.wrap(width, 1e9)  # every row measured (a real height stops at the first page)
        heights = table._rowHeights  # ReportLab's measured rows
        tail = _tail_height(report, heights, notes_inside, keep)
        if tail + sum(heights[: 2 if report.grouped else 1]) <= height * 0.95:
            return table, notes_inside
    return _table(report, size, width, notes_inside=False, keep=-1), False


def _tail_height(report: Report, heights: list[float], notes_inside: bool, keep: int) -> float:
    extra = len(report.summary) + len(report.signature_lines()) + 1
    if notes_inside and report.notes:
        extra += len(report.notes) + 1
    return sum(heights[-(extra + min(keep, len(report.rows))):]) if heights else 0.0


def page_size(report: Report) -> tuple[float, float]:
    """The config's paper (`reports.paper`), landscape."""
    w, h = PAPER_MM[report.paper]
    return landscape((w * mm, h * mm))


def write_pdf(report: Report, path: Path) -> None:
    _fonts()
    path.parent.mkdir(parents=True, exist_ok=True)
    page = page_size(report)
    width = page[0] - 2 * MARGIN
    bottom = 14 * mm
    doc = SimpleDocTemplate(str(path), pagesize=page, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=bottom,
                            title=f"{report.title} {report.period_label}", author=report.office)
    story: list[Any] = []
    bold = len(report.header_lines) - bool(report.letter)  # all but the letter's line
    for n, line in enumerate(report.header_lines):
        story.append(Paragraph(escape(line), _style(12 if n == 0 else 9.5, bold=n < bold,
                                                    align=TA_CENTER)))
    story.append(Paragraph(escape(f"Tanggal: {report.date_text}"), _style(8.5, align=TA_CENTER)))
    story.append(Spacer(1, 4 * mm))
    if report.chart and report.chart.labels:  # above the table: the table ends at the signature
        story += [bar_chart(report.chart, width), Spacer(1, 3 * mm)]
    elif report.line_chart and report.line_chart.labels:
        story += [line_chart(report.line_chart, width), Spacer(1, 3 * mm)]
    size = 6 if len(report.columns) > 14 else 7.5
    frame_height = page[1] - MARGIN - bottom - 12  # the frame's own padding: 6 pt each side
    table, notes_inside = _fitting_table(report, size, width, frame_height)
    story.append(table)
    if not notes_inside and report.notes:
        story.append(Spacer(1, 3 * mm))
        story += [Paragraph(escape(note), _style(6.5)) for note in report.notes]
    doc.build(story, canvasmaker=_numbered(report.footer, page))
