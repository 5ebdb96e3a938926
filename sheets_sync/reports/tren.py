"""The Tren report (`sync export tren`): the recap's Tren figures as a formal report. Pure.

Per section the last N periods side by side (`domain.trends.window`: 8 quarters, 12 months
or 5 years, the current one last), the change against the previous period and against the
same period a year earlier, then the office's (or, with `--unit`, the unit's) mean per
period, which the PDF draws as a line chart. An earlier period comes from its own recap or
the office's `history_file` (`flows.trends.earlier_results`); a period with neither is
shown as `—`, never as 0, and is a gap in the line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sheets_sync.domain.averages import mean_of
from sheets_sync.domain.models import Config
from sheets_sync.domain.recap import Recap
from sheets_sync.domain.trends import MISSING, PER_YEAR, PeriodResult, changes, current, window
from sheets_sync.reports.build import frame
from sheets_sync.reports.model import Cell, Column, LineChart, Report, Row
from sheets_sync.reports.scope import OFFICE, Scope

CHANGE_PREVIOUS = "Perubahan thd Periode Lalu (poin)"
CHANGE_YEAR = "Perubahan thd Tahun Lalu (poin)"


def tren(config: Config, recap: Recap, today: date, scope: Scope = OFFICE,
         earlier: Sequence[PeriodResult] = ()) -> Report:
    """`recap` is the current period's, already limited to `scope`; `earlier` the earlier
    periods' results as read (any sections: those outside the scope are left out)."""
    periods = window(config.period)
    results = {r.period: r for r in earlier}
    results[config.period.code] = current(config, recap)
    per_year = PER_YEAR[config.period.kind]
    last = len(periods) - 1
    columns = [Column("No", 3, key="no"), Column("Kode", 8, key="kode"),
               Column("Bagian", 22, key="bagian")]
    columns += [Column(p.label, 6, "percent", f"periode:{p.code}", banded=i == last)
                for i, p in enumerate(periods)]
    columns += [Column(CHANGE_PREVIOUS, 7, "number", "perubahan_lalu"),
                Column(CHANGE_YEAR, 7, "number", "perubahan_tahun")]
    report = frame(config, "tren", "TREN CAPAIAN KINERJA", today, columns, scope)
    report.abbreviations = {MISSING: MISSING}  # PDF: the mark centred in its column
    sections = [s for s in config.sections if scope.covers(s.id)]
    now_rating = {s.section: s.rating for s in recap.summaries}
    per_period: list[list[float]] = [[] for _ in periods]
    for n, s in enumerate(sections, start=1):
        values = [results[p.code].sections.get(s.id) if p.code in results else None
                  for p in periods]
        for i, v in enumerate(values):
            if v is not None:
                per_period[i].append(v)
        report.rows.append(Row([n, s.id, s.name, *_cells(values), *changes(values, per_year)],
                               rating=now_rating.get(s.id, "")))
    cap = config.rekap.batas_capaian
    means = [mean_of(vs, cap).value for vs in per_period]
    whose = scope.unit.name if scope.unit else "kantor"
    report.rows.append(Row([None, "", f"Rata-rata {whose}", *_cells(means),
                            *changes(means, per_year)], strong=True))
    report.line_chart = LineChart(f"Rata-rata capaian {whose} per periode (%)",
                                  [p.label for p in periods], means)
    report.notes = [
        f"Capaian (%) tiap bagian: rata-rata capaian indikatornya yang dihitung, menurut "
        f"rekapitulasi akhir tiap periode ({periods[0].label} s.d. {periods[-1].label}); "
        "periode yang tidak punya rekapitulasi diambil dari berkas riwayat kantor "
        f"(history_file). '{MISSING}' = periode tanpa data: tidak dihitung sebagai 0.",
        "Perubahan dalam poin persentase: periode ini dikurangi periode sebelumnya, dan "
        "periode ini dikurangi periode yang sama setahun sebelumnya.",
        f"Rata-rata {whose}: rata-rata dari rata-rata bagian yang punya nilai pada periode itu"
        + (f", tiap nilai dibatasi {cap:g} %." if cap is not None else "."),
    ]
    return report


def _cells(values: list[float | None]) -> list[Cell]:
    return [MISSING if v is None else v for v in values]
