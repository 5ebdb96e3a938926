"""`sync export`: a formal report from the period's current data, read only.

The figures are the recap's own (`build_recap` over the same reads and the same validation),
with the earlier quarters read afresh; nothing is written to any workbook. Google: 1 listing
+ 1 read per section workbook, and per earlier quarter 1 listing + 1 read per workbook.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sheets_sync.domain.calendar import fill_deadline
from sheets_sync.domain.models import Config
from sheets_sync.domain.quarters import attach
from sheets_sync.domain.recap import Recap, build_recap
from sheets_sync.flows.collect import collect
from sheets_sync.flows.handins import adopt_from_recap
from sheets_sync.flows.quarters import load_quarters, needs_quarters
from sheets_sync.flows.status import identity_of, timeliness_of
from sheets_sync.ports import WorkbookStore
from sheets_sync.reports import REPORTS, render


def current_recap(config: Config, store: WorkbookStore, now: datetime) -> Recap:
    from sheets_sync.flows.validate import evaluate_all

    found = collect(config, store)
    # on time / late from the hand-in records, as the recap judges it (read only: nothing
    # is recorded here; those the recap keeps are read from it)
    adopt_from_recap(config, store, found)
    timeliness = timeliness_of(config, found.sheets, identity_of(store), now)
    data = build_recap(config, found.sheets, evaluate_all(config, found.sheets),
                       fill_deadline(config), now, timeliness,
                       unreadable=set(found.refs) - set(found.sheets))
    if needs_quarters(config):
        attach(config, data.rows, load_quarters(config, store))
    return data


def export(config: Config, recap: Recap, report: str, fmt: str, path: Path, now: datetime) -> Path:
    render(REPORTS[report](config, recap, now.date()), fmt, path)
    return path


def default_name(config: Config, report: str, fmt: str) -> Path:
    names = {"pengukuran": "pengukuran-kinerja", "renja": "evaluasi-renja", "rekap": "rekap-bagian"}
    return Path(f"{names[report]}-{config.period.code}.{fmt}")
