"""The rekap report's unit rows: each unit's roll-up (`domain.units.roll_up`) under the
sections, in tree order, a unit's name indented by its depth. Pure.

Shown where the config has `units:`; with `--unit` only the chosen unit and those below it.
A unit's counts are the sums of its sections at any depth; its mean is the office's rule
(the mean of the section means below it, each capped).
"""

from __future__ import annotations

from sheets_sync.domain.models import Config
from sheets_sync.domain.recap import Recap
from sheets_sync.domain.units import NO_MEAN, subtree_sections
from sheets_sync.reports.model import Report, Row
from sheets_sync.reports.scope import Scope, unit_figures

HEADING = "Rekap per unit (unit beserta semua bagian di bawahnya)"
INDENT = "\u00a0" * 4  # a no-break space survives every renderer (a PDF paragraph too)


def unit_rows(config: Config, recap: Recap, scope: Scope, report: Report) -> None:
    """Append the units' rows (after a heading row) and a note saying how they add up."""
    figures = unit_figures(config, recap, scope)
    if not figures:
        return
    by_section = {s.section: s for s in recap.summaries}
    width = len(report.columns)
    report.rows.append(Row(["", HEADING, *[None] * (width - 2)], heading=True))
    for f in figures:
        below = [by_section[sid] for sid in subtree_sections(config, f.id) if sid in by_section]
        share = round(f.filled / f.total * 100, 1) if f.total else None
        report.rows.append(Row(
            [None, f.id, INDENT * f.depth + f.name, f"{f.handed_in}/{f.sections} diserahkan",
             f"{f.filled}/{f.total}", share, f"{f.on_time}/{f.sections}",
             sum(s.errors for s in below), sum(s.warnings for s in below),
             f.mean_capaian if f.mean_capaian is not None else NO_MEAN, f.rating],
            rating=f.rating, strong=f.depth == 0))
    report.notes.append(
        "Rekap per unit: jumlah bagian, yang sudah menyerahkan, yang tepat waktu, indikator "
        "terisi, error dan peringatan adalah jumlah semua bagian di bawah unit itu (semua "
        "tingkat); rata-rata capaian unit adalah rata-rata dari rata-rata bagian di bawahnya "
        f"yang punya nilai, seperti rata-rata kantor ('{NO_MEAN}': belum ada nilai yang "
        "dihitung).")
