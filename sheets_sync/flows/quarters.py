"""Earlier quarters' values, for TW I-IV and the year to date.

They come from those quarters' own section workbooks, found by their tags through the port
(no local state, both backends), and for what those do not hold, from the office's
`history_file` (`periode, kode, realisasi[, realisasi_anggaran]`). Google: per earlier
quarter 1 listing + 1 read per section workbook.

The recap keeps what it read in a hidden sheet (`_triwulan`), read back in the recap's one
read, so refreshing the recap (and every watch cycle) costs no extra call; `sync export`
always reads the earlier quarters afresh.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sheets_sync.domain.models import Config, PeriodKind
from sheets_sync.domain.numbers import is_percent_unit
from sheets_sync.domain.quarters import earlier_quarters
from sheets_sync.domain.recap import typed_value
from sheets_sync.domain.rules.history import History
from sheets_sync.flows.collect import index_files, read_sections
from sheets_sync.flows.history import read_history_file
from sheets_sync.ports import Role, WorkbookStore


def needs_quarters(config: Config) -> bool:
    """A quarterly period shows TW I-IV and the year to date."""
    return config.period.kind is PeriodKind.quarterly


def load_quarters(config: Config, store: WorkbookStore) -> History:
    """The earlier quarters of this year: workbooks first, the history file for the rest."""
    wanted = {p.code for p in earlier_quarters(config.period)}
    out = History()
    if config.history_file:
        from_file = read_history_file(Path(config.history_file))
        for key in ("realisasi", "budget_real"):
            for period, values in from_file.column(key).items():  # type: ignore[arg-type]
                if period in wanted:
                    out.column(key)[period] = dict(values)  # type: ignore[arg-type]
    units = {i.code: i.unit for i in config.indicators}
    for period in earlier_quarters(config.period):
        refs = index_files(config, store.find(period.code, Role.section)).refs
        if not refs:
            continue
        found = History()
        for sheet in read_sections(config, store, refs.values()).values():
            for row in sheet.rows:
                code = str(row.code or "")
                if code not in units:
                    continue
                for key in ("realisasi", "budget_real"):
                    value = typed_value(row.cells.get(key),
                                        percent_unit=key == "realisasi" and is_percent_unit(units[code]))
                    if isinstance(value, (int, float)) and not isinstance(value, bool):
                        found.add(period.code, code, value, key)  # type: ignore[arg-type]
        out.merge(found)  # a workbook's value wins over the file's
    return out


def quarters_for_recap(config: Config, store: WorkbookStore,
                       cached: list[list[Any]] | None) -> History:
    """What the recap kept in `_triwulan`, or read afresh when it has no such sheet yet."""
    if not earlier_quarters(config.period):
        return History()
    return History.from_grid(cached) if cached is not None else load_quarters(config, store)
