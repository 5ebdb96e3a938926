"""The recap workbook as leadership opens and prints it: one description for every backend.

`recap_patch` lays a `Recap` (domain/recap.py) out as the sheets Ringkasan (a summary block
on top, one row per section, the charts), Rekap Indikator, Validasi, Jadwal SOP and Audit:
number formats on every numeric column, band colours as conditional formatting (they follow
the live values), short "Buka" links, wrapped headers with fitting heights, filters, frozen
headers, and the print setup (A4 or F4 landscape, one page wide). Pure.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sheets_sync.domain import glossary
from sheets_sync.domain import presentation as look
from sheets_sync.domain.calendar import SopStep, format_datetime_id
from sheets_sync.domain.models import Config, Severity
from sheets_sync.domain.patch import (
    CHART_HEIGHT_PX,
    BandColor,
    BandRule,
    CellRange,
    Chart,
    Format,
    Link,
    PdfLink,
    SheetPatch,
    Value,
    WorkbookPatch,
)
from sheets_sync.domain.quarters import QUARTER_HEADERS
from sheets_sync.domain.recap import (
    INDICATOR_HEADERS,
    ISSUE_HEADERS,
    NO_MEAN,
    SCHEDULE_HEADERS,
    SEVERITY_ID,
    SHEET_AUDIT,
    SHEET_AUDITED,
    SHEET_INDICATORS,
    SHEET_ISSUES,
    SHEET_SCHEDULE,
    SHEET_SUMMARY,
    SUMMARY_HEADERS,
    Recap,
    completeness_facts,
    timeliness_cells,
)
from sheets_sync.domain.review import AUDIT_HEADERS

TARGET_HEADER = "Target Capaian (%)"  # the 100 % line of the capaian chart
TARGET_PERCENT = 100
NO_RATING = "Tanpa predikat"
LATE_FILL = "#E4DFEC"  # pale lilac
PDF_SHEETS = (SHEET_SUMMARY, SHEET_INDICATORS, SHEET_ISSUES, SHEET_SCHEDULE)
HEADER = Format(bold=True, fill=look.HEADER_FILL, font_color=look.HEADER_FONT, wrap=True,
                align="center")

# Ringkasan's columns, by header: widths in pixels and number formats
SUMMARY_WIDTHS = {1: 190, 2: 230, 3: 160, 4: 150, 5: 70, 6: 85, 7: 80, 8: 80, 9: 85, 10: 95,
                  11: 110, 12: 130, 13: 70, 14: 130, 15: 80, 16: 85, 17: 85}
SUMMARY_FORMATS = {5: look.WHOLE, 6: look.WHOLE, 8: look.WHOLE, 9: look.WHOLE,
                   10: look.PERCENT, 16: look.PERCENT, 17: look.PERCENT}
INDICATOR_WIDTHS = {1: 80, 2: 130, 3: 180, 4: 80, 5: 220, 6: 300, 7: 90, 8: 90, 9: 90, 10: 85,
                    11: 105, 12: 220, 13: 200, 14: 130, 15: 130, 16: 90, 17: 110, 18: 75,
                    19: 220}
# DECIMAL: numbers as typed, WHOLE where whole (`_numbers`)
INDICATOR_FORMATS = {8: look.DECIMAL, 9: look.DECIMAL, 10: look.PERCENT, 14: look.RUPIAH,
                     15: look.RUPIAH, 16: look.PERCENT}
QUARTER_FORMATS = (look.DECIMAL,) * 6 + (look.PERCENT, None)  # TW I-IV, s.d. TW, capaian
ISSUE_WIDTHS = {1: 150, 2: 90, 3: 60, 4: 90, 5: 110, 6: 420, 7: 300, 8: 100}
SCHEDULE_WIDTHS = {1: 70, 2: 380, 3: 180, 4: 110, 5: 260, 6: 100}
AUDIT_WIDTHS = {1: 140, 2: 150, 3: 90, 4: 60, 5: 160, 6: 200, 7: 200, 8: 200}


def band_rule(config: Config, rng: CellRange, counted_column: int | None = None) -> BandRule:
    """Capaian in `rng` coloured by the configured rating bands (presentation's colours);
    with `counted_column`, only on the rows that column says count."""
    return BandRule(rng, tuple(BandColor(s.min, s.fill, s.font)
                               for s in look.band_styles(config.rating)),
                    counted_column=counted_column, counted_text=glossary.YES)


def _header(sp: SheetPatch, row: int, headers: tuple[str, ...],
            widths: dict[int, int]) -> None:
    """A header row in white on blue, wrapped inside its columns, with the height its longest
    header needs (so the text never runs down over the first data row)."""
    sp.put_row(row, 1, list(headers))
    sp.formats.append((CellRange(row, 1, row, len(headers)), HEADER))
    sp.row_heights[row] = look.fitted_height(
        [(h, widths.get(c, 100)) for c, h in enumerate(headers, start=1)])


def _table(sp: SheetPatch, top: int, bottom: int, width: int,
           formats: dict[int, str | None], wrap: tuple[int, ...] = ()) -> None:
    """Number formats by column, wrapped text columns, and a filter over a table whose header
    is row `top` and whose data are rows top+1..bottom (none when bottom == top)."""
    sp.filter = CellRange(top, 1, max(bottom, top + 1), width)
    if bottom <= top:
        return
    # every cell top-aligned, as the wrapped ones are: a row reads as one line of text
    sp.formats.append((CellRange(top + 1, 1, bottom, width), Format(align="left")))
    for col, pattern in formats.items():
        if pattern == look.DECIMAL:
            _numbers(sp, col, top + 1, bottom)
        elif pattern:
            sp.formats.append((CellRange(top + 1, col, bottom, col),
                               Format(number_format=pattern, align="right")))
    for col in wrap:
        sp.formats.append((CellRange(top + 1, col, bottom, col), Format(wrap=True)))


def _numbers(sp: SheetPatch, col: int, first: int, last: int) -> None:
    """A column of numbers as typed: whole as a whole (`#,##0.##` shows 100 as "100," in
    Excel), decimals only on the runs of rows whose values have them."""
    sp.formats.append((CellRange(first, col, last, col),
                       Format(number_format=look.WHOLE, align="right")))
    values = [sp.values.get((row, col)) for row in range(first, last + 1)]
    for a, b in look.decimal_runs(values):
        sp.formats.append((CellRange(first + a, col, first + b, col),
                           Format(number_format=look.DECIMAL)))


def _fit_rows(sp: SheetPatch, top: int, bottom: int, widths: dict[int, int],
              wrap: tuple[int, ...]) -> None:
    """Heights for the rows top..bottom whose wrapped text needs more than one line."""
    for row in range(top, bottom + 1):
        texts = [(str(sp.values.get((row, c)) or ""), widths.get(c, 100)) for c in wrap]
        height = look.fitted_height(texts)
        if height > look.LINE_PX + 4:
            sp.row_heights[row] = height


def _print(config: Config, sp: SheetPatch, repeat: int, *, first: int = 1) -> None:
    sp.page_setup = look.page_setup(
        config.reports.paper, repeat_rows=repeat, repeat_from=first,
        footer=f"{sp.title} — {config.period.label}")


def office_facts(recap: Recap) -> list[tuple[str, Value, str | None]]:
    """The office mean on the Ringkasan, saying how many sections it covers."""
    o = recap.office
    if not o:
        return []
    mean = NO_MEAN if o["mean_capaian"] is None else o["mean_capaian"]
    return [("Rata-rata capaian kantor (%)", mean, look.PERCENT),
            ("Predikat kantor", o["rating"] or NO_MEAN, None),
            ("Bagian dalam rata-rata kantor",
             f"{o['sections_counted']} dari {o['sections_total']} bagian", None)]


def no_rating_text(reason: str) -> str:
    """The Predikat cell of a section without one: "— belum diserahkan". The status it is in
    stands in its own column (and the JSON keeps the whole reason)."""
    return f"{NO_MEAN} {reason.split(' (', 1)[0]}".strip()


def summary_sheet(config: Config, recap: Recap, now: datetime) -> SheetPatch:
    sp = SheetPatch(SHEET_SUMMARY, clear=True, index=0, frozen_rows=0, frozen_cols=0)
    headers = (*SUMMARY_HEADERS, TARGET_HEADER)
    width = len(headers)
    sp.values[(1, 1)] = f"REKAPITULASI DATA KINERJA {config.period.label.upper()}"
    sp.values[(2, 1)] = f"{config.office.name} — diperbarui {format_datetime_id(now)}"
    sp.merges += [CellRange(1, 1, 1, width), CellRange(2, 1, 2, width)]
    sp.formats.append((CellRange(1, 1, 1, 1), Format(bold=True, font_color=look.TITLE_FONT)))
    sp.formats.append((CellRange(2, 1, 2, 1), Format(italic=True)))
    sp.row_heights[1] = 28
    # Google cannot print: a ready PDF export of each sheet (landscape, one page wide)
    for n, title in enumerate(PDF_SHEETS):
        sp.pdf_links[(3, 1 + n)] = PdfLink(title, f"Unduh PDF {title}")

    s = recap.summaries
    rates = recap.completeness
    counted = [r.capaian for r in recap.rows if r.counts and r.capaian is not None]
    changes = [x.modified for x in s if x.modified]
    facts: list[tuple[str, Value, str | None]] = [
        ("Jumlah bagian", len(s), look.WHOLE),
        *((label, value, look.PERCENT if "%" in label else look.WHOLE)
          for label, value in completeness_facts(rates)),
        ("Terlambat", sum(x.late for x in s), look.WHOLE),
        ("Valid / disetujui", sum(x.status in {config.labels.status_valid,
                                                config.labels.status_approved} for x in s),
         look.WHOLE),
        (f"{glossary.SEVERITY[Severity.error]} terbuka", sum(x.errors for x in s), look.WHOLE),
        ("Peringatan terbuka", sum(x.warnings for x in s), look.WHOLE),
        *office_facts(recap),
        ("Indikator dihitung", len(counted), look.WHOLE),
        ("Perubahan terakhir", format_datetime_id(max(changes)) if changes else "-", None),
    ]
    sp.values[(4, 1)] = "Ringkasan"
    sp.formats.append((CellRange(4, 1, 4, 2), HEADER))
    for n, (label, value, pattern) in enumerate(facts):
        row = 5 + n
        sp.put_row(row, 1, [label, value])
        if pattern:
            sp.formats.append((CellRange.cell(row, 2), Format(number_format=pattern,
                                                                align="right")))
    # a long label wraps in its column (the table's codes below keep it narrow)
    sp.formats.append((CellRange(5, 1, 4 + len(facts), 1), Format(bold=True, wrap=True)))
    for n, (label, _value, _pattern) in enumerate(facts):
        height = look.fitted_height([(label, SUMMARY_WIDTHS[1])], bold=True)
        if height > look.LINE_PX + 4:
            sp.row_heights[5 + n] = height

    # indicators per predikat, coloured as the bands are everywhere
    ratings = Counter(r.rating for r in recap.rows)
    sp.put_row(4, 4, ["Predikat", "Indikator"])
    sp.formats.append((CellRange(4, 4, 4, 5), HEADER))
    styles = look.band_styles(config.rating)
    for n, style in enumerate(styles):
        row = 5 + n
        sp.put_row(row, 4, [style.label, ratings.get(style.label, 0)])
        sp.formats.append((CellRange(row, 4, row, 5), Format(fill=style.fill,
                                                               font_color=style.font)))
        sp.formats.append((CellRange.cell(row, 5), Format(number_format=look.WHOLE)))
    sp.put_row(5 + len(styles), 4, [NO_RATING, ratings.get("", 0)])

    top = 5 + max(len(facts), len(styles) + 1) + 1
    _header(sp, top, headers, SUMMARY_WIDTHS)
    bottom = top + len(s)
    for n, x in enumerate(s):
        row = top + 1 + n
        sp.put_row(row, 1, [
            x.section, x.name, x.head, x.status, x.filled, x.total, "Ya" if x.late else "",
            x.errors, x.warnings, NO_MEAN if x.mean_capaian is None else x.mean_capaian,
            x.rating or no_rating_text(x.no_mean_reason),
            x.modified.isoformat(sep=" ", timespec="minutes") if x.modified else "", None,
            *timeliness_cells(x.timeliness),
            round(x.filled / x.total * 100, 1) if x.total else None, TARGET_PERCENT])
        if x.url:
            del sp.values[(row, 13)]
            sp.links[(row, 13)] = Link(x.url, "Buka")
        if x.late:  # a colour no rating band uses, so "late" never reads as a predikat
            sp.formats.append((CellRange(row, 1, row, 9), Format(fill=LATE_FILL)))
    _table(sp, top, bottom, width, SUMMARY_FORMATS, wrap=(2, 3, 4, 11))
    _fit_rows(sp, top + 1, bottom, SUMMARY_WIDTHS, (2, 3, 4, 11))
    if s:
        sp.band_rules.append(band_rule(config, CellRange(top + 1, 10, bottom, 10)))
        # the charts start a printed page of their own: never split by a page break
        first = bottom + 2
        sp.page_breaks.append(first)
        sp.charts.append(Chart(
            "Rata-rata capaian per bagian (%)",
            categories=CellRange(top, 1, bottom, 1),  # the short section codes
            series=CellRange(top, 10, bottom, 10), anchor=(first, 2),
            target=CellRange(top, width, bottom, width)))
        sp.charts.append(Chart(
            "Indikator terisi per bagian (%)",
            categories=CellRange(top, 1, bottom, 1),
            series=CellRange(top, 16, bottom, 16),
            anchor=(first + CHART_HEIGHT_PX // look.LINE_PX + 2, 2)))
    sp.column_widths = dict(SUMMARY_WIDTHS)
    _print(config, sp, top, first=top)
    return sp


def indicators_sheet(config: Config, recap: Recap) -> SheetPatch:
    period = config.period.code
    sp = SheetPatch(SHEET_INDICATORS, clear=True, index=1, frozen_rows=1, frozen_cols=4)
    quarterly = any(r.quarters for r in recap.rows)
    headers = INDICATOR_HEADERS + (QUARTER_HEADERS if quarterly else ())
    widths = dict(INDICATOR_WIDTHS)
    formats: dict[int, str | None] = dict(INDICATOR_FORMATS)
    if quarterly:
        base = len(INDICATOR_HEADERS)
        for n, pattern in enumerate(QUARTER_FORMATS, start=base + 1):
            formats[n] = pattern
            widths[n] = 90
        widths[base + len(QUARTER_HEADERS)] = 220
    _header(sp, 1, headers, widths)
    sp.put_table(2, 1, [r.as_row(period) for r in recap.rows])
    bottom = 1 + len(recap.rows)
    wrap = (3, 5, 6, 12, 13, 19)
    _table(sp, 1, bottom, len(headers), formats, wrap)
    _fit_rows(sp, 2, bottom, widths, wrap)
    if recap.rows:
        counted = INDICATOR_HEADERS.index("Dihitung") + 1
        sp.band_rules.append(band_rule(config, CellRange(2, 10, bottom, 10), counted))
    sp.column_widths = widths
    _print(config, sp, 1)
    return sp


def issues_sheet(config: Config, recap: Recap) -> SheetPatch:
    sp = SheetPatch(SHEET_ISSUES, clear=True, index=2, frozen_rows=1, frozen_cols=1)
    _header(sp, 1, ISSUE_HEADERS, ISSUE_WIDTHS)
    open_issues = sorted(recap.issues, key=lambda i: (i.section, i.severity != Severity.error,
                                                      i.row or 0))
    sp.put_table(2, 1, [[i.section, SEVERITY_ID[i.severity], i.cell, i.indicator, i.column,
                         i.message, i.suggestion,
                         "Dikonfirmasi" if i.confirmed else "Terbuka"]
                        for i in open_issues])
    bottom = 1 + len(open_issues)
    _table(sp, 1, bottom, len(ISSUE_HEADERS), {}, wrap=(1, 5, 6, 7))
    _fit_rows(sp, 2, bottom, ISSUE_WIDTHS, (1, 5, 6, 7))
    sp.column_widths = dict(ISSUE_WIDTHS)
    _print(config, sp, 1)
    return sp


def schedule_sheet(config: Config, schedule: list[SopStep], now: datetime) -> SheetPatch:
    sp = SheetPatch(SHEET_SCHEDULE, clear=True, index=3, frozen_rows=2, frozen_cols=0)
    sp.values[(1, 1)] = (f"Surat Sekda: {config.opening.letter_number or '-'} tanggal "
                         f"{config.opening.letter_date or '-'}")
    sp.formats.append((CellRange.cell(1, 1), Format(bold=True)))
    _header(sp, 2, SCHEDULE_HEADERS, SCHEDULE_WIDTHS)
    for n, step in enumerate(schedule):
        state = "-" if step.due is None else ("Lewat batas" if now > step.due else "Berjalan")
        sp.put_row(3 + n, 1, [step.number, step.activity, step.actor, step.standard,
                              format_datetime_id(step.due), state])
    bottom = 2 + len(schedule)
    if schedule:
        sp.formats.append((CellRange(3, 1, bottom, len(SCHEDULE_HEADERS)), Format(wrap=True)))
    _fit_rows(sp, 3, bottom, SCHEDULE_WIDTHS, (2, 3, 4, 5))
    sp.column_widths = dict(SCHEDULE_WIDTHS)
    _print(config, sp, 2, first=2)
    return sp


def recap_patch(config: Config, recap: Recap, schedule: list[SopStep], now: datetime,
                audit_rows: list[list[Value]], *, with_audit_header: bool,
                audited: dict[str, str],
                hand_ins: dict[str, str] | None = None) -> WorkbookPatch:
    """`hand_ins`: per section, the first hand-in record the recap keeps (domain/handin_records.py)."""
    audit = SheetPatch(SHEET_AUDIT, index=4)
    if with_audit_header:
        _header(audit, 1, AUDIT_HEADERS, AUDIT_WIDTHS)
        audit.frozen_rows = 1
        audit.column_widths = dict(AUDIT_WIDTHS)
        _print(config, audit, 1)
    audit.append_rows = audit_rows
    state = SheetPatch(SHEET_AUDITED, clear=True, hidden=True, index=5)
    kept = hand_ins or {}
    state.put_table(1, 1, [[s, audited.get(s), kept.get(s)]
                           for s in sorted(set(audited) | set(kept))])
    # id_ID: thousands '.', decimals ',' on Google, as the office reads numbers
    return WorkbookPatch(sheets=[summary_sheet(config, recap, now),
                                 indicators_sheet(config, recap),
                                 issues_sheet(config, recap),
                                 schedule_sheet(config, schedule, now), audit, state],
                         locale="id_ID")
