"""Trends across periods: what each period ended with, side by side (the recap's Tren sheet).

Every period's recap is the record of what that period ended with (per indicator: target,
realisasi, capaian, predikat; per section: mean capaian, predikat, hand-in time). The Tren
sheet puts the last periods of the same kind next to the current one, with the change
against the previous period and against the same period a year earlier. A period with no
recap and nothing in the office's `history_file` is shown as missing, never as zero.

Pure: the flow (`flows/trends.py`) reads the earlier recaps and hands their grids in here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sheets_sync.domain import averages
from sheets_sync.domain import capaian as cap
from sheets_sync.domain import presentation as look
from sheets_sync.domain.models import Config
from sheets_sync.domain.patch import CHART_HEIGHT_PX, CellRange, Chart, Format, SheetPatch, Value
from sheets_sync.domain.period import Period, PeriodKind
from sheets_sync.domain.recap import Recap
from sheets_sync.domain.recap_layout import band_rule
from sheets_sync.domain.rules.history import History
from sheets_sync.domain.tables import cell, rows_below_header
from sheets_sync.domain.worksheet import HEADER_FILL

SHEET_TRENDS = "Tren"
TREND_CACHE = "_tren"  # hidden sheet of the recap: the earlier periods as read
MISSING = "—"  # no record of this period
# How many periods the Tren sheet shows, current included: two years of quarters, thirteen
# months (so the same month a year earlier is in view: the change against last year needs
# it), five years. A window no longer than a year would never show that change.
LENGTH = {PeriodKind.quarterly: 8, PeriodKind.monthly: 13, PeriodKind.annual: 5}
PER_YEAR = {PeriodKind.quarterly: 4, PeriodKind.monthly: 12, PeriodKind.annual: 1}
MAX_CHARTS = 30  # a line chart per section up to this many sections; beyond, the office's
CACHE_HEADERS = ("Periode", "Jenis", "Kode", "Capaian (%)", "Predikat", "Sumber")
SOURCE_RECAP, SOURCE_FILE = "rekap", "berkas riwayat"
POINTS = '+0.0;-0.0;0'  # a change in percentage points, signed


@dataclass
class PeriodResult:
    """What one period ended with: capaian per indicator and per section (None: not known)."""

    period: str
    source: str = SOURCE_RECAP
    indicators: dict[str, float | None] = field(default_factory=dict)
    sections: dict[str, float | None] = field(default_factory=dict)
    ratings: dict[str, str] = field(default_factory=dict)  # section -> predikat


def window(period: Period, length: int | None = None) -> list[Period]:
    """The periods the Tren sheet shows, oldest first, ending with `period`."""
    out = [period]
    for _ in range((length or LENGTH[period.kind]) - 1):
        out.insert(0, out[0].previous())
    return out


def year_before(period: Period) -> Period:
    p = period
    for _ in range(PER_YEAR[period.kind]):
        p = p.previous()
    return p


# --------------------------------------------------------------------------- reading records

def _number(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def from_recap_grids(period: str, indicators: list[list[Any]] | None,
                     summary: list[list[Any]] | None) -> PeriodResult:
    """A period's result from its recap's Rekap Indikator and Ringkasan sheets (columns found
    by their header text, so an older or restyled recap still reads)."""
    out = PeriodResult(period)
    cols, rows = rows_below_header(indicators, "Kode", "Capaian (%)")
    for row in rows:
        code = cell(cols, row, "Kode")
        if code not in (None, ""):
            out.indicators[str(code)] = _number(cell(cols, row, "Capaian (%)"))
    cols, rows = rows_below_header(summary, "Kode Bagian", "Rata-rata Capaian (%)")
    for row in rows:
        sid = cell(cols, row, "Kode Bagian")
        if sid in (None, ""):
            continue
        out.sections[str(sid)] = _number(cell(cols, row, "Rata-rata Capaian (%)"))
        if rating := cell(cols, row, "Predikat"):
            out.ratings[str(sid)] = str(rating)
    return out


def from_history(config: Config, history: History, period: str) -> PeriodResult | None:
    """A period the office recorded in its `history_file` (realisasi only): capaian against
    the configured target, section means over those values."""
    values = history.realisasi.get(period)
    if not values:
        return None
    out = PeriodResult(period, source=SOURCE_FILE)
    per_section: dict[str, list[float]] = {}
    for ind in config.indicators:
        if ind.code in values:
            c = cap.for_indicator(ind, values[ind.code]).value
            out.indicators[ind.code] = c
            if c is not None:
                per_section.setdefault(ind.section, []).append(c)
    for sid, cs in per_section.items():  # the sections' own rule: capped, as the recap's
        out.sections[sid] = averages.mean_of(cs, config.rekap.batas_capaian).value
        out.ratings[sid] = cap.rate(out.sections[sid], config.rating)
    return out


def current(config: Config, recap: Recap) -> PeriodResult:
    out = PeriodResult(config.period.code)
    for r in recap.rows:
        out.indicators[r.code] = r.capaian if r.counts else None
    for s in recap.summaries:
        out.sections[s.section] = s.mean_capaian
        if s.rating:
            out.ratings[s.section] = s.rating
    return out


# --------------------------------------------------------------------------- the cache sheet

def cache_patch(results: list[PeriodResult]) -> SheetPatch:
    sheet = SheetPatch(TREND_CACHE, clear=True, hidden=True)
    rows: list[list[Value]] = [list(CACHE_HEADERS)]
    for res in results:
        rows.append([res.period, "periode", "", None, "", res.source])  # read, even if empty
        rows += [[res.period, "indikator", k, v, "", res.source] for k, v in res.indicators.items()]
        rows += [[res.period, "bagian", k, v, res.ratings.get(k, ""), res.source]
                 for k, v in res.sections.items()]
    sheet.put_table(1, 1, rows)
    return sheet


def from_cache(grid: list[list[Any]] | None) -> list[PeriodResult]:
    found: dict[str, PeriodResult] = {}
    for row in (grid or [])[1:]:
        row = [*row, None, None, None, None, None, None][:6]
        period, kind, key, value, rating, source = row
        if not period:
            continue
        res = found.setdefault(str(period), PeriodResult(str(period), str(source or SOURCE_RECAP)))
        if kind == "indikator":
            res.indicators[str(key)] = _number(value)
        elif kind == "bagian":
            res.sections[str(key)] = _number(value)
            if rating:
                res.ratings[str(key)] = str(rating)
    return list(found.values())


# --------------------------------------------------------------------------- the Tren sheet

def changes(values: list[float | None], per_year: int) -> list[Value]:
    """Change (percentage points) against the previous period and a year earlier."""
    now = values[-1]
    prev = values[-2] if len(values) >= 2 else None
    year = values[-1 - per_year] if len(values) > per_year else None
    return [round(now - prev, 2) if now is not None and prev is not None else MISSING,
            round(now - year, 2) if now is not None and year is not None else MISSING]


def trend_sheet(config: Config, periods: list[Period],
                results: dict[str, PeriodResult]) -> SheetPatch:
    """Per section, then per indicator: capaian in each period, and the changes. A line chart
    per section (up to MAX_CHARTS sections) reads from a small table of section means."""
    per_year = PER_YEAR[config.period.kind]
    labels = [p.label for p in periods]
    change = ["Perubahan thd Periode Lalu (poin)", "Perubahan thd Tahun Lalu (poin)"]
    sp = SheetPatch(SHEET_TRENDS, clear=True, frozen_rows=2)
    sp.values[(1, 1)] = (f"Tren capaian (%) {labels[0]} s.d. {labels[-1]}; '{MISSING}' = "
                         "periode tanpa data")
    sp.formats.append((CellRange.cell(1, 1), Format(bold=True)))
    width = 3 + len(periods) + 2
    head = ["Kode Bagian", "Bagian", "", *labels, *change]
    sp.put_row(2, 1, head)
    row = 3
    section_values: dict[str, list[float | None]] = {}
    for s in config.sections:
        values = [results[p.code].sections.get(s.id) if p.code in results else None
                  for p in periods]
        section_values[s.id] = values
        sp.put_row(row, 1, [s.id, s.name, "", *_cells(values), *changes(values, per_year)])
        row += 1
    row += 1
    sp.put_row(row, 1, ["Kode Bagian", "Kode", "Indikator", *labels, *change])
    header_rows = [2, row]
    row += 1
    for ind in config.indicators:
        values = [results[p.code].indicators.get(ind.code) if p.code in results else None
                  for p in periods]
        sp.put_row(row, 1, [ind.section, ind.code, ind.name, *_cells(values),
                            *changes(values, per_year)])
        row += 1
    for r in header_rows:
        sp.formats.append((CellRange(r, 1, r, width),
                           Format(bold=True, fill=HEADER_FILL, font_color="#FFFFFF", wrap=True,
                                  align="center")))
    sp.column_widths = {1: 130, 2: 260, 3: 260, **{c: 95 for c in range(4, width + 1)}}
    n = len(periods)
    for top, bottom in ((3, 2 + len(config.sections)), (header_rows[1] + 1, row - 1)):
        if bottom >= top:  # capaian as percentages coloured by band; changes in points
            sp.formats.append((CellRange(top, 4, bottom, 3 + n),
                               Format(number_format=look.PERCENT, align="right")))
            sp.formats.append((CellRange(top, 4 + n, bottom, 5 + n),
                               Format(number_format=POINTS, align="right")))
            sp.band_rules.append(band_rule(config, CellRange(top, 4, bottom, 3 + n)))
    sp.row_heights.update({r: 52 for r in header_rows})  # three lines of a wrapped header
    widths = sp.column_widths
    blocks = [*range(3, header_rows[1] - 1), *range(header_rows[1] + 1, row)]
    for r in blocks:  # a long section or indicator name wraps, never cut
        texts = [(str(sp.values.get((r, c)) or ""), widths[c]) for c in (2, 3)]
        if any(look.lines_needed(t, w) > 1 for t, w in texts):
            sp.row_heights[r] = look.fitted_height(texts)
    sp.formats.append((CellRange(3, 1, row, 3), Format(wrap=True)))  # top-aligned, as the rest
    sp.page_setup = look.page_setup(config.reports.paper, repeat_rows=2,
                                    footer=f"{SHEET_TRENDS} — {config.period.label}")
    _charts(sp, config, periods, section_values, row + 2)
    return sp


def _cells(values: list[float | None]) -> list[Value]:
    return [MISSING if v is None else v for v in values]


def _charts(sp: SheetPatch, config: Config, periods: list[Period],
            section_values: dict[str, list[float | None]], top: int) -> None:
    """The chart data (periods down, sections across: a missing period is a gap in the
    line) and one line chart per section below it."""
    sections = config.sections[:MAX_CHARTS]
    sp.values[(top, 1)] = "Data grafik (rata-rata capaian per bagian)"
    sp.formats.append((CellRange.cell(top, 1), Format(bold=True)))
    sp.put_row(top + 1, 1, ["Periode", *[s.id for s in sections]])
    for i, p in enumerate(periods):
        sp.put_row(top + 2 + i, 1, [p.label, *[section_values[s.id][i] for s in sections]])
    last = top + 1 + len(periods)
    if sections:
        sp.formats.append((CellRange(top + 2, 2, last, 1 + len(sections)),
                           Format(number_format=look.PERCENT, align="right")))
    # Two charts side by side, two such rows a printed page; each page of charts starts at a
    # page break, so a chart never straddles one (the repeated header sits above them).
    pair_rows = CHART_HEIGHT_PX // look.LINE_PX + 3
    first = last + 2
    for n, s in enumerate(sections):
        col = n + 2
        pair, page = n // 2, n // 4
        row = first + pair * pair_rows + page  # one spare row after each break
        if n % 4 == 0:
            sp.page_breaks.append(row)
        sp.charts.append(Chart(
            title=f"{s.name}: rata-rata capaian (%)",
            categories=CellRange(top + 1, 1, last, 1),
            series=CellRange(top + 1, col, last, col),
            anchor=(row + 1, 1 + (n % 2) * 5), kind="line"))


def trend_sheets(config: Config, recap: Recap, earlier: list[PeriodResult]) -> list[SheetPatch]:
    """The Tren sheet and its cache: the earlier periods' results and this one's (no I/O)."""
    results = {r.period: r for r in earlier}
    results[config.period.code] = current(config, recap)
    return [trend_sheet(config, window(config.period), results), cache_patch(earlier)]
