"""The hand-ins the recap recorded, for a command that only judges them (status, export).

What a record is and how the recap keeps it: `domain/handin_records.py`.
"""

from __future__ import annotations

from sheets_sync.domain.handin import HANDED_IN_KEY, submitted_statuses
from sheets_sync.domain.handin_records import adopt, kept_hand_ins
from sheets_sync.domain.models import Config
from sheets_sync.domain.recap import SHEET_AUDITED
from sheets_sync.flows.collect import Collected
from sheets_sync.ports import WorkbookStore


def adopt_from_recap(config: Config, store: WorkbookStore, found: Collected) -> None:
    """The recap's records, read in one call, only where a recap exists and some section has
    handed in."""
    if found.recap is None:
        return
    submitted = submitted_statuses(config.labels)
    if not any(sheet.status in submitted or HANDED_IN_KEY in sheet.meta.extra
               for sheet in found.sheets.values()):
        return
    grids = store.read(found.recap, [SHEET_AUDITED])
    adopt(found.sheets, kept_hand_ins(grids.get(SHEET_AUDITED)))
