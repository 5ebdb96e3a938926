"""SOP step 5: the consolidated recap workbook, kept live for leadership.

Google call budget for the recap itself: <= 3 (read its last-seen values for the audit, one
batch write, one sharing check); creating it the first time: <= 3 + sharing. The sections'
first hand-ins ride in that write (flows/handins.py): no call per section beyond its read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sheets_sync.domain import review
from sheets_sync.domain.calendar import fill_deadline, sop_schedule
from sheets_sync.domain.handin import last_editor
from sheets_sync.domain.models import Config, Issue
from sheets_sync.domain.patch import SheetPatch, Value
from sheets_sync.domain.recap import (
    AUDITED,
    SHEET_AUDITED,
    SHEET_INDICATORS,
    Recap,
    audited_records,
    build_recap,
    current_values,
    previous_values,
)
from sheets_sync.domain.recap_layout import recap_patch
from sheets_sync.domain.sharing import recap_grants
from sheets_sync.domain.trends import TREND_CACHE
from sheets_sync.domain.units import roll_up, units_sheet
from sheets_sync.flows.collect import Collected, collect
from sheets_sync.flows.duplicates import DuplicateNote, duplicate_notes
from sheets_sync.flows.guard import left_alone
from sheets_sync.flows.handins import hand_in_cell, kept_hand_ins, record_hand_ins
from sheets_sync.flows.memory import SHEET_MEMORY, Memory, memory_sheet, read_memory
from sheets_sync.flows.quarters import QUARTER_CACHE, needs_quarters, quarter_rows
from sheets_sync.flows.status import edit_time, identity_of, timeliness_of
from sheets_sync.flows.trends import trend_sheets
from sheets_sync.ports import FileRef, Role, Tags, WorkbookStore


@dataclass
class RecapResult:
    ref: FileRef
    recap: Recap
    created: bool
    audit_lines: int
    duplicates: list[DuplicateNote] = field(default_factory=list)


def recap_name(config: Config) -> str:
    return f"Rekapitulasi Data Kinerja {config.period.code}"


def recap(config: Config, store: WorkbookStore, now: datetime, *,
          collected: Collected | None = None, issues: list[Issue] | None = None,
          refresh_quarters: bool = False, memory: Memory | None = None,
          extra_sheets: Sequence[SheetPatch] = ()) -> RecapResult:
    """`extra_sheets` ride in the same write. The service's memory (flows/memory.py) is
    read in the recap's one read, or given (the watcher's), and written in its one write
    with every section's result renewed: a later `validate` reads only what changed."""
    found = collected or collect(config, store)
    if issues is None:
        from sheets_sync.flows.validate import evaluate_all

        issues = evaluate_all(config, found.sheets)
    ref = found.recap
    # the recap's one read, first: its last values, audited records and kept hand-ins
    grids = store.read(ref, [SHEET_INDICATORS, SHEET_AUDITED, QUARTER_CACHE, TREND_CACHE,
                             SHEET_MEMORY]) if ref else {}
    # first hand-ins are kept in the recap's own write: no call per section (flows/handins.py)
    hand_ins = {s: hand_in_cell(r) or "" for s, r in record_hand_ins(
        config, store, found, now, kept_hand_ins(grids.get(SHEET_AUDITED))).items()}
    from sheets_sync.flows.validate import judge, unfed_sections

    memory = memory if memory is not None else read_memory(grids.get(SHEET_MEMORY))
    judge(config, memory, found, issues, unfed=unfed_sections(config, store, found, issues, now))
    extra_sheets = [*extra_sheets, memory_sheet(memory)]
    timeliness = timeliness_of(config, found.sheets, identity_of(store), now)
    data = build_recap(config, found.sheets, issues, fill_deadline(config), now, timeliness,
                       unreadable=(set(found.refs) - set(found.sheets))
                       | left_alone(store))  # deleted ones too: never "not distributed"
    identity = identity_of(store)
    for summary in data.summaries:  # the section's own last change, in the office's time
        sheet = found.sheets.get(summary.section)
        summary.modified = edit_time(config, sheet, identity) if sheet else None
    figures = roll_up(config, data)
    data.units = [f.as_json() for f in figures]
    units = [units_sheet(config, data, figures)] if figures else []
    schedule = sop_schedule(config)
    quarterly = needs_quarters(config)

    if ref is None:
        lines, audited = review_lines(found, {})
        cache = quarter_rows(config, store, data, None) if quarterly else None
        patch = recap_patch(config, data, schedule, now, lines, with_audit_header=True,
                            audited=audited, hand_ins=hand_ins)
        patch.sheets += [cache] if cache else []
        patch.sheets += units
        patch.sheets += trend_sheets(config, store, data, None)
        patch.sheets.extend(extra_sheets)
        ref = store.create(recap_name(config), Tags(Role.recap, config.period.code), patch)
        store.share(ref, recap_grants(config), notify=False)
        return RecapResult(ref, data, True, len(lines), duplicate_notes(config, store, found))

    cached = None if refresh_quarters else grids.get(QUARTER_CACHE)
    cache = quarter_rows(config, store, data, cached) if quarterly else None
    previous = previous_values(grids.get(SHEET_INDICATORS))
    who = {s: last_editor(sheet, identity_of(store)) for s, sheet in found.sheets.items()}
    cells = {(s, r.code, key): ref_cell
             for s, sheet in found.sheets.items() for r in sheet.rows
             for key, _ in AUDITED if (ref_cell := r.cell_ref(sheet.layout, key))}
    lines = review.audit_rows(previous, current_values(data), now, who, cells,
                              labels=config.labels) if previous else []
    # confirmations, approvals, reopenings recorded since the last recap
    events, audited = review_lines(found, audited_records(grids.get(SHEET_AUDITED)))
    lines += events
    lines.sort(key=lambda line: str(line[0]))  # oldest first: a review came before its notice
    patch = recap_patch(config, data, schedule, now, lines, with_audit_header=False,
                        audited=audited, hand_ins=hand_ins)
    patch.sheets += [cache] if cache else []
    patch.sheets += units
    patch.sheets += trend_sheets(config, store, data,
                                 None if refresh_quarters else grids.get(TREND_CACHE))
    patch.sheets.extend(extra_sheets)
    store.apply(ref, patch)
    store.share(ref, recap_grants(config), notify=False)
    return RecapResult(ref, data, False, len(lines), duplicate_notes(config, store, found))


def review_lines(found: Collected,
                 audited: dict[str, str]) -> tuple[list[list[Value]], dict[str, str]]:
    """Audit lines for review events not audited yet, and the new last-audited records."""
    lines: list[list[Value]] = []
    latest = dict(audited)
    for s, sheet in found.sheets.items():
        lines += review.review_audit_rows(s, sheet.meta, audited.get(s), sheet.status_cell or "")
        if (last := review.last_review_key(sheet.meta)) is not None:
            latest[s] = last
    return lines, latest
