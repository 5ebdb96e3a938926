"""Earlier periods' values, for the rules that compare against them (cumulative, outlier).

Read from the earlier periods' own recap workbooks (sheet Rekap Indikator), found by their
tags like everything else: no local state. Only read when a configured rule needs history.
"""

from __future__ import annotations

from sheets_sync.domain.models import Config, Period
from sheets_sync.domain.recap import SHEET_INDICATORS
from sheets_sync.domain.rules import History
from sheets_sync.ports import Role, WorkbookStore

HISTORY_PERIODS = 4  # how many earlier periods of the same kind are looked at


def earlier_periods(period: Period, count: int = HISTORY_PERIODS) -> list[Period]:
    out, p = [], period
    for _ in range(count):
        p = p.previous()
        out.append(p)
    return out


def load_history(config: Config, store: WorkbookStore) -> History:
    """Values of the earlier periods that have a recap. Google: 2 calls per such period
    (listing, read)."""
    history = History()
    for period in earlier_periods(config.period):
        recaps = store.find(period.code, Role.recap)
        if recaps:
            grid = store.read(recaps[0], [SHEET_INDICATORS]).get(SHEET_INDICATORS) or []
            history.merge(History.from_grid(grid, period.code))
    return history
