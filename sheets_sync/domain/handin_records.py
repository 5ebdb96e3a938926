"""The first hand-in of every section, as the recap keeps it in its own workbook.

The recap keeps the first hand-in of every section in its hidden `_audit` sheet (column C,
beside the last audited review record), written in the one batch the recap writes anyway: the
first recap after sections hand in costs no call per section beyond its one read
(docs/performance.md). Validate, approve, reopen and the watcher still record a hand-in in the
section's own meta when they write that workbook anyway. Whoever judges hand-ins takes the
earlier of the two records (the one seen first), so the recap and `sync status` agree. Pure.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sheets_sync.domain.handin import HANDED_IN_KEY, hand_in_updates
from sheets_sync.domain.models import Config
from sheets_sync.domain.worksheet import SectionSheet

HandIns = dict[str, dict[str, Any]]  # section -> the hand-in record ({"at", "seen", "status"})


def kept_hand_ins(grid: list[list[Any]] | None) -> HandIns:
    """The records kept in the recap's `_audit` sheet (section in A, the record in C)."""
    out: HandIns = {}
    for row in grid or []:
        if len(row) < 3 or not row[0] or not row[2]:
            continue
        try:
            record = json.loads(str(row[2]))
        except ValueError:
            continue  # a hand-edited cell: computed again, as if never recorded
        if isinstance(record, dict):
            out[str(row[0])] = record
    return out


def _first(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Of two records of one hand-in, the one recorded first (by when it was seen)."""
    return b if str(b.get("seen") or "~") < str(a.get("seen") or "~") else a


def adopt(sheets: dict[str, SectionSheet], kept: HandIns) -> None:
    """The recap's records into the sheets as read (the earlier record wins)."""
    for section, record in kept.items():
        sheet = sheets.get(section)
        if sheet is None:
            continue
        mine = sheet.meta.extra.get(HANDED_IN_KEY)
        sheet.meta.extra[HANDED_IN_KEY] = _first(mine, record) if isinstance(mine, dict) else record


def record_hand_ins(config: Config, identity: str | None, sheets: dict[str, SectionSheet],
                    listed: Iterable[str], now: datetime, kept: HandIns) -> HandIns:
    """Every hand-in known after this run, for the recap to keep: those kept, those in the
    sections' meta, and a first record for each sheet of a `listed` section handed in but not
    recorded yet (set on the sheet as read; no section workbook is written)."""
    adopt(sheets, kept)
    records = dict(kept)
    listed = set(listed)
    for section, sheet in sorted(sheets.items()):
        if section not in listed:
            continue
        new = hand_in_updates(config, sheet, identity, now, writing=False).get(HANDED_IN_KEY)
        if new is not None:
            sheet.meta.extra[HANDED_IN_KEY] = new
        record = sheet.meta.extra.get(HANDED_IN_KEY)
        if isinstance(record, dict):
            records[section] = record
    return records


def hand_in_cell(record: dict[str, Any] | None) -> str | None:
    """A record as the `_audit` sheet keeps it (compact JSON, as the meta sheet does)."""
    if record is None:
        return None
    return json.dumps(record, ensure_ascii=False, default=str, separators=(",", ":"))
