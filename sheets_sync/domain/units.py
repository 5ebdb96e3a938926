"""Organisation units: every recap figure rolled up the tree (Rekap Unit). Pure.

A unit's figures are those of every section below it, at any depth: sections expected,
handed in and on time, indicators filled, the values that count and how many fall in each
rating band, and the mean capaian by the office's rule (`domain.averages`: the mean of the
means of the sections that have one, each already capped), so the top unit's mean is the
office's and a section that has not handed in lifts or lowers nothing. A parent's counts are
the sums of what lies below it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sheets_sync.domain import averages
from sheets_sync.domain import capaian as cap
from sheets_sync.domain import presentation as look
from sheets_sync.domain.models import Config, Unit
from sheets_sync.domain.patch import CellRange, Format, SheetPatch, Value
from sheets_sync.domain.recap import Recap, RecapRow, SectionSummary
from sheets_sync.domain.recap_layout import band_rule
from sheets_sync.domain.unit_tree import empty_units
from sheets_sync.domain.worksheet import HEADER_FILL

SHEET_UNITS = "Rekap Unit"
UNIT_HEADERS = ("Unit / Bagian", "Tingkat", "Kepala", "Bagian", "Sudah Menyerahkan",
                "Tepat Waktu", "Indikator Terisi", "Jumlah Indikator", "Nilai Dihitung",
                "Rata-rata Capaian (%)", "Predikat")
NO_MEAN = "—"  # no value counts below this unit yet


@dataclass
class UnitFigures:
    id: str
    name: str
    head: str
    parent: str | None
    depth: int  # 0 for a top unit
    sections: int = 0
    handed_in: int = 0
    on_time: int = 0
    filled: int = 0
    total: int = 0
    capaians: list[float] = field(default_factory=list)  # the values that count, below
    means: list[float] = field(default_factory=list)  # the section means below (capped)
    bands: dict[str, int] = field(default_factory=dict)  # predikat -> values in that band
    mean_capaian: float | None = None
    rating: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "parent": self.parent, "depth": self.depth,
                "sections": self.sections, "handed_in": self.handed_in,
                "on_time": self.on_time, "filled": self.filled, "total": self.total,
                "counted": len(self.capaians), "sections_counted": len(self.means),
                "mean_capaian": self.mean_capaian,
                "rating": self.rating or None, "bands": self.bands}


def tree_order(units: list[Unit]) -> list[tuple[Unit, int]]:
    """Units depth first (a parent before its children, siblings in config order)."""
    children: dict[str | None, list[Unit]] = {}
    for u in units:
        children.setdefault(u.parent, []).append(u)
    out: list[tuple[Unit, int]] = []

    def walk(parent: str | None, depth: int) -> None:
        for u in children.get(parent, []):
            out.append((u, depth))
            walk(u.id, depth + 1)

    walk(None, 0)
    return out


def ancestors(config: Config, unit_id: str | None) -> list[str]:
    """`unit_id` and every unit above it."""
    parents = {u.id: u.parent for u in config.units}
    chain = []
    while unit_id is not None:
        chain.append(unit_id)
        unit_id = parents.get(unit_id)
    return chain


def subtree_sections(config: Config, unit_id: str) -> list[str]:
    """Ids of the sections at any depth below `unit_id` (sync export --unit)."""
    return [s.id for s in config.sections if unit_id in ancestors(config, s.unit)]


def roll_up(config: Config, recap: Recap) -> list[UnitFigures]:
    """One `UnitFigures` per unit, in tree order; empty without `units:`."""
    if not config.units:
        return []
    figures = {u.id: UnitFigures(u.id, u.name, u.head, u.parent, depth)
               for u, depth in tree_order(config.units)}
    unit_of = {s.id: s.unit for s in config.sections}
    rows_of = _rows_by_section(recap)
    for s in recap.summaries:
        for uid in ancestors(config, unit_of.get(s.section)):
            _add(figures[uid], s, rows_of.get(s.section, []))
    for f in figures.values():
        f.mean_capaian = averages.mean_of(f.means, config.rekap.batas_capaian).value
        f.rating = cap.rate(f.mean_capaian, config.rating)
    return list(figures.values())


def _add(f: UnitFigures, s: SectionSummary, rows: list[RecapRow]) -> None:
    f.sections += 1
    if s.timeliness is not None and s.timeliness.handed_in:
        f.handed_in += 1
        f.on_time += bool(s.timeliness.on_time)
    f.filled += s.filled
    f.total += s.total
    if s.mean_capaian is not None:
        f.means.append(s.mean_capaian)
    f.capaians += [r.capaian for r in rows if r.counts and r.capaian is not None]
    for rating, n in _by_band(rows).items():
        f.bands[rating] = f.bands.get(rating, 0) + n


def _rows_by_section(recap: Recap) -> dict[str, list[RecapRow]]:
    rows_of: dict[str, list[RecapRow]] = {}
    for r in recap.rows:
        rows_of.setdefault(r.section, []).append(r)
    return rows_of


def _by_band(rows: list[RecapRow]) -> dict[str, int]:
    """How many of `rows`' values that count fall in each band (predikat)."""
    out: dict[str, int] = {}
    for r in rows:
        if r.counts and r.capaian is not None:
            out[r.rating] = out.get(r.rating, 0) + 1
    return out


def empty_unit_warnings(config: Config) -> list[str]:
    """Units with no section below them: loads, but is most likely a mistake."""
    return [f"unit '{u}' di 'units' tidak punya satu bagian pun di bawahnya; isikan "
            f"'unit: {u}' pada bagiannya, atau hapus unit itu."
            for u in empty_units([(u.id, u.parent) for u in config.units],
                                 [(s.id, s.unit) for s in config.sections])]


def units_sheet(config: Config, recap: Recap, figures: list[UnitFigures]) -> SheetPatch:
    """The Rekap Unit sheet: each unit, then what lies below it, folded by outline levels
    (a Kepala Bagian opens their Bagian's line; the office folds the tree to its top)."""
    bands = [b.label for b in config.rating.bands]
    headers = [*UNIT_HEADERS, *bands]
    sp = SheetPatch(SHEET_UNITS, clear=True, frozen_rows=1, index=1)
    sp.put_row(1, 1, list(headers))
    sp.formats.append((CellRange(1, 1, 1, len(headers)),
                       Format(bold=True, fill=HEADER_FILL, font_color="#FFFFFF", wrap=True,
                              align="center")))
    summaries = {s.section: s for s in recap.summaries}
    rows_of = _rows_by_section(recap)
    by_unit: dict[str, list[str]] = {}
    for s in config.sections:
        by_unit.setdefault(s.unit or "", []).append(s.id)
    lines: list[tuple[list[Value], bool]] = []  # each row's cells, and whether a unit's
    outline: list[int] = []
    for f in figures:
        lines.append((_unit_cells(f, bands), True))
        outline.append(f.depth)
        for sid in by_unit.get(f.id, []):
            lines.append((_section_cells(summaries[sid], f.depth + 1,
                                         _by_band(rows_of.get(sid, [])), bands), False))
            outline.append(f.depth + 1)
    widths = _widths(headers, lines)
    sp.column_widths = widths
    sp.row_heights[1] = look.fitted_height([(h, widths[c]) for c, h in enumerate(headers, 1)],
                                           bold=True)
    for row, ((cells, unit), depth) in enumerate(zip(lines, outline, strict=True), start=2):
        sp.put_row(row, 1, cells)
        if unit:
            sp.formats.append((CellRange(row, 1, row, len(headers)), Format(bold=True)))
        if depth:
            sp.row_outline[row] = min(depth, 7)
        # a long unit name or head wraps inside its column, in a row tall enough for it
        texts = [(str(cells[c - 1]), widths[c]) for c in WRAPPED]
        if any(look.lines_needed(t, w, bold=unit) > 1 for t, w in texts):
            sp.row_heights[row] = look.fitted_height(texts, bold=unit)
    if lines:
        for c in WRAPPED:
            sp.formats.append((CellRange(2, c, len(lines) + 1, c), Format(wrap=True)))
    _look(config, sp, len(lines) + 1, len(headers))
    return sp


WRAPPED = (1, 3)  # the unit or section's name, its head
WIDEST = {1: 440, 3: 440}  # beyond these, a name wraps


def _widths(headers: list[str], lines: list[tuple[list[Value], bool]]) -> dict[int, int]:
    """Each column as wide as its longest text (names and heads up to WIDEST, then they
    wrap; a count or a bold predikat such as "Sangat Tinggi" up to 180), and never narrower
    than the longest word of its header (no word broken)."""
    out = {}
    for c, header in enumerate(headers, start=1):
        word = max(look.text_px(w, bold=True) for w in header.split())
        longest = max([look.text_px(str(cells[c - 1]), bold=unit) for cells, unit in lines
                       if c <= len(cells)] or [0])
        least = 160 if c in WIDEST else 55 if c == 2 else 78
        out[c] = max(word, min(longest, WIDEST.get(c, 180)), least)
    return out


def _look(config: Config, sp: SheetPatch, bottom: int, width: int) -> None:
    """Counts as whole numbers, the mean as a percentage coloured by its band, the band
    columns headed in their colours, and a print setup like the recap's other sheets."""
    if bottom >= 2:
        # top-aligned like the names beside them, which may wrap
        sp.formats.append((CellRange(2, 2, bottom, 2), Format(align="center")))
        sp.formats.append((CellRange(2, 3, bottom, 3), Format(align="left")))
        sp.formats.append((CellRange(2, 4, bottom, 9),
                           Format(number_format=look.WHOLE, align="right")))
        sp.formats.append((CellRange(2, 10, bottom, 10),
                           Format(number_format=look.PERCENT, align="right")))
        sp.formats.append((CellRange(2, 11, bottom, 11), Format(align="left")))
        sp.formats.append((CellRange(2, 12, bottom, width),
                           Format(number_format=look.WHOLE, align="right")))
        sp.band_rules.append(band_rule(config, CellRange(2, 10, bottom, 10)))
    for n, style in enumerate(look.band_styles(config.rating)):
        sp.formats.append((CellRange.cell(1, 12 + n), Format(fill=style.fill,
                                                             font_color=style.font)))
    sp.page_setup = look.page_setup(config.reports.paper, repeat_rows=1,
                                    footer=f"{SHEET_UNITS} — {config.period.label}")


def _mean_cell(mean: float | None) -> Value:
    return mean if mean is not None else NO_MEAN


def _unit_cells(f: UnitFigures, bands: list[str]) -> list[Value]:
    return [("    " * f.depth) + f.name, f.depth + 1, f.head, f.sections, f.handed_in,
            f.on_time, f.filled, f.total, len(f.capaians), _mean_cell(f.mean_capaian),
            f.rating, *[f.bands.get(b, 0) for b in bands]]


def _section_cells(s: SectionSummary, depth: int, counts: dict[str, int],
                   bands: list[str]) -> list[Value]:
    t = s.timeliness
    handed = int(bool(t and t.handed_in))
    return [("    " * depth) + s.name, depth + 1, s.head, 1, handed,
            int(bool(t and t.on_time)), s.filled, s.total, s.counted,
            _mean_cell(s.mean_capaian), s.rating, *[counts.get(b, 0) for b in bands]]
