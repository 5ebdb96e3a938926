"""The recap composed: from what the recap flow read (`flows/recap.py: gather`), the recap's
figures, the one patch that writes it, and its number of new audit lines. Pure: no store, no
clock but `now`; the flow adds its own bookkeeping (the service's memory) and writes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sheets_sync.domain import review
from sheets_sync.domain.calendar import fill_deadline, sop_schedule
from sheets_sync.domain.handin import edit_time, last_editor, timeliness_of
from sheets_sync.domain.handin_records import hand_in_cell, kept_hand_ins, record_hand_ins
from sheets_sync.domain.models import Config, Issue
from sheets_sync.domain.patch import SheetPatch, WorkbookPatch
from sheets_sync.domain.quarters import attach, cache_patch
from sheets_sync.domain.recap import (
    AUDITED,
    SHEET_AUDIT_VALUES,
    SHEET_AUDITED,
    SHEET_INDICATORS,
    Recap,
    audit_values_rows,
    audited_records,
    build_recap,
    current_values,
    previous_values,
)
from sheets_sync.domain.recap_layout import recap_patch
from sheets_sync.domain.rules.history import History
from sheets_sync.domain.trends import PeriodResult, trend_sheets
from sheets_sync.domain.units import roll_up, units_sheet
from sheets_sync.domain.worksheet import SectionSheet


@dataclass
class RecapInputs:
    """Everything the recap is made from, as read."""

    sheets: dict[str, SectionSheet]  # each section's workbook as read
    listed: set[str]  # sections whose workbook the listing found (read or not)
    issues: list[Issue]
    identity: str | None  # who the service writes as: its own edits are not a section's
    skipped: set[str]  # sections whose workbook was skipped or found deleted
    grids: dict[str, list[list[Any]]]  # the recap's own sheets as last written
    new: bool  # the recap is made now (no earlier values to audit against)
    quarters: History | None  # earlier quarters of the year; None: the period needs none
    earlier: list[PeriodResult]  # earlier periods' results, for the Tren sheet


def compose_recap(config: Config, inputs: RecapInputs,
                  now: datetime) -> tuple[Recap, WorkbookPatch, int]:
    """The recap, the one patch that writes it, and its number of new audit lines. Sets each
    section's first hand-in record on its sheet as read (kept in the recap's own write)."""
    sheets, grids, identity = inputs.sheets, inputs.grids, inputs.identity
    # first hand-ins are kept in the recap's own write: no call per section
    hand_ins = {s: hand_in_cell(r) or "" for s, r in record_hand_ins(
        config, identity, sheets, inputs.listed, now,
        kept_hand_ins(grids.get(SHEET_AUDITED))).items()}
    timeliness = timeliness_of(config, sheets, identity, now)
    data = build_recap(config, sheets, inputs.issues, fill_deadline(config), now, timeliness,
                       unreadable=(inputs.listed - set(sheets)) | inputs.skipped)
    for summary in data.summaries:  # the section's own last change, in the office's time
        sheet = sheets.get(summary.section)
        summary.modified = edit_time(config, sheet, identity) if sheet else None
    figures = roll_up(config, data)
    data.units = [f.as_json() for f in figures]
    if inputs.quarters is not None:  # TW I-IV and the year to date on the recap's rows
        attach(config, data.rows, inputs.quarters)

    if inputs.new:
        lines, audited = review.review_lines(sheets, {})
    else:
        previous = previous_values(grids.get(SHEET_AUDIT_VALUES)
                                   or grids.get(SHEET_INDICATORS))
        who = {s: last_editor(sheet, identity) for s, sheet in sheets.items()}
        cells = {(s, r.code, key): ref_cell
                 for s, sheet in sheets.items() for r in sheet.rows
                 for key, _ in AUDITED if (ref_cell := r.cell_ref(sheet.layout, key))}
        lines = review.audit_rows(previous, current_values(data), now, who, cells,
                                  labels=config.labels) if previous else []
        # confirmations, approvals, reopenings recorded since the last recap
        events, audited = review.review_lines(sheets, audited_records(grids.get(SHEET_AUDITED)))
        lines += events
        lines.sort(key=lambda line: str(line[0]))  # oldest first: a review before its notice
    patch = recap_patch(config, data, sop_schedule(config), now, lines,
                        with_audit_header=inputs.new, audited=audited, hand_ins=hand_ins)
    values = SheetPatch(SHEET_AUDIT_VALUES, clear=True, hidden=True)
    values.put_table(1, 1, audit_values_rows(data))
    patch.sheets.append(values)  # what the next recap's audit compares against
    patch.sheets += [cache_patch(inputs.quarters)] if inputs.quarters is not None else []
    patch.sheets += [units_sheet(config, data, figures)] if figures else []
    patch.sheets += trend_sheets(config, data, inputs.earlier)
    return data, patch, len(lines)
