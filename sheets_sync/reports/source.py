"""The figures a report is made from, read only: the recap's own (`build_recap` over the same
reads and the same validation), with the earlier quarters read afresh; nothing is written to
any workbook. Google: 1 listing + 1 read per section workbook, and per earlier quarter
1 listing + 1 read per workbook. The Tren report also reads the earlier periods' recaps
(`flows.trends.earlier_results`: 1 listing + 1 read per recap found).
"""

from __future__ import annotations

from datetime import datetime

from sheets_sync.domain.calendar import fill_deadline
from sheets_sync.domain.handin import timeliness_of
from sheets_sync.domain.models import Config
from sheets_sync.domain.quarters import attach
from sheets_sync.domain.recap import Recap, build_recap
from sheets_sync.domain.validation import evaluate_all
from sheets_sync.flows.collect import collect
from sheets_sync.flows.handins import adopt_from_recap
from sheets_sync.flows.quarters import load_quarters, needs_quarters
from sheets_sync.flows.status import identity_of
from sheets_sync.flows.trends import earlier_results
from sheets_sync.ports import WorkbookStore

__all__ = ["current_recap", "earlier_results"]


def current_recap(config: Config, store: WorkbookStore, now: datetime) -> Recap:
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
