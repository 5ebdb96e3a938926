"""SOP step 5: the consolidated recap workbook, kept live for leadership.

Read, compute, write: `gather` reads everything the recap is made from (the sections, the
recap's own last write, earlier quarters, earlier periods, duplicate workbooks) in one step;
`compose` turns that into the one patch without touching the store; `recap` writes it once.

Google call budget for the recap itself: <= 3 (read its last-seen values for the audit, one
batch write, one sharing check); creating it the first time: <= 3 + sharing. The sections'
first hand-ins ride in that write (flows/handins.py): no call per section beyond its read.
With nothing changed since its last write (`recap_state`), a recap reads no section and
writes nothing: the listing, its one read and the sharing check.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sheets_sync.domain import review
from sheets_sync.domain.calendar import fill_deadline, sop_schedule
from sheets_sync.domain.handin import last_editor
from sheets_sync.domain.models import Config, Issue
from sheets_sync.domain.patch import SheetPatch, Value, WorkbookPatch
from sheets_sync.domain.quarters import attach
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
from sheets_sync.domain.rules.history import History
from sheets_sync.domain.sharing import recap_grants
from sheets_sync.domain.trends import TREND_CACHE, PeriodResult
from sheets_sync.domain.units import roll_up, units_sheet
from sheets_sync.flows.collect import Collected, collect, index_files, read_sections
from sheets_sync.flows.duplicates import DuplicateNote, duplicate_notes
from sheets_sync.flows.guard import skipped_sections
from sheets_sync.flows.handins import hand_in_cell, kept_hand_ins, record_hand_ins
from sheets_sync.flows.memory import (
    SHEET_MEMORY,
    Memory,
    fingerprint,
    memory_sheet,
    read_memory,
    version_of,
)
from sheets_sync.flows.quarters import QUARTER_CACHE, cache_patch, needs_quarters, quarters_for_recap
from sheets_sync.flows.status import edit_time, identity_of, timeliness_of
from sheets_sync.flows.trends import earlier_for_recap, trend_sheets
from sheets_sync.ports import FileRef, Grid, Role, Tags, WorkbookStore


@dataclass
class RecapResult:
    ref: FileRef
    recap: Recap | None  # None: nothing changed and nothing was asked of it (`unchanged`)
    created: bool
    audit_lines: int
    duplicates: list[DuplicateNote] = field(default_factory=list)
    # Nothing it is made from changed since its last write (`recap_state`): nothing written,
    # no backup made, its "diperbarui" time stays; the time of that last write
    unchanged: datetime | None = None


@dataclass
class RecapReads:
    """Everything the recap is made from, read from the store in one gathering step."""

    found: Collected
    issues: list[Issue]
    identity: str | None  # who the service writes as: its own edits are not a section's
    skipped: set[str]  # sections whose workbook this command skipped (or found deleted)
    grids: dict[str, Grid]  # the recap's own sheets as last written; {} before it exists
    quarters: History | None  # earlier quarters of the year; None: the period needs none
    earlier: list[PeriodResult]  # earlier periods' results, for the Tren sheet
    duplicates: list[DuplicateNote]  # a section's second workbook, and what was typed in it
    memory: Memory  # the service's memory (flows/memory.py): renewed in the recap's write
    unfed: set[str]  # sections whose feedback is not in their workbook yet


RECAP_SHEETS = [SHEET_INDICATORS, SHEET_AUDITED, QUARTER_CACHE, TREND_CACHE, SHEET_MEMORY]


def recap_name(config: Config) -> str:
    return f"Rekapitulasi Data Kinerja {config.period.code}"


def recap(config: Config, store: WorkbookStore, now: datetime, *,
          collected: Collected | None = None, issues: list[Issue] | None = None,
          refresh_quarters: bool = False, memory: Memory | None = None,
          extra_sheets: Sequence[SheetPatch] = (), force: bool = False,
          need_data: bool = True) -> RecapResult:
    """`extra_sheets` ride in the same write. The service's memory (flows/memory.py) is
    read in the recap's one read, or given (the watcher's), and written in its one write
    with every section's result renewed: a later `validate` reads only what changed.

    When nothing the recap is made from changed since its last write (`recap_state`), it is
    not written again (no backup pushed out, its time stays) and, unless `need_data` asks
    for the figures, no section is read: the listing, the recap's one read and its sharing
    check, 3 calls whatever the number of sections.
    `force` writes it all the same."""
    listing = grids = None
    if collected is None and not (force or refresh_quarters or extra_sheets):
        listing = index_files(config, store.find(config.period.code))
        grids = store.read(listing.recap, RECAP_SHEETS) if listing.recap else {}
        last = read_memory(grids.get(SHEET_MEMORY)).recapped
        state = recap_state(config, listing, now)
        if (listing.recap is not None and last is not None and state == last[0]
                and not skipped_sections(store)):
            data = None
            if need_data:
                listing.sheets = read_sections(config, store, listing.refs.values())
                data = compose(config, gather(config, store, collected=listing, grids=grids,
                                              now=now), now)[0]
            # its sharing is made sure all the same: a run stopped between the write and
            # the sharing finishes here
            store.share(listing.recap, recap_grants(config), notify=False)
            return RecapResult(listing.recap, data, False, 0, unchanged=last[1])
    reads = gather(config, store, collected=collected or listing, issues=issues,
                   refresh_quarters=refresh_quarters, memory=memory, now=now, grids=grids)
    data, patch, lines = compose(config, reads, now, extra_sheets=extra_sheets)
    ref = reads.found.recap
    if ref is None:
        ref = store.create(recap_name(config), Tags(Role.recap, config.period.code), patch)
    else:
        store.apply(ref, patch)
    store.share(ref, recap_grants(config), notify=False)
    return RecapResult(ref, data, reads.found.recap is None, lines, reads.duplicates)


def recap_state(config: Config, found: Collected, now: datetime) -> str | None:
    """What the recap is made from, as the listing alone shows it: every file of the period
    (but the recap) at its version, the config and program that judge them
    (`memory.fingerprint`), and which side of each SOP due time `now` is (a section that has
    not handed in turns late; a step turns "Lewat batas"). Equal states make equal recaps
    but for the time they are written. None where a version is unknown: never equal."""
    files = [*found.refs.values(), *found.unknown,
             *(r for extra in found.duplicates.values() for r in extra),
             *([found.template] if found.template else [])]
    versions = sorted((r.id, version_of(r)) for r in files)
    if any(not v for _, v in versions):
        return None
    dues = [fill_deadline(config), *(step.due for step in sop_schedule(config))]
    text = json.dumps([fingerprint(config), [due is not None and now > due for due in dues],
                       versions])
    return "r:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def gather(config: Config, store: WorkbookStore, *, collected: Collected | None = None,
           issues: list[Issue] | None = None, refresh_quarters: bool = False,
           memory: Memory | None = None, now: datetime | None = None,
           grids: dict[str, Grid] | None = None) -> RecapReads:
    """The recap's one gathering step: every read it needs, and nothing written (`grids`:
    the recap's own sheets, when they were read already)."""
    from sheets_sync.flows.validate import evaluate_all, unfed_sections

    if collected is None:
        found = collect(config, store)
    else:
        found = collected
        if not found.sheets and found.refs:  # a listing only: the sections are read now
            found.sheets = read_sections(config, store, found.refs.values())
    if issues is None:
        issues = evaluate_all(config, found.sheets)
    ref = found.recap
    # the recap's one read, first: its last values, audited records and kept hand-ins
    if grids is None:
        grids = store.read(ref, RECAP_SHEETS) if ref else {}
    # this period's sections skipped so far (deleted ones too: never "not distributed");
    # taken before earlier periods are read, whose files are not this recap's sections
    skipped = skipped_sections(store)
    cached = {} if ref is None or refresh_quarters else grids
    quarters = quarters_for_recap(config, store, cached.get(QUARTER_CACHE)
                                  ) if needs_quarters(config) else None
    earlier = earlier_for_recap(config, store, cached.get(TREND_CACHE))
    return RecapReads(found, issues, identity_of(store), skipped, grids, quarters, earlier,
                      duplicate_notes(config, store, found),
                      memory if memory is not None else read_memory(grids.get(SHEET_MEMORY)),
                      unfed_sections(config, store, found, issues, now))


def compose(config: Config, reads: RecapReads, now: datetime, *,
            extra_sheets: Sequence[SheetPatch] = ()) -> tuple[Recap, WorkbookPatch, int]:
    """The recap, the one patch that writes it, and its number of new audit lines: from what
    `gather` read, without the store."""
    from sheets_sync.flows.validate import judge

    found, grids, identity = reads.found, reads.grids, reads.identity
    judge(config, reads.memory, found, reads.issues, unfed=reads.unfed)
    # what this recap is made from, remembered only when it saw every section whole: one
    # skipped, unreadable or doubled is looked at again next time
    whole = not reads.skipped and set(found.sheets) == set(found.refs) and not found.duplicates
    state = recap_state(config, found, now) if whole else None
    reads.memory.recapped = (state, now) if state else None
    extra_sheets = [*extra_sheets, memory_sheet(reads.memory)]
    # first hand-ins are kept in the recap's own write: no call per section (flows/handins.py)
    hand_ins = {s: hand_in_cell(r) or "" for s, r in record_hand_ins(
        config, identity, found, now, kept_hand_ins(grids.get(SHEET_AUDITED))).items()}
    timeliness = timeliness_of(config, found.sheets, identity, now)
    data = build_recap(config, found.sheets, reads.issues, fill_deadline(config), now,
                       timeliness, unreadable=(set(found.refs) - set(found.sheets))
                       | reads.skipped)
    for summary in data.summaries:  # the section's own last change, in the office's time
        sheet = found.sheets.get(summary.section)
        summary.modified = edit_time(config, sheet, identity) if sheet else None
    figures = roll_up(config, data)
    data.units = [f.as_json() for f in figures]
    units = [units_sheet(config, data, figures)] if figures else []
    schedule = sop_schedule(config)
    if reads.quarters is not None:  # TW I-IV and the year to date on the recap's rows
        attach(config, data.rows, reads.quarters)

    if found.recap is None:
        lines, audited = review_lines(found, {})
    else:
        previous = previous_values(grids.get(SHEET_INDICATORS))
        who = {s: last_editor(sheet, identity) for s, sheet in found.sheets.items()}
        cells = {(s, r.code, key): ref_cell
                 for s, sheet in found.sheets.items() for r in sheet.rows
                 for key, _ in AUDITED if (ref_cell := r.cell_ref(sheet.layout, key))}
        lines = review.audit_rows(previous, current_values(data), now, who, cells,
                                  labels=config.labels) if previous else []
        # confirmations, approvals, reopenings recorded since the last recap
        events, audited = review_lines(found, audited_records(grids.get(SHEET_AUDITED)))
        lines += events
        lines.sort(key=lambda line: str(line[0]))  # oldest first: a review before its notice
    patch = recap_patch(config, data, schedule, now, lines,
                        with_audit_header=found.recap is None, audited=audited,
                        hand_ins=hand_ins)
    patch.sheets += [cache_patch(reads.quarters)] if reads.quarters is not None else []
    patch.sheets += units
    patch.sheets += trend_sheets(config, data, reads.earlier)
    patch.sheets.extend(extra_sheets)
    return data, patch, len(lines)


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
