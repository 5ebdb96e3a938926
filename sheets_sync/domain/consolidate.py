"""A recap of recaps: each office's (OPD's) recap read as it is, rolled up for a province.

Every figure comes from the source's own recap sheets (found by their header text, so a
restyled or older recap still reads): its sections from Ringkasan, its indicator values and
whether each counts from Rekap Indikator, its units from Rekap Unit, its earlier periods from
the hidden `_tren` record. An OPD's mean follows the office's own rule (`domain.averages`:
the mean of its sections' means, each capped there, over the sections that handed in), so the
province shows every office with the figure its own recap shows; the province's mean is the
mean over all those sections, as a unit's is over the sections below it.
Pure: the flow reads, this computes and lays out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sheets_sync.domain import averages, glossary
from sheets_sync.domain import capaian as cap
from sheets_sync.domain import presentation as look
from sheets_sync.domain.models import Config
from sheets_sync.domain.patch import CellRange, Chart, Format, Link, SheetPatch, Value
from sheets_sync.domain.period import Period
from sheets_sync.domain.recap import SHEET_INDICATORS, SHEET_SUMMARY
from sheets_sync.domain.recap_layout import TARGET_HEADER, TARGET_PERCENT, band_rule
from sheets_sync.domain.tables import cell, rows_below_header
from sheets_sync.domain.trends import MISSING, TREND_CACHE, from_cache, window
from sheets_sync.domain.units import SHEET_UNITS
from sheets_sync.domain.worksheet import HEADER_FILL

SOURCE_SHEETS = (SHEET_SUMMARY, SHEET_INDICATORS, SHEET_UNITS, TREND_CACHE)  # one read
SHEET_OPD = "Rekap OPD"
SHEET_OPD_UNITS = "Rekap Unit OPD"
SHEET_OPD_TRENDS = "Tren OPD"
OPD_HEADERS = ("OPD", "Keadaan Sumber", "Bagian", "Sudah Menyerahkan", "Tepat Waktu",
               "Indikator Terisi", "Jumlah Indikator", "Nilai Dihitung",
               "Rata-rata Capaian (%)", "Predikat", "Rekap OPD")


@dataclass
class SourceFigures:
    """One OPD as its recap says; `problem` names why it could not be read (then no figures)."""

    name: str
    url: str = ""
    problem: str = ""
    sections: int = 0
    handed_in: int = 0
    on_time: int = 0
    filled: int = 0
    total: int = 0
    capaians: list[float] = field(default_factory=list)  # indicator values that count
    means: list[float] = field(default_factory=list)  # the section means (capped there)
    bands: dict[str, int] = field(default_factory=dict)
    units: list[list[Value]] = field(default_factory=list)  # its Rekap Unit rows as they are
    unit_header: list[Value] = field(default_factory=list)
    trend: dict[str, float | None] = field(default_factory=dict)  # period -> mean

    @property
    def mean(self) -> float | None:
        return _mean(self.means)


def _mean(values: list[float]) -> float | None:
    """The mean of means already capped by their office: no second cap."""
    return averages.mean_of(values, None).value


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def read_source(name: str, url: str, grids: dict[str, list[list[Any]]],
                period: str) -> SourceFigures:
    """An OPD's figures from its recap's sheets (see module doc)."""
    out = SourceFigures(name, url)
    cols, rows = rows_below_header(grids.get(SHEET_SUMMARY), "Kode Bagian", "Terisi")
    if not cols:
        out.problem = f"lembar '{SHEET_SUMMARY}' tidak ditemukan di rekapnya"
        return out
    for row in rows:
        if cell(cols, row, "Kode Bagian") in (None, ""):
            continue
        out.sections += 1
        out.filled += int(_num(cell(cols, row, "Terisi")) or 0)
        out.total += int(_num(cell(cols, row, "Jumlah Indikator")) or 0)
        if (mean := _num(cell(cols, row, "Rata-rata Capaian (%)"))) is not None:
            out.means.append(mean)
        if cell(cols, row, glossary.HANDED_IN_AT) not in (None, ""):
            out.handed_in += 1
            out.on_time += cell(cols, row, "Tepat Waktu") == glossary.YES
    cols, rows = rows_below_header(grids.get(SHEET_INDICATORS), "Kode", "Capaian (%)")
    for row in rows:
        value = _num(cell(cols, row, "Capaian (%)"))
        if value is not None and cell(cols, row, "Dihitung") == glossary.YES:
            out.capaians.append(value)
            rating = str(cell(cols, row, "Predikat") or "")
            out.bands[rating] = out.bands.get(rating, 0) + 1
    out.trend[period] = out.mean
    for earlier in from_cache(grids.get(TREND_CACHE)):
        out.trend[earlier.period] = _mean([v for v in earlier.sections.values()
                                           if v is not None])
    unit_grid = grids.get(SHEET_UNITS) or []
    if unit_grid:
        out.unit_header, out.units = list(unit_grid[0]), [list(r) for r in unit_grid[1:] if r]
    return out


def province_sheets(config: Config, sources: list[SourceFigures]) -> list[SheetPatch]:
    return [_opd_sheet(config, sources), _units_sheet(config, sources),
            _trend_sheet(config, sources)]


def _header(sp: SheetPatch, row: int, cells: list[Value]) -> None:
    sp.put_row(row, 1, cells)
    sp.formats.append((CellRange(row, 1, row, len(cells)),
                       Format(bold=True, fill=HEADER_FILL, font_color="#FFFFFF", wrap=True,
                              align="center")))
    sp.row_heights[row] = 52  # three lines of a wrapped header


def _paper(config: Config, sp: SheetPatch) -> None:
    sp.page_setup = look.page_setup(config.reports.paper, repeat_rows=1,
                                    footer=f"{sp.title} — {config.period.label}")


def _opd_sheet(config: Config, sources: list[SourceFigures]) -> SheetPatch:
    bands = [b.label for b in config.rating.bands]
    headers = [*OPD_HEADERS, *bands, TARGET_HEADER]
    target_col = len(headers)
    sp = SheetPatch(SHEET_OPD, clear=True, frozen_rows=1, index=0)
    _header(sp, 1, headers)
    every: list[float] = []
    row = 2
    for s in sources:
        every += s.means
        state = s.problem or "terbaca"
        sp.put_row(row, 1, [s.name, state, s.sections, s.handed_in, s.on_time, s.filled,
                            s.total, len(s.capaians), s.mean if s.mean is not None else MISSING,
                            cap.rate(s.mean, config.rating), None,
                            *[s.bands.get(b, 0) for b in bands], TARGET_PERCENT])
        if s.url:  # the link as a short label, as in the recap
            sp.links[(row, 11)] = Link(s.url, "Buka")
        if s.problem:
            sp.formats.append((CellRange(row, 2, row, 2), Format(fill=look.SUBTLE_FILL,
                                                                 bold=True, wrap=True)))
        row += 1
    read = [s for s in sources if not s.problem]
    mean = _mean(every)
    sp.put_row(row, 1, [f"Provinsi ({len(read)} dari {len(sources)} OPD terbaca)", "",
                        *[sum(getattr(s, k) for s in read)
                          for k in ("sections", "handed_in", "on_time", "filled", "total")],
                        sum(len(s.capaians) for s in read),
                        mean if mean is not None else MISSING,
                        cap.rate(mean, config.rating), "",
                        *[sum(s.bands.get(b, 0) for s in read) for b in bands]])
    sp.formats.append((CellRange(row, 1, row, len(headers)), Format(bold=True, wrap=True)))
    sp.column_widths = {1: 260, 2: 160, **{c: 84 for c in range(3, target_col + 1)}, 10: 110}
    sp.formats.append((CellRange(2, 2, row, 2), Format(wrap=True)))
    sp.formats.append((CellRange(2, 3, row, 8), Format(number_format=look.WHOLE)))
    sp.formats.append((CellRange(2, 9, row, 9), Format(number_format=look.PERCENT,
                                                       align="right")))
    sp.formats.append((CellRange(2, 12, row, target_col), Format(number_format=look.WHOLE)))
    sp.band_rules.append(band_rule(config, CellRange(2, 9, row, 9)))
    for n, style in enumerate(look.band_styles(config.rating)):  # band columns in their colour
        sp.formats.append((CellRange.cell(1, 12 + n), Format(fill=style.fill,
                                                             font_color=style.font)))
    _paper(config, sp)
    if sources:  # the chart starts a printed page of its own: never split by a page break
        first = row + 2
        sp.page_breaks.append(first)
        sp.charts.append(Chart(
            title="Rata-rata capaian (%) per OPD", categories=CellRange(1, 1, row - 1, 1),
            series=CellRange(1, 9, row - 1, 9), anchor=(first + 1, 1),
            target=CellRange(1, target_col, row - 1, target_col)))
    return sp


def _units_sheet(config: Config, sources: list[SourceFigures]) -> SheetPatch:
    """Each OPD's line, then its own Rekap Unit rows one level deeper (folded per OPD)."""
    sp = SheetPatch(SHEET_OPD_UNITS, clear=True, frozen_rows=1, index=1)
    header = next((s.unit_header for s in sources if s.unit_header), [])
    _header(sp, 1, ["OPD", *header])
    row = 2
    for s in sources:
        sp.put_row(row, 1, [s.name])
        sp.formats.append((CellRange(row, 1, row, 1), Format(bold=True)))
        row += 1
        for unit_row in s.units:
            sp.put_row(row, 2, unit_row)
            level = _num(unit_row[1]) if len(unit_row) > 1 else None
            sp.row_outline[row] = min(7, 1 + int(level or 1))
            row += 1
    width = len(header) + 1
    sp.column_widths = {1: 200, 2: 300, 3: 55, 4: 220, **{c: 84 for c in range(5, width + 1)}}
    mean_col = next((n + 2 for n, h in enumerate(header) if str(h).startswith("Rata-rata")), 0)
    if row > 2 and mean_col:
        sp.formats.append((CellRange(2, 3, row - 1, width), Format(number_format=look.WHOLE)))
        sp.formats.append((CellRange(2, mean_col, row - 1, mean_col),
                           Format(number_format=look.PERCENT, align="right")))
        sp.band_rules.append(band_rule(config, CellRange(2, mean_col, row - 1, mean_col)))
    _paper(config, sp)
    return sp


def _trend_sheet(config: Config, sources: list[SourceFigures]) -> SheetPatch:
    periods: list[Period] = window(config.period)
    sp = SheetPatch(SHEET_OPD_TRENDS, clear=True, frozen_rows=1, index=2)
    _header(sp, 1, ["OPD", *[p.label for p in periods]])
    for n, s in enumerate(sources, start=2):
        values = [s.trend.get(p.code) for p in periods]
        sp.put_row(n, 1, [s.name, *[MISSING if v is None else v for v in values]])
    last = 1 + len(sources)
    if sources:
        rng = CellRange(2, 2, last, 1 + len(periods))
        sp.formats.append((rng, Format(number_format=look.PERCENT, align="right")))
        sp.band_rules.append(band_rule(config, rng))
    sp.column_widths = {1: 300, **{c: 95 for c in range(2, len(periods) + 2)}}
    _paper(config, sp)
    return sp


def consolidate_json(config: Config, sources: list[SourceFigures]) -> dict[str, Any]:
    return {"sources": [{"name": s.name, "url": s.url, "problem": s.problem or None,
                         "sections": s.sections, "handed_in": s.handed_in,
                         "on_time": s.on_time, "filled": s.filled, "total": s.total,
                         "counted": len(s.capaians), "mean_capaian": s.mean,
                         "rating": cap.rate(s.mean, config.rating) or None,
                         "trend": s.trend} for s in sources]}
