"""Earlier periods' values, for the rules that compare against them (cumulative, outlier).

Read by distribute, once per run, from the earlier periods' own recap workbooks (sheet Rekap
Indikator, found by their tags: no local state) and from the office's `history_file`; each
section's share is stored in its workbook's meta, where validation finds it at no cost.
"""

from __future__ import annotations

import csv
from pathlib import Path

from sheets_sync.domain.errors import ConfigError
from sheets_sync.domain.models import Config, Period
from sheets_sync.domain.os_words import why
from sheets_sync.domain.recap import SHEET_INDICATORS
from sheets_sync.domain.rules import History, active_rules
from sheets_sync.ports import Role, WorkbookStore

HISTORY_KINDS = ("cumulative", "outlier")

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
    if config.history_file:
        history.merge(read_history_file(Path(config.history_file)))
    for period in earlier_periods(config.period):
        recaps = store.find(period.code, Role.recap)
        if recaps:
            grid = store.read(recaps[0], [SHEET_INDICATORS]).get(SHEET_INDICATORS) or []
            history.merge(History.from_grid(grid, period.code))
    return history


def needs_history(config: Config) -> bool:
    """Only rules comparing with earlier periods are worth the reads of their recaps."""
    return any(rule.enabled and rule.kind in HISTORY_KINDS for rule in active_rules(config))


def read_history_file(path: Path) -> History:
    """The office's own record of earlier periods: a CSV with columns periode, kode,
    realisasi (and optionally realisasi_anggaran), separated by commas or semicolons."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise ConfigError(f"history_file {path} tidak dapat dibaca ({why(exc)}).") from None
    first = lines[0] if lines else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return History.from_records(csv.DictReader(lines, delimiter=delimiter))
