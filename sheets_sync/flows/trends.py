"""Trends across periods: the earlier periods' results, read once and kept in the recap.

Each earlier period in the Tren window is read from its own recap (all found by their tags
in one listing, then one read of two sheets per recap on Google), or, where it has none,
from the office's `history_file`. What was read is kept in the recap's hidden `_tren` sheet
and read back in the recap's one read, so a refresh of the recap (every watch cycle) costs
no extra call; `sync recap --refresh-quarters` reads the earlier periods afresh.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sheets_sync.domain.models import Config
from sheets_sync.domain.recap import SHEET_INDICATORS, SHEET_SUMMARY
from sheets_sync.domain.rules.history import History
from sheets_sync.domain.trends import (
    PeriodResult,
    from_cache,
    from_history,
    from_recap_grids,
    window,
)
from sheets_sync.flows.history import read_history_file
from sheets_sync.ports import WorkbookStore


def earlier_results(config: Config, store: WorkbookStore) -> list[PeriodResult]:
    """Every earlier period of the window that has a record (its recap, else the file)."""
    history = read_history_file(Path(config.history_file)) if config.history_file else History()
    out = []
    earlier = window(config.period)[:-1]
    recaps = store.recaps([p.code for p in earlier])  # one listing for them all
    for period in earlier:
        if period.code in recaps:
            grids = store.read(recaps[period.code], [SHEET_INDICATORS, SHEET_SUMMARY])
            out.append(from_recap_grids(period.code, grids.get(SHEET_INDICATORS),
                                        grids.get(SHEET_SUMMARY)))
        elif (found := from_history(config, history, period.code)) is not None:
            out.append(found)
    return out


def earlier_for_recap(config: Config, store: WorkbookStore,
                      cached: list[list[Any]] | None) -> list[PeriodResult]:
    """What the recap kept in its trend cache, or read afresh when it has none yet."""
    return from_cache(cached) if cached is not None else earlier_results(config, store)
