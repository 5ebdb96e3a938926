"""Quarters that add up: TW I-IV of one year and the year to date ("s.d. triwulan"). Pure.

An office runs four quarterly periods a year (2026-TW1 .. 2026-TW4). Per indicator, the
year-to-date realisation follows its aggregation type:

- `sum`: the quarters added up (every quarter so far must be there: a missing one makes the
  total unknown, never a smaller total);
- `last`: the latest quarter reported;
- `avg`: the mean of the quarters reported;
- `manual`: the section types the year-to-date figure itself, in the current quarter.

A quarter without data is said to be missing (`QuarterFigures.missing`), never counted as 0;
quarters after the current one have not happened yet and stay empty.

Targets: `target_tw1..tw4` when the indicator has them (each in the same sense as that
quarter's own realisation), else the yearly target for every quarter. The year-to-date target
is the yearly one, or with quarterly targets: their sum (`sum`), their mean (`avg`), or the
current quarter's (`last`, `manual`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sheets_sync.domain import capaian as cap
from sheets_sync.domain.models import (
    Aggregation,
    Indicator,
    Period,
    PeriodKind,
    Polarity,
    RatingScheme,
)
from sheets_sync.domain.patch import SheetPatch
from sheets_sync.domain.rules.history import History

if TYPE_CHECKING:
    from sheets_sync.domain.models import Config
    from sheets_sync.domain.recap import RecapRow

QUARTERS = (1, 2, 3, 4)
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
MISSING = "tidak ada data"  # a quarter so far without data: said so, never 0
# Columns the recap's Rekap Indikator adds for a quarterly period.
QUARTER_HEADERS = ("TW I", "TW II", "TW III", "TW IV", "Realisasi s.d. TW",
                   "Target s.d. TW", "Capaian s.d. TW (%)", "Catatan Triwulan")


def quarter_code(year: int, quarter: int) -> str:
    return f"{year}-TW{quarter}"


def quarter_label(quarter: int) -> str:
    return f"TW {ROMAN[quarter]}"


def earlier_quarters(period: Period) -> list[Period]:
    """The quarters of the same year before `period` (none for a period that is no quarter)."""
    if period.kind is not PeriodKind.quarterly:
        return []
    return [Period(year=period.year, kind=PeriodKind.quarterly, number=q)
            for q in range(1, period.number)]


@dataclass
class QuarterFigures:
    """One indicator's quarters and year to date (realisation and budget realisation)."""

    current: int  # the current quarter (1-4)
    values: dict[int, float | None] = field(default_factory=dict)  # quarters 1..current
    budget: dict[int, float | None] = field(default_factory=dict)
    missing: list[int] = field(default_factory=list)  # quarters so far without data
    not_counted: list[int] = field(default_factory=list)  # present, but not counted (open error)
    ytd: float | None = None
    ytd_target: float | None = None
    ytd_capaian: float | None = None
    budget_ytd: float | None = None
    budget_capaian: float | None = None
    note: str = ""  # why a year-to-date figure is missing or partial, in Indonesian

    def value(self, quarter: int) -> float | None:
        """A quarter's realisation; None when missing or not happened yet."""
        return self.values.get(quarter)

    def cell(self, quarter: int) -> float | str | None:
        """How a quarter shows in a table: its value, `tidak ada data`, or empty (not yet)."""
        if quarter > self.current:
            return None
        value = self.values.get(quarter)
        return MISSING if value is None else value

    def as_cells(self) -> list[float | str | None]:
        """The cells under QUARTER_HEADERS."""
        return [*(self.cell(q) for q in QUARTERS), self.ytd, self.ytd_target,
                self.ytd_capaian, self.note]

    def as_json(self) -> dict[str, object]:
        """Flat keys (they serve JSON and CSV alike): `tw1`..`tw4` (None: no data, or not
        reached yet: quarters after `triwulan`), the year to date and its note."""
        out: dict[str, object] = {"triwulan": self.current}
        out.update({f"tw{q}": self.values.get(q) for q in QUARTERS})
        out.update({f"tw{q}_anggaran": self.budget.get(q) for q in QUARTERS})
        out.update({"tw_tidak_ada_data": [quarter_label(q) for q in self.missing],
                    "ytd": self.ytd, "ytd_target": self.ytd_target,
                    "ytd_capaian": self.ytd_capaian, "ytd_anggaran": self.budget_ytd,
                    "ytd_note": self.note})
        return out


def ytd_target(ind: Indicator, quarter: int) -> float | None:
    own = [getattr(ind, f"target_tw{q}") for q in range(1, quarter + 1)]
    if ind.polarity is Polarity.range or all(t is None for t in own):
        return ind.yearly_target
    targets = [ind.quarter_target(q) for q in range(1, quarter + 1)]
    numbers = [t for t in targets if t is not None]
    if ind.aggregation is Aggregation.sum:
        return sum(numbers) if len(numbers) == len(targets) else None
    if ind.aggregation is Aggregation.avg:
        return round(sum(numbers) / len(numbers), 4) if numbers else None
    return targets[-1]


def year_to_date(aggregation: Aggregation, values: dict[int, float | None],
                 current: int) -> tuple[float | None, str]:
    """The year-to-date figure from quarters 1..current (None = no data), and a note."""
    present = {q: v for q, v in values.items() if v is not None and q <= current}
    gaps = [q for q in range(1, current + 1) if q not in present]
    gap_text = ", ".join(quarter_label(q) for q in gaps)
    if aggregation is Aggregation.sum:
        if gaps:
            return None, f"s.d. triwulan tidak dapat dijumlah: data {gap_text} tidak ada"
        return round(sum(present.values()), 4), ""
    if aggregation is Aggregation.manual:
        if current in present:
            return present[current], ""
        return None, f"s.d. triwulan diisi bagian pada {quarter_label(current)}: belum ada"
    if not present:
        return None, "belum ada data triwulan"
    note = f"tanpa {gap_text} (tidak ada data)" if gaps else ""
    if aggregation is Aggregation.last:
        return present[max(present)], note
    return round(sum(present.values()) / len(present), 4), note


def figures(ind: Indicator, period: Period, current: float | None, current_budget: float | None,
            history: History, *, counted: bool = True) -> QuarterFigures | None:
    """TW I-IV and the year to date for one indicator in a quarterly `period`. `current` is
    this quarter's realisation as a number (None when empty or not a number); `history`
    holds the earlier quarters' values; `counted` False keeps this quarter out of the year
    to date (a value with an open error is not counted)."""
    if period.kind is not PeriodKind.quarterly:
        return None
    q_now = period.number
    out = QuarterFigures(current=q_now)
    for q in range(1, q_now + 1):
        if q == q_now:
            value, budget = current, current_budget
        else:
            code = quarter_code(period.year, q)
            value = history.value(code, ind.code)
            budget = history.value(code, ind.code, "budget_real")
        out.values[q], out.budget[q] = value, budget
        if value is None:
            out.missing.append(q)
    counted_values = dict(out.values)
    if not counted and current is not None:
        out.not_counted.append(q_now)
        counted_values[q_now] = None
    out.ytd, out.note = year_to_date(ind.aggregation, counted_values, q_now)
    if not counted and current is not None:
        out.note = "; ".join(x for x in (out.note, f"{quarter_label(q_now)} tidak dihitung")
                             if x)
    out.ytd_target = ytd_target(ind, q_now)
    out.ytd_capaian = cap.compute(ind.polarity, out.ytd, out.ytd_target, ind.target_min,
                                  ind.target_max).value
    budgets = [out.budget.get(q) for q in range(1, q_now + 1)]
    if ind.budget and all(b is not None for b in budgets):
        out.budget_ytd = round(sum(b for b in budgets if b is not None), 2)
        out.budget_capaian = round(out.budget_ytd / ind.budget * 100, 2)
    return out


def ytd_rating(fig: QuarterFigures | None, scheme: RatingScheme) -> str:
    """The predikat of the year to date (its capaian in the config's bands), or
    `tidak dapat dihitung` when there is no year-to-date capaian."""
    if fig is None or fig.ytd_capaian is None:
        return cap.NOT_COMPUTABLE
    return cap.rate(fig.ytd_capaian, scheme)


def mean_ytd_capaian(figs: Iterable[QuarterFigures | None]) -> float | None:
    """The mean year-to-date capaian over the indicators that have one (form E.81's
    "rata-rata capaian kinerja"), None when none has."""
    values = [f.ytd_capaian for f in figs if f is not None and f.ytd_capaian is not None]
    return round(sum(values) / len(values), 2) if values else None


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def attach(config: Config, rows: Iterable[RecapRow], history: History) -> None:
    """Give each recap row its quarters (nothing for a period that is no quarter)."""
    if config.period.kind is not PeriodKind.quarterly:
        return
    by_code = {i.code: i for i in config.indicators}
    for row in rows:
        ind = by_code.get(row.code)
        if ind is not None:
            row.quarters = figures(ind, config.period, _number(row.realisasi),
                                   _number(row.budget_real), history, counted=row.counts)


QUARTER_CACHE = "_triwulan"  # hidden sheet of the recap: the earlier quarters as read
CACHE_HEADERS = ("Periode", "Kode", "Realisasi", "Realisasi Anggaran (Rp)")


def cache_patch(history: History) -> SheetPatch:
    """The earlier quarters as read, kept in the recap: its next refresh reads them back in
    the recap's own read instead of reading every quarter again (flows/quarters.py)."""
    sheet = SheetPatch(QUARTER_CACHE, clear=True, hidden=True, index=6)
    rows: list[list[Any]] = [list(CACHE_HEADERS)]
    for period in sorted(set(history.realisasi) | set(history.budget_real)):
        codes = sorted(set(history.realisasi.get(period, {})) | set(history.budget_real.get(period, {})))
        for code in codes:
            rows.append([period, code, history.value(period, code),
                         history.value(period, code, "budget_real")])
    sheet.put_table(1, 1, rows)
    return sheet
